"""Guards in the database itself: the audit table refuses UPDATE and DELETE (triggers of
migration cases 0005). References under concurrent creation: tests/transactional."""

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


def test_flush_empties_the_audit_table_and_keeps_its_guard(world):
    """The test runner empties the database after each transactional test with ``flush``."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's flush uses TRUNCATE, which fires no row trigger.")
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    assert not AuditEvent.objects.exists()
    event = AuditEvent.objects.create(action="list")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent._base_manager.filter(pk=event.pk).delete()
