"""Incident cases: every consequence is computed by the shared models and checked by hand."""

import dataclasses

import numpy as np
import pytest

from helpers import (
    catheter,
    data,
    events,
    incidents,
    programs,
    pump,
    reconciliation,
    safety,
    schedule,
    spine,
    units,
    withdrawal,
)
from helpers.incidents import TIP, Consequence

KEYS = [case.key for case in incidents.CASES]

#: Cases in which nothing reaches the tip for long enough for the level to vanish.
TIP_RUNS_DRY = ("pocket_fill", "missed_refill", "mri_restart", "occlusion")


@pytest.fixture(scope="module")
def results():
    return {case.key: case.consequence() for case in incidents.CASES}


def spy(monkeypatch, module, name):
    """Replace ``module.name`` by a wrapper that records each call and returns the real result."""
    real = getattr(module, name)
    calls = []

    def wrapper(*args, **kwargs):
        result = real(*args, **kwargs)
        calls.append((args, kwargs, result))
        return result

    monkeypatch.setattr(module, name, wrapper)
    return calls


def step_h(result):
    return float(result.hours[1] - result.hours[0])


def starts(result):
    """Start of every step. [h]"""
    return result.hours[:-1]


def ends(result):
    """End of every step. [h]"""
    return result.hours[1:]


def first_zero_h(result):
    """Start of the first step with no drug leaving the catheter. [h]"""
    stopped = np.flatnonzero(result.actual_ug_per_day == 0.0)
    assert stopped.size, "delivery never stops"
    return float(starts(result)[stopped[0]])


def blocks(delivery, minutes=10):
    return delivery.dose_ug_per_day.reshape(-1, minutes).mean(axis=1)


def rules(result):
    return {finding.rule for finding in result.findings}


# --- The catalogue --------------------------------------------------------------------------


def test_there_are_at_least_eight_cases_with_unique_keys():
    assert len(incidents.CASES) >= 8
    assert len(set(KEYS)) == len(KEYS)


@pytest.mark.parametrize("case", incidents.CASES, ids=KEYS)
def test_each_answer_indexes_its_options_and_every_text_is_filled(case):
    assert len(case.options) >= 2
    assert 0 <= case.answer < len(case.options)
    assert isinstance(case.answer, int)
    for text in (case.title, case.story, case.question, case.explanation, case.caught_by):
        assert isinstance(text, str) and text.strip()
    assert all(isinstance(o, str) and o.strip() for o in case.options)
    assert len(set(case.options)) == len(case.options)
    assert callable(case.consequence)


@pytest.mark.parametrize("key", KEYS)
def test_get_case_returns_each_case(key):
    case = incidents.get_case(key)
    assert case.key == key
    assert case is next(c for c in incidents.CASES if c.key == key)


def test_get_case_rejects_an_unknown_key_and_names_the_valid_ones():
    with pytest.raises(KeyError, match="no_such_case") as info:
        incidents.get_case("no_such_case")
    for key in KEYS:
        assert key in str(info.value)


# --- Every consequence ----------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_consequence_arrays_have_consistent_shapes_on_a_uniform_grid(results, key):
    result = results[key]
    assert isinstance(result, Consequence)
    steps = len(result.hours) - 1
    assert steps >= 2
    assert result.hours.ndim == 1
    assert result.intended_ug_per_day.shape == (steps,)
    assert result.actual_ug_per_day.shape == (steps,)
    assert result.csf_percent.shape == result.hours.shape
    assert result.dose_percent().shape == (steps,)
    assert result.hours[0] == 0.0
    spacing = np.diff(result.hours)
    assert np.all(spacing > 0)
    np.testing.assert_allclose(spacing, spacing[0], rtol=1e-9)


@pytest.mark.parametrize("key", KEYS)
def test_csf_level_starts_at_the_usual_steady_state(results, key):
    assert results[key].csf_percent[0] == pytest.approx(100.0, abs=1e-6)


@pytest.mark.parametrize("key", KEYS)
def test_consequence_values_are_finite_and_not_negative(results, key):
    result = results[key]
    for values in (
        result.hours,
        result.intended_ug_per_day,
        result.actual_ug_per_day,
        result.csf_percent,
    ):
        assert np.all(np.isfinite(values))
        assert np.all(values >= 0.0)
    assert np.all(result.intended_ug_per_day > 0.0)


@pytest.mark.parametrize("key", KEYS)
def test_consequence_has_findings_and_a_key_result(results, key):
    result = results[key]
    assert len(result.findings) >= 1
    for finding in result.findings:
        assert isinstance(finding, safety.Finding)
        assert finding.severity in safety.SEVERITIES
        assert finding.rule and finding.message and finding.source
    assert isinstance(result.key_result, str) and result.key_result.strip()


@pytest.mark.parametrize("key", KEYS)
def test_consequence_is_the_same_each_time(results, key):
    again = incidents.get_case(key).consequence()
    np.testing.assert_array_equal(again.actual_ug_per_day, results[key].actual_ug_per_day)
    np.testing.assert_array_equal(again.csf_percent, results[key].csf_percent)
    assert again.key_result == results[key].key_result


# --- From the shared models -----------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_csf_level_is_the_spine_simulation_of_the_dose_leaving_the_catheter(monkeypatch, key):
    simulated = spy(monkeypatch, spine, "simulate")
    steady = spy(monkeypatch, spine, "steady_state")
    result = incidents.get_case(key).consequence()
    assert len(simulated) == 1 and len(steady) == 1
    args, kwargs, spread = simulated[0]
    assert args[0] == TIP
    np.testing.assert_allclose(args[1], units.hours_to_days(result.hours), rtol=1e-12)
    np.testing.assert_array_equal(args[2], result.actual_ug_per_day)
    start = steady[0][2]
    assert kwargs["initial_ug_per_ml"] is start
    expected = 100.0 * spread.at_level(TIP) / start[spread.geometry.cell(TIP)]
    np.testing.assert_allclose(result.csf_percent, expected, rtol=1e-12)


@pytest.mark.parametrize("key", KEYS)
def test_csf_level_follows_whatever_the_spine_model_returns(monkeypatch, key):
    real = spine.simulate

    def doubled(*args, **kwargs):
        spread = real(*args, **kwargs)
        return dataclasses.replace(
            spread, concentration_ug_per_ml=2.0 * spread.concentration_ug_per_ml
        )

    monkeypatch.setattr(spine, "simulate", doubled)
    result = incidents.get_case(key).consequence()
    monkeypatch.undo()
    plain = incidents.get_case(key).consequence()
    np.testing.assert_allclose(result.csf_percent, 2.0 * plain.csf_percent, rtol=1e-12)


@pytest.mark.parametrize(
    "key",
    KEYS,
)
def test_usual_level_is_the_steady_state_of_the_intended_mean_dose(monkeypatch, key):
    """100 % must mean the level the order as meant keeps up, not a hand-picked dose."""
    steady = spy(monkeypatch, spine, "steady_state")
    result = incidents.get_case(key).consequence()
    usual = steady[0][0][1]
    assert usual == pytest.approx(float(np.mean(result.intended_ug_per_day)), rel=1e-9)


def test_flex_per_hour_comes_from_programs_flexible_and_delivery_findings(monkeypatch):
    built = spy(monkeypatch, programs, "flexible")
    checked = spy(monkeypatch, safety, "delivery_findings")
    result = incidents.flex_per_hour()
    assert len(built) == 2
    by_peak = {float(r.dose_ug_per_day.max()): r for _, _, r in built}
    meant, entered = by_peak[600.0], by_peak[600.0 * 24]
    np.testing.assert_allclose(result.intended_ug_per_day, blocks(meant), rtol=1e-12)
    np.testing.assert_allclose(result.actual_ug_per_day, blocks(entered), rtol=1e-12)
    assert len(checked) == 1
    args, _, findings = checked[0]
    assert args[2] is entered
    assert args[3] == pytest.approx(float(meant.daily_totals_ug()[0]))
    assert result.findings == findings


def test_mg_for_ug_findings_come_from_check_program(monkeypatch):
    checked = spy(monkeypatch, safety, "check_program")
    result = incidents.mg_for_ug()
    assert len(checked) == 1
    (program,), _, findings = checked[0]
    assert program.rate_ml_per_day == pytest.approx(500.0 * 1000.0 / 10_000.0)
    assert program.concentrations_ug_per_ml == {"morphine": 10_000.0}
    assert result.findings == findings


def test_wrong_concentration_comes_from_catheter_transport_and_check_change(monkeypatch):
    moved = spy(monkeypatch, catheter, "transport")
    checked = spy(monkeypatch, safety, "check_change")
    result = incidents.wrong_concentration()
    assert len(moved) == 1
    args, kwargs, line = moved[0]
    assert isinstance(args[0], schedule.Schedule)
    assert kwargs["initial_ug_per_ml"] == 10_000.0
    np.testing.assert_allclose(
        result.actual_ug_per_day,
        0.5 * (line.tip_ug_per_day[1:] + line.tip_ug_per_day[:-1]),
        rtol=1e-12,
    )
    assert len(checked) == 1
    _, kwargs, findings = checked[0]
    assert kwargs["reservoir_ug_per_ml"] == {"morphine": 20_000.0}
    assert result.findings == findings
    assert "concentration_mismatch" in rules(result)


@pytest.mark.parametrize("key", ["pocket_fill", "occlusion"])
def test_reservoir_cases_come_from_reconcile(monkeypatch, key):
    reconciled = spy(monkeypatch, reconciliation, "reconcile")
    result = incidents.get_case(key).consequence()
    assert len(reconciled) == 1
    args, _, outcome = reconciled[0]
    assert args[0] == key
    reaching = outcome.to_csf_ml_per_day * 10_000.0
    np.testing.assert_allclose(
        result.actual_ug_per_day, 0.5 * (reaching[1:] + reaching[:-1]), rtol=1e-12
    )
    np.testing.assert_allclose(result.hours, units.days_to_hours(outcome.time_days))
    (finding,) = result.findings
    assert finding.rule == "refill_discrepancy"
    assert f"{outcome.measured_ml:.1f} mL came back" in finding.message
    assert finding.severity == ("danger" if outcome.flagged else "info")


def test_mri_restart_comes_from_programs_mri(monkeypatch):
    stopped = spy(monkeypatch, events, "mri")
    result = incidents.mri_restart()
    assert len(stopped) == 1
    args, _, delivery = stopped[0]
    assert args[1:] == (8.0, 1.0, 24.0)
    np.testing.assert_allclose(result.actual_ug_per_day, blocks(delivery), rtol=1e-12)
    np.testing.assert_allclose(result.intended_ug_per_day, blocks(args[0]), rtol=1e-12)


def test_missed_refill_comes_from_the_reservoir_model(monkeypatch):
    emptied = spy(monkeypatch, pump, "reservoir_volume_ml")
    result = incidents.missed_refill()
    assert len(emptied) == 1
    args, _, left = emptied[0]
    assert args[1:] == (20.0, 0.2)
    np.testing.assert_array_equal(result.actual_ug_per_day, np.where(left > 0.0, 400.0, 0.0))


# --- Independent analytic checks ------------------------------------------------------------


def test_flex_per_hour_runs_24_times_too_fast_in_the_morning_step_only(results):
    result = results["flex_per_hour"]
    clock = starts(result) % 24.0
    morning = (clock >= 6.0) & (clock < 9.0)
    assert np.count_nonzero(morning) == 2 * 3 * 6  # two days of 10-min steps
    np.testing.assert_allclose(result.dose_percent()[morning], 2400.0, rtol=1e-12)
    np.testing.assert_allclose(result.dose_percent()[~morning], 100.0, rtol=1e-12)
    extra = 2 * 3.0 / 24.0 * (600.0 * 24 - 600.0)
    assert result.extra_ug() == pytest.approx(extra, rel=1e-9)
    assert "program_above_prescription" in rules(result)
    assert result.csf_percent.max() > 1000.0


def peristaltic_dead_volume_ml():
    line = catheter.get_catheter("peristaltic")
    return catheter.dead_volume_ml(
        line.supplied_length.model_value,
        line.volume_per_length.model_value,
        line.pump_path_volume.model_value,
    )


def test_wrong_concentration_doubles_the_dose_after_the_catheter_transit_time(results):
    result = results["wrong_concentration"]
    transit_h = units.days_to_hours(catheter.transit_time_days(peristaltic_dead_volume_ml(), 0.3))
    assert 0.0 < transit_h < result.hours[-1]
    old = ends(result) < transit_h
    new = starts(result) >= transit_h
    assert np.count_nonzero(~old & ~new) <= 1  # the one step the front crosses
    np.testing.assert_allclose(result.dose_percent()[old], 100.0, rtol=1e-12)
    np.testing.assert_allclose(result.dose_percent()[new], 200.0, rtol=1e-12)
    window_days = units.hours_to_days(result.hours[-1])
    extra = (20_000.0 - 10_000.0) * 0.3 * (window_days - units.hours_to_days(transit_h))
    one_step = (20_000.0 - 10_000.0) * 0.3 * units.hours_to_days(step_h(result))
    assert abs(result.extra_ug() - extra) <= one_step
    assert f"{transit_h:.0f} h" in result.key_result


def test_access_port_puts_the_whole_refill_into_the_csf(results):
    result = results["access_port"]
    assert result.extra_ug() == pytest.approx(20.0 * 10_000.0, rel=1e-9)
    assert result.dose_percent()[0] > 1000.0
    np.testing.assert_allclose(result.dose_percent()[1:], 100.0)
    assert result.csf_percent.max() > 10 * 100.0
    assert {f.severity for f in result.findings} == {"danger"}


def test_pocket_fill_delivers_only_the_old_residual(results):
    result = results["pocket_fill"]
    empty_h = units.days_to_hours(2.0 / 0.3)
    assert abs(first_zero_h(result) - empty_h) <= 1.0
    # The step the reservoir empties in may carry part of a dose.
    half = step_h(result) / 2.0
    assert np.all(result.actual_ug_per_day[ends(result) < empty_h - half] == 3000.0)
    assert np.all(result.actual_ug_per_day[starts(result) > empty_h - half] == 0.0)


def test_pocket_fill_is_flagged_at_the_next_refill(results):
    (finding,) = results["pocket_fill"].findings
    assert finding.rule == "refill_discrepancy"
    assert finding.severity == "danger"


def test_occlusion_stops_delivery_at_the_onset_and_leaves_more_in_the_reservoir(monkeypatch):
    reconciled = spy(monkeypatch, reconciliation, "reconcile")
    result = incidents.occlusion()
    onset_h = (
        data.lookup("scenarios", "occlusion_onset").model_value
        / 100.0
        * incidents.INTERVAL_DAYS
        * 24.0
    )
    assert abs(first_zero_h(result) - onset_h) <= step_h(result)
    assert np.all(result.actual_ug_per_day[ends(result) < onset_h] == 3000.0)
    assert np.all(result.actual_ug_per_day[starts(result) >= onset_h] == 0.0)
    outcome = reconciled[0][2]
    assert outcome.measured_ml > outcome.expected_ml
    blocked_days = incidents.INTERVAL_DAYS - units.hours_to_days(onset_h)
    assert outcome.discrepancy_ml == pytest.approx(0.3 * blocked_days, abs=0.3 / 24)
    assert outcome.flagged
    assert result.findings[0].severity == "danger"


def test_missed_refill_stops_when_the_reservoir_is_empty_and_withdrawal_follows(results):
    result = results["missed_refill"]
    alarm_ml = pump.get_pump("peristaltic").alarm_volume_ml
    start_day = pump.days_to_alarm(20.0, 0.2, alarm_ml) - 10.0
    empty_h = units.days_to_hours(pump.days_to_empty(20.0, 0.2) - start_day)
    step = step_h(result)
    assert abs(first_zero_h(result) - empty_h) <= step
    assert np.all(result.actual_ug_per_day[ends(result) <= empty_h] == 400.0)
    assert np.all(result.actual_ug_per_day[starts(result) >= empty_h] == 0.0)
    level = data.lookup("journey", "withdrawal_level").value
    likely_h = withdrawal.withdrawal("baclofen", [0.0]).likely_from_h
    assert np.all(result.csf_percent[result.hours <= empty_h] > level)
    below = result.hours[(result.hours > empty_h) & (result.csf_percent < level)]
    assert below.size
    assert below[0] - empty_h <= likely_h + step
    assert result.hours[-1] == pytest.approx(empty_h + units.days_to_hours(4.0))


def test_mri_restart_misses_25_hours_of_baclofen(results):
    result = results["mri_restart"]
    assert result.extra_ug() == pytest.approx(-400.0 * 25.0 / 24.0, rel=1e-9)
    off = (starts(result) >= 8.0) & (starts(result) < 8.0 + 25.0)
    np.testing.assert_array_equal(result.actual_ug_per_day[off], 0.0)
    np.testing.assert_allclose(result.dose_percent()[~off], 100.0, rtol=1e-12)


def test_mg_for_ug_is_refused_by_the_rate_and_dose_checks(results):
    result = results["mg_for_ug"]
    assert {"rate_above_pump_maximum", "dose_above_maximum"} <= rules(result)
    np.testing.assert_allclose(result.dose_percent(), 100_000.0)
    assert result.findings[0].severity == "danger"


@pytest.mark.parametrize("key", TIP_RUNS_DRY)
def test_level_at_the_tip_falls_away_when_the_tip_runs_dry(results, key):
    result = results[key]
    assert result.csf_percent.min() < 1.0
    assert result.extra_ug() < 0.0


@pytest.mark.parametrize("key", ["flex_per_hour", "wrong_concentration", "access_port"])
def test_level_at_the_tip_rises_with_an_overdose(results, key):
    result = results[key]
    assert result.extra_ug() > 0.0
    assert result.csf_percent.max() > 150.0


# --- Consequence arithmetic -----------------------------------------------------------------


def hand_made(actual, intended=(100.0, 100.0, 100.0, 100.0)):
    hours = np.array([0.0, 6.0, 12.0, 18.0, 24.0])
    return Consequence(
        hours,
        np.asarray(intended, dtype=float),
        np.asarray(actual, dtype=float),
        np.full_like(hours, 100.0),
        (),
        "hand made",
    )


def test_extra_ug_integrates_the_difference_over_the_steps():
    assert hand_made([100.0, 300.0, 100.0, 100.0]).extra_ug() == pytest.approx(50.0)
    assert hand_made([0.0, 0.0, 0.0, 0.0]).extra_ug() == pytest.approx(-100.0)
    assert hand_made([100.0, 100.0, 100.0, 100.0]).extra_ug() == 0.0
    assert hand_made([200.0, 0.0, 50.0, 150.0]).extra_ug() == pytest.approx(0.0)


def test_extra_ug_uses_the_grid_step():
    hourly = Consequence(
        np.arange(5.0), np.full(4, 240.0), np.full(4, 480.0), np.full(5, 100.0), (), "x"
    )
    assert hourly.extra_ug() == pytest.approx(4 * 240.0 / 24.0)


def test_dose_percent_is_delivered_over_intended_per_step():
    result = hand_made([100.0, 300.0, 0.0, 50.0], intended=(100.0, 100.0, 200.0, 25.0))
    np.testing.assert_allclose(result.dose_percent(), [100.0, 300.0, 0.0, 200.0])


def test_consequence_is_frozen():
    result = hand_made([100.0] * 4)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.key_result = "changed"
