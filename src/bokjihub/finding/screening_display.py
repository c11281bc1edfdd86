"""A screening candidate's evidence (Report.screening) as an officer reads it: the
reasons in Korean, the score with its scale, the hub's rank, and for each signal the
agency that sent it and the day it was observed. No indicator codes reach the page."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class SignalView:
    reason: str
    agency: str
    as_of: str  # "2026년 11월 30일" or ""


@dataclass(frozen=True)
class EvidenceView:
    reasons: list[str]
    score_text: str
    rank_text: str
    signals: list[SignalView]


def _day(text: str) -> str:
    try:
        day = date.fromisoformat(str(text)[:10])
    except ValueError:
        return ""
    return _("%(year)d년 %(month)d월 %(day)d일") % {
        "year": day.year,
        "month": day.month,
        "day": day.day,
    }


def _score_text(evidence: dict) -> str:
    score = evidence.get("score")
    if score is None:
        return ""
    if evidence.get("ranking") == "model":
        return _("위기 가능성 %(percent)d%% (학습 모델 추정, 0–100%%)") % {
            "percent": round(score * 100)
        }
    top = evidence.get("score_max")
    if top:
        return _("위험 점수 %(score).2f / 최대 %(top)s") % {"score": score, "top": f"{top:g}"}
    return _("위험 점수 %(score).2f") % {"score": score}


def _rank_text(evidence: dict) -> str:
    rank, total = evidence.get("hub_rank"), evidence.get("hub_candidates")
    if not rank:
        return ""
    place = evidence.get("emd_name") or _("이 동")
    if total:
        return _("%(place)s 후보 %(total)d가구 중 %(rank)d위") % {
            "place": place,
            "total": total,
            "rank": rank,
        }
    return _("%(place)s 후보 중 %(rank)d위") % {"place": place, "rank": rank}


def evidence_view(evidence: dict) -> EvidenceView:
    signals = [
        SignalView(
            reason=signal.get("reason") or signal.get("label") or "",
            agency=signal.get("agency") or "",
            as_of=_day(signal.get("observed_on") or ""),
        )
        for signal in evidence.get("signals") or []
    ]
    reasons = evidence.get("reasons") or [s.reason for s in signals if s.reason]
    return EvidenceView(
        reasons=list(reasons),
        score_text=_score_text(evidence),
        rank_text=_rank_text(evidence),
        signals=signals,
    )
