"""The finder network: registering finders at a hub, and how each group of finders does.

A finder (명예사회복지공무원) is appointed by a hub, an Eup/Myeon/Dong centre or the
Si/Gun/Gu office where the Gun runs its hub there, and works through a `finder` role
membership at that hub: that is what lets them log in to the report form and nothing else.
"""

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bokjihub.finding.models import Finder, FinderKind, Outcome, Report
from bokjihub.finding.selectors import month_bounds
from bokjihub.orgs.models import Network, Organisation, OrganisationKind, Role, User
from bokjihub.orgs.services import membership_grant
from bokjihub.regions.models import Sigungu

HUB_KINDS = (OrganisationKind.EMD_CENTRE, OrganisationKind.SIGUNGU_OFFICE)
NO_NETWORK = gettext_lazy("소속 네트워크 없음")


def _korean(text) -> str:
    with translation.override("ko"):
        return str(text)


def finder_register(
    *,
    user: User,
    hub: Organisation,
    kind: str,
    network: Network | None = None,
    registered_on: date,
    registered_by: User | None = None,
) -> Finder:
    errors = {}
    if hub.kind not in HUB_KINDS:
        errors["hub"] = _("발굴단은 읍·면·동 행정복지센터나 시·군·구청이 위촉합니다.")
    if kind not in FinderKind.values:
        errors["kind"] = _("발굴단원의 구분(약사, 통·반장 등)을 목록에서 골라 주세요.")
    if network is not None and network.sigungu_id not in (None, hub.sigungu_id):
        errors["network"] = _("%(network)s은(는) %(hub)s의 시·군·구 네트워크가 아닙니다.") % {
            "network": network.name,
            "hub": hub.name,
        }
    if Finder.objects.filter(user=user).exists():
        errors["user"] = _("%(user)s은(는) 이미 발굴단으로 위촉되어 있습니다.") % {"user": user}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        finder = Finder.objects.create(
            user=user, hub=hub, kind=kind, network=network, registered_on=registered_on
        )
        membership_grant(
            user=user,
            organisation=hub,
            role=Role.FINDER,
            # stored once and read by everyone: in the source language
            title=f"명예사회복지공무원({_korean(FinderKind(kind).label)})",
            started_on=registered_on,
            granted_by=registered_by,
        )
    return finder


def _finders_q(hub_or_sigungu: Organisation | Sigungu, prefix: str = "") -> Q:
    if isinstance(hub_or_sigungu, Sigungu):
        return Q(**{f"{prefix}hub__sigungu": hub_or_sigungu}) | Q(
            **{f"{prefix}hub__sigungu__parent": hub_or_sigungu}
        )
    return Q(**{f"{prefix}hub": hub_or_sigungu})


def finders_of(hub_or_sigungu: Organisation | Sigungu) -> QuerySet[Finder]:
    """The finders appointed by a hub, or by every hub of a Si/Gun/Gu."""
    return (
        Finder.objects.filter(_finders_q(hub_or_sigungu))
        .select_related("user", "hub", "network")
        .order_by("-is_active", "hub__name", "kind", "user__display_name", "id")
    )


@dataclass
class FinderGroup:
    label: str
    finders: int = 0
    reports: int = 0
    items: int = 0  # distinct triage items their reports went into
    found: int = 0  # of those items, closed with the need confirmed

    @property
    def found_share(self) -> float | None:
        return round(self.found / self.items, 3) if self.items else None


@dataclass
class FinderGroupStats:
    month: date
    by_kind: list[FinderGroup] = field(default_factory=list)
    by_network: list[FinderGroup] = field(default_factory=list)


def finder_group_stats(*, hub_or_sigungu: Organisation | Sigungu, month: date) -> FinderGroupStats:
    """Reports made by finders in a month (Asia/Seoul), per finder kind and per network,
    and the share of the items those reports went into that were closed as found.

    Two queries: the finders (so a group with no report this month still shows) and the
    month's finder reports with their item's outcome. Counts, not personal data.
    """
    start, end = month_bounds(month)
    kinds: dict[str, FinderGroup] = {}
    networks: dict[str, FinderGroup] = {}
    for kind, network_name in (
        finders_of(hub_or_sigungu).filter(is_active=True).values_list("kind", "network__name")
    ):
        _group(kinds, str(FinderKind(kind).label)).finders += 1
        _group(networks, network_name or str(NO_NETWORK)).finders += 1
    rows = Report.objects.filter(
        _finders_q(hub_or_sigungu, "finder__"),
        finder__isnull=False,
        received_at__gte=start,
        received_at__lt=end,
    ).values_list("finder__kind", "finder__network__name", "item_id", "item__outcome")
    seen: dict[str, set[int]] = {}
    for kind, network_name, item_id, outcome in rows:
        for groups, label in (
            (kinds, str(FinderKind(kind).label)),
            (networks, network_name or str(NO_NETWORK)),
        ):
            group = _group(groups, label)
            group.reports += 1
            items = seen.setdefault(f"{id(groups)}:{label}", set())
            if item_id not in items:
                items.add(item_id)
                group.items += 1
                group.found += outcome == Outcome.FOUND
    return FinderGroupStats(
        month=month.replace(day=1),
        by_kind=_ordered(kinds),
        by_network=_ordered(networks),
    )


def _group(groups: dict[str, FinderGroup], label: str) -> FinderGroup:
    return groups.setdefault(label, FinderGroup(label=label))


def _ordered(groups: dict[str, FinderGroup]) -> list[FinderGroup]:
    return sorted(groups.values(), key=lambda group: (-group.reports, group.label))
