import dataclasses
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from helpers import data, drugs, pump
from helpers.data import Quantity


@pytest.mark.parametrize("key", drugs.DRUGS)
def test_drug_loads(key):
    drug = drugs.get_drug(key)
    assert drug.key == key
    assert drug.name


@pytest.mark.parametrize("key", drugs.DRUGS)
def test_drug_has_usual_dose_and_stability(key):
    drug = drugs.get_drug(key)
    assert isinstance(drug.usual_dose, Quantity)
    assert isinstance(drug.stability, Quantity)
    assert drug.stability_days > 0


@pytest.mark.parametrize("key", drugs.DRUGS)
def test_drug_mass_unit_is_known(key):
    assert drugs.get_drug(key).mass_unit in {"mg", "ug"}


def test_drugs_tuple_matches_data_file():
    assert set(drugs.DRUGS) == set(data.load("drugs"))


@pytest.mark.parametrize("key", drugs.DRUGS)
@given(mass_ug=st.floats(min_value=1e-3, max_value=1e6))
def test_display_round_trip(key, mass_ug):
    drug = drugs.get_drug(key)
    assert math.isclose(drug.from_display(drug.to_display(mass_ug)), mass_ug, rel_tol=4e-16)


def test_to_display_morphine_in_mg():
    assert_allclose(drugs.get_drug("morphine").to_display(3000.0), 3.0)


def test_from_display_morphine_in_mg():
    assert_allclose(drugs.get_drug("morphine").from_display(3.0), 3000.0)


def test_to_display_baclofen_in_ug():
    assert drugs.get_drug("baclofen").to_display(500.0) == 500.0


def test_units_for_mg_drug():
    morphine = drugs.get_drug("morphine")
    assert morphine.dose_unit == "mg/day"
    assert morphine.concentration_unit == "mg/mL"


def test_units_for_ug_drug():
    ziconotide = drugs.get_drug("ziconotide")
    assert ziconotide.dose_unit == "ug/day"
    assert ziconotide.concentration_unit == "ug/mL"


def test_max_concentration_in_ug_per_ml():
    assert_allclose(drugs.get_drug("morphine").max_concentration_ug_per_ml, 20_000.0)


def test_max_dose_in_ug_per_day():
    assert_allclose(drugs.get_drug("morphine").max_dose_ug_per_day, 15_000.0)


def test_max_dose_none_when_unknown():
    assert drugs.get_drug("fentanyl").max_dose_ug_per_day is None


def test_max_concentration_none_when_unknown():
    drug = dataclasses.replace(drugs.get_drug("morphine"), max_concentration=None)
    assert drug.max_concentration_ug_per_ml is None


def test_stability_days_ziconotide():
    assert drugs.get_drug("ziconotide").stability_days == 40.0


def test_highest_concentration_uses_maximum():
    assert_allclose(drugs.get_drug("morphine").highest_concentration_ug_per_ml, 20_000.0)


def test_highest_concentration_falls_back_to_highest_strength():
    drug = dataclasses.replace(drugs.get_drug("morphine"), max_concentration=None)
    assert_allclose(drug.highest_concentration_ug_per_ml, 25_000.0)


def test_get_drug_unknown_names_valid_keys():
    with pytest.raises(
        KeyError, match=re.escape("'aspirin' is not in helpers/data/drugs.toml")
    ) as e:
        drugs.get_drug("aspirin")
    for key in drugs.DRUGS:
        assert repr(key) in str(e.value)


def test_prialt_lowest_dose_at_pump_minimum():
    ziconotide = drugs.get_drug("ziconotide")
    undiluted = min(ziconotide.strengths.model_value)
    minimum = pump.get_pump("peristaltic").min_rate_ml_per_day
    assert undiluted == 25.0
    assert minimum == 0.048
    assert_allclose(pump.daily_dose_ug_per_day(minimum, undiluted), 1.2, rtol=1e-12)


def test_prialt_lowest_dose_matches_usual_dose_low_end():
    ziconotide = drugs.get_drug("ziconotide")
    assert_allclose(ziconotide.usual_dose.model_value[0], 1.2)
