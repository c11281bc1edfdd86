import base64
import hashlib
import hmac

import pytest
from django.test import override_settings

from bokjihub.audit.chain import (
    FORMAT_PREFIX_V3,
    GENESIS_HASH,
    _payload,
    access_log_row_hash_v1,
    access_log_row_mac,
    audit_key,
)
from bokjihub.audit.models import AccessLog, AccessLogChainHead
from bokjihub.audit.selectors import ChainBreak, access_log_verify
from bokjihub.audit.services import access_log_write
from bokjihub.audit.tests.helpers import drop_append_only_triggers, raw, search, view
from bokjihub.orgs.actors import actor_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def several_accesses(officer_dong_a, gu_case_manager, household_dong_a, household_dong_b):
    view(officer_dong_a, household_dong_a)
    search(officer_dong_a, "김영수")
    view(gu_case_manager, household_dong_b)
    search(gu_case_manager, "880722-2345675")
    view(officer_dong_a, household_dong_a)
    return list(AccessLog.objects.order_by("id"))


def test_each_row_links_to_the_row_before_it(several_accesses):
    previous = GENESIS_HASH
    for row in several_accesses:
        assert row.previous_hash == previous
        assert row.row_hash == access_log_row_mac(row)
        previous = row.row_hash


def test_a_row_hash_is_an_hmac_under_the_audit_key_not_a_plain_digest(several_accesses):
    row = several_accesses[0]
    payload = row.row_hash
    assert payload != access_log_row_hash_v1(row)
    # The prefix names the format version inside the keyed message; format 3 adds the scope.
    message = FORMAT_PREFIX_V3 + _payload(row, with_scope=True)
    expected = hmac.new(audit_key(), message, hashlib.sha256)
    assert payload == expected.hexdigest()


def test_verify_fails_under_another_audit_key(several_accesses):
    other_key = base64.urlsafe_b64encode(b"k" * 32).decode("ascii")
    with override_settings(AUDIT_KEY=other_key):
        report = access_log_verify()
    assert (report.broken_row_id, report.reason) == (several_accesses[0].id, ChainBreak.ROW_ALTERED)


def test_the_chain_head_names_the_newest_row(several_accesses):
    head = AccessLogChainHead.objects.get()
    assert (head.row_id, head.row_hash) == (several_accesses[-1].id, several_accesses[-1].row_hash)


def test_the_chain_verifies_after_several_accesses(several_accesses):
    report = access_log_verify()
    assert report.ok
    assert report.rows_checked == 5


def test_an_empty_log_verifies():
    assert access_log_verify().ok


def test_the_hash_read_back_from_the_database_matches_the_one_written(officer_dong_a):
    # IPv6 spelled as a client may send it; PostgreSQL's inet hands it back normalised.
    officer = actor_for(user=officer_dong_a, ip_address="2001:DB8:0:0::7")
    written = access_log_write(
        actor=officer, action="household_search", purpose="search", person_ids=[3, 1]
    )
    stored = AccessLog.objects.get(id=written.id)
    assert access_log_row_mac(stored) == written.row_hash
    assert access_log_verify().ok


def test_verify_finds_a_row_whose_detail_was_altered(several_accesses):
    drop_append_only_triggers()
    altered = several_accesses[1]
    raw("UPDATE audit_accesslog SET detail = %s WHERE id = %s", ["이름 검색 박", altered.id])
    report = access_log_verify()
    assert (report.ok, report.broken_row_id, report.reason) == (
        False,
        altered.id,
        ChainBreak.ROW_ALTERED,
    )
    assert report.rows_checked == 1


def test_verify_finds_a_row_whose_hashes_were_recomputed_after_altering_it(several_accesses):
    drop_append_only_triggers()
    altered = AccessLog.objects.get(id=several_accesses[2].id)
    altered.detail = "변조"
    altered.row_hash = access_log_row_mac(altered)
    altered.save(update_fields=["detail", "row_hash"])
    report = access_log_verify()
    assert (report.broken_row_id, report.reason) == (several_accesses[3].id, ChainBreak.LINK_BROKEN)


def test_verify_finds_a_deleted_row(several_accesses):
    drop_append_only_triggers()
    AccessLog.objects.filter(id=several_accesses[2].id).delete()
    report = access_log_verify()
    assert (report.broken_row_id, report.reason) == (several_accesses[3].id, ChainBreak.LINK_BROKEN)


def test_verify_finds_that_the_oldest_row_was_deleted(several_accesses):
    drop_append_only_triggers()
    AccessLog.objects.filter(id=several_accesses[0].id).delete()
    report = access_log_verify()
    assert (report.broken_row_id, report.reason) == (several_accesses[1].id, ChainBreak.LINK_BROKEN)


def test_verify_finds_that_the_newest_rows_were_deleted(several_accesses):
    drop_append_only_triggers()
    AccessLog.objects.filter(id__in=[row.id for row in several_accesses[-2:]]).delete()
    report = access_log_verify()
    assert (report.broken_row_id, report.reason) == (
        several_accesses[-1].id,
        ChainBreak.NEWEST_MISSING,
    )
    assert report.rows_checked == 3


def test_verify_finds_a_missing_chain_head(several_accesses):
    AccessLogChainHead.objects.all().delete()
    report = access_log_verify()
    assert report.reason == ChainBreak.HEAD_MISSING


def test_appends_after_the_head_was_read_still_verify(
    several_accesses, officer_dong_a, household_dong_a
):
    view(officer_dong_a, household_dong_a)
    assert access_log_verify().rows_checked == 6


@pytest.mark.accept_privacy
@pytest.mark.parametrize("position", range(5))
def test_altering_any_row_is_reported_at_that_row(several_accesses, position):
    drop_append_only_triggers()
    altered = several_accesses[position]
    raw("UPDATE audit_accesslog SET username = %s WHERE id = %s", ["someone_else", altered.id])
    report = access_log_verify()
    assert (report.broken_row_id, report.reason) == (altered.id, ChainBreak.ROW_ALTERED)
    assert report.rows_checked == position


@pytest.mark.accept_privacy
@pytest.mark.parametrize("position", range(5))
def test_deleting_any_row_is_reported_at_the_first_broken_link(several_accesses, position):
    drop_append_only_triggers()
    raw("DELETE FROM audit_accesslog WHERE id = %s", [several_accesses[position].id])
    report = access_log_verify()
    if position == len(several_accesses) - 1:
        expected = (several_accesses[position].id, ChainBreak.NEWEST_MISSING)
    else:
        expected = (several_accesses[position + 1].id, ChainBreak.LINK_BROKEN)
    assert (report.broken_row_id, report.reason) == expected


def test_a_row_rewritten_with_a_plain_digest_does_not_verify(several_accesses):
    """Without the key, the best a forger can do is the unkeyed format of version 1."""
    drop_append_only_triggers()
    forged = AccessLog.objects.get(id=several_accesses[-1].id)
    forged.detail = "변조"
    forged.row_hash = access_log_row_hash_v1(forged)
    forged.save(update_fields=["detail", "row_hash"])
    AccessLogChainHead.objects.update(row_hash=forged.row_hash)
    report = access_log_verify()
    assert (report.broken_row_id, report.reason) == (forged.id, ChainBreak.ROW_ALTERED)
