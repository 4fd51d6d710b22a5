"""Changing a case after it was started: the owner edits it and reassigns the lead officer,
contributors correct people's details, the owner withdraws a share. Every change is audited
by field name in its own transaction; forged fields and forged ids change nothing."""

import datetime

import pytest
from django.conf import settings
from django.db import DatabaseError
from django.test import Client
from django.urls import reverse

from accounts import roles
from cases import audit as audit_module
from cases.models import AuditEvent, Case, CaseShare, CaseStatus, ShareLevel, ShareWithdrawal, Subject
from tests.factories import WorkstreamFactory

from .test_access import case_urls_for


def _edit(client, world, **changes):
    case = world.case
    data = {
        "title": case.title,
        "workstream": case.workstream_id,
        "status": case.status,
        "risk_level": case.risk_level,
        "lead_officer": case.lead_officer_id,
        "summary": case.summary,
        **changes,
    }
    return client.post(reverse("cases:edit", args=[case.reference]), data)


def test_the_owner_edits_the_case_and_each_change_is_audited_by_field_name(
    client, world, sign_in, make_user, mailoutbox, django_capture_on_commit_callbacks
):
    colleague = make_user("sam@sussex.police.uk", role=roles.CASE_WORKERS, first_name="Sam")
    sign_in(client, world.alex)
    assert client.get(reverse("cases:edit", args=[world.case.reference])).status_code == 200
    other_stream = WorkstreamFactory(name="Hate crime", slug="hate-crime")
    with django_capture_on_commit_callbacks(execute=True):
        response = _edit(
            client,
            world,
            title="Noise, Hollington estate",
            workstream=other_stream.pk,
            status="closed",
            lead_officer=colleague.pk,
            # Forged: none of these may change.
            owner=world.hastings.pk,
            owner_id=world.hastings.pk,
            reference="ASB-1999-99999",
            scheme=999,
            author=world.dana.pk,
        )
    assert response.status_code == 302
    case = Case.objects.get(pk=world.case.pk)
    assert case.title == "Noise, Hollington estate" and case.workstream == other_stream
    assert case.lead_officer == colleague and case.status == CaseStatus.CLOSED
    assert case.retention_date == datetime.date.today() + datetime.timedelta(
        days=settings.CASES_RETENTION_DAYS
    )
    assert case.owner == world.police and case.reference == world.case.reference
    assert case.scheme == world.scheme
    event = AuditEvent.objects.get(action="update", case_reference=case.reference)
    assert event.user == world.alex and event.organisation == world.police
    assert event.changed_fields == "title, workstream, status, lead_officer"
    assert "Hollington" not in event.changed_fields + event.justification
    # The new lead officer hears of it, without any case data in the e-mail.
    (message,) = [m for m in mailoutbox if colleague.email in m.to]
    assert case.get_absolute_url() in message.body
    assert "Hollington" not in message.body + message.subject
    # Nothing changed: nothing recorded. Reopening clears the retention date.
    client.get(reverse("cases:edit", args=[case.reference]))
    world.case.refresh_from_db()
    _edit(client, world)
    assert AuditEvent.objects.filter(action="update").count() == 1
    _edit(client, world, status="open")
    world.case.refresh_from_db()
    assert world.case.retention_date is None and world.case.closed_at is None


def test_a_lead_officer_who_is_not_a_case_worker_of_the_owner_is_refused(client, world, sign_in, make_user):
    inactive = make_user("gone@sussex.police.uk", role=roles.CASE_WORKERS)
    inactive.is_active = False
    inactive.save(update_fields=["is_active"])
    sign_in(client, world.alex)
    for candidate in (world.dana, world.member, inactive, "nobody"):
        response = _edit(client, world, title="Changed", lead_officer=getattr(candidate, "pk", candidate))
        assert response.status_code == 400
        assert "Choose a case worker of your organisation as the lead officer." in response.content.decode()
    case = Case.objects.get(pk=world.case.pk)
    assert case.lead_officer == world.alex and case.title == world.case.title
    assert not AuditEvent.objects.filter(action="update").exists()


def test_contributors_correct_people_but_only_the_owner_edits_the_case(client, world, sign_in):
    sign_in(client, world.dana)
    url = reverse("cases:subject_edit", args=[world.case.reference, world.subject.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "role": "victim",
            "full_name": "Jordan Testperson-Smith",
            "address": "Ore",
            "added_by": world.dana.pk,
        },
    )
    assert response.status_code == 302
    subject = Subject.objects.get(pk=world.subject.pk)
    assert subject.full_name == "Jordan Testperson-Smith" and subject.address == "Ore"
    assert subject.added_by == world.alex
    event = AuditEvent.objects.get(action="update subject")
    assert event.changed_fields == "full_name, address" and event.organisation == world.hastings
    assert "Jordan" not in event.changed_fields + event.justification + event.path
    # Bad input: a clear message, nothing changed.
    response = client.post(url, {"role": "king", "full_name": ""})
    assert response.status_code == 400
    assert Subject.objects.get(pk=world.subject.pk).full_name == "Jordan Testperson-Smith"
    # The case itself is the owner's; a read-only share corrects nothing.
    assert client.get(reverse("cases:edit", args=[world.case.reference])).status_code == 404
    assert _edit(client, world, title="Taken over").status_code == 404
    CaseShare.objects.filter(case=world.case).update(level=ShareLevel.READ)
    assert client.post(url, {"role": "witness", "full_name": "X"}).status_code == 404
    assert Subject.objects.get(pk=world.subject.pk).role == "victim"
    assert Case.objects.get(pk=world.case.pk).title == world.case.title


def test_withdrawing_a_share_needs_a_reason_and_closes_every_url_to_that_organisation(client, world, sign_in):
    share = CaseShare.objects.get(case=world.case, organisation=world.hastings)
    dana = sign_in(Client(), world.dana)
    assert dana.get(world.case.get_absolute_url()).status_code == 200
    urls = case_urls_for(world)  # ids taken while the share is there
    url = reverse("cases:share_withdraw", args=[world.case.reference, share.pk])
    # Only the owner withdraws.
    assert dana.post(url, {"reason": "We do not need it any more."}).status_code == 404
    sign_in(client, world.alex)
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "short"})
    assert response.status_code == 400 and CaseShare.objects.filter(pk=share.pk).exists()
    response = client.post(url, {"reason": "Shared in error: the flat is not a council tenancy."})
    assert response.status_code == 302
    assert not CaseShare.objects.filter(pk=share.pk).exists()
    withdrawal = ShareWithdrawal.objects.get(case=world.case)
    assert withdrawal.organisation == world.hastings and withdrawal.withdrawn_by == world.alex
    assert withdrawal.shared_reason == "Tenancy enforcement by the council."
    event = AuditEvent.objects.get(action="withdraw share")
    assert event.justification == withdrawal.reason and event.object_id == str(withdrawal.pk)
    page = client.get(world.case.get_absolute_url()).content.decode()
    assert "Shared in error" in page and "Shares withdrawn" in page
    # Hastings: 404 on every case URL at its very next request, each attempt recorded.
    refused = AuditEvent.objects.filter(action="refused", user=world.dana).count()
    for method, case_url in urls:
        response = getattr(dana, method)(case_url, {"body": "x", "reason": "y" * 20, "full_name": "Z"})
        assert response.status_code == 404, case_url
    assert AuditEvent.objects.filter(action="refused", user=world.dana).count() == refused + len(urls)
    assert world.case.reference not in dana.get(reverse("cases:list")).content.decode()
    # Withdrawing again: 404, the share is gone.
    assert client.post(url, {"reason": "Shared in error, again."}).status_code == 404


def test_ids_of_another_case_under_this_case_reference_are_404(client, world, sign_in):
    """Lewes owns case B; its ids sent under case A's reference (which Alex may change)."""
    from cases import services

    from .conftest import as_viewer

    lee = as_viewer(world.lee)
    other = services.case_create(
        viewer=lee,
        workstream=world.workstream,
        title="Case B",
        summary="",
        risk_level="low",
        scheme=world.scheme,
    )
    subject = services.subject_add(viewer=lee, case=other, role="witness", full_name="Bea Other")
    share = services.case_share(
        viewer=lee, case=other, organisation=world.police, level="read", reason="For the police to read."
    )
    action = services.action_add(
        viewer=lee,
        case=other,
        description="B's action",
        assigned_organisation=world.lewes,
        assigned_to=None,
        due_date=datetime.date(2026, 12, 31),
    )
    ref = world.case.reference
    sign_in(client, world.alex)
    forged = [
        ("post", reverse("cases:subject_edit", args=[ref, subject.pk]), {"role": "victim", "full_name": "X"}),
        ("post", reverse("cases:share_withdraw", args=[ref, share.pk]), {"reason": "Withdrawn by forgery"}),
        ("post", reverse("cases:action_status", args=[ref, action.pk]), {"status": "done"}),
        ("get", reverse("cases:attachment", args=[ref, 10**6]), {}),
    ]
    for method, url, data in forged:
        assert getattr(client, method)(url, data).status_code == 404, url
    assert Subject.objects.get(pk=subject.pk).full_name == "Bea Other"
    assert CaseShare.objects.filter(pk=share.pk).exists()
    action.refresh_from_db()
    assert action.status == "to_do"
    # And case A's attachment under case B's reference (which Alex may read): 404.
    url = reverse("cases:attachment", args=[other.reference, world.attachment.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("what", ["edit", "subject", "withdraw"])
def test_a_change_whose_audit_record_cannot_be_written_is_refused(client, world, sign_in, monkeypatch, what):
    sign_in(client, world.alex)
    share = CaseShare.objects.get(case=world.case)

    def broken(**fields):
        raise DatabaseError("audit table unavailable")

    monkeypatch.setattr(audit_module, "_write", broken)
    if what == "edit":
        response = _edit(client, world, title="Not recorded")
    elif what == "subject":
        url = reverse("cases:subject_edit", args=[world.case.reference, world.subject.pk])
        response = client.post(url, {"role": "victim", "full_name": "Not recorded"})
    else:
        url = reverse("cases:share_withdraw", args=[world.case.reference, share.pk])
        response = client.post(url, {"reason": "Not recorded, so not withdrawn."})
    assert response.status_code == 503
    assert Case.objects.get(pk=world.case.pk).title == world.case.title
    assert Subject.objects.get(pk=world.subject.pk).full_name == world.subject.full_name
    assert CaseShare.objects.filter(pk=share.pk).exists() and not ShareWithdrawal.objects.exists()


def test_the_change_pages_run_a_constant_number_of_queries(
    client, world, sign_in, django_assert_max_num_queries
):
    sign_in(client, world.alex)
    share = CaseShare.objects.get(case=world.case)
    urls = [
        reverse("cases:edit", args=[world.case.reference]),
        reverse("cases:subject_edit", args=[world.case.reference, world.subject.pk]),
        reverse("cases:share_withdraw", args=[world.case.reference, share.pk]),
    ]
    for url in urls:
        client.get(url)  # warm the viewer's caches
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200


def test_a_share_withdrawn_before_the_commit_sends_no_email(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    """The e-mail about a new share is written after the commit, to organisations that still
    have the share then: one made and withdrawn in the same transaction tells nobody."""
    from cases import services

    from .conftest import as_viewer

    alex = as_viewer(world.alex)
    with django_capture_on_commit_callbacks(execute=True):
        share = services.case_share(
            viewer=alex,
            case=world.case,
            organisation=world.lewes,
            level=ShareLevel.READ,
            reason="Shared by mistake.",
        )
        services.share_withdraw(
            viewer=alex, case=world.case, share=share, reason="Shared in error, withdrawn."
        )
    assert [m for m in mailoutbox if world.lee.email in m.to] == []
