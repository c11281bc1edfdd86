"""A screening candidate's evidence (Report.screening) as an officer reads it: the
reasons in Korean, the score with its scale, the hub's rank, and for each signal the
agency that sent it and the day it was observed. No indicator codes reach the page."""

import re
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from bokjihub.engine.screening.contract import INDICATORS

# An indicator's reason with its value filled in ("전기요금 3개월 체납"), read back into
# the engine's template and the value, so that the reason can be shown in English too
# (the templates are listed for the catalogue in finding.labels).
_REASON_PATTERNS = [
    (
        re.compile(re.escape(indicator.reason).replace(re.escape("{v}"), "(?P<v>.+?)")),
        indicator.reason,
    )
    for indicator in INDICATORS
    if "{v}" in indicator.reason
]


def reason_text(text: str) -> str:
    """A screening reason in the reader's language; unknown text is shown as it is."""
    translated = _(text) if text else text
    if translated != text:
        return translated
    for pattern, template in _REASON_PATTERNS:
        if match := pattern.fullmatch(text):
            return _(template).replace("{v}", _(match.group("v")))
    return text


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
            reason=reason_text(signal.get("reason") or signal.get("label") or ""),
            agency=_(signal.get("agency")) if signal.get("agency") else "",
            as_of=_day(signal.get("observed_on") or ""),
        )
        for signal in evidence.get("signals") or []
    ]
    reasons = [reason_text(r) for r in evidence.get("reasons") or []] or [
        s.reason for s in signals if s.reason
    ]
    return EvidenceView(
        reasons=list(reasons),
        score_text=_score_text(evidence),
        rank_text=_rank_text(evidence),
        signals=signals,
    )
