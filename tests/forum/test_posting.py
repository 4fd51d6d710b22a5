"""Starting topics, replying, editing, reactions, accepted answers, read positions, and every
bad input: a clear message and nothing saved."""

import pytest
from django.urls import reverse

from forum.models import Membership, Post, PostRevision, Reaction, Topic, TopicReadState
from forum.services import MAX_POST_LENGTH
from tests.factories import WorkstreamFactory

from .conftest import make_topic

pytestmark = pytest.mark.django_db


def _new_topic(client, group, **data):
    form = {
        "title": "Sharing ASB warnings",
        "kind": "question",
        "body": "How do you share them?",
        "form_token": "t1",
    }
    form.update(data)
    return client.post(reverse("forum:topic_create", args=[group.slug]), form)


def test_a_member_starts_a_topic_with_workstreams(client, groups, alice):
    asb = WorkstreamFactory(name="Anti-social behaviour", slug="anti-social-behaviour")
    client.force_login(alice)
    response = client.get(reverse("forum:topic_create", args=[groups[0].slug]))
    assert response.status_code == 200 and 'name="form_token"' in response.content.decode()
    response = _new_topic(client, groups[0], workstreams=[asb.pk])
    topic = Topic.objects.get()
    assert response.status_code == 302 and response["Location"] == topic.get_absolute_url()
    assert topic.post_count == 1 and topic.posts.get().body_html == "<p>How do you share them?</p>"
    page = client.get(topic.get_absolute_url()).content.decode()
    assert 'href="/workstreams/anti-social-behaviour/"' in page


def test_sending_the_topic_form_twice_creates_one_topic(client, groups, alice):
    client.force_login(alice)
    first = _new_topic(client, groups[0])
    second = _new_topic(client, groups[0])
    assert Topic.objects.count() == 1 and Post.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_sending_a_reply_twice_posts_it_once(client, national_topic, alice):
    client.force_login(alice)
    url = reverse("forum:reply", args=[national_topic.pk])
    client.post(url, {"body": "Me too", "form_token": "r1"})
    client.post(url, {"body": "Me too", "form_token": "r1"})
    assert national_topic.posts.count() == 4


@pytest.mark.parametrize(
    "data, message",
    [
        ({"body": "   "}, "Enter a message."),
        ({"title": "  "}, "Enter a title."),
        ({"body": "x" * 1_000_000}, "Your message is too long"),
        ({"title": "t" * 201}, "The title is too long"),
    ],
)
def test_bad_topics_get_a_clear_message_and_save_nothing(client, groups, alice, data, message):
    client.force_login(alice)
    response = _new_topic(client, groups[0], **data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Topic.objects.exists()


@pytest.mark.parametrize(
    "body, message", [("", "Enter a message."), ("y" * (MAX_POST_LENGTH + 1), "too long")]
)
def test_bad_replies_get_a_clear_message_and_save_nothing(client, national_topic, bob, body, message):
    client.force_login(bob)
    response = client.post(reverse("forum:reply", args=[national_topic.pk]), {"body": body})
    assert response.status_code == 200 and message in response.content.decode()
    assert national_topic.posts.count() == 3


def test_replying_to_a_locked_topic_is_refused(client, national_topic, bob):
    Topic.objects.filter(pk=national_topic.pk).update(is_locked=True)
    client.force_login(bob)
    response = client.post(reverse("forum:reply", args=[national_topic.pk]), {"body": "Hello"}, follow=True)
    assert "This topic is locked" in response.content.decode()
    assert national_topic.posts.count() == 3
    assert client.get(reverse("forum:reply", args=[national_topic.pk])).status_code == 404


def test_posting_after_leaving_a_group_is_refused(client, national_topic, bob, groups):
    client.force_login(bob)
    client.post(reverse("forum:leave", args=[groups[0].slug]))
    assert not Membership.objects.filter(user=bob, group=groups[0]).exists()
    response = client.post(reverse("forum:reply", args=[national_topic.pk]), {"body": "Hello"}, follow=True)
    assert "Only members of this group can reply" in response.content.decode()
    response = _new_topic(client, groups[0])
    assert not Topic.objects.exclude(pk=national_topic.pk).exists()
    assert national_topic.posts.count() == 3


def test_too_many_posts_a_minute_are_refused(client, national_topic, bob, settings):
    settings.FORUM_POSTS_PER_MINUTE = 3
    client.force_login(bob)
    url = reverse("forum:reply", args=[national_topic.pk])
    for n in range(3):
        client.post(url, {"body": f"Reply {n}"})
    response = client.post(url, {"body": "One too many"})
    assert "You are posting too quickly" in response.content.decode()
    assert national_topic.posts.count() == 6


def test_forged_csrf_is_refused(groups, national_topic, bob):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(bob)
    response = client.post(reverse("forum:reply", args=[national_topic.pk]), {"body": "Hello"})
    assert response.status_code == 403
    assert national_topic.posts.count() == 3


def test_joining_an_open_group_then_replying_with_a_quote(client, national_topic, alice):
    from tests.factories import UserFactory

    carol = UserFactory(first_name="Carol", last_name="Hart")
    client.force_login(carol)
    page = client.get(national_topic.get_absolute_url()).content.decode()
    assert "Join the group to reply" in page
    client.post(reverse("forum:join", args=[national_topic.group.slug]))
    assert Membership.objects.filter(user=carol, group=national_topic.group).exists()
    first = national_topic.posts.get(number=1)
    form = client.get(
        reverse("forum:reply", args=[national_topic.pk]) + f"?quote={first.pk}"
    ).content.decode()
    assert "&gt; Post number 1." in form
    response = client.post(
        reverse("forum:reply", args=[national_topic.pk]),
        {"body": "Alice Ward wrote:\n\n> Post number 1.\n\nAgreed."},
    )
    assert response["Location"].endswith("#post-4")
    assert "<blockquote>" in national_topic.posts.get(number=4).body_html


def test_editing_keeps_a_visible_history(client, national_topic, alice, bob):
    post = national_topic.posts.get(number=2)
    client.force_login(bob)
    assert client.get(reverse("forum:post_edit", args=[post.pk])).status_code == 404
    client.force_login(alice)
    client.post(reverse("forum:post_edit", args=[post.pk]), {"body": "Better wording."})
    post.refresh_from_db()
    assert post.body == "Better wording." and post.edited_at
    assert PostRevision.objects.get(post=post).body == "Post number 2."
    page = client.get(national_topic.get_absolute_url()).content.decode()
    assert "Earlier wording" in page and "Post number 2." in page
    response = client.post(reverse("forum:post_edit", args=[post.pk]), {"body": ""})
    assert "Enter a message." in response.content.decode()


def test_helpful_once_per_member_and_not_for_ones_own_post(client, national_topic, alice, bob):
    post = national_topic.posts.get(number=2)
    client.force_login(bob)
    client.post(reverse("forum:post_helpful", args=[post.pk]))
    client.post(reverse("forum:post_helpful", args=[post.pk]))
    post.refresh_from_db()
    assert post.helpful_count == 1 and Reaction.objects.count() == 1
    client.force_login(alice)
    client.post(reverse("forum:post_helpful", args=[post.pk]))
    post.refresh_from_db()
    assert post.helpful_count == 1


def test_the_author_accepts_an_answer_others_cannot(client, groups, alice, bob):
    topic = make_topic(groups[0], alice, posts=3, kind="question")
    answer = topic.posts.get(number=3)
    client.force_login(bob)
    assert client.post(reverse("forum:post_accept", args=[answer.pk])).status_code == 404
    client.force_login(alice)
    client.post(reverse("forum:post_accept", args=[answer.pk]))
    topic.refresh_from_db()
    assert topic.accepted_post == answer
    assert "Accepted answer" in client.get(topic.get_absolute_url()).content.decode()


def test_read_positions_and_the_first_unread_link(client, groups, alice, bob):
    topic = make_topic(groups[0], alice, posts=45)
    client.force_login(bob)
    group_page = client.get(groups[0].get_absolute_url()).content.decode()
    assert "New" in group_page
    client.get(topic.get_absolute_url())  # page 1: posts 1-20
    assert TopicReadState.objects.get(user=bob, topic=topic).last_read_number == 20
    response = client.get(reverse("forum:topic_unread", args=[topic.pk]))
    assert response["Location"].endswith("?page=2#post-21")
    client.get(topic.get_absolute_url() + "?page=3")
    assert TopicReadState.objects.get(user=bob, topic=topic).last_read_number == 45
    client.get(topic.get_absolute_url() + "?page=1")  # never backwards
    assert TopicReadState.objects.get(user=bob, topic=topic).last_read_number == 45


def test_join_requests_are_approved_by_the_chair(client, groups, alice, bob):
    from forum.models import JoinRequest

    steering = groups[0].__class__.objects.create(
        name="Pan-Sussex steering group", slug="steering", kind="steering", join_by_request=True
    )
    Membership.objects.create(group=steering, user=alice, role="chair")
    client.force_login(bob)
    client.post(reverse("forum:join", args=[steering.slug]))
    client.post(reverse("forum:join", args=[steering.slug]))
    request = JoinRequest.objects.get()
    assert not Membership.objects.filter(group=steering, user=bob).exists()
    assert client.get(reverse("forum:join_requests", args=[steering.slug])).status_code == 404
    assert (
        client.post(
            reverse("forum:join_request_decide", args=[steering.slug, request.pk]), {"decision": "approve"}
        ).status_code
        == 404
    )
    client.force_login(alice)
    assert "Bob Stone" in client.get(reverse("forum:join_requests", args=[steering.slug])).content.decode()
    client.post(
        reverse("forum:join_request_decide", args=[steering.slug, request.pk]), {"decision": "approve"}
    )
    assert Membership.objects.filter(group=steering, user=bob).exists()
