"""Shared steps of the audit tests: accesses through the real access layer, at a chosen
time, and switching the database's append-only triggers off inside one test."""

from contextlib import contextmanager
from datetime import datetime
from unittest import mock

from django.db import connection

from bokjihub.audit.models import AccessPurpose
from bokjihub.orgs.actors import actor_for
from bokjihub.people.access import HouseholdSearch, access_household, access_household_search


def actor(user):
    return actor_for(user=user, ip_address="10.0.0.7")


@contextmanager
def clock(moment: datetime):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def view(user, household, *, at: datetime | None = None):
    # With a stated purpose, so that a view outside the user's caseload is shown too.
    def _open():
        return access_household(
            actor=actor(user),
            reference=household.reference,
            purpose=AccessPurpose.CASE_WORK,
            purpose_text="상담 준비",
        )

    if at is None:
        return _open()
    with clock(at):
        return _open()


def search(user, text: str, *, at: datetime | None = None):
    if at is None:
        return access_household_search(actor=actor(user), search=HouseholdSearch(text=text))
    with clock(at):
        return access_household_search(actor=actor(user), search=HouseholdSearch(text=text))


def drop_append_only_triggers() -> None:
    """What someone with the database owner's rights could do; undone when the test's
    transaction rolls back (DDL is transactional on both backends)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE refuses to run while this transaction's deferred foreign-key
            # checks are pending: run them now, then defer again as Django expects.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(
                "ALTER TABLE audit_accesslog DISABLE TRIGGER audit_accesslog_append_only"
            )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            cursor.execute("DROP TRIGGER audit_accesslog_refuse_update")
            cursor.execute("DROP TRIGGER audit_accesslog_refuse_delete")


def raw(sql: str, params: list | tuple = ()) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
