"""Rows written under the unkeyed format (version 1) keep verifying after the switch to
HMAC (version 2), and only they do: migration 0006 seals where version 1 ends."""

import importlib

import pytest
from django.apps import apps

from bokjihub.audit.chain import GENESIS_HASH, access_log_row_hash_for, access_log_row_hash_v1
from bokjihub.audit.models import AccessLog, AccessLogChainHead, AccessLogFormatAnchor
from bokjihub.audit.selectors import ChainBreak, access_log_verify
from bokjihub.audit.tests.helpers import drop_append_only_triggers, search, view

pytestmark = pytest.mark.django_db

anchor_migration = importlib.import_module(
    "bokjihub.audit.migrations.0006_anchor_version_1_rows_under_the_audit_key"
)


def _rechain(rows: list[AccessLog], *, version: int) -> None:
    """Rewrite the rows' links and hashes in `version`, as the code of that version wrote
    them (or as a forger would)."""
    previous = GENESIS_HASH
    for row in rows:
        row.previous_hash = previous
        row.row_hash = access_log_row_hash_for(row, version=version)
        row.save(update_fields=["previous_hash", "row_hash"])
        previous = row.row_hash
    AccessLogChainHead.objects.update(row_id=rows[-1].id, row_hash=previous)


@pytest.fixture
def upgraded_log(officer_dong_a, household_dong_a):
    """Three rows written before the upgrade, the migration, then two rows after it."""
    view(officer_dong_a, household_dong_a)
    search(officer_dong_a, "김")
    view(officer_dong_a, household_dong_a)
    drop_append_only_triggers()
    _rechain(list(AccessLog.objects.order_by("id")), version=1)
    anchor_migration.anchor_version_1_rows(apps, schema_editor=None)
    view(officer_dong_a, household_dong_a)
    search(officer_dong_a, "김영수")
    return list(AccessLog.objects.order_by("id"))


def test_rows_of_both_formats_verify_after_the_upgrade(upgraded_log):
    anchor = AccessLogFormatAnchor.objects.get()
    assert (anchor.version, anchor.last_row_id) == (1, upgraded_log[2].id)
    assert upgraded_log[2].row_hash == access_log_row_hash_v1(upgraded_log[2])
    assert upgraded_log[3].previous_hash == upgraded_log[2].row_hash
    report = access_log_verify()
    assert (report.ok, report.rows_checked) == (True, 5)


def test_a_new_database_has_no_anchor_and_every_row_is_keyed(officer_dong_a, household_dong_a):
    anchor_migration.anchor_version_1_rows(apps, schema_editor=None)
    assert not AccessLogFormatAnchor.objects.exists()
    view(officer_dong_a, household_dong_a)
    assert access_log_verify().ok


def test_an_old_row_rewritten_with_its_unkeyed_hashes_is_caught_at_the_anchor(upgraded_log):
    # Without the key a forger can redo version 1 hashes up to the anchor, but not the
    # anchor's sealed hash nor the keyed row chained onto it.
    AccessLog.objects.filter(id=upgraded_log[1].id).update(detail="이름 검색 박")
    _rechain(list(AccessLog.objects.filter(id__lte=upgraded_log[2].id).order_by("id")), version=1)
    report = access_log_verify()
    assert (report.broken_row_id, report.reason) == (upgraded_log[2].id, ChainBreak.ROW_ALTERED)


def test_a_new_row_cannot_be_passed_off_as_an_old_unkeyed_one(upgraded_log):
    forged = AccessLog.objects.get(id=upgraded_log[4].id)
    forged.detail = "변조"
    forged.row_hash = access_log_row_hash_v1(forged)
    forged.save(update_fields=["detail", "row_hash"])
    AccessLogChainHead.objects.update(row_hash=forged.row_hash)
    report = access_log_verify()
    assert (report.broken_row_id, report.reason) == (forged.id, ChainBreak.ROW_ALTERED)


def test_moving_the_anchor_to_cover_new_rows_is_caught(upgraded_log):
    AccessLogFormatAnchor.objects.update(last_row_id=upgraded_log[4].id)
    report = access_log_verify()
    assert (report.broken_row_id, report.reason) == (upgraded_log[4].id, ChainBreak.ANCHOR_FORGED)


def test_removing_the_anchor_leaves_the_old_rows_unverified(upgraded_log):
    AccessLogFormatAnchor.objects.all().delete()
    report = access_log_verify()
    assert (report.broken_row_id, report.reason) == (upgraded_log[0].id, ChainBreak.ROW_ALTERED)
