"""The person model: Hangul names on jamo, romanised and compound surnames, scores that
order sensibly, the shipped model file, and the training run. No Django."""

import random
import time
import unicodedata

import pytest

from bokjihub.engine import hangul
from bokjihub.engine.linkage import (
    COMPARISONS,
    LinkageBackendError,
    ModelFileError,
    PersonMatcher,
    PersonQuery,
    load_model,
    misspell,
    split_road_address,
    train_person_model,
)

KIM = PersonQuery("김영수", 1945, "양재대로", "1480", "1174068500")


def levenshtein(a: str, b: str) -> int:
    """Independent of the backend's function, so the test does not trust it."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, 1):
        current = [i]
        for j, y in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


@pytest.fixture(scope="module")
def matcher():
    return PersonMatcher()


# ---------------------------------------------------------------- Hangul


def test_one_wrong_jamo_is_one_edit_while_syllables_see_a_whole_letter():
    assert hangul.jamo("김") == "\u1100\u1175\u11b7"
    assert levenshtein(hangul.jamo("김영수"), hangul.jamo("감영수")) == 1
    assert levenshtein(hangul.jamo("김영수"), hangul.jamo("김영슈")) == 1
    assert levenshtein(hangul.jamo("김영수"), hangul.jamo("박영수")) == 3
    assert unicodedata.normalize("NFC", hangul.jamo("김영수")) == "김영수"


@pytest.mark.parametrize(
    ("written", "surname"),
    [
        ("Lee", "이"),
        ("Yi", "이"),
        ("Rhee", "이"),
        ("Park", "박"),
        ("Pak", "박"),
        ("Bak", "박"),
        ("Kim", "김"),
        ("Gim", "김"),
        ("Choi", "최"),
        ("Choe", "최"),
        ("Namgung", "남궁"),
    ],
)
def test_romanised_surnames_map_to_hangul_whichever_side_they_are_written(written, surname):
    assert hangul.split_name(f"{written} Young-soo") == hangul.SplitName(surname, "youngsoo")
    assert hangul.split_name(f"Youngsoo {written.upper()}").surname == surname


@pytest.mark.parametrize(
    ("name", "surname", "given"),
    [
        ("남궁민수", "남궁", "민수"),
        ("선우재덕", "선우", "재덕"),
        ("제갈성렬", "제갈", "성렬"),
        ("황보관", "황보", "관"),
        ("독고영재", "독고", "영재"),
        ("김영수", "김", "영수"),
        ("선우", "선", "우"),  # two syllables: a one-syllable surname and a given name
        ("김 영수", "김", "영수"),
        ("", "", ""),
    ],
)
def test_compound_surnames_split_off_whole(name, surname, given):
    assert hangul.split_name(name) == hangul.SplitName(surname, given)


def test_road_and_building_number_are_read_from_a_road_address():
    assert split_road_address("서울특별시 강동구 양재대로 1480 (길동)") == ("양재대로", "1480")
    assert split_road_address("강동구 천호로29길 65-2") == ("천호로29길", "65-2")
    assert split_road_address("시장 근처 파란 대문") == ("", "")


def test_misspell_changes_exactly_one_jamo():
    rng = random.Random(3)
    for _ in range(200):
        typo = misspell("김영수", rng)
        assert typo != "김영수"
        assert len(typo) == 3
        assert levenshtein(hangul.jamo(typo), hangul.jamo("김영수")) == 1


# ---------------------------------------------------------------- scoring


def _score(matcher, query, candidates):
    return {s.candidate_id: s for s in matcher.score(query, candidates)}


def test_exact_beats_one_jamo_typo_beats_another_person(matcher):
    candidates = [("same", KIM)]
    exact = _score(matcher, KIM, candidates)["same"]
    typo = _score(matcher, PersonQuery("김영슈", 1945, "양재대로", "1480"), candidates)["same"]
    surname_typo = _score(matcher, PersonQuery("감영수", 1945, "양재대로", "1480"), candidates)
    other = _score(matcher, PersonQuery("박지은", 1988, "천호대로", "1005"), candidates)["same"]
    assert exact.match_probability > typo.match_probability > 0.9
    assert surname_typo["same"].match_weight == typo.match_weight
    assert other.match_probability < 0.001
    assert exact.match_weight > typo.match_weight > other.match_weight


def test_levels_and_reasons_explain_the_score(matcher):
    scored = _score(matcher, PersonQuery("김영슈", 1946, "양재대로", "12"), [("k", KIM)])["k"]
    levels = {c.field: c.level for c in scored.comparisons}
    assert levels == {"name": "jamo_1", "birth_year": "near", "address": "road"}
    assert scored.reasons()[0] == "이름 자모 하나 차이"
    exact = _score(matcher, KIM, [("k", KIM)])["k"]
    assert exact.reasons() == ["이름 일치", "출생연도 일치", "같은 도로명 주소"]
    assert sum(c.match_weight for c in exact.comparisons) > 0


def test_unknown_fields_neither_help_nor_hurt(matcher):
    scored = _score(matcher, PersonQuery("김영수"), [("k", KIM)])["k"]
    by_field = {c.field: c for c in scored.comparisons}
    assert by_field["birth_year"].level == "null"
    assert by_field["address"].level == "null"
    assert by_field["birth_year"].match_weight == 0
    assert "출생연도 없음" not in scored.reasons()


def test_a_romanised_name_agrees_on_the_surname_only(matcher):
    scored = _score(matcher, PersonQuery("Kim Youngsoo", 1945), [("k", KIM)])["k"]
    assert scored.comparisons[0].level == "surname"


def test_the_person_at_the_address_outranks_a_namesake_elsewhere(matcher):
    candidates = [
        ("namesake", PersonQuery("김영수", 1972, "천호대로", "12", "1174060000")),
        ("kim", KIM),
        ("neighbour", PersonQuery("김영희", 1944, "양재대로", "1480", "1174068500")),
    ]
    ranked = matcher.score(PersonQuery("김영슈", 1945, "양재대로", "1480"), candidates)
    assert ranked[0].candidate_id == "kim"
    assert ranked[0].match_probability > 0.9
    by_id = {s.candidate_id: s for s in ranked}
    assert by_id["namesake"].match_probability < 0.01
    # a 김영희 of the same building born a year earlier: close, but below the person
    assert by_id["neighbour"].match_probability < ranked[0].match_probability


def test_scores_are_deterministic_and_ties_ordered_by_id(matcher):
    twins = [("b", KIM), ("a", KIM), ("c", PersonQuery("이민호", 1990))]
    first = matcher.score(KIM, twins)
    again = PersonMatcher().score(KIM, list(reversed(twins)))
    assert [s.candidate_id for s in first] == ["a", "b", "c"]
    assert first == again
    assert matcher.score(KIM, []) == []


def test_two_hundred_candidates_score_in_one_fast_batch(matcher):
    rng = random.Random(7)
    candidates = [
        (
            f"c{i}",
            PersonQuery(
                rng.choice("김이박최정") + rng.choice("영민서지") + rng.choice("수희호아"),
                rng.randint(1930, 2010),
                rng.choice(("양재대로", "천호대로", "길동로")),
                str(rng.randint(1, 1500)),
                "1174068500",
            ),
        )
        for i in range(200)
    ]
    matcher.score(KIM, candidates)  # warm
    started = time.perf_counter()
    for _ in range(5):
        ranked = matcher.score(KIM, candidates)
    per_call = (time.perf_counter() - started) / 5
    assert len(ranked) == 200
    assert per_call < 0.2, f"{per_call * 1000:.0f} ms for 200 candidates"


def test_a_prior_override_moves_probabilities_not_levels():
    strict = PersonMatcher(prior=1e-9)
    loose = PersonMatcher(prior=1e-3)
    query = PersonQuery("김영슈", 1945)
    s, loo = strict.score(query, [("k", KIM)])[0], loose.score(query, [("k", KIM)])[0]
    assert s.comparisons == loo.comparisons
    assert s.match_probability < loo.match_probability
    with pytest.raises(ValueError, match="prior"):
        PersonMatcher(prior=1.5)


def test_unknown_or_missing_backends_say_so():
    with pytest.raises(ValueError, match="unknown linkage backend"):
        PersonMatcher(backend="oracle")
    with pytest.raises(LinkageBackendError):
        PersonMatcher(backend="spark")  # no pyspark here, or no session given


# ---------------------------------------------------------------- model file and training


def test_the_shipped_model_is_trained_and_sensible():
    model = load_model()
    settings = model["splink_settings"]
    assert [c["output_column_name"] for c in settings["comparisons"]] == list(COMPARISONS)
    for comparison in settings["comparisons"]:
        levels = [lvl for lvl in comparison["comparison_levels"] if not lvl.get("is_null_level")]
        assert all(
            0 < lvl["m_probability"] <= 1 and 0 < lvl["u_probability"] <= 1 for lvl in levels
        )
        # agreement is evidence for a match, the ELSE level against it
        assert levels[0]["m_probability"] > levels[0]["u_probability"]
        assert levels[-1]["m_probability"] < levels[-1]["u_probability"]
    assert model["training"]["sigungu_code"] == "11740"


def test_a_file_of_another_kind_is_refused(tmp_path):
    path = tmp_path / "model.json"
    path.write_text('{"kind": "something", "version": 1}', encoding="utf-8")
    with pytest.raises(ModelFileError):
        load_model(path)


def test_training_is_deterministic_and_gives_the_shipped_levels():
    small = {"households": 2000, "reports": 1500, "seed": 5, "max_pairs": 2e5}
    first, second = train_person_model(**small), train_person_model(**small)
    assert first == second
    shipped = load_model()["splink_settings"]["comparisons"]
    assert _structure(first["splink_settings"]["comparisons"]) == _structure(shipped)
    exact = first["splink_settings"]["comparisons"][0]["comparison_levels"][1]
    assert exact["m_probability"] > 0.5 > 0.001 > exact["u_probability"]


def _structure(comparisons):
    """The levels without their parameters: name, SQL and label of each."""
    return [
        (
            comparison["output_column_name"],
            [
                (lvl["sql_condition"], lvl["label_for_charts"])
                for lvl in comparison["comparison_levels"]
            ],
        )
        for comparison in comparisons
    ]
