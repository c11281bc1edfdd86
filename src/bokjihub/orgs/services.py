"""Writes of organisations, staff and networks."""

import base64
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from bokjihub.orgs.models import (
    SECTOR_OF_KIND,
    Membership,
    MembershipEvent,
    MembershipEventKind,
    Network,
    NetworkMember,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from bokjihub.regions.models import EupMyeonDong, Sigungu


def organisation_create(
    *,
    name: str,
    kind: str,
    sigungu: Sigungu | None = None,
    emd: EupMyeonDong | None = None,
    service_area: list[EupMyeonDong] | None = None,
    phone: str = "",
    address: str = "",
) -> Organisation:
    if kind not in OrganisationKind.values:
        raise ValidationError({"kind": _("알 수 없는 기관 유형입니다: %(kind)s") % {"kind": kind}})
    if kind == OrganisationKind.EMD_CENTRE and emd is None:
        raise ValidationError({"emd": _("읍·면·동 행정복지센터는 담당 읍·면·동이 있어야 합니다.")})
    if emd is not None and sigungu is None:
        sigungu = emd.sigungu
    if kind in (OrganisationKind.SIGUNGU_OFFICE,) and sigungu is None:
        raise ValidationError({"sigungu": _("시·군·구청은 시·군·구가 있어야 합니다.")})
    if sigungu is None:
        raise ValidationError({"sigungu": _("기관이 속한 시·군·구를 선택해 주세요.")})
    with transaction.atomic():
        organisation = Organisation.objects.create(
            name=name,
            kind=kind,
            sector=SECTOR_OF_KIND[kind],
            sido=sigungu.sido,
            sigungu=sigungu,
            emd=emd,
            phone=phone,
            address=address,
        )
        if service_area:
            organisation.service_area.set(service_area)
    return organisation


def user_create(*, username: str, password: str, display_name: str = "", email: str = "") -> User:
    user = User(username=username, display_name=display_name, email=email)
    user.set_password(password)
    user.save()
    return user


def _authorisation_changed(user: User) -> None:
    """Open sessions of the user end at their next request (SessionSecurityMiddleware)."""
    User.objects.filter(pk=user.pk).update(authorisation_version=F("authorisation_version") + 1)
    user.refresh_from_db(fields=["authorisation_version"])


def is_active_member(user, organisation: Organisation) -> bool:
    """Whether the user works for the organisation now (an open membership, any role)."""
    return Membership.objects.filter(
        user=user, organisation=organisation, ended_on__isnull=True
    ).exists()


def require_active_member(user, organisation: Organisation) -> None:
    """The membership check of the write services (cases, deliveries, referrals): a person
    acts for an organisation only while a membership of it is open."""
    if not is_active_member(user, organisation):
        raise PermissionDenied(
            _("%(user)s님은 %(organisation)s 소속으로 일하고 있지 않습니다.")
            % {"user": user, "organisation": organisation}
        )


def membership_grant(
    *,
    user: User,
    organisation: Organisation,
    role: str,
    title: str = "",
    started_on: date | None = None,
    granted_by: User | None = None,
) -> Membership:
    if role not in Role.values:
        raise ValidationError({"role": _("알 수 없는 역할입니다: %(role)s") % {"role": role}})
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user,
            organisation=organisation,
            role=role,
            ended_on=None,
            defaults={"title": title, "started_on": started_on or timezone.localdate()},
        )
        if created:
            MembershipEvent.objects.create(
                kind=MembershipEventKind.GRANTED,
                user=user,
                membership=membership,
                organisation=organisation,
                role=role,
                effective_on=membership.started_on,
                recorded_by=granted_by,
            )
            _authorisation_changed(user)
    return membership


def membership_end(
    *, membership: Membership, ended_on: date | None = None, ended_by: User | None = None
) -> Membership:
    with transaction.atomic():
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if membership.ended_on is not None:
            return membership
        membership.ended_on = ended_on or timezone.localdate()
        membership.save(update_fields=["ended_on"])
        MembershipEvent.objects.create(
            kind=MembershipEventKind.ENDED,
            user_id=membership.user_id,
            membership=membership,
            organisation_id=membership.organisation_id,
            role=membership.role,
            effective_on=membership.ended_on,
            recorded_by=ended_by,
        )
        _authorisation_changed(membership.user)
    return membership


def user_deactivate(*, user: User, deactivated_by: User | None = None) -> User:
    """Stop an account (staff who leave are deactivated, never deleted: their history stays).

    Django already treats a session of an inactive user as anonymous; the version bump
    ends it through the same path as a role change, whatever the backend.
    """
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(is_active=False)
        MembershipEvent.objects.create(
            kind=MembershipEventKind.USER_DEACTIVATED,
            user=user,
            effective_on=timezone.localdate(),
            recorded_by=deactivated_by,
        )
        _authorisation_changed(user)
        user.refresh_from_db(fields=["is_active"])
    return user


def second_factor_required(user: User) -> bool:
    """TOTP is required of anyone whose role reads personal data, and of admin-site users
    (who can grant roles). A read kept here beside the writes it depends on."""
    from bokjihub.orgs.actors import PERSONAL_DATA_ROLES, active_memberships

    if user.is_staff or user.is_superuser:
        return True
    return active_memberships(user).filter(role__in=PERSONAL_DATA_ROLES).exists()


def totp_device_confirmed(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """The user's unconfirmed device, made once and kept until a code from it is verified,
    so that reloading the enrolment page does not change the secret under the user."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="인증 앱", confirmed=False)
    return device


def totp_enrolment_confirm(*, device: TOTPDevice, token: str) -> bool:
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not device.verify_token(token):
            return False
        device.confirmed = True
        device.save(update_fields=["confirmed"])
    return True


def totp_secret_base32(device: TOTPDevice) -> str:
    """The secret as authenticator apps take it when typed by hand (RFC 4648 base32)."""
    return base64.b32encode(device.bin_key).decode("ascii").rstrip("=")


def totp_device_for_demo(user: User) -> str:
    """A confirmed TOTP device for a demo login (made once); returns its base32 secret.

    `bokjihub demo-otp USERNAME` prints the device's current code, so that the demo can
    be tried without an authenticator app. Refused in production.
    """
    if settings.IS_PRODUCTION:
        raise ValidationError("데모용 2단계 인증 장치는 운영 환경에서 만들 수 없습니다.")
    device = totp_device_confirmed(user)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="데모", confirmed=True)
    return totp_secret_base32(device)


def network_create(
    *,
    name: str,
    kind: str,
    sigungu: Sigungu | None,
    members: list[Organisation],
    signed_on: date | None = None,
    purpose: str = "",
) -> Network:
    with transaction.atomic():
        network = Network.objects.create(
            name=name, kind=kind, sigungu=sigungu, signed_on=signed_on, purpose=purpose
        )
        NetworkMember.objects.bulk_create(
            [
                NetworkMember(network=network, organisation=member, joined_on=signed_on)
                for member in members
            ]
        )
    return network


def totp_current_code(device: TOTPDevice) -> str:
    """The code the device's authenticator app shows now (the demo and tests type it)."""
    code = totp(
        device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift
    )
    return str(code).zfill(device.digits)


def totp_devices_reset(*, user: User) -> int:
    """Remove a user's authenticator devices (a lost or replaced phone): the next login
    enrols a new one. Open sessions end, since they were verified with the old device."""
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        _authorisation_changed(user)
    return removed
