"""Django's ``flush`` (empty every table), which the test runner also uses after each
transactional test, made to work beside the audit table's append-only triggers (migration
cases 0005).

On PostgreSQL nothing changes: ``flush`` empties tables with ``TRUNCATE``, which fires no row
trigger. On SQLite it runs ``DELETE FROM`` each table, which the triggers refuse, so the
triggers on ``cases_auditevent`` are dropped for the flush and created again, from their own
stored SQL, afterwards (also when the flush fails). Emptying the whole database is a
maintenance operation outside the application; no view or service can do it."""

from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

AUDIT_TABLE = "cases_auditevent"


class Command(FlushCommand):
    help = FlushCommand.help

    def handle(self, **options):
        connection = connections[options["database"]]
        if connection.vendor != "sqlite":
            return super().handle(**options)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [AUDIT_TABLE]
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
        try:
            return super().handle(**options)
        finally:
            with connection.cursor() as cursor:
                for _name, sql in triggers:
                    cursor.execute(sql)
