"""Screening runs from the web (issue 4): a Gu analyst starts one, the background task
(huey, immediate in tests) runs it stage by stage into the hubs' inboxes; a Dong officer
is refused; a failing run records why. Triage outcomes come back as training labels."""

import pyarrow.parquet as pq
import pytest
from django.urls import reverse
from django.utils import timezone

from bokjihub.finding.models import (
    Channel,
    Outcome,
    Report,
    ScreeningRun,
    ScreeningRunStatus,
    TriageItem,
)
from bokjihub.finding.screening_runs import screening_labels, screening_labels_write
from bokjihub.finding.services import item_close, item_match_confirm

pytestmark = pytest.mark.django_db


@pytest.fixture
def screening_dirs(settings, tmp_path):
    settings.BOKJIHUB_SCREENING_RUNS_DIR = str(tmp_path / "runs")
    settings.BOKJIHUB_SCREENING_FEEDS_DIR = str(tmp_path / "no-feeds-here")
    settings.BOKJIHUB_SCREENING_MODEL = None
    return tmp_path


def _start(client, source, capture):
    with capture(execute=True):
        response = client.post(reverse("finding_screening"), {"source": source})
    assert response.status_code == 303
    return ScreeningRun.objects.get()


def test_a_gu_analyst_runs_a_synthetic_round_into_the_gu_inboxes(
    login, gu_case_manager, gangdong, screening_dirs, django_capture_on_commit_callbacks
):
    client = login(gu_case_manager)
    run = _start(client, "synthetic", django_capture_on_commit_callbacks)
    assert run.status == ScreeningRunStatus.SUCCEEDED, run.error_message
    assert run.progress == 100
    assert run.started_by == gu_case_manager
    assert run.started_at and run.finished_at and run.finished_at >= run.started_at
    items = TriageItem.objects.filter(sigungu=gangdong, first_channel=Channel.SCREENING)
    assert run.result["candidates"] > 0
    assert items.count() == run.result["intake"]["created"] > 0
    assert sum(hub["candidates"] for hub in run.result["per_hub"]) == run.result["candidates"]
    assert 0 < run.result["match_rate"] <= 1
    page = client.get(reverse("finding_screening_run", args=[run.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "완료" in body and reverse("finding_inbox") in body
    assert "every 2s" not in body  # a finished run stops polling


def test_the_progress_partial_polls_while_the_run_is_queued(
    login, gu_case_manager, gangdong, screening_dirs
):
    client = login(gu_case_manager)
    # on_commit callbacks are not run here: the run stays queued, as before a worker takes it
    client.post(reverse("finding_screening"), {"source": "synthetic"})
    run = ScreeningRun.objects.get()
    assert run.status == ScreeningRunStatus.QUEUED
    partial = client.get(reverse("finding_screening_run_progress", args=[run.pk]))
    assert partial.status_code == 200
    assert 'hx-trigger="every 2s"' in partial.content.decode()


def test_a_dong_officer_may_not_start_a_run(
    login, officer_dong_a, gu_case_manager, screening_dirs, django_capture_on_commit_callbacks
):
    client = login(officer_dong_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("finding_screening"), {"source": "synthetic"})
    assert response.status_code == 403
    assert client.get(reverse("finding_screening")).status_code == 403
    assert not ScreeningRun.objects.exists()


def test_a_run_over_a_missing_feeds_folder_fails_with_its_reason(
    login, gu_case_manager, screening_dirs, django_capture_on_commit_callbacks
):
    client = login(gu_case_manager)
    run = _start(client, "feeds", django_capture_on_commit_callbacks)
    assert run.status == ScreeningRunStatus.FAILED
    assert "피드 폴더가 없습니다" in run.error_message
    assert run.progress < 100 and run.finished_at is not None
    body = client.get(reverse("finding_screening_run_progress", args=[run.pk])).content.decode()
    assert "실행에 실패했습니다" in body and "피드 폴더가 없습니다" in body


def test_another_gus_run_is_not_found(
    login, gu_case_manager, screening_dirs, django_capture_on_commit_callbacks
):
    from conftest import TODAY, confirmed_totp_device

    from bokjihub.orgs.services import membership_grant, organisation_create, user_create
    from bokjihub.regions.models import Sigungu

    client = login(gu_case_manager)
    run = _start(client, "feeds", django_capture_on_commit_callbacks)
    songpa = Sigungu.objects.get(code="11710", valid_to__isnull=True)
    office = organisation_create(name="송파구청", kind="sigungu_office", sigungu=songpa)
    other = user_create(username="songpa", password="correct-horse-battery-9", display_name="송파")
    membership_grant(user=other, organisation=office, role="case_manager", started_on=TODAY)
    confirmed_totp_device(other)
    response = login(other).get(reverse("finding_screening_run", args=[run.pk]))
    assert response.status_code == 404


def test_triage_outcomes_of_screening_items_become_labels(
    login,
    gu_case_manager,
    gangdong,
    household_dong_a,
    screening_dirs,
    django_capture_on_commit_callbacks,
    tmp_path,
):
    client = login(gu_case_manager)
    _start(client, "synthetic", django_capture_on_commit_callbacks)
    items = list(TriageItem.objects.filter(first_channel=Channel.SCREENING).order_by("id")[:3])
    # "found" opens a case, so the officer first confirms the household
    item_match_confirm(item=items[0], household=household_dong_a, by=gu_case_manager)
    items[0].refresh_from_db()
    outcomes = [Outcome.FOUND, Outcome.NO_NEED, Outcome.UNREACHABLE]
    for item, outcome in zip(items, outcomes, strict=True):
        item_close(item=item, outcome=outcome, by=gu_case_manager, note="방문 확인")
    labels = screening_labels(sigungu=gangdong).to_pylist()
    assert len(labels) == 2  # "unreachable" says nothing about the signals
    keys = {
        Report.objects.filter(item=item).first().idempotency_key.split(":")[2]: outcome
        for item, outcome in zip(items, outcomes, strict=True)
    }
    for row in labels:
        assert row["in_crisis"] == (keys[row["household_key"]] == Outcome.FOUND)
    written = screening_labels_write(out=tmp_path / "labels", sigungu=gangdong)
    assert (written["found"], written["not_found"]) == (1, 1)
    table = pq.read_table(tmp_path / "labels" / "labels.parquet")
    assert set(table.column_names) >= {"household_key", "in_crisis"}
    assert timezone.now() >= max(table["closed_at"].to_pylist())


def test_a_run_delivered_twice_is_started_once(gangdong, gu_case_manager, monkeypatch):
    """The run is claimed by one conditional UPDATE (queued → running): a second delivery
    of the task, or one arriving while another worker runs it, does nothing."""
    from bokjihub.finding import screening_runs

    executed = []

    def fake_execute(run):
        executed.append(run.pk)
        return {"candidates": 0}

    monkeypatch.setattr(screening_runs, "_execute", fake_execute)
    run = ScreeningRun.objects.create(
        sigungu=gangdong,
        source="synthetic",
        started_by=gu_case_manager,
        created_at=timezone.now(),
        stage="대기 중",
    )
    first = screening_runs.screening_run_execute(run_id=run.pk)
    assert first.status == ScreeningRunStatus.SUCCEEDED and executed == [run.pk]
    second = screening_runs.screening_run_execute(run_id=run.pk)
    assert executed == [run.pk]
    assert second.status == ScreeningRunStatus.SUCCEEDED
    assert (second.started_at, second.finished_at) == (first.started_at, first.finished_at)

    # a run another worker has already claimed is left to it
    ScreeningRun.objects.filter(pk=run.pk).update(
        status=ScreeningRunStatus.RUNNING, progress=30, finished_at=None
    )
    during = screening_runs.screening_run_execute(run_id=run.pk)
    assert executed == [run.pk]
    assert (during.status, during.progress) == (ScreeningRunStatus.RUNNING, 30)
