"""Concept checks: every question's right option is the model's number, every wrong one a
named misconception, three to five per notebook."""

from __future__ import annotations

import collections
import string
import tomllib

import pytest

from helpers import catheter, concepts, data, drill, pump, refill, spine

TABLE = tomllib.loads((data.CONTENT_DIR / "concepts.toml").read_text(encoding="utf-8"))
KEYS = [k for k in TABLE if k != "competencies"]


def test_every_notebook_has_three_to_five_checks():
    counts = collections.Counter(q.notebook for q in concepts.questions())
    assert sorted(counts) == list(concepts.NOTEBOOKS)
    assert all(3 <= n <= 5 for n in counts.values()), counts


def test_words_and_numbers_name_the_same_questions():
    assert set(KEYS) == set(concepts.NUMBERS)


@pytest.mark.parametrize("key", KEYS)
def test_a_question_has_one_right_option_and_a_misconception_for_each_wrong_one(key):
    words, numbers = TABLE[key], concepts.NUMBERS[key]()
    q = concepts.question(key)
    assert words["competency"] in concepts.competencies()
    assert len(set(q.options)) == len(q.options) >= 3, q.options
    assert all("{" not in o for o in (q.text, *q.options))
    assert q.misconceptions[q.answer] == ""
    assert all(m for i, m in enumerate(q.misconceptions) if i != q.answer)
    assert q.options[q.answer] == words["options"][words["answer"]].format(**numbers)
    assert numbers.get("_right_if", True) is True
    # The right option shows a computed number, or is settled by the model (_right_if).
    fields = {f for _, f, _, _ in string.Formatter().parse(words["options"][words["answer"]]) if f}
    assert fields or "_right_if" in numbers, "a right answer typed in, not computed"


def test_the_right_numbers_are_the_models():
    assert concepts.NUMBERS["days_to_alarm"]()["days"] == pump.days_to_alarm(20.0, 0.5, 2.0)
    assert concepts.NUMBERS["flow_from_dose"]()["rate"] == pytest.approx(0.3)
    assert concepts.NUMBERS["stability_limit"]()["due"] == 90.0  # stability, not 190 days
    faster = concepts.NUMBERS["transit_faster"]()
    assert faster["half"] == catheter.transit_time_days(0.2, 0.1) == faster["days"] / 2
    scaling = concepts.NUMBERS["spread_scaling"]()
    assert scaling["root"] == pytest.approx(scaling["spread"] * 2**0.5)
    lipophilic = concepts.NUMBERS["lipophilic_spread"]()
    assert lipophilic["fentanyl_cm"] < lipophilic["morphine_cm"]
    assert concepts.NUMBERS["visits_per_year"]()["visits"] == refill.visits_per_year(60.0)
    assert concepts.NUMBERS["discrepancy_limit"]()["limit"] == drill.limit_ml(20.0) == 1.0
    assert concepts.NUMBERS["tip_matters"]()["spread"] == pytest.approx(
        spine.spread_length_cm(spine.human_dispersion(), spine.clearance_per_day("morphine"))
    )
    assert concepts.NUMBERS["baclofen_step"]()["step"] == 390.0


def test_the_shown_order_is_shuffled_the_same_way_for_everyone():
    first = [concepts.question(k) for k in KEYS]
    assert first == [concepts.question(k) for k in KEYS]
    assert len({q.answer for q in first}) > 1  # the right option is not always first


def test_an_unknown_question_is_refused_with_the_valid_keys():
    with pytest.raises(KeyError, match="days_to_alarm"):
        concepts.question("no_such_check")


def test_every_exercise_and_question_serves_a_named_competency():
    exercises = tomllib.loads((data.CONTENT_DIR / "exercises.toml").read_text(encoding="utf-8"))
    known = set(concepts.competencies()) - {"source"}
    assert all(e["competency"] in known for e in exercises.values())
    rows = concepts.competency_map()
    assert {r[0] for r in rows} == known
    assert sum(r[3] for r in rows) == len(concepts.questions())
    assert sum(r[4] for r in rows) == len(exercises)
    assert all(r[3] + r[4] > 0 for r in rows)  # no competency left without an activity


def test_the_instructor_guide_shows_the_competency_map_as_the_data_gives_it():
    import pathlib

    guide = (pathlib.Path(__file__).parents[1] / "docs" / "instructor_guide.md").read_text()
    for _, words, notebooks, checks, exercises in concepts.competency_map():
        row = next(line for line in guide.splitlines() if line.startswith(f"| {words} |"))
        assert row.endswith(f"| {checks} | {exercises} |"), row
        assert all(f"{n:02d}" in row for n in notebooks)
