import pytest
from django.core import mail
from django.urls import reverse

from accounts import roles
from accounts.models import ApprovalStatus
from schemes.models import Organisation, OrganisationKind, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def approver(make_user):
    return make_user("approver@sussex.police.uk", is_organisation_approver=True)


@pytest.fixture
def applicant(make_user):
    return make_user("applicant@sussex.police.uk", approved=False, role=None)


def decide(client, account, decision, capture, **headers):
    with capture(execute=True):
        return client.post(
            reverse("accounts:approval_decide", args=[account.pk]), {"decision": decision}, **headers
        )


def test_approver_sees_and_approves_own_organisation(
    client, approver, applicant, django_capture_on_commit_callbacks
):
    client.force_login(approver)
    page = client.get(reverse("accounts:approvals"))
    assert applicant.email in page.content.decode()

    response = decide(client, applicant, "approve", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.approval_status == ApprovalStatus.APPROVED
    assert applicant.approval_decided_by == approver
    assert applicant.groups.filter(name=roles.MEMBERS).exists()
    assert [m.to for m in mail.outbox] == [[applicant.email]]
    assert "approved" in mail.outbox[0].subject


def test_rejection_keeps_account_out_of_members(
    client, approver, applicant, django_capture_on_commit_callbacks
):
    client.force_login(approver)
    decide(client, applicant, "reject", django_capture_on_commit_callbacks)
    applicant.refresh_from_db()
    assert applicant.approval_status == ApprovalStatus.REJECTED
    assert not applicant.groups.filter(name=roles.MEMBERS).exists()


def test_decision_cannot_be_taken_twice(client, approver, applicant, django_capture_on_commit_callbacks):
    client.force_login(approver)
    decide(client, applicant, "approve", django_capture_on_commit_callbacks)
    response = decide(client, applicant, "reject", django_capture_on_commit_callbacks)
    applicant.refresh_from_db()
    assert applicant.approval_status == ApprovalStatus.APPROVED
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("already been decided" in m for m in messages)


def test_bad_decision_value_changes_nothing(client, approver, applicant, django_capture_on_commit_callbacks):
    client.force_login(approver)
    decide(client, applicant, "maybe", django_capture_on_commit_callbacks)
    applicant.refresh_from_db()
    assert applicant.approval_status == ApprovalStatus.PENDING


def test_member_who_is_not_an_approver_gets_404(client, make_user, applicant):
    client.force_login(make_user("plain@sussex.police.uk"))
    assert client.get(reverse("accounts:approvals")).status_code == 404
    response = client.post(reverse("accounts:approval_decide", args=[applicant.pk]), {"decision": "approve"})
    assert response.status_code == 404
    applicant.refresh_from_db()
    assert applicant.approval_status == ApprovalStatus.PENDING


def test_approver_of_another_organisation_gets_404(client, make_user, applicant):
    other = Organisation.objects.create(
        name="Hastings Borough Council", kind=OrganisationKind.DISTRICT_COUNCIL, region=Region.SOUTH_EAST
    )
    outsider = make_user("approver@hastings.gov.uk", organisation_=other, is_organisation_approver=True)
    client.force_login(outsider)
    assert applicant.email not in client.get(reverse("accounts:approvals")).content.decode()
    response = client.post(reverse("accounts:approval_decide", args=[applicant.pk]), {"decision": "approve"})
    assert response.status_code == 404
    applicant.refresh_from_db()
    assert applicant.approval_status == ApprovalStatus.PENDING


def test_national_editor_may_approve_any_organisation(
    client, make_user, applicant, django_capture_on_commit_callbacks
):
    other = Organisation.objects.create(
        name="Office of the PCC", kind=OrganisationKind.PCC_OFFICE, region=Region.SOUTH_EAST
    )
    editor = make_user("editor@sussex-pcc.gov.uk", organisation_=other, role=roles.NATIONAL_EDITORS)
    client.force_login(editor)
    decide(client, applicant, "approve", django_capture_on_commit_callbacks)
    applicant.refresh_from_db()
    assert applicant.is_approved


def test_nobody_approves_themselves(client, make_user, django_capture_on_commit_callbacks):
    editor = make_user("editor@sussex.police.uk", approved=False, role=roles.NATIONAL_EDITORS)
    client.force_login(editor)
    response = decide(client, editor, "approve", django_capture_on_commit_callbacks)
    assert response.status_code == 404
    editor.refresh_from_db()
    assert not editor.is_approved


def test_unverified_accounts_are_not_listed(client, approver, applicant):
    applicant.emailaddress_set.update(verified=False)
    client.force_login(approver)
    assert applicant.email not in client.get(reverse("accounts:approvals")).content.decode()


def test_organisation_without_approver_falls_back_to_national_administrators(
    make_user, django_capture_on_commit_callbacks, db
):
    from accounts.services import account_request_approval

    editor = make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS)
    applicant = make_user("new@sussex.police.uk", approved=False, role=None)
    with django_capture_on_commit_callbacks(execute=True):
        account_request_approval(account=applicant)
    assert [m.to for m in mail.outbox] == [[editor.email]]


def test_htmx_decision_replaces_the_row(client, approver, applicant, django_capture_on_commit_callbacks):
    client.force_login(approver)
    response = decide(
        client, applicant, "approve", django_capture_on_commit_callbacks, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="account-{applicant.pk}"' in body and "is approved" in body
    applicant.refresh_from_db()
    assert applicant.is_approved


def test_service_refuses_to_approve_an_unverified_address(
    approver, applicant, django_capture_on_commit_callbacks
):
    from accounts.services import ApprovalError, account_decide

    applicant.emailaddress_set.update(verified=False)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ApprovalError) as refused:
        account_decide(account=applicant, approver=approver, approve=True)
    assert "has not been verified" in str(refused.value)
    applicant.refresh_from_db()
    assert applicant.approval_status == ApprovalStatus.PENDING
    assert applicant.approval_decided_by is None
    assert not applicant.groups.filter(name=roles.MEMBERS).exists()
    assert mail.outbox == []


def test_service_refuses_an_account_whose_address_was_never_recorded(
    approver, applicant, django_capture_on_commit_callbacks
):
    from accounts.services import ApprovalError, account_decide

    applicant.emailaddress_set.all().delete()
    with pytest.raises(ApprovalError):
        account_decide(account=applicant, approver=approver, approve=True)
    applicant.refresh_from_db()
    assert applicant.approval_status == ApprovalStatus.PENDING


def test_approving_an_unverified_address_is_refused_without_javascript(
    client, approver, applicant, django_capture_on_commit_callbacks
):
    applicant.emailaddress_set.update(verified=False)
    client.force_login(approver)
    response = decide(client, applicant, "approve", django_capture_on_commit_callbacks)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "cannot be approved yet" in page and "has not been verified" in page
    applicant.refresh_from_db()
    assert applicant.approval_status == ApprovalStatus.PENDING
    assert not applicant.groups.filter(name=roles.MEMBERS).exists()
    assert mail.outbox == []


def test_approving_an_unverified_address_is_refused_with_htmx(
    client, approver, applicant, django_capture_on_commit_callbacks
):
    applicant.emailaddress_set.update(verified=False)
    client.force_login(approver)
    response = decide(
        client, applicant, "approve", django_capture_on_commit_callbacks, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert f'id="account-{applicant.pk}"' in body
    assert "has not been verified" in body and 'role="alert"' in body
    applicant.refresh_from_db()
    assert applicant.approval_status == ApprovalStatus.PENDING
    assert mail.outbox == []
