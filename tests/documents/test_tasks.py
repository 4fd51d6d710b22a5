"""Background work of the document library: which task backend runs it, and that no document
is left waiting forever whatever happens to the process reading it."""

import datetime
import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x" * 50,
    "ALLOWED_HOSTS": "forum.example.org",
    "SITE_URL": "https://forum.example.org",
    "DATABASE_URL": "sqlite:///:memory:",
}


def _production_tasks(**env) -> dict:
    environment = {k: v for k, v in os.environ.items() if k != "TASKS_BACKEND"}
    environment.update(PRODUCTION_ENV, **env)
    code = "import json, django; django.setup(); from django.conf import settings; print(json.dumps(settings.TASKS))"
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_queues_background_work_in_the_database_by_default():
    """Production never reads a file inside a web request: the database backend, run by
    ``manage.py db_worker``, is the default."""
    assert _production_tasks()["default"]["BACKEND"] == "django_tasks_db.backend.DatabaseBackend"


def test_production_backend_can_still_be_chosen():
    tasks = _production_tasks(TASKS_BACKEND="django_tasks.backends.dummy.DummyBackend")
    assert tasks["default"]["BACKEND"] == "django_tasks.backends.dummy.DummyBackend"


@pytest.mark.parametrize("module", ["config.settings.test", "config.settings.dev"])
def test_tests_and_development_run_tasks_at_once(module):
    from importlib import import_module

    assert (
        import_module(module).TASKS["default"]["BACKEND"]
        == "django_tasks.backends.immediate.ImmediateBackend"
    )


# --- No document is left "waiting" or "being read" for ever ---------------------------------

SLOW_READER = "import time\ntime.sleep(60)\n"
# The reader starts a process of its own (it notes its id beside the file): killing the reader
# alone would leave that one running, and holding the output pipe, for the whole minute.
SLOW_READER_WITH_CHILD = (
    "import os, sys, time\n"
    "if os.fork() == 0:\n"
    "    open(sys.argv[1] + '.child', 'w').write(str(os.getpid()))\n"
    "time.sleep(60)\n"
)
CRASHING_READER = "import os, signal\nos.kill(os.getpid(), signal.SIGSEGV)\n"
KILLED_READER = "import os, signal\nos.kill(os.getpid(), signal.SIGTERM)\n"
BY_TASK_CASES = pytest.mark.parametrize(
    ("source", "message"),
    [(SLOW_READER, "took longer than 1 seconds"), (CRASHING_READER, "stopped unexpectedly")],
    ids=["timeout", "killed"],
)
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


@pytest.fixture
def fake_reader(tmp_path, monkeypatch):
    """Swap the child process's reader for a script (a PDF that takes a minute to read, a
    reader that crashes...): everything around it runs as it does for real files."""

    def install(source: str):
        script = tmp_path / "reader.py"
        script.write_text(source)
        monkeypatch.setattr("documents.extraction.READER", script)

    return install


@pytest.fixture
def run_db_worker(monkeypatch):
    """Run django-tasks-db's worker in this process until the queue is empty."""
    from django.core.management import call_command

    # The worker checks its database connection between tasks; inside a test's transaction
    # that would close it, so the check is left out.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    def run():
        call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", verbosity=0)

    return run


def _text(document):
    from documents.models import DocumentText

    return DocumentText.objects.get(pk=document.pk)


@override_settings(DOCUMENTS_EXTRACTION_TIMEOUT=1)
@pytest.mark.parametrize(
    ("source", "message"),
    [
        (SLOW_READER, "took longer than 1 seconds"),
        (SLOW_READER_WITH_CHILD, "took longer than 1 seconds"),
        (CRASHING_READER, "stopped unexpectedly"),
        (KILLED_READER, "stopped unexpectedly"),
    ],
    ids=["slow", "slow-with-child", "segfault", "sigterm"],
)
def test_a_reader_that_runs_out_of_time_or_is_killed_fails_in_seconds(tmp_path, fake_reader, source, message):
    from documents.extraction import extract_file
    from documents.models import ExtractionStatus

    fake_reader(source)
    path = tmp_path / "file.pdf"
    path.write_bytes(b"%PDF-1.4")
    started = time.monotonic()
    result = extract_file(path, "pdf")
    assert time.monotonic() - started < 10
    assert result.status == ExtractionStatus.FAILED
    assert message in result.message
    child = path.with_name(path.name + ".child")
    if source == SLOW_READER_WITH_CHILD:
        assert _gone(int(child.read_text())), "the reader's own child process is still running"


def _gone(pid: int, *, seconds: float = 3) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db
@override_settings(DOCUMENTS_EXTRACTION_TIMEOUT=1)
@BY_TASK_CASES
def test_immediate_backend_document_ends_failed_with_a_message(make_document, fake_reader, source, message):
    fake_reader(source)
    started = time.monotonic()
    document = make_document()
    assert time.monotonic() - started < 15
    record = _text(document)
    assert record.status == "failed"
    assert message in record.message
    assert record.started_at is not None and record.duration is not None


@pytest.mark.django_db
@override_settings(DOCUMENTS_EXTRACTION_TIMEOUT=1, TASKS=DATABASE_TASKS)
@BY_TASK_CASES
def test_database_backend_document_ends_failed_with_a_message(
    make_document, fake_reader, run_db_worker, source, message
):
    from django_tasks_db.models import DBTaskResult

    fake_reader(source)
    document = make_document()
    assert _text(document).status == "pending"  # queued, not read inside the request
    assert DBTaskResult.objects.filter(task_path="documents.tasks.extract_document_text").count() == 1
    run_db_worker()
    record = _text(document)
    assert record.status == "failed"
    assert message in record.message
    assert DBTaskResult.objects.get(task_path="documents.tasks.extract_document_text").status == "SUCCESSFUL"


@pytest.mark.django_db
@override_settings(TASKS=DATABASE_TASKS)
def test_database_backend_reads_the_text_and_the_search_finds_it(search_index, make_document, run_db_worker):
    from documents.models import GovernanceDocument

    document = make_document(title="Pan-Sussex MoU")
    assert _text(document).status == "pending"
    assert list(GovernanceDocument.objects.search("fax")) == []
    run_db_worker()
    assert _text(document).status == "done"
    assert [d.title for d in GovernanceDocument.objects.search("fax")] == ["Pan-Sussex MoU"]


def _left_running(document, *, minutes_ago: float):
    """What a worker killed in the middle of reading leaves behind."""
    from django.utils import timezone

    from documents.models import DocumentText

    DocumentText.objects.filter(pk=document.pk).update(
        status="running", started_at=timezone.now() - datetime.timedelta(minutes=minutes_ago)
    )


@pytest.mark.django_db
@override_settings(DOCUMENTS_EXTRACTION_TIMEOUT=60)
def test_a_reading_left_running_by_a_dead_worker_is_failed_by_the_command(make_document):
    from django.core.management import call_command

    stale, recent = make_document(title="Stale"), make_document(title="Recent")
    _left_running(stale, minutes_ago=3)
    _left_running(recent, minutes_ago=1)  # may still be being read: the child has 60 s
    call_command("recover_document_extractions", verbosity=0)
    record = _text(stale)
    assert record.status == "failed"
    assert "interrupted" in record.message
    assert record.file_hash == stale.file_hash
    assert _text(recent).status == "running"


@pytest.mark.django_db
def test_editors_see_a_reading_in_progress_and_an_interrupted_one(make_document, client, make_user):
    from django.core.management import call_command
    from django.urls import reverse

    from accounts import roles

    client.force_login(make_user("editor@sussex.police.uk", role=roles.NATIONAL_EDITORS))
    document = make_document()
    edit_url = reverse("wagtaildocs:edit", args=[document.pk])
    _left_running(document, minutes_ago=0)
    assert "The text of this file is being read." in client.get(edit_url).content.decode()
    _left_running(document, minutes_ago=10)
    call_command("recover_document_extractions", verbosity=0)
    page = client.get(edit_url).content.decode()
    assert "Text could not be read." in page
    assert "Reading this file was interrupted" in page


@pytest.mark.django_db
@override_settings(DOCUMENTS_EXTRACTION_TIMEOUT=60, TASKS=DATABASE_TASKS)
def test_the_next_worker_recovers_a_reading_its_dead_predecessor_left(make_document, run_db_worker):
    """The worker died mid-task: its task result stays "running" and so does the document;
    the next extraction any worker runs marks it failed."""
    from django_tasks_db.models import DBTaskResult

    stale = make_document(title="Stale")
    DBTaskResult.objects.get(task_path="documents.tasks.extract_document_text").claim("dead-worker")
    _left_running(stale, minutes_ago=5)
    fresh = make_document(title="Fresh")
    run_db_worker()
    assert _text(fresh).status == "done"
    record = _text(stale)
    assert record.status == "failed"
    assert "interrupted" in record.message


@pytest.mark.django_db
def test_a_document_waiting_too_long_is_queued_again(make_document):
    from django.core.management import call_command

    from documents.models import DocumentText

    document = make_document()
    DocumentText.objects.filter(pk=document.pk).update(
        status="pending",
        extracted_at=None,
        file_hash="",
        queued_at=timezone.now() - datetime.timedelta(days=2),
    )
    call_command("recover_document_extractions", verbosity=0)
    assert _text(document).status == "done"


@pytest.mark.django_db
def test_an_unexpected_error_while_reading_is_saved_for_the_editor(make_document, monkeypatch):
    from documents.services import document_extract_text

    document = make_document()

    def broken(document):
        raise RuntimeError("storage went away")

    monkeypatch.setattr("documents.extraction.extract_document", broken)
    document_extract_text(document_id=document.pk, force=True)
    record = _text(document)
    assert record.status == "failed"
    assert "Something went wrong" in record.message
