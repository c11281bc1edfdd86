"""Every grant, end and deactivation leaves an append-only history row and ends sessions."""

import pytest
from django.db import IntegrityError, connection, transaction

from bokjihub.orgs.models import MembershipEvent, MembershipEventKind
from bokjihub.orgs.services import (
    membership_end,
    membership_grant,
    second_factor_required,
    user_create,
    user_deactivate,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def kim(db):
    return user_create(username="kim", password="x-very-long-password-1")


@pytest.fixture
def admin_user(db):
    return user_create(username="admin_lee", password="x-very-long-password-1")


@pytest.mark.accept_privacy
def test_granting_a_role_records_who_gave_which_role_where_and_when(kim, admin_user, centre_a):
    membership = membership_grant(
        user=kim, organisation=centre_a, role="welfare_officer", granted_by=admin_user
    )
    event = MembershipEvent.objects.get(user=kim)
    assert event.kind == MembershipEventKind.GRANTED
    assert (event.organisation, event.role, event.membership) == (
        centre_a,
        "welfare_officer",
        membership,
    )
    assert event.recorded_by == admin_user
    assert event.effective_on == membership.started_on
    assert event.recorded_at is not None


@pytest.mark.accept_privacy
def test_ending_a_role_records_it_and_keeps_the_grant(kim, admin_user, centre_a):
    membership = membership_grant(user=kim, organisation=centre_a, role="welfare_officer")
    membership_end(membership=membership, ended_by=admin_user)
    kinds = list(MembershipEvent.objects.filter(user=kim).values_list("kind", "recorded_by"))
    assert kinds == [("granted", None), ("ended", admin_user.id)]


def test_ending_a_role_twice_records_it_once(kim, centre_a):
    membership = membership_grant(user=kim, organisation=centre_a, role="welfare_officer")
    membership_end(membership=membership)
    membership_end(membership=membership)
    assert MembershipEvent.objects.filter(user=kim, kind="ended").count() == 1


def test_granting_an_open_role_again_records_nothing_and_keeps_sessions(kim, centre_a):
    membership_grant(user=kim, organisation=centre_a, role="welfare_officer")
    version = kim.authorisation_version
    membership_grant(user=kim, organisation=centre_a, role="welfare_officer")
    kim.refresh_from_db()
    assert kim.authorisation_version == version
    assert MembershipEvent.objects.filter(user=kim).count() == 1


def test_each_change_of_roles_or_status_moves_the_authorisation_version(kim, centre_a):
    versions = [kim.authorisation_version]
    membership = membership_grant(user=kim, organisation=centre_a, role="welfare_officer")
    versions.append(kim.authorisation_version)
    membership_end(membership=membership)
    kim.refresh_from_db()
    versions.append(kim.authorisation_version)
    user_deactivate(user=kim)
    versions.append(kim.authorisation_version)
    assert versions == sorted(set(versions))
    assert not kim.is_active
    assert MembershipEvent.objects.filter(user=kim).last().kind == "user_deactivated"


@pytest.mark.accept_privacy
@pytest.mark.parametrize("statement", ["UPDATE", "DELETE"])
def test_the_database_refuses_to_rewrite_role_history(kim, centre_a, statement):
    membership_grant(user=kim, organisation=centre_a, role="welfare_officer")
    membership_grant(user=kim, organisation=centre_a, role="case_manager")
    newest = MembershipEvent.objects.filter(user=kim).last()
    sql = {
        "UPDATE": "UPDATE orgs_membershipevent SET role = 'auditor' WHERE id = %s",
        "DELETE": "DELETE FROM orgs_membershipevent WHERE id = %s",
    }[statement]
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [newest.id])
    assert MembershipEvent.objects.get(id=newest.id).role == "case_manager"


def test_a_user_with_role_history_cannot_be_deleted(kim, centre_a):
    from django.db.models import ProtectedError

    membership_grant(user=kim, organisation=centre_a, role="finder")
    with pytest.raises(ProtectedError):
        kim.delete()


@pytest.mark.parametrize(
    ("role", "required"),
    [("welfare_officer", True), ("private_social_worker", True), ("finder", False)],
)
def test_the_second_factor_is_required_of_roles_that_read_personal_data(
    kim, centre_a, role, required
):
    membership_grant(user=kim, organisation=centre_a, role=role)
    assert second_factor_required(kim) is required


def test_admin_site_users_need_the_second_factor_whatever_their_role(kim):
    kim.is_staff = True
    assert second_factor_required(kim)
