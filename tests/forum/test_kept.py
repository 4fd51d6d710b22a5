"""Kept fragments of forum pages (forum.kept): what one reader's visit keeps is retired by every
change at once, never carries anything personal, and never reaches someone who may not see it."""

import pytest
from django.urls import reverse

from forum.models import Membership
from forum.services import post_create, post_mark_helpful, post_set_hidden, topic_set_locked
from tests.factories import UserFactory

from .conftest import join, make_topic

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def _page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_post_shows_at_once_on_the_topic_and_its_group(client, national_topic, alice, bob):
    client.force_login(bob)
    group_url = national_topic.group.get_absolute_url()
    assert "3 posts" in _page(client, group_url)
    assert "A reply written just now" not in _page(client, national_topic.get_absolute_url())
    post_create(topic=national_topic, author=alice, body="A reply written just now.")
    assert "A reply written just now" in _page(client, national_topic.get_absolute_url())
    assert "4 posts" in _page(client, group_url)


def test_a_hidden_post_disappears_for_members_and_stays_for_those_who_lead(
    client, national_topic, alice, bob
):
    carol = UserFactory(first_name="Carol", last_name="Chair")
    join(national_topic.group, carol, role="chair")
    post = national_topic.posts.get(number=2)
    for person in (bob, carol):
        client.force_login(person)
        assert "Post number 2." in _page(client, national_topic.get_absolute_url())
    post_set_hidden(post=post, moderator=carol, hidden=True, reason="Off topic")
    client.force_login(bob)
    page = _page(client, national_topic.get_absolute_url())
    assert "Post number 2." not in page and "This post was hidden by a moderator." in page
    assert "Off topic" not in page  # the note is for its author
    client.force_login(alice)
    assert "Off topic" in _page(client, national_topic.get_absolute_url())
    client.force_login(carol)
    assert "Post number 2." in _page(client, national_topic.get_absolute_url())


def test_what_is_kept_holds_nothing_personal(client, national_topic, alice, bob):
    post = national_topic.posts.get(number=2)
    post_mark_helpful(post=post, user=bob)
    client.force_login(bob)
    bobs = _page(client, national_topic.get_absolute_url())
    assert bobs.count("You found this helpful") == 1
    client.force_login(UserFactory())  # not a member: no actions, read from the same kept posts
    page = _page(client, national_topic.get_absolute_url())
    assert "You found this helpful" not in page and "1 member found this helpful" in page
    assert "__forum-csrf-token__" not in bobs + page
    client.force_login(alice)  # her own posts: edit links, no "Helpful" on them
    assert reverse("forum:post_edit", args=[post.pk]) in _page(client, national_topic.get_absolute_url())


def test_a_locked_topic_shows_on_its_group_at_once(client, national_topic, alice, bob):
    client.force_login(bob)
    assert "Locked" not in _page(client, national_topic.group.get_absolute_url())
    topic_set_locked(topic=national_topic, moderator=alice, locked=True)
    assert "Locked" in _page(client, national_topic.group.get_absolute_url())


def test_a_private_group_is_never_served_from_what_its_members_kept(client, private_topic, alice, bob):
    group = private_topic.group
    updates = reverse("forum:topic_updates", args=[private_topic.pk]) + "?after=2"
    client.force_login(alice)
    assert "Case system keeps timing out" in _page(client, group.get_absolute_url())
    assert "Post number 2." in _page(client, private_topic.get_absolute_url())
    assert client.get(updates, **HTMX).status_code == 204
    client.force_login(bob)  # not a member: the kept fragments exist, he gets nothing
    assert client.get(group.get_absolute_url()).status_code == 404
    assert client.get(private_topic.get_absolute_url()).status_code == 404
    assert client.get(updates, **HTMX).status_code == 404


def test_someone_removed_from_a_private_group_stops_getting_even_304s(client, private_topic, alice):
    dave = UserFactory()
    membership = join(private_topic.group, dave)
    updates = reverse("forum:topic_updates", args=[private_topic.pk]) + "?after=2"
    client.force_login(dave)
    first = client.get(updates, **HTMX)
    assert first.status_code == 204
    assert client.get(updates, HTTP_IF_NONE_MATCH=first["ETag"], **HTMX).status_code == 304
    Membership.objects.filter(pk=membership.pk).delete()
    assert client.get(updates, HTTP_IF_NONE_MATCH=first["ETag"], **HTMX).status_code == 404


def test_a_new_topic_and_a_deep_page_of_a_group(client, national, alice, bob):
    for n in range(30):
        make_topic(national, alice, title=f"Topic {n:02d}")
    client.force_login(bob)
    page = _page(client, national.get_absolute_url() + "?page=2")
    assert "Page 2 of 2" in page and "Topic 00" in page
    assert "Page 2 of 2" in _page(client, national.get_absolute_url() + "?page=999")
    make_topic(national, alice, title="The newest topic")
    assert "The newest topic" in _page(client, national.get_absolute_url())


def test_the_unchanged_poll_reads_no_table_yet_checks_the_person_each_time(
    client, private_topic, alice, django_assert_num_queries
):
    updates = reverse("forum:topic_updates", args=[private_topic.pk]) + "?after=2"
    client.force_login(alice)
    assert client.get(updates, **HTMX).status_code == 204  # the kept facts read once
    with django_assert_num_queries(0):
        response = client.get(updates, **HTMX)
    assert response.status_code == 204 and "no-store" in response["Cache-Control"]
    post_create(topic=private_topic, author=alice, body="Something new.")
    assert client.get(updates, **HTMX).status_code == 200  # the stack renders the new post
    alice.set_password("a new password for alice")
    alice.save()
    assert client.get(updates.replace("after=2", "after=3"), **HTMX).status_code == 302  # signed out
    client.force_login(alice)
    alice.is_active = False
    alice.save()
    assert client.get(updates.replace("after=2", "after=3"), **HTMX).status_code == 302


def test_a_post_quoting_the_token_mark_never_shows_the_readers_token(client, national_topic, alice, bob):
    from forum.kept import CSRF_MARK

    post_create(topic=national_topic, author=alice, body=f"Look: `{CSRF_MARK}` in code.")
    client.force_login(bob)
    page = _page(client, national_topic.get_absolute_url())
    assert CSRF_MARK in page  # the text as written
    assert f'value="{CSRF_MARK}"' not in page  # every form got the real token


def test_someone_removed_from_a_private_group_gets_404_on_its_pages_at_once(client, private_topic):
    """The group's row and the reader's roles are kept: removal forgets the roles at once."""
    dave = UserFactory()
    membership = join(private_topic.group, dave)
    client.force_login(dave)
    assert client.get(private_topic.get_absolute_url()).status_code == 200
    assert client.get(private_topic.group.get_absolute_url()).status_code == 200
    Membership.objects.filter(pk=membership.pk).delete()
    assert client.get(private_topic.get_absolute_url()).status_code == 404
    assert client.get(private_topic.group.get_absolute_url()).status_code == 404


def test_a_new_role_an_action_and_a_renamed_topic_show_at_once(client, national_topic, alice, bob):
    """Kept roles, group extras (actions, last meeting) and the topic's row are each retired by
    the change that concerns them."""
    from forum.models import GroupAction, Role

    group = national_topic.group
    client.force_login(bob)
    assert "requests to join" not in _page(client, group.get_absolute_url())
    assert "Engage the housing providers" not in _page(client, group.get_absolute_url())
    Membership.objects.filter(group=group, user=bob).update(role=Role.MODERATOR)
    Membership.objects.get(group=group, user=bob).save()  # the admin saves through the model
    GroupAction.objects.create(group=group, what="Engage the housing providers")
    page = _page(client, group.get_absolute_url())
    assert "requests to join" in page and "Engage the housing providers" in page
    assert "A renamed topic" not in _page(client, national_topic.get_absolute_url())
    national_topic.title = "A renamed topic"
    national_topic.save()
    assert "A renamed topic" in _page(client, national_topic.get_absolute_url())


def _form_token(page: str) -> str:
    import re

    return re.search(r'name="form_token" value="([^"]*)"', page).group(1)


def test_the_kept_reply_form_gets_each_readers_own_token_and_draft(client, national_topic, alice, bob):
    from forum.services import draft_save
    from forum.views import FORM_TOKEN_MARK

    url = national_topic.get_absolute_url()
    client.force_login(bob)
    first, second = _page(client, url), _page(client, url)
    tokens = {_form_token(first), _form_token(second)}
    assert len(tokens) == 2 and FORM_TOKEN_MARK not in first + second
    draft_save(user=alice, topic=national_topic, body="Half a thought about <b>ASB</b>")
    client.force_login(alice)
    hers = _page(client, url)
    assert "Half a thought about &lt;b&gt;ASB&lt;/b&gt;" in hers and FORM_TOKEN_MARK not in hers
    client.force_login(bob)  # the draft is hers alone
    assert "Half a thought" not in _page(client, url)


def test_the_group_rows_say_when_and_what_the_reader_has_not_read(client, national_topic, alice, bob):
    from forum.services import post_create

    group_url = national_topic.group.get_absolute_url()
    client.force_login(bob)
    page = _page(client, group_url)
    assert "last post 0\xa0minutes ago" in page and "<strong>New</strong>" in page
    _page(client, national_topic.get_absolute_url())  # read to the end
    assert "<strong>New</strong>" not in _page(client, group_url)
    post_create(topic=national_topic, author=alice, body="Something new.")
    page = _page(client, group_url)
    unread = reverse("forum:topic_unread", args=[national_topic.pk])
    assert (
        f'<a href="{unread}">First unread post<span class="visually-hidden"> in {national_topic.title}'
        in page
    )
