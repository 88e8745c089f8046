"""Scenario presets, and export and import of every panel's settings."""

import json
import os

import matplotlib.pyplot as plt
import pytest

from helpers import data, exercises
from helpers.panels import ExplorerPanel, RefillExplorer, scenarios
from tests.test_panels import PANELS, START, sliders

PRESETS = sorted(data.load("presets"))


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def moved(panel):
    """Settings with one control changed, so an import has something to undo."""
    for name, widget in sliders(panel).items():
        if getattr(widget, "disabled", False):
            continue
        value = widget.value
        other = widget.base**widget.min if hasattr(widget, "base") else widget.min
        if other != value:
            return {name: other}
    return {}


@pytest.mark.parametrize("name", sorted(PANELS))
def test_export_then_import_round_trips_exactly(name, tmp_path):
    panel = PANELS[name]()
    path = panel.export_settings(tmp_path / "settings.json")
    saved = panel.params
    panel.params = moved(panel)
    panel.import_settings(path)
    assert panel.params == saved
    assert panel.message.value == ""


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{ not json", "not a valid settings file"),
        ("[1, 2]", "not a settings file"),
        ('{"format": "other"}', "not a settings file"),
    ],
)
def test_a_corrupt_file_is_refused_and_changes_nothing(tmp_path, text, words):
    panel = RefillExplorer(start_date=START)
    before = panel.params
    path = tmp_path / "bad.json"
    path.write_text(text)
    with pytest.raises(ValueError, match=words):
        panel.import_settings(path)
    assert panel.params == before


def document(panel, **params):
    return {
        "format": scenarios.FORMAT,
        "version": scenarios.VERSION,
        "panel": type(panel).__name__,
        "params": params,
    }


@pytest.mark.parametrize(
    ("params", "words"),
    [
        ({"nonsense": 1}, "does not have"),
        ({"dose": "a lot"}, "not a number"),
        ({"dose": 1e9}, "outside the control's range"),
        ({"drug": "aspirin"}, "is not one of"),
        ({"start_date": "yesterday"}, "not a date"),
    ],
)
def test_a_bad_value_is_refused_and_changes_nothing(tmp_path, params, words):
    panel = RefillExplorer(start_date=START)
    before = panel.params
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(document(panel, **params)))
    with pytest.raises(ValueError, match=words):
        panel.import_settings(path)
    assert panel.params == before


def test_settings_of_another_panel_are_refused(tmp_path):
    path = ExplorerPanel(start_date=START).export_settings(tmp_path / "explorer.json")
    panel = RefillExplorer(start_date=START)
    with pytest.raises(ValueError, match="not of RefillExplorer"):
        panel.import_settings(path)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ValueError, match="cannot read"):
        RefillExplorer(start_date=START).import_settings(tmp_path / "absent.json")


def test_writing_is_atomic(tmp_path, monkeypatch):
    panel = RefillExplorer(start_date=START)
    path = panel.export_settings(tmp_path / "settings.json")
    original = path.read_text()
    panel.params = moved(panel)

    def fail(*args):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(OSError):
        panel.export_settings(path)
    assert path.read_text() == original  # the old file is intact
    assert sorted(p.name for p in tmp_path.iterdir()) == ["settings.json"]  # no leftovers


@pytest.mark.parametrize("key", PRESETS)
def test_every_preset_loads_into_the_explorer(key):
    panel = ExplorerPanel(start_date=START)
    applied = panel.load_preset(key)
    values = scenarios.preset_values(key)
    assert {"drug", "pump", "concentration", "dose", "tip", "target"} <= set(applied)
    for name in applied:
        assert panel.params[name] == pytest.approx(values[name]), name
    assert panel.message.value == ""


def test_a_preset_sets_only_the_controls_a_panel_has():
    panel = RefillExplorer(start_date=START)
    applied = panel.load_preset("spasticity_baclofen")
    assert set(applied) == {"drug", "pump", "concentration", "dose"}
    assert panel.params["drug"] == "baclofen" and panel.params["dose"] == pytest.approx(300.0)


def test_an_unknown_preset_names_the_valid_ones():
    with pytest.raises(KeyError, match="cancer_morphine"):
        RefillExplorer(start_date=START).load_preset("nonsense")


def test_the_scenario_bar_loads_saves_and_reports_errors(tmp_path):
    panel = ExplorerPanel(start_date=START)
    bar = scenarios.ScenarioBar(panel, filename=str(tmp_path / "mine.json"))
    bar.preset.value = "child_baclofen"
    assert "Loaded A child on baclofen" in bar.status.value
    assert panel.params["drug"] == "baclofen"
    bar.export_button.click()
    assert "Saved" in bar.status.value
    (tmp_path / "mine.json").write_text("{ broken")
    before = panel.params
    bar.import_button.click()
    assert "Nothing changed" in bar.status.value and panel.params == before


def test_an_exercise_solution_gives_the_answer_and_the_method():
    exercise = exercises.actuation_exercise()
    assert f"Answer: {exercise.expected:.3g} {exercise.unit}." in exercise.solution()
    assert exercise.worked in exercise.solution()  # the method, step by step


@pytest.mark.parametrize("name", sorted(PANELS))
def test_exported_settings_carry_the_unit_of_every_control(name, tmp_path):
    panel = PANELS[name]()
    document = json.loads(panel.export_settings(tmp_path / "s.json").read_text())
    assert set(document["units"]) == set(panel.params)
    for control, widget in panel.widgets.items():
        if "[" in (widget.description or ""):
            assert document["units"][control], control


def test_a_dose_in_another_mass_unit_is_refused(tmp_path):
    panel = RefillExplorer(start_date=START)
    path = panel.export_settings(tmp_path / "settings.json")
    document = json.loads(path.read_text())
    dose = next(n for n, u in document["units"].items() if u.startswith("mg/"))
    document["units"][dose] = document["units"][dose].replace("mg", "µg")
    path.write_text(json.dumps(document))
    before = panel.params
    with pytest.raises(ValueError, match=f"{dose} is in µg"):
        panel.import_settings(path)
    assert panel.params == before


def test_settings_of_another_drug_bring_their_own_units(tmp_path):
    source = RefillExplorer(start_date=START)
    source.params = {"drug": "ziconotide"}
    path = source.export_settings(tmp_path / "ziconotide.json")
    panel = RefillExplorer(start_date=START)
    panel.import_settings(path)
    assert panel.params == source.params
