"""Donors, inventory, campaigns, recognition and waiting needs for the demo Gu (issue 6).

Called by core.demo after the organisations exist; running it again adds nothing (it
stops when the Gu already has donors)."""

import random
from datetime import date, timedelta

from bokjihub.regions.selectors import emds_of_sigungu
from bokjihub.resources.models import (
    Donor,
    DonorKind,
    RecognitionKind,
    ResourceKind,
    TargetGroup,
)
from bokjihub.resources.services import (
    campaign_open,
    donor_register,
    need_record,
    pledge_add,
    recognition_award,
    resource_receive,
)

# (kind, description, unit, value per unit in KRW, shelf life in days or None)
ITEMS = [
    (ResourceKind.IN_KIND, "쌀 10kg", "포", 32_000, 180),
    (ResourceKind.IN_KIND, "밑반찬 세트", "세트", 15_000, 5),
    (ResourceKind.IN_KIND, "겨울 이불", "채", 60_000, None),
    (ResourceKind.IN_KIND, "라면 1상자", "상자", 18_000, 120),
    (ResourceKind.CASH, "후원금", "원", 1, None),
    (ResourceKind.VOLUNTEER_SERVICE, "집수리 봉사", "시간", 0, None),
    (ResourceKind.EDUCATION, "학습 멘토링", "회", 0, None),
]
NEEDS = {
    ResourceKind.CASH: ("긴급 생계비", 300_000),
    ResourceKind.IN_KIND: ("식료품·생필품", 150_000),
    ResourceKind.VOLUNTEER_SERVICE: ("집수리·청소", 8),
    ResourceKind.EDUCATION: ("아동 학습 지원", 4),
}
DONOR_NAMES = {
    DonorKind.PERSON: ["김○○ 후원자", "이○○ 후원자", "박○○ 후원자", "최○○ 후원자"],
    DonorKind.BUSINESS: ["{dong} 정육점", "{dong} 약국", "{dong} 베이커리", "{dong} 주유소"],
    DonorKind.RELIGIOUS: ["{dong} 교회", "{dong} 성당", "{dong} 사찰"],
}


def demo_resources(
    *, sigungu, office, centres: dict, seed: int, day: date, needs: int = 240
) -> int:
    """Add the Gu's donors and what they gave (richer Dongs, by a seeded index, have more
    donors), a Hope Link style campaign for school uniforms, recognition and waiting
    needs. `centres` maps a Dong's code to its centre. Returns the donors added."""
    if Donor.objects.filter(sigungu=sigungu).exists():
        return 0
    rng = random.Random(f"resources:{sigungu.code}:{seed}")  # noqa: S311 - demo data
    emds = list(emds_of_sigungu(sigungu, as_of=day).order_by("code"))
    wealth = {emd.id: rng.lognormvariate(0, 0.7) for emd in emds}
    donors = [
        donor_register(
            sigungu=sigungu,
            name=f"{sigungu.name_ko} 사회복지협의회",
            kind=DonorKind.PUBLIC_BODY,
            registered_by=office,
        )
    ]
    used = {donors[0].name}
    for emd in emds:
        for index in range(1 + round(3 * wealth[emd.id])):
            kind = rng.choice(list(DONOR_NAMES))
            name = rng.choice(DONOR_NAMES[kind]).format(dong=emd.name_ko)
            name = f"{name} ({emd.name_ko})" if "○" in name else name
            if name in used:
                name = f"{name} {index + 1}"
            used.add(name)
            donors.append(
                donor_register(
                    sigungu=sigungu,
                    name=name,
                    kind=kind,
                    home_emd=emd,
                    allowed_emd=emd if rng.random() < 0.4 else None,
                    allowed_group=rng.choice(["", "", TargetGroup.CHILDREN, TargetGroup.ELDERLY]),
                    registered_by=centres.get(emd.code, office),
                )
            )
    for donor in donors:
        for _ in range(rng.randint(1, 3)):
            kind, description, unit, value, shelf = rng.choice(ITEMS)
            quantity = {
                ResourceKind.CASH: rng.choice([300_000, 500_000, 1_000_000]),
                ResourceKind.VOLUNTEER_SERVICE: rng.randint(8, 40),
                ResourceKind.EDUCATION: rng.randint(4, 20),
            }.get(kind, rng.randint(5, 30))
            resource_receive(
                donor=donor,
                kind=kind,
                description=description,
                quantity=quantity,
                unit=unit,
                value_krw=quantity * value,
                held_by=centres.get(donor.home_emd.code if donor.home_emd else "", office),
                received_on=day - timedelta(days=rng.randint(0, 20)),
                expires_on=day + timedelta(days=rng.randint(1, shelf)) if shelf else None,
                emd=donor.home_emd,
            )
    poorest = min(emds, key=lambda emd: wealth[emd.id])
    campaign = campaign_open(
        organisation=centres.get(poorest.code, office),
        title="교복 12벌",
        description="중학교에 입학하는 한부모·조손가정 아이 12명의 교복을 이웃이 함께 마련합니다.",
        target_group=TargetGroup.CHILDREN,
        target_quantity=12,
        unit="벌",
        target_amount_krw=12 * 250_000,
        deadline=day + timedelta(days=30),
        opened_on=day,
        emd=poorest,
    )
    for name, count in [("이웃 모임", 3), ("동네 세탁소", 2), ("익명", 2)]:
        pledge_add(
            campaign=campaign,
            pledger_name=name,
            quantity=count,
            amount_krw=count * 250_000,
            pledged_on=day,
        )
    recognition_award(
        sigungu=sigungu,
        donor=donors[1],
        kind=RecognitionKind.CITATION,
        awarded_on=day,
        reason="위기가구 후원에 꾸준히 참여",
        awarded_by=office,
    )
    recognition_award(
        sigungu=sigungu,
        recipient_name="정○○ 자원봉사자",
        kind=RecognitionKind.LETTER_OF_THANKS,
        awarded_on=day,
        reason="홀몸 어르신 집수리 봉사 120시간",
        awarded_by=office,
    )
    for _ in range(needs):
        # Poorer Dongs have more waiting needs (the field study).
        emd = rng.choices(emds, weights=[1 / wealth[e.id] for e in emds])[0]
        kind = rng.choice(list(NEEDS))
        description, size = NEEDS[kind]
        need_record(
            emd=emd,
            target_group=rng.choice(TargetGroup.values),
            kind=kind,
            quantity=max(1, round(size * rng.uniform(0.3, 2.0))),
            weight=rng.randint(1, 5),
            description=description,
            recorded_by=centres.get(emd.code, office),
        )
    return len(donors)
