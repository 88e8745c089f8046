import re

import numpy as np
import pytest

from helpers.validation import Range

RATE = Range("rate_ml_per_day", 0.0, 50.0, "mL/day", "teaching choice", low_inclusive=False)
VOLUME = Range("volume_ml", 0.0, 60.0, "mL", "teaching choice")


def expected_message(rng, value, name=None):
    return f"{name or rng.name} = {value:g} {rng.unit}"


def test_describe_exclusive_low():
    assert RATE.describe() == "(0, 50] mL/day"


def test_describe_inclusive_low():
    assert VOLUME.describe() == "[0, 60] mL"


@pytest.mark.parametrize("value", [0.048, 1.0, 50.0])
def test_check_returns_in_range_scalar_unchanged(value):
    assert RATE.check(value) is value


def test_check_returns_in_range_array_unchanged():
    values = np.array([0.1, 25.0, 50.0])
    assert RATE.check(values) is values


def test_check_returns_in_range_list_unchanged():
    values = [0.0, 30.0, 60.0]
    assert VOLUME.check(values) is values


def test_check_accepts_zero_when_low_inclusive():
    assert VOLUME.check(0.0) == 0.0


def test_check_accepts_high_bound():
    assert VOLUME.check(60.0) == 60.0


@pytest.mark.parametrize(
    ("rng", "value", "reason"),
    [
        (VOLUME, -1.0, "is outside"),
        (RATE, -0.5, "is outside"),
        (RATE, 0.0, "is outside"),
        (RATE, 50.5, "is outside"),
        (VOLUME, 61.0, "is outside"),
        (RATE, float("nan"), "is not a finite number"),
        (RATE, float("inf"), "is not a finite number"),
        (RATE, float("-inf"), "is not a finite number"),
        (VOLUME, float("nan"), "is not a finite number"),
    ],
)
def test_check_rejects_bad_scalar(rng, value, reason):
    pattern = re.escape(
        f"{expected_message(rng, value)} {reason}; allowed range is {rng.describe()} ({rng.source})"
    )
    with pytest.raises(ValueError, match=pattern):
        rng.check(value)


def test_check_rejects_array_naming_first_offending_value():
    pattern = re.escape("rate_ml_per_day = 70 mL/day is outside; allowed range is (0, 50]")
    with pytest.raises(ValueError, match=pattern):
        RATE.check(np.array([1.0, 70.0, -3.0]))


def test_check_rejects_array_with_nan():
    with pytest.raises(ValueError, match=re.escape("rate_ml_per_day = nan mL/day is not a finite")):
        RATE.check(np.array([1.0, np.nan]))


def test_check_rejects_2d_array():
    with pytest.raises(ValueError, match=re.escape("volume_ml = -2 mL is outside")):
        VOLUME.check(np.array([[1.0, 2.0], [-2.0, 3.0]]))


def test_check_name_override_used_in_message():
    pattern = re.escape("fill_volume_ml = -1 mL is outside; allowed range is [0, 60] mL")
    with pytest.raises(ValueError, match=pattern):
        VOLUME.check(-1.0, "fill_volume_ml")


def test_check_name_override_replaces_default_name():
    with pytest.raises(ValueError) as excinfo:
        VOLUME.check(100.0, name="alarm_volume_ml")
    assert str(excinfo.value).startswith("alarm_volume_ml = 100 mL is outside")
