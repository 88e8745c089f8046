"""The one delivery-schedule type: volume is the integral of a piecewise-constant rate."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from helpers import programs
from helpers.schedule import Schedule

segments = st.lists(
    st.tuples(
        st.floats(0.1, 30.0),  # duration [day]
        st.floats(0.01, 2.0),  # rate [mL/day]
        st.floats(100.0, 20_000.0),  # inlet [ug/mL]
    ),
    min_size=1,
    max_size=6,
)


@given(segments, st.floats(0.0, 200.0))
def test_throughput_is_the_integral_of_the_rate(segs, t):
    schedule = Schedule.from_segments(segs)
    ends = np.append(schedule.start_days[1:], np.inf)
    overlap = np.clip(np.minimum(ends, t) - schedule.start_days, 0.0, None)
    expected = np.sum(schedule.rate_ml_per_day * overlap)
    assert schedule.throughput_ml(t) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@given(segments, st.floats(0.0, 200.0))
def test_time_at_throughput_inverts_throughput(segs, t):
    schedule = Schedule.from_segments(segs)
    volume = schedule.throughput_ml(t)
    assert schedule.time_at_throughput(volume) == pytest.approx(t, rel=1e-9, abs=1e-9)


def test_nothing_has_left_the_pump_before_day_zero():
    schedule = Schedule.from_segments([(1.0, 0.5, 1000.0), (1.0, 1.0, 1000.0)])
    assert schedule.throughput_ml(-3.0) == 0.0
    assert schedule.time_at_throughput(0.0) == 0.0


def test_dose_steps_give_rate_dose_over_concentration():
    schedule = Schedule.from_doses([0.0, 7.0, 14.0], [100.0, 150.0, 200.0], 500.0, "steps")
    assert_allclose(schedule.rate_ml_per_day, [0.2, 0.3, 0.4])
    assert_allclose(schedule.dose_at([0.0, 6.9, 7.0, 100.0]), [100.0, 100.0, 150.0, 200.0])
    assert schedule.end_day == 14.0
    assert schedule.description == "steps"


@pytest.mark.parametrize(
    ("days", "doses", "words"),
    [
        ([1.0, 7.0], [100.0, 150.0], "start on day 0"),
        ([0.0, 7.0], [100.0], "same length"),
        ([0.0, 7.0, 7.0], [1.0, 2.0, 3.0], "must increase"),
        ([0.0], [-5.0], "doses_ug_per_day = -5 ug/day is outside"),
    ],
)
def test_dose_steps_refuse_bad_steps(days, doses, words):
    with pytest.raises(ValueError, match=words):
        Schedule.from_doses(days, doses, 500.0)


def test_a_program_minute_grid_is_the_same_schedule():
    """A flexible program's minute arrays and its schedule deliver the same volume."""
    day = programs.flexible([(0.0, 100.0), (6.0, 400.0), (22.0, 50.0)], 500.0, days=2.0)
    day = programs.periodic(day, 20.0, 3, 15)
    schedule = day.schedule()
    assert_allclose(schedule.throughput_ml(day.time_days), day.volume_ml(), rtol=1e-12)
    assert_allclose(schedule.dose_at(day.time_days[:-1]), day.dose_ug_per_day, rtol=1e-12)
