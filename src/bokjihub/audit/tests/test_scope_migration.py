"""Rows written before the scope column get their scope from what their hash covers
(migration 0010), keep verifying, and cannot have it changed unnoticed."""

import importlib

import pytest
from django.apps import apps
from django.db import connection

from bokjihub.audit.chain import GENESIS_HASH, access_log_row_hash_for
from bokjihub.audit.models import AccessLog, AccessLogChainHead, AccessLogFormatAnchor, AccessScope
from bokjihub.audit.selectors import ChainBreak, access_log_verify
from bokjihub.audit.services import access_denied_record
from bokjihub.audit.tests.helpers import actor, drop_append_only_triggers, raw, view

pytestmark = pytest.mark.django_db

scope_migration = importlib.import_module(
    "bokjihub.audit.migrations.0010_set_access_log_scope_of_earlier_rows"
)


class _SchemaEditor:
    """What the migration uses of a schema editor, inside the test's transaction."""

    connection = connection

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def _as_written_by_format_2(rows: list[AccessLog]) -> None:
    """The rows as the code before the scope column wrote them: no scope (the column's
    default), hashed and chained under format 2, the old marker in the detail."""
    previous = GENESIS_HASH
    for row in rows:
        row.scope = AccessScope.ORDINARY
        row.previous_hash = previous
        row.row_hash = access_log_row_hash_for(row, version=2)
        row.save(update_fields=["scope", "previous_hash", "row_hash"])
        previous = row.row_hash
    AccessLogChainHead.objects.update(row_id=rows[-1].id, row_hash=previous)


@pytest.fixture
def format_2_log(officer_dong_a, officer_dong_b, finder, household_dong_a):
    view(officer_dong_a, household_dong_a)  # outside her caseload: the marker in the detail
    access_denied_record(actor=actor(officer_dong_b), reference=household_dong_a.reference)
    access_denied_record(actor=actor(finder), reference=household_dong_a.reference)
    rows = list(AccessLog.objects.order_by("id"))
    assert rows[0].detail.startswith("담당 외 열람")
    drop_append_only_triggers()
    _as_written_by_format_2(rows)
    return rows


def test_the_migration_sets_each_earlier_rows_scope_and_the_log_still_verifies(
    format_2_log, officer_dong_a, household_dong_a
):
    scope_migration.set_scope_and_anchor(apps, _SchemaEditor())

    scopes = list(AccessLog.objects.order_by("id").values_list("scope", flat=True))
    assert scopes == [
        AccessScope.OUT_OF_CASELOAD,
        AccessScope.OUT_OF_JURISDICTION,
        AccessScope.ROLE_WITHOUT_ACCESS,
    ]
    anchor = AccessLogFormatAnchor.objects.get()
    assert (anchor.version, anchor.last_row_id) == (2, format_2_log[-1].id)
    view(officer_dong_a, household_dong_a)  # a format 3 row after them
    report = access_log_verify()
    assert (report.ok, report.rows_checked) == (True, 4)


def test_the_migration_leaves_the_append_only_triggers_in_place(format_2_log):
    scope_migration.set_scope_and_anchor(apps, _SchemaEditor())
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            names = {name for (name,) in cursor.fetchall()}
            assert {"audit_accesslog_refuse_update", "audit_accesslog_refuse_delete"} <= names
        else:
            cursor.execute(
                "SELECT tgenabled FROM pg_trigger WHERE tgname = 'audit_accesslog_append_only'"
            )
            assert cursor.fetchone() == ("O",)


def test_changing_an_earlier_rows_scope_afterwards_is_caught(format_2_log):
    scope_migration.set_scope_and_anchor(apps, _SchemaEditor())
    drop_append_only_triggers()
    raw(
        "UPDATE audit_accesslog SET scope = %s WHERE id = %s",
        [AccessScope.ORDINARY, format_2_log[1].id],
    )
    report = access_log_verify()
    assert (report.broken_row_id, report.reason) == (format_2_log[1].id, ChainBreak.ROW_ALTERED)


def test_changing_a_new_rows_scope_is_caught_by_its_hash(officer_dong_b, household_dong_a):
    row = access_denied_record(actor=actor(officer_dong_b), reference=household_dong_a.reference)
    drop_append_only_triggers()
    raw("UPDATE audit_accesslog SET scope = %s WHERE id = %s", [AccessScope.ORDINARY, row.id])
    report = access_log_verify()
    assert (report.broken_row_id, report.reason) == (row.id, ChainBreak.ROW_ALTERED)


def test_a_new_database_needs_no_anchor():
    scope_migration.set_scope_and_anchor(apps, _SchemaEditor())
    assert not AccessLogFormatAnchor.objects.exists()
