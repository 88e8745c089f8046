import math
import re

import numpy as np
import pytest
from numpy.testing import assert_allclose

from helpers.reconciliation import SCENARIOS, reconcile

# A 20 mL fill at 0.3 mL/day, read 50 days later, by a pump within +-14.5 %.
CASE = {"fill_volume_ml": 20.0, "rate_ml_per_day": 0.3, "days": 50.0, "accuracy_percent": 14.5}


def run(scenario, **changes):
    return reconcile(scenario, **{**CASE, **changes})


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_every_scenario_runs(scenario):
    result = run(scenario)
    assert result.scenario == scenario
    assert result.expected_ml == pytest.approx(20.0 - 0.3 * 50.0)
    assert result.time_days.shape == result.to_csf_ml_per_day.shape == (200,)
    assert result.reason


@pytest.mark.parametrize("scenario", ["normal", "leak"])
def test_normal_and_leak_not_flagged_and_residual_as_expected(scenario):
    result = run(scenario)
    assert not result.flagged
    assert_allclose(result.measured_ml, result.expected_ml, rtol=1e-12)


def test_leak_sends_nothing_to_csf():
    assert np.all(run("leak").to_csf_ml_per_day == 0.0)


def test_normal_sends_programmed_rate_to_csf():
    assert np.all(run("normal").to_csf_ml_per_day == 0.3)


def test_fast_within_spec_not_flagged():
    # 10 % fast for 50 days at 0.3 mL/day: 1.5 mL short, inside the +-14.5 % band.
    result = run("fast_within_spec")
    assert not result.flagged
    assert_allclose(result.discrepancy_ml, -1.5, rtol=1e-12)
    assert result.fastest_ml <= result.measured_ml <= result.slowest_ml


@pytest.mark.parametrize(
    "scenario", ["fast_outside_spec", "slow_outside_spec", "occlusion", "pocket_fill"]
)
def test_problem_scenarios_flagged(scenario):
    assert run(scenario).flagged


@pytest.mark.parametrize(
    ("scenario", "sign"), [("fast_outside_spec", -1), ("slow_outside_spec", 1)]
)
def test_pump_speed_moves_residual_the_right_way(scenario, sign):
    assert np.sign(run(scenario).discrepancy_ml) == sign


def test_occlusion_leaves_more_than_expected():
    result = run("occlusion")
    assert result.measured_ml > result.expected_ml


def test_occlusion_stops_flow_to_csf():
    result = run("occlusion")
    assert np.all(result.to_csf_ml_per_day[result.time_days >= 25.0] == 0.0)
    assert np.all(result.to_csf_ml_per_day[result.time_days < 25.0] == 0.3)


def test_pocket_fill_leaves_less_than_expected():
    result = run("pocket_fill")
    assert result.measured_ml < result.expected_ml
    assert result.measured_ml == 0.0


def test_pocket_fill_csf_drops_to_zero_when_residual_runs_out():
    result = run("pocket_fill", previous_residual_ml=2.0)
    empty_day = 2.0 / 0.3
    step = result.time_days[1] - result.time_days[0]
    csf = result.to_csf_ml_per_day
    assert np.all(csf[result.time_days < empty_day - step] == 0.3)
    assert np.all(csf[result.time_days > empty_day + step] == 0.0)


# --- the 2 mL rule and the accuracy band ------------------------------------------------


def test_small_discrepancy_outside_band_flagged_for_band():
    # 25 % fast at 0.1 mL/day for 40 days: 1 mL short, but beyond the 14.5 % edge.
    result = run("fast_outside_spec", rate_ml_per_day=0.1, days=40.0)
    assert abs(result.discrepancy_ml) < 2.0
    assert result.measured_ml < result.fastest_ml
    assert result.flagged
    assert "band" in result.reason


@pytest.mark.parametrize(("days", "flagged"), [(7.96, False), (8.04, True)])
def test_two_ml_rule_inside_wide_band(days, flagged):
    # 25 % fast at 1 mL/day inside a +-30 % band: only the 2 mL rule can flag it.
    result = run("fast_outside_spec", rate_ml_per_day=1.0, days=days, accuracy_percent=30.0)
    assert_allclose(result.discrepancy_ml, -0.25 * days, rtol=1e-12)
    assert result.fastest_ml <= result.measured_ml <= result.slowest_ml
    assert result.flagged == flagged
    assert ("more than 2 mL" in result.reason) is flagged


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_fields_are_python_scalars(scenario):
    result = run(scenario)
    assert type(result.flagged) is bool
    assert type(result.measured_ml) is float


# --- input validation -------------------------------------------------------------------


def test_unknown_scenario_lists_valid_names():
    with pytest.raises(KeyError, match="unknown scenario 'blocked'") as e:
        reconcile("blocked", **CASE)
    for name in SCENARIOS:
        assert repr(name) in str(e.value)


@pytest.mark.parametrize(
    ("name", "value", "unit"),
    [
        ("fill_volume_ml", -1.0, "mL"),
        ("fill_volume_ml", math.nan, "mL"),
        ("previous_residual_ml", -1.0, "mL"),
        ("rate_ml_per_day", 0.0, "mL/day"),
        ("rate_ml_per_day", math.inf, "mL/day"),
        ("days", -1.0, "day"),
        ("accuracy_percent", -5.0, "%"),
        ("accuracy_percent", math.nan, "%"),
    ],
)
def test_invalid_input_names_parameter_and_unit(name, value, unit):
    with pytest.raises(ValueError, match=re.escape(f"{name} = {value:g} {unit}")):
        reconcile("normal", **{**CASE, name: value})


@pytest.mark.parametrize("points", [0, 1])
def test_too_few_points_rejected(points):
    with pytest.raises(ValueError, match="points"):
        reconcile("normal", **CASE, points=points)
