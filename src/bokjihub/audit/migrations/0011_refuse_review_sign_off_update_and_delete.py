"""Let the database refuse changing or removing a monthly sign-off: a correction is a new
row that amends it (audit.services.review_sign_off_record), never an edit.

As for the access log (0004): on PostgreSQL a row trigger refuses UPDATE and DELETE
(TRUNCATE, which Django's flush uses, fires no row trigger); on SQLite UPDATE is refused
and DELETE only allowed from the oldest row on, which is how flush empties a table.
"""

from django.db import migrations

POSTGRESQL_INSTALL = """
CREATE FUNCTION audit_reviewsignoff_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'audit_reviewsignoff is append-only: ' || TG_OP || ' refused (amend with a new row)',
        ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER audit_reviewsignoff_append_only
    BEFORE UPDATE OR DELETE ON audit_reviewsignoff
    FOR EACH ROW EXECUTE FUNCTION audit_reviewsignoff_refuse_change();
"""
POSTGRESQL_REMOVE = """
DROP TRIGGER IF EXISTS audit_reviewsignoff_append_only ON audit_reviewsignoff;
DROP FUNCTION IF EXISTS audit_reviewsignoff_refuse_change();
"""
SQLITE_INSTALL = [
    """
    CREATE TRIGGER audit_reviewsignoff_refuse_update BEFORE UPDATE ON audit_reviewsignoff
    BEGIN
        SELECT RAISE(ABORT, 'audit_reviewsignoff is append-only: UPDATE refused');
    END
    """,
    """
    CREATE TRIGGER audit_reviewsignoff_refuse_delete BEFORE DELETE ON audit_reviewsignoff
    WHEN EXISTS (SELECT 1 FROM audit_reviewsignoff WHERE id < OLD.id)
    BEGIN
        SELECT RAISE(ABORT, 'audit_reviewsignoff is append-only: DELETE refused');
    END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_reviewsignoff_refuse_update",
    "DROP TRIGGER IF EXISTS audit_reviewsignoff_refuse_delete",
]


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_INSTALL)
    elif vendor == "sqlite":
        for statement in SQLITE_INSTALL:
            schema_editor.execute(statement)


def remove(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRESQL_REMOVE)
    elif vendor == "sqlite":
        for statement in SQLITE_REMOVE:
            schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0010_set_access_log_scope_of_earlier_rows"),
    ]

    operations = [
        migrations.RunPython(install, remove),
    ]
