"""The demo Si/Gun/Gu's own programmes in the directory (issue 12): meal delivery, home
repairs, emergency food, counselling, visiting health care, daily-life support and the
like, each run by one of the Gu's centres, in its Dongs, with places and a waiting list.

The booklet lists only national benefits; a worker closing a case in the Gu needs the
local ones, with a provider to refer to. Names and texts are realistic; addresses are
"at the provider's building" and phone numbers use the never-assigned exchange 0000, so
nobody mistakes the demo for a real directory.

`demo_local_services` is called by core.demo after the organisations exist;
`demo_local_service` creates one programme for any provider (tests use it for the senior
centre fixture). Both are idempotent: a programme's id is a uuid5 of where it belongs,
and one already there is left as it is (its provider may have confirmed new figures).
"""

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from bokjihub.directory.models import HouseholdType, NeedDomain, Service, ServiceKind, tagged
from bokjihub.orgs.models import Organisation, OrganisationKind
from bokjihub.orgs.services import organisation_create
from bokjihub.regions.models import EupMyeonDong, Sigungu
from bokjihub.regions.selectors import emds_of_sigungu

NAMESPACE = uuid.UUID("3d0f7b3e-8a51-4f0e-9c11-5e7a2b64c0d4")
DEMO_SOURCE = "시연 자료 (가상의 지역 프로그램)"

# Area codes of the Si/Do (by the MOIS 2-digit code): a demo number looks local.
_AREA_CODES = {
    "11": "02", "26": "051", "27": "053", "28": "032", "29": "062", "30": "042",
    "31": "052", "36": "044", "41": "031", "43": "043", "44": "041", "47": "054",
    "48": "055", "50": "064", "51": "033", "52": "063", "12": "061", "46": "061",
    "42": "033", "45": "063",
}  # fmt: skip


@dataclass(frozen=True)
class Provider:
    """Who runs a programme: an organisation of this kind the demo already made, else
    one made here under `name` ("{gu}" is the Gu's short name, as core.demo spells its
    centres: 강동노인복지관)."""

    kind: str
    name: str
    # False: not one of core.demo's organisations even if one of that kind exists (the
    # mental-health centre is not the health centre).
    from_demo: bool = True


@dataclass(frozen=True)
class Programme:
    key: str
    name: str
    provider: Provider
    domains: tuple[str, ...]
    situation: str
    target: str
    benefit: str
    how_to_apply: str
    place: str
    capacity: int | None = None
    waiting: int | None = None
    households: tuple[str, ...] = ()
    minimum_age: int | None = None
    maximum_age: int | None = None
    # How many of the Gu's Dongs it serves (in code order, from the provider's own
    # Dong on); None: the whole Gu.
    dongs: int | None = None
    confirmed_days_ago: int = 3


SENIOR = Provider(OrganisationKind.SENIOR_WELFARE_CENTRE, "{gu}노인복지관")
COMMUNITY = Provider(OrganisationKind.COMMUNITY_WELFARE_CENTRE, "{gu}종합사회복지관")
DISABILITY = Provider(OrganisationKind.DISABILITY_WELFARE_CENTRE, "{gu}장애인복지관")
FAMILY = Provider(OrganisationKind.MULTICULTURAL_FAMILY_CENTRE, "{gu}가족센터")
YOUTH = Provider(OrganisationKind.YOUTH_COUNSELLING_CENTRE, "{gu}청소년상담복지센터")
CHILDREN = Provider(OrganisationKind.LOCAL_CHILDREN_CENTRE, "{gu}행복지역아동센터")
SELF_SUFFICIENCY = Provider(OrganisationKind.SELF_SUFFICIENCY_CENTRE, "{gu}지역자활센터")
HEALTH_CENTRE = Provider(OrganisationKind.HEALTH_CENTRE, "{gu_full} 보건소")
VOLUNTEERS = Provider(OrganisationKind.VOLUNTEER_GROUP, "{gu_full} 자원봉사센터")
# Not among core.demo's organisations: made here through orgs.services.
FOOD_BANK = Provider(OrganisationKind.WELFARE_FOUNDATION, "{gu_full} 기초푸드뱅크", False)
MENTAL_HEALTH = Provider(OrganisationKind.HEALTH_CENTRE, "{gu_full} 정신건강복지센터", False)

PROGRAMMES: tuple[Programme, ...] = (
    Programme(
        key="meal_delivery",
        name="어르신 도시락 배달",
        provider=SENIOR,
        domains=(NeedDomain.OLD_AGE, NeedDomain.LIVELIHOOD, NeedDomain.CARE),
        situation="혼자 식사를 챙기기 어려울 때",
        target="거동이 불편하거나 혼자 식사를 챙기기 어려운 만 65세 이상 어르신 "
        "(기초생활수급자·차상위계층 우선, 결식 우려가 있으면 소득과 관계없이 의뢰 가능)",
        benefit="주 5회(월~금) 점심 도시락을 집으로 배달합니다. 배달하는 직원·자원봉사자가 "
        "문 앞에서 안부를 확인하고, 이상이 있으면 담당 사회복지사에게 바로 알립니다.",
        how_to_apply="행정복지센터 또는 사례관리 기관이 의뢰하면 복지관이 방문 상담 후 "
        "1주일 안에 배달을 시작합니다.",
        place="1층 급식실",
        capacity=60,
        waiting=7,
        households=(HouseholdType.OLDER_PERSON, HouseholdType.SINGLE_PERSON),
        minimum_age=65,
    ),
    Programme(
        key="side_dishes",
        name="밑반찬 나눔 배달",
        provider=COMMUNITY,
        domains=(NeedDomain.LIVELIHOOD, NeedDomain.CARE),
        situation="끼니를 거르거나 반찬을 마련하기 어려울 때",
        target="결식 우려가 있는 1인 가구, 한부모가족, 조손가족",
        benefit="매주 목요일 밑반찬 3종과 국 1종을 집으로 가져다드립니다. "
        "당뇨·저염 식단이 필요하면 미리 알려 주세요.",
        how_to_apply="사례관리 기관의 의뢰 또는 복지관 방문 신청 후 가정 방문 상담",
        place="2층 나눔부엌",
        capacity=80,
        waiting=12,
        households=(
            HouseholdType.SINGLE_PERSON,
            HouseholdType.SINGLE_PARENT,
            HouseholdType.GRANDPARENT_GRANDCHILD,
        ),
    ),
    Programme(
        key="home_repair",
        name="저소득 가구 집수리 지원",
        provider=COMMUNITY,
        domains=(NeedDomain.HOUSING,),
        situation="집이 낡거나 위험해서 살기 어려울 때",
        target="기초생활수급자·차상위계층 또는 위기가구로 의뢰된 자가·임차 가구 "
        "(임차 가구는 집주인 동의 필요)",
        benefit="도배·장판 교체, 단열·방풍 공사, 전기·가스 안전 점검과 보수, 안전손잡이 "
        "설치. 가구당 최대 300만 원 상당, 자원봉사 기술인력과 함께 진행합니다.",
        how_to_apply="의뢰 후 현장 실사(2주 안) → 수리 범위 결정 → 공사 일정 안내",
        place="지역조직팀 사무실",
        capacity=24,
        waiting=9,
        confirmed_days_ago=40,
    ),
    Programme(
        key="emergency_food",
        name="긴급 식품 꾸러미 지원",
        provider=FOOD_BANK,
        domains=(NeedDomain.LIVELIHOOD, NeedDomain.CRISIS_OTHER),
        situation="당장 먹을 것이 없을 때",
        target="실직·질병·체납 등으로 당장 식료품이 필요한 가구 (소득 조사 전 우선 지원)",
        benefit="쌀, 라면, 통조림, 생필품을 담은 긴급 식품 꾸러미를 의뢰 당일 또는 다음 날 "
        "전달합니다. 이후 푸드마켓 이용 (월 1회, 5품목) 으로 이어 갑니다.",
        how_to_apply="행정복지센터·복지관의 의뢰서로 신청, 급하면 전화 후 방문 수령",
        place="푸드마켓 매장",
        capacity=150,
        waiting=0,
    ),
    Programme(
        key="counselling",
        name="마음건강 심리상담",
        provider=MENTAL_HEALTH,
        domains=(NeedDomain.HEALTH, NeedDomain.CRISIS_OTHER),
        situation="우울하거나 삶이 힘들다고 느낄 때",
        target="우울·불안·자살 생각 등으로 상담이 필요한 주민 (나이 제한 없음)",
        benefit="전문요원의 1:1 상담 (회당 50분, 최대 10회), 필요하면 정신건강의학과 "
        "진료 연계와 치료비 지원 안내. 위기 상황이면 당일 방문 상담.",
        how_to_apply="의뢰 또는 전화 예약. 위기 상황이면 24시간 정신건강 상담전화(1577-0199)",
        place="상담실",
        capacity=40,
        waiting=5,
    ),
    Programme(
        key="family_counselling",
        name="가족관계 상담",
        provider=FAMILY,
        domains=(NeedDomain.CRISIS_OTHER, NeedDomain.PREGNANCY_CHILDCARE),
        situation="가족 갈등이나 양육 스트레스가 클 때",
        target="부부·부모자녀 갈등, 한부모·다문화가족 등 가족관계 상담이 필요한 가족",
        benefit="개인·부부·가족 상담 (최대 8회), 통역이 필요한 다문화가족은 통역 지원",
        how_to_apply="전화 예약 후 초기 상담, 사례관리 기관의 의뢰 가능",
        place="가족상담실",
        capacity=30,
        waiting=4,
        households=(HouseholdType.SINGLE_PARENT, HouseholdType.MULTICULTURAL),
    ),
    Programme(
        key="youth_counselling",
        name="위기청소년 상담·동반자",
        provider=YOUTH,
        domains=(NeedDomain.YOUTH,),
        situation="청소년이 가출·학업중단·학교폭력 등으로 위기에 있을 때",
        target="만 9세~24세 위기청소년과 그 보호자",
        benefit="청소년동반자가 찾아가는 상담(주 1~2회), 긴급 보호·의료·학업 복귀 연계",
        how_to_apply="의뢰 또는 청소년상담 1388, 학교 위(Wee)클래스를 통한 연계",
        place="상담지원팀",
        capacity=45,
        waiting=6,
        minimum_age=9,
        maximum_age=24,
    ),
    Programme(
        key="visiting_health",
        name="방문건강관리",
        provider=HEALTH_CENTRE,
        domains=(NeedDomain.HEALTH, NeedDomain.OLD_AGE),
        situation="아픈 데가 있어도 병원에 다니기 어려울 때",
        target="만성질환이 있는 독거 어르신, 장애인, 기초생활수급자 등 건강관리가 필요한 취약계층",
        benefit="방문간호사가 집으로 찾아가 혈압·혈당 측정, 복약 지도, 영양·운동 상담을 "
        "하고 필요하면 병원·치매안심센터로 연계합니다 (월 1~2회).",
        how_to_apply="행정복지센터 또는 사례관리 기관의 의뢰, 보건소 방문보건팀 접수",
        place="방문보건팀",
        capacity=200,
        waiting=18,
        households=(HouseholdType.OLDER_PERSON, HouseholdType.DISABILITY),
    ),
    Programme(
        key="daily_life_support",
        name="어르신 일상생활 지원 (병원 동행·장보기)",
        provider=SENIOR,
        domains=(NeedDomain.OLD_AGE, NeedDomain.CARE),
        situation="혼자 병원에 가거나 장을 보기 어려울 때",
        target="장기요양등급이 없어 돌봄 공백이 있는 만 65세 이상 어르신",
        benefit="병원 동행, 장보기·관공서 동행, 간단한 가사 지원을 주 2회, 회당 2시간까지 "
        "생활지원사가 돕습니다.",
        how_to_apply="의뢰 후 복지관 사회복지사가 방문해 필요한 지원을 정합니다.",
        place="재가복지팀",
        capacity=30,
        waiting=5,
        households=(HouseholdType.OLDER_PERSON,),
        minimum_age=65,
    ),
    Programme(
        key="safety_calls",
        name="홀몸 어르신 안부 확인",
        provider=VOLUNTEERS,
        domains=(NeedDomain.OLD_AGE, NeedDomain.CARE),
        situation="홀로 지내며 연락할 사람이 없을 때",
        target="사회적 관계가 끊긴 1인 가구 어르신·중장년",
        benefit="자원봉사자가 주 2회 안부 전화, 월 1회 방문합니다. 연락이 닿지 않으면 "
        "당일 행정복지센터에 알립니다.",
        how_to_apply="의뢰 또는 본인·이웃 신청",
        place="자원봉사센터 사무실",
        capacity=120,
        waiting=0,
        households=(HouseholdType.SINGLE_PERSON, HouseholdType.OLDER_PERSON),
    ),
    Programme(
        key="disability_mobility",
        name="장애인 이동·외출 동행",
        provider=DISABILITY,
        domains=(NeedDomain.DISABILITY, NeedDomain.CARE),
        situation="장애로 혼자 외출하기 어려울 때",
        target="활동지원 시간이 부족하거나 받지 못하는 등록장애인",
        benefit="병원·관공서·장보기 외출 동행 (월 8회까지), 휠체어 탑승 차량 지원",
        how_to_apply="의뢰 후 초기 상담, 차량은 이틀 전까지 예약",
        place="지역사회재활팀",
        capacity=25,
        waiting=8,
        households=(HouseholdType.DISABILITY,),
    ),
    Programme(
        key="after_school_care",
        name="방과후 돌봄·저녁 급식",
        provider=CHILDREN,
        domains=(NeedDomain.PREGNANCY_CHILDCARE, NeedDomain.EDUCATION),
        situation="방과 후 아이를 돌봐 줄 사람이 없을 때",
        target="돌봄이 필요한 초등학생 (맞벌이·한부모·조손가족 우선)",
        benefit="평일 방과 후~저녁 7시 돌봄, 학습 지도, 저녁 급식",
        how_to_apply="센터 방문 상담 후 등록, 사례관리 기관의 의뢰 가능",
        place="센터 교실",
        capacity=29,
        waiting=3,
        households=(
            HouseholdType.WITH_CHILDREN,
            HouseholdType.SINGLE_PARENT,
            HouseholdType.GRANDPARENT_GRANDCHILD,
        ),
        minimum_age=6,
        maximum_age=12,
        dongs=3,
    ),
    Programme(
        key="self_sufficiency_work",
        name="자활근로 사업단 참여",
        provider=SELF_SUFFICIENCY,
        domains=(NeedDomain.EMPLOYMENT, NeedDomain.LIVELIHOOD),
        situation="일을 하고 싶지만 일자리를 구하기 어려울 때",
        target="근로능력이 있는 기초생활수급자·차상위계층 (조건부수급자 포함)",
        benefit="카페·청소·집수리 사업단에서 일하며 자활급여를 받고, 자격증·취업 준비를 돕습니다.",
        how_to_apply="행정복지센터에서 자활사업 참여 신청 후 센터 상담",
        place="자활센터 상담실",
        capacity=50,
        waiting=2,
    ),
)


def programme(key: str) -> Programme:
    return next(item for item in PROGRAMMES if item.key == key)


def _short(sigungu: Sigungu) -> str:
    """The Gu's name as core.demo spells its centres: 강동구 → 강동."""
    return sigungu.name_ko[:-1]


def provider_name(provider: Provider, sigungu: Sigungu) -> str:
    return provider.name.format(gu=_short(sigungu), gu_full=sigungu.name_ko)


def _phone(sigungu: Sigungu, number: int) -> str:
    # The exchange 0000 is never assigned: obviously not a real number.
    area = _AREA_CODES.get(sigungu.code[:2], "02")
    return f"{area}-0000-{number:04d}"


def _provider(
    provider: Provider, sigungu: Sigungu, organisations: dict[str, Organisation]
) -> Organisation:
    found = organisations.get(provider.kind) if provider.from_demo else None
    if found is not None:
        return found
    name = provider_name(provider, sigungu)
    existing = Organisation.objects.filter(name=name, sigungu=sigungu).first()
    if existing is not None:
        return existing
    return organisation_create(
        name=name,
        kind=provider.kind,
        sigungu=sigungu,
        service_area=list(emds_of_sigungu(sigungu, as_of=timezone.localdate())),
        phone=_phone(sigungu, 9000 + len(name)),
    )


def service_id_for(provider: Organisation, key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"demo-local:{provider.pk}:{key}")


def _dongs(provider: Organisation, count: int | None, day: date) -> list[EupMyeonDong]:
    """The Dongs a programme serves: the provider's service area, else its Gu's; with
    `count`, that many from the provider's own Dong on (code order)."""
    area = list(provider.service_area.order_by("code"))
    if not area and provider.sigungu is not None:
        area = list(emds_of_sigungu(provider.sigungu, as_of=day).order_by("code"))
    if count is None or count >= len(area):
        return area
    start = next((i for i, emd in enumerate(area) if emd.pk == provider.emd_id), 0)
    return (area[start:] + area[:start])[:count]


def demo_local_service(
    provider: Organisation,
    *,
    key: str = "meal_delivery",
    emds: list[EupMyeonDong] | None = None,
    day: date | None = None,
) -> Service:
    """One programme of the catalogue run by `provider` (the meal delivery by default),
    in `emds` or the provider's area; the one already there when called again."""
    item = programme(key)
    service_id = service_id_for(provider, key)
    existing = Service.objects.filter(pk=service_id).first()
    if existing is not None:
        return existing
    day = day or timezone.localdate()
    sigungu = provider.sigungu
    dongs = emds if emds is not None else _dongs(provider, item.dongs, day)
    anchor = dongs[0].name_ko + " " if dongs else ""
    confirmed = timezone.make_aware(
        datetime.combine(day - timedelta(days=item.confirmed_days_ago), time(10, 0))
    )
    number = 1000 + PROGRAMMES.index(item) * 11 + (provider.pk % 7)
    with transaction.atomic():
        service = Service.objects.create(
            id=service_id,
            name=item.name,
            description=item.benefit.split(". ")[0].rstrip(".") + ".",
            kind=ServiceKind.LOCAL_PROGRAMME,
            situation=item.situation,
            eligibility_description=item.target,
            benefit=item.benefit,
            application_process=item.how_to_apply,
            contact=f"{provider.name} ☎ {_phone(sigungu, number)} (시연용 가상 번호)"
            if sigungu
            else provider.name,
            address=f"{sigungu.full_name_ko if sigungu else ''} {anchor}{provider.name} "
            f"{item.place}".strip(),
            need_domains=tagged(list(item.domains)),
            household_types=tagged(list(item.households)),
            minimum_age=item.minimum_age,
            maximum_age=item.maximum_age,
            provider=provider,
            capacity=item.capacity,
            waiting_list=item.waiting,
            capacity_confirmed_at=confirmed if item.capacity is not None else None,
            source=DEMO_SOURCE,
            source_key=f"demo:{key}",
        )
        service.emds.set(dongs)
    return service


def demo_local_services(
    *,
    sigungu: Sigungu,
    organisations: dict[str, Organisation] | None = None,
    day: date | None = None,
) -> int:
    """Every programme of the catalogue for the Gu, with its provider (made when the
    demo has none of that name). Returns how many services were added (0 when run
    again)."""
    organisations = organisations or {}
    day = day or timezone.localdate()
    added = 0
    for item in PROGRAMMES:
        provider = _provider(item.provider, sigungu, organisations)
        if Service.objects.filter(pk=service_id_for(provider, item.key)).exists():
            continue
        demo_local_service(provider, key=item.key, day=day)
        added += 1
    return added
