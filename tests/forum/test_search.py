"""Discussions in the site search: labelled "Discussion", private groups for their members only
(results, counts, filters and snippets alike, kept per audience and readable groups), hidden posts never found, a
post's script inert in its snippet, the index kept up to date by the forum's own changes."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from forum import services
from forum.models import Post
from schemes.models import Workstream
from tests.factories import UserFactory

from .conftest import make_topic

pytestmark = pytest.mark.django_db


def search(client, query, **params):
    response = client.get(reverse("search"), {"q": query, **params})
    assert response.status_code == 200
    return response


def titles(response):
    return [result.title for result in response.context["results"]]


def write(topic, number, body):
    Post.objects.filter(topic=topic, number=number).update(body=body, body_html=f"<p>{body}</p>")


@pytest.fixture
def discussions(search_backend, groups, alice, bob, private_topic, national_topic):
    write(private_topic, 2, "Restarting the gateway cured the quokka timeouts.")
    write(national_topic, 1, "Our quokka panel meets monthly with housing.")
    call_command("rebuild_modelsearch_index", verbosity=0)
    return national_topic, private_topic


def test_a_private_groups_topic_is_found_by_its_members_only(
    client, discussions, alice, bob, django_assert_max_num_queries
):
    national_topic, private_topic = discussions
    client.force_login(alice)
    search(client, "warm")  # the site's caches
    with django_assert_max_num_queries(12):
        response = search(client, "quokka")
    assert set(titles(response)) == {national_topic.title, private_topic.title}
    assert all(result.kind == "Discussion" for result in response.context["results"])
    html = response.content.decode()
    assert "the gateway cured" in html  # the matching reply's words, linked to the reply
    assert reverse("forum:post", args=[private_topic.posts.get(number=2).pk]) in html
    assert "Sussex local users" in html
    # Bob has the same audience as Alice (approved, no groups): the page kept for her is not his.
    client.force_login(bob)
    response = search(client, "quokka")
    html = response.content.decode()
    assert titles(response) == [national_topic.title]
    assert response.context["total"] == 1
    assert private_topic.title not in html and "gateway" not in html and "Sussex local users" not in html
    discussion_filter = next(f for f in response.context["facets"] if f.name == "type")
    assert [(v.label, v.count) for v in discussion_filter.values] == [("Discussion", 1)]
    assert titles(search(client, "gateway")) == []
    client.logout()
    response = search(client, "quokka")
    assert titles(response) == [] and "quokka panel" not in response.content.decode()


def test_hidden_posts_are_never_found(client, discussions, alice, national):
    national_topic, _private_topic = discussions
    moderator = UserFactory(email="mod@sussex.police.uk", is_superuser=True)
    services.post_set_hidden(post=national_topic.posts.get(number=1), moderator=moderator, hidden=True)
    client.force_login(alice)
    # The index still has it (no update in tests): the rows read back drop it.
    assert national_topic.title not in titles(search(client, "quokka panel"))
    call_command("rebuild_modelsearch_index", verbosity=0)
    assert national_topic.title not in titles(search(client, "quokka panel"))


def test_a_post_hidden_after_it_was_found_is_never_found_again(
    client, discussions, alice, django_capture_on_commit_callbacks
):
    """Candidates are kept per process under the forum's search version (search.sources
    .kept_candidates): hiding a post makes a new one, so the kept candidate goes with it."""
    national_topic, _private_topic = discussions
    client.force_login(alice)
    assert national_topic.title in titles(search(client, "quokka panel"))
    moderator = UserFactory(email="mod@sussex.police.uk", is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_set_hidden(post=national_topic.posts.get(number=1), moderator=moderator, hidden=True)
    # The index still has it (no update in tests): the kept candidate must not answer for it.
    response = search(client, "quokka panel monthly")
    assert national_topic.title not in titles(response)
    assert response.context["total"] == len(titles(response))  # nor counted


def test_a_presented_post_is_kept_never_shown_to_who_may_not_read_it_and_new_after_a_reply(
    client, discussions, alice, bob, django_capture_on_commit_callbacks
):
    """What a result shows of a post is kept per process (``DiscussionSource.present``), under
    the forum's search version: found again, it is not read again; given to a reader who may
    not read its group, it is dropped; a reply makes a new version, and the new count shows."""
    from django.db import connection
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from forum.search_source import DiscussionSource
    from serving.sessions import SessionStore
    from serving.viewer import Viewer

    national_topic, private_topic = discussions
    client.force_login(alice)
    search(client, "warm")  # the site's caches
    with CaptureQueriesContext(connection) as first:
        assert private_topic.title in titles(search(client, "quokka"))
    with CaptureQueriesContext(connection) as again:
        assert private_topic.title in titles(search(client, "quokka gateway"))
    assert len(again) < len(first)  # the post and its topic are not read again

    # Bob does not read the private group: a kept presentation of its post is never his.
    source = DiscussionSource()
    request = RequestFactory().get("/search/")
    request.user, request.session = bob, SessionStore()
    request.viewer = Viewer(request)
    candidate = type("Found", (), {"post_pk": private_topic.posts.get(number=2).pk})()
    assert source.present(request, [candidate]) == {}

    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(topic=national_topic, author=bob, body="Agreed, thank you.")
    response = search(client, "quokka panel")
    assert "3 replies" in response.content.decode()  # the topic had 3 posts, now 4


def test_a_posts_script_is_inert_in_its_snippet(client, search_index, groups, alice):
    topic = make_topic(groups[0], alice, title="Door entry systems")
    services.post_create(
        topic=topic,
        author=alice,
        body='Try <script>alert("pwned")</script> the <img src=x onerror=alert(1)> wombat reset.',
    )
    call_command("rebuild_modelsearch_index", verbosity=0)
    client.force_login(alice)
    response = search(client, "wombat")
    assert titles(response) == [topic.title]
    html = response.content.decode()
    assert "<script>alert" not in html and "onerror" not in html and "<img src=x" not in html


def test_the_forums_changes_update_the_index(
    client, search_index, groups, alice, bob, django_capture_on_commit_callbacks
):
    """Saved posts and topics are indexed as they change (after the commit); a topic's
    workstreams are indexed once set; a hidden post leaves the index."""
    national, private_group = groups
    asb = Workstream.objects.get(slug="anti-social-behaviour")
    call_command("rebuild_modelsearch_index", verbosity=0)
    with django_capture_on_commit_callbacks(execute=True):
        topic = services.topic_create(
            group=private_group,
            author=alice,
            title="Kiosk printers",
            kind="question",
            body="Which model?",
            workstreams=[asb],
        )
        reply = services.post_create(topic=topic, author=alice, body="The numbat model works well.")
    client.force_login(alice)
    assert titles(search(client, "numbat")) == [topic.title]
    assert titles(search(client, "anti-social kiosk")) == [topic.title]
    with django_capture_on_commit_callbacks(execute=True):
        services.post_edit(post=reply, editor=alice, body="The platypus model works well.")
    assert titles(search(client, "platypus")) == [topic.title]
    # Moved to the open group: everyone may find it now.
    moderator = UserFactory(email="mod@sussex.police.uk", is_superuser=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.topic_move(topic=topic, moderator=moderator, group=national)
    client.force_login(bob)
    assert titles(search(client, "platypus")) == [topic.title]
    with django_capture_on_commit_callbacks(execute=True):
        services.post_set_hidden(post=reply, moderator=moderator, hidden=True)
    # The results Bob was given a moment ago are not given again (the forum's own version).
    assert titles(search(client, "platypus")) == []
