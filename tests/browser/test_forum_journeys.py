"""Forum journeys, axe clean: a reply appears live on another member's page, is reported and
hidden by a moderator (its author sees why); a chair refers a troubleshooting topic, the
supplier moves it on, and the national group's report counts it."""

import pytest
from django.utils import timezone

from accounts import roles
from forum.models import (
    Draft,
    ForumGroup,
    GroupKind,
    Membership,
    Post,
    Referral,
    Role,
    Topic,
    TopicKind,
    Visibility,
)
from forum.rendering import render_markdown

PASSWORD = "a long and unusual passphrase 42"


def _topic(group, author, title, kind=TopicKind.QUESTION):
    topic = Topic.objects.create(
        group=group, author=author, title=title, kind=kind, last_posted_at=timezone.now(), post_count=1
    )
    Post.objects.create(
        topic=topic,
        number=1,
        author=author,
        body="What do you do?",
        body_html=render_markdown("What do you do?"),
    )
    return topic


@pytest.fixture
def national(db):
    return ForumGroup.objects.create(
        name="National best-practice group",
        slug="national",
        kind=GroupKind.NATIONAL,
        description="All schemes.",
    )


def test_a_reply_appears_live_is_reported_and_hidden(
    page, new_page, national, make_user, axe_check, sign_in, monkeypatch
):
    from forum import services, views

    monkeypatch.setattr(views, "LIVE_POLL_SECONDS", 1)
    alice = make_user("alice.ward@sussex.police.uk", first_name="Alice", last_name="Ward", password=PASSWORD)
    bob = make_user("bob.stone@sussex.police.uk", first_name="Bob", last_name="Stone", password=PASSWORD)
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    mo = make_user(
        "mo.derator@forum.example",
        role=roles.MODERATORS,
        first_name="Mo",
        last_name="Derator",
        password=PASSWORD,
    )
    for person in (alice, bob):
        Membership.objects.create(group=national, user=person)
    topic = _topic(national, alice, "Who shares ASB warning letters?")

    sign_in(page, "bob.stone@sussex.police.uk", PASSWORD)
    page.goto(topic.get_absolute_url())
    axe_check(page)
    # Alice replies meanwhile: the reply appears on Bob's page without a reload.
    services.post_create(topic=topic, author=alice, body="We do, with **one template**.")
    page.locator("#post-2").wait_for()
    assert "one template" in page.locator("#post-2").inner_text()
    axe_check(page)

    # Typing in the reply box keeps a draft (htmx autosave).
    page.get_by_label("Your reply").fill("We might try")
    page.wait_for_function(
        "() => document.querySelector('#draft-status').textContent.includes('Draft saved at')"
    )
    assert Draft.objects.get(user=bob).body == "We might try"
    axe_check(page)

    page.get_by_role("link", name="Report post 2").click()
    page.get_by_label("What is wrong with this post?").fill("It names a resident.")
    with page.expect_navigation():
        page.get_by_role("button", name="Send the report").click()
    assert "the moderators will review this post" in page.content()

    moderator = new_page()
    secret = generate_totp_secret()
    TOTP.activate(mo, secret)  # moderators must use two-step sign-in
    sign_in(moderator, "mo.derator@forum.example", PASSWORD, totp_secret=secret)
    moderator.goto("/admin/forum-moderation/")
    moderator.get_by_label("Reason (shown to the author)").fill("Names a resident")
    with moderator.expect_navigation():
        moderator.get_by_role("button", name="Hide the post").click()
    assert Post.objects.get(topic=topic, number=2).is_hidden

    author = new_page()
    sign_in(author, "alice.ward@sussex.police.uk", PASSWORD)
    author.goto(topic.get_absolute_url())
    text = author.locator("#post-2").inner_text()
    assert "This post was hidden by a moderator." in text and "Names a resident" in text
    axe_check(author)


def test_a_referral_is_raised_moved_on_and_reported(page, new_page, national, make_user, axe_check, sign_in):
    chair = make_user(
        "carol.chair@sussex.police.uk", first_name="Carol", last_name="Chair", password=PASSWORD
    )
    make_user(
        "sam.vendor@supplier.example",
        role=roles.SUPPLIER_STAFF,
        first_name="Sam",
        last_name="Vendor",
        password=PASSWORD,
    )
    local = ForumGroup.objects.create(
        name="Sussex local users' group",
        slug="sussex-users",
        kind=GroupKind.LOCAL,
        visibility=Visibility.PRIVATE,
    )
    Membership.objects.create(group=local, user=chair, role=Role.CHAIR)
    Membership.objects.create(group=national, user=chair)
    topic = _topic(local, chair, "Case notes time out", kind=TopicKind.TROUBLESHOOTING)

    sign_in(page, "carol.chair@sussex.police.uk", PASSWORD)
    page.goto(topic.get_absolute_url())
    page.get_by_role("link", name="Refer to the supplier").click()
    axe_check(page)
    page.get_by_label("What should the supplier develop or fix?").fill("Saving a long case note times out.")
    with page.expect_navigation():
        page.get_by_role("button", name="Refer to the supplier").click()
    reference = Referral.objects.get().reference
    assert f"Referred to the supplier as {reference}" in page.content()
    axe_check(page)

    supplier = new_page()
    sign_in(supplier, "sam.vendor@supplier.example", PASSWORD)
    supplier.goto("/forum/referrals/")
    axe_check(supplier)
    supplier.get_by_role("link", name=reference).click()
    supplier.get_by_label("New status").select_option("acknowledged")
    with supplier.expect_navigation():
        supplier.get_by_role("button", name="Save the status").click()
    assert "is now “Acknowledged”" in supplier.content()
    axe_check(supplier)

    page.reload()
    assert "Acknowledged" in page.locator("main").inner_text()
    page.goto("/forum/groups/national/referrals/")
    assert "1 referral is open across every group." in page.content()
    assert "Case notes time out" in page.content()
    axe_check(page)

    # The chair records an action; the meetings page and the group's page show it.
    page.goto("/forum/groups/sussex-users/meetings/")
    page.get_by_role("textbox", name="Action").fill("Chase the supplier on case notes")
    page.get_by_label("Owner").select_option(label="Carol Chair")
    with page.expect_navigation():
        page.get_by_role("button", name="Add the action").click()
    assert "The action is added." in page.content()
    axe_check(page)

    # Listing herself in "Find a colleague".
    page.goto("/forum/colleagues/me/")
    page.get_by_label("List me in the members' directory").check()
    page.get_by_label("What you can help with").fill("Case-note timeouts")
    with page.expect_navigation():
        page.get_by_role("button", name="Save your entry").click()
    assert "You are listed in the members' directory." in page.content()
    axe_check(page)
