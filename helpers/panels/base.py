"""Shared machinery of the widget panels: controls, readouts, findings, safe redraws.

A panel owns a name-to-widget dict, a ``params`` dict with a setter, and one figure made
once. Each control change calls the panel's model update, which only changes the data of
existing artists and asks for one redraw. Any error is shown in the panel as a sentence,
never as a traceback.
"""

from __future__ import annotations

import contextlib
import html
import logging
import math
import pathlib
import re
import weakref

import ipywidgets as widgets
from IPython.display import display
from traitlets import validate

from helpers import figure_text, plotting, units
from helpers.panels import controls, scenarios
from helpers.panels.access import AccessibilityLayer
from helpers.plotting import SEVERITY_COLOURS, Blitter

#: Formats :meth:`Panel.save_figure` writes, by file suffix.
SAVE_FORMATS = ("png", "pdf", "svg")

LOG = logging.getLogger(__name__)

#: How the readouts name what sets the refill-by day (``RefillPlan.limited_by``).
LIMIT_TEXT = {"alarm": "low-reservoir alarm", "stability": "drug's stability limit"}

SLIDER_STYLE = {"description_width": "13em"}

#: Panels with more controls than this flow them in columns, readouts under the figure. [-]
COMPACT_CONTROLS = 4
SLIDER_LAYOUT = widgets.Layout(width="34em")


#: The declared range each slider was built from (read by the tests). [-]
SLIDER_RANGES = weakref.WeakKeyDictionary()

SLIDERS = (widgets.FloatSlider, widgets.IntSlider, widgets.FloatLogSlider)

#: The round values a log slider stops at, per decade: the steps clinicians write
#: (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 x 10^k), so 10 mg/mL and 3 mg/day are exact. [-]
ROUND_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0)

#: Readout of a log slider: plain digits, trailing zeros trimmed, never 1.31e+3 (d3-format
#: with no type). No thousands separator: the slider reads a typed "1,310" as 1. [-]
LOG_READOUT = ".5"


def round_stops(low, high):
    """
    The round values between two bounds, the bounds included.

    Parameters
    ----------
    low, high : float
        Slider bounds, ``0 < low <= high``. [display unit]

    Returns
    -------
    stops : list of float
        ``ROUND_STEPS`` x 10^k inside ``[low, high]``, ascending, with ``low`` and
        ``high``. [display unit]
    """
    stops = {float(low), float(high)}
    for exponent in range(math.floor(math.log10(low)) - 1, math.ceil(math.log10(high)) + 1):
        for step in ROUND_STEPS:
            value = float(f"{step * 10.0**exponent:.12g}")
            if low <= value <= high:
                stops.add(value)
    return sorted(stops)


#: A value with at most this many significant digits was written by a person (typed, a
#: preset, a saved setting) and is kept exactly; a slider position has many more. [-]
WRITTEN_DIGITS = 4


def _clean(value):
    """``value`` without floating-point residue (0.30000000000000004 -> 0.3)."""
    return float(f"{value:.12g}")


def is_written(value):
    """True if ``value`` has at most :data:`WRITTEN_DIGITS` significant digits."""
    digits = f"{abs(_clean(value)):.12e}".split("e")[0].replace(".", "").rstrip("0")
    return len(digits) <= WRITTEN_DIGITS


def snap_to_round(value, low, high, current=None):
    """
    Where a log slider lands: a written value as it is, a slider position on a round value.

    Parameters
    ----------
    value : float
        The value the browser or the code proposes. [display unit]
    low, high : float
        The slider's bounds. [display unit]
    current : float, optional
        The value before the move: a move that rounds back onto it goes one round value
        further in its direction, so arrow keys step 8, 10, 12, 15. [display unit]

    Returns
    -------
    value : float
        ``value`` itself if it has at most :data:`WRITTEN_DIGITS` significant digits (10,
        0.43, 12.5 typed or preset stay exact), else the nearest value of
        :func:`round_stops` on a log scale. [display unit]
    """
    if not (math.isfinite(value) and value > 0) or is_written(value):
        return _clean(value) if math.isfinite(value) else value
    stops = round_stops(low, high)
    index = min(range(len(stops)), key=lambda i: abs(math.log(stops[i] / value)))
    if current is not None and value > current >= stops[index]:
        index = next((i for i, stop in enumerate(stops) if stop > current), index)
    elif current is not None and value < current <= stops[index]:
        index = next((i for i in reversed(range(len(stops))) if stops[i] < current), index)
    return stops[index]


#: How near two positions on the browser's slider count as one: the same stop, or a value
#: mid-way between two stops (a tie, either stop then being the browser's copy of it); far
#: above the float error of either side's arithmetic (1e-8 of a step), far below anything
#: a key moves. [step]
TIE_STEPS = 1e-6


#: Browser step of a log slider: fine enough that the browser's copy of a value on its
#: step grid reads as the value (490, not 489.99), and one arrow-key press is one step,
#: which the kernel turns into the next round value. [decade]
LOG_STEP = 1e-7


def _hold(widget, value):
    """Note ``value`` as the value the slider holds, and return it."""
    widget._held = value
    return value


def _same(old, new):
    """Whether a control's reported change leaves its value as it was."""
    try:
        return type(old) is type(new) and bool(old == new)
    except (TypeError, ValueError):  # values without a plain equality
        return False


class BoundsFirst:
    """
    A slider that sends its bounds before its value when several change at once.

    ipywidgets sends the names held by ``hold_sync`` as a set, in hash order, which
    changes from one kernel to the next. The browser applies a message's keys in order:
    a new value applied before the new bounds is clipped to the old bounds and the clipped
    number sent back, so a drug change could leave baclofen's start and target dose at the
    bottom of its range (30 µg/day) in some kernels and not in others.
    """

    def send_state(self, key=None):
        if key is not None and not isinstance(key, str):
            key = sorted(key, key=lambda name: name == "value")
        super().send_state(key)


class QuietGridCopy:
    """
    A slider that does not answer the browser's copy of the value it holds.

    The browser keeps a slider's value on its step grid: told 5, a log slider moves to its
    nearest step and sends back 4.99999995, which the kernel validates back to 5.
    ipywidgets then sent 5 again, the browser rounded it again, and so on: every value
    the kernel set bounced between them, and an arrow key pressed during the bounce was
    overwritten (the slider did not move: 2 of 10 Voila pages in one run of the browser
    tests).
    The grid copy is now taken as the browser's picture of the value held and left
    unanswered; a value the kernel changed (a step snapped to the next round value, a
    value clipped to the bounds) is still sent back.

    References
    ----------
    .. [1] ipywidgets 8.1 source, ``Widget.notify_change`` and
       ``Widget._should_send_property``: after a browser update, a property whose
       validated value differs from the one the browser sent is sent back.
    """

    def _is_grid_copy(self, sent, held):
        """True if ``sent`` is the browser's copy of ``held``: held moved onto the step grid."""
        raise NotImplementedError

    def _should_send_property(self, key, value):
        sent = self._property_lock.get(key) if key == "value" else None
        if isinstance(sent, (int, float)) and sent != value and self._is_grid_copy(sent, value):
            if self._holding_sync:
                self._states_to_send.discard(key)
            return False
        return super()._should_send_property(key, value)


class RoundLogSlider(QuietGridCopy, BoundsFirst, widgets.FloatLogSlider):
    """
    A base-10 log slider that stops at round clinical values (:data:`ROUND_STEPS`) when
    dragged or stepped in the browser, and keeps exactly any value typed there with up to
    four significant digits (19.25, 1440), and any value set from Python.
    """

    @validate("value")
    def _validate_value(self, proposal):
        value = super()._validate_value(proposal)
        if "value" not in self._property_lock:
            # Set from Python (a preset, a reaction, a computed value such as the bridge
            # rate): kept exactly. Only what the browser sends is snapped.
            return _hold(self, _clean(value))
        low, high = _clean(self.base**self.min), _clean(self.base**self.max)
        held = getattr(self, "_held", None)
        if held is not None and self._is_grid_copy(value, held):
            return _hold(self, held)
        return _hold(self, snap_to_round(value, low, high, held))

    def _browser_stops(self, position):
        """
        The places the browser's slider can stop (a step of its grid from ``min``, or
        ``max`` itself) nearest to ``position``: one, or two on a tie. [log10 of the value]
        """
        position = min(max(position, self.min), self.max)
        below = self.min + math.floor((position - self.min) / self.step) * self.step
        # The top of the range is a stop even off the grid (19.2 µg/day on a grid from
        # 0.1): an arrow key down from it lands on the grid point below, a real move.
        above = min(below + self.step, self.max)
        nearest = min(position - below, above - position)
        return [
            stop
            for stop in (below, above)
            if abs(stop - position) <= nearest + TIE_STEPS * self.step
        ]

    def _is_grid_copy(self, sent, held):
        """
        True if ``sent`` is the browser's copy of ``held``: held moved to the nearest place
        the browser's slider can stop.
        """
        if not (self.step and held > 0 and sent > 0 and math.isfinite(sent)):
            return False
        where = self._browser_stops(math.log10(sent))[0]
        return any(
            abs(where - copy) <= TIE_STEPS * self.step
            for copy in self._browser_stops(math.log10(held))
        )


class RoundFloatSlider(QuietGridCopy, BoundsFirst, widgets.FloatSlider):
    """A slider whose value never carries floating-point residue (0.1 + 0.2 shows 0.3)."""

    @validate("value")
    def _validate_value(self, proposal):
        value = super()._validate_value(proposal)
        value = _clean(value) if math.isfinite(value) else value
        return _hold(self, value)

    def _is_grid_copy(self, sent, held):
        """True if ``sent`` is ``held`` with floating-point residue (0.30000000000000004)."""
        return math.isfinite(sent) and _clean(sent) == held


class OrderedIntSlider(BoundsFirst, widgets.IntSlider):
    """An integer slider that sends its bounds before its value (:class:`BoundsFirst`)."""


#: The class :func:`slider` builds for each requested slider class.
_ROUND = {
    widgets.FloatLogSlider: RoundLogSlider,
    widgets.FloatSlider: RoundFloatSlider,
    widgets.IntSlider: OrderedIntSlider,
}


def slider(cls, description, rng=None, **kwargs):
    """
    A slider with the collection's layout, its bounds from a declared range.

    Parameters
    ----------
    cls : type
        ``FloatSlider``, ``IntSlider`` or ``FloatLogSlider`` (base 10).
    description : str
        The label; it names the unit in brackets.
    rng : helpers.validation.Range, optional
        The slider's declared range (:func:`helpers.ranges.control`). A log slider whose
        range depends on the drug may leave it out and get it from :func:`set_log_slider`.
    **kwargs
        ``step``, ``value``, ``readout_format``...; never ``min`` or ``max``.
    """
    if {"min", "max"} & set(kwargs):
        raise TypeError(
            f"slider {description!r}: bounds come from a declared range (helpers.ranges), "
            "not from min= or max="
        )
    if rng is None and cls is not widgets.FloatLogSlider:
        raise TypeError(f"slider {description!r} needs its declared range")
    if rng is not None:
        if cls is widgets.FloatLogSlider:
            kwargs.update(base=10, min=math.log10(rng.low), max=math.log10(rng.high))
        else:
            kwargs.update(min=rng.low, max=rng.high)
    if cls is widgets.FloatLogSlider:
        kwargs.setdefault("readout_format", LOG_READOUT)
        kwargs["step"] = LOG_STEP
    widget = _ROUND.get(cls, cls)(
        description=units.pretty_unit(description),
        style=SLIDER_STYLE,
        layout=SLIDER_LAYOUT,
        continuous_update=True,
        **kwargs,
    )
    if rng is not None:
        SLIDER_RANGES[widget] = rng
    return widget


def set_range(widget, rng, value, description=None):
    """
    Re-range a slider to a declared range and set its value in one message.

    Parameters
    ----------
    widget : ipywidgets.FloatSlider, IntSlider or FloatLogSlider
        The slider; a log slider gets ``log10`` of the bounds.
    rng : helpers.validation.Range
        The new declared range (display units).
    value : float
        The new value, inside the range.
    description : str, optional
        A new label.
    """
    log = isinstance(widget, widgets.FloatLogSlider)
    lo, hi = (math.log10(rng.low), math.log10(rng.high)) if log else (rng.low, rng.high)
    # One message to the browser: bounds and value sent apart let the browser clip the
    # value to the old bounds and send that back.
    with widget.hold_sync():
        widget.min, widget.max = min(widget.min, lo), max(widget.max, hi)
        widget.value = value
        widget.min, widget.max = lo, hi
        if log:
            widget.step = LOG_STEP
            widget.readout_format = LOG_READOUT
        if description is not None:
            widget.description = units.pretty_unit(description)
    SLIDER_RANGES[widget] = rng


def set_log_slider(widget, rng, value, description):
    """Re-range a base-10 log slider to a declared range (display units) and set its value."""
    set_range(widget, rng, value, description)


def set_dose_slider(widget, drug):
    """Re-range a daily-dose log slider for a drug (:func:`controls.dose_range`) and reset it."""
    set_log_slider(
        widget,
        controls.dose_control(drug),
        controls.dose_range(drug)[2],
        f"Daily dose [{drug.dose_unit}]",
    )


def set_first_fill_option(checkbox, drug):
    """Grey out (and clear) a "first fill of a new pump" box for drugs without that rule."""
    checkbox.disabled = drug.first_fill is None
    if checkbox.disabled:
        checkbox.value = False


def range_drug_sliders(widgets_by_name, drug):
    """Re-range the ``concentration`` and ``dose`` log sliders to a drug's units and defaults."""
    set_log_slider(
        widgets_by_name["concentration"],
        controls.concentration_control(drug),
        controls.concentration_range(drug)[2],
        f"Concentration [{drug.concentration_unit}]",
    )
    set_dose_slider(widgets_by_name["dose"], drug)


def dropdown(description, options, value):
    """A dropdown with the collection's layout, wide enough to show its longest choice."""
    shown = [(units.pretty_unit(o[0]), o[1]) if isinstance(o, tuple) else o for o in options]
    return widgets.Dropdown(
        description=units.pretty_unit(description),
        options=shown,
        value=value,
        style=SLIDER_STYLE,
        layout=widgets.Layout(
            width=dropdown_width([o[0] if isinstance(o, tuple) else o for o in shown])
        ),
    )


#: Width of one character of a dropdown's text, and the room for its arrow. [em]
CHARACTER_EM, ARROW_EM = 0.6, 3.0


def dropdown_width(labels):
    """
    The CSS width of a dropdown that shows its longest choice whole.

    Parameters
    ----------
    labels : iterable of str
        The choices as shown. [-]

    Returns
    -------
    width : str
        At least the sliders' width (34em); wider by the longest label. [em]
    """
    longest = max((len(str(label)) for label in labels), default=0)
    needed = 13.0 + ARROW_EM + CHARACTER_EM * longest
    return f"{max(34, math.ceil(needed))}em"


def _people(text):
    """Text for people: HTML-escaped, with µg, µL, cm², °C and ± (units in code stay ASCII)."""
    return html.escape(units.pretty_unit(str(text)))


def readout_table(rows):
    """
    HTML table of readouts.

    Parameters
    ----------
    rows : iterable of (str, str)
        Label and value-with-unit pairs.

    Returns
    -------
    html : str
        A two-column table with the class ``itp-readout``.
    """
    body = "".join(
        f"<tr><td style='padding:2px 12px 2px 0'>{_people(label)}</td>"
        f"<td style='padding:2px 0'><b>{_people(value)}</b></td></tr>"
        for label, value in rows
    )
    return f"<table class='itp-readout' style='font-size:1.05em'>{body}</table>"


_ROW = re.compile(r"<tr><td[^>]*>(.*?)</td><td[^>]*><b>(.*?)</b></td></tr>", re.S)


def readout_rows(table_html):
    """
    The (label, value) pairs of a :func:`readout_table`, as plain text.

    Parameters
    ----------
    table_html : str
        HTML made by :func:`readout_table` (anything else gives no rows). [-]

    Returns
    -------
    rows : list of (str, str)
        Labels and values with the course typography (µg), tags and entities removed. [-]

    Examples
    --------
    >>> readout_rows(readout_table([("Dose", "3 ug/day"), ("Days to alarm", "60")]))
    [('Dose', '3 µg/day'), ('Days to alarm', '60')]
    """
    return [
        tuple(html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in row)
        for row in _ROW.findall(table_html or "")
    ]


#: Background of a finding's box; its severity label is darkened to WCAG AA on it.
FINDING_BACKGROUND = "#f7f7f7"


def findings_html(findings):
    """
    HTML boxes for safety findings: a coloured border plus a written severity label.

    Parameters
    ----------
    findings : iterable of helpers.safety.Finding
        The findings to show, most serious first.

    Returns
    -------
    html : str
        One box per finding, or a short "no warnings" line.
    """
    boxes = []
    for finding in findings:
        colour = SEVERITY_COLOURS[finding.severity]
        boxes.append(
            f"<div class='itp-finding itp-{finding.severity}' style='border-left:6px solid "
            f"{colour};padding:4px 10px;margin:4px 0;background:{FINDING_BACKGROUND}'>"
            f"<b style='color:{plotting.text_colour(colour, FINDING_BACKGROUND)}'>"
            f"{finding.severity.upper()}</b> "
            f"{_people(finding.message)}<br><small>Source: "
            f"{_people(finding.source)}</small></div>"
        )
    if not boxes:
        return "<div class='itp-finding itp-none'>No warnings for this program.</div>"
    return "".join(boxes)


def error_html(message):
    """HTML for an input the model rejected, phrased for a student."""
    return (
        "<div class='itp-error' style='border-left:6px solid #D55E00;padding:4px 10px'>"
        f"<b>This setting cannot be computed:</b> {_people(message)}</div>"
    )


#: Panels by (notebook cell id, panel class, order within the cell): (execution, panel),
#: so that a cell run again closes the panels its previous run built.
_PANELS_BY_CELL = {}


def get_execution_count():
    """The kernel's execution count now (a new one for every run of a cell), or None."""
    try:
        from IPython import get_ipython

        return get_ipython().execution_count
    except AttributeError:
        return None


def _running_cell():
    """The id of the notebook cell the kernel is running now, or None outside a notebook."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
        parent = shell.kernel.get_parent() if shell is not None else None
    except AttributeError:  # a plain IPython shell or no kernel
        return None
    metadata = (parent or {}).get("metadata") or {}
    return metadata.get("cellId")


class Panel:
    """
    Base class of the widget panels.

    Subclasses build ``self.widgets`` and their figure in ``__init__``, then call
    :meth:`_connect`; they implement :meth:`_update`, which reads ``self.params``, calls
    the models, updates artists and readouts, and calls :meth:`_redraw`.

    A panel built again by re-running its notebook cell replaces the one that cell built
    before: the old panel's figures are closed (no pile of open figures) and its controls
    with them.
    """

    def __init__(self):
        self.widgets = {}
        self.readout = widgets.HTML()
        self.findings = widgets.HTML()
        self.message = widgets.HTML()
        # What the figure shows now, in words: read out by screen readers after every
        # change (a polite live region, helpers.panels.access); its numbers as a table.
        self.description = widgets.HTML()
        self.description.add_class("itp-description")
        self.figure_data = widgets.HTML()
        self.figures = ()
        self.blitters = {}
        self.update_count = 0
        self._muted = False
        self._outputs = {}

    @property
    def params(self):
        """Current control values, by name."""
        return {name: widget.value for name, widget in self.widgets.items()}

    @params.setter
    def params(self, values):
        unknown = set(values) - set(self.widgets)
        if unknown:
            raise KeyError(
                f"unknown panel controls {sorted(unknown)}; known: {sorted(self.widgets)}"
            )
        self._muted = True
        try:
            for name, value in values.items():
                self._set_control(name, value)
        finally:
            self._muted = False
        self.refresh()

    @contextlib.contextmanager
    def restored(self):
        """
        Run a check on this panel and put its controls back as they were afterwards.

        A notebook's check cells use it, so Run All leaves every panel at the start its
        text documents, whatever values the check tried.

        Examples
        --------
        ``with explorer.restored(): explorer.params = {"dose": 3.0}``
        """
        saved = self.params
        first = [name for name in scenarios.FIRST if name in saved]
        try:
            yield self
        finally:
            self.params = {name: saved[name] for name in (*first, *saved)}

    def load_preset(self, key):
        """Set the controls this panel has to a named preset (``data/presets.toml``)."""
        return scenarios.apply_preset(self, key)

    def export_settings(self, path, folder=None):
        """Write the current settings to a JSON file in the settings folder, atomically."""
        return scenarios.export_settings(self, path, folder)

    def import_settings(self, path, folder=None):
        """Load settings from the settings folder; a bad file changes nothing (ValueError)."""
        return scenarios.import_settings(self, path, folder)

    def scenario_bar(self):
        """A row of widgets to load a preset and to export or import the settings."""
        return scenarios.ScenarioBar(self).show()

    def _reactions(self):
        """
        Per control name, a function that re-ranges other controls when it changes.

        A panel with a ``drug`` dropdown and an ``_apply_drug(key)`` method re-ranges its
        drug sliders when the drug changes; panels add their own reactions to these.
        """
        if "drug" in self.widgets and hasattr(self, "_apply_drug"):
            return {"drug": self._apply_drug}
        return {}

    def _start(self, drug=None):
        """Build the figure, apply the starting drug if any, connect the controls, draw."""
        self._build_figure()
        if drug is not None:
            self._apply_drug(drug)
        self._connect()

    def _set_control(self, name, value):
        reaction = self._reactions().get(name)
        if reaction is not None:
            reaction(value)
        self.widgets[name].value = value

    def _connect(self):
        for name, widget in self.widgets.items():
            widget.observe(lambda change, name=name: self._on_change(name, change), names="value")
        self.refresh()

    def _on_change(self, name, change):
        if self._muted or _same(change["old"], change["new"]):
            # A browser's copy of a value (300.0000000000001) validated back to the value
            # held is reported by traitlets as a change from 300 to 300: nothing to redraw.
            return
        reaction = self._reactions().get(name)
        if reaction is not None:
            self._muted = True
            try:
                reaction(change["new"])
            finally:
                self._muted = False
        self.refresh()

    def refresh(self):
        """Recompute and redraw from the current controls; report errors in the panel."""
        try:
            self._update()
        except ValueError as err:
            self.message.value = error_html(str(err))
            self.description.value = _people(f"The figure was not updated: {err}")
        except Exception as err:  # a widget must never show a traceback
            LOG.exception("panel update failed")
            self.message.value = error_html(f"unexpected problem ({type(err).__name__}: {err})")
            self.description.value = "The figure was not updated because of an unexpected problem."
        else:
            self.message.value = ""
            self._describe()
        self.update_count += 1

    def describe(self):
        """
        What the figure shows now, in sentences for a person who cannot see it.

        Panels say what matters in their own words where a curve's ends do not tell it
        (the day the alarm sounds, the front reaching the tip); the default reads every
        labelled curve of the figures (:func:`helpers.figure_text.describe_figure`).

        Returns
        -------
        text : str
            Plain text with units. [-]
        """
        return figure_text.describe_figure(self.figures)

    def _describe(self):
        """Refresh the live description (figure, then the first readouts) and the table."""
        shown = "; ".join(
            f"{label}: {value}" for label, value in readout_rows(self.readout.value)[:3]
        )
        text = " ".join(t for t in (self.describe(), f"Readouts: {shown}." if shown else "") if t)
        self.description.value = _people(text)
        self.figure_data.value = figure_text.figure_data_html(self.figures)

    def _update(self):
        raise NotImplementedError

    def _replace_panel_of_this_cell(self):
        """Close the panel this notebook cell built the last time it ran, if any."""
        cell = _running_cell()
        if cell is None:
            return
        execution = get_execution_count()
        same = [k for k in _PANELS_BY_CELL if k[0] == cell and k[1] == type(self).__name__]
        stale = [k for k in same if _PANELS_BY_CELL[k][0] != execution]
        for key in stale:
            _PANELS_BY_CELL.pop(key)[1].close()
        order = sum(1 for k in _PANELS_BY_CELL if k[0] == cell and k[1] == type(self).__name__)
        _PANELS_BY_CELL[(cell, type(self).__name__, order)] = (execution, self)

    def close(self):
        """Close the panel's figures and controls; a closed panel no longer updates."""
        import matplotlib.pyplot as plt

        for blitter in self.blitters.values():
            blitter.stop()
        for fig in self.figures:
            plt.close(fig)
        for widget in (*self.widgets.values(), self.readout, self.findings, self.message):
            widget.close()

    def _register_figure(self, fig, changing_artists):
        """Track a panel figure and the artists its updates change; its text for people."""
        plotting.typeset(fig)
        if not self.figures:
            self._replace_panel_of_this_cell()
        self.figures = (*self.figures, fig)
        self.blitters[id(fig)] = Blitter(fig, changing_artists)

    def _redraw(self, full=False):
        for fig in self.figures:
            output = self._outputs.get(id(fig))
            if output is not None:
                with output:
                    output.clear_output(wait=True)
                    display(fig)
            elif full:
                self.blitters[id(fig)].full_redraw()
            else:
                self.blitters[id(fig)].update()

    def _figure_widget(self, fig):
        """The figure's canvas if it is a widget (ipympl), else an Output showing it."""
        if isinstance(fig.canvas, widgets.DOMWidget):
            return fig.canvas
        self.blitters[id(fig)].stop()
        output = self._outputs.setdefault(id(fig), widgets.Output())
        with output:
            display(fig)
        return output

    def save_figure(self, path, figure=0, **savefig_kwargs):
        """
        Save a figure of the panel as it shows now: PNG for slides, PDF or SVG for handouts.

        Parameters
        ----------
        path : str or pathlib.Path
            File to write; its suffix (``.png``, ``.pdf`` or ``.svg``) sets the format. [-]
        figure : int, default 0
            Which of the panel's figures, in the order they appear. [-]
        **savefig_kwargs
            Passed to :meth:`matplotlib.figure.Figure.savefig`; PNG defaults to 200 dpi. [-]

        Returns
        -------
        path : pathlib.Path
            The file written. [-]

        Raises
        ------
        ValueError
            If the suffix is not a supported format or the panel has no such figure.

        Examples
        --------
        In a notebook cell, after the panel: ``panel.save_figure("refill.png")``.
        """
        path = pathlib.Path(path)
        suffix = path.suffix.lower().lstrip(".")
        if suffix not in SAVE_FORMATS:
            raise ValueError(
                f"path = {str(path)!r} has the suffix {path.suffix!r}; use one of "
                f"{', '.join('.' + f for f in SAVE_FORMATS)}"
            )
        if (
            isinstance(figure, bool)
            or not isinstance(figure, int)
            or not (0 <= figure < len(self.figures))
        ):
            raise ValueError(
                f"figure = {figure!r} is not a figure of this panel; allowed range is 0 to "
                f"{len(self.figures) - 1}"
            )
        options = {"dpi": 200} if suffix == "png" else {}
        self.figures[figure].savefig(path, format=suffix, **(options | savefig_kwargs))
        return path

    def show(self):
        """
        The panel as one widget, laid out so a slider and its figure are seen together.

        A panel with at most :data:`COMPACT_CONTROLS` controls shows them beside its
        readouts, the figure below. A panel with more flows its controls in as many
        columns as the width holds (two on a laptop), then any error, the figure, the
        readouts and the warnings: on a 1366x768 laptop every slider and the top of the
        figure it moves fit the notebook area together.
        """
        controls = list(self.widgets.values())
        plots = [self._figure_widget(fig) for fig in self.figures]
        # The figure's words right under it; the keyboard support rides along (hidden).
        plots = [*plots, self.description, self.figure_data, AccessibilityLayer()]
        if len(controls) <= COMPACT_CONTROLS:
            top = widgets.HBox(
                [widgets.VBox(controls), self.readout],
                layout=widgets.Layout(flex_flow="row wrap", grid_gap="1em"),
            )
            box = widgets.VBox([top, *plots, self.message, self.findings])
        else:
            flow = widgets.HBox(
                controls, layout=widgets.Layout(flex_flow="row wrap", column_gap="1em")
            )
            box = widgets.VBox([flow, self.message, *plots, self.readout, self.findings])
        box.add_class("itp-panel")
        return box
