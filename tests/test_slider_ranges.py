"""Every slider's bounds come from a declared range that lies inside the model's range."""

import math

import ipywidgets as widgets
import matplotlib.pyplot as plt
import pytest

from helpers import drugs, ranges
from helpers.panels import REGISTRY, build
from helpers.panels import controls as panel_controls
from helpers.panels.base import SLIDER_RANGES, SLIDERS, slider
from helpers.validation import Range


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def all_widgets(root):
    """The widget tree under ``root``, depth first."""
    stack = [root]
    while stack:
        widget = stack.pop()
        yield widget
        stack.extend(getattr(widget, "children", ()))


def panel_sliders(panel):
    return [w for w in all_widgets(panel.show()) if isinstance(w, SLIDERS)]


def bounds(widget):
    if isinstance(widget, widgets.FloatLogSlider):
        return widget.base**widget.min, widget.base**widget.max
    return widget.min, widget.max


def assert_declared(widget):
    assert widget in SLIDER_RANGES, f"slider {widget.description!r} has hard-coded bounds"
    rng = SLIDER_RANGES[widget]
    low, high = bounds(widget)
    assert math.isclose(low, rng.low, rel_tol=1e-9), widget.description
    assert math.isclose(high, rng.high, rel_tol=1e-9), widget.description
    while rng.parent is not None:  # inside the model's range, in the model's unit
        rng.parent.check(rng.low * rng.scale)
        rng.parent.check(rng.high * rng.scale)
        rng = rng.parent


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_slider_of_every_panel_has_its_declared_bounds(name):
    found = panel_sliders(build(name))
    assert found, f"{name} has no slider"
    for widget in found:
        assert_declared(widget)


def test_sliders_keep_declared_bounds_for_every_drug():
    with_drug = 0
    for name in sorted(REGISTRY):
        panel = build(name)
        if "drug" not in panel.widgets:
            continue
        with_drug += 1
        for key in [value for _, value in panel.widgets["drug"].options]:
            panel.widgets["drug"].value = key
            for widget in panel_sliders(panel):
                assert_declared(widget)
        plt.close("all")
    assert with_drug >= 10


def test_every_declared_control_lies_inside_its_model_range():
    for key, rng in ranges.CONTROLS.items():
        assert rng.low < rng.high, key
        assert rng.source, key
        if rng.parent is not None:
            rng.parent.check(rng.low * rng.scale, key)
            rng.parent.check(rng.high * rng.scale, key)


def test_every_declared_control_is_used_by_a_panel():
    used = set()
    for name in REGISTRY:
        for widget in panel_sliders(build(name)):
            rng = SLIDER_RANGES.get(widget)
            while rng is not None:  # a range narrowed at run time counts for its control
                used.add(id(rng))
                rng = rng.parent
        plt.close("all")
    unused = [key for key, rng in ranges.CONTROLS.items() if id(rng) not in used]
    assert not unused


def test_a_slider_with_hard_coded_bounds_is_refused():
    with pytest.raises(TypeError, match="declared range"):
        slider(widgets.FloatSlider, "Fill volume [mL]", min=1.0, max=40.0)
    with pytest.raises(TypeError, match="declared range"):
        slider(widgets.FloatSlider, "Fill volume [mL]")


def test_a_control_outside_the_model_range_is_refused_at_declaration():
    volume = Range("volume_ml", 0.0, 60.0, "mL", "test")
    with pytest.raises(ValueError, match="volume_ml slider bound = 61 mL is outside"):
        volume.within(1.0, 61.0, "too big")
    with pytest.raises(ValueError, match="must be below"):
        volume.within(5.0, 5.0, "empty")


def test_unit_scaled_control_is_checked_in_the_model_unit():
    dose = Range("dose_ug_per_day", 0.0, 1000.0, "ug/day", "test", low_inclusive=False)
    assert dose.within(0.1, 1.0, "mg", unit="mg/day", scale=1000.0).unit == "mg/day"
    with pytest.raises(ValueError, match="2000 ug/day is outside"):
        dose.within(0.1, 2.0, "mg", unit="mg/day", scale=1000.0)


@pytest.mark.parametrize("key", drugs.DRUGS)
def test_drug_sliders_are_declared_inside_the_model_ranges(key):
    drug = drugs.get_drug(key)
    conc, dose = panel_controls.concentration_control(drug), panel_controls.dose_control(drug)
    assert (conc.low, conc.high) == panel_controls.concentration_range(drug)[:2]
    assert (dose.low, dose.high) == panel_controls.dose_range(drug)[:2]
    capped = panel_controls.dose_control(drug, capped=True)
    if drug.max_dose is not None:
        assert capped.high <= drug.to_display(drug.max_dose_ug_per_day)
