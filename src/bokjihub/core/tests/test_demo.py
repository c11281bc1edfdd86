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
from bokjihub.orgs.models import Membership, Organisation
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
