import datetime
import itertools
import math
import re

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from helpers import pump, refill
from helpers.ranges import (
    CONCENTRATION,
    INTERVAL,
    MARGIN,
    RATE,
    TIME,
    VOLUME,
)

START = datetime.date(2026, 1, 1)
PERISTALTIC = pump.get_pump("peristaltic")
GAS_DRIVEN = pump.get_pump("gas_driven")


# --- exact values ------------------------------------------------------------------------


def test_flow_rate_morphine_example():
    assert_allclose(pump.flow_rate_ml_per_day(3000.0, 10_000.0), 0.3, rtol=1e-15)


def test_daily_dose_inverts_flow_rate():
    assert_allclose(pump.daily_dose_ug_per_day(0.3, 10_000.0), 3000.0, rtol=1e-15)


def test_concentration_for_dose_example():
    assert pump.concentration_for_dose_ug_per_ml(500.0, 1.0) == 500.0


def test_days_to_alarm_example():
    assert pump.days_to_alarm(20.0, 0.5, 2.0) == 36.0


def test_days_to_alarm_zero_when_fill_below_alarm():
    assert pump.days_to_alarm(1.0, 0.5, 2.0) == 0.0


def test_days_to_empty_example():
    assert pump.days_to_empty(20.0, 0.5) == 40.0


def test_reservoir_volume_example():
    assert pump.reservoir_volume_ml(10.0, 20.0, 0.5) == 15.0


def test_reservoir_volume_full_at_refill():
    assert pump.reservoir_volume_ml(0.0, 20.0, 0.5) == 20.0


def test_reservoir_volume_zero_when_empty():
    assert pump.reservoir_volume_ml(40.0, 20.0, 0.5) == 0.0


def test_reservoir_volume_clipped_after_running_dry():
    assert pump.reservoir_volume_ml(100.0, 20.0, 0.5) == 0.0


def test_reservoir_volume_never_negative_over_time():
    volumes = pump.reservoir_volume_ml(np.linspace(0.0, 3650.0, 1001), 20.0, 0.5)
    assert np.all(volumes >= 0.0)


def test_refill_by_capped_by_stability():
    assert refill.refill_by_days(20.0, 0.1, 2.0, 3.0, 90.0) == 90.0


def test_refill_by_alarm_minus_margin():
    assert refill.refill_by_days(20.0, 0.5, 2.0, 3.0, 90.0) == 33.0


def test_refill_by_never_negative():
    assert refill.refill_by_days(20.0, 10.0, 2.0, 3.0, 90.0) == 0.0


def test_refill_by_zero_when_fill_at_alarm():
    assert refill.refill_by_days(2.0, 0.5, 2.0, 0.0, 90.0) == 0.0


def test_accuracy_band_example():
    assert_allclose(pump.accuracy_band_ml_per_day(1.0, 14.5), (0.855, 1.145), rtol=1e-15)


def test_peristaltic_accuracy_is_14_5_percent():
    assert PERISTALTIC.accuracy_percent == 14.5


def test_accuracy_band_of_peristaltic_pump():
    slow, fast = pump.accuracy_band_ml_per_day(0.5, PERISTALTIC.accuracy_percent)
    assert_allclose((slow, fast), (0.5 * 0.855, 0.5 * 1.145), rtol=1e-15)


def test_accuracy_band_zero_accuracy_is_exact():
    assert pump.accuracy_band_ml_per_day(0.5, 0.0) == (0.5, 0.5)


def test_refill_dates_example():
    assert refill.refill_dates(START, 90.0, 6) == (
        datetime.date(2026, 4, 1),
        datetime.date(2026, 6, 30),
    )


def test_refill_dates_four_visits_in_a_year_at_90_days():
    assert len(refill.refill_dates(START, 90.0, 12)) == 4


def test_refill_dates_interval_rounded_down():
    assert refill.refill_dates(START, 90.9, 12) == refill.refill_dates(START, 90.0, 12)


def test_refill_dates_exclude_start_date():
    assert START not in refill.refill_dates(START, 30.0, 12)


def test_refill_dates_evenly_spaced():
    dates = (START, *refill.refill_dates(START, 42.0, 12))
    assert {(b - a).days for a, b in itertools.pairwise(dates)} == {42}


def test_refill_dates_empty_when_interval_exceeds_period():
    assert refill.refill_dates(START, 400.0, 12) == ()


def test_refill_dates_include_period_end():
    assert refill.refill_dates(START, 365.0, 12) == (datetime.date(2027, 1, 1),)


def test_visits_per_year_at_90_days():
    assert_allclose(refill.visits_per_year(90.0), 365.25 / 90.0, rtol=1e-15)


def test_visits_per_year_rounds_interval_down():
    assert refill.visits_per_year(90.9) == refill.visits_per_year(90.0)


def test_visits_per_year_array():
    assert_allclose(refill.visits_per_year(np.array([42.0, 180.0])), [365.25 / 42, 365.25 / 180])


def test_reservoir_with_refills_example():
    assert refill.reservoir_with_refills_ml(35.0, 20.0, 0.5, 30.0) == 17.5


@pytest.mark.parametrize("visit", [1, 2, 5])
def test_reservoir_with_refills_just_before_refill(visit):
    volume = refill.reservoir_with_refills_ml(30.0 * visit - 1e-9, 20.0, 0.5, 30.0)
    assert_allclose(volume, 20.0 - 0.5 * 30.0, atol=1e-8)


@pytest.mark.parametrize("visit", [0, 1, 2, 5])
def test_reservoir_with_refills_full_at_refill(visit):
    assert refill.reservoir_with_refills_ml(30.0 * visit, 20.0, 0.5, 30.0) == 20.0


def test_reservoir_with_refills_uses_whole_day_interval():
    assert refill.reservoir_with_refills_ml(30.0, 20.0, 0.5, 30.9) == 20.0


def test_reservoir_with_refills_clipped_at_zero_when_interval_too_long():
    assert refill.reservoir_with_refills_ml(50.0, 20.0, 0.5, 60.0) == 0.0


# --- plans ------------------------------------------------------------------------------


def morphine_plan(stability_days=90.0):
    return refill.plan_refill(3000.0, 10_000.0, 20.0, 2.0, 14.5, stability_days, 3.0)


def test_plan_refill_rate():
    assert_allclose(morphine_plan().rate_ml_per_day, 0.3, rtol=1e-15)


def test_plan_refill_rate_ul_per_h():
    plan = morphine_plan()
    assert_allclose(plan.rate_ul_per_h, plan.rate_ml_per_day * 1000.0 / 24.0, rtol=1e-15)


def test_plan_refill_days():
    plan = morphine_plan()
    assert_allclose(plan.days_to_alarm, 60.0, rtol=1e-14)
    assert_allclose(plan.days_to_empty, 20.0 / 0.3, rtol=1e-14)
    assert_allclose(plan.refill_by_days, 57.0, rtol=1e-14)


def test_plan_refill_accuracy_edges():
    plan = morphine_plan()
    assert_allclose(plan.days_to_alarm_fast, 18.0 / (0.3 * 1.145), rtol=1e-14)
    assert_allclose(plan.days_to_alarm_slow, 18.0 / (0.3 * 0.855), rtol=1e-14)


def test_plan_refill_fast_alarm_before_nominal_before_slow():
    plan = morphine_plan()
    assert plan.days_to_alarm_fast < plan.days_to_alarm < plan.days_to_alarm_slow


def test_plan_refill_alarm_before_empty():
    plan = morphine_plan()
    assert plan.days_to_alarm < plan.days_to_empty


def test_plan_refill_limited_by_alarm():
    assert morphine_plan().limited_by == "alarm"


def test_plan_refill_limited_by_stability():
    plan = morphine_plan(stability_days=40.0)
    assert plan.limited_by == "stability"
    assert plan.refill_by_days == 40.0


def test_plan_refill_fields_are_python_floats():
    plan = morphine_plan()
    for name in ("rate_ml_per_day", "rate_ul_per_h", "days_to_alarm", "refill_by_days"):
        assert type(getattr(plan, name)) is float


def test_plan_date_after_rounds_down():
    assert morphine_plan().date_after(START, 57.9) == datetime.date(2026, 2, 27)


def test_plan_refill_accepts_rate_near_upper_limit():
    plan = refill.plan_refill(0.95 * RATE.high * 1000.0, 1000.0, 20.0, 2.0, 14.5, 90.0, 3.0)
    assert_allclose(plan.rate_ml_per_day, 0.95 * RATE.high)


def test_plan_for_programmable_pump_delivers_prescribed_dose():
    plan, delivered = refill.plan_for_pump(PERISTALTIC, 3000.0, 10_000.0, 20.0, 2.0, 90.0, 3.0)
    assert delivered == 3000.0
    assert_allclose(plan.rate_ml_per_day, 0.3, rtol=1e-15)


def test_plan_for_programmable_pump_uses_pump_accuracy():
    plan, _ = refill.plan_for_pump(PERISTALTIC, 3000.0, 10_000.0, 20.0, 2.0, 90.0, 3.0)
    assert plan == morphine_plan()


def test_gas_driven_pump_is_fixed_rate():
    assert GAS_DRIVEN.is_fixed_rate
    assert not PERISTALTIC.is_fixed_rate


def test_plan_for_gas_driven_pump_runs_at_fixed_rate():
    plan, _ = refill.plan_for_pump(GAS_DRIVEN, 5000.0, 3000.0, 30.0, 0.0, 90.0, 3.0)
    assert plan.rate_ml_per_day == GAS_DRIVEN.min_rate_ml_per_day == 1.0
    assert plan.days_to_alarm == 30.0


def test_plan_for_gas_driven_pump_delivers_rate_times_concentration():
    _, delivered = refill.plan_for_pump(GAS_DRIVEN, 5000.0, 3000.0, 30.0, 0.0, 90.0, 3.0)
    assert_allclose(delivered, 1.0 * 3000.0, rtol=1e-15)


def test_plan_for_gas_driven_pump_validates_prescribed_dose():
    with pytest.raises(ValueError, match=re.escape("dose_ug_per_day = nan ug/day")):
        refill.plan_for_pump(GAS_DRIVEN, math.nan, 3000.0, 30.0, 0.0, 90.0, 3.0)


def test_get_pump_unknown_names_valid_keys():
    with pytest.raises(
        KeyError, match=re.escape("'syringe' is not in helpers/data/pumps.toml")
    ) as e:
        pump.get_pump("syringe")
    for key in pump.PUMPS:
        assert repr(key) in str(e.value)


@pytest.mark.parametrize("key", pump.PUMPS)
def test_every_pump_loads(key):
    model = pump.get_pump(key)
    assert model.min_rate_ml_per_day <= model.max_rate_ml_per_day
    assert model.alarm_volume_ml < min(model.reservoir_volumes_ml)


# --- trade-off curves -------------------------------------------------------------------


def test_tradeoff_example():
    curves = refill.tradeoff(3000.0, [10_000.0], 20.0, 2.0, 90.0, 3.0)
    assert_allclose(curves.days_to_alarm, [60.0])
    assert_allclose(curves.refill_by_days, [57.0])


def test_tradeoff_nan_where_rate_outside_range():
    curves = refill.tradeoff(3000.0, [1.0, 10_000.0], 20.0, 2.0, 90.0, 3.0)
    assert np.isnan(curves.rate_ml_per_day[0])
    assert np.isnan(curves.days_to_alarm[0])
    assert np.isnan(curves.refill_by_days[0])
    assert_allclose(curves.rate_ml_per_day[1], 0.3)


def test_tradeoff_refill_by_capped_by_stability():
    curves = refill.tradeoff(3000.0, [10_000.0, 20_000.0], 20.0, 2.0, 90.0, 3.0)
    assert_allclose(curves.refill_by_days, [57.0, 90.0])


def test_tradeoff_validates_fill_when_no_rate_is_valid():
    with pytest.raises(ValueError, match=re.escape("fill_volume_ml = -5 mL")):
        refill.tradeoff(3000.0, [1.0], -5.0, 2.0, 90.0, 3.0)


# --- rate for a chosen interval ---------------------------------------------------------


def test_rate_for_interval_example():
    assert_allclose(refill.rate_for_interval_ml_per_day(20.0, 2.0, 60.0), 0.3, rtol=1e-15)


def test_rate_for_interval_inverts_days_to_alarm():
    rate = refill.rate_for_interval_ml_per_day(40.0, 2.0, 90.0)
    assert_allclose(pump.days_to_alarm(40.0, rate, 2.0), 90.0, rtol=1e-14)


@pytest.mark.parametrize("fill", [2.0, 1.0])
def test_rate_for_interval_rejects_fill_not_above_alarm(fill):
    pattern = re.escape(f"fill_volume_ml = {fill:g} mL must exceed alarm_volume_ml = 2 mL")
    with pytest.raises(ValueError, match=pattern):
        refill.rate_for_interval_ml_per_day(fill, 2.0, 60.0)


def test_rate_for_interval_array_error_names_offending_fill():
    pattern = re.escape("fill_volume_ml = 1 mL must exceed alarm_volume_ml = 2 mL")
    with pytest.raises(ValueError, match=pattern):
        refill.rate_for_interval_ml_per_day(np.array([20.0, 1.0]), 2.0, 60.0)


# --- scalar and array outputs -----------------------------------------------------------

SCALAR_CALLS = [
    (pump.flow_rate_ml_per_day, (3000.0, 10_000.0)),
    (pump.daily_dose_ug_per_day, (0.3, 10_000.0)),
    (pump.concentration_for_dose_ug_per_ml, (500.0, 1.0)),
    (pump.reservoir_volume_ml, (10.0, 20.0, 0.5)),
    (pump.days_to_alarm, (20.0, 0.5, 2.0)),
    (pump.days_to_empty, (20.0, 0.5)),
    (refill.refill_by_days, (20.0, 0.5, 2.0, 3.0, 90.0)),
    (refill.visits_per_year, (90.0,)),
    (refill.reservoir_with_refills_ml, (35.0, 20.0, 0.5, 30.0)),
    (refill.rate_for_interval_ml_per_day, (20.0, 2.0, 60.0)),
]


@pytest.mark.parametrize(("func", "args"), SCALAR_CALLS, ids=[f.__name__ for f, _ in SCALAR_CALLS])
def test_scalar_in_python_float_out(func, args):
    assert type(func(*args)) is float


@pytest.mark.parametrize(("func", "args"), SCALAR_CALLS, ids=[f.__name__ for f, _ in SCALAR_CALLS])
def test_array_in_array_out(func, args):
    first = np.array([args[0], args[0]])
    result = func(first, *args[1:])
    assert isinstance(result, np.ndarray)
    assert_allclose(result, [func(*args)] * 2)


def test_accuracy_band_scalar_in_python_floats_out():
    assert [type(x) for x in pump.accuracy_band_ml_per_day(1.0, 14.5)] == [float, float]


def test_accuracy_band_array_in_arrays_out():
    slow, fast = pump.accuracy_band_ml_per_day(np.array([1.0, 2.0]), 10.0)
    assert_allclose(slow, [0.9, 1.8])
    assert_allclose(fast, [1.1, 2.2])


def test_numpy_scalar_in_python_float_out():
    assert type(pump.days_to_alarm(np.float64(20.0), 0.5, 2.0)) is float


# --- input validation: see tests/test_bad_input.py for every public function -------


def test_plan_refill_rejects_derived_rate_above_range():
    pattern = re.escape("rate_ml_per_day = 1e+06 mL/day is outside; allowed range is (0, ")
    with pytest.raises(ValueError, match=pattern):
        refill.plan_refill(1e6, 1.0, 20.0, 2.0, 14.5, 90.0, 3.0)


# --- properties -------------------------------------------------------------------------

doses = st.floats(min_value=1.0, max_value=1e4)
concentrations = st.floats(min_value=1.0, max_value=CONCENTRATION.high / 2)
alarms = st.floats(min_value=0.0, max_value=10.0)
fill_above_alarm = st.floats(min_value=0.1, max_value=30.0)
rates = st.floats(min_value=1e-6, max_value=RATE.high)
volumes = st.floats(min_value=0.0, max_value=VOLUME.high)
margins = st.floats(min_value=MARGIN.low, max_value=MARGIN.high)
stabilities = st.floats(min_value=INTERVAL.low, max_value=INTERVAL.high)


@given(doses, concentrations, alarms, fill_above_alarm)
def test_doubling_concentration_doubles_days_to_alarm(dose, conc, alarm, extra):
    assume(dose / conc <= RATE.high)
    fill = alarm + extra
    single = pump.days_to_alarm(fill, pump.flow_rate_ml_per_day(dose, conc), alarm)
    double = pump.days_to_alarm(fill, pump.flow_rate_ml_per_day(dose, 2 * conc), alarm)
    assert_allclose(double, 2 * single, rtol=1e-12)


@given(doses, concentrations, alarms, fill_above_alarm, margins, stabilities)
def test_doubling_concentration_doubles_refill_by_until_stability(
    dose, conc, alarm, extra, margin, stability
):
    assume(dose / conc <= RATE.high)
    fill = alarm + extra
    alarm_days = pump.days_to_alarm(fill, pump.flow_rate_ml_per_day(dose, conc), alarm)
    expected = min(max(2 * alarm_days - margin, 0.0), stability)
    rate = pump.flow_rate_ml_per_day(dose, 2 * conc)
    actual = refill.refill_by_days(fill, rate, alarm, margin, stability)
    assert_allclose(actual, expected, rtol=1e-12, atol=1e-9)


@given(volumes, rates, volumes, margins, stabilities)
def test_days_never_negative(fill, rate, alarm, margin, stability):
    assert pump.days_to_alarm(fill, rate, alarm) >= 0.0
    assert pump.days_to_empty(fill, rate) >= 0.0
    assert refill.refill_by_days(fill, rate, alarm, margin, stability) >= 0.0


@given(volumes, rates, rates, volumes)
def test_higher_rate_never_lengthens_days_to_alarm(fill, rate_a, rate_b, alarm):
    slow, fast = sorted((rate_a, rate_b))
    assert pump.days_to_alarm(fill, fast, alarm) <= pump.days_to_alarm(fill, slow, alarm)


@given(
    st.floats(min_value=0.01, max_value=VOLUME.high),
    st.floats(min_value=1e-3, max_value=RATE.high),
    st.floats(min_value=0.0, max_value=1.0),
)
def test_mass_balance_while_not_empty(fill, rate, fraction):
    time = fraction * min(fill / rate, TIME.high)
    remaining = pump.reservoir_volume_ml(time, fill, rate)
    assert_allclose(rate * time + remaining, fill, rtol=1e-12, atol=1e-12)


@given(
    st.floats(min_value=TIME.low, max_value=TIME.high),
    volumes,
    rates,
    st.floats(min_value=INTERVAL.low, max_value=INTERVAL.high),
)
def test_reservoir_with_refills_between_zero_and_fill(time, fill, rate, interval):
    volume = refill.reservoir_with_refills_ml(time, fill, rate, interval)
    assert 0.0 <= volume <= fill


@given(doses, st.lists(concentrations, min_size=1, max_size=5), alarms, fill_above_alarm)
def test_tradeoff_days_to_alarm_proportional_to_concentration(dose, concs, alarm, extra):
    concs = np.array(concs)
    assume(np.all(dose / concs <= RATE.high))
    curves = refill.tradeoff(dose, concs, alarm + extra, alarm, 90.0, 3.0)
    assert_allclose(curves.days_to_alarm, extra * concs / dose, rtol=1e-12)


@given(alarms, fill_above_alarm, st.floats(min_value=INTERVAL.low, max_value=INTERVAL.high))
def test_rate_for_interval_round_trips_through_days_to_alarm(alarm, extra, interval):
    rate = refill.rate_for_interval_ml_per_day(alarm + extra, alarm, interval)
    assert_allclose(pump.days_to_alarm(alarm + extra, rate, alarm), interval, rtol=1e-12)
