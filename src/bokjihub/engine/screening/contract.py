"""The feed contract: which indicators agencies send, in which unit, from which agency.

A feed is a table (Parquet or CSV) with one row per signal about one person:

    person_key   HMAC-SHA256 (hex, 64 chars) of the RRN under the shared pepper, or empty
    name         with birth_date and address: the key when person_key is empty
    birth_date   YYYY-MM-DD
    address      road address (도로명주소)
    indicator    one of INDICATORS' names
    value        a number in the indicator's unit (flags: 1; codes: the code's number)
    observed_on  YYYY-MM-DD, the day the agency observed the state
    agency       the agency's code (AGENCIES)

docs/feeds.md is the human-readable version of this module; a test keeps them in step.
"""

from dataclasses import dataclass, field

FEED_COLUMNS = (
    "person_key",
    "name",
    "birth_date",
    "address",
    "indicator",
    "value",
    "observed_on",
    "agency",
)

AGENCIES = {
    "kepco": "한국전력공사",
    "water": "지자체 상수도사업본부",
    "gas": "도시가스사업자",
    "nhis": "국민건강보험공단",
    "nps": "국민연금공단",
    "kait": "한국정보통신진흥협회(통신사)",
    "lh": "한국토지주택공사·지방공사",
    "ssis": "사회보장정보원(행복e음)",
    "moel": "고용노동부",
    "nemc": "국립중앙의료원(응급의료)",
    "moe": "교육부(NEIS)",
    "ncrc": "아동권리보장원",
    "mois": "행정안전부(주민등록)",
    "kcomwel": "근로복지공단",
    "molit": "국토교통부",
}


@dataclass(frozen=True, slots=True)
class Indicator:
    """One signal an agency sends.

    ``saturation``: the value at which the indicator's rule contribution reaches its full
    weight (contribution = weight × min(value / saturation, 1)). ``reason``: the plain
    Korean reason, ``{v}`` replaced by the value shown in ``display_unit`` (amounts in
    만원: ``display_divisor`` 10,000). ``codes``: for coded values, code → Korean label;
    ``{v}`` is then the label.
    """

    name: str
    label_ko: str
    unit: str  # months / won / days / count / flag / code
    value_type: str  # int / float / flag / code
    min_value: float
    max_value: float
    agency: str
    weight: float
    saturation: float
    reason: str
    display_divisor: float = 1.0
    codes: dict[int, str] = field(default_factory=dict)


def _i(*args, **kwargs) -> Indicator:
    return Indicator(*args, **kwargs)


# Weights mirror the national practice of weighting direct hardship (cut-offs, arrears of
# several months, rejected applications, suicide attempts) above context (living alone,
# disability registration): a transparent baseline, overridable per Si/Gun/Gu.
INDICATORS: tuple[Indicator, ...] = (
    _i("electricity_cutoff", "전기 단전(단류)", "flag", "flag", 1, 1, "kepco", 3.0, 1,
       "전기 단전"),
    _i("electricity_arrears_months", "전기요금 체납 개월", "months", "int", 1, 60, "kepco",
       2.0, 3, "전기요금 {v}개월 체납"),
    _i("electricity_arrears_amount", "전기요금 체납액", "won", "int", 1, 50_000_000, "kepco",
       1.0, 300_000, "전기요금 {v}만원 체납", 10_000),
    _i("water_cutoff", "수도 단수", "flag", "flag", 1, 1, "water", 3.0, 1, "수도 단수"),
    _i("water_arrears_months", "수도요금 체납 개월", "months", "int", 1, 60, "water", 1.5, 3,
       "수도요금 {v}개월 체납"),
    _i("gas_cutoff", "가스 공급 중단", "flag", "flag", 1, 1, "gas", 2.5, 1, "가스 공급 중단"),
    _i("gas_arrears_months", "가스요금 체납 개월", "months", "int", 1, 60, "gas", 1.5, 3,
       "가스요금 {v}개월 체납"),
    _i("health_insurance_arrears_months", "건강보험료 체납 개월", "months", "int", 1, 120,
       "nhis", 2.5, 6, "건강보험료 {v}개월 체납"),
    _i("health_insurance_arrears_amount", "건강보험료 체납액", "won", "int", 1, 100_000_000,
       "nhis", 1.0, 500_000, "건강보험료 {v}만원 체납", 10_000),
    _i("pension_arrears_months", "국민연금 체납 개월", "months", "int", 1, 240, "nps", 1.0, 12,
       "국민연금 {v}개월 체납"),
    _i("telecom_arrears_months", "통신비 체납 개월", "months", "int", 1, 60, "kait", 1.5, 3,
       "통신비 {v}개월 체납"),
    _i("rent_arrears_months", "임대료 체납 개월", "months", "int", 1, 60, "lh", 2.5, 3,
       "임대료 {v}개월 체납"),
    _i("public_housing_arrears_months", "공공임대주택 관리비 체납 개월", "months", "int", 1, 60,
       "lh", 2.0, 3, "공공임대 관리비 {v}개월 체납"),
    _i("nbls_rejected", "기초생활보장 신청 탈락(사유)", "code", "code", 1, 4, "ssis", 3.0, 1,
       "기초생활보장 탈락({v})", 1.0,
       {1: "소득 초과", 2: "재산 초과", 3: "부양의무자 기준", 4: "기타"}),
    _i("emergency_aid_ended", "긴급복지지원 종료", "flag", "flag", 1, 1, "ssis", 2.0, 1,
       "긴급복지지원 종료"),
    _i("benefit_suspended", "복지급여 중지·탈락", "flag", "flag", 1, 1, "ssis", 1.5, 1,
       "복지급여 중지"),
    _i("employment_insurance_lost", "고용보험 상실", "flag", "flag", 1, 1, "moel", 1.5, 1,
       "고용보험 자격 상실"),
    _i("unemployment_benefit_ended", "실업급여 종료", "flag", "flag", 1, 1, "moel", 1.5, 1,
       "실업급여 종료"),
    _i("unpaid_wages_amount", "임금체불액", "won", "int", 1, 500_000_000, "moel", 1.5,
       3_000_000, "임금체불 {v}만원", 10_000),
    _i("industrial_accident", "산재 요양 종료 후 미취업", "flag", "flag", 1, 1, "kcomwel", 1.0,
       1, "산재 요양 종료 후 미취업"),
    _i("catastrophic_medical_costs", "재난적 의료비 지원(본인부담 과다)", "won", "int", 1,
       1_000_000_000, "nhis", 2.0, 5_000_000, "의료비 본인부담 {v}만원", 10_000),
    _i("suicide_attempt_er_visit", "자살 시도 응급실 내원", "count", "int", 1, 20, "nemc", 4.0,
       1, "자살 시도로 응급실 내원 {v}회"),
    _i("long_term_hospital_discharge", "장기입원 후 퇴원", "days", "int", 30, 3650, "nhis", 1.5,
       180, "{v}일 입원 후 퇴원"),
    _i("mental_health_treatment_dropout", "정신건강 치료 중단", "flag", "flag", 1, 1, "nhis",
       1.5, 1, "정신건강 치료 중단"),
    _i("child_school_absence_days", "아동 장기결석 일수", "days", "int", 1, 365, "moe", 2.0, 20,
       "자녀 {v}일 결석"),
    _i("free_meal_support", "아동급식 지원 대상", "flag", "flag", 1, 1, "moe", 0.8, 1,
       "아동급식 지원 대상"),
    _i("child_neglect_report", "아동 방임 신고", "count", "int", 1, 20, "ncrc", 3.0, 1,
       "아동 방임 신고 {v}건"),
    _i("infant_checkup_missed", "영유아 건강검진 미수검", "count", "int", 1, 10, "nhis", 1.0, 2,
       "영유아 검진 {v}회 미수검"),
    _i("disability_registered", "장애인 등록", "flag", "flag", 1, 1, "ssis", 0.5, 1,
       "등록장애인"),
    _i("recent_bereavement", "최근 사별(동거가족 사망)", "flag", "flag", 1, 1, "mois", 1.5, 1,
       "최근 가족 사별"),
    _i("single_person_65_plus", "65세 이상 1인가구", "flag", "flag", 1, 1, "mois", 0.5, 1,
       "65세 이상 홀로 거주"),
    _i("middle_aged_single_male", "중장년 1인 남성 가구", "flag", "flag", 1, 1, "mois", 0.5, 1,
       "중장년 1인 남성 가구"),
    _i("moved_to_small_rental", "고시원·쪽방 등 소형 임차 전입", "flag", "flag", 1, 1, "mois",
       1.5, 1, "고시원·쪽방 전입"),
    _i("housing_deposit_unreturned", "임차보증금 미반환(전세사기 피해)", "won", "int", 1,
       2_000_000_000, "molit", 1.5, 50_000_000, "보증금 {v}만원 미반환", 10_000),
    _i("financial_delinquency", "금융 연체(채무조정 신청)", "flag", "flag", 1, 1, "ssis", 1.5,
       1, "금융 연체·채무조정"),
)  # fmt: skip

BY_NAME: dict[str, Indicator] = {indicator.name: indicator for indicator in INDICATORS}


def default_weights() -> dict[str, float]:
    """Indicator → weight of the national baseline rule score."""
    return {indicator.name: indicator.weight for indicator in INDICATORS}
