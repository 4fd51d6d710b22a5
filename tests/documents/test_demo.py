"""The demo loader: real files, two versions with changes, idempotent."""

import io

import pytest

from documents.demo import load_demo_documents
from documents.models import DocumentLibraryPage, DocumentStatus, ExtractionStatus, GovernanceDocument


@pytest.mark.django_db
def test_demo_creates_the_library_and_is_safe_to_run_twice(django_capture_on_commit_callbacks, caplog):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_documents(stdout=io.StringIO())
    # Nothing alarming on a first run (make demo prints what is logged).
    assert [r.getMessage() for r in caplog.records if r.levelname in ("WARNING", "ERROR")] == []
    assert DocumentLibraryPage.objects.count() == 1
    documents = {(d.title, d.version_label): d for d in GovernanceDocument.objects.all()}
    assert len(documents) == 6
    first = documents[("Pan-Sussex Memorandum of Understanding", "1.0")]
    second = documents[("Pan-Sussex Memorandum of Understanding", "2.0")]
    assert first.file.name.endswith(".docx") and second.file.name.endswith(".pdf")
    assert first.status == DocumentStatus.SUPERSEDED and second.status == DocumentStatus.AGREED
    assert second.replaces == first and second.family == first.family
    assert all(d.extraction.status == ExtractionStatus.DONE for d in documents.values())
    assert "three years" in second.extraction.text and "six years" in first.extraction.text

    state = sorted(GovernanceDocument.objects.values_list("pk", "updated_at", "status", "file"))
    output = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        load_demo_documents(stdout=output)
    assert sorted(GovernanceDocument.objects.values_list("pk", "updated_at", "status", "file")) == state
    assert "created" not in output.getvalue()
