"""The database refuses changes to the access log; each backend has its own trigger."""

import pytest
from django.db import DatabaseError, connection, transaction

from bokjihub.audit.models import AccessLog
from bokjihub.audit.selectors import ChainBreak, access_log_verify
from bokjihub.audit.tests.helpers import raw, search, view

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_rows(officer_dong_a, household_dong_a):
    view(officer_dong_a, household_dong_a)
    search(officer_dong_a, "김")
    view(officer_dong_a, household_dong_a)
    return list(AccessLog.objects.order_by("id"))


def _refused(statement, params=()):
    # A savepoint, so PostgreSQL's aborted statement leaves the test's transaction usable.
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(statement, params)


def test_the_database_refuses_a_raw_update_of_a_row(three_rows):
    _refused("UPDATE audit_accesslog SET detail = %s WHERE id = %s", ["변조", three_rows[1].id])
    assert AccessLog.objects.get(id=three_rows[1].id).detail == three_rows[1].detail
    assert access_log_verify().ok


def test_the_database_refuses_an_orm_update(three_rows):
    with pytest.raises(DatabaseError), transaction.atomic():
        AccessLog.objects.filter(id=three_rows[0].id).update(username="someone_else")
    assert access_log_verify().ok


def test_the_database_refuses_deleting_a_row_from_the_middle(three_rows):
    _refused("DELETE FROM audit_accesslog WHERE id = %s", [three_rows[1].id])
    assert AccessLog.objects.count() == 3


def test_the_database_refuses_deleting_the_newest_row(three_rows):
    _refused("DELETE FROM audit_accesslog WHERE id = %s", [three_rows[-1].id])
    assert access_log_verify().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's trigger")
def test_postgresql_refuses_deleting_even_the_oldest_row(three_rows):
    _refused("DELETE FROM audit_accesslog WHERE id = %s", [three_rows[0].id])


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's trigger")
def test_sqlite_lets_the_log_be_trimmed_only_from_its_oldest_end_and_verify_reports_it(three_rows):
    # Oldest-first is how retention will delete and how Django's flush empties the table.
    raw("DELETE FROM audit_accesslog WHERE id = %s", [three_rows[0].id])
    report = access_log_verify()
    assert (report.broken_row_id, report.reason) == (three_rows[1].id, ChainBreak.LINK_BROKEN)
    raw("DELETE FROM audit_accesslog")
    assert AccessLog.objects.count() == 0
