"""A member opens the national group, joins it, starts a topic and replies: axe clean."""

import re

from forum.models import ForumGroup, GroupKind, Post, Topic
from tests.factories import WorkstreamFactory

PASSWORD = "a long and unusual passphrase 42"


def test_a_member_joins_the_national_group_starts_a_topic_and_replies(
    page, site, make_user, axe_check, sign_in
):
    WorkstreamFactory(name="Anti-social behaviour", slug="anti-social-behaviour")
    ForumGroup.objects.create(
        name="National best-practice group",
        slug="national-best-practice",
        kind=GroupKind.NATIONAL,
        description="Members from every scheme share ideas and successes.",
    )
    make_user("alex.morgan@sussex.police.uk", first_name="Alex", last_name="Morgan", password=PASSWORD)
    sign_in(page, "alex.morgan@sussex.police.uk", PASSWORD)

    page.goto("/forum/")
    axe_check(page)
    page.get_by_role("link", name="National best-practice group").click()
    page.wait_for_url(re.compile(r"/forum/groups/national-best-practice/$"))
    axe_check(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Join this group").click()
    assert "You have joined National best-practice group." in page.content()

    page.get_by_role("link", name="Start a topic").click()
    page.wait_for_url(re.compile(r"/new/$"))
    axe_check(page)
    # An empty form: the error summary explains, nothing is saved.
    with page.expect_navigation():
        page.get_by_role("button", name="Start the topic").click()
    assert "There is a problem" in page.content()
    axe_check(page)
    page.get_by_label("Title").fill("Sharing ASB warning letters between districts")
    page.get_by_label("Kind of topic").select_option("idea")
    page.get_by_label("Anti-social behaviour").check()
    page.get_by_label("Message").fill(
        "Could we use **one template** for warning letters? <script>alert(1)</script>"
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Start the topic").click()
    assert "Your topic has been started." in page.content()
    assert page.locator(".forum-post__body strong").inner_text() == "one template"
    axe_check(page)

    page.get_by_label("Your reply").fill("Brighton & Hove would use it too.")
    with page.expect_navigation():
        page.get_by_role("button", name="Post your reply").click()
    assert "Your reply has been posted." in page.content()
    assert page.url.endswith("#post-2")
    axe_check(page)

    topic = Topic.objects.get()
    assert topic.post_count == 2
    assert list(Post.objects.filter(topic=topic).values_list("number", flat=True)) == [1, 2]
    assert "<script" not in Post.objects.get(number=1).body_html
