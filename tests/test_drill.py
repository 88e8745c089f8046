"""The refill-reconciliation drill: seeded cases, verdicts computed from the model."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import drill, reconciliation


def test_the_same_seed_gives_the_same_drill_and_another_seed_another():
    assert drill.make_drill(7) == drill.make_drill(7)
    assert drill.make_drill(7) != drill.make_drill(8)
    assert len(drill.make_drill(7)) == drill.CASES_PER_DRILL


def test_maino_2017_limits_are_1_ml_for_20_ml_and_2_ml_for_40_ml_pumps():
    assert drill.limit_ml(20.0) == 1.0
    assert drill.limit_ml(40.0) == 2.0
    with pytest.raises(ValueError, match="20 mL and 40 mL"):
        drill.limit_ml(30.0)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=10_000))
def test_every_case_has_the_answer_its_scenario_means(seed):
    for case in drill.make_drill(seed):
        decision, _ = drill.right_call(case)
        assert (decision == "investigate") == (case.scenario in drill.FAULTS)
        # The prediction the student is shown is the model's: fill - rate x days.
        used = case.rate_ml_per_day * case.days
        assert case.expected_ml == pytest.approx(max(case.fill_volume_ml - used, 0.0))
        assert case.measured_ml >= 0.0
        if decision == "as expected":
            assert abs(case.discrepancy_ml) <= case.limit_ml and not case.clue


def test_a_fast_pump_found_by_the_numbers_scores_two_for_the_right_call_and_cause():
    case = next(c for c in drill.make_drill(3) if c.scenario == "fast_outside_spec")
    assert case.discrepancy_ml < -case.limit_ml or case.measured_ml < case.fastest_ml
    assert drill.judge(case, "investigate", "fast").points == 2
    assert drill.judge(case, "investigate", "slow").points == 1
    verdict = drill.judge(case, "as expected")
    assert verdict.points == 0 and not verdict.decision_right
    assert f"{case.discrepancy_ml:+.1f} mL" in verdict.explanation
    assert f"{case.limit_ml:g} mL (Maino et al. 2017)" in verdict.explanation


def test_a_disconnected_catheter_leaves_a_normal_residual_and_the_symptoms_decide():
    cases = [c for seed in range(30) for c in drill.make_drill(seed) if c.scenario == "leak"]
    assert cases
    for case in cases:
        assert abs(case.discrepancy_ml) <= case.limit_ml  # the reservoir cannot see a leak
        assert case.clue
        assert drill.right_call(case) == ("investigate", "disconnection")


def test_a_pocket_fill_leaves_far_less_than_was_injected():
    cases = [c for seed in range(30) for c in drill.make_drill(seed) if c.scenario == "pocket_fill"]
    assert cases
    for case in cases:
        assert case.discrepancy_ml < -case.limit_ml
        assert drill.judge(case, "investigate", "pocket_fill").points == 2


def test_a_sound_refill_called_as_expected_scores_two_whatever_cause_is_left():
    case = next(c for c in drill.make_drill(1) if c.scenario in drill.SOUND)
    assert drill.judge(case, "as expected").points == 2
    assert drill.judge(case, "investigate", "fast").points == 0


def test_scenarios_of_the_drill_are_the_reservoir_models():
    assert set(drill.SOUND) | set(drill.FAULTS) == set(reconciliation.SCENARIOS)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"decision": "maybe"}, "decision = 'maybe'"),
        ({"decision": "investigate", "cause": "gremlins"}, "cause = 'gremlins'"),
    ],
)
def test_an_unknown_call_or_cause_is_refused_by_name(kwargs, match):
    case = drill.make_drill(0)[0]
    with pytest.raises(ValueError, match=match):
        drill.judge(case, **kwargs)


@pytest.mark.parametrize(("seed", "cases"), [(-1, 10), (0, 0), (0, 51)])
def test_a_seed_or_case_count_out_of_range_is_refused(seed, cases):
    with pytest.raises(ValueError):
        drill.make_drill(seed, cases)
