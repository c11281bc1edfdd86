"""Screening linkage (issue 4): exact on the hashed key, exact on name + birth date +
address, then Splink for unkeyed rows with typos or another spelling of the address;
people not in the registry stay unlinked; match rates per method in the summary."""

import random
import re

import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import pytest

from bokjihub.engine.linkage import misspell
from bokjihub.engine.screening import link, run_pipeline
from bokjihub.engine.screening.synth import generate

GU = ["11740"]  # 강동구
OTHER_GU = ["11710"]  # 송파구: people the registry does not know


def _unique_people(registry: pa.Table) -> list[dict]:
    """Registered persons whose (name, birth date, address) no one else shares, so that the
    exact rule could link them when written correctly."""
    rows = registry.to_pylist()
    counts: dict[tuple, int] = {}
    for row in rows:
        key = (row["name"], row["birth_date"], row["address"])
        counts[key] = counts.get(key, 0) + 1
    return [r for r in rows if counts[(r["name"], r["birth_date"], r["address"])] == 1]


def _respell(address: str) -> str:
    """The same road address as a clerk might type it: short city name, no blank before
    the building number, a floor after it ("서울 강동구 고덕로49, 2층")."""
    text = address.replace("서울특별시", "서울")
    return re.sub(r"(\S+(?:로|길)) (\d+)", r"\1\2", text) + ", 2층"


def build_feed(tmp_path, *, households: int = 1500, seed: int = 21):
    """A registry of one Gu and one water feed (CSV) whose rows are: keyed, exact unkeyed,
    unkeyed with a one-jamo name typo, with a respelled address, with both, and people of
    another Gu. Returns (feeds dir, registry path, expected {group: [(person, household)]})."""
    data = tmp_path / "data"
    generate(households=households, seed=seed, out=data, sigungu_codes=GU)
    registry = pq.read_table(data / "registry.parquet")
    rng = random.Random(seed)
    people = rng.sample(_unique_people(registry), 100)
    generate(households=300, seed=seed + 1, out=tmp_path / "other", sigungu_codes=OTHER_GU)
    outsiders = rng.sample(pq.read_table(tmp_path / "other" / "registry.parquet").to_pylist(), 15)
    groups = {
        "keyed": people[:10],
        "exact": people[10:30],
        "typo": people[30:55],
        "respelled": people[55:75],
        "typo_respelled": people[75:90],
        "outsider": outsiders,
    }
    rows, expected = [], {}
    for group, members in groups.items():
        for person in members:
            name, address = person["name"], person["address"]
            if group in ("typo", "typo_respelled"):
                name = misspell(name, rng)
            if group in ("respelled", "typo_respelled"):
                address = _respell(address)
            keyed = group == "keyed"
            rows.append(
                {
                    "person_key": person["person_key"] if keyed else "",
                    "name": "" if keyed else name,
                    "birth_date": "" if keyed else person["birth_date"].isoformat(),
                    "address": "" if keyed else address,
                    "indicator": "water_arrears_months",
                    "value": "4",
                    "observed_on": "2026-08-20",
                    "agency": "water",
                }
            )
            expected.setdefault(group, []).append(
                ((name, person["birth_date"], address), person["household_key"])
            )
    feeds = tmp_path / "feeds"
    feeds.mkdir()
    pa_csv.write_csv(pa.Table.from_pylist(rows), feeds / "water.csv")
    return feeds, data / "registry.parquet", expected


@pytest.fixture(scope="module")
def scenario(tmp_path_factory):
    return build_feed(tmp_path_factory.mktemp("fallback"))


def check_linkage(run, summary, expected) -> None:
    """The assertions of the scenario, shared with the Spark test of the same feed."""
    by_method = summary["link"]["by_method"]
    splinked = expected["typo"] + expected["respelled"] + expected["typo_respelled"]
    assert by_method == {
        "person_key": len(expected["keyed"]),
        "name_birth_address": len(expected["exact"]),
        "splink": len(splinked),
        "unlinked": len(expected["outsider"]),
    }
    total = sum(by_method.values())
    rates = summary["link"]["rates"]
    assert set(rates) == set(link.METHODS)
    assert rates["splink"] == round(len(splinked) / total, 4)
    assert summary["link"]["match_rate"] == round(1 - len(expected["outsider"]) / total, 4)
    links = pq.read_table(run / "probabilistic_links.parquet").to_pylist()
    found = {(r["name"], r["birth_date"], r["address"]): r for r in links}
    assert len(found) == len(splinked)
    threshold = summary["link"]["splink_threshold"]
    for person, household in splinked:
        assert found[person]["household_key"] == household, person
        assert found[person]["match_probability"] >= threshold
        assert "출생연도 일치" in found[person]["reasons"]
    unlinked = pq.read_table(run / "unlinked.parquet").to_pylist()
    assert sorted((r["name"], r["birth_date"], r["address"]) for r in unlinked) == sorted(
        person for person, _ in expected["outsider"]
    )
    # the households Splink found are scored like any other
    scored = set(pq.read_table(run / "scores.parquet")["household_key"].to_pylist())
    assert {household for _, household in splinked} <= scored


@pytest.mark.accept_screening
def test_unkeyed_rows_with_typos_link_through_splink_and_strangers_stay_unlinked(
    scenario, tmp_path
):
    feeds, registry, expected = scenario
    run = tmp_path / "run"
    summary = run_pipeline(feeds=feeds, out=run, registry=registry)
    assert summary["rows_quarantined"] == 0
    check_linkage(run, summary, expected)


def test_a_stricter_threshold_links_fewer_and_a_bad_one_is_refused(scenario, tmp_path):
    feeds, registry, expected = scenario
    strict = run_pipeline(
        feeds=feeds, out=tmp_path / "strict", registry=registry, match_threshold=0.999999
    )
    assert strict["link"]["by_method"]["splink"] < sum(
        len(expected[g]) for g in ("typo", "respelled", "typo_respelled")
    )
    with pytest.raises(ValueError, match="threshold"):
        run_pipeline(feeds=feeds, out=tmp_path / "bad", registry=registry, match_threshold=1.0)


def test_without_unkeyed_leftovers_splink_is_not_needed(tmp_path):
    data = tmp_path / "data"
    generate(households=300, seed=4, out=data, sigungu_codes=GU)
    summary = run_pipeline(feeds=data / "feeds", out=tmp_path / "run")
    assert summary["link"]["by_method"]["splink"] == 0
    assert summary["link"]["splink_persons"] == 0
    assert pq.read_table(tmp_path / "run" / "probabilistic_links.parquet").num_rows == 0
