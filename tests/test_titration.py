import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from helpers import drugs, titration

BACLOFEN = drugs.get_drug("baclofen")
ZICONOTIDE = drugs.get_drug("ziconotide")
MORPHINE = drugs.get_drug("morphine")

# Label rules: baclofen +30 % (spinal) or +15 % (cerebral) once a day; ziconotide +2.4 ug/day
# at most three times a week, up to 19.2 ug/day.
SPINAL_FACTOR = 1.30
CEREBRAL_FACTOR = 1.15
ZICONOTIDE_STEP = 2.4
ZICONOTIDE_MAX = 19.2
REL = 1e-9


# --- next_step ----------------------------------------------------------------------------


def test_baclofen_spinal_allows_plus_30_percent():
    step = titration.next_step(BACLOFEN, 100.0, "spinal")
    assert_allclose(step.max_dose_ug_per_day, 130.0, rtol=1e-12)
    assert "30 %" in step.rule
    assert "spinal" in step.source


def test_baclofen_default_origin_is_spinal():
    assert titration.next_step(BACLOFEN, 100.0) == titration.next_step(BACLOFEN, 100.0, "spinal")


def test_baclofen_cerebral_allows_plus_15_percent():
    step = titration.next_step(BACLOFEN, 100.0, "cerebral")
    assert_allclose(step.max_dose_ug_per_day, 115.0, rtol=1e-12)
    assert "15 %" in step.rule
    assert "cerebral" in step.source


def test_ziconotide_allows_plus_2_4():
    step = titration.next_step(ZICONOTIDE, 1.2)
    assert_allclose(step.max_dose_ug_per_day, 3.6, rtol=1e-12)
    assert "2.4 ug/day" in step.rule
    assert step.source.startswith("PRIALT")


def test_ziconotide_origin_does_not_matter():
    spinal = titration.next_step(ZICONOTIDE, 6.0, "spinal")
    cerebral = titration.next_step(ZICONOTIDE, 6.0, "cerebral")
    assert spinal == cerebral


@pytest.mark.parametrize("dose", [18.0, 19.0, 19.2])
def test_ziconotide_step_capped_at_maximum(dose):
    step = titration.next_step(ZICONOTIDE, dose)
    assert step.max_dose_ug_per_day == ZICONOTIDE_MAX


def test_baclofen_interval_is_one_day():
    for origin in titration.ORIGINS:
        assert titration.next_step(BACLOFEN, 200.0, origin).interval_days == 1.0


def test_ziconotide_interval_is_a_third_of_a_week():
    # "No more than 2-3 times per week": 7/3 days at the fastest (stored as 2.333).
    interval = titration.next_step(ZICONOTIDE, 1.2).interval_days
    assert interval == pytest.approx(7 / 3, abs=1e-3)


def test_step_returns_python_floats():
    step = titration.next_step(BACLOFEN, 100.0)
    assert type(step.max_dose_ug_per_day) is float
    assert type(step.interval_days) is float


# --- schedule -----------------------------------------------------------------------------


def test_baclofen_schedule_reaches_target():
    days, doses = titration.schedule(BACLOFEN, 100.0, 400.0)
    assert doses[0] == 100.0
    assert doses[-1] == 400.0
    assert days[0] == 0.0


def test_baclofen_schedule_fastest_steps():
    # 100, 130, 169, 219.7, 285.61, 371.293, then the target 400.
    _, doses = titration.schedule(BACLOFEN, 100.0, 400.0)
    assert_allclose(doses, [100.0, 130.0, 169.0, 219.7, 285.61, 371.293, 400.0], rtol=1e-12)


def test_baclofen_schedule_never_exceeds_rule():
    _, doses = titration.schedule(BACLOFEN, 100.0, 400.0)
    ratios = doses[1:] / doses[:-1]
    assert np.all(ratios <= SPINAL_FACTOR * (1 + REL))
    assert np.all(ratios > 1.0)


def test_baclofen_cerebral_schedule_never_exceeds_rule():
    _, doses = titration.schedule(BACLOFEN, 100.0, 400.0, origin="cerebral")
    assert doses[-1] == 400.0
    assert np.all(doses[1:] / doses[:-1] <= CEREBRAL_FACTOR * (1 + REL))
    # Slower rule, more steps: ceil(log 4 / log 1.15) = 10.
    assert len(doses) - 1 == 10


def test_baclofen_schedule_days_one_apart():
    days, _ = titration.schedule(BACLOFEN, 100.0, 400.0)
    assert_allclose(np.diff(days), 1.0, rtol=1e-15)
    assert len(days) == 7


def test_ziconotide_schedule_takes_8_steps():
    days, doses = titration.schedule(ZICONOTIDE, 1.2, 19.2)
    assert len(doses) - 1 == 8
    assert len(days) == len(doses)
    assert_allclose(doses[-1], ZICONOTIDE_MAX, rtol=1e-12)


def test_ziconotide_schedule_increments_within_rule():
    _, doses = titration.schedule(ZICONOTIDE, 1.2, 19.2)
    assert np.all(np.diff(doses) <= ZICONOTIDE_STEP * (1 + REL))
    assert np.all(np.diff(doses) > 0)
    assert np.all(doses <= ZICONOTIDE_MAX)


def test_ziconotide_schedule_days_spaced_by_interval():
    days, _ = titration.schedule(ZICONOTIDE, 1.2, 19.2)
    interval = titration.next_step(ZICONOTIDE, 1.2).interval_days
    assert_allclose(np.diff(days), interval, rtol=1e-12)
    # About three weeks to the maximum, as on the label ("by day 21").
    assert 18.0 <= days[-1] <= 21.0


def test_schedule_at_target_is_just_the_start():
    days, doses = titration.schedule(BACLOFEN, 300.0, 300.0)
    assert days.tolist() == [0.0]
    assert doses.tolist() == [300.0]


def test_schedule_returns_arrays():
    days, doses = titration.schedule(BACLOFEN, 100.0, 200.0)
    assert isinstance(days, np.ndarray)
    assert isinstance(doses, np.ndarray)


# --- errors -------------------------------------------------------------------------------


def test_drug_without_rule_raises():
    with pytest.raises(ValueError, match="'morphine' has no titration rule"):
        titration.next_step(MORPHINE, 1000.0)


def test_schedule_drug_without_rule_raises():
    with pytest.raises(ValueError, match="no titration rule"):
        titration.schedule(MORPHINE, 1000.0, 2000.0)


@pytest.mark.parametrize("origin", ["brain", "Spinal", ""])
def test_unknown_origin_raises(origin):
    with pytest.raises(ValueError, match=r"origin = .* is unknown; use one of"):
        titration.next_step(BACLOFEN, 100.0, origin)


def test_schedule_unknown_origin_raises():
    with pytest.raises(ValueError, match="origin"):
        titration.schedule(BACLOFEN, 100.0, 200.0, origin="peripheral")


def test_target_above_maximum_raises():
    with pytest.raises(
        ValueError, match=r"target_ug_per_day = 25 ug/day is above the maximum 19.2"
    ):
        titration.schedule(ZICONOTIDE, 1.2, 25.0)


@pytest.mark.parametrize("dose", [0.0, -10.0, float("nan"), float("inf"), 2e6])
def test_next_step_invalid_dose_raises(dose):
    with pytest.raises(ValueError, match=r"dose_ug_per_day = .* ug/day"):
        titration.next_step(BACLOFEN, dose)


@pytest.mark.parametrize("dose", [0.0, -1.0, float("nan")])
def test_schedule_invalid_start_raises(dose):
    with pytest.raises(ValueError, match="start_ug_per_day"):
        titration.schedule(BACLOFEN, dose, 400.0)


@pytest.mark.parametrize("dose", [0.0, -1.0, float("inf")])
def test_schedule_invalid_target_raises(dose):
    with pytest.raises(ValueError, match="target_ug_per_day"):
        titration.schedule(BACLOFEN, 100.0, dose)


# --- properties ---------------------------------------------------------------------------


@settings(deadline=None, max_examples=50)
@given(
    start=st.floats(10.0, 1000.0),
    growth=st.floats(1.0, 20.0),
    origin=st.sampled_from(titration.ORIGINS),
)
def test_baclofen_every_step_within_rule(start, growth, origin):
    target = start * growth
    factor = SPINAL_FACTOR if origin == "spinal" else CEREBRAL_FACTOR
    days, doses = titration.schedule(BACLOFEN, start, target, origin)
    ratios = doses[1:] / doses[:-1]
    assert np.all(ratios <= factor * (1 + REL))
    assert np.all(ratios >= 1.0)
    assert doses[-1] == pytest.approx(target, rel=1e-12)
    assert_allclose(np.diff(days), 1.0)


@settings(deadline=None, max_examples=50)
@given(start=st.floats(0.5, 19.2), fraction=st.floats(0.0, 1.0))
def test_ziconotide_every_step_within_rule(start, fraction):
    # min(): start + 1.0 * (max - start) can round to just above the maximum.
    target = min(start + fraction * (ZICONOTIDE_MAX - start), ZICONOTIDE_MAX)
    _, doses = titration.schedule(ZICONOTIDE, start, target)
    assert np.all(np.diff(doses) <= ZICONOTIDE_STEP * (1 + REL))
    assert np.all(np.diff(doses) >= 0.0)
    assert np.all(doses <= ZICONOTIDE_MAX)
    assert doses[-1] == pytest.approx(target, rel=1e-12)
    # Fastest schedule: every step but the last takes the full 2.4 ug/day.
    assert_allclose(np.diff(doses)[:-1], ZICONOTIDE_STEP, rtol=1e-9)


@settings(deadline=None, max_examples=50)
@given(dose=st.floats(0.01, 1e5), origin=st.sampled_from(titration.ORIGINS))
def test_next_step_never_below_current_dose(dose, origin):
    step = titration.next_step(BACLOFEN, dose, origin)
    assert dose < step.max_dose_ug_per_day <= dose * SPINAL_FACTOR * (1 + REL)


@pytest.mark.parametrize("max_steps", [float("nan"), -1, 0, 2.5, True, "10"])
def test_schedule_bad_max_steps_names_it(max_steps):
    drug = drugs.get_drug("ziconotide")
    with pytest.raises(ValueError, match="max_steps"):
        titration.schedule(drug, 1.2, 19.2, max_steps=max_steps)


def test_schedule_with_too_few_steps_says_so_instead_of_stopping_short():
    drug = drugs.get_drug("ziconotide")
    with pytest.raises(ValueError, match="short of the target"):
        titration.schedule(drug, 1.2, 19.2, max_steps=1)
