import itertools
import math
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from helpers import boluses, data, drugs, events, mechanisms, programs, pump, safety, spine
from helpers.boluses import PatientBolus
from helpers.programs import MINUTES_PER_DAY, STEP_DAYS
from tests.tolerances import LESS_THAN_A_MOLECULE_UG

BACLOFEN = drugs.get_drug("baclofen")
PERISTALTIC = pump.get_pump("peristaltic")
HOURS_PER_DAY = 24.0
MINUTES_PER_HOUR = 60.0


def value(key):
    return data.lookup("programs", key).model_value


def minutes(delivery):
    return len(delivery.rate_ml_per_day)


random_settings = settings(max_examples=60, deadline=None)


# --- flexible and continuous programs ---------------------------------------------------


@st.composite
def step_sets(draw):
    """1 to 13 steps with distinct starts on whole minutes or on quarter hours."""
    count = draw(st.integers(min_value=1, max_value=13))
    if draw(st.booleans()):
        starts = draw(st.lists(st.integers(0, 95), min_size=count, max_size=count, unique=True))
        start_minutes = [15 * q for q in starts]
        start_hours = [q * 0.25 for q in starts]
    else:
        start_minutes = draw(
            st.lists(
                st.integers(0, MINUTES_PER_DAY - 1), min_size=count, max_size=count, unique=True
            )
        )
        start_hours = [m / MINUTES_PER_HOUR for m in start_minutes]
    doses = draw(st.lists(st.floats(0.0, 1.0e4), min_size=count, max_size=count))
    return list(zip(start_hours, doses, strict=True)), start_minutes


def analytic_daily_total(start_minutes, doses):
    """sum_i D_i h_i / 24, each step lasting until the next (the last until the first)."""
    order = np.argsort(start_minutes)
    starts = np.asarray(start_minutes)[order]
    ordered = np.asarray(doses)[order]
    lasting_min = np.diff(np.append(starts, starts[0] + MINUTES_PER_DAY))
    hours = lasting_min / MINUTES_PER_HOUR
    return float(np.sum(ordered * hours / HOURS_PER_DAY))


@random_settings
@given(
    step_sets(),
    st.floats(min_value=1.0, max_value=1.0e4),
    st.integers(min_value=1, max_value=5),
)
def test_flexible_daily_totals_are_exact(steps_and_minutes, concentration, days):
    steps, start_minutes = steps_and_minutes
    doses = [dose for _, dose in steps]
    delivery = programs.flexible(steps, concentration, days)
    totals = delivery.daily_totals_ug()
    assert len(totals) == days
    assert minutes(delivery) == days * MINUTES_PER_DAY
    expected = analytic_daily_total(start_minutes, doses)
    assert_allclose(
        totals, expected, rtol=1e-12, atol=max(1e-12 * max(doses), LESS_THAN_A_MOLECULE_UG)
    )
    # The same day repeats: every day sums the same numbers in the same order.
    assert np.all(totals == totals[0])


@random_settings
@given(step_sets(), st.floats(min_value=1.0, max_value=1.0e4), st.randoms())
def test_flexible_step_order_is_irrelevant(steps_and_minutes, concentration, random):
    steps, _ = steps_and_minutes
    shuffled = list(steps)
    random.shuffle(shuffled)
    a = programs.flexible(steps, concentration, 2.0)
    b = programs.flexible(shuffled, concentration, 2.0)
    np.testing.assert_array_equal(a.rate_ml_per_day, b.rate_ml_per_day)


@pytest.mark.parametrize("start_h", [0.0, 6.5, 23.75])
def test_single_step_is_continuous(start_h):
    one = programs.flexible([(start_h, 750.0)], 500.0, 3.0)
    simple = programs.continuous(750.0, 500.0, 3.0)
    np.testing.assert_array_equal(one.rate_ml_per_day, simple.rate_ml_per_day)
    # 750 ug/day at 500 ug/mL is 1.5 mL/day every minute.
    assert_allclose(simple.rate_ml_per_day, 1.5, rtol=1e-15)
    assert_allclose(simple.daily_totals_ug(), 750.0, rtol=1e-12)


def test_flexible_docstring_example_by_hand():
    # 100 ug/day for 22 h and 400 ug/day for 2 h: 100 * 22/24 + 400 * 2/24 = 125 ug.
    day = programs.flexible([(0.0, 100.0), (22.0, 400.0)], 500.0)
    assert_allclose(day.daily_totals_ug(), [125.0], rtol=1e-12)
    rate = day.rate_ml_per_day
    assert_allclose(rate[: 22 * 60], 0.2, rtol=1e-15)
    assert_allclose(rate[22 * 60 :], 0.8, rtol=1e-15)


def test_before_first_start_the_last_step_runs():
    # Steps at 06:00 and 22:00: from midnight to 06:00 the 22:00 step is still under way.
    day = programs.flexible([(6.0, 40.0), (22.0, 10.0)], 100.0)
    assert_allclose(day.rate_ml_per_day[: 6 * 60], 0.1, rtol=1e-15)
    assert_allclose(day.rate_ml_per_day[6 * 60 : 22 * 60], 0.4, rtol=1e-15)
    assert_allclose(day.rate_ml_per_day[22 * 60 :], 0.1, rtol=1e-15)


def test_partial_days_repeat_the_day():
    day = programs.flexible([(0.0, 100.0), (12.0, 300.0)], 100.0, days=1.5)
    assert minutes(day) == 1.5 * MINUTES_PER_DAY
    assert_allclose(day.rate_ml_per_day[MINUTES_PER_DAY:], 1.0, rtol=1e-15)
    assert_allclose(day.volume_ml()[-1], 2.0 + 0.5, rtol=1e-12)
    assert len(day.daily_totals_ug()) == 1


def test_time_days_has_one_more_point_than_steps():
    day = programs.continuous(100.0, 100.0)
    assert len(day.time_days) == MINUTES_PER_DAY + 1
    assert_allclose(day.time_days[-1], 1.0, rtol=1e-12)
    assert_allclose(np.diff(day.time_days), STEP_DAYS, rtol=1e-9)


def test_too_many_steps_names_the_maximum():
    most = int(value("flex_steps_max"))
    assert most == 13  # Medtronic UK patient page: up to 13 changes a day.
    steps = [(float(h), 100.0) for h in range(most + 1)]
    with pytest.raises(ValueError, match=r"14 given; a program has 1 to 13 steps"):
        programs.flexible(steps, 500.0)
    assert len(programs.flexible(steps[:most], 500.0).rate_ml_per_day) == MINUTES_PER_DAY


def test_no_steps_is_refused():
    with pytest.raises(ValueError, match="0 given"):
        programs.flexible([], 500.0)


def test_duplicate_start_is_refused():
    with pytest.raises(ValueError, match="two steps start at the same minute"):
        programs.flexible([(6.0, 100.0), (6.0, 200.0)], 500.0)
    # 0 h and 24 h are the same minute of the day.
    with pytest.raises(ValueError, match="two steps start at the same minute"):
        programs.flexible([(0.0, 100.0), (24.0, 200.0)], 500.0)


def test_start_outside_the_day_names_value_unit_and_range():
    message = "start_h = 24.5 h is outside; allowed range is [0, 24] h"
    with pytest.raises(ValueError, match=re.escape(message)):
        programs.flexible([(24.5, 100.0)], 500.0)
    with pytest.raises(ValueError, match=re.escape("start_h = -1 h")):
        programs.flexible([(-1.0, 100.0)], 500.0)


@pytest.mark.parametrize("start_h", [1.01, 6.0 + 0.5 / 60.0, 23.999])
def test_start_off_the_minute_grid_is_refused(start_h):
    with pytest.raises(ValueError, match=re.escape(f"start_h = {start_h:g} h is not a whole")):
        programs.flexible([(0.0, 100.0), (start_h, 200.0)], 500.0)


@pytest.mark.parametrize(
    ("kwargs", "pattern"),
    [
        ({"dose": -1.0}, "dose_ug_per_day = -1 ug/day"),
        ({"concentration": 0.0}, "concentration_ug_per_ml = 0"),
        ({"days": 61.0}, "days = 61 day"),
        ({"dose": math.nan}, "dose_ug_per_day = nan"),
    ],
)
def test_flexible_bad_inputs(kwargs, pattern):
    args = {"dose": 100.0, "concentration": 500.0, "days": 1.0} | kwargs
    with pytest.raises(ValueError, match=re.escape(pattern)):
        programs.flexible([(0.0, args["dose"])], args["concentration"], args["days"])


# --- periodic boluses -------------------------------------------------------------------


@st.composite
def periodic_cases(draw):
    count = draw(st.integers(min_value=1, max_value=12))
    spacing = MINUTES_PER_DAY / count
    duration = draw(st.integers(min_value=1, max_value=min(int(spacing), 240)))
    return {
        "bolus_dose_ug": draw(st.floats(min_value=0.1, max_value=1.0e4)),
        "boluses_per_day": count,
        "duration_min": duration,
        "first_h": draw(st.integers(0, MINUTES_PER_DAY - 1)) / MINUTES_PER_HOUR,
    }


@random_settings
@given(periodic_cases(), st.floats(min_value=0.0, max_value=1.0e4))
def test_periodic_each_day_gains_n_boluses(case, base_dose):
    concentration = 500.0
    base = programs.continuous(base_dose, concentration, 3.0)
    delivery = programs.periodic(base, **case)
    gained = delivery.daily_totals_ug() - base.daily_totals_ug()
    n_b = case["boluses_per_day"] * case["bolus_dose_ug"]
    scale = 1e-12 * max(n_b, base.daily_totals_ug()[0])
    # A bolus may run over midnight from the day before; the middle day is always whole.
    assert_allclose(gained[1], n_b, rtol=1e-12, atol=scale)
    # Started at midnight, none crosses into the next day: every day gains n B.
    delivery = programs.periodic(base, **(case | {"first_h": 0.0}))
    gained = delivery.daily_totals_ug() - base.daily_totals_ug()
    assert_allclose(gained, n_b, rtol=1e-12, atol=scale)


@random_settings
@given(periodic_cases())
def test_periodic_bolus_rate_is_dose_over_concentration_and_duration(case):
    concentration = 2000.0
    base = programs.continuous(400.0, concentration, 2.0)
    delivery = programs.periodic(base, **case)
    extra = delivery.rate_ml_per_day - base.rate_ml_per_day
    # Each bolus adds B / (C tau) for tau minutes; tau in days is duration * STEP_DAYS.
    height = case["bolus_dose_ug"] / (concentration * case["duration_min"] * STEP_DAYS)
    on = extra > 1e-9 * height
    assert_allclose(extra[on], height, rtol=1e-9)
    assert_allclose(extra[~on], 0.0, atol=1e-12 * height)
    # n boluses a day, tau minutes each, minus what runs past the end of the grid.
    full = 2 * case["boluses_per_day"] * case["duration_min"]
    assert full - case["duration_min"] < on.sum() <= full


def test_periodic_by_hand():
    # 4 boluses of 50 ug over 15 min on 500 ug/day, at 00:00, 06:00, 12:00, 18:00.
    base = programs.continuous(500.0, 1000.0)
    delivery = programs.periodic(base, 50.0, 4, 15)
    assert_allclose(delivery.daily_totals_ug(), [700.0], rtol=1e-12)
    extra = delivery.rate_ml_per_day - base.rate_ml_per_day
    starts = np.flatnonzero(np.diff(np.append(0.0, extra)) > 0)
    np.testing.assert_array_equal(starts, [0, 360, 720, 1080])
    # 50 ug / 1000 ug/mL = 0.05 mL in 15 min = 4.8 mL/day.
    assert_allclose(extra[:15], 4.8, rtol=1e-12)


def test_overlapping_boluses_are_refused():
    base = programs.continuous(500.0, 500.0)
    # 12 a day are 120 min apart: a 121-min bolus would run into the next.
    with pytest.raises(ValueError, match=r"121 min is longer than the 120 min between 12"):
        programs.periodic(base, 10.0, 12, 121)
    assert programs.periodic(base, 10.0, 12, 120).daily_totals_ug()[0] > 500.0


def test_no_periodic_boluses_returns_the_base():
    base = programs.continuous(500.0, 500.0)
    assert programs.periodic(base, 50.0, 0, 15) is base
    assert programs.periodic(base, 0.0, 4, 15) is base


def test_periodic_fractional_duration_is_refused():
    base = programs.continuous(500.0, 500.0)
    with pytest.raises(ValueError, match=r"duration_min = 10.5 min must be a whole number"):
        programs.periodic(base, 50.0, 4, 10.5)


def test_periodic_fractional_count_is_refused():
    # 2.5 boluses a day cannot be spaced equally every day; it was silently cut to 2.
    base = programs.continuous(500.0, 500.0)
    with pytest.raises(ValueError, match=r"boluses_per_day = 2.5 must be a whole number"):
        programs.periodic(base, 50.0, 2.5, 10)


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        ((-1.0, 4, 15), "bolus_dose_ug = -1 ug"),
        ((50.0, 49, 15), "boluses_per_day = 49"),
        ((50.0, 4, 0), "duration_min = 0 min"),
        ((50.0, 4, 241), "duration_min = 241 min"),
    ],
)
def test_periodic_bad_inputs(args, pattern):
    base = programs.continuous(500.0, 500.0)
    with pytest.raises(ValueError, match=re.escape(pattern)):
        programs.periodic(base, *args)


# --- patient demand ---------------------------------------------------------------------


def test_demand_is_reproducible_by_seed():
    a = boluses.demand(14.0, 3.0, 0.8, seed=7)
    b = boluses.demand(14.0, 3.0, 0.8, seed=7)
    np.testing.assert_array_equal(a, b)
    c = boluses.demand(14.0, 3.0, 0.8, seed=8)
    assert not np.array_equal(a, c)


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_demand_times_are_sorted_whole_minutes_inside_the_window(seed):
    days = 5.5
    pressed = boluses.demand(days, 20.0, 0.7, seed)
    assert len(pressed) > 0
    assert np.all(np.diff(pressed) >= 0)
    assert np.all(pressed >= 0.0)
    assert np.all(pressed < days)
    whole = pressed * MINUTES_PER_DAY
    assert_allclose(whole, np.round(whole), rtol=0, atol=1e-6)


SEEDS = range(20)
DAYS = 60.0
RATE = 10.0


@pytest.fixture(scope="module")
def many_presses():
    return [boluses.demand(DAYS, RATE, 0.8, seed) for seed in SEEDS]


def test_demand_mean_count_matches_rate(many_presses):
    # Total count ~ Poisson(lambda * days * seeds): mean 12000, sigma sqrt(12000) ~ 110.
    count = sum(len(p) for p in many_presses)
    mean = RATE * DAYS * len(SEEDS)
    assert abs(count - mean) < 5.0 * math.sqrt(mean)


def test_demand_waking_share_matches_day_share(many_presses):
    wake_days, sleep_days = value("waking_hours")
    assert_allclose((wake_days, sleep_days), (7.0 / 24.0, 23.0 / 24.0), rtol=1e-12)
    clock = np.concatenate(many_presses) % 1.0
    # Minutes 420 to 1379 are awake: [07:00, 23:00).
    awake = (clock >= wake_days - 1e-9) & (clock < sleep_days - 1e-9)
    share = awake.mean()
    # Binomial given the total: sigma = sqrt(p (1 - p) / N) ~ 0.004.
    sigma = math.sqrt(0.8 * 0.2 / len(clock))
    assert abs(share - 0.8) < 5.0 * sigma


def test_demand_all_in_waking_hours():
    wake_days, sleep_days = value("waking_hours")
    clock = boluses.demand(30.0, 20.0, 1.0, seed=3) % 1.0
    assert len(clock) > 300
    assert np.all((clock >= wake_days - 1e-9) & (clock < sleep_days - 1e-9))
    night = boluses.demand(30.0, 20.0, 0.0, seed=3) % 1.0
    assert len(night) > 300
    assert not np.any((night >= wake_days - 1e-9) & (night < sleep_days - 1e-9))


def test_no_presses_when_rate_is_zero():
    assert len(boluses.demand(14.0, 0.0, 0.8, seed=1)) == 0


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        ((14.0, -1.0, 0.8), "presses_per_day = -1"),
        ((14.0, 51.0, 0.8), "presses_per_day = 51"),
        ((14.0, 3.0, 1.2), "day_share = 1.2"),
        ((0.0, 3.0, 0.8), "days = 0 day"),
    ],
)
def test_demand_bad_inputs(args, pattern):
    with pytest.raises(ValueError, match=re.escape(pattern)):
        boluses.demand(*args, seed=0)


# --- lockout and daily cap --------------------------------------------------------------


@st.composite
def bolus_settings(draw):
    duration = draw(st.integers(min_value=1, max_value=30))
    return PatientBolus(
        dose_ug=draw(st.floats(min_value=1.0, max_value=1.0e3)),
        duration_min=duration,
        lockout_min=draw(st.integers(min_value=duration, max_value=600)),
        max_per_day=draw(st.integers(min_value=0, max_value=12)),
    )


def cumulative_minutes(gaps):
    """Sorted press minutes from gaps (0 for two presses in one minute), within 5 days."""
    minute = np.cumsum(gaps)
    return [int(m) for m in minute[minute < 5 * MINUTES_PER_DAY]]


# Spread-out presses, and bursts with short gaps that probe the lockout's edge.
press_minutes = st.one_of(
    st.lists(st.integers(0, 5 * MINUTES_PER_DAY - 1), max_size=80).map(sorted),
    st.lists(st.integers(0, 240), max_size=120).map(cumulative_minutes),
)


def rolling_count(starts, minute):
    """Given boluses that started in (minute - 1 day, minute]."""
    starts = np.asarray(starts, dtype=int)
    return int(np.sum((starts > minute - MINUTES_PER_DAY) & (starts <= minute)))


@settings(max_examples=100, deadline=None)
@given(press_minutes, bolus_settings())
def test_lockout_and_daily_cap_are_never_exceeded(pressed, bolus):
    press_days = np.asarray(pressed, dtype=float) / MINUTES_PER_DAY
    result = boluses.apply_rules(press_days, bolus)
    outcome = np.vstack([result.given, result.refused_lockout, result.refused_cap]).astype(int)
    np.testing.assert_array_equal(outcome.sum(axis=0), 1)  # each press exactly one outcome
    starts = np.asarray(pressed)[result.given]
    assert np.all(np.diff(starts) >= bolus.lockout_min)
    for start in starts:
        assert rolling_count(starts, start) <= bolus.max_per_day
    # Replay each press against the boluses given before it.
    before = []
    for minute, lockout, cap, gave in zip(
        pressed, result.refused_lockout, result.refused_cap, result.given, strict=True
    ):
        locked = bool(before) and minute - before[-1] < bolus.lockout_min
        capped = rolling_count(before, minute) >= bolus.max_per_day
        assert lockout == locked
        assert cap == (capped and not locked)
        assert gave == (not locked and not capped)
        if gave:
            before.append(minute)


def test_rules_by_hand():
    # Lockout 60 min, 2 per 24 h: 08:00 given, 08:30 locked out, 09:30 given, 12:00 capped,
    # next day 08:00 (exactly 24 h later, the 08:00 bolus has left the window) given.
    bolus = PatientBolus(50.0, 10, 60, 2)
    minutes_ = [480, 510, 570, 720, MINUTES_PER_DAY + 480]
    result = boluses.apply_rules(np.array(minutes_) / MINUTES_PER_DAY, bolus)
    np.testing.assert_array_equal(result.given, [True, False, True, False, True])
    np.testing.assert_array_equal(result.refused_lockout, [False, True, False, False, False])
    np.testing.assert_array_equal(result.refused_cap, [False, False, False, True, False])


@pytest.mark.parametrize("lockout", [10, 60, 600])
def test_lockout_edge(lockout):
    # A press lockout - 1 min after a bolus is refused; lockout min after, it is given.
    bolus = PatientBolus(50.0, 10, lockout, 12)
    press = np.array([100, 100 + lockout - 1, 100 + lockout]) / MINUTES_PER_DAY
    result = boluses.apply_rules(press, bolus)
    np.testing.assert_array_equal(result.given, [True, False, True])
    np.testing.assert_array_equal(result.refused_lockout, [False, True, False])


def test_daily_cap_window_edge():
    # One a day: 1439 min after a bolus it still counts; 1440 min after it has left.
    bolus = PatientBolus(50.0, 10, 60, 1)
    press = np.array([100, 100 + MINUTES_PER_DAY - 1, 100 + MINUTES_PER_DAY]) / MINUTES_PER_DAY
    result = boluses.apply_rules(press, bolus)
    np.testing.assert_array_equal(result.given, [True, False, True])
    np.testing.assert_array_equal(result.refused_cap, [False, True, False])


def test_no_boluses_when_max_per_day_is_zero():
    pressed = boluses.demand(5.0, 10.0, 0.8, seed=4)
    result = boluses.apply_rules(pressed, PatientBolus(50.0, 10, 60, 0))
    assert len(pressed) > 0
    assert not result.given.any()
    assert result.refused_cap.all()


def test_unsorted_presses_are_refused():
    with pytest.raises(ValueError, match="press_days must be sorted"):
        boluses.apply_rules([0.5, 0.2], PatientBolus(50.0, 10, 60, 4))


def test_lockout_shorter_than_bolus_is_refused():
    with pytest.raises(ValueError, match=re.escape("lockout_min = 20 min is shorter")) as error:
        PatientBolus(50.0, 30, 20, 4)
    assert "[30, 1440] min" in str(error.value)
    assert PatientBolus(50.0, 30, 30, 4).lockout_min == 30


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        ((-5.0, 10, 60, 4), "dose_ug = -5 ug"),
        ((50.0, 10.5, 60, 4), "duration_min = 10.5 min must be a whole number"),
        ((50.0, 10, 2000, 4), "lockout_min = 2000 min"),
        ((50.0, 10, 60, 49), "max_per_day = 49"),
        ((50.0, 10, 60, 2.5), "max_per_day = 2.5 must be a whole number"),
    ],
)
def test_patient_bolus_bad_settings(args, pattern):
    with pytest.raises(ValueError, match=re.escape(pattern)):
        PatientBolus(*args)


@random_settings
@given(st.lists(st.integers(0, 4 * MINUTES_PER_DAY - 1), max_size=60).map(sorted), bolus_settings())
def test_given_boluses_add_their_volume(pressed, bolus):
    concentration = 500.0
    base = programs.continuous(300.0, concentration, 5.0)
    before = base.rate_ml_per_day.copy()
    result = boluses.apply_rules(np.asarray(pressed, dtype=float) / MINUTES_PER_DAY, bolus)
    delivery = boluses.with_patient_boluses(base, bolus, result)
    np.testing.assert_array_equal(base.rate_ml_per_day, before)  # base untouched
    added = delivery.volume_ml()[-1] - base.volume_ml()[-1]
    expected = result.given.sum() * bolus.dose_ug / concentration  # n B / C
    assert_allclose(added, expected, rtol=1e-9, atol=1e-12)


def test_a_late_bolus_is_cut_at_the_end():
    base = programs.continuous(300.0, 500.0, 1.0)
    bolus = PatientBolus(50.0, 10, 60, 4)
    last = (MINUTES_PER_DAY - 3) / MINUTES_PER_DAY  # 3 of 10 minutes fit
    delivery = boluses.with_patient_boluses(base, bolus, boluses.apply_rules([last], bolus))
    added = delivery.volume_ml()[-1] - base.volume_ml()[-1]
    assert_allclose(added, 0.3 * 50.0 / 500.0, rtol=1e-9)


# --- refill estimate --------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("presses_per_day", [0.0, 3.0, 12.0])
def test_refill_estimate_orders_the_assumptions(seed, presses_per_day):
    concentration, dose = 500.0, 400.0
    bolus = PatientBolus(40.0, 10, 120, 4)
    base = programs.continuous(dose, concentration, 14.0)
    result = boluses.apply_rules(boluses.demand(14.0, presses_per_day, 0.8, seed), bolus)
    delivery = boluses.with_patient_boluses(base, bolus, result)
    estimate = boluses.refill_estimate(20.0, 2.0, base, bolus, delivery)
    assert estimate.all_allowed_days <= estimate.demand_days <= estimate.no_boluses_days
    # (V_fill - V_threshold) / Q: 18 mL at 0.8 mL/day and at 0.8 + 4 * 0.08 mL/day.
    assert_allclose(estimate.no_boluses_days, 18.0 / 0.8, rtol=1e-12)
    assert_allclose(estimate.all_allowed_days, 18.0 / (0.8 + 4 * 40.0 / 500.0), rtol=1e-12)
    given = result.given.sum()
    mean_ml_per_day = 0.8 + given * 40.0 / 500.0 / 14.0  # no bolus is cut: last 10 min
    if presses_per_day == 0.0:
        assert given == 0
    assert_allclose(estimate.demand_days, 18.0 / mean_ml_per_day, rtol=1e-6)


def test_refill_estimate_prometra_threshold():
    threshold = value("ptc_refill_threshold")
    assert threshold == 3.0
    base = programs.continuous(500.0, 1000.0, 14.0)  # 0.5 mL/day
    bolus = PatientBolus(100.0, 10, 120, 5)  # up to 0.5 mL/day more
    none = boluses.apply_rules([], bolus)
    estimate = boluses.refill_estimate(
        20.0, threshold, base, bolus, boluses.with_patient_boluses(base, bolus, none)
    )
    assert_allclose(estimate.no_boluses_days, 34.0, rtol=1e-12)
    assert_allclose(estimate.all_allowed_days, 17.0, rtol=1e-12)
    assert_allclose(estimate.demand_days, 34.0, rtol=1e-12)


# --- the catheter line ------------------------------------------------------------------


def demand_delivery(concentration=2000.0, days=3.0):
    bolus = PatientBolus(60.0, 10, 120, 4)
    base = programs.flexible([(0.0, 500.0), (22.0, 250.0)], concentration, days)
    result = boluses.apply_rules(boluses.demand(days, 5.0, 0.8, seed=11), bolus)
    return boluses.with_patient_boluses(base, bolus, result)


@pytest.mark.parametrize("dispersion_factor", [0.0, 10.0])
def test_prefilled_line_delivers_the_pump_output(dispersion_factor):
    delivery = demand_delivery()
    line = programs.dose_at_tip(delivery, 0.2, dispersion_factor=dispersion_factor)
    pumped = delivery.volume_ml() * delivery.concentration_ug_per_ml
    # Incompressible and already full of the same solution: what goes in comes out.
    assert_allclose(line.delivered_ug[-1], pumped[-1], rtol=1e-9)
    assert_allclose(line.delivered_ug, pumped, rtol=1e-9, atol=1e-9 * pumped[-1])
    assert_allclose(line.tip_ug_per_ml, delivery.concentration_ug_per_ml, rtol=1e-9)


def test_saline_line_delays_the_drug_by_the_dead_volume():
    delivery = demand_delivery(concentration=500.0)
    dead = 0.3
    line = programs.dose_at_tip(delivery, dead, initial_ug_per_ml=0.0)
    pumped_ml = delivery.volume_ml()
    # Plug flow: the first V_dead of output is saline, then C (W - V_dead).
    expected = delivery.concentration_ug_per_ml * np.maximum(pumped_ml - dead, 0.0)
    assert_allclose(line.delivered_ug, expected, rtol=1e-9, atol=1e-9 * expected[-1])
    assert np.all(line.delivered_ug[pumped_ml <= dead] == 0.0)
    assert line.delivered_ug[-1] > 0.0


def test_line_mass_budget_with_a_half_strength_fill():
    delivery = demand_delivery(concentration=1000.0)
    dead = 0.25
    line = programs.dose_at_tip(delivery, dead, initial_ug_per_ml=500.0, dispersion_factor=5.0)
    # Every numerical step: initial + entered = delivered + in line.
    leftover = line.step_entered_ug - line.step_delivered_ug - line.step_in_line_ug
    assert_allclose(leftover, 0.0, atol=1e-9 * line.step_entered_ug[-1])
    # At the end: delivered = C W + c0 V_dead - drug still in the line.
    entered = 1000.0 * delivery.volume_ml()[-1] + 500.0 * dead
    assert_allclose(line.delivered_ug[-1], entered - line.in_line_ug[-1], rtol=1e-9)
    assert_allclose(line.in_line_ug[-1], 1000.0 * dead, rtol=1e-6)


# --- valve-gated micro-boluses ----------------------------------------------------------


def test_actuation_interval_example():
    # 2.5 uL every 7.2 min is 0.5 mL/day.
    assert_allclose(mechanisms.actuation_interval_min(0.5, 0.0025), 7.2, rtol=1e-12)
    assert_allclose(value("micro_bolus_volume"), 0.0025, rtol=1e-12)


@random_settings
@given(
    st.floats(min_value=0.05, max_value=20.0),
    st.floats(min_value=1.0e-4, max_value=0.05),
)
def test_valve_gated_stays_within_one_stroke(rate, stroke):
    delivery = mechanisms.valve_gated(rate, 500.0, days=1.0, stroke_volume_ml=stroke)
    programmed = rate * delivery.time_days
    delivered = delivery.volume_ml()
    tolerance = 1e-8 * stroke + 1e-12 * programmed
    # V_s floor(Q t / V_s): never ahead of Q t, never a whole stroke behind.
    assert np.all(delivered <= programmed + tolerance)
    assert np.all(delivered > programmed - stroke - tolerance)
    # Mean over the day equals Q within one stroke per day.
    assert abs(delivered[-1] - rate) <= stroke + tolerance[-1]
    # Each minute's rate is a whole number of strokes per minute.
    pulses = delivery.rate_ml_per_day * STEP_DAYS / stroke
    assert_allclose(pulses, np.round(pulses), atol=1e-9)


def test_valve_gated_default_stroke_timing():
    delivery = mechanisms.valve_gated(0.5, 500.0, days=1.0)
    pulse_minutes = np.flatnonzero(delivery.rate_ml_per_day)
    # 200 pulses a day, one in the minute in which 7.2 k minutes falls.
    assert len(pulse_minutes) == 200
    expected = np.ceil(7.2 * np.arange(1, 201) - 1e-9).astype(int) - 1
    np.testing.assert_array_equal(pulse_minutes, expected)
    assert_allclose(delivery.daily_volume_ml(), [0.5], rtol=1e-12)


def test_valve_gated_bad_stroke():
    with pytest.raises(ValueError, match=re.escape("stroke_volume_ml = 0.1 mL is outside")):
        mechanisms.valve_gated(0.5, 500.0, stroke_volume_ml=0.1)


# --- gas-driven pumps -------------------------------------------------------------------


def test_gas_factor_is_one_at_reference():
    reference = value("gas_reference_temperature")
    assert reference == 37.0
    assert_allclose(mechanisms.gas_flow_factor(reference, 0.0), 1.0, rtol=1e-15)


def test_gas_factor_is_linear():
    # f = (1 + s_T (T - 37)) (1 + s_h h): 10 %/degC at 38 degC is 1.1.
    assert_allclose(mechanisms.gas_flow_factor(38.0, 0.0, 10.0, 10.0), 1.1, rtol=1e-12)
    assert_allclose(mechanisms.gas_flow_factor(36.0, 2000.0, 5.0, 10.0), 0.95 * 1.2, rtol=1e-12)
    temps = np.array([34.0, 37.0, 40.0])
    assert_allclose(mechanisms.gas_flow_factor(temps, 0.0, 10.0), [0.7, 1.0, 1.3], rtol=1e-12)


@random_settings
@given(
    st.floats(min_value=34.0, max_value=42.0),
    st.floats(min_value=34.0, max_value=42.0),
    st.floats(min_value=0.0, max_value=5000.0),
    st.floats(min_value=0.0, max_value=5000.0),
)
def test_gas_factor_rises_with_temperature_and_altitude(t1, t2, h1, h2):
    low_t, high_t = sorted((t1, t2))
    low_h, high_h = sorted((h1, h2))
    f = mechanisms.gas_flow_factor
    assert f(low_t, low_h) <= f(high_t, low_h)
    assert f(low_t, low_h) <= f(low_t, high_h)
    if high_t > low_t + 1e-6:
        assert f(low_t, low_h) < f(high_t, low_h)
    if high_h > low_h + 1e-3:
        assert f(low_t, low_h) < f(low_t, high_h)


def test_gas_factor_bad_temperature_names_it():
    with pytest.raises(ValueError, match=re.escape("body_temperature_degc = 43 degC")):
        mechanisms.gas_flow_factor(43.0, 0.0)
    with pytest.raises(ValueError, match=re.escape("altitude_m = -10 m")):
        mechanisms.gas_flow_factor(37.0, -10.0)
    with pytest.raises(ValueError, match=re.escape("temperature_sensitivity_percent = 60")):
        mechanisms.gas_flow_factor(37.0, 0.0, 60.0)


@pytest.mark.parametrize(("peak", "start_h", "hours"), [(39.0, 6.0, 12.0), (40.5, 0.0, 24.0)])
def test_fever_day_total(peak, start_h, hours):
    rate, concentration = 1.0, 500.0
    temperature = events.fever(2.0, peak, start_h, hours)
    delivery = mechanisms.gas_driven(rate, concentration, temperature, 0.0)
    s = value("gas_temperature_sensitivity") / 100.0
    # Q C (1 + s (T_peak - 37) h / 24) on the fever day, Q C the day after.
    expected = rate * concentration * (1.0 + s * (peak - 37.0) * hours / 24.0)
    assert_allclose(delivery.daily_totals_ug(), [expected, rate * concentration], rtol=1e-12)


def test_flight_day_total():
    rate, concentration, altitude = 1.5, 200.0, value("cabin_altitude_max")
    assert altitude == 2438.0  # 14 CFR 25.841(a): 8,000 ft
    height = events.flight(1.0, altitude, 9.0, 5.0)
    delivery = mechanisms.gas_driven(rate, concentration, 37.0, height)
    s = value("gas_altitude_sensitivity") / 100.0
    expected = rate * concentration * (1.0 + s * altitude / 1000.0 * 5.0 / 24.0)
    assert_allclose(delivery.daily_totals_ug(), [expected], rtol=1e-12)


# --- MRI --------------------------------------------------------------------------------


@pytest.mark.parametrize(("start_h", "scan_h", "delay_h"), [(10.0, 1.0, 2.0), (0.0, 0.5, 24.0)])
def test_mri_stops_the_rotor(start_h, scan_h, delay_h):
    rate, concentration = 0.6, 1000.0
    base = programs.continuous(rate * concentration, concentration, 3.0)
    delivery = events.mri(base, start_h, scan_h, delay_h)
    first = round(start_h * 60)
    last = first + round((scan_h + delay_h) * 60)
    assert np.all(delivery.rate_ml_per_day[first:last] == 0.0)
    np.testing.assert_array_equal(delivery.rate_ml_per_day[:first], base.rate_ml_per_day[:first])
    np.testing.assert_array_equal(delivery.rate_ml_per_day[last:], base.rate_ml_per_day[last:])
    # The lost drug is Q C (scan + delay) / 24.
    lost = base.daily_totals_ug().sum() - delivery.daily_totals_ug().sum()
    assert_allclose(lost, rate * concentration * (scan_h + delay_h) / 24.0, rtol=1e-12)


def test_mri_scan_day_total():
    base = programs.continuous(600.0, 2000.0, 2.0)
    delivery = events.mri(base, 10.0, 1.0, 2.0)
    # 600 ug/day stopped for 3 h: 600 (1 - 3/24) = 525 on day 0, 600 on day 1.
    assert_allclose(delivery.daily_totals_ug(), [525.0, 600.0], rtol=1e-12)


def test_mri_at_24_h_is_the_end_of_day_0():
    base = programs.continuous(600.0, 2000.0, 2.0)
    delivery = events.mri(base, 24.0, 1.0, 2.0)
    assert_allclose(delivery.daily_totals_ug(), [600.0, 525.0], rtol=1e-12)


def test_mri_with_a_stopped_pump_in_the_line_model():
    base = programs.continuous(600.0, 2000.0, 2.0)
    delivery = events.mri(base, 10.0, 1.0, 2.0)
    line = programs.dose_at_tip(delivery, 0.2)
    assert_allclose(line.delivered_ug[-1], 1125.0, rtol=1e-9)


# --- concentration in the CSF -----------------------------------------------------------


def test_constant_delivery_stays_at_the_steady_state():
    delivery = programs.continuous(300.0, 500.0, 0.25)
    spread = programs.csf_at_tip(delivery, "baclofen")
    tip = spread.at_level("T11")
    assert_allclose(tip, tip[0], rtol=1e-9)
    steady = spine.steady_state(
        "T11",
        300.0,
        spine.human_dispersion(),
        spine.clearance_per_day("baclofen"),
        0.6,
    )
    assert_allclose(tip[0], steady[spine.canal().cell("T11")], rtol=1e-12)


@pytest.fixture(scope="module")
def ripple_by_rate():
    """(time-mean, max - min) at the tip for 6 h of pulses, at 300 ug/day, per rate."""
    rows = {}
    for rate in (1.0, 0.5, 0.2, 0.1):
        delivery = mechanisms.valve_gated(rate, 300.0 / rate, days=0.25)
        tip = programs.csf_at_tip(delivery, "baclofen").at_level("T11")
        smooth = programs.csf_at_tip(programs.continuous(300.0, 300.0 / rate, 0.25), "baclofen")
        rows[rate] = (tip.mean(), np.ptp(tip), smooth.at_level("T11")[0])
    return rows


@pytest.mark.parametrize("rate", [1.0, 0.5])
def test_pulses_average_to_the_smooth_concentration(ripple_by_rate, rate):
    mean, _, smooth = ripple_by_rate[rate]
    assert abs(mean / smooth - 1.0) < 0.03


def test_ripple_grows_as_pulses_spread_out(ripple_by_rate):
    ripples = [ripple_by_rate[rate][1] / ripple_by_rate[rate][2] for rate in (1.0, 0.5, 0.2, 0.1)]
    assert all(b > a for a, b in itertools.pairwise(ripples))
    assert ripples[0] > 0.0


def test_csf_block_must_divide_the_delivery():
    delivery = programs.continuous(300.0, 500.0, 0.25)  # 360 min
    assert len(programs.csf_at_tip(delivery, "baclofen", block_min=15).time_days) == 25
    with pytest.raises(ValueError, match="block_min = 7 min does not divide"):
        programs.csf_at_tip(delivery, "baclofen", block_min=7)


def test_simulate_budget_from_an_initial_state():
    geometry = spine.canal()
    initial = spine.steady_state("T11", 300.0, 78.0, 5.0, 0.5, geometry)
    t = np.linspace(0.0, 1.0, 97)
    source = np.where(np.arange(96) % 8 == 0, 800.0, 50.0)
    result = spine.simulate(
        "T11", t, source, 78.0, 5.0, rate_ml_per_day=0.5, initial_ug_per_ml=initial
    )
    start = initial[:-1] @ geometry.volume_ml + initial[-1] * geometry.cranial_ml
    assert_allclose(result.in_spine_ug[0] + result.in_cranial_ug[0], start, rtol=1e-12)
    # initial + delivered = in spinal CSF + in cranial CSF + cleared.
    budget = result.in_spine_ug + result.in_cranial_ug + result.cleared_ug
    assert_allclose(budget, start + result.delivered_ug, rtol=1e-12)
    assert result.cleared_ug[-1] > 0.0


def test_simulate_initial_of_the_wrong_shape():
    n = len(spine.canal().x_cm) + 1
    with pytest.raises(ValueError, match=re.escape(f"one for the cranial compartment ({n})")):
        spine.simulate("T11", np.linspace(0, 1, 5), 100.0, 78.0, 5.0, initial_ug_per_ml=np.ones(3))
    with pytest.raises(ValueError, match=re.escape("initial_ug_per_ml = -1 ug/mL")):
        spine.simulate("T11", np.linspace(0, 1, 5), 100.0, 78.0, 5.0, initial_ug_per_ml=-np.ones(n))


# --- safety findings for programs -------------------------------------------------------


def rules(findings, severity=None):
    return {f.rule for f in findings if severity is None or f.severity == severity}


def test_program_matching_the_prescription_is_quiet():
    delivery = programs.flexible([(7.0, 700.0), (23.0, 400.0)], 2000.0)
    # 700 * 16/24 + 400 * 8/24 = 600 ug/day.
    assert_allclose(delivery.daily_totals_ug(), [600.0], rtol=1e-12)
    findings = safety.delivery_findings(BACLOFEN, PERISTALTIC, delivery, 600.0)
    assert not {r for r in rules(findings) if r.startswith("program_")}


def test_per_hour_value_in_a_per_day_step_is_a_danger():
    # 600 ug/day meant for 2 h at night, typed as 600 ug/h: the step reads 14,400 ug/day.
    delivery = programs.flexible([(0.0, 600.0), (22.0, 600.0 * 24.0)], 2000.0)
    findings = safety.delivery_findings(BACLOFEN, PERISTALTIC, delivery, 600.0)
    assert "program_above_prescription" in rules(findings, "danger")
    message = next(f.message for f in findings if f.rule == "program_above_prescription")
    # 600 * 22/24 + 14400 * 2/24 = 1750 ug/day, 2.92 times the prescription.
    assert "2.92 times" in message


def test_ten_percent_mismatch_is_a_caution():
    delivery = programs.continuous(660.0, 2000.0)
    findings = safety.delivery_findings(BACLOFEN, PERISTALTIC, delivery, 600.0)
    assert rules(findings, "caution") == {"program_mismatch"}
    assert "+10 %" in next(f.message for f in findings if f.rule == "program_mismatch")
    # 0.5 % off is within the 1 % that is worth no remark.
    quiet = safety.delivery_findings(
        BACLOFEN, PERISTALTIC, programs.continuous(603.0, 2000.0), 600.0
    )
    assert "program_mismatch" not in rules(quiet)


def test_delivery_findings_are_sorted_by_severity():
    # 10 % low at 25 ug/mL: 0.0216 mL/day is below the pump's minimum (a danger).
    ziconotide = drugs.get_drug("ziconotide")
    delivery = programs.continuous(0.54, 25.0)
    findings = safety.delivery_findings(ziconotide, PERISTALTIC, delivery, 0.6)
    severities = [safety.SEVERITIES.index(f.severity) for f in findings]
    assert severities == sorted(severities)
    assert {"danger", "caution"} <= {f.severity for f in findings}
    # The per-hour slip at a low concentration: two dangers and nothing out of order.
    slip = programs.flexible([(0.0, 600.0), (22.0, 600.0 * 24.0)], 500.0)
    findings = safety.delivery_findings(BACLOFEN, PERISTALTIC, slip, 600.0)
    assert {"program_above_prescription", "rate_above_pump_maximum"} <= rules(findings, "danger")
    severities = [safety.SEVERITIES.index(f.severity) for f in findings]
    assert severities == sorted(severities)
