"""The database itself refuses to change or delete an audit record: a trigger on
``cases_auditevent`` for UPDATE and DELETE, on PostgreSQL and on SQLite. Going back drops them.

TRUNCATE is left alone on purpose (on PostgreSQL it fires no row trigger): the test runner
empties the database with it, and only the database owner may run it. A later migration that
rebuilds the table on SQLite (most ``AlterField``) drops these triggers with the old table and
must create them again; tests/cases check that an update and a delete are refused."""

from django.db import migrations

POSTGRESQL = (
    [
        """
        CREATE FUNCTION cases_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            RAISE EXCEPTION 'cases_auditevent is append-only: % refused', TG_OP
                USING ERRCODE = 'integrity_constraint_violation';
        END
        $$
        """,
        """
        CREATE TRIGGER cases_auditevent_append_only BEFORE UPDATE OR DELETE ON cases_auditevent
        FOR EACH ROW EXECUTE PROCEDURE cases_auditevent_append_only()
        """,
    ],
    [
        "DROP TRIGGER IF EXISTS cases_auditevent_append_only ON cases_auditevent",
        "DROP FUNCTION IF EXISTS cases_auditevent_append_only()",
    ],
)

SQLITE = (
    [
        """
        CREATE TRIGGER cases_auditevent_no_update BEFORE UPDATE ON cases_auditevent
        BEGIN SELECT RAISE(ABORT, 'cases_auditevent is append-only: UPDATE refused'); END
        """,
        """
        CREATE TRIGGER cases_auditevent_no_delete BEFORE DELETE ON cases_auditevent
        BEGIN SELECT RAISE(ABORT, 'cases_auditevent is append-only: DELETE refused'); END
        """,
    ],
    [
        "DROP TRIGGER IF EXISTS cases_auditevent_no_update",
        "DROP TRIGGER IF EXISTS cases_auditevent_no_delete",
    ],
)

BY_VENDOR = {"postgresql": POSTGRESQL, "sqlite": SQLITE}


def _run(schema_editor, which):
    statements = BY_VENDOR.get(schema_editor.connection.vendor)
    if statements is None:
        raise NotImplementedError(f"No audit guard for {schema_editor.connection.vendor}.")
    for sql in statements[which]:
        schema_editor.execute(sql, None)  # no parameters: "%" stays as written


def create_triggers(apps, schema_editor):
    _run(schema_editor, 0)


def drop_triggers(apps, schema_editor):
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_share_withdrawal_audit_changes")]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
