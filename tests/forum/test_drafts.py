"""Drafts kept while typing: "Save draft" without JavaScript, htmx's autosave with it; a draft
survives a failed post and a session that expired, and posting discards it."""

import pytest
from django.test import Client
from django.urls import reverse

from forum.models import Draft, Post, Topic
from forum.services import MAX_POST_LENGTH

pytestmark = pytest.mark.django_db


def test_save_draft_without_javascript_then_post(client, national_topic, bob):
    client.force_login(bob)
    response = client.post(reverse("forum:reply_draft", args=[national_topic.pk]), {"body": "Half a thought"})
    assert response.status_code == 302 and response["Location"] == reverse(
        "forum:reply", args=[national_topic.pk]
    )
    assert "Half a thought" in client.get(response["Location"]).content.decode()
    page = client.get(national_topic.get_absolute_url()).content.decode()
    assert "Half a thought" in page and "Your saved draft is in the box above." in page
    client.post(
        reverse("forum:reply", args=[national_topic.pk]), {"body": "The whole thought", "form_token": "t1"}
    )
    assert not Draft.objects.exists()


def test_htmx_autosave_and_a_failed_post_keep_the_draft(client, national_topic, bob, settings):
    client.force_login(bob)
    response = client.post(
        reverse("forum:reply_draft", args=[national_topic.pk]), {"body": "Typing…"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200 and response.content.decode().startswith("Draft saved at")
    too_long = client.post(
        reverse("forum:reply_draft", args=[national_topic.pk]),
        {"body": "x" * (MAX_POST_LENGTH + 1)},
        HTTP_HX_REQUEST="true",
    )
    assert too_long.status_code == 400 and "too long" in too_long.content.decode()
    assert Draft.objects.get().body == "Typing…"  # nothing changed
    settings.FORUM_POSTS_PER_MINUTE = 0  # the post fails
    client.post(reverse("forum:reply", args=[national_topic.pk]), {"body": "Lost words?", "form_token": "t2"})
    assert Post.objects.filter(body="Lost words?").count() == 0
    assert Draft.objects.get().body == "Lost words?"


def test_a_draft_survives_the_session_expiring(national_topic, bob):
    first = Client()
    first.force_login(bob)
    first.post(reverse("forum:reply_draft", args=[national_topic.pk]), {"body": "Before expiry"})
    first.logout()  # the session ends; the next sign-in finds the draft
    again = Client()
    again.force_login(bob)
    assert "Before expiry" in again.get(reverse("forum:reply", args=[national_topic.pk])).content.decode()


def test_a_new_topics_draft_and_who_may_keep_one(client, groups, bob, alice, private_topic):
    client.force_login(bob)
    url = reverse("forum:topic_draft", args=[groups[0].slug])
    client.post(url, {"title": "Idea", "body": "Draft idea"})
    page = client.get(reverse("forum:topic_create", args=[groups[0].slug])).content.decode()
    assert "Draft idea" in page and 'value="Idea"' in page
    client.post(
        reverse("forum:topic_create", args=[groups[0].slug]),
        {"title": "Idea", "kind": "idea", "body": "Draft idea", "form_token": "t3"},
    )
    assert Topic.objects.filter(title="Idea").exists() and not Draft.objects.exists()
    # Not in the private group: it does not exist for bob.
    assert client.post(reverse("forum:topic_draft", args=[groups[1].slug]), {"body": "x"}).status_code == 404
    assert (
        client.post(reverse("forum:reply_draft", args=[private_topic.pk]), {"body": "x"}).status_code == 404
    )
    assert not Draft.objects.exists()
