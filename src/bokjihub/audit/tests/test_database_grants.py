"""On PostgreSQL the application's role may only append to and read the access log."""

import uuid
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from bokjihub.audit.grants import access_log_grant_statements, quote_identifier
from bokjihub.audit.models import AccessLog
from bokjihub.audit.selectors import access_log_verify
from bokjihub.audit.tests.helpers import raw, search, view

pytestmark = pytest.mark.django_db

only_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="database roles and privileges exist only on PostgreSQL; SQLite has no roles "
    "(its append-only triggers are tested in test_append_only_triggers)",
)


@pytest.fixture
def application_role(officer_dong_a, household_dong_a):
    """A throwaway role inside the test database, with the broad privileges an operator
    typically gives an application, then `audit db-grants`. Created in the test's
    transaction, and dropped at the end all the same."""
    view(officer_dong_a, household_dong_a)
    role = f"bokjihub_app_{uuid.uuid4().hex[:12]}"
    quoted = quote_identifier(role)
    raw(f"CREATE ROLE {quoted} NOLOGIN")
    raw(
        f"GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA public TO {quoted}"
    )
    out = StringIO()
    call_command("audit", "db-grants", "--role", role, stdout=out)
    yield role, out.getvalue()
    raw("RESET ROLE")
    raw(f"DROP OWNED BY {quoted}")
    raw(f"DROP ROLE {quoted}")


def _refused_as(role: str, statement: str, params=()) -> None:
    # A savepoint, so the refused statement leaves the test's transaction usable.
    with pytest.raises(DatabaseError, match="permission denied"), transaction.atomic():
        raw(f"SET LOCAL ROLE {quote_identifier(role)}")
        raw(statement, params)


@pytest.mark.accept_privacy
@only_postgresql
def test_the_application_role_cannot_update_delete_or_truncate_the_log(application_role):
    role, _ = application_role
    row = AccessLog.objects.get()
    _refused_as(role, "UPDATE audit_accesslog SET detail = %s WHERE id = %s", ["변조", row.id])
    _refused_as(role, "DELETE FROM audit_accesslog WHERE id = %s", [row.id])
    _refused_as(role, "TRUNCATE audit_accesslog CASCADE")
    _refused_as(role, "DELETE FROM audit_accesslogchainhead")
    _refused_as(role, "UPDATE audit_accesslogformatanchor SET last_row_id = 0")
    assert AccessLog.objects.get().detail == row.detail


@only_postgresql
def test_the_application_role_can_still_append_and_verify(
    application_role, officer_dong_a, household_dong_a
):
    role, _ = application_role
    raw(f"SET ROLE {quote_identifier(role)}")
    view(officer_dong_a, household_dong_a)
    search(officer_dong_a, "김")
    report = access_log_verify()
    raw("RESET ROLE")
    assert (report.ok, report.rows_checked) == (True, 3)


@only_postgresql
def test_the_command_prints_what_it_granted(application_role):
    role, output = application_role
    assert f'REVOKE ALL ON "audit_accesslog" FROM "{role}";' in output
    assert f'GRANT INSERT, SELECT ON "audit_accesslog" TO "{role}";' in output
    assert "UPDATE·DELETE·TRUNCATE 거부" in output


@only_postgresql
def test_it_refuses_a_superuser_whom_no_privilege_binds():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        [current] = cursor.fetchone()
    with pytest.raises(CommandError, match="슈퍼유저"):
        call_command("audit", "db-grants", "--role", current, stdout=StringIO())


@only_postgresql
def test_it_refuses_a_role_that_does_not_exist():
    with pytest.raises(CommandError, match="없습니다"):
        call_command("audit", "db-grants", "--role", "no_such_role_here", stdout=StringIO())


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite refusal")
def test_on_sqlite_it_says_that_roles_exist_only_on_postgresql():
    with pytest.raises(CommandError, match="PostgreSQL에서만"):
        call_command("audit", "db-grants", "--role", "bokjihub", stdout=StringIO())


def test_a_role_name_is_quoted_never_spliced_in_bare():
    [first, *_] = access_log_grant_statements(role='app"; DROP TABLE x; --', sequence=None)
    assert first == 'REVOKE ALL ON "audit_accesslog" FROM "app""; DROP TABLE x; --"'
