"""Hand-off of a screening run's candidates to the triage inbox (Django glue).

Each ranked candidate of a Si/Gun/Gu enters the responsible hub's inbox through
:func:`report_submit` with channel "screening": the head of the household (from the run's
registry) as the subject, concerns mapped from the indicators that drove the score, and
the candidate's evidence as data on the report (``Report.screening``: the score with its
scale, the hub's rank, and each signal's reason, agency and as-of date), so that every
candidate in the inbox shows why it was flagged, in Korean.

* Idempotent: the idempotency key is ``screening:<run id>:<household>``, the run id being
  a digest of the ranked candidates file, so importing a run twice creates nothing new.
* Households with an open case are skipped.
* Household matching: a candidate's members carry ``person_key``, the HMAC-SHA256 of the
  RRN under the agencies' shared pepper. It equals ``Person.rrn_blind_index`` only when
  that pepper is the blind-index key (``settings.BLIND_INDEX_KEY``, decoded); synthetic
  feeds use the engine's own, public pepper, so they never match on the key. Without a
  key match, a member is matched on name + birth date + road name and number; the item
  then arrives linked (``report_submit(linked_household=…)``). Otherwise it stays
  unmatched, and the registry matcher may propose a household to the officer.
"""

import hashlib
import hmac
import json
from collections import Counter
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
from bokjihub.engine.linkage import split_road_address
from bokjihub.engine.screening.contract import AGENCIES, BY_NAME, INDICATORS
from bokjihub.finding.models import Channel, Concern, Urgency
from bokjihub.finding.services import ReportInput, report_submit
from bokjihub.people.models import Person
from bokjihub.regions.models import EupMyeonDong

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
    """The registered household the pipeline's linkage points at: a member's key equal to
    a blind index, else a member with the same name, birth date and road + number."""
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
        road, number = split_road_address(member["address"])
        if not road:
            continue
        for person in Person.objects.filter(
            name=member["name"].strip(),
            birth_date=member["birth_date"],
            household__road_address__contains=road,
        ).select_related("household"):
            if split_road_address(person.household.road_address) == (road, number):
                return person.household, "name"
    return None, ""


LINK_NOTES = {
    "key": "빅데이터 발굴 연계: 주민등록번호 키 일치",
    "name": "빅데이터 발굴 연계: 이름·생년월일·도로명주소 일치",
}


def _as_of_dates(run: Path, members: dict[str, list[dict]]) -> dict[tuple[str, str], str]:
    """(household key, indicator) → the latest day an agency observed it, from the run's
    validated signal files; with (``*``, indicator) the feed's latest day, for a signal
    linked without a key. Empty when the run folder keeps no signal files."""
    files = sorted((run / "signals").glob("*.parquet")) if (run / "signals").is_dir() else []
    if not files:
        return {}
    household_of_key = {
        m["person_key"]: household
        for household, rows in members.items()
        for m in rows
        if m.get("person_key")
    }
    latest: dict[tuple[str, str], str] = {}

    def keep(key: tuple[str, str], day) -> None:
        text = day.isoformat() if hasattr(day, "isoformat") else str(day)
        if text > latest.get(key, ""):
            latest[key] = text

    for path in files:
        table = pq.read_table(path, columns=["person_key", "indicator", "observed_on"])
        per_indicator = table.group_by("indicator").aggregate([("observed_on", "max")])
        for row in per_indicator.to_pylist():
            if row["observed_on_max"] is not None:
                keep(("*", row["indicator"]), row["observed_on_max"])
        if household_of_key:
            wanted = table.filter(
                pc.is_in(table["person_key"], value_set=pa.array(list(household_of_key)))
            )
            for row in wanted.to_pylist():
                if row["observed_on"] is not None:
                    keep(
                        (household_of_key[row["person_key"]], row["indicator"]), row["observed_on"]
                    )
    return latest


def score_max(ranking: str) -> float | None:
    """The top of the rule score's scale: every indicator at its full weight."""
    return None if ranking == "model" else round(sum(i.weight for i in INDICATORS), 2)


def screening_evidence(
    row: Mapping, ranking: str, *, hub_candidates: int, emd_name: str, as_of: Mapping
) -> dict:
    """The structured evidence a report of a candidate keeps (Report.screening)."""
    indicators = [i for i in (row.get("top_indicators") or "").split(",") if i]
    reasons = [r.strip() for r in (row.get("reasons") or "").split(" · ") if r.strip()]
    signals = []
    for position, name in enumerate(indicators):
        indicator = BY_NAME.get(name)
        signals.append(
            {
                "indicator": name,
                "reason": reasons[position] if position < len(reasons) else "",
                "label": indicator.label_ko if indicator else "",
                "agency": AGENCIES.get(indicator.agency, "") if indicator else "",
                "observed_on": as_of.get((row["household_key"], name))
                or as_of.get(("*", name))
                or "",
            }
        )
    return {
        "ranking": ranking,
        "score": float(row["score"]),
        "score_max": score_max(ranking),
        "hub_rank": int(row["hub_rank"]),
        "hub_candidates": hub_candidates,
        "emd_name": emd_name,
        "reasons": reasons,
        "signals": signals,
    }


def _concerns(indicators: list[str]) -> list[str]:
    concerns = {c for name in indicators for c in INDICATOR_CONCERNS.get(name, ())}
    return sorted(str(c) for c in concerns) or [str(Concern.OTHER)]


def free_text(evidence: Mapping) -> str:
    """The report's text of a candidate, in Korean only (no indicator codes)."""
    if evidence["ranking"] == "model":
        score = f"학습 모델 위기 가능성 {evidence['score']:.0%}"
    else:
        score = f"위험 점수 {evidence['score']:.2f} / 최대 {evidence['score_max']:g}"
    place = evidence["emd_name"] or "동"
    return (
        f"빅데이터 발굴 후보 — 사유: {' · '.join(evidence['reasons'])}\n"
        f"({score}, {place} 후보 {evidence['hub_candidates']}가구 중 {evidence['hub_rank']}위)"
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
    as_of = _as_of_dates(run, members)
    per_hub = Counter(r["emd_code"] for r in rows)
    emd_names = dict(
        EupMyeonDong.objects.filter(code__in=list(per_hub)).values_list("code", "name_ko")
    )
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
        evidence = screening_evidence(
            row,
            used,
            hub_candidates=per_hub[row["emd_code"]],
            emd_name=emd_names.get(row["emd_code"], ""),
            as_of=as_of,
        )
        name = head.get("name") or ""
        address = (household.road_address if household else head.get("address")) or ""
        data = ReportInput(
            channel=Channel.SCREENING,
            concerns=_concerns(indicators),
            subject_name=name,
            subject_birth_year=birth.year if birth else None,
            subject_address=address,
            subject_emd_code=row.get("emd_code") or "",
            # the reasons live in `screening`; the description only when nothing else
            # names the subject (a report must name somebody)
            subject_description="" if name or address else " · ".join(evidence["reasons"]),
            urgency=Urgency.URGENT if URGENT_INDICATORS & set(indicators) else Urgency.NORMAL,
            free_text=free_text(evidence),
            screening=evidence,
        )
        key = f"screening:{run_id}:{row['household_key']}"
        try:
            submitted = report_submit(
                data=data,
                sigungu=sigungu,
                received_at=received_at,
                idempotency_key=key,
                linked_household=household,
                link_note=LINK_NOTES.get(how, ""),
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
