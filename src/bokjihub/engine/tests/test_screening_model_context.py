"""The learned model's household context is read as of the run's reference date, and a
run with no unkeyed remainder writes an empty table of probabilistic links. Fast: no
training (a stub classifier), one small synthetic Gu."""

from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from bokjihub.engine.screening import link, run_pipeline
from bokjihub.engine.screening import model as learned
from bokjihub.engine.screening.synth import REFERENCE_DATE, generate

OLDEST_AGE = learned.CONTEXT_FEATURES.index("oldest_age") - 2  # after signals, rule_score


class _Constant:
    """A stand-in classifier: the same probability for every household."""

    def predict_proba(self, matrix):
        return np.column_stack([np.full(len(matrix), 0.9), np.full(len(matrix), 0.1)])


def test_household_context_reads_ages_as_of_the_reference_date():
    registry = pa.table(
        {
            "household_key": ["H1", "H1", "H2"],
            "emd_code": ["1174010100", "1174010100", "1174010200"],
            "birth_date": pa.array([date(1950, 3, 1), date(1980, 5, 1), date(2000, 1, 1)]),
        }
    )
    households = pa.array(["H1", "H2"])
    now = learned.household_context(households, registry, date(2026, 9, 1))
    later = learned.household_context(households, registry, date(2036, 9, 1))
    assert 76 < now[0, OLDEST_AGE] < 77 and 86 < later[0, OLDEST_AGE] < 87
    assert np.allclose(later[:, OLDEST_AGE] - now[:, OLDEST_AGE], 3653 / 365.25)
    # the default is the synthetic reference date
    assert np.array_equal(learned.household_context(households, registry), now)


def test_the_runs_reference_date_reaches_the_model_context(tmp_path, monkeypatch):
    generate(households=400, seed=3, out=tmp_path / "world", sigungu_codes=["11740"])
    seen = []
    context = learned.household_context

    def recording(households, registry, reference_date=REFERENCE_DATE):
        seen.append(reference_date)
        return context(households, registry, reference_date)

    monkeypatch.setattr(learned, "household_context", recording)
    later = date(2036, 9, 1)
    summary = run_pipeline(
        feeds=tmp_path / "world" / "feeds",
        out=tmp_path / "run",
        model=learned.ScreeningModel(classifier=_Constant()),
        reference_date=later,
    )
    assert seen == [later]
    assert summary["model_candidates"] > 0
    links = pq.read_table(tmp_path / "run" / "probabilistic_links.parquet")
    assert links.schema.equals(link.LINK_SCHEMA)


def test_no_unkeyed_remainder_gives_an_empty_links_table():
    from bokjihub.engine.screening.backends import DuckDBBackend
    from bokjihub.engine.screening.pipeline import _link_probabilistic

    db = DuckDBBackend()
    try:
        db.view(
            "linked_exact",
            "SELECT * FROM (SELECT CAST(NULL AS VARCHAR) AS person_key,"
            " CAST(NULL AS VARCHAR) AS name, CAST(NULL AS DATE) AS birth_date,"
            " CAST(NULL AS VARCHAR) AS address, CAST(NULL AS VARCHAR) AS household_key)"
            " WHERE false",
        )
        links = _link_probabilistic(db, link.DEFAULT_THRESHOLD)
    finally:
        db.close()
    assert links.num_rows == 0 and links.schema.equals(link.LINK_SCHEMA)
