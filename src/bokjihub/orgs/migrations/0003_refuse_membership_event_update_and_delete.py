"""Let the database refuse UPDATE and DELETE of role-history rows (권한 부여·변경·말소 이력).

The history must be kept at least three years and must not be rewritten after the fact;
the application only inserts. PostgreSQL refuses every UPDATE and DELETE; TRUNCATE (what
Django's flush uses there) fires no row trigger. SQLite refuses UPDATE, and DELETE unless
no older row remains: Django's flush on SQLite deletes the table in id order, and a
retention job could only trim the oldest end.
A later migration that alters orgs_membershipevent on SQLite rebuilds the table, which
drops these triggers: it must run `install` again.
"""

from django.db import migrations

POSTGRESQL_INSTALL = """
CREATE FUNCTION orgs_membershipevent_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'orgs_membershipevent is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'integrity_constraint_violation';
END
$$;
CREATE TRIGGER orgs_membershipevent_append_only
    BEFORE UPDATE OR DELETE ON orgs_membershipevent
    FOR EACH ROW EXECUTE FUNCTION orgs_membershipevent_refuse_change();
"""
POSTGRESQL_REMOVE = """
DROP TRIGGER IF EXISTS orgs_membershipevent_append_only ON orgs_membershipevent;
DROP FUNCTION IF EXISTS orgs_membershipevent_refuse_change();
"""
SQLITE_INSTALL = [
    """
    CREATE TRIGGER orgs_membershipevent_refuse_update BEFORE UPDATE ON orgs_membershipevent
    BEGIN
        SELECT RAISE(ABORT, 'orgs_membershipevent is append-only: UPDATE refused');
    END
    """,
    """
    CREATE TRIGGER orgs_membershipevent_refuse_delete BEFORE DELETE ON orgs_membershipevent
    WHEN EXISTS (SELECT 1 FROM orgs_membershipevent WHERE id < OLD.id)
    BEGIN
        SELECT RAISE(ABORT, 'orgs_membershipevent is append-only: DELETE refused');
    END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS orgs_membershipevent_refuse_update",
    "DROP TRIGGER IF EXISTS orgs_membershipevent_refuse_delete",
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
        ("orgs", "0002_add_authorisation_version_and_membership_events"),
    ]

    operations = [
        migrations.RunPython(install, remove),
    ]
