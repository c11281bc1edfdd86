"""Hand-off of a screening run's candidates to the triage inbox (Django glue).

Each ranked candidate of a Si/Gun/Gu enters the responsible hub's inbox through
:func:`report_submit` with channel "screening": the head of the household (from the run's
registry) as the subject, concerns mapped from the indicators that drove the score, and
the candidate's plain-Korean reasons in the report's free text, so that every candidate
in the inbox shows its reasons.

* Idempotent: the idempotency key is ``screening:<run id>:<household>``, the run id being
  a digest of the ranked candidates file, so importing a run twice creates nothing new.
* Households with an open case are skipped.
* Household matching: a candidate's members carry ``person_key``, the HMAC-SHA256 of the
  RRN under the agencies' shared pepper. It equals ``Person.rrn_blind_index`` only when
  that pepper is the blind-index key (``settings.BLIND_INDEX_KEY``, decoded); synthetic
  feeds use the engine's own, public pepper, so they never match on the key. Without a
  key match, a member is matched on name + birth date + road address; otherwise the item
  stays unmatched for the officer (and the matching proposals of the inbox).
"""

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.conf import settings
from django.core.exceptions import ValidationError

from bokjihub.cases.models import Case, CaseStatus
from bokjihub.finding.models import Channel, Concern, Urgency
from bokjihub.finding.services import ReportInput, item_match_confirm, report_submit
from bokjihub.people.models import Person

# indicator → concerns of the inbox
INDICATOR_CONCERNS: Mapping[str, tuple[str, ...]] = {
    "electricity_cutoff": (Concern.UTILITIES_CUT_OFF,),
    "water_cutoff": (Concern.UTILITIES_CUT_OFF,),
    "gas_cutoff": (Concern.UTILITIES_CUT_OFF,),
    "electricity_arrears_months": (Concern.ARREARS,),
    "electricity_arrears_amount": (Concern.ARREARS,),
    "water_arrears_months": (Concern.ARREARS,),
    "gas_arrears_months": (Concern.ARREARS,),
    "health_insurance_arrears_months": (Concern.ARREARS,),
    "health_insurance_arrears_amount": (Concern.ARREARS,),
    "pension_arrears_months": (Concern.ARREARS,),
    "telecom_arrears_months": (Concern.ARREARS,),
    "financial_delinquency": (Concern.ARREARS,),
    "rent_arrears_months": (Concern.HOUSING, Concern.ARREARS),
    "public_housing_arrears_months": (Concern.HOUSING, Concern.ARREARS),
    "moved_to_small_rental": (Concern.HOUSING,),
    "housing_deposit_unreturned": (Concern.HOUSING,),
    "nbls_rejected": (Concern.INCOME_LOSS,),
    "emergency_aid_ended": (Concern.INCOME_LOSS,),
    "benefit_suspended": (Concern.INCOME_LOSS,),
    "employment_insurance_lost": (Concern.INCOME_LOSS,),
    "unemployment_benefit_ended": (Concern.INCOME_LOSS,),
    "unpaid_wages_amount": (Concern.INCOME_LOSS,),
    "industrial_accident": (Concern.INCOME_LOSS, Concern.HEALTH),
    "catastrophic_medical_costs": (Concern.HEALTH,),
    "long_term_hospital_discharge": (Concern.HEALTH,),
    "mental_health_treatment_dropout": (Concern.HEALTH,),
    "suicide_attempt_er_visit": (Concern.SUICIDE_RISK,),
    "child_school_absence_days": (Concern.CHILD_NEGLECT,),
    "child_neglect_report": (Concern.CHILD_NEGLECT,),
    "infant_checkup_missed": (Concern.CHILD_NEGLECT,),
    "free_meal_support": (Concern.CARE_NEEDS,),
    "disability_registered": (Concern.DISABILITY,),
    "recent_bereavement": (Concern.ISOLATION,),
    "single_person_65_plus": (Concern.ISOLATION,),
    "middle_aged_single_male": (Concern.ISOLATION,),
}
URGENT_INDICATORS = frozenset({"suicide_attempt_er_visit", "child_neglect_report"})


@dataclass
class ImportResult:
    run_id: str
    ranking: str
    candidates: int = 0
    created: int = 0
    joined: int = 0
    replayed: int = 0
    skipped_open_case: int = 0
    matched_by_key: int = 0
    matched_by_name: int = 0
    unmatched: int = 0
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def pepper_is_blind_index_key(pepper: bytes) -> bool:
    """Whether feeds keyed with ``pepper`` match ``Person.rrn_blind_index`` directly."""
    from bokjihub.people.identifiers import _blind_index_key

    return hmac.compare_digest(pepper, _blind_index_key(settings.BLIND_INDEX_KEY))


def _ranked_file(run: Path, ranking: str) -> tuple[Path, str]:
    model = run / "model_candidates.parquet"
    if ranking == "model" or (ranking == "auto" and model.exists()):
        if not model.exists():
            raise FileNotFoundError(f"모델 순위 파일이 없습니다: {model.name}")
        return model, "model"
    if ranking not in ("auto", "rule"):
        raise ValueError(f"알 수 없는 순위: {ranking}")
    path = run / "candidates.parquet"
    if not path.exists():
        raise FileNotFoundError(f"후보 파일(candidates.parquet)이 없습니다: {run}")
    return path, "rule"


def _registry_path(run: Path, registry: str | Path | None) -> Path:
    if registry:
        return Path(registry)
    summary = run / "summary.json"
    if summary.exists():
        recorded = json.loads(summary.read_text()).get("registry")
        if recorded and Path(recorded).exists():
            return Path(recorded)
    raise FileNotFoundError("주민 등록부(registry.parquet)를 --registry 로 알려 주세요.")


def _members(registry: Path, households: list[str]) -> dict[str, list[dict]]:
    table = pq.read_table(
        registry, columns=["person_key", "household_key", "name", "birth_date", "address"]
    )
    table = table.filter(pc.is_in(table["household_key"], value_set=pa.array(households)))
    members: dict[str, list[dict]] = {}
    for row in table.to_pylist():  # the head comes first in a household
        members.setdefault(row["household_key"], []).append(row)
    return members


def _household_of(members: list[dict]):
    keys = [m["person_key"] for m in members if m.get("person_key")]
    person = (
        Person.objects.filter(rrn_blind_index__in=keys).select_related("household").first()
        if keys
        else None
    )
    if person:
        return person.household, "key"
    for member in members:
        if not (member.get("name") and member.get("birth_date") and member.get("address")):
            continue
        person = (
            Person.objects.filter(
                name=member["name"],
                birth_date=member["birth_date"],
                household__road_address__startswith=member["address"].strip(),
            )
            .select_related("household")
            .first()
        )
        if person:
            return person.household, "name"
    return None, ""


def _concerns(indicators: list[str]) -> list[str]:
    concerns = {c for name in indicators for c in INDICATOR_CONCERNS.get(name, ())}
    return sorted(str(c) for c in concerns) or [str(Concern.OTHER)]


# The report's subject description of a screening candidate: this prefix, then its reasons
# (the inbox shows the reasons under the concerns).
SCREENING_PREFIX = "빅데이터 발굴: "


def free_text(row: Mapping, ranking: str) -> str:
    method = "학습 모델" if ranking == "model" else "가중치 규칙"
    score = f"{row['score']:.3f}" if ranking == "model" else f"{row['score']:.2f}"
    return (
        f"빅데이터 발굴 후보 — 사유: {row['reasons']}\n"
        f"({method} 점수 {score}, 동 순위 {row['hub_rank']}, 지표: {row['top_indicators']})"
    )


def screening_import(
    *,
    run: str | Path,
    sigungu,
    ranking: str = "auto",
    registry: str | Path | None = None,
    received_at: datetime | None = None,
) -> ImportResult:
    """Import the ranked candidates of ``sigungu`` from a run folder into the inbox.

    ``ranking``: "model" (model_candidates.parquet), "rule" (candidates.parquet) or
    "auto" (the model's when the run has one)."""
    run = Path(run)
    path, used = _ranked_file(run, ranking)
    run_id = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
    result = ImportResult(run_id=run_id, ranking=used)
    table = pq.read_table(path)
    table = table.filter(pc.equal(table["sigungu_code"], sigungu.code))
    rows = table.to_pylist()
    result.candidates = len(rows)
    if not rows:
        return result
    members = _members(_registry_path(run, registry), [r["household_key"] for r in rows])
    for row in rows:
        household_members = members.get(row["household_key"], [])
        household, how = _household_of(household_members)
        if (
            household is not None
            and Case.objects.filter(household=household, status=CaseStatus.OPEN).exists()
        ):
            result.skipped_open_case += 1
            continue
        indicators = [i for i in (row.get("top_indicators") or "").split(",") if i]
        head = household_members[0] if household_members else {}
        birth = head.get("birth_date")
        data = ReportInput(
            channel=Channel.SCREENING,
            concerns=_concerns(indicators),
            subject_name=head.get("name") or "",
            subject_birth_year=birth.year if birth else None,
            subject_address=(household.road_address if household else head.get("address")) or "",
            subject_emd_code=row.get("emd_code") or "",
            subject_description=f"{SCREENING_PREFIX}{row['reasons']}",
            urgency=Urgency.URGENT if URGENT_INDICATORS & set(indicators) else Urgency.NORMAL,
            free_text=free_text(row, used),
        )
        key = f"screening:{run_id}:{row['household_key']}"
        try:
            submitted = report_submit(
                data=data, sigungu=sigungu, received_at=received_at, idempotency_key=key
            )
        except ValidationError as error:
            result.errors.append(
                {"household_key": row["household_key"], "errors": error.message_dict}
            )
            continue
        if not submitted.created:
            result.replayed += 1
            continue
        if submitted.joined:
            result.joined += 1
        else:
            result.created += 1
        item = submitted.item
        if household is not None and item.household_id is None:
            item_match_confirm(item=item, household=household, by=None)
        if household is None:
            result.unmatched += 1
        elif how == "key":
            result.matched_by_key += 1
        else:
            result.matched_by_name += 1
    return result


__all__ = [
    "INDICATOR_CONCERNS",
    "ImportResult",
    "pepper_is_blind_index_key",
    "screening_import",
]
