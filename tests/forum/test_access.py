"""Who may see what: private groups do not exist for non-members (404 everywhere), anonymous
visitors are sent to sign in, people not approved are refused, and every forum answer is
private and never stored."""

import pytest
from django.urls import URLPattern, reverse

from accounts import roles
from forum import urls as forum_urls
from forum.models import (
    Draft,
    Flag,
    GroupAction,
    JoinRequest,
    Notification,
    NotificationKind,
    ReferralStatus,
    TopicKind,
)
from forum.referrals import referral_create
from tests.factories import UserFactory

from .conftest import make_topic


def _referral(topic, user):
    """A referral of ``topic`` (made troubleshooting), with its first event."""
    topic.kind = TopicKind.TROUBLESHOOTING
    topic.save(update_fields=["kind"])
    return referral_create(topic=topic, referred_by=user, summary="Please fix the timeouts.")


def _addresses(group, topic, post, join_request, referral=None, action=None):
    """Every forum address, filled in for the given objects (by URL name)."""
    kwargs = {
        "slug": group.slug,
        "topic_id": topic.pk,
        "post_id": post.pk,
        "request_id": join_request.pk if join_request else 1,
        "referral_id": referral.pk if referral else 1,
        "action_id": action.pk if action else 1,
        "profile_id": 1,
    }
    found = []
    for pattern in forum_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        needed = {name: kwargs[name] for name in pattern.pattern.converters}
        found.append((pattern.name, reverse(f"forum:{pattern.name}", kwargs=needed)))
    return found


def test_every_forum_view_goes_through_forum_view():
    for pattern in forum_urls.urlpatterns:
        assert getattr(pattern.callback, "forum_view", False), pattern.name


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_every_forum_answer_is_private_and_never_stored(client, groups, private_topic, alice, method):
    post = private_topic.posts.get(number=2)
    join_request = JoinRequest.objects.create(group=groups[1], user=UserFactory())
    referral = _referral(private_topic, alice)
    client.force_login(alice)
    checked = 0
    for name, url in _addresses(groups[1], private_topic, post, join_request, referral):
        response = getattr(client, method)(url)
        if response.status_code in (404, 405):
            continue
        checked += 1
        cache_control = response.get("Cache-Control", "")
        assert "private" in cache_control and "no-store" in cache_control, (name, method, cache_control)
    assert checked >= 10


@pytest.mark.django_db
def test_anonymous_visitors_are_sent_to_sign_in_everywhere(client, groups, national_topic):
    post = national_topic.posts.first()
    for name, url in _addresses(groups[0], national_topic, post, None):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (name, method)
            assert response["Location"].startswith(reverse("account_login")), name
            assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_people_awaiting_approval_are_refused_everywhere(client, groups, national_topic):
    pending = UserFactory(approved=False)
    client.force_login(pending)
    post = national_topic.posts.first()
    for name, url in _addresses(groups[0], national_topic, post, None):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 403, (name, method)
            assert national_topic.title not in response.content.decode()
    assert national_topic.posts.count() == 3


@pytest.mark.django_db
def test_a_private_group_is_404_for_non_members_in_every_view(client, groups, private_topic, bob):
    private_group = groups[1]
    post = private_topic.posts.get(number=2)
    join_request = JoinRequest.objects.create(group=private_group, user=UserFactory())
    referral = _referral(private_topic, groups[1].memberships.get(role="chair").user)
    action = GroupAction.objects.create(group=private_group, what="Chase the supplier")
    client.force_login(bob)
    for name, url in _addresses(private_group, private_topic, post, join_request, referral, action):
        if name in ("groups", "notifications", "colleagues", "colleague_me"):  # nobody's group
            continue
        for method in ("get", "post"):
            response = getattr(client, method)(
                url,
                {
                    "body": "Let me in",
                    "decision": "approve",
                    "reason": "x",
                    "watch": "1",
                    "summary": "x",
                    "status": "acknowledged",
                    "form": "action",
                    "what": "Sneaky",
                    "title": "x",
                },
            )
            assert response.status_code in (404, 405), (name, method, response.status_code)
            assert private_topic.title not in response.content.decode()
    # Nothing changed.
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.REFERRED and referral.events.count() == 1
    assert private_topic.posts.count() == 2
    assert not private_group.memberships.filter(user=bob).exists()
    assert not Flag.objects.exists()
    assert JoinRequest.objects.get(pk=join_request.pk).status == "pending"
    assert list(GroupAction.objects.values_list("what", "status")) == [("Chase the supplier", "open")]
    assert not Draft.objects.exists()


@pytest.mark.django_db
def test_the_group_list_shows_a_private_group_to_its_members_only(client, groups, alice, bob):
    client.force_login(bob)
    page = client.get(reverse("forum:groups")).content.decode()
    assert "National best-practice group" in page
    assert "Sussex local users" not in page
    client.force_login(alice)
    page = client.get(reverse("forum:groups")).content.decode()
    assert "Sussex local users" in page


@pytest.mark.django_db
def test_a_member_who_leaves_a_private_group_loses_it_and_its_notifications(
    client, groups, private_topic, alice, bob
):
    from forum.models import Membership, Role

    Membership.objects.create(group=groups[1], user=bob, role=Role.MEMBER)
    Notification.objects.create(recipient=bob, kind=NotificationKind.REPLY, topic=private_topic, actor=alice)
    client.force_login(bob)
    assert client.get(private_topic.get_absolute_url()).status_code == 200
    assert private_topic.title in client.get(reverse("forum:notifications")).content.decode()
    response = client.post(reverse("forum:leave", args=[groups[1].slug]))
    assert response.status_code == 302
    assert client.get(private_topic.get_absolute_url()).status_code == 404
    assert private_topic.title not in client.get(reverse("forum:notifications")).content.decode()


@pytest.mark.django_db
def test_hidden_topics_are_404_for_members_but_not_for_moderators(client, groups, alice, bob):
    topic = make_topic(groups[0], alice, title="Hidden one", is_hidden=True)
    client.force_login(bob)
    assert client.get(topic.get_absolute_url()).status_code == 404
    assert "Hidden one" not in client.get(groups[0].get_absolute_url()).content.decode()
    moderator = UserFactory(groups=[roles.MODERATORS])
    client.force_login(moderator)
    assert client.get(topic.get_absolute_url()).status_code == 200
