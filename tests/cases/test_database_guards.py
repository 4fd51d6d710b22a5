"""Guards in the database itself: the audit table refuses UPDATE and DELETE (triggers of
migration cases 0005), and references stay unique and consecutive under concurrent creation."""

import datetime
import threading

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from cases.models import AuditEvent


def test_the_database_refuses_to_change_or_delete_an_audit_record(world):
    event = AuditEvent.objects.first()
    # _base_manager is Django's plain manager: past the application's own refusal, to the database.
    rows = AuditEvent._base_manager.filter(pk=event.pk)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rows.update(action="nothing happened")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        rows.delete()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("DELETE FROM cases_auditevent")
    assert AuditEvent.objects.get(pk=event.pk).action == event.action


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_cases_created_at_once_in_several_threads_get_unique_consecutive_references(settings):
    if connection.vendor != "postgresql":
        pytest.skip(
            "SQLite takes one lock for the whole database, so writers never overlap there; "
            "the counter row's lock is what this checks, on PostgreSQL."
        )
    from django.db import connections

    from cases import services
    from tests.factories import SchemePageFactory, UserFactory, WorkstreamFactory

    scheme = SchemePageFactory(title="Threads")
    organisation = scheme.lead_force
    workstream = WorkstreamFactory(name="Anti-social behaviour", slug="anti-social-behaviour")
    user = UserFactory(email="threads@example.org", organisation=organisation)

    class Viewer:
        pass

    viewer = Viewer()
    viewer.user, viewer.organisation_id, viewer.is_authenticated = user, organisation.pk, True
    threads_count = 6
    barrier = threading.Barrier(threads_count)
    references, errors = [], []

    def create(n):
        try:
            barrier.wait(timeout=30)
            case = services.case_create(
                viewer=viewer,
                workstream=workstream,
                title=f"Thread {n}",
                summary="",
                risk_level="low",
                scheme=scheme,
            )
            references.append(case.reference)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=create, args=(n,)) for n in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    year = datetime.date.today().year
    assert sorted(references) == [f"ASB-{year}-{n:05d}" for n in range(1, threads_count + 1)]


def test_flush_empties_the_audit_table_and_keeps_its_guard(world):
    """The test runner empties the database after each transactional test with ``flush``."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's flush uses TRUNCATE, which fires no row trigger.")
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert not AuditEvent.objects.exists()
    event = AuditEvent.objects.create(action="list")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent._base_manager.filter(pk=event.pk).delete()
