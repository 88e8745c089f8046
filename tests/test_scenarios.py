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


@pytest.fixture(autouse=True)
def settings_folder(tmp_path, monkeypatch):
    """Each test's settings folder: the one a class server sets per user."""
    monkeypatch.setenv(scenarios.SETTINGS_DIR_ENV, str(tmp_path))
    return tmp_path


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
    with pytest.raises(ValueError, match=r"cannot write settings\.json .*disk full"):
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


# --- a class server: each student's own folder, files that cannot hurt -------------------


@pytest.mark.parametrize(
    "name",
    [
        "../escape.json",
        "../../../tmp/escape.json",
        "/etc/escape.json",
        "sub/escape.json",
        "sub\\escape.json",
        ".hidden.json",
        "settings.txt",
        "",
        "x" * 200 + ".json",
    ],
)
def test_exports_cannot_leave_the_settings_folder(settings_folder, name):
    panel = RefillExplorer(start_date=START)
    outside = sorted(settings_folder.parent.rglob("*escape*"))
    with pytest.raises(ValueError, match=r"settings files are kept in|file name"):
        panel.export_settings(name)
    assert sorted(settings_folder.parent.rglob("*escape*")) == outside
    assert not any(settings_folder.iterdir())


def test_the_folder_is_the_users_own_by_default(monkeypatch, tmp_path):
    monkeypatch.delenv(scenarios.SETTINGS_DIR_ENV)
    monkeypatch.setenv("HOME", str(tmp_path))
    path = RefillExplorer(start_date=START).export_settings("plan A.json")
    assert path == tmp_path / "itp-settings" / "plan A.json" and path.exists()


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_files_get_the_permissions_the_umask_gives(settings_folder, umask):
    old = os.umask(umask)
    try:
        path = RefillExplorer(start_date=START).export_settings("mine.json")
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_sigterm_during_an_export_leaves_no_temporary_file(settings_folder):
    """A child process exports while SIGTERM arrives at each of many moments."""
    import subprocess
    import sys
    import textwrap

    script = textwrap.dedent(
        f"""
        import os, signal, sys
        import matplotlib; matplotlib.use("Agg")
        from helpers.panels import RefillExplorer, scenarios
        panel = RefillExplorer()
        real_write = os.write
        def write_then_term(handle, data):
            written = real_write(handle, data)
            os.kill(os.getpid(), signal.SIGTERM)  # arrives mid-export, file half made
            return written
        os.write = write_then_term
        panel.export_settings("killed.json", {str(settings_folder)!r})
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert result.returncode == -15, result.stderr.decode()[-500:]  # terminated as asked
    assert sorted(p.name for p in settings_folder.iterdir()) == []  # nothing left behind


def test_a_temporary_file_left_by_sigkill_is_swept_by_the_next_export(settings_folder):
    stale = settings_folder / ".mine.json.part-12345"
    stale.write_text("half a fi")
    RefillExplorer(start_date=START).export_settings("mine.json")
    assert sorted(p.name for p in settings_folder.iterdir()) == ["mine.json"]


def _written(folder, name, document):
    path = folder / name
    path.write_text(document if isinstance(document, str) else json.dumps(document))
    return path


def _valid(panel, **changes):
    document = scenarios.settings(panel)
    document["params"] = {**document["params"], **changes}
    return document


@pytest.mark.parametrize(
    ("make", "words"),
    [
        (
            lambda p: _valid(p, start_date="2026-01-05") | {"params": {"fill_volume_ml": 1e400}},
            "not a finite number",
        ),
        (lambda p: "[" * 30_000 + "]" * 30_000, "nested too deeply"),
        (lambda p: _valid(p) | {"params": [1, 2]}, "no settings"),
        (lambda p: _valid(p) | {"params": {"drug": ["morphine"]}}, "is not one of"),
        (lambda p: _valid(p) | {"params": {"fill_volume_ml": "x" * 50_000}}, "not a number"),
        (lambda p: _valid(p) | {"params": {"y" * 50_000: 1}}, "does not have"),
        (lambda p: _valid(p) | {"units": "mg"}, "units"),
        (lambda p: _valid(p) | {"version": "9" * 50_000}, "version"),
    ],
)
def test_every_malformed_file_is_refused_briefly_and_changes_nothing(settings_folder, make, words):
    panel = RefillExplorer(start_date=START)
    panel.params = moved(panel)
    before = panel.params
    path = _written(settings_folder, "bad.json", make(panel))
    with pytest.raises(ValueError, match=words) as refused:
        panel.import_settings("bad.json")
    assert panel.params == before
    assert len(str(refused.value)) < 400  # never the file's contents echoed back
    assert path.exists()


def test_an_overflowing_whole_number_is_refused_in_every_panel(settings_folder):
    for name, make in sorted(PANELS.items()):
        panel = make()
        whole = [n for n, w in sliders(panel).items() if isinstance(w.value, int)]
        if not whole:
            continue
        before = panel.params
        document = scenarios.settings(panel)
        _written(
            settings_folder,
            "big.json",
            json.dumps(document).replace(
                f'"{whole[0]}": {json.dumps(document["params"][whole[0]])}', f'"{whole[0]}": 1e400'
            ),
        )
        with pytest.raises(ValueError, match="finite"):
            panel.import_settings("big.json")
        assert panel.params == before, name
        plt.close("all")


def test_a_large_file_is_not_read_whole(settings_folder):
    big = settings_folder / "big.json"
    with big.open("w") as file:
        file.write('{"format": "' + "x" * (50 * 1024 * 1024) + '"}')
    panel = RefillExplorer(start_date=START)
    before = panel.params
    with pytest.raises(ValueError, match="larger than 64 KB") as refused:
        panel.import_settings("big.json")
    assert panel.params == before and len(str(refused.value)) < 200


def test_a_folder_without_write_permission_names_the_file_not_a_temporary(
    settings_folder, monkeypatch
):
    def refused(path, *args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(os, "open", refused)  # what a read-only folder answers (root or not)
    with pytest.raises(ValueError, match=r"cannot write mine\.json in .*Permission denied") as err:
        RefillExplorer(start_date=START).export_settings("mine.json")
    assert ".part-" not in str(err.value)
    assert not any(settings_folder.iterdir())
