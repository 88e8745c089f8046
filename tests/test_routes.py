import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose

from helpers import routes

MG = 1000.0  # ug per mg

# The published chain oral : IV : epidural : intrathecal = 300 : 100 : 10 : 1 (mg/day).
CHAIN_MG = {"oral": 300.0, "iv": 100.0, "epidural": 10.0, "intrathecal": 1.0}


def central(doses):
    return {route: values[0] for route, values in doses.items()}


def test_300_mg_oral_is_1_mg_intrathecal():
    doses = routes.equivalent_doses(300 * MG, "oral")
    assert doses["intrathecal"][0] == 1 * MG


def test_default_route_is_oral():
    assert routes.equivalent_doses(300 * MG) == routes.equivalent_doses(300 * MG, "oral")


def test_every_route_returned_as_central_low_high():
    doses = routes.equivalent_doses(300 * MG)
    assert set(doses) == set(routes.ROUTES)
    for values in doses.values():
        assert len(values) == 3


@pytest.mark.parametrize("route", routes.ROUTES)
def test_chain_from_each_route(route):
    doses = routes.equivalent_doses(CHAIN_MG[route] * MG, route)
    for other, expected_mg in CHAIN_MG.items():
        assert_allclose(doses[other][0], expected_mg * MG, rtol=1e-15, err_msg=other)


@pytest.mark.parametrize("route", routes.ROUTES)
def test_input_route_central_is_the_input(route):
    doses = routes.equivalent_doses(7.5 * MG, route)
    assert_allclose(doses[route][0], 7.5 * MG, rtol=1e-15)


def test_central_doses_decrease_along_routes():
    values = [central(routes.equivalent_doses(300 * MG))[r] for r in routes.ROUTES]
    assert values == sorted(values, reverse=True)


def test_measured_oral_range_for_1_mg_intrathecal():
    # Observed oral : IT ratios of 10:1 to 125:1 (J Jpn Soc Pain Clin 2023).
    _, low, high = routes.equivalent_doses(1 * MG, "intrathecal")["oral"]
    assert_allclose([low, high], [10 * MG, 125 * MG], rtol=1e-15)


def test_iv_range_from_oral_to_iv_spread():
    # 300 mg oral is 100 mg IV at 3:1 and 150 mg IV at 2:1.
    central_iv, low, high = routes.equivalent_doses(300 * MG, "oral")["iv"]
    assert_allclose([central_iv, low, high], [100 * MG, 100 * MG, 150 * MG], rtol=1e-15)


def test_iv_range_same_for_any_input_route():
    expected = routes.equivalent_doses(1 * MG, "intrathecal")["iv"]
    for route in routes.ROUTES:
        got = routes.equivalent_doses(CHAIN_MG[route] * MG, route)["iv"]
        assert_allclose(got, expected, rtol=1e-15, err_msg=route)


@pytest.mark.parametrize("route", ["epidural", "intrathecal"])
def test_neuraxial_ranges_are_single_values(route):
    values = routes.equivalent_doses(300 * MG)[route]
    assert values[0] == values[1] == values[2]


def test_ranges_ordered_low_to_high():
    for values in routes.equivalent_doses(300 * MG).values():
        assert values[1] <= values[2]


@pytest.mark.parametrize("route", ["subcutaneous", "IV", "Oral", "it", ""])
def test_unknown_route_raises(route):
    with pytest.raises(ValueError, match=r"route = .* is unknown; use one of .*intrathecal"):
        routes.equivalent_doses(1 * MG, route)


@pytest.mark.parametrize("dose", [0.0, -1.0, float("nan"), float("inf"), 2e6])
def test_invalid_dose_raises(dose):
    with pytest.raises(ValueError, match=r"dose_ug_per_day = .* ug/day"):
        routes.equivalent_doses(dose, "oral")


@settings(deadline=None, max_examples=50)
@given(
    dose=st.floats(1.0, 1e4),
    scale=st.floats(0.01, 100.0),
    route=st.sampled_from(routes.ROUTES),
)
def test_scaling_is_linear(dose, scale, route):
    base = routes.equivalent_doses(dose, route)
    scaled = routes.equivalent_doses(dose * scale, route)
    for key in routes.ROUTES:
        assert_allclose(scaled[key], [scale * v for v in base[key]], rtol=1e-12, err_msg=key)
