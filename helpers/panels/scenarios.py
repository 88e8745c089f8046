"""Named scenario presets, and saving and loading a panel's settings as JSON.

Every panel can load a preset (the controls it has take the preset's values), and export
its current settings to a JSON file and import them again. Files live in the student's own
settings folder (``~/itp-settings``, or ``$ITP_SETTINGS_DIR`` on a shared server): names
are checked and nothing is written outside it. A file that cannot be read, is too large,
is not valid JSON, belongs to another panel or holds a value a control cannot take gets a
short message that never repeats the file's contents, and leaves the panel as it was.
Files are written atomically and with the permissions the user's umask gives.
"""

from __future__ import annotations

import datetime
import html
import json
import math
import re
from pathlib import Path

import ipywidgets as widgets

from helpers import data, drugs
from helpers.files import SETTINGS_DIR_ENV, settings_folder  # noqa: F401  (public here too)
from helpers.files import sweep as _sweep
from helpers.files import write_atomically as _write_atomically
from helpers.plotting import text_colour

#: Marks a settings file as ours.
FORMAT = "intrathecal-course-panel-settings"

#: Version of the settings file layout.
VERSION = 1

#: Preset fields applied first, because they re-range other controls.
FIRST = ("drug", "pump", "second")


#: Largest settings file read; a panel's settings take about 1 KB. [byte]
MAX_SETTINGS_BYTES = 64 * 1024

#: A settings file name: letters, digits, spaces, dots, dashes, underscores; no folders.
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._-]{0,78}\.json$")


def _short(value, limit=40):
    """A value as a message may quote it: its repr, cut to ``limit`` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def settings_path(name, folder=None):
    """
    The path of a settings file, checked to stay in the settings folder.

    Parameters
    ----------
    name : str or pathlib.Path
        A file name such as ``"plan A.json"``, or a path inside ``folder``. [-]
    folder : str or pathlib.Path, optional
        The settings folder; default :func:`settings_folder`. [-]

    Returns
    -------
    path : pathlib.Path
        ``folder / name``. [-]

    Raises
    ------
    ValueError
        If the name holds a folder, climbs out (``..``), is absolute outside ``folder``,
        or is not a plain ``.json`` name of at most 80 characters.
    """
    folder = Path(folder) if folder is not None else settings_folder()
    text = str(name).strip()
    if Path(text).is_absolute():
        inside = Path(text).resolve().parent == folder.resolve()
        if not inside:
            raise ValueError(
                f"settings files are kept in {folder}; {_short(text, 60)} is not in it"
            )
        text = Path(text).name
    if not _NAME.match(text):
        raise ValueError(
            f"file name {_short(text, 60)}: use letters, digits, spaces, '.', '-' or '_', "
            "end with .json, at most 80 characters, no folders"
        )
    return folder / text


def preset_names():
    """Dropdown options ``(name, key)`` of every preset in ``data/presets.toml``."""
    return [(entry["name"], key) for key, entry in data.load("presets").items()]


def preset_values(key):
    """
    A preset's settings in the units the panels show.

    Parameters
    ----------
    key : str
        Preset key in ``data/presets.toml``. [-]

    Returns
    -------
    values : dict
        Control name to value: drug, pump, concentration and dose in the drug's own mass
        unit, catheter_length_cm, tip, target, boluses_per_day, and for an admixture
        second and second_concentration. [-]

    Raises
    ------
    KeyError
        If the preset does not exist; the message lists the presets.
    """
    entry = data.lookup("presets", key)
    drug = drugs.get_drug(entry["drug"])
    values = {
        "drug": drug.key,
        "pump": entry["pump"],
        "tip": entry["tip"],
        "target": entry["target"],
        "concentration": drug.to_display(entry["concentration"].model_value),
        "dose": drug.to_display(entry["dose"].model_value),
        "catheter_length_cm": entry["catheter_length"].model_value,
        "boluses_per_day": int(entry["boluses"].model_value),
        "second": entry.get("second", "none"),
    }
    if "second" in entry:
        second = drugs.get_drug(entry["second"])
        values["second_concentration"] = second.to_display(
            entry["second_concentration"].model_value
        )
    return values


def apply_preset(panel, key):
    """
    Set the controls a panel has to a preset's values; the others keep theirs.

    Parameters
    ----------
    panel : helpers.panels.base.Panel
        The panel. [-]
    key : str
        Preset key. [-]

    Returns
    -------
    applied : list of str
        Names of the controls that were set. [-]
    """
    values = preset_values(key)
    units = preset_units(key)
    usable = {}
    for name in (*FIRST, *values):
        widget = panel.widgets.get(name)
        if name not in values or widget is None or name in usable:
            continue
        if hasattr(widget, "options"):
            if values[name] not in _option_values(widget):
                continue
        elif isinstance(values[name], str):
            continue  # a text field (the target region) is not a number for a slider
        elif name in units and "drug" not in usable and control_unit(widget) != units[name]:
            continue  # another drug's strength in another unit: not this panel's drug
        usable[name] = values[name]
    panel.params = usable
    return list(usable)


def _option_values(widget):
    return [option[1] if isinstance(option, tuple) else option for option in widget.options]


def preset_units(key):
    """The display unit of a preset's drug-dependent values (concentration, dose), by name."""
    entry = data.lookup("presets", key)
    drug = drugs.get_drug(entry["drug"])
    units = {"concentration": drug.concentration_unit, "dose": drug.dose_unit}
    if "second" in entry:
        units["second_concentration"] = drugs.get_drug(entry["second"]).concentration_unit
    return units


def _to_json(value):
    return value.isoformat() if isinstance(value, datetime.date) else value


def control_unit(widget):
    """The unit a control shows in brackets at its label's end, in code units (ug), or "". [-]"""
    match = re.search(r"\[([^\[\]]+)\]\s*$", widget.description or "")
    if not match:
        return ""
    shown = match.group(1)
    return shown.replace("µ", "u").replace("²", "2").replace("°C", "degC").replace("±", "+-")


def settings(panel):
    """The panel's settings as a JSON-ready dict, each value with its control's unit. [-]"""
    return {
        "format": FORMAT,
        "version": VERSION,
        "panel": type(panel).__name__,
        "params": {name: _to_json(value) for name, value in panel.params.items()},
        "units": {name: control_unit(widget) for name, widget in panel.widgets.items()},
    }


def _check_units(panel, units):
    """Refuse values whose unit in the file is not the control's unit (mg against ug)."""
    if units is None:
        return  # a file written before units were recorded
    if not isinstance(units, dict):
        raise ValueError("its 'units' are not a table of control to unit")
    for control, unit in units.items():
        if control in panel.widgets and unit != control_unit(panel.widgets[control]):
            raise ValueError(
                f"{control} is in {unit or 'no unit'} in the file but in "
                f"{control_unit(panel.widgets[control]) or 'no unit'} here"
            )


def export_settings(panel, path, folder=None):
    """
    Write a panel's settings to a JSON file in the settings folder, atomically.

    Parameters
    ----------
    panel : helpers.panels.base.Panel
        The panel. [-]
    path : str or pathlib.Path
        A file name, or a path inside the folder (:func:`settings_path`); replaced if it
        exists. [-]
    folder : str or pathlib.Path, optional
        The settings folder; default :func:`settings_folder`, created if missing. [-]

    Returns
    -------
    path : pathlib.Path
        The file written. [-]

    Raises
    ------
    ValueError
        If the name is refused (:func:`settings_path`) or the folder cannot be written.

    Notes
    -----
    The text goes to a temporary name in the same folder, is flushed to disk, and then
    replaces the target in one rename, so a reader never sees half a file [1]_. The
    temporary file is removed on any error and on SIGTERM (then the process terminates as
    asked); only SIGKILL, which no program can catch, can leave it, and the next export of
    that name sweeps it away. The file gets the permissions the user's umask gives.

    References
    ----------
    .. [1] Python documentation, ``os.replace`` and ``signal``.
    """
    path = settings_path(path, folder)
    text = json.dumps(settings(panel), indent=2).encode("utf-8")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _sweep(path)
        _write_atomically(path, text)
    except OSError as err:
        raise ValueError(
            f"cannot write {path.name} in {path.parent}: {err.strerror or err}"
        ) from None
    return path


def _checked(widget, name, value):
    """A value from a file, converted for a control, or a ValueError saying why not."""
    if isinstance(widget, widgets.DatePicker):
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise ValueError(f"{name}: {_short(value)} is not a date like 2026-01-31") from None
    if hasattr(widget, "options"):
        choices = _option_values(widget)
        if not isinstance(value, str | int | float) or value not in choices:
            raise ValueError(f"{name}: {_short(value)} is not one of {choices}")
        return value
    if isinstance(widget.value, bool):
        if not isinstance(value, bool):
            raise ValueError(f"{name}: {_short(value)} is not true or false")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name}: {_short(value)} is not a number")
    if not math.isfinite(value) or abs(value) > 1e300:
        raise ValueError(f"{name}: {_short(value)} is not a finite number")
    if isinstance(widget.value, int) and value != int(value):
        raise ValueError(f"{name}: {_short(value)} is not a whole number")
    low, high = widget.min, widget.max
    if isinstance(widget, widgets.FloatLogSlider):
        low, high = widget.base**low, widget.base**high
    if not low * (1 - 1e-12) <= value <= high * (1 + 1e-12):
        raise ValueError(f"{name} = {value:g} is outside the control's range [{low:g}, {high:g}]")
    return type(widget.value)(value)


def import_settings(panel, path, folder=None):
    """
    Load a panel's settings from a JSON file written by :func:`export_settings`.

    Parameters
    ----------
    panel : helpers.panels.base.Panel
        The panel. [-]
    path : str or pathlib.Path
        A file name, or a path inside the folder (:func:`settings_path`). [-]
    folder : str or pathlib.Path, optional
        The settings folder; default :func:`settings_folder`. [-]

    Returns
    -------
    params : dict
        The settings now in the panel. [-]

    Raises
    ------
    ValueError
        If the name is refused, the file cannot be read, is larger than
        :data:`MAX_SETTINGS_BYTES`, is not valid JSON (or nested too deeply), is not a
        settings file for this panel, or holds a value a control cannot take; the panel is
        then unchanged, and the message quotes at most a few characters of the file.
    """
    path = settings_path(path, folder)
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_SETTINGS_BYTES + 1)
    except OSError as err:
        raise ValueError(f"cannot read {path.name}: {err.strerror or err}") from None
    if len(raw) > MAX_SETTINGS_BYTES:
        raise ValueError(
            f"{path.name} is larger than {MAX_SETTINGS_BYTES // 1024} KB; a settings file "
            "of this course is about 1 KB"
        )
    try:
        document = json.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValueError(f"{path.name} is not a valid settings file (not UTF-8 text)") from None
    except json.JSONDecodeError as err:
        raise ValueError(
            f"{path.name} is not a valid settings file (not JSON: {err.msg} at line "
            f"{err.lineno}, column {err.colno})"
        ) from None
    except RecursionError:
        raise ValueError(f"{path.name} is not a valid settings file (nested too deeply)") from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ValueError(f"{path.name} is not a settings file of this course")
    if document.get("version") != VERSION:
        raise ValueError(
            f"{path.name} has version {_short(document.get('version'))}; expected {VERSION}"
        )
    if document.get("panel") != type(panel).__name__:
        raise ValueError(
            f"{path.name} holds settings of {_short(document.get('panel'))}, not of "
            f"{type(panel).__name__}"
        )
    params = document.get("params")
    if not isinstance(params, dict):
        raise ValueError(f"{path.name} has no settings ('params')")
    unknown = sorted(set(params) - set(panel.widgets))
    if unknown:
        shown = ", ".join(_short(name, 30) for name in unknown[:5])
        more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
        raise ValueError(f"{path.name} names controls this panel does not have: {shown}{more}")
    before = panel.params
    ordered = {n: params[n] for n in (*FIRST, *params) if n in params}
    try:
        # Controls that re-range others go first; each value is checked against its control.
        panel.params = {
            n: _checked(panel.widgets[n], n, v) for n, v in ordered.items() if n in FIRST
        }
        _check_units(panel, document.get("units"))
        panel.params = {n: _checked(panel.widgets[n], n, v) for n, v in ordered.items()}
        if panel.message.value:
            raise ValueError("the model cannot compute these settings")
    except (ValueError, TypeError, ArithmeticError, RecursionError) as err:
        panel.params = before
        text = str(err)
        raise ValueError(f"{path.name}: {text if len(text) <= 300 else text[:299] + '…'}") from None
    return panel.params


def _shown_folder(folder):
    """A folder as a student reads it: ``~/itp-settings`` rather than the full path."""
    try:
        return "~/" + str(Path(folder).resolve().relative_to(Path.home().resolve()))
    except ValueError:
        return str(folder)


class ScenarioBar:
    """
    A row of widgets to load a preset and to export or import a panel's settings.

    Parameters
    ----------
    panel : helpers.panels.base.Panel
        The panel the bar acts on. [-]
    filename : str, default "my_settings.json"
        The file name the buttons write and read, in the settings folder. [-]
    folder : str or pathlib.Path, optional
        The settings folder; default :func:`settings_folder` (one per user). [-]
    """

    def __init__(self, panel, filename="my_settings.json", folder=None):
        self.panel = panel
        self.folder = folder
        from helpers.panels.base import SLIDER_STYLE, dropdown_width  # base imports this module

        options = [("(choose a scenario)", ""), *preset_names()]
        self.preset = widgets.Dropdown(
            description="Scenario",
            options=options,
            value="",
            style=SLIDER_STYLE,
            layout=widgets.Layout(width=dropdown_width([label for label, _ in options])),
        )
        self.filename = widgets.Text(value=filename, description="File")
        self.export_button = widgets.Button(description="Export settings", icon="download")
        self.import_button = widgets.Button(description="Import settings", icon="upload")
        self.status = widgets.HTML()
        self.preset.observe(self._on_preset, names="value")
        self.export_button.on_click(lambda _: self._run(self._export))
        self.import_button.on_click(lambda _: self._run(self._import))

    def _on_preset(self, change):
        if change["new"]:
            self._run(lambda: self._load(change["new"]))

    def _load(self, key):
        applied = apply_preset(self.panel, key)
        name = dict((k, n) for n, k in preset_names())[key]
        self._say(f"Loaded {name}: {len(applied)} controls set.")

    def _export(self):
        path = export_settings(self.panel, self.filename.value, self.folder)
        self._say(f"Saved the settings as {path.name} in {_shown_folder(path.parent)}.")

    def _import(self):
        path = settings_path(self.filename.value, self.folder)
        import_settings(self.panel, path, self.folder)
        self._say(f"Loaded the settings from {path.name} in {_shown_folder(path.parent)}.")

    def _say(self, text, error=False):
        colour = text_colour("#D55E00" if error else "#009E73")
        self.status.value = f"<span style='color:{colour}'>{html.escape(text)}</span>"

    def _run(self, action):
        try:
            action()
        except (ValueError, KeyError, OSError) as err:
            self._say(f"Nothing changed: {err}", error=True)

    def show(self):
        """The bar as one widget."""
        return widgets.VBox(
            [
                widgets.HBox([self.preset, self.filename]),
                widgets.HBox([self.export_button, self.import_button]),
                self.status,
            ]
        )
