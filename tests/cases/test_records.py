"""Attachments, the audit log (append-only, and no record means no action), append-only
notes, retention, the subject access export, constant queries, and no case data in the
admin or the search index."""

import datetime
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.search import index
from wagtail.snippets.models import get_snippet_models

from cases import audit as audit_module
from cases import models as case_models
from cases.models import AppendOnly, Attachment, AuditEvent, Case, CaseStatus, Note
from cases.services import case_create, next_reference

from .conftest import PDF, as_viewer


def _stored_files() -> set[str]:
    return {
        os.path.join(root, name)
        for root, _dirs, names in os.walk(settings.CASES_PRIVATE_ROOT)
        for name in names
    }


def _upload(client, world, name, content):
    return client.post(
        reverse("cases:attachment_add", args=[world.case.reference]),
        {"file": SimpleUploadedFile(name, content), "description": "Statement"},
    )


def test_attachments_are_stored_privately_and_served_only_through_the_checked_view(client, world, sign_in):
    sign_in(client, world.dana)
    response = _upload(client, world, "photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    assert response.status_code == 302
    attachment = Attachment.objects.get(name="photo.png")
    path = Path(attachment.file.path).resolve()
    assert str(path).startswith(str(Path(settings.CASES_PRIVATE_ROOT).resolve()))
    assert not str(path).startswith(str(Path(settings.MEDIA_ROOT).resolve()))
    assert attachment.organisation == world.hastings and attachment.uploaded_by == world.dana
    download = client.get(reverse("cases:attachment", args=[world.case.reference, attachment.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in download["Content-Disposition"] and "no-store" in download["Cache-Control"]
    assert AuditEvent.objects.filter(
        action="download", object_id=str(attachment.pk), user=world.dana
    ).exists()


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("statement.pdf", b"<html><script>alert(1)</script></html>", "contents are not"),
        ("photo.jpg", b"%PDF-1.4 not a jpeg", "contents are not"),
        ("report.docx", b"PK\x03\x04 not really a zip", "contents are not"),
        ("tool.exe", b"MZ\x90\x00", "must be a PDF"),
        ("empty.txt", b"", "empty"),
    ],
)
def test_mislabelled_or_unwanted_files_are_refused(client, world, sign_in, name, content, message):
    sign_in(client, world.alex)
    before = _stored_files()
    response = _upload(client, world, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Attachment.objects.count() == 1  # the fixture's only
    assert _stored_files() == before


def test_oversized_files_are_refused(client, world, sign_in, settings):
    settings.CASES_MAX_ATTACHMENT_SIZE = 1024
    sign_in(client, world.alex)
    response = _upload(client, world, "big.pdf", PDF + b"0" * 2048)
    assert response.status_code == 400
    assert "must be smaller than" in response.content.decode()
    assert Attachment.objects.count() == 1


def test_if_the_audit_record_cannot_be_written_the_action_is_refused(client, world, sign_in, monkeypatch):
    sign_in(client, world.alex)

    def broken(**fields):
        raise DatabaseError("audit table unavailable")

    monkeypatch.setattr(audit_module, "_write", broken)
    response = client.post(reverse("cases:note_add", args=[world.case.reference]), {"body": "Not recorded"})
    assert response.status_code == 503
    assert not Note.objects.filter(body="Not recorded").exists()
    view = client.get(world.case.get_absolute_url())
    assert view.status_code == 503
    assert world.subject.full_name not in view.content.decode()
    share = client.post(
        reverse("cases:share", args=[world.case.reference]),
        {"organisation": world.lewes.pk, "level": "read", "reason": "For the noise team"},
    )
    assert share.status_code == 503
    assert not world.case.shares.filter(organisation=world.lewes).exists()


def test_notes_and_audit_records_cannot_be_changed_or_deleted(world):
    note = world.note
    note.body = "Rewritten"
    with pytest.raises(AppendOnly):
        note.save()
    with pytest.raises(AppendOnly):
        note.delete()
    with pytest.raises(AppendOnly):
        Note.objects.filter(pk=note.pk).update(body="Rewritten")
    event = AuditEvent.objects.first()
    with pytest.raises(AppendOnly):
        event.save()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().delete()
    with pytest.raises(AppendOnly):
        AuditEvent.objects.all().update(action="nothing")


def test_a_correction_is_a_new_note_that_refers_to_the_old(client, world, sign_in):
    sign_in(client, world.dana)
    url = reverse("cases:note_add", args=[world.case.reference])
    assert client.get(url + f"?corrects={world.note.pk}").status_code == 200
    client.post(url, {"body": "Second visit, not first.", "corrects": world.note.pk})
    correction = Note.objects.get(body="Second visit, not first.")
    assert correction.corrects == world.note
    assert Note.objects.get(pk=world.note.pk).body == "First visit made."
    other = case_create(
        viewer=as_viewer(world.alex),
        workstream=world.workstream,
        title="Another",
        summary="",
        risk_level="low",
        scheme=world.scheme,
    )
    foreign = Note.objects.create(case=other, body="Elsewhere", author=world.alex, organisation=world.police)
    response = client.post(url, {"body": "Wrong case", "corrects": foreign.pk})
    assert response.status_code == 400 and not Note.objects.filter(body="Wrong case").exists()


def test_closing_sets_a_retention_date_and_the_command_deletes_expired_cases(client, world, sign_in):
    sign_in(client, world.alex)
    client.post(
        reverse("cases:update", args=[world.case.reference]), {"status": "closed", "risk_level": "low"}
    )
    case = Case.objects.get(pk=world.case.pk)
    assert case.status == CaseStatus.CLOSED
    assert case.retention_date == datetime.date.today() + datetime.timedelta(
        days=settings.CASES_RETENTION_DAYS
    )
    stored = Path(world.attachment.file.path)
    assert stored.exists()
    call_command("cases_retention", today=case.retention_date.isoformat())
    assert Case.objects.filter(pk=case.pk).exists()  # not yet past it
    call_command("cases_retention", today=(case.retention_date + datetime.timedelta(days=1)).isoformat())
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not Note.objects.filter(case_id=case.pk).exists()
    assert not Attachment.objects.filter(case_id=case.pk).exists()
    assert not stored.exists()
    record = AuditEvent.objects.get(action="delete (retention)")
    assert record.case_reference == case.reference and record.user is None


def test_subject_access_export_gathers_what_the_organisation_may_see(client, world, sign_in):
    sign_in(client, world.dana)
    data = {"name": "jordan testperson", "justification": "SAR-2026-7"}
    page = client.post(reverse("cases:subject_access"), data)
    assert page.status_code == 200
    text = page.content.decode()
    assert world.case.reference in text and "First visit made." in text and "Visit the neighbours" in text
    export = client.post(reverse("cases:subject_access"), {**data, "format": "json"})
    assert export["Content-Disposition"].startswith("attachment")
    (record,) = export.json()["records"]
    assert record["subject"]["full_name"] == "Jordan Testperson" and record["subject"]["role"] == "victim"
    assert record["notes"][0]["text"] == "First visit made."
    assert AuditEvent.objects.filter(action="subject access export", justification="SAR-2026-7").count() == 2
    assert client.post(reverse("cases:subject_access"), {"name": "Jordan"}).status_code == 400


def _bulk_cases(world, count, prefix):
    Case.objects.bulk_create(
        [
            Case(
                reference=f"{prefix}-{n:06d}",
                workstream=world.workstream,
                title=f"Bulk case {n}",
                owner=world.police if n % 2 else world.hastings,
                lead_officer=world.alex,
                scheme=world.scheme,
            )
            for n in range(count)
        ]
    )


def test_the_case_list_runs_the_same_queries_for_5_or_50_cases(
    client, world, sign_in, django_assert_max_num_queries
):
    sign_in(client, world.alex)
    client.get(reverse("cases:list"))  # warm the viewer's caches
    counts = []
    for prefix, count in (("FEW", 4), ("MANY", 45)):
        _bulk_cases(world, count, prefix)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("cases:list") + "?page=1")
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(12):
        client.get(reverse("cases:list") + "?status=open&q=Bulk&page=2")
    with django_assert_max_num_queries(16):
        client.get(world.case.get_absolute_url())


def test_references_count_up_per_workstream_and_year(db):
    year = datetime.date.today().year
    first, second = next_reference("ASB", year), next_reference("ASB", year)
    assert first == f"ASB-{year}-00001" and second == f"ASB-{year}-00002"
    assert next_reference("HC", year) == f"HC-{year}-00001"


def test_no_case_data_in_the_admin_or_the_search_index():
    models = [
        getattr(case_models, name)
        for name in (
            "Case",
            "Subject",
            "Note",
            "Action",
            "Attachment",
            "CaseShare",
            "AuditEvent",
            "MoUAcceptance",
        )
    ]
    for model in models:
        assert model not in admin.site._registry
        assert model not in get_snippet_models()
        assert not issubclass(model, index.Indexed)


def test_the_list_pages_without_counting_and_finds_a_case_by_its_reference(client, world, sign_in):
    _bulk_cases(world, 60, "ASB-2025")  # half of them Sussex Police's
    sign_in(client, world.alex)
    first = client.get(reverse("cases:list")).content.decode()
    assert 'rel="next"' in first and "Page 1" in first
    last = client.get(reverse("cases:list") + "?page=2").content.decode()
    assert 'rel="next"' not in last and 'rel="prev"' in last
    found = client.get(reverse("cases:list") + f"?q={world.case.reference.lower()}").content.decode()
    assert world.case.reference in found and "ASB-2025-000001" not in found
    assert client.get(reverse("cases:list") + "?page=99999999999999999999").status_code == 200
    event = AuditEvent.objects.filter(action="search", user=world.alex).first()
    assert world.case.reference.lower() in event.justification
