"""Find a colleague: an opt-in members' directory, searchable by members only; contact through
the site without showing an e-mail address unless its owner chose to."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import ApprovalStatus
from forum.models import ColleagueMessage, ColleagueProfile
from tests.factories import UserFactory, WorkstreamFactory

pytestmark = pytest.mark.django_db


def test_members_list_themselves_search_and_contact(
    client, alice, bob, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    hate = WorkstreamFactory(name="Hate crime", slug="hate-crime")
    client.force_login(alice)
    client.post(
        reverse("forum:colleague_me"),
        {
            "listed": "on",
            "job_title": "ASB coordinator <script>x</script>",
            "workstreams": [hate.pk],
            "can_help_with": "Warning letters",
        },
    )
    ColleagueProfile.objects.create(user=UserFactory(first_name="Hidden", last_name="Person"), listed=False)
    for n in range(30):
        ColleagueProfile.objects.create(
            user=UserFactory(first_name=f"Many{n:02d}", last_name="Listed"), listed=True
        )
    client.force_login(bob)
    url = reverse("forum:colleagues")
    client.get(url)
    with django_assert_max_num_queries(12):
        page = client.get(url + "?q=warning&workstream=hate-crime").content.decode()
    assert "Alice Ward" in page and "&lt;script&gt;" in page and "<script>x" not in page
    assert alice.email not in page  # she did not choose to show it
    assert "Hidden Person" not in client.get(url + "?q=hidden").content.decode()
    with django_assert_max_num_queries(12):
        client.get(url + "?page=2")
    profile = ColleagueProfile.objects.get(user=alice)
    contact = reverse("forum:colleague_contact", args=[profile.pk])
    assert client.post(contact, {"body": " "}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client.post(contact, {"body": "Could you share your warning letter?"})
    message = mail.outbox[-1]
    assert message.to == [alice.email] and message.reply_to == [bob.email]
    assert "Could you share your warning letter?" in message.body
    for _ in range(5):
        client.post(contact, {"body": "Again"})
    assert ColleagueMessage.objects.count() == 5  # five an hour
    # Unlisted, or not approved: no entry to contact.
    hidden = ColleagueProfile.objects.get(listed=False)
    assert client.get(reverse("forum:colleague_contact", args=[hidden.pk])).status_code == 404
    alice.approval_status = ApprovalStatus.REJECTED
    alice.save(update_fields=["approval_status"])
    assert "Alice Ward" not in client.get(url).content.decode()


def test_the_directory_is_for_members_only(bob):
    ColleagueProfile.objects.create(user=bob, listed=True, show_email=True)
    anonymous = Client()
    assert anonymous.get(reverse("forum:colleagues")).status_code == 302
    pending = UserFactory(approval_status=ApprovalStatus.PENDING)
    anonymous.force_login(pending)
    assert bob.email not in anonymous.get(reverse("forum:colleagues")).content.decode()
    member = Client()
    member.force_login(UserFactory())
    assert bob.email in member.get(reverse("forum:colleagues")).content.decode()  # he chose to show it
