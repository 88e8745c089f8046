import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from helpers import catheter, data
from helpers.schedule import Schedule as Schedule

# Prometra II Programmable Pump IFU, p. 33: a 110 cm catheter holding 0.0026 mL per cm.
PROMETRA_IFU_P33_SUPPLIED_CM = 110.0
PROMETRA_IFU_P33_ML_PER_CM = 0.0026
PROMETRA_IFU_P33_TRIM_CM = 10.0
PROMETRA_IFU_P33_IMPLANTED_CM = 100.0
PROMETRA_IFU_P33_VOLUME_ML = 0.26

# A line of 100 cm catheter plus the 0.2 mL pump path: the course's default dead volume.
LINE_ML = 0.46
DIFFUSIVITY = data.lookup("catheters", "drug_diffusivity").model_value


def plug_flow(segments, time_days, initial_ug_per_ml, dead_volume_ml=LINE_ML):
    program = Schedule.from_segments(segments)
    return catheter.transport(program, time_days, dead_volume_ml, initial_ug_per_ml)


# --- geometry: the published worked example ---------------------------------------------


def test_implanted_length_is_supplied_minus_trimmed():
    length = catheter.implanted_length_cm(PROMETRA_IFU_P33_SUPPLIED_CM, PROMETRA_IFU_P33_TRIM_CM)
    assert length == PROMETRA_IFU_P33_IMPLANTED_CM


def test_dead_volume_of_implanted_catheter_ifu_example():
    volume = catheter.dead_volume_ml(PROMETRA_IFU_P33_IMPLANTED_CM, PROMETRA_IFU_P33_ML_PER_CM, 0)
    assert_allclose(volume, PROMETRA_IFU_P33_VOLUME_ML, rtol=1e-15)


def test_dead_volume_adds_pump_path():
    assert_allclose(catheter.dead_volume_ml(100.0, 0.0026, 0.2), LINE_ML, rtol=1e-15)


def test_radius_of_ifu_catheter():
    assert_allclose(catheter.radius_cm(PROMETRA_IFU_P33_ML_PER_CM), 0.0288, atol=5e-5)


def test_radius_squared_times_pi_is_cross_section():
    assert_allclose(math.pi * catheter.radius_cm(0.0026) ** 2, 0.0026, rtol=1e-14)


@pytest.mark.parametrize("key", catheter.CATHETERS)
def test_every_catheter_loads_with_sourced_quantities(key):
    model = catheter.get_catheter(key)
    expected_units = {
        "supplied_length": "cm",
        "volume_per_length": "mL/cm",
        "pump_path_volume": "mL",
    }
    for field, unit in expected_units.items():
        quantity = getattr(model, field)
        assert quantity.unit == unit
        assert quantity.source
        assert quantity.model_value > 0


def test_valve_gated_catheter_matches_ifu():
    model = catheter.get_catheter("valve_gated")
    assert model.supplied_length.value == PROMETRA_IFU_P33_SUPPLIED_CM
    assert model.volume_per_length.value == PROMETRA_IFU_P33_ML_PER_CM
    assert "p. 33" in model.volume_per_length.source


def test_get_catheter_unknown_names_valid_keys():
    with pytest.raises(KeyError) as e:
        catheter.get_catheter("spinal_needle")
    for key in catheter.CATHETERS:
        assert repr(key) in str(e.value)


# --- input validation -------------------------------------------------------------------


def test_negative_supplied_length_rejected():
    with pytest.raises(ValueError, match=re.escape("supplied_length_cm = -1 cm")):
        catheter.implanted_length_cm(-1.0, 0.0)


def test_negative_implanted_length_rejected():
    with pytest.raises(ValueError, match=re.escape("implanted_length_cm = -5 cm")):
        catheter.dead_volume_ml(-5.0, 0.0026, 0.2)


@pytest.mark.parametrize("trim", [110.0, 120.0])
def test_trim_not_shorter_than_catheter_rejected(trim):
    with pytest.raises(ValueError, match="trimmed_length_cm"):
        catheter.implanted_length_cm(110.0, trim)


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_non_finite_length_rejected(bad):
    with pytest.raises(ValueError, match=re.escape(f"supplied_length_cm = {bad:g} cm is not")):
        catheter.implanted_length_cm(bad, 0.0)


def test_non_finite_volume_per_length_rejected():
    with pytest.raises(ValueError, match=re.escape("volume_per_length_ml_per_cm = nan mL/cm")):
        catheter.dead_volume_ml(100.0, math.nan, 0.2)


@pytest.mark.parametrize("per_cm", [0.0, -0.0026])
def test_volume_per_length_must_be_positive(per_cm):
    pattern = re.escape(f"volume_per_length_ml_per_cm = {per_cm:g} mL/cm is outside")
    with pytest.raises(ValueError, match=pattern):
        catheter.dead_volume_ml(100.0, per_cm, 0.2)
    with pytest.raises(ValueError, match=pattern):
        catheter.radius_cm(per_cm)


def test_transit_time_zero_rate_rejected():
    with pytest.raises(ValueError, match=re.escape("rate_ml_per_day = 0 mL/day")):
        catheter.transit_time_days(0.46, 0.0)


def test_transport_zero_dead_volume_rejected():
    program = Schedule.from_segments([(1.0, 0.5, 1000.0)])
    with pytest.raises(ValueError, match=re.escape("dead_volume_ml = 0 mL")):
        catheter.transport(program, [0.0, 1.0], 0.0)


def test_transport_negative_dispersion_rejected():
    program = Schedule.from_segments([(1.0, 0.5, 1000.0)])
    with pytest.raises(ValueError, match=re.escape("dispersion_factor = -1")):
        catheter.transport(program, [0.0, 1.0], LINE_ML, dispersion_factor=-1.0)


def test_flow_program_negative_rate_rejected():
    with pytest.raises(ValueError, match=re.escape("rate_ml_per_day = -0.5 mL/day")):
        Schedule.from_segments([(1.0, 0.5, 1000.0), (1.0, -0.5, 1000.0)])


# --- transit time -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("volume", "rate", "days"), [(0.5, 0.25, 2.0), (0.46, 0.46, 1.0), (0.2, 4.0, 0.05)]
)
def test_transit_time_examples(volume, rate, days):
    assert_allclose(catheter.transit_time_days(volume, rate), days, rtol=1e-15)


@given(
    st.floats(min_value=0.0, max_value=2.0),
    st.floats(min_value=1e-3, max_value=500.0),
)
def test_transit_time_is_volume_over_rate(volume, rate):
    assert_allclose(catheter.transit_time_days(volume, rate), volume / rate, rtol=1e-15)


# --- plug flow --------------------------------------------------------------------------


def test_plug_flow_tip_switches_after_transit_time():
    rate, old, new = 0.5, 1000.0, 3000.0
    transit = catheter.transit_time_days(LINE_ML, rate)
    t = np.linspace(0.0, 2.0 * transit, 2001)
    tip = plug_flow([(1.0, rate, new)], t, old).tip_ug_per_ml
    assert np.all(tip[t < 0.99 * transit] == old)
    assert np.all(tip[t > 1.01 * transit] == new)


def test_plug_flow_switch_time_is_transit_time():
    rate = 0.5
    transit = catheter.transit_time_days(LINE_ML, rate)
    t = np.linspace(0.0, 2.0 * transit, 2001)
    tip = plug_flow([(1.0, rate, 3000.0)], t, 1000.0).tip_ug_per_ml
    switch = t[np.argmax(tip == 3000.0)]
    assert abs(switch - transit) <= t[1] - t[0]


def test_plug_flow_switch_with_changing_rate_when_throughput_reaches_volume():
    # 0.3 day at 0.5 mL/day pushes 0.15 mL; the other 0.31 mL takes 0.155 day at 2 mL/day.
    switch = 0.3 + (LINE_ML - 0.5 * 0.3) / 2.0
    t = np.linspace(0.0, 1.0, 2001)
    tip = plug_flow([(0.3, 0.5, 3000.0), (1.0, 2.0, 3000.0)], t, 1000.0).tip_ug_per_ml
    assert np.all(tip[t < 0.99 * switch] == 1000.0)
    assert np.all(tip[t > 1.01 * switch] == 3000.0)
    assert abs(t[np.argmax(tip == 3000.0)] - switch) <= t[1] - t[0]


def test_plug_flow_stopped_line_keeps_old_solution():
    t = np.linspace(0.0, 2.0, 201)
    tip = plug_flow([(1.5, 0.0, 3000.0), (1.0, 0.5, 3000.0)], t, 1000.0).tip_ug_per_ml
    assert np.all(tip == 1000.0)


# --- conservation and bounds for random programs ----------------------------------------


def end_days(segments, max_throughput_ml):
    """End of the program, or earlier once ``max_throughput_ml`` has entered the line."""
    start, entered = 0.0, 0.0
    for duration, rate, _ in segments:
        if rate > 0 and entered + rate * duration >= max_throughput_ml:
            return start + (max_throughput_ml - entered) / rate
        start, entered = start + duration, entered + rate * duration
    return start


concentrations = st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=20_000.0))
segment = st.tuples(
    st.floats(min_value=0.01, max_value=2.0),
    st.one_of(st.just(0.0), st.floats(min_value=0.0, max_value=30.0)),
    concentrations,
)


@st.composite
def random_lines(draw):
    segments = draw(st.lists(segment, min_size=1, max_size=4))
    volume = draw(st.floats(min_value=0.05, max_value=1.5))
    initial = draw(concentrations)
    # Ten line volumes of throughput keep the dispersion loop short.
    t = np.linspace(0.0, end_days(segments, 10.0 * volume), 101)
    line = catheter.transport(
        Schedule.from_segments(segments),
        t,
        volume,
        initial_ug_per_ml=initial,
        dispersion_factor=draw(st.sampled_from([0.0, 1.0, 50.0])),
        cells=draw(st.integers(min_value=20, max_value=200)),
    )
    bounds = [initial] + [inlet for _, _, inlet in segments]
    return line, min(bounds), max(bounds)


random_settings = settings(max_examples=40, deadline=None)


def test_dispersion_survives_stop_at_a_step_midpoint():
    # 0.5 day at 0.01 mL/day pushes 0.005 mL: exactly half of the first 0.01 mL cell.
    segments = [(0.5, 0.01, 1000.0), (1.0, 0.0, 1000.0), (1.0, 1.0, 1000.0)]
    t = np.linspace(0.0, 2.5, 11)
    line = catheter.transport(
        Schedule.from_segments(segments), t, 1.0, 500.0, dispersion_factor=1.0, cells=100
    )
    assert np.all(np.isfinite(line.tip_ug_per_ml))
    assert np.all(np.isfinite(line.step_in_line_ug))


@random_settings
@given(random_lines())
def test_mass_conserved_at_every_step(case):
    line, _, _ = case
    scale = np.maximum(line.step_entered_ug, 1.0)
    balance = line.step_delivered_ug + line.step_in_line_ug - line.step_entered_ug
    assert np.all(np.abs(balance) <= 1e-9 * scale)


@random_settings
@given(random_lines())
def test_mass_conserved_on_time_grid(case):
    line, _, _ = case
    scale = np.maximum(line.entered_ug, 1.0)
    balance = line.delivered_ug + line.in_line_ug - line.entered_ug
    assert np.all(np.abs(balance) <= 1e-9 * scale)


@random_settings
@given(random_lines())
def test_tip_concentration_never_negative(case):
    line, _, _ = case
    assert np.all(line.tip_ug_per_ml >= 0.0)
    assert np.all(line.step_in_line_ug >= 0.0)


@random_settings
@given(random_lines())
def test_tip_concentration_within_initial_and_inlet_bounds(case):
    line, low, high = case
    slack = 1e-9 * max(high, 1.0)
    assert np.all(line.tip_ug_per_ml >= low - slack)
    assert np.all(line.tip_ug_per_ml <= high + slack)


# --- dispersion during a priming bolus --------------------------------------------------

PRIME = {
    "concentration_ug_per_ml": 10_000.0,
    "rate_ml_per_day": 0.5,
    "dead_volume_ml": LINE_ML,
    "prime_rate_ml_per_day": 24.0,
    "time_days": np.linspace(0.0, 1.0, 2001),
}
PRIME_STEP_DAYS = 0.0005


def prime(dispersion_factor):
    return catheter.priming(**PRIME, dispersion_factor=dispersion_factor)


def test_priming_bolus_lasts_prime_volume_over_prime_rate():
    assert_allclose(prime(1.0).bolus_days, LINE_ML / 24.0, rtol=1e-15)


@pytest.mark.parametrize("factor", [1.0, 10.0, 100.0])
def test_priming_with_dispersion_arrives_before_bolus_end(factor):
    result = prime(factor)
    assert catheter.arrival_days(result) < result.bolus_days
    assert result.bolus_old_drug_ug > 0.0


@pytest.mark.parametrize("factor", [1.0, 10.0, 100.0])
def test_priming_with_dispersion_falls_short_after_bolus(factor):
    result = prime(factor)
    line = result.line
    after_bolus = line.delivered_ug[-1] - result.bolus_old_drug_ug
    intended = PRIME["rate_ml_per_day"] * PRIME["concentration_ug_per_ml"]
    assert after_bolus < intended * (line.time_days[-1] - result.bolus_days)


def test_priming_plug_flow_arrives_at_bolus_end():
    result = prime(0.0)
    assert abs(catheter.arrival_days(result) - result.bolus_days) <= PRIME_STEP_DAYS
    assert result.bolus_old_drug_ug == pytest.approx(0.0, abs=1e-9)


def test_priming_plug_flow_has_no_excess():
    # The line is full of drug at the bolus end and then delivers exactly Q C.
    result = prime(0.0)
    scale = PRIME["concentration_ug_per_ml"] * LINE_ML
    assert abs(result.excess_ug) < 1e-6 * scale


def test_more_dispersion_arrives_earlier():
    arrivals = [catheter.arrival_days(prime(f)) for f in (1.0, 10.0, 100.0)]
    assert arrivals[0] > arrivals[1] > arrivals[2]


# --- Taylor-Aris dispersion -------------------------------------------------------------


def test_taylor_aris_is_molecular_diffusion_at_rest():
    assert catheter.taylor_aris_dispersion_cm2_per_day(0.0, 0.0026, DIFFUSIVITY) == DIFFUSIVITY


@given(st.floats(min_value=1e-3, max_value=250.0))
def test_taylor_aris_excess_grows_with_square_of_rate(rate):
    single = catheter.taylor_aris_dispersion_cm2_per_day(rate, 0.0026, DIFFUSIVITY)
    double = catheter.taylor_aris_dispersion_cm2_per_day(2.0 * rate, 0.0026, DIFFUSIVITY)
    assert_allclose(double - DIFFUSIVITY, 4.0 * (single - DIFFUSIVITY), rtol=1e-9)


# --- concentration change ---------------------------------------------------------------


def flushed_window(new_ug_per_ml, dose_ug_per_day, volume):
    """Output times long enough for the new rate to push the whole line out."""
    return np.linspace(0.0, 1.5 * volume * new_ug_per_ml / dose_ug_per_day, 301)


@pytest.mark.parametrize(
    ("old", "new", "dose", "volume"),
    [
        (10_000.0, 20_000.0, 3000.0, LINE_ML),
        (20_000.0, 10_000.0, 3000.0, LINE_ML),
        (1000.0, 500.0, 100.0, 1.0),
        (25.0, 100.0, 2.4, 0.26),
    ],
)
def test_concentration_change_excess_is_old_minus_new_times_volume(old, new, dose, volume):
    t = flushed_window(new, dose, volume)
    result = catheter.concentration_change(old, new, dose, volume, t)
    assert_allclose(result.excess_ug, (old - new) * volume, rtol=1e-9)


def test_stronger_new_solution_gives_under_dose():
    t = flushed_window(20_000.0, 3000.0, LINE_ML)
    assert catheter.concentration_change(10_000.0, 20_000.0, 3000.0, LINE_ML, t).excess_ug < 0


@given(
    st.floats(min_value=100.0, max_value=50_000.0),
    st.floats(min_value=100.0, max_value=50_000.0),
    st.floats(min_value=0.05, max_value=5.0),
    st.floats(min_value=0.05, max_value=1.5),
)
@settings(deadline=None)
def test_concentration_change_excess_property(old, new, new_rate, volume):
    dose = new_rate * new
    t = flushed_window(new, dose, volume)
    result = catheter.concentration_change(old, new, dose, volume, t)
    expected = (old - new) * volume
    assert abs(result.excess_ug - expected) <= 1e-9 * (old + new) * volume


@pytest.mark.parametrize("bridge", [12.0, 24.0, 100.0])
def test_bridge_gives_old_drug_in_line_during_bolus(bridge):
    t = np.linspace(0.0, 1.0, 101)
    result = catheter.concentration_change(10_000.0, 20_000.0, 3000.0, LINE_ML, t, bridge)
    assert_allclose(result.bolus_days, LINE_ML / bridge, rtol=1e-15)
    assert_allclose(result.bolus_old_drug_ug, 10_000.0 * LINE_ML, rtol=1e-9)


@pytest.mark.parametrize(("old", "new"), [(10_000.0, 20_000.0), (20_000.0, 10_000.0)])
def test_bridge_at_the_old_prescription_rate_keeps_the_tip_dose_exact(old, new):
    """A bridge at D / C0 advances the old solution at the old dose: no over- or under-dose."""
    dose = 3000.0
    t = np.linspace(0.0, 3.0, 3 * 1440 + 1)
    result = catheter.concentration_change(old, new, dose, LINE_ML, t, dose / old)
    assert abs(result.excess_ug) <= 1e-9 * old * LINE_ML
    assert_allclose(result.line.tip_ug_per_day, dose, rtol=1e-9)


@pytest.mark.parametrize("fraction", [-1.0, 0.0, 1.5, float("nan")])
def test_arrival_days_bad_fraction_names_it(fraction):
    result = prime(0.0)
    with pytest.raises(ValueError, match="fraction"):
        catheter.arrival_days(result, fraction)
