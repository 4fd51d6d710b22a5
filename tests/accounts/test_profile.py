import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_profile_needs_sign_in(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_member_updates_details_and_preferences(client, member):
    client.force_login(member)
    page = client.get(reverse("accounts:profile"))
    assert "Sussex Police" in page.content.decode()
    response = client.post(
        reverse("accounts:profile"),
        {
            "first_name": "Samira",
            "last_name": "Taylor",
            "job_title": "Inspector",
            "digest_frequency": "daily",
        },
    )
    assert response.status_code == 302
    member.refresh_from_db()
    assert (member.first_name, member.job_title, member.digest_frequency, member.notify_by_email) == (
        "Samira",
        "Inspector",
        "daily",
        False,
    )


def test_invalid_profile_shows_errors_and_saves_nothing(client, member):
    client.force_login(member)
    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "Samira", "last_name": "Taylor", "job_title": "x", "digest_frequency": "hourly"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "There is a problem" in body
    assert 'aria-invalid="true"' in body
    member.refresh_from_db()
    assert member.first_name == "Sam"


def test_pending_account_sees_its_status(client, make_user):
    pending = make_user("new@sussex.police.uk", approved=False, role=None)
    client.force_login(pending)
    assert "Awaiting approval" in client.get(reverse("accounts:profile")).content.decode()


def test_name_is_required(client, member):
    client.force_login(member)
    response = client.post(
        reverse("accounts:profile"),
        {"first_name": "", "last_name": "Taylor", "job_title": "x", "digest_frequency": "daily"},
    )
    assert response.status_code == 200
    assert 'href="#id_first_name"' in response.content.decode()
    member.refresh_from_db()
    assert member.first_name == "Sam"
