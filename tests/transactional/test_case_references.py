"""References stay unique and consecutive when cases are created at once in several threads,
each on its own connection and committing (the counter row's lock, on PostgreSQL)."""

import datetime
import threading

import pytest
from django.db import connection


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes one lock for the whole database, so writers never overlap there; "
    "the counter row's lock is what this checks, on PostgreSQL.",
)
def test_cases_created_at_once_in_several_threads_get_unique_consecutive_references(
    _snapshot_on_connection, django_db_serialized_rollback, transactional_db, settings
):
    # Fixtures, not the django_db mark: see tests/migrations/test_document_text_migration.py.
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
