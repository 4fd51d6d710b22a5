"""Start-a-scheme requests: every bad input refused with a clear message and nothing saved, the
rate limit, the honeypot, the national administrators' queue, and acceptance letting the new
organisation's staff sign up."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from onboarding.models import RequestStatus, StartSchemeRequest
from onboarding.services import SchemeRequestError, scheme_request_accept, scheme_request_decline
from schemes.models import Organisation, OrganisationEmailDomain, OrganisationKind, Region
from tests.accounts.test_signup import signup_data

pytestmark = pytest.mark.django_db

URL = "/onboarding/start-a-scheme/"


def data(**overrides):
    values = {
        "organisation_name": "Cumbria County Council",
        "kind": OrganisationKind.COUNTY_COUNCIL,
        "region": Region.NORTH_WEST,
        "area": "Cumbria",
        "email_domain": "cumbria.gov.uk",
        "contact_name": "Morgan Hale",
        "contact_email": "morgan.hale@cumbria.gov.uk",
        "plans": "Anti-social behaviour first, with the constabulary and the districts.",
        "website": "",
    }
    return values | overrides


@pytest.fixture
def send(client, django_capture_on_commit_callbacks):
    def post(**overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(URL, data(**overrides))

    return post


def test_the_form_and_what_happens_next(client, send, national_editor, make_user):
    make_user("nobody@sussex.police.uk")  # a member: not told
    page = client.get(URL)
    assert page.status_code == 200 and "Ask to start a scheme" in page.content.decode()
    response = send()
    assert (
        response.status_code == 302
        and response["Location"] == "/onboarding/start-a-scheme/what-happens-next/"
    )
    saved = StartSchemeRequest.objects.get()
    assert (saved.status, saved.email_domain, saved.contact_email) == (
        RequestStatus.PENDING,
        "cumbria.gov.uk",
        "morgan.hale@cumbria.gov.uk",
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [national_editor.email]
    assert "Cumbria County Council" in mail.outbox[0].subject
    assert f"/admin/scheme_requests/inspect/{saved.pk}/" in mail.outbox[0].body
    assert "What happens next" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"email_domain": "gmail.com", "contact_email": "morgan@gmail.com"},
            "gmail.com is a personal e-mail provider",
        ),
        ({"email_domain": "hotmail.co.uk", "contact_email": "m@hotmail.co.uk"}, "personal e-mail provider"),
        ({"email_domain": "yahoo.fr", "contact_email": "m@yahoo.fr"}, "personal e-mail provider"),
        ({"email_domain": "btinternet.com", "contact_email": "m@btinternet.com"}, "personal e-mail provider"),
        (
            {"email_domain": "sussex.police.uk", "contact_email": "m@sussex.police.uk"},
            "already belongs to a partner",
        ),
        (
            {"email_domain": "east.sussex.police.uk", "contact_email": "m@east.sussex.police.uk"},
            "already belongs",
        ),
        ({"email_domain": "not a domain"}, "Enter a domain such as"),
        ({"email_domain": "morgan@cumbria.gov.uk"}, "Enter only the part after the @"),
        ({"contact_email": "morgan@elsewhere.gov.uk"}, "Enter an e-mail address at cumbria.gov.uk"),
        ({"contact_email": "not-an-address"}, "Enter an e-mail address in the correct format"),
        ({"organisation_name": "Sussex Police"}, "Sussex Police is already a partner organisation"),
        ({"organisation_name": ""}, "Enter the name of your organisation"),
        ({"kind": ""}, "Choose what kind of organisation it is"),
        ({"kind": "supplier"}, "Select a valid choice"),
        ({"region": "atlantis"}, "Select a valid choice"),
        ({"plans": ""}, "Tell us what you plan"),
        ({"plans": "x" * 3001}, "at most 3000 characters"),
        ({"organisation_name": "<script>alert(1)</script>"}, "Remove the HTML from organisation name"),
        ({"area": "<b>Cumbria</b>"}, "Remove the HTML from area"),
        ({"contact_name": "<img src=x onerror=alert(1)>"}, "Remove the HTML from your name"),
        ({"plans": "We plan <a href='x'>this</a>"}, "Remove the HTML from what you plan"),
    ],
)
def test_bad_input_gets_a_clear_message_and_nothing_is_saved(send, organisation, overrides, message):
    response = send(**overrides)
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html.replace("&#x27;", "'")
    assert "There is a problem" in html
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert not StartSchemeRequest.objects.exists()
    assert not mail.outbox


def test_a_domain_with_a_pending_request_is_refused(send):
    send()
    response = send(organisation_name="Cumbria Fire", contact_email="chief@cumbria.gov.uk")
    assert "A request for cumbria.gov.uk is already waiting for a decision" in response.content.decode()
    assert StartSchemeRequest.objects.count() == 1


def test_the_domain_is_normalised(send):
    send(email_domain=" @WWW.Cumbria.GOV.uk ", contact_email="Morgan.Hale@Cumbria.gov.uk")
    saved = StartSchemeRequest.objects.get()
    assert (saved.email_domain, saved.contact_email) == ("cumbria.gov.uk", "morgan.hale@cumbria.gov.uk")


def test_the_honeypot_gets_the_same_thank_you_and_saves_nothing(send, national_editor):
    response = send(website="http://spam.example")
    assert response.status_code == 302 and response["Location"].endswith("/what-happens-next/")
    assert not StartSchemeRequest.objects.exists()
    assert not mail.outbox


def test_requests_are_rate_limited_per_client_address(client, settings, send):
    settings.ONBOARDING_REQUESTS_PER_ADDRESS = 2
    send(email_domain="a.gov.uk", contact_email="x@a.gov.uk", organisation_name="A")
    send(email_domain="b.gov.uk", contact_email="x@b.gov.uk", organisation_name="B")
    response = send(email_domain="c.gov.uk", contact_email="x@c.gov.uk", organisation_name="C")
    assert response.status_code == 429 and "Retry-After" in response
    assert "Too many requests" in response.content.decode()
    assert StartSchemeRequest.objects.count() == 2
    # Another address is not held back.
    other = client.post(
        URL,
        data(email_domain="d.gov.uk", contact_email="x@d.gov.uk", organisation_name="D"),
        REMOTE_ADDR="10.9.8.7",
    )
    assert other.status_code == 302
    assert StartSchemeRequest.objects.count() == 3


def test_the_sign_up_refusal_points_to_the_request(client, organisation):
    response = client.post(reverse("account_signup"), signup_data(email="jo@cumbria.gov.uk"))
    html = response.content.decode()
    assert "No partner organisation uses the e-mail domain cumbria.gov.uk" in html
    assert "ask to start a scheme at /onboarding/start-a-scheme/" in html
    assert "steering group" not in html


# Deciding --------------------------------------------------------------------------------------


@pytest.fixture
def pending(send):
    send()
    mail.outbox.clear()
    return StartSchemeRequest.objects.get()


def accept_url(pk):
    return reverse("scheme_requests:accept", args=[pk])


def test_accepting_creates_the_organisation_and_then_its_staff_can_sign_up(
    client, pending, national_editor, django_capture_on_commit_callbacks
):
    client.force_login(national_editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(accept_url(pending.pk))
    assert response.status_code == 302
    pending.refresh_from_db()
    organisation = Organisation.objects.get(name="Cumbria County Council")
    assert (organisation.kind, organisation.region) == (OrganisationKind.COUNTY_COUNCIL, Region.NORTH_WEST)
    assert list(organisation.email_domains.values_list("domain", flat=True)) == ["cumbria.gov.uk"]
    assert (pending.status, pending.organisation, pending.decided_by) == (
        RequestStatus.ACCEPTED,
        organisation,
        national_editor,
    )
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["morgan.hale@cumbria.gov.uk"]
    assert "/accounts/signup/" in mail.outbox[0].body
    client.logout()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), signup_data(email="jo.smith@cumbria.gov.uk"))
    assert response.status_code == 302, response.content.decode()[:3000]
    person = User.objects.get(email="jo.smith@cumbria.gov.uk")
    assert person.organisation == organisation and not person.is_approved


def test_accepting_twice_changes_nothing(
    client, pending, national_editor, django_capture_on_commit_callbacks
):
    client.force_login(national_editor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(accept_url(pending.pk))
        response = client.post(accept_url(pending.pk), follow=True)
    assert "This request has already been accepted: nothing was changed." in response.content.decode()
    assert Organisation.objects.filter(name="Cumbria County Council").count() == 1
    assert OrganisationEmailDomain.objects.filter(domain="cumbria.gov.uk").count() == 1
    assert len(mail.outbox) == 1


def test_a_domain_taken_meanwhile_is_refused_and_nothing_changes(pending, national_editor):
    other = Organisation.objects.create(
        name="Cumbria Shared Services", kind="other", region=Region.NORTH_WEST
    )
    OrganisationEmailDomain.objects.create(organisation=other, domain="cumbria.gov.uk")
    with pytest.raises(SchemeRequestError, match="already belongs to Cumbria Shared Services"):
        scheme_request_accept(request_id=pending.pk, decided_by=national_editor)
    pending.refresh_from_db()
    assert pending.status == RequestStatus.PENDING
    assert not Organisation.objects.filter(name="Cumbria County Council").exists()


def test_declining_needs_a_reason_and_tells_the_requester(
    client, pending, national_editor, django_capture_on_commit_callbacks
):
    client.force_login(national_editor)
    url = reverse("scheme_requests:decline", args=[pending.pk])
    response = client.post(url, {"reason": "  "}, follow=True)
    assert "Give a reason for declining" in response.content.decode()
    pending.refresh_from_db()
    assert pending.status == RequestStatus.PENDING
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"reason": "Cumbria already has a scheme: join it through the constabulary."})
    pending.refresh_from_db()
    assert pending.status == RequestStatus.DECLINED
    assert len(mail.outbox) == 1 and "join it through the constabulary" in mail.outbox[0].body
    with pytest.raises(SchemeRequestError):
        scheme_request_decline(request_id=pending.pk, decided_by=national_editor, reason="again")
    assert not Organisation.objects.filter(name="Cumbria County Council").exists()


def test_the_queue_is_for_national_administrators_only(client, pending, national_editor, contributor, member):
    client.force_login(national_editor)
    listing = client.get("/admin/scheme_requests/")
    assert listing.status_code == 200 and "Cumbria County Council" in listing.content.decode()
    inspect = client.get(f"/admin/scheme_requests/inspect/{pending.pk}/")
    assert inspect.status_code == 200 and "Accept and add the organisation" in inspect.content.decode()
    assert client.get(f"/admin/scheme_requests/edit/{pending.pk}/").status_code in (302, 403)
    assert client.get("/admin/scheme_requests/new/").status_code in (302, 403)
    for person in (contributor, member):
        client.force_login(person)
        assert client.get("/admin/scheme_requests/").status_code in (302, 403)
        assert client.post(accept_url(pending.pk)).status_code in (302, 403)
        pending.refresh_from_db()
        assert pending.status == RequestStatus.PENDING
    assert not Organisation.objects.filter(name="Cumbria County Council").exists()
