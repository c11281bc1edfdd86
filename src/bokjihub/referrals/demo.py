"""Demo referrals: a handful of referrals in every status from the Gil-dong centre's open
cases to the demo's private centres, built through the services (so the case timelines,
the inbox and the overdue marks look as they would in use). Called by core.demo."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from bokjihub.cases.models import Case, CaseStatus
from bokjihub.cases.services import CaseAlreadyOpen, case_open
from bokjihub.orgs.models import Organisation, OrganisationKind, User
from bokjihub.people.models import Household
from bokjihub.referrals.models import Referral, ReferralStatus
from bokjihub.referrals.services import referral_send, referral_status_update

# (receiving organisation kind, need domain, request, the moves it has been through)
DEMO_REFERRALS = [
    (
        OrganisationKind.SENIOR_WELFARE_CENTRE,
        "daily_living",
        "혼자 사시는 어르신입니다. 주 3회 밑반찬 배달과 안부 확인을 부탁드립니다.",
        [ReferralStatus.RECEIVED, ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE],
    ),
    (
        OrganisationKind.COMMUNITY_WELFARE_CENTRE,
        "social_relations",
        "고립 위험이 있습니다. 동네 모임 프로그램 연계를 부탁드립니다.",
        [],
    ),
    (
        OrganisationKind.SELF_SUFFICIENCY_CENTRE,
        "employment",
        "실직 후 석 달째입니다. 자활근로 상담을 부탁드립니다.",
        [ReferralStatus.RECEIVED],
    ),
    (
        OrganisationKind.DISABILITY_WELFARE_CENTRE,
        "care",
        "보호자 입원으로 돌봄 공백이 생겼습니다. 활동지원 연계가 가능한지 봐 주세요.",
        [ReferralStatus.DECLINED],
    ),
    (
        OrganisationKind.WELFARE_FOUNDATION,
        "housing",
        "겨울철 난방비 지원이 필요합니다.",
        [ReferralStatus.ACCEPTED, ReferralStatus.IN_SERVICE, ReferralStatus.COMPLETED],
    ),
    (
        OrganisationKind.MULTICULTURAL_FAMILY_CENTRE,
        "family",
        "통역을 곁들인 가족 상담을 부탁드립니다.",
        [ReferralStatus.CANCELLED],
    ),
]
DEMO_REASONS = {
    ReferralStatus.DECLINED: (
        "정원이 차 이번 달에는 받을 수 없습니다. 다음 달 대기 등록은 가능합니다."
    ),
    ReferralStatus.CANCELLED: "가구가 다른 구로 전출하여 의뢰를 거둡니다.",
    ReferralStatus.NOT_COMPLETED: "연락이 닿지 않아 서비스를 마치지 못했습니다.",
}


def _demo_cases(centre: Organisation, officer, needed: int) -> list[Case]:
    cases = list(
        Case.objects.filter(lead_organisation=centre, status=CaseStatus.OPEN).order_by("id")[
            :needed
        ]
    )
    if len(cases) >= needed:
        return cases
    households = Household.objects.filter(emd=centre.emd, destroyed_at__isnull=True).exclude(
        cases__status=CaseStatus.OPEN
    )
    for household in households.order_by("id")[: needed - len(cases)]:
        try:
            cases.append(
                case_open(
                    household=household,
                    lead_organisation=centre,
                    case_manager=officer,
                    by=officer,
                    summary="시범 사례: 위기가구 발굴 후 지원 중",
                )
            )
        except CaseAlreadyOpen as existing:
            cases.append(existing.case)
    return cases


def demo_referrals(*, organisations: dict[str, Organisation], officer_username="officer") -> int:
    """Add the demo referrals (idempotent: nothing is added when the Dong centre has sent
    referrals already). `organisations` is core.demo.demo_organisations's dict; the
    referring officer is the demo's `officer` login. Returns how many were added."""
    officer = User.objects.filter(username=officer_username).first()
    centre = next(
        (
            organisation
            for organisation in organisations.values()
            if organisation.kind == OrganisationKind.EMD_CENTRE
            and officer is not None
            and officer.memberships.filter(
                organisation=organisation, ended_on__isnull=True
            ).exists()
        ),
        None,
    )
    if centre is None or Referral.objects.filter(from_organisation=centre).exists():
        return 0
    cases = _demo_cases(centre, officer, needed=len(DEMO_REFERRALS))
    added = 0
    for case, (kind, domain, text, moves) in zip(cases, DEMO_REFERRALS, strict=False):
        receiver = organisations.get(kind)
        if receiver is None:
            continue
        referral = referral_send(
            case=case,
            from_organisation=centre,
            by=officer,
            to_organisation=receiver,
            need_domain=domain,
            request_text=text,
        )
        for status in moves:
            side = centre if status == ReferralStatus.CANCELLED else receiver
            referral = referral_status_update(
                referral=referral,
                to_status=status,
                organisation=side,
                reason=DEMO_REASONS.get(status, ""),
            ).referral
        added += 1
    # One referral left waiting past its deadline, so the inbox shows an overdue mark.
    Referral.objects.filter(Q(from_organisation=centre), status=ReferralStatus.RECEIVED).update(
        status_due_at=timezone.now() - timedelta(days=1)
    )
    return added
