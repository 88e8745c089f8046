import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from helpers import units

positive_values = st.floats(min_value=1e-6, max_value=1e6, allow_nan=False, allow_infinity=False)


def test_ml_per_day_to_ul_per_h_known_value():
    assert_allclose(units.ml_per_day_to_ul_per_h(0.48), 20.0, rtol=1e-15)


def test_ul_per_h_to_ml_per_day_known_value():
    assert_allclose(units.ul_per_h_to_ml_per_day(20.0), 0.48, rtol=1e-15)


def test_mg_to_ug_known_value():
    assert_allclose(units.mass_to_ug(0.25, "mg"), 250.0, rtol=1e-15)


def test_ug_to_mg_known_value():
    assert_allclose(units.ug_to_mass(250.0, "mg"), 0.25, rtol=1e-15)


def test_g_to_ug_known_value():
    assert units.mass_to_ug(1.0, "g") == 1_000_000.0


def test_ug_to_ug_is_identity():
    assert units.mass_to_ug(7.5, "ug") == 7.5


def test_to_model_unit_hours_to_days():
    assert_allclose(units.to_model_unit(2.0, "h"), 1.0 / 12.0, rtol=1e-15)


def test_to_model_unit_minutes_to_days():
    assert_allclose(units.to_model_unit(175.0, "min"), 175.0 / (24.0 * 60.0), rtol=1e-15)


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        (20.0, "mg/mL", 20_000.0),
        (3.0, "mg/day", 3_000.0),
        (0.25, "mg", 250.0),
        (500.0, "uL", 0.5),
        (20.0, "uL/h", 0.48),
        (4.6, "h", 4.6 / 24.0),
        (14.5, "%", 14.5),
        (2.0, "mL", 2.0),
        (0.048, "mL/day", 0.048),
        (90.0, "day", 90.0),
    ],
)
def test_to_model_unit_known_values(value, unit, expected):
    assert_allclose(units.to_model_unit(value, unit), expected, rtol=1e-15)


def test_to_model_unit_scalar_returns_python_float():
    assert type(units.to_model_unit(2, "h")) is float


def test_to_model_unit_array_input():
    result = units.to_model_unit(np.array([1.0, 2.5]), "mg/mL")
    assert isinstance(result, np.ndarray)
    assert_allclose(result, [1000.0, 2500.0])


def test_to_model_unit_list_input():
    assert_allclose(units.to_model_unit([24.0, 48.0], "h"), [1.0, 2.0])


def test_every_glossary_unit_converts():
    for unit in units.GLOSSARY:
        assert math.isfinite(units.to_model_unit(1.0, unit))


def test_to_model_unit_unknown_unit_lists_valid_units():
    with pytest.raises(KeyError, match=r"unit 'mg/kg' is not in the glossary") as excinfo:
        units.to_model_unit(1.0, "mg/kg")
    for unit in units.GLOSSARY:
        assert repr(unit) in str(excinfo.value)


@pytest.mark.parametrize("convert", [units.mass_to_ug, units.ug_to_mass])
def test_unknown_mass_unit_lists_valid_units(convert):
    with pytest.raises(KeyError, match=re.escape("mass unit 'kg' is unknown")) as excinfo:
        convert(1.0, "kg")
    assert "['g', 'mg', 'ug']" in str(excinfo.value)


def test_flow_conversion_array_input():
    rates = np.array([0.048, 0.48, 24.0])
    assert_allclose(units.ml_per_day_to_ul_per_h(rates), [2.0, 20.0, 1000.0])


def test_mass_conversion_array_input():
    assert_allclose(units.mass_to_ug(np.array([0.25, 3.0]), "mg"), [250.0, 3000.0])


@given(positive_values)
def test_ml_per_day_round_trip(rate):
    back = units.ul_per_h_to_ml_per_day(units.ml_per_day_to_ul_per_h(rate))
    assert math.isclose(back, rate, rel_tol=4e-16)


@given(positive_values)
def test_ul_per_h_round_trip(rate):
    back = units.ml_per_day_to_ul_per_h(units.ul_per_h_to_ml_per_day(rate))
    assert math.isclose(back, rate, rel_tol=4e-16)


@given(positive_values, st.sampled_from(sorted(units.UG_PER_MASS_UNIT)))
def test_mass_round_trip(mass, mass_unit):
    back = units.ug_to_mass(units.mass_to_ug(mass, mass_unit), mass_unit)
    assert math.isclose(back, mass, rel_tol=4e-16)


@given(positive_values, st.sampled_from(sorted(units.UG_PER_MASS_UNIT)))
def test_ug_round_trip(mass_ug, mass_unit):
    back = units.mass_to_ug(units.ug_to_mass(mass_ug, mass_unit), mass_unit)
    assert math.isclose(back, mass_ug, rel_tol=4e-16)


def test_zero_round_trips_exactly():
    assert units.ul_per_h_to_ml_per_day(units.ml_per_day_to_ul_per_h(0.0)) == 0.0
    assert units.ug_to_mass(units.mass_to_ug(0.0, "mg"), "mg") == 0.0
