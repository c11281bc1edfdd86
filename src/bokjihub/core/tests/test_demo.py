"""The demo: real Dongs, one login per role, re-runnable, and no RRN in plain text
anywhere it writes (database file, dump, logs)."""

import io
import logging
import os
import re
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from bokjihub.core.demo import DEMO_LOGINS, demo_build
from bokjihub.engine.synthetic import generate_population
from bokjihub.orgs.models import Membership, Organisation, User
from bokjihub.people.models import Household, Person
from bokjihub.regions.models import EupMyeonDong

SEED = 11
DIGIT_RUNS = re.compile(r"\d{13}")
HYPHENATED_RRN = re.compile(r"(?<!\d)\d{6}-[1-8]\d{6}(?!\d)")


def _known_rrns(sigungu_code: str, households: int, day: date) -> set[str]:
    population = generate_population(
        sigungu_code=sigungu_code, seed=SEED, households=households, reference_date=day
    )
    return {person.rrn for household in population.households for person in household.persons}


def _leaks(text: str, known: set[str]) -> list[str]:
    found = [run for run in DIGIT_RUNS.findall(text) if run in known]
    return found + HYPHENATED_RRN.findall(text)


@pytest.mark.django_db
def test_the_demo_has_every_real_dong_one_login_per_role_and_is_reusable(gangdong):
    report = demo_build(sigungu_code="11740", seed=SEED, households=400)
    dongs = EupMyeonDong.objects.filter(sigungu=gangdong, valid_to__isnull=True)
    assert dongs.count() == 19
    assert set(Household.objects.values_list("emd__code", flat=True)) == set(
        dongs.values_list("code", flat=True)
    )
    assert report.households_created == 400
    assert {username for username, _, _ in report.logins} == {login[0] for login in DEMO_LOGINS}
    assert Membership.objects.values("role").distinct().count() == len(DEMO_LOGINS)
    organisations = Organisation.objects.count()
    from bokjihub.referrals.models import Referral
    from bokjihub.resources.models import Donor, MicroCampaign, WaitingNeed

    # issue 6: referrals in several statuses, donors, a campaign and waiting needs
    statuses = set(Referral.objects.values_list("status", flat=True))
    assert len(statuses) >= 4
    supporting = (
        Referral.objects.count(),
        Donor.objects.count(),
        MicroCampaign.objects.count(),
        WaitingNeed.objects.count(),
    )
    assert all(supporting)

    again = demo_build(sigungu_code="11740", seed=SEED, households=400)
    assert again.households_created == 0
    assert again.households_existing == 400
    assert Household.objects.count() == 400
    assert Organisation.objects.count() == organisations
    assert (
        Referral.objects.count(),
        Donor.objects.count(),
        MicroCampaign.objects.count(),
        WaitingNeed.objects.count(),
    ) == supporting


@pytest.mark.django_db
def test_a_parent_city_is_refused_with_the_districts_to_choose_from():
    with pytest.raises(ValueError, match="41111"):
        demo_build(sigungu_code="41110", seed=SEED, households=10)


@pytest.mark.accept_foundation
@pytest.mark.django_db
def test_no_rrn_appears_in_plain_text_in_a_dump_or_the_logs(caplog):
    day = timezone.localdate()
    caplog.set_level(logging.DEBUG)
    demo_build(sigungu_code="11740", seed=SEED, households=300)
    known = _known_rrns("11740", 300, day)
    assert len(known) == Person.objects.count() > 300

    dump = io.StringIO()
    call_command("dumpdata", "people", "orgs", "audit", stdout=dump)
    assert _leaks(dump.getvalue(), known) == []
    assert _leaks(caplog.text, known) == []
    # the scan itself can fail: a plain RRN in the dump would be found
    assert _leaks(dump.getvalue() + next(iter(known)), known) != []


@pytest.mark.accept_foundation
@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "sqlite", reason="scans the embedded SQLite file")
def test_no_rrn_appears_in_the_sqlite_file_or_the_output_after_the_demo_command(tmp_path: Path):
    environment = {**os.environ, "BOKJIHUB_VAR_DIR": str(tmp_path)}
    environment.pop("DATABASE_URL", None)
    commands = [
        ["migrate", "--no-input", "-v0"],
        ["regions", "load"],
        ["demo", "--households", "300", "--seed", str(SEED)],
    ]
    output = ""
    for arguments in commands:
        done = subprocess.run(  # noqa: S603 - our own CLI
            [sys.executable, "-m", "bokjihub.cli", *arguments],
            env=environment,
            capture_output=True,
            text=True,
            check=True,
            timeout=300,
        )
        output += done.stdout + done.stderr
    known = _known_rrns("11740", 300, timezone.localdate())
    with sqlite3.connect(tmp_path / "bokjihub.sqlite3") as database:
        shown = {
            front + sex
            for front, sex in database.execute("SELECT rrn_front, rrn_sex_digit FROM people_person")
        }
    assert shown == {
        rrn[:7] for rrn in known
    }  # the scan looks for the very numbers that were stored
    files = [path for path in tmp_path.iterdir() if path.name.startswith("bokjihub.sqlite3")]
    assert files
    for path in files:
        assert _leaks(path.read_bytes().decode("latin-1"), known) == [], path.name
    assert _leaks(output, known) == []


# --- issue 12: the demo's screening world is its own registry ---------------------------


@pytest.fixture
def screening_folders(settings, tmp_path):
    feeds = tmp_path / "screening" / "feeds"
    settings.BOKJIHUB_SCREENING_FEEDS_DIR = str(feeds)
    settings.BOKJIHUB_SCREENING_RUNS_DIR = str(tmp_path / "screening" / "runs")
    settings.BOKJIHUB_SCREENING_MODEL = None
    return feeds


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.parquet"))}


@pytest.mark.accept_loop
@pytest.mark.django_db
def test_a_web_started_run_over_the_demo_feeds_brings_in_only_linked_households(
    gangdong, screening_folders, django_capture_on_commit_callbacks
):
    from bokjihub.finding.models import Channel, Report, ScreeningRunStatus, TriageItem
    from bokjihub.finding.screening_runs import screening_run_start
    from bokjihub.orgs.actors import actor_for

    # feeds of made-up residents (as `bokjihub synth` writes) were in the folder before
    screening_folders.mkdir(parents=True)
    (screening_folders / "made_up.csv").write_text("person_key,name\n")
    report = demo_build(
        sigungu_code="11740", seed=SEED, households=1200, screening_feeds=screening_folders
    )
    world = report.screening
    assert world is not None and not world.reused
    assert not (screening_folders / "made_up.csv").exists()
    assert (world.set_aside / "feeds" / "made_up.csv").exists()  # set aside, not deleted
    assert world.households == 1200 and world.feed_rows > 0
    written = _files(screening_folders.parent)
    assert {"registry.parquet", "truth/truth.parquet", "feeds/kepco.parquet"} <= set(written)

    again = demo_build(
        sigungu_code="11740", seed=SEED, households=1200, screening_feeds=screening_folders
    )
    assert again.screening.reused
    assert _files(screening_folders.parent) == written

    before = set(Report.objects.filter(channel=Channel.SCREENING).values_list("id", flat=True))
    casemanager = User.objects.get(username="casemanager")
    with django_capture_on_commit_callbacks(execute=True):
        run = screening_run_start(actor=actor_for(user=casemanager), source="feeds")
    run.refresh_from_db()
    assert run.status == ScreeningRunStatus.SUCCEEDED, run.error_message

    result, intake = run.result, run.result["intake"]
    assert result["rows_quarantined"] == 0
    assert result["match_rate"] == 1.0
    assert result["candidates"] > 0
    reports = Report.objects.filter(channel=Channel.SCREENING).exclude(id__in=before)
    items = TriageItem.objects.filter(reports__in=reports).distinct()
    assert intake["unmatched"] == 0 and result["intake_errors"] == 0
    assert intake["linked"] == intake["created"] + intake["joined"] == reports.count() > 0
    assert items.filter(household__emd__sigungu=gangdong).count() == items.count() > 0
    assert all(r.screening["signals"] and r.screening["score_max"] for r in reports)


@pytest.mark.accept_loop
@pytest.mark.django_db
def test_scenario_two_arrives_as_a_linked_screening_candidate_with_structured_reasons(gangdong):
    from bokjihub.finding.models import Channel, Report

    demo_build(sigungu_code="11740", seed=SEED, households=400)
    reports = Report.objects.filter(channel=Channel.SCREENING)
    assert reports.count() == 1
    scenario = reports.select_related("item__household__emd").get()
    household = scenario.item.household
    assert household is not None
    assert household.emd.name_ko.startswith("천호")
    assert household.household_type == "single_parent"
    evidence = scenario.screening
    assert evidence["score_max"] and 0 < evidence["score"] <= evidence["score_max"]
    assert (evidence["hub_rank"], evidence["hub_candidates"]) == (1, 1)
    signals = {signal["indicator"]: signal for signal in evidence["signals"]}
    assert set(signals) == {"electricity_arrears_months", "health_insurance_arrears_months"}
    assert signals["electricity_arrears_months"]["agency"] == "한국전력공사"
    assert signals["health_insurance_arrears_months"]["agency"] == "국민건강보험공단"
    assert "전기요금 3개월 체납" in evidence["reasons"]
    assert "건강보험료 6개월 체납" in evidence["reasons"]
    assert all(date.fromisoformat(signal["observed_on"]) for signal in signals.values())

    demo_build(sigungu_code="11740", seed=SEED, households=400)
    assert Report.objects.filter(channel=Channel.SCREENING).count() == 1
