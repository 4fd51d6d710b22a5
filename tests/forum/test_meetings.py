"""A group's meetings (date, agenda, minutes, attendance) and action log: recorded by its chair
and moderators, open actions on the group page, private groups' a 404 for everyone else."""

import pytest
from django.urls import reverse

from forum.models import ActionStatus, GroupAction, Meeting
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_a_chair_records_a_meeting_and_actions(client, groups, alice, bob, django_assert_max_num_queries):
    national, private = groups
    url = reverse("forum:meetings", args=[private.slug])
    client.force_login(alice)  # the private group's chair
    response = client.post(url, {"form": "meeting", "held_on": "2026-11-20", "agenda": "", "minutes": ""})
    assert response.status_code == 400 and "Enter the agenda or the minutes." in response.content.decode()
    client.post(
        url,
        {
            "form": "meeting",
            "held_on": "2026-11-20",
            "agenda": "Referrals",
            "minutes": "Agreed.",
            "attendees": [alice.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert list(meeting.attendees.all()) == [alice]
    refused = client.post(
        url, {"form": "meeting", "held_on": "2026-11-21", "agenda": "x", "attendees": [bob.pk]}
    )
    assert refused.status_code == 400 and Meeting.objects.count() == 1  # bob is not a member
    client.post(
        url,
        {
            "form": "action",
            "what": "Engage registered social landlords",
            "owner": alice.pk,
            "due_on": "2027-01-31",
        },
    )
    client.post(url, {"form": "action", "what": "  "})
    action = GroupAction.objects.get()
    page = client.get(private.get_absolute_url()).content.decode()
    assert "Engage registered social landlords" in page and "due 31 January 2027" in page
    with django_assert_max_num_queries(12):
        page = client.get(url).content.decode()
    assert "Agreed." in page and "Alice Ward" in page
    client.post(reverse("forum:action_status", args=[private.slug, action.pk]), {"status": "done"})
    assert GroupAction.objects.get().status == ActionStatus.DONE
    # Bob: the private group's meetings do not exist; in the open group he reads, never records.
    client.force_login(bob)
    assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("forum:action_status", args=[private.slug, action.pk]), {"status": "open"}
        ).status_code
        == 404
    )
    open_url = reverse("forum:meetings", args=[national.slug])
    assert "Record a meeting" not in client.get(open_url).content.decode()
    assert client.post(open_url, {"form": "action", "what": "Sneaky"}).status_code == 404
    assert GroupAction.objects.count() == 1


def test_the_group_page_stays_constant_with_many_actions(
    client, groups, alice, bob, django_assert_max_num_queries
):
    national = groups[0]
    owner = UserFactory()
    GroupAction.objects.bulk_create(
        [GroupAction(group=national, what=f"Action {n}", owner=owner) for n in range(50)]
    )
    Meeting.objects.create(group=national, held_on="2026-10-01", agenda="A")
    client.force_login(bob)
    client.get(national.get_absolute_url())
    with django_assert_max_num_queries(12):
        page = client.get(national.get_absolute_url()).content.decode()
    assert "Last meeting: 1 October 2026." in page and "Action 9" in page
