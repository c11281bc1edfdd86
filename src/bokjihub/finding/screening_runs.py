"""Screening runs started from the web, and triage outcomes returned as training labels.

A Gu analyst starts a run (:func:`screening_run_start`); the background task
(:mod:`bokjihub.finding.tasks`) calls :func:`screening_run_execute`, which runs the engine's
pipeline over the feeds folder of ``settings.BOKJIHUB_SCREENING_FEEDS_DIR`` (or over a
synthetic world drawn for the Gu, for a demonstration), records progress per stage, and
hands the Gu's candidates to the hubs' inboxes (:func:`screening_import`).

:func:`screening_labels` is the way back: the triage outcome of each screening item
(욕구 확인 → found, 지원 욕구 없음 → not found) as labels the model's trainer reads.
"""

import shutil
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from bokjihub.finding.models import (
    Channel,
    ItemStatus,
    Outcome,
    Report,
    ScreeningRun,
    ScreeningRunSource,
    ScreeningRunStatus,
)
from bokjihub.orgs.actors import TRIAGE_ROLES, Actor
from bokjihub.orgs.models import OrganisationKind
from bokjihub.regions.models import EupMyeonDong

DEMO_HOUSEHOLDS = 3000
# Progress (percent) at the start of each stage; the pipeline's steps map onto them. The
# stage is stored in Korean and translated where the run page shows it (gettext_noop).
STAGES = {
    "synthetic": (0, gettext_noop("합성 자료 생성")),
    "검증": (10, gettext_noop("피드 검증")),
    "연계": (30, gettext_noop("주민등록 연계")),
    "점수": (50, gettext_noop("위험 점수 계산")),
    "순위": (65, gettext_noop("동별 후보 선정")),
    "intake": (80, gettext_noop("발굴 신고함 전달")),
}
# Outcomes that say whether the household was in crisis; the others (unreachable, moved
# out, refused, already served) say nothing about the signals and are not labels.
LABEL_OUTCOMES = {Outcome.FOUND: True, Outcome.NO_NEED: False}


class ScreeningRunError(Exception):
    """A failure with a message for the analyst."""


def feeds_dir() -> Path:
    return Path(settings.BOKJIHUB_SCREENING_FEEDS_DIR)


def runs_dir() -> Path:
    return Path(settings.BOKJIHUB_SCREENING_RUNS_DIR)


def model_path() -> Path | None:
    configured = settings.BOKJIHUB_SCREENING_MODEL
    return Path(configured) if configured else None


def may_run_screening(actor: Actor) -> bool:
    """Screening covers a whole Si/Gun/Gu: only its office's welfare staff start it."""
    organisation = actor.organisation
    return (
        actor.role in TRIAGE_ROLES
        and organisation is not None
        and organisation.kind == OrganisationKind.SIGUNGU_OFFICE
        and organisation.sigungu_id is not None
    )


def _require(actor: Actor) -> None:
    if not may_run_screening(actor):
        raise PermissionDenied("시·군·구청 복지 담당자만 빅데이터 발굴을 실행할 수 있습니다.")


def screening_runs_of(*, actor: Actor, limit: int = 20) -> list[ScreeningRun]:
    _require(actor)
    return list(
        ScreeningRun.objects.filter(sigungu_id=actor.organisation.sigungu_id)
        .select_related("started_by")
        .order_by("-created_at", "-id")[:limit]
    )


def screening_run_of(*, actor: Actor, run_id: int) -> ScreeningRun:
    """A run of the actor's own Si/Gun/Gu; another Gu's run is as absent as a missing one."""
    _require(actor)
    return ScreeningRun.objects.select_related("started_by").get(
        pk=run_id, sigungu_id=actor.organisation.sigungu_id
    )


def screening_run_start(*, actor: Actor, source: str) -> ScreeningRun:
    _require(actor)
    if source not in ScreeningRunSource.values:
        raise ValueError(f"알 수 없는 자료: {source}")
    with transaction.atomic():
        run = ScreeningRun.objects.create(
            sigungu_id=actor.organisation.sigungu_id,
            source=source,
            started_by=actor.user,
            created_at=timezone.now(),
            stage=gettext_noop("대기 중"),
        )
        # the worker must see the committed row
        transaction.on_commit(lambda: _enqueue(run.pk))
    return run


def _enqueue(run_id: int) -> None:
    from bokjihub.finding.tasks import screening_run_task

    screening_run_task(run_id)


def _set(run_id: int, **fields) -> None:
    # A plain UPDATE, committed at once: the page polls the row while the run goes on.
    ScreeningRun.objects.filter(pk=run_id).update(**fields)


def _stage(run_id: int, key: str) -> None:
    percent, label = STAGES[key]
    _set(run_id, progress=percent, stage=label)


def screening_run_execute(*, run_id: int) -> ScreeningRun:
    """Run the pipeline and the inbox hand-off for a queued run; record the outcome.
    Never raises for a failure of the run itself: the row carries the message."""
    # Claim the run in one conditional UPDATE: of two workers given the same task (a task
    # delivered twice), only the one whose UPDATE moves it out of "queued" runs it.
    claimed = ScreeningRun.objects.filter(pk=run_id, status=ScreeningRunStatus.QUEUED).update(
        status=ScreeningRunStatus.RUNNING, started_at=timezone.now(), progress=0
    )
    run = ScreeningRun.objects.select_related("sigungu").get(pk=run_id)
    if not claimed:
        return run  # taken (or finished) by another delivery of the task
    try:
        result = _execute(run)
    except Exception as error:
        _set(
            run_id,
            status=ScreeningRunStatus.FAILED,
            error_message=failure_message(error),
            finished_at=timezone.now(),
        )
    else:
        _set(
            run_id,
            status=ScreeningRunStatus.SUCCEEDED,
            progress=100,
            stage=gettext_noop("완료"),
            result=result,
            finished_at=timezone.now(),
        )
    run.refresh_from_db()
    return run


def failure_message(error: Exception) -> str:
    from bokjihub.engine.screening.validate import FeedFormatError

    if isinstance(error, ScreeningRunError):
        return str(error)
    if isinstance(error, FileNotFoundError):
        return f"필요한 파일이나 폴더가 없습니다. {error}"
    if isinstance(error, FeedFormatError):
        return f"피드 형식이 규격과 다릅니다. {error}"
    return f"선별 실행 중 예상하지 못한 오류가 났습니다({type(error).__name__}): {error}"


def _execute(run: ScreeningRun) -> dict:
    from bokjihub.engine.screening.pipeline import run_pipeline
    from bokjihub.finding.screening_intake import screening_import

    out = runs_dir() / str(run.pk)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    if run.source == ScreeningRunSource.SYNTHETIC:
        _stage(run.pk, "synthetic")
        feeds = _synthetic_world(run, out / "synthetic")
    else:
        feeds = feeds_dir()
        if not feeds.is_dir():
            raise ScreeningRunError(
                f"기관 피드 폴더가 없습니다({feeds.name}). 운영자에게 피드 폴더 설정"
                "(BOKJIHUB_SCREENING_FEEDS_DIR)을 확인해 달라고 요청하세요."
            )
    model = model_path()
    summary = run_pipeline(
        feeds=feeds,
        out=out / "run",
        model=model if model and model.exists() else None,
        progress=_pipeline_progress(run.pk),
        reference_date=_reference_date(run),
    )
    _stage(run.pk, "intake")
    imported = screening_import(run=out / "run", sigungu=run.sigungu)
    return _result(out / "run", summary, imported.as_dict())


def _reference_date(run: ScreeningRun):
    """Agencies' rows observed up to today are valid (a row after the run's reference day
    is quarantined as from the future); the synthetic world is dated by the engine's own
    reference day."""
    from bokjihub.engine.screening.synth import REFERENCE_DATE

    return REFERENCE_DATE if run.source == ScreeningRunSource.SYNTHETIC else timezone.localdate()


def _pipeline_progress(run_id: int) -> Callable[[str, int, int], None]:
    def step(label: str, done: int, total: int) -> None:
        if label in STAGES:
            _stage(run_id, label)

    return step


def _synthetic_world(run: ScreeningRun, out: Path) -> Path:
    from bokjihub.engine.screening.synth import generate

    generate(households=DEMO_HOUSEHOLDS, seed=run.pk, out=out, sigungu_codes=[run.sigungu.code])
    return out / "feeds"


def _result(run_dir: Path, summary: dict, imported: dict) -> dict:
    ranked = run_dir / (
        "model_candidates.parquet" if imported["ranking"] == "model" else "candidates.parquet"
    )
    table = pq.read_table(ranked, columns=["emd_code"])
    counts = table.group_by("emd_code").aggregate([("emd_code", "count")]).to_pylist()
    names = dict(
        EupMyeonDong.objects.filter(code__in=[row["emd_code"] for row in counts]).values_list(
            "code", "name_ko"
        )
    )
    per_hub = sorted(
        (
            {"emd_code": row["emd_code"], "name": names.get(row["emd_code"], row["emd_code"]),
             "candidates": row["emd_code_count"]}
            for row in counts
        ),
        key=lambda row: (-row["candidates"], row["name"]),
    )  # fmt: skip
    link = summary["link"]
    linked = imported["matched_by_key"] + imported["matched_by_name"]
    return {
        "ranking": imported["ranking"],
        "households_scored": summary["households_scored"],
        "candidates": table.num_rows,
        "per_hub": per_hub,
        "rows_loaded": summary["rows_loaded"],
        "rows_quarantined": summary["rows_quarantined"],
        "feeds_loaded": summary["feeds_loaded"],
        "match_rate": link["match_rate"],
        "link_by_method": link["by_method"],
        "intake": {
            key: imported[key]
            for key in ("created", "joined", "replayed", "skipped_open_case", "unmatched")
        }
        | {"linked": linked},
        "intake_errors": len(imported["errors"]),
    }


def screening_labels(*, sigungu=None, run_id: str | None = None) -> pa.Table:
    """Triage outcomes of screening items as training labels: (run_id, household_key,
    in_crisis, closed_at), the household key being the registry's, from the report's
    idempotency key ``screening:<run id>:<household>``. Only closed items whose outcome
    says found or no need count; the latest outcome wins for a household.

    These labels exist only for households that were candidates: a model trained on them
    alone learns to rank among what earlier runs chose (see the report of issue 4)."""
    reports = Report.objects.filter(
        channel=Channel.SCREENING,
        idempotency_key__startswith="screening:",
        item__status=ItemStatus.CLOSED,
        item__outcome__in=list(LABEL_OUTCOMES),
    )
    if sigungu is not None:
        reports = reports.filter(item__sigungu=sigungu)
    if run_id:
        reports = reports.filter(idempotency_key__startswith=f"screening:{run_id}:")
    latest: dict[str, tuple] = {}
    rows = reports.values_list("idempotency_key", "item__outcome", "item__closed_at")
    for key, outcome, closed_at in rows.order_by("item__closed_at", "id"):
        _, run, household = key.split(":", 2)
        latest[household] = (run, household, LABEL_OUTCOMES[outcome], closed_at)
    values = list(zip(*latest.values(), strict=True)) or [[], [], [], []]
    return pa.table(
        {
            "run_id": pa.array(values[0], pa.string()),
            "household_key": pa.array(values[1], pa.string()),
            "in_crisis": pa.array(values[2], pa.bool_()),
            "closed_at": pa.array(values[3], pa.timestamp("us", tz="UTC")),
        }
    )


def screening_labels_write(*, out: str | Path, sigungu=None, run_id: str | None = None) -> dict:
    """Write :func:`screening_labels` to ``out/labels.parquet``; returns the counts."""
    table = screening_labels(sigungu=sigungu, run_id=run_id)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, out / "labels.parquet")
    found = int(pc.sum(table["in_crisis"]).as_py() or 0)
    return {"path": str(out / "labels.parquet"), "labels": table.num_rows, "found": found,
            "not_found": table.num_rows - found}  # fmt: skip
