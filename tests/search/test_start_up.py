from django.db.models.signals import post_save


def test_whoosh_update_handlers_are_connected_at_start_up():
    """Without them, pages and documents saved on the site would never reach the index."""
    uids = {key[0] for key, *_ in post_save.receivers}
    for label in ("home.standardpage", "schemes.schemepage", "documents.governancedocument"):
        assert f"search.whoosh.{label}" in uids, label
