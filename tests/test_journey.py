"""Tests of helpers.journey: a patient's years with a pump, a seeded cohort, and withdrawal.

The expected values come from the data files and from the shared models (pump refill timing
and reservoir depletion, spine clearance, outcomes battery life), never from the journey
module itself, so a wrong rate split, unit or index shows up here.
"""

import itertools
import math
import re

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal
from scipy import stats

from helpers import cohort as cohort_model
from helpers import data, drugs, pump, refill, spine, titration, units, withdrawal
from helpers.cohort import Settings

DAYS_PER_YEAR = 365.25
HOURS_PER_DAY = 24.0
SIGMAS = 5.0
PROGRAMMABLE = ("peristaltic", "valve_gated")

random_settings = settings(max_examples=25, deadline=None)


def value(key):
    return data.lookup("journey", key).model_value


def rates():
    return cohort_model.complication_rates_per_day()


def interval_days(fill, rate, model, margin, drug):
    """The shared refill rule of the pump model, floored at one day like the journey."""
    planned = refill.refill_by_days(
        fill, rate, model.alarm_volume_ml, margin, drugs.get_drug(drug).stability_days
    )
    return np.maximum(planned, 1.0)


def assert_close_count(observed, expected, sigmas=SIGMAS):
    """A Poisson count within ``sigmas`` standard deviations of its expectation."""
    assert abs(observed - expected) <= sigmas * math.sqrt(expected), (observed, expected)


def assert_close_share(observed_share, p, trials, sigmas=SIGMAS):
    """A binomial share within ``sigmas`` standard deviations of ``p``."""
    sigma = math.sqrt(p * (1.0 - p) / trials)
    assert abs(observed_share - p) <= sigmas * sigma, (observed_share, p, trials)


def rows(array):
    """The finite values of each row of a NaN-padded array."""
    return [row[np.isfinite(row)] for row in array]


COHORT_SETTINGS = Settings(years=10.0, late_visit_percent=10.0)
COHORT_PATIENTS = 5000


@pytest.fixture(scope="module")
def big_cohort():
    return cohort_model.simulate_cohort(COHORT_SETTINGS, COHORT_PATIENTS, seed=2024)


# --- complication rates: from the data file ---------------------------------------------


def test_complication_rates_come_from_the_data_file():
    surgical = data.lookup("journey", "surgical_complication_rate")
    share = data.lookup("journey", "catheter_share")
    assert surgical.unit == "%/year"
    per_day = surgical.value / 100.0 / DAYS_PER_YEAR
    got = rates()
    assert set(got) == set(cohort_model.COMPLICATIONS)
    assert_allclose(got["catheter"], per_day * share.value / 100.0, rtol=1e-12)
    assert_allclose(got["pump"], per_day * (1.0 - share.value / 100.0), rtol=1e-12)
    assert_allclose(got["catheter"] + got["pump"], per_day, rtol=1e-12)
    for kind in ("infection", "granuloma"):
        raw = data.lookup("journey", f"{kind}_rate")
        assert_allclose(got[kind], raw.value / 100.0 / DAYS_PER_YEAR, rtol=1e-12)
        assert_allclose(got[kind], raw.model_value, rtol=1e-12)
    # About one complication in eight patient-years, as the Swiss series reports.
    total_per_year = sum(got.values()) * DAYS_PER_YEAR
    assert_allclose(total_per_year, 0.105 + 0.007 + 0.009, rtol=1e-12)


def test_stopping_and_event_kinds():
    assert set(cohort_model.STOPPING) <= set(cohort_model.COMPLICATIONS)
    assert set(cohort_model.COMPLICATIONS) <= set(cohort_model.EVENT_KINDS)
    assert len(set(cohort_model.EVENT_KINDS)) == len(cohort_model.EVENT_KINDS)


# --- cohort: event rates match the input rates ------------------------------------------


def test_cohort_shapes(big_cohort):
    n = COHORT_PATIENTS
    assert big_cohort.patients == n
    assert big_cohort.seed == 2024
    assert big_cohort.settings is COHORT_SETTINGS
    for name in (
        "visit_days",
        "dose_ug_per_day",
        "late",
        "alarm_days",
        "empty_days",
        "battery_alarm_days",
        "replacement_days",
        "mri_days",
        "mri_gap_h",
    ):
        assert getattr(big_cohort, name).shape[0] == n, name
    for name in ("visit_days", "dose_ug_per_day", "late", "alarm_days", "empty_days"):
        assert getattr(big_cohort, name).shape == big_cohort.visit_days.shape, name
    assert big_cohort.late.dtype == bool
    assert big_cohort.relief.dtype == bool
    assert big_cohort.relief.shape == (n,)
    assert set(big_cohort.complication_days) == set(cohort_model.COMPLICATIONS)
    assert_array_equal(big_cohort.visit_days[:, 0], 0.0)


@pytest.mark.parametrize("kind", list(cohort_model.COMPLICATIONS))
def test_complications_per_patient_day_match_the_rate(big_cohort, kind):
    horizon = COHORT_SETTINGS.horizon_days
    expected = rates()[kind] * horizon * COHORT_PATIENTS
    observed = int(big_cohort.complications((kind,)).sum())
    assert_close_count(observed, expected)
    times = big_cohort.complication_days[kind]
    assert np.all((times[np.isfinite(times)] >= 0.0) & (times[np.isfinite(times)] < horizon))
    for row in rows(times):
        assert np.all(np.diff(row) >= 0.0)


def test_all_complications_per_patient_day_match_the_total_rate(big_cohort):
    horizon = COHORT_SETTINGS.horizon_days
    expected = sum(rates().values()) * horizon * COHORT_PATIENTS
    assert_close_count(int(big_cohort.complications().sum()), expected)


def test_complication_times_are_uniform_over_the_years(big_cohort):
    horizon = COHORT_SETTINGS.horizon_days
    times = np.concatenate([v[np.isfinite(v)] for v in big_cohort.complication_days.values()])
    assert stats.kstest(times / horizon, "uniform").pvalue > 1e-4


def test_mri_scans_per_patient_year(big_cohort):
    expected = value("mri_per_year") * COHORT_SETTINGS.years * COHORT_PATIENTS
    observed = int(np.isfinite(big_cohort.mri_days).sum())
    assert_close_count(observed, expected)
    mri = big_cohort.mri_days
    assert np.all((mri[np.isfinite(mri)] >= 0.0) & (mri[np.isfinite(mri)] < 3652.5))


def test_mri_gaps_scan_plus_delayed_restart(big_cohort):
    scan_h = data.lookup("programs", "mri_scan_duration").model_value * HOURS_PER_DAY
    delay_low, delay_high = data.lookup("programs", "mri_restart_delay").value
    assert data.lookup("programs", "mri_restart_delay").unit == "h"
    scans = np.isfinite(big_cohort.mri_days)
    gaps = big_cohort.mri_gap_h
    assert_array_equal(np.isfinite(gaps), scans)
    gaps = gaps[scans]
    delayed = gaps > scan_h + 1e-9
    assert_allclose(gaps[~delayed], scan_h, rtol=1e-12)
    assert np.all(gaps[delayed] >= scan_h + delay_low - 1e-9)
    assert np.all(gaps[delayed] <= scan_h + delay_high + 1e-9)
    assert_close_share(delayed.mean(), value("mri_delayed_share") / 100.0, len(gaps))
    # The delays are uniform over the quoted 2 to 24 h.
    spread = (gaps[delayed] - scan_h - delay_low) / (delay_high - delay_low)
    assert stats.kstest(spread, "uniform").pvalue > 1e-4


def test_relief_share(big_cohort):
    p = float(np.mean(data.lookup("journey", "relief_share").value)) / 100.0
    assert_close_share(big_cohort.relief.mean(), p, COHORT_PATIENTS)


def test_late_visit_share(big_cohort):
    # late[:, j] belongs to the visit that ends interval j, visit_days[:, j + 1].
    followed = np.isfinite(big_cohort.visit_days[:, 1:])
    late = big_cohort.late[:, :-1][followed]
    assert_close_share(late.mean(), COHORT_SETTINGS.late_visit_percent / 100.0, late.size)
    assert not np.any(big_cohort.late[:, 1:][~np.isfinite(big_cohort.visit_days[:, 1:])])


def test_lateness_is_one_to_fourteen_days_after_the_planned_date(big_cohort):
    s = COHORT_SETTINGS
    model = pump.get_pump(s.pump_key)
    visits, doses = big_cohort.visit_days, big_cohort.dose_ug_per_day
    followed = np.isfinite(visits[:, 1:])
    interval = np.diff(visits, axis=1)[followed]
    rate = doses[:, :-1][followed] / s.concentration_ug_per_ml
    planned = interval_days(s.reservoir_ml, rate, model, s.margin_days, s.drug_key)
    lateness = interval - planned
    late = big_cohort.late[:, :-1][followed]
    assert_allclose(lateness[~late], 0.0, atol=1e-9)
    low, high = value("late_visit_days")
    assert np.all((lateness[late] >= low - 1e-9) & (lateness[late] <= high + 1e-9))
    assert stats.kstest((lateness[late] - low) / (high - low), "uniform").pvalue > 1e-4


def test_first_complication_is_exponential_with_the_total_rate(big_cohort):
    lam = sum(rates().values())
    horizon = COHORT_SETTINGS.horizon_days
    first = big_cohort.first_complication_days()
    assert first.shape == (COHORT_PATIENTS,)
    # Same as the earliest time over all kinds, inf when none.
    stacked = np.column_stack(
        [np.where(np.isnan(v), np.inf, v) for v in big_cohort.complication_days.values()]
    )
    assert_array_equal(first, stacked.min(axis=1))
    n = COHORT_PATIENTS
    # Fraction with a complication within the horizon: 1 - exp(-lambda H).
    p = 1.0 - math.exp(-lam * horizon)
    assert_close_share(np.mean(first < horizon), p, n)
    # Censored mean E[min(T, H)] = (1 - exp(-lambda H)) / lambda, and its variance.
    censored = np.minimum(first, horizon)
    mean = p / lam
    second = 2.0 / lam**2 * (1.0 - math.exp(-lam * horizon) * (1.0 + lam * horizon))
    sigma = math.sqrt((second - mean**2) / n)
    assert abs(censored.mean() - mean) <= SIGMAS * sigma, (censored.mean(), mean)
    # The shape: exponential truncated at the horizon.
    seen = first[first < horizon]

    def cdf(t):
        return (1.0 - np.exp(-lam * t)) / p

    assert stats.kstest(seen, cdf).pvalue > 1e-4


def test_cost_per_patient(big_cohort):
    implant = float(np.mean(value("implant_cost")))
    replacements = np.sum(np.isfinite(big_cohort.replacement_days), axis=1)
    expected = (
        implant * (1 + replacements)
        + value("refill_visit_cost") * big_cohort.refills()
        + value("revision_cost") * big_cohort.complications()
    )
    assert_allclose(big_cohort.cost_usd(), expected, rtol=1e-12)
    horizon = COHORT_SETTINGS.horizon_days
    assert_allclose(big_cohort.cost_per_day_usd(), expected / horizon, rtol=1e-12)
    at = cohort_model.cost_at(big_cohort, [0.0, horizon / 2, horizon])
    assert at.shape == (COHORT_PATIENTS, 3)
    assert_allclose(at[:, -1], expected, rtol=1e-12)
    assert np.all(np.diff(at, axis=1) >= 0.0)
    assert np.all(at[:, 0] >= implant)


def test_refills_count_the_visits_after_the_implant(big_cohort):
    visits = big_cohort.visit_days
    assert_array_equal(big_cohort.refills(), np.isfinite(visits).sum(axis=1) - 1)
    assert_allclose(big_cohort.refills_per_year(), big_cohort.refills() / 10.0)
    for row in rows(visits)[:50]:
        assert np.all(np.diff(row) >= 1.0)
        assert row[-1] < COHORT_SETTINGS.horizon_days


# --- reproducibility --------------------------------------------------------------------


def cohort_arrays(cohort):
    arrays = {
        name: getattr(cohort, name)
        for name in (
            "visit_days",
            "dose_ug_per_day",
            "late",
            "alarm_days",
            "empty_days",
            "battery_alarm_days",
            "replacement_days",
            "mri_days",
            "mri_gap_h",
            "relief",
        )
    }
    arrays.update({f"complication_{k}": v for k, v in cohort.complication_days.items()})
    return arrays


@pytest.mark.parametrize("seed", [0, 7, 123456789])
def test_same_seed_same_cohort(seed):
    s = Settings(years=6.0, late_visit_percent=30.0)
    first = cohort_arrays(cohort_model.simulate_cohort(s, 300, seed))
    second = cohort_arrays(cohort_model.simulate_cohort(s, 300, seed))
    assert first.keys() == second.keys()
    for name in first:
        assert_array_equal(first[name], second[name], err_msg=name)
        assert np.array_equal(first[name], second[name], equal_nan=True), name


def test_different_seeds_differ():
    s = Settings(years=6.0, late_visit_percent=30.0)
    first = cohort_arrays(cohort_model.simulate_cohort(s, 300, 1))
    second = cohort_arrays(cohort_model.simulate_cohort(s, 300, 2))
    for name in ("visit_days", "mri_days", "battery_alarm_days", "relief"):
        assert not np.array_equal(first[name], second[name], equal_nan=True), name


@pytest.mark.parametrize("seed", [0, 11, 2**31])
def test_same_seed_same_patient(seed):
    s = Settings(years=12.0, late_visit_percent=20.0)
    first, second = cohort_model.patient(s, seed), cohort_model.patient(s, seed)
    for name in ("day", "dose_ug_per_day", "delivered_ug_per_day", "reservoir_ml", "cost_usd"):
        assert np.array_equal(getattr(first, name), getattr(second, name), equal_nan=True)
    assert first.events == second.events
    # A patient is the cohort of one with the same seed.
    alone = cohort_arrays(cohort_model.simulate_cohort(s, 1, seed))
    for name, array in cohort_arrays(first.cohort).items():
        assert np.array_equal(array, alone[name], equal_nan=True), name


def test_different_seeds_different_patients():
    s = Settings(years=12.0, late_visit_percent=20.0)
    journeys = [cohort_model.patient(s, seed) for seed in range(5)]
    assert len({j.events for j in journeys}) == 5


# --- refill visits ----------------------------------------------------------------------


#: Drugs whose first fill has no shorter limit: every interval follows the one rule.
ONE_RULE_DRUGS = [key for key in drugs.DRUGS if drugs.get_drug(key).first_fill is None]


@random_settings
@given(
    drug=st.sampled_from(ONE_RULE_DRUGS),
    pump_key=st.sampled_from(PROGRAMMABLE),
    dose=st.floats(10.0, 20_000.0),
    concentration=st.floats(100.0, 50_000.0),
    fill=st.floats(4.0, 60.0),
    margin=st.floats(0.0, 10.0),
    years=st.floats(0.5, 5.0),
)
def test_on_time_visits_follow_the_shared_refill_rule(
    drug, pump_key, dose, concentration, fill, margin, years
):
    model = pump.get_pump(pump_key)
    rate = pump.flow_rate_ml_per_day(dose, concentration)
    assume(rate <= 50.0)
    stability = drugs.get_drug(drug).stability_at(concentration).model_value
    planned = refill.refill_by_days(fill, rate, model.alarm_volume_ml, margin, stability)
    assume(planned >= 1.0)
    horizon = years * DAYS_PER_YEAR
    ratio = horizon / planned
    assume(abs(ratio - round(ratio)) > 1e-6)
    s = Settings(
        drug_key=drug,
        dose_ug_per_day=dose,
        concentration_ug_per_ml=concentration,
        pump_key=pump_key,
        reservoir_ml=fill,
        years=years,
        escalation_percent_per_year=0.0,
        margin_days=margin,
        late_visit_percent=0.0,
    )
    cohort = cohort_model.simulate_cohort(s, 3, seed=5)
    refills = math.ceil(ratio) - 1
    expected = planned * np.arange(refills + 1)
    for row in rows(cohort.visit_days):
        assert_allclose(row, expected, rtol=1e-9, atol=1e-9)
    assert_allclose(np.diff(rows(cohort.visit_days)[0]), planned, rtol=1e-9)
    assert_array_equal(cohort.refills(), refills)
    assert_allclose(cohort.refills_per_year(), refills / years, rtol=1e-12)
    assert abs(cohort.refills_per_year()[0] - DAYS_PER_YEAR / planned) <= 1.0 / years
    assert_array_equal(cohort.empty_episodes(), 0)
    assert not np.any(np.isfinite(cohort.alarm_days))
    assert not np.any(cohort.late)
    doses = cohort.dose_ug_per_day[np.isfinite(cohort.visit_days)]
    assert_array_equal(doses, dose)


@pytest.mark.parametrize(
    ("drug", "escalation", "margin", "late", "start"),
    [
        ("morphine", 6.0, 3.0, 5.0, 60.0),
        ("morphine", 30.0, 14.0, 30.0, 30.0),  # intervals shrink to the one-day floor
        ("ziconotide", 0.0, 0.0, 0.0, 100.0),  # no titration: the first fill's limit
        ("baclofen", 10.0, 7.0, 15.0, 50.0),
    ],
)
def test_cohort_visits_match_a_patient_by_patient_loop(drug, escalation, margin, late, start):
    """The vectorised refill loop against the model written out one patient at a time."""
    info = drugs.get_drug(drug)
    dose, concentration = {
        "morphine": (3000.0, 10_000.0),
        "ziconotide": (5.0, 25.0),
        "baclofen": (300.0, 2000.0),
    }[drug]
    s = Settings(
        drug_key=drug,
        dose_ug_per_day=dose,
        concentration_ug_per_ml=concentration,
        years=4.0,
        escalation_percent_per_year=escalation,
        margin_days=margin,
        late_visit_percent=late,
        titration_start_percent=start,
    )
    n, horizon = 6, s.horizon_days
    plan = cohort_model.titration_plan(s)
    got = cohort_model._visits(s, plan, np.random.default_rng(3), n)
    intervals = got["visit"].shape[1]
    rng = np.random.default_rng(3)  # the same stream: one (2, patients) draw per interval
    draws = [rng.random((2, n)) for _ in range(intervals)]
    limits = cohort_model._fill_limits(s, plan)[0]
    stable = info.stability_at(s.concentration_ug_per_ml).model_value
    first = info.stability_at(s.concentration_ug_per_ml, first_fill=True).model_value
    late_low, late_high = value("late_visit_days")
    counts = []
    for i in range(n):
        t, k = 0.0, 0
        while t < horizon:
            to_alarm, to_empty, dose_k = (float(x[0]) for x in limits(np.array([t])))
            planned = max(min(to_alarm - margin, first if t == 0.0 else stable), 1.0)
            is_late = draws[k][0, i] < late / 100.0
            extra = late_low + (late_high - late_low) * draws[k][1, i] if is_late else 0.0
            interval = planned + extra
            alarm = t + to_alarm if interval > to_alarm and t + to_alarm < horizon else np.nan
            empty = t + to_empty if interval > to_empty and t + to_empty < horizon else np.nan
            assert_allclose(got["visit"][i, k], t, rtol=1e-12)
            assert_allclose(got["dose"][i, k], dose_k, rtol=1e-12)
            assert got["late"][i, k] == is_late
            assert_allclose(got["alarm"][i, k], alarm, rtol=1e-12)
            assert_allclose(got["empty"][i, k], empty, rtol=1e-12)
            t, k = t + planned + extra, k + 1
        counts.append(k)
        assert np.all(np.isnan(got["visit"][i, k:])) and not np.any(got["late"][i, k:])
        assert np.all(np.isnan(got["alarm"][i, k:]) & np.isnan(got["empty"][i, k:]))
    assert intervals == max(counts)  # the loop ends when the last patient passes the horizon


def test_ziconotide_first_fill_of_a_new_pump_is_replaced_within_14_days():
    """PRIALT: a naive pump's first fill is replaced within 14 days, later ones by the label."""
    s = Settings(
        drug_key="ziconotide",
        dose_ug_per_day=2.4,
        concentration_ug_per_ml=25.0,
        pump_key="peristaltic",
        reservoir_ml=20.0,
        years=1.0,
        escalation_percent_per_year=0.0,
        late_visit_percent=0.0,
        titration_start_percent=100.0,
    )
    visits = rows(cohort_model.simulate_cohort(s, 1, seed=1).visit_days)[0]
    assert visits[1] == pytest.approx(14.0)
    assert np.diff(visits[1:]) == pytest.approx(84.0)  # undiluted 25 ug/mL


@random_settings
@given(
    growth_percent=st.floats(0.5, 500.0),
    dose=st.floats(50.0, 5000.0),
    concentration=st.floats(2000.0, 50_000.0),
    margin=st.floats(0.0, 7.0),
    years=st.floats(0.5, 3.0),
)
def test_escalated_dose_and_shrinking_intervals(growth_percent, dose, concentration, margin, years):
    g = growth_percent / 100.0
    assume(dose * (1.0 + g) ** years / concentration <= 400.0)
    s = Settings(
        dose_ug_per_day=dose,
        concentration_ug_per_ml=concentration,
        reservoir_ml=20.0,
        years=years,
        escalation_percent_per_year=growth_percent,
        margin_days=margin,
        late_visit_percent=0.0,
    )
    cohort = cohort_model.simulate_cohort(s, 1, seed=3)
    visits = rows(cohort.visit_days)[0]
    doses = rows(cohort.dose_ug_per_day)[0]
    assert len(doses) == len(visits)
    assert_allclose(doses, dose * (1.0 + g) ** (visits / DAYS_PER_YEAR), rtol=1e-9)
    intervals = np.diff(visits)
    assert np.all(np.diff(intervals) <= 1e-9 * intervals[1:] + 1e-12)
    expected = interval_days(
        20.0, doses[:-1] / concentration, pump.get_pump(s.pump_key), margin, s.drug_key
    )
    assert_allclose(intervals, expected, rtol=1e-9)
    # On time, the reservoir runs empty only where the one-day floor outlasts the fill.
    to_empty = pump.days_to_empty(20.0, doses[:-1] / concentration)
    empty = np.where(intervals > to_empty, visits[:-1] + to_empty, np.nan)
    empty = np.where(empty < s.horizon_days, empty, np.nan)
    assert_allclose(rows(cohort.empty_days[:, :-1])[0], empty[np.isfinite(empty)])
    assert np.all(np.isfinite(cohort.empty_days[0, :-1]) <= (to_empty < 1.0))


def test_one_year_of_escalation_is_the_yearly_percentage():
    s = Settings(
        dose_ug_per_day=100.0,
        concentration_ug_per_ml=10_000.0,
        years=5.0,
        escalation_percent_per_year=100.0,
        late_visit_percent=0.0,
    )
    cohort = cohort_model.simulate_cohort(s, 1, seed=0)
    visits = rows(cohort.visit_days)[0]
    doses = rows(cohort.dose_ug_per_day)[0]
    assert_allclose(np.interp(DAYS_PER_YEAR, visits, np.log2(doses)), np.log2(200.0), rtol=1e-9)


@random_settings
@given(
    alarm_to_empty_days=st.floats(0.5, 20.0),
    pump_key=st.sampled_from(PROGRAMMABLE),
    fill=st.floats(20.0, 40.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_empty_only_when_lateness_exceeds_the_alarm_to_empty_time(
    alarm_to_empty_days, pump_key, fill, seed
):
    model = pump.get_pump(pump_key)
    alarm = model.alarm_volume_ml
    rate = alarm / alarm_to_empty_days
    to_alarm = pump.days_to_alarm(fill, rate, alarm)
    to_empty = pump.days_to_empty(fill, rate)
    stability = drugs.get_drug("morphine").stability_days
    assume(1.0 <= to_alarm <= stability)
    s = Settings(
        dose_ug_per_day=rate * 10_000.0,
        concentration_ug_per_ml=10_000.0,
        pump_key=pump_key,
        reservoir_ml=fill,
        years=2.0,
        escalation_percent_per_year=0.0,
        margin_days=0.0,
        late_visit_percent=100.0,
    )
    horizon = s.horizon_days
    cohort = cohort_model.simulate_cohort(s, 40, seed)
    visits = cohort.visit_days
    started = np.isfinite(visits)
    ended = np.isfinite(visits[:, 1:])
    assert np.all(cohort.late[:, :-1][ended])
    lateness = np.diff(visits, axis=1) - to_alarm
    lateness_ended = lateness[ended]
    assert np.all((lateness_ended >= 1.0 - 1e-9) & (lateness_ended <= 14.0 + 1e-9))
    # Every late interval passes the alarm at visit + (fill - alarm) / rate.
    alarm_day = visits + to_alarm
    expected_alarm = np.where(started & (alarm_day < horizon), alarm_day, np.nan)
    assert_allclose(cohort.alarm_days, expected_alarm, rtol=1e-12, equal_nan=True)
    # Empty at visit + fill / rate, when the lateness exceeds alarm / rate.
    empty_day = visits + to_empty
    lateness = np.append(lateness, np.full((len(visits), 1), np.nan), axis=1)
    ended = np.append(ended, np.zeros((len(visits), 1), dtype=bool), axis=1)
    should = ended & (lateness > alarm_to_empty_days) & (empty_day < horizon)
    assert_allclose(
        cohort.empty_days[ended], np.where(should, empty_day, np.nan)[ended], equal_nan=True
    )
    # The interval still running at the horizon: empty, if at all, at visit + fill / rate.
    running = started & ~ended
    last = cohort.empty_days[running]
    assert_allclose(last[np.isfinite(last)], empty_day[running][np.isfinite(last)])
    assert not np.any(np.isfinite(cohort.empty_days[~started]))
    assert np.all(cohort.empty_episodes() == np.isfinite(cohort.empty_days).sum(axis=1))


def test_a_wide_margin_never_runs_empty():
    # Alarm to empty is 2 mL / 0.3 mL/day = 6.7 days; 10 days of margin plus 6.7 days
    # outlast the longest lateness, 14 days, but not the shorter one.
    s = Settings(margin_days=10.0, late_visit_percent=100.0, escalation_percent_per_year=0.0)
    cohort = cohort_model.simulate_cohort(s, 200, seed=4)
    assert cohort.empty_episodes().sum() == 0
    refills = cohort.refills().sum()
    assert_close_share(np.isfinite(cohort.alarm_days).sum() / refills, 4.0 / 13.0, refills)


def test_late_visits_run_empty_sometimes():
    s = Settings(margin_days=0.0, late_visit_percent=100.0, escalation_percent_per_year=0.0)
    cohort = cohort_model.simulate_cohort(s, 200, seed=4)
    # alarm to empty 2 mL / 0.3 mL/day = 6.7 days: lateness of 1-14 days passes it about
    # half the time.
    refills = cohort.refills().sum()
    share = cohort.empty_episodes().sum() / refills
    assert_close_share(share, (14.0 - 2.0 / 0.3) / 13.0, refills)


# --- battery ----------------------------------------------------------------------------


@pytest.mark.parametrize("years", [4.0, 10.0, 20.0])
def test_battery_alarm_before_the_end_of_service_life(years):
    s = Settings(years=years)
    cohort = cohort_model.simulate_cohort(s, 2000, seed=9)
    horizon = s.horizon_days
    life_low, life_high = (DAYS_PER_YEAR * y for y in data.lookup("outcomes", "service_life").value)
    assert data.lookup("outcomes", "service_life").unit == "year"
    warning = data.lookup("outcomes", "replacement_warning").model_value
    assert warning == 90.0
    delay = value("replacement_after_alarm")
    assert cohort.battery_alarm_days.shape == cohort.replacement_days.shape
    lives = []
    for alarms, replaced in zip(cohort.battery_alarm_days, cohort.replacement_days, strict=True):
        alarms_f = alarms[np.isfinite(alarms)]
        # Alarms first, then their replacements, no gaps.
        assert_array_equal(np.isfinite(alarms), np.arange(len(alarms)) < len(alarms_f))
        assert np.all(alarms_f < horizon)
        expected_replaced = alarms_f + delay
        expected_replaced = np.where(expected_replaced < horizon, expected_replaced, np.nan)
        assert_allclose(replaced[: len(alarms_f)], expected_replaced, equal_nan=True)
        assert not np.any(np.isfinite(replaced[len(alarms_f) :]))
        starts = np.concatenate([[0.0], expected_replaced[:-1]])
        life = alarms_f + warning - starts
        assert np.all((life >= life_low - 1e-9) & (life <= life_high + 1e-9))
        lives.extend(life[:1])
        # No alarm is missing: the next pump's earliest possible alarm lies beyond the horizon.
        last_start = expected_replaced[-1] if len(alarms_f) else 0.0
        if np.isfinite(last_start):
            assert last_start + life_high - warning >= horizon - 1e-9
    if years == 20.0:
        lives = np.array(lives)
        assert len(lives) == 2000
        assert stats.kstest((lives - life_low) / (life_high - life_low), "uniform").pvalue > 1e-4


def test_short_follow_up_has_no_battery_events():
    cohort = cohort_model.simulate_cohort(Settings(years=1.0), 50, seed=1)
    assert cohort.battery_alarm_days.shape == (50, 1)
    assert not np.any(np.isfinite(cohort.battery_alarm_days))
    assert not np.any(np.isfinite(cohort.replacement_days))


# --- one patient's journey --------------------------------------------------------------


@st.composite
def journey_settings(draw):
    drug_key = draw(st.sampled_from(("morphine", "baclofen", "ziconotide")))
    # Titration under ziconotide's rule stops at its maximum dose.
    top = 19.2 if drug_key == "ziconotide" else 10_000.0
    dose = draw(st.floats(top / 100.0, top))
    rate = draw(st.floats(0.1, 2.0))
    return Settings(
        drug_key=drug_key,
        dose_ug_per_day=dose,
        concentration_ug_per_ml=dose / rate,
        pump_key=draw(st.sampled_from(PROGRAMMABLE)),
        reservoir_ml=draw(st.sampled_from((20.0, 40.0))),
        years=draw(st.floats(1.0, 12.0)),
        escalation_percent_per_year=draw(st.floats(0.0, 30.0)),
        margin_days=draw(st.floats(0.0, 10.0)),
        late_visit_percent=draw(st.floats(0.0, 60.0)),
        titration_start_percent=draw(st.sampled_from((100.0, 60.0, 30.0))),
    )


def dose_changes(path):
    """
    Change points of the programmed dose and the dose from each: the titration steps,
    then the dose set at each refill visit from the end of titration on.
    """
    s, plan = path.cohort.settings, path.cohort.titration
    visits = rows(path.cohort.visit_days)[0]
    doses = rows(path.cohort.dose_ug_per_day)[0]
    after = visits >= plan.end_day
    # A visit on the last step's day sets the dose: it comes second in the stable sort.
    times = np.concatenate([plan.start_days, visits[after]])
    levels = np.concatenate([plan.doses_ug_per_day, doses[after]])
    order = np.argsort(times, kind="stable")
    assert_allclose(plan.doses_ug_per_day[-1], s.dose_ug_per_day, rtol=1e-12)
    return times[order], levels[order]


def used_volume_ml(path, t):
    """Volume programmed from the implant to ``t``: the exact integral of dose over C."""
    times, levels = dose_changes(path)
    rates = levels / path.cohort.settings.concentration_ug_per_ml
    at_knots = np.concatenate([[0.0], np.cumsum(rates[:-1] * np.diff(times))])
    j = np.searchsorted(times, t, side="right") - 1
    return at_knots[j] + rates[j] * (t - times[j])


def check_journey(path):
    s = path.cohort.settings
    cohort = path.cohort
    fill = s.reservoir_ml
    horizon = s.horizon_days
    days = path.day
    assert_array_equal(days, np.arange(math.floor(horizon) + 1))
    for name in ("dose_ug_per_day", "delivered_ug_per_day", "reservoir_ml", "cost_usd"):
        assert getattr(path, name).shape == days.shape, name

    # Dose: the titration step or the dose of the last visit after titration; the reservoir
    # is the fill less the exact integral of the programmed rate since the last visit.
    visits = rows(cohort.visit_days)[0]
    doses = rows(cohort.dose_ug_per_day)[0]
    k = np.searchsorted(visits, days, side="right") - 1
    times, levels = dose_changes(path)
    assert_allclose(
        path.dose_ug_per_day, levels[np.searchsorted(times, days, "right") - 1], rtol=1e-12
    )
    used = used_volume_ml(path, days) - used_volume_ml(path, visits[k])
    assert_allclose(path.reservoir_ml, np.maximum(fill - used, 0.0), rtol=1e-9, atol=1e-9)
    reservoir = path.reservoir_ml
    assert np.all(reservoir >= 0.0)
    assert np.all(reservoir <= fill)
    # After titration the reservoir follows the shared depletion model between visits, and
    # falls by one day of flow per day while not empty.
    rate = doses[k] / s.concentration_ug_per_ml
    settled = visits[k] >= cohort.titration.end_day
    assert_allclose(
        path.reservoir_ml[settled],
        pump.reservoir_volume_ml(days - visits[k], fill, rate)[settled],
        rtol=1e-12,
        atol=1e-12,
    )
    same = (k[1:] == k[:-1]) & (reservoir[1:] > 0.0) & settled[1:]
    assert_allclose(np.diff(reservoir)[same], -rate[1:][same], rtol=1e-9, atol=1e-12)

    # Delivery: never more than programmed, nothing while empty or awaiting a revision.
    delivered = path.delivered_ug_per_day
    assert np.all(delivered >= 0.0)
    assert np.all(delivered <= path.dose_ug_per_day)
    assert np.all(delivered[reservoir == 0.0] == 0.0)
    gap = value("revision_gap")
    stopped = np.zeros(days.shape, dtype=bool)
    for kind in cohort_model.STOPPING:
        for day in rows(cohort.complication_days[kind])[0]:
            window = (days >= day) & (days < day + gap)
            assert np.all(delivered[window] == 0.0)
            stopped |= window
    # MRI scans: the hours without delivery are lost, no more.
    mri = rows(cohort.mri_days)[0]
    gaps_days = rows(cohort.mri_gap_h)[0] / HOURS_PER_DAY
    covered = [(days >= np.floor(m)) & (days < m + g) for m, g in zip(mri, gaps_days, strict=True)]
    touched = np.zeros(days.shape, dtype=bool)
    for window in covered:
        touched |= window
    untouched = ~touched & ~stopped & (reservoir > 0.0)
    assert_array_equal(delivered[untouched], path.dose_ug_per_day[untouched])
    for i, (window, g) in enumerate(zip(covered, gaps_days, strict=True)):
        others = [w for j, w in enumerate(covered) if j != i]
        clean = (
            window.any()
            and not any(np.any(w & window) for w in others)
            and not np.any(stopped[window])
            and np.all(reservoir[window] > 0.0)
            and len(set(path.dose_ug_per_day[window])) == 1
            and mri[i] + g < days[-1]
        )
        if clean:
            lost = np.sum(path.dose_ug_per_day[window] - delivered[window])
            assert_allclose(lost, path.dose_ug_per_day[window][0] * g, rtol=1e-9)

    # Events: sorted, known kinds, matching the cohort of one.
    events = path.events
    assert list(events) == sorted(events)
    assert all(kind in cohort_model.EVENT_KINDS for _, kind in events)
    assert all(0.0 <= day < horizon for day, _ in events)
    count = {kind: len(path.event_days(kind)) for kind in cohort_model.EVENT_KINDS}
    assert_array_equal(
        path.event_days("titration"),
        cohort.titration.start_days[1:][cohort.titration.start_days[1:] <= days[-1]],
    )
    assert count["refill"] + count["late_refill"] == cohort.refills()[0]
    assert count["late_refill"] == int(cohort.late[0][: len(visits) - 1].sum())
    assert count["empty"] == cohort.empty_episodes()[0]
    assert_allclose(
        np.sort(np.concatenate([path.event_days("refill"), path.event_days("late_refill")])),
        visits[1:],
    )
    assert count["battery_alarm"] == np.isfinite(cohort.battery_alarm_days).sum()
    assert count["replacement"] == np.isfinite(cohort.replacement_days).sum()
    assert count["mri"] == len(mri)
    for kind in cohort_model.COMPLICATIONS:
        assert count[kind] == cohort.complications((kind,))[0]

    # Cost: from the implant, never falling, the cohort's cost on each day; oral is linear.
    cost = path.cost_usd
    assert cost[0] == pytest.approx(float(np.mean(value("implant_cost"))))
    assert np.all(np.diff(cost) >= 0.0)
    assert_allclose(cost, cohort_model.cost_at(cohort, days)[0], rtol=1e-12)
    oral = path.oral_cost_usd
    assert oral[0] == 0.0
    assert_allclose(np.diff(oral), value("oral_cost_per_day"), rtol=1e-12)
    assert_allclose(oral, value("oral_cost_per_day") * days, rtol=1e-12)


def check_volume(path):
    """Volume from the daily series against the reservoir drop over each interval."""
    s = path.cohort.settings
    fill = s.reservoir_ml
    days = path.day
    visits = rows(path.cohort.visit_days)[0]
    doses = rows(path.cohort.dose_ug_per_day)[0]
    ends = np.append(visits[1:], days[-1] + 1.0)
    total_daily = total_drop = 0.0
    # Intervals after titration, when the dose is the one set at the visit.
    settled = visits >= path.cohort.titration.end_day
    for start, end, dose in zip(visits[settled], ends[settled], doses[settled], strict=True):
        rate = dose / s.concentration_ug_per_ml
        inside = (days >= start) & (days < end)
        daily = rate * np.sum(path.reservoir_ml[inside] > 0.0)
        drop = fill - pump.reservoir_volume_ml(end - start, fill, rate)
        assert abs(daily - drop) <= rate * (1.0 + 1e-9), (start, end, daily, drop)
        total_daily += daily
        total_drop += drop
        # The drug delivered in the interval never exceeds what left the reservoir.
        assert np.sum(path.delivered_ug_per_day[inside]) <= dose * np.sum(
            path.reservoir_ml[inside] > 0.0
        ) * (1.0 + 1e-12)
    assert abs(total_daily - total_drop) <= len(visits) * max(doses) / s.concentration_ug_per_ml


@pytest.mark.parametrize("seed", range(6))
def test_default_patient(seed):
    path = cohort_model.patient(Settings(years=12.0, late_visit_percent=25.0), seed)
    check_journey(path)
    check_volume(path)


@random_settings
@given(s=journey_settings(), seed=st.integers(0, 2**32 - 1))
def test_patient_journey_properties(s, seed):
    path = cohort_model.patient(s, seed)
    check_journey(path)
    check_volume(path)


def test_patient_with_everything_happening():
    # Late visits that run empty, MRI scans and a stopping complication in one journey.
    s = Settings(years=20.0, late_visit_percent=60.0, margin_days=0.0)
    seen = set()
    for seed in range(40):
        path = cohort_model.patient(s, seed)
        check_journey(path)
        kinds = {kind for _, kind in path.events}
        seen |= kinds
        if "empty" in kinds:
            # The first whole day after the reservoir ran empty has no drug, unless the
            # refill came before it.
            visits = rows(path.cohort.visit_days)[0]
            empty = path.event_days("empty")
            after = np.ceil(empty)
            refilled = np.searchsorted(visits, after, side="right") > np.searchsorted(
                visits, empty, side="right"
            )
            after = after[~refilled & (after < len(path.day))].astype(int)
            assert np.all(path.delivered_ug_per_day[after] == 0.0)
            assert np.all(path.reservoir_ml[after] == 0.0)
    assert {"empty", "mri", "battery_alarm", "replacement", "catheter", "late_refill"} <= seen
    assert seen <= set(cohort_model.EVENT_KINDS)


def test_journey_event_days():
    path = cohort_model.patient(Settings(years=12.0), 3)
    for kind in cohort_model.EVENT_KINDS:
        expected = [d for d, k in path.events if k == kind]
        assert_array_equal(path.event_days(kind), expected)
    assert len(path.event_days("no such kind")) == 0


# --- withdrawal -------------------------------------------------------------------------


def half_life_h(drug_key):
    half_life = drugs.get_drug(drug_key).csf_half_life.model_value
    if isinstance(half_life, tuple):
        half_life = math.sqrt(half_life[0] * half_life[1])
    return half_life * HOURS_PER_DAY


WITH_HALF_LIFE = [k for k in drugs.DRUGS if drugs.get_drug(k).csf_half_life is not None]


@pytest.mark.parametrize("drug_key", WITH_HALF_LIFE)
def test_withdrawal_follows_the_csf_half_life(drug_key):
    t_half = drugs.get_drug(drug_key).csf_half_life.model_value
    if isinstance(t_half, tuple):
        t_half = math.sqrt(t_half[0] * t_half[1])
    t_half_h = t_half * HOURS_PER_DAY
    assert_allclose(t_half_h, half_life_h(drug_key))
    hours = np.array([0.0, t_half_h, 2.0 * t_half_h, 10.0])
    course = withdrawal.withdrawal(drug_key, hours)
    assert course.drug_key == drug_key
    assert_array_equal(course.hours, hours)
    assert_allclose(course.tip_percent[:3], [100.0, 50.0, 25.0], rtol=1e-12)
    k_per_h = spine.clearance_per_day(drug_key) / HOURS_PER_DAY
    assert_allclose(course.tip_percent, 100.0 * np.exp(-k_per_h * hours), rtol=1e-12)
    level = value("withdrawal_level")
    assert_allclose(course.likely_from_h, math.log(100.0 / level) / k_per_h, rtol=1e-12)
    # Below a quarter of the usual level after two half-lives.
    assert_allclose(course.likely_from_h, 2.0 * t_half_h, rtol=1e-12)
    if drug_key == "baclofen":
        low, high = data.lookup("journey", "withdrawal_progression").value
        assert (low, high) == (24.0, 72.0)
        assert_allclose(
            course.progression_h, (course.likely_from_h + 24.0, course.likely_from_h + 72.0)
        )
    else:
        assert course.progression_h == ()


def test_morphine_level_after_its_half_life():
    # Morphine's 175 min CSF half-life: 50 % at 175 min.
    course = withdrawal.withdrawal("morphine", [175.0 / 60.0])
    assert_allclose(course.tip_percent, [50.0], rtol=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    drug_key=st.sampled_from(WITH_HALF_LIFE),
    hours=st.lists(st.floats(0.0, 24.0 * 365.0), min_size=1, max_size=20),
)
def test_withdrawal_level_falls(drug_key, hours):
    hours = np.sort(np.array(hours))
    course = withdrawal.withdrawal(drug_key, hours)
    assert np.all(np.diff(course.tip_percent) <= 0.0)
    assert np.all((course.tip_percent >= 0.0) & (course.tip_percent <= 100.0))
    below = hours >= course.likely_from_h * (1 + 1e-9)
    assert np.all(course.tip_percent[below] <= value("withdrawal_level") + 1e-9)


@pytest.mark.parametrize("hours", [-1.0, [0.0, -0.5], float("nan"), 24.0 * 366.0])
def test_withdrawal_rejects_bad_hours(hours):
    with pytest.raises(ValueError, match="hours"):
        withdrawal.withdrawal("baclofen", hours)


def test_withdrawal_unknown_drug():
    with pytest.raises(KeyError, match="aspirin"):
        withdrawal.withdrawal("aspirin", [0.0])


# --- bad input --------------------------------------------------------------------------


def test_gas_driven_pump_is_rejected():
    with pytest.raises(ValueError, match="programmable") as info:
        Settings(pump_key="gas_driven")
    assert "gas_driven" in str(info.value)
    assert "peristaltic" in str(info.value)


@pytest.mark.parametrize("years", [0.0, 0.05, 25.0, -1.0, float("nan"), float("inf")])
def test_years_out_of_range(years):
    with pytest.raises(ValueError) as info:
        Settings(years=years)
    message = str(info.value)
    assert "years" in message
    assert f"{years:g}" in message
    assert "year" in message
    assert "[0.1, 20] year" in message


def test_years_message_names_the_value():
    with pytest.raises(
        ValueError, match=r"years = 25 year is outside; allowed range is \[0\.1, 20\]"
    ):
        Settings(years=25.0)


@pytest.mark.parametrize(
    ("field", "bad", "name"),
    [
        ("escalation_percent_per_year", -1.0, "escalation_percent_per_year"),
        ("escalation_percent_per_year", 501.0, "escalation_percent_per_year"),
        ("late_visit_percent", 150.0, "late_visit_percent"),
        ("late_visit_percent", -5.0, "late_visit_percent"),
        ("margin_days", -1.0, "margin_days"),
        ("margin_days", 61.0, "margin_days"),
        ("dose_ug_per_day", 0.0, "dose_ug_per_day"),
        ("dose_ug_per_day", float("nan"), "dose_ug_per_day"),
        ("concentration_ug_per_ml", 0.0, "concentration_ug_per_ml"),
        ("reservoir_ml", 1.0, "reservoir_ml"),
        ("reservoir_ml", 0.0, "reservoir_ml"),
        ("reservoir_ml", 61.0, "reservoir_ml"),
    ],
)
def test_bad_settings(field, bad, name):
    with pytest.raises(ValueError, match=name):
        Settings(**{field: bad})


def test_reservoir_below_the_alarm_of_the_chosen_pump():
    # The valve-gated pump alarms at 3 mL: 2.5 mL is too little for it, not for the other.
    Settings(pump_key="peristaltic", reservoir_ml=2.5)
    with pytest.raises(ValueError, match=r"reservoir_ml = 2\.5 mL"):
        Settings(pump_key="valve_gated", reservoir_ml=2.5)


def test_reservoir_at_the_alarm_is_rejected():
    alarm = pump.get_pump("peristaltic").alarm_volume_ml
    with pytest.raises(ValueError, match="reservoir_ml"):
        Settings(reservoir_ml=alarm)


def test_unknown_drug_and_pump():
    with pytest.raises(KeyError, match="aspirin"):
        Settings(drug_key="aspirin")
    with pytest.raises(KeyError, match="balloon"):
        Settings(pump_key="balloon")


@pytest.mark.parametrize("patients", [0, -3, 100_001, float("nan")])
def test_bad_patient_count(patients):
    with pytest.raises(ValueError, match="patients"):
        cohort_model.simulate_cohort(Settings(), patients, seed=0)


def test_settings_are_frozen():
    s = Settings()
    with pytest.raises(AttributeError):
        s.years = 3.0  # type: ignore[misc]
    assert s.horizon_days == 10.0 * DAYS_PER_YEAR


# --- progress ---------------------------------------------------------------------------


def test_progress_reports_increasing_fractions_to_one():
    seen = []
    cohort_model.simulate_cohort(Settings(years=3.0), 100, seed=1, progress=seen.append)
    assert seen
    assert all(0.0 < f <= 1.0 for f in seen)
    assert all(b > a for a, b in itertools.pairwise(seen))
    assert seen[-1] == 1.0


def test_progress_is_optional_and_does_not_change_the_cohort():
    s = Settings(years=3.0)
    quiet = cohort_arrays(cohort_model.simulate_cohort(s, 50, seed=8))
    loud = cohort_arrays(cohort_model.simulate_cohort(s, 50, seed=8, progress=lambda f: None))
    for name in quiet:
        assert np.array_equal(quiet[name], loud[name], equal_nan=True), name


def test_default_settings_come_from_the_data_files():
    s = Settings()
    assert s.late_visit_percent == data.lookup("journey", "late_visit_chance").value
    assert s.margin_days == data.lookup("practice", "refill_margin").model_value
    assert s.escalation_percent_per_year == data.lookup("journey", "baclofen_escalation").value
    assert not pump.get_pump(s.pump_key).is_fixed_rate


# --- titration --------------------------------------------------------------------------


def morphine(start_percent, dose=3000.0, **kwargs):
    return Settings(
        drug_key="morphine",
        dose_ug_per_day=dose,
        concentration_ug_per_ml=dose / 0.5,
        titration_start_percent=start_percent,
        **kwargs,
    )


def test_no_titration_when_starting_on_the_planned_dose():
    plan = titration.titration_plan(morphine(100.0))
    assert_array_equal(plan.start_days, [0.0])
    assert_array_equal(plan.doses_ug_per_day, [3000.0])
    assert plan.end_day == 0.0


@random_settings
@given(start=st.floats(10.0, 99.0), dose=st.floats(100.0, 20_000.0))
def test_titration_without_a_rule_rises_by_the_data_step(start, dose):
    step = value("titration_step") / 100.0
    interval = value("titration_interval")
    exact = math.log(100.0 / start) / math.log1p(step)
    assume(abs(exact - round(exact)) > 1e-6)
    plan = titration.titration_plan(morphine(start, dose))
    steps = math.ceil(exact)
    assert_allclose(plan.start_days, interval * np.arange(steps + 1))
    doses = plan.doses_ug_per_day
    assert doses[0] == pytest.approx(dose * start / 100.0, rel=1e-12)
    assert doses[-1] == pytest.approx(dose, rel=1e-12)
    assert_allclose(doses[1:-1] / doses[:-2], 1.0 + step, rtol=1e-12)
    assert 1.0 < doses[-1] / doses[-2] <= 1.0 + step + 1e-12
    assert "teaching assumption" in plan.description


@pytest.mark.parametrize(("drug_key", "dose"), [("baclofen", 300.0), ("ziconotide", 12.0)])
@pytest.mark.parametrize("start", [30.0, 60.0, 90.0])
def test_titration_with_a_rule_follows_the_shared_schedule(drug_key, dose, start):
    s = Settings(
        drug_key=drug_key,
        dose_ug_per_day=dose,
        concentration_ug_per_ml=dose / 0.5,
        titration_start_percent=start,
    )
    plan = titration.titration_plan(s)
    days, doses = titration.schedule(drugs.get_drug(drug_key), dose * start / 100.0, dose)
    assert_allclose(plan.start_days, days, rtol=1e-12)
    assert_allclose(plan.doses_ug_per_day, doses, rtol=1e-12)


def test_ziconotide_above_its_maximum_cannot_be_titrated():
    high = {"drug_key": "ziconotide", "dose_ug_per_day": 20.0, "concentration_ug_per_ml": 40.0}
    with pytest.raises(ValueError, match=r"dose_ug_per_day = 20 ug/day .* up to 19.2 ug/day"):
        titration.titration_plan(Settings(**high, titration_start_percent=50.0))
    assert titration.titration_plan(Settings(**high)).end_day == 0.0


@random_settings
@given(start=st.floats(10.0, 100.0), t=st.floats(0.0, 400.0))
def test_titration_volume_is_the_integral_of_the_rate_and_day_at_inverts_it(start, t):
    s = morphine(start)
    plan = titration.titration_plan(s)
    rate = plan.doses_ug_per_day / s.concentration_ug_per_ml
    ends = np.append(plan.start_days[1:], np.inf)
    overlap = np.clip(np.minimum(ends, t) - plan.start_days, 0.0, None)
    assert plan.throughput_ml(t) == pytest.approx(np.sum(rate * overlap), rel=1e-12, abs=1e-12)
    assert plan.time_at_throughput(plan.throughput_ml(t)) == pytest.approx(t, rel=1e-9, abs=1e-9)


@pytest.mark.parametrize("start", [10.0, 30.0, 60.0])
def test_refills_during_titration_plan_for_the_rising_dose(start):
    """On-time visits with a margin never reach the alarm, even while the dose rises."""
    s = morphine(start, reservoir_ml=20.0, late_visit_percent=0.0, margin_days=3.0, years=1.0)
    cohort = cohort_model.simulate_cohort(s, 20, seed=3)
    assert np.all(np.isnan(cohort.alarm_days))
    assert np.all(np.isnan(cohort.empty_days))
    path = cohort_model.patient(s, seed=3)
    alarm = pump.get_pump(s.pump_key).alarm_volume_ml
    assert np.all(path.reservoir_ml > alarm)
    check_journey(path)


def test_titration_costs_a_clinic_visit_per_step():
    cohort = cohort_model.simulate_cohort(morphine(30.0), 50, seed=1)
    steps = len(cohort.titration.start_days) - 1
    assert steps == cohort.titration_visits() > 0
    implant = float(np.mean(value("implant_cost")))
    replacements = np.sum(np.isfinite(cohort.replacement_days), axis=1)
    expected = (
        implant * (1 + replacements)
        + value("refill_visit_cost") * (cohort.refills() + steps)
        + value("revision_cost") * cohort.complications()
    )
    assert_allclose(cohort.cost_usd(), expected, rtol=1e-12)
    horizon = cohort.settings.horizon_days
    assert_allclose(cohort_model.cost_at(cohort, [horizon])[:, 0], expected, rtol=1e-12)
    # The steps are paid on their days.
    day = cohort.titration.start_days[1]
    before, on = cohort_model.cost_at(cohort, [day - 1e-6, day]).T
    assert np.all(on - before >= value("refill_visit_cost"))


def test_valve_gated_pump_mri_gap_is_emptying_scan_and_reset_not_a_late_rotor():
    """Prometra II IFU: emptied before the scan, reset after; the rotor delay does not apply."""
    scan_h = units.days_to_hours(data.lookup("programs", "mri_scan_duration").model_value)
    low, high = data.lookup("programs", "mri_valve_gated_gap").value
    s = Settings(pump_key="valve_gated", years=20.0)
    gaps = cohort_model.simulate_cohort(s, 200, seed=3).mri_gap_h
    gaps = gaps[np.isfinite(gaps)]
    assert gaps.size > 100
    assert np.all((gaps >= scan_h + low) & (gaps <= scan_h + high))
    peristaltic = cohort_model.simulate_cohort(Settings(years=20.0), 200, seed=3).mri_gap_h
    assert np.nanmax(peristaltic) > scan_h + high  # a late rotor restart, up to 24 h


@pytest.mark.parametrize(
    ("days", "words"),
    [([10.0, 5.0], "increasing order"), ([-1.0, 5.0], "days = -1"), ([[1.0]], "list of times")],
)
def test_cost_at_refuses_unsorted_or_negative_days(days, words):
    cohort = cohort_model.simulate_cohort(COHORT_SETTINGS, 5, seed=1)
    with pytest.raises(ValueError, match=re.escape(words)):
        cohort_model.cost_at(cohort, days)
