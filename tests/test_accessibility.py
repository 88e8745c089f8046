"""Accessibility from Python: figure descriptions, text contrast, colour never alone.

The browser suite checks the page itself (axe-core, keyboard walk, names and values read
by assistive technology); these tests check what the panels put on it.
"""

from __future__ import annotations

import datetime
import itertools

import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib.collections import PathCollection
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from helpers import figure_text, plotting
from helpers.panels import REGISTRY, build
from helpers.panels.access import AccessibilityLayer
from helpers.panels.base import readout_rows, readout_table

START = datetime.date(2026, 1, 5)


@pytest.fixture(params=sorted(REGISTRY))
def panel(request):
    built = build(request.param, START)
    yield built
    built.close()
    plt.close("all")


# --- figure_text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("reservoir volume [mL]", ("reservoir volume", "mL")),
        ("dose\n[ug/day]", ("dose", "µg/day")),
        ("share [-]", ("share", "")),
        ("no unit here", ("no unit here", "")),
        ("area [cm2]", ("area", "cm²")),
    ],
)
def test_axis_labels_split_into_name_and_unit(label, expected):
    assert figure_text.split_label(label) == expected


@pytest.mark.parametrize(
    ("value", "text"),
    [(60.0, "60"), (0.15437, "0.154"), (1249.6, "1,250"), (-3.5, "-3.5"), (4e-12, "0")],
)
def test_numbers_are_read_with_three_significant_digits_and_no_e_notation(value, text):
    assert figure_text.number(value) == text


def test_a_falling_line_is_read_from_its_start_to_its_end_with_units():
    days = np.linspace(0.0, 60.0, 61)
    sentence = figure_text.describe_curve(
        "reservoir", days, 20.0 - 0.3 * days, "days since refill [day]", "volume [mL]"
    )
    assert sentence == (
        "reservoir: from 20 mL at days since refill 0, to 2 mL at days since refill 60, "
        "half-way at days since refill 30."
    )


def test_a_peak_inside_the_curve_is_named():
    hours = np.linspace(0.0, 24.0, 97)
    level = hours * np.exp(-hours / 3.0)  # highest at 3 h: 3/e
    sentence = figure_text.describe_curve("drug A", hours, level, "time [h]", "level [%]")
    assert "highest 1.1 % at time 3 h" in sentence


def test_reference_lines_are_read_as_a_level_and_a_position():
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([0, 60], [20, 2], label="reservoir")
    ax.axhline(2.0, label="alarm")
    ax.axvline(57.0, label="refill by")
    plotting.label(ax, "days since refill [day]", "volume [mL]")
    text = figure_text.describe_figure([fig])
    assert text.startswith("Plot of volume against days since refill.")
    assert "alarm: 2 mL throughout." in text
    assert "refill by: at days since refill 57." in text


def test_unlabelled_and_hidden_curves_are_left_out():
    fig = Figure()
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1])  # no label: decoration
    ax.plot([0, 1], [1, 0], label="hidden")[0].set_visible(False)
    assert figure_text.describe_figure([fig]) == ""
    assert figure_text.figure_data_html([fig]) == ""


def test_the_data_table_samples_each_curve_first_and_last_kept():
    fig = Figure()
    ax = fig.add_subplot()
    x = np.arange(101.0)
    ax.plot(x, 2 * x, label="line")
    plotting.label(ax, "time [h]", "volume [uL]")
    table = figure_text.figure_data_html([fig], points=5)
    assert table.count("<tr><td>") == 5
    assert "<td>0</td><td>0</td>" in table and "<td>100</td><td>200</td>" in table
    assert "<caption>line</caption>" in table and "volume [µL]" in table


def test_readout_rows_read_back_the_readout_table():
    rows = [("Dose", "3 ug/day"), ("Days to alarm", "60 (fast 52, slow 70)"), ("A & B", "<1")]
    assert readout_rows(readout_table(rows)) == [
        ("Dose", "3 µg/day"),
        ("Days to alarm", "60 (fast 52, slow 70)"),
        ("A & B", "<1"),
    ]


# --- every panel ------------------------------------------------------------------------------


def test_each_panel_shows_a_description_and_the_keyboard_layer(panel):
    box = panel.show()
    assert "itp-panel" in box._dom_classes
    flat = list(_walk(box))
    assert panel.description in flat and panel.figure_data in flat
    assert sum(isinstance(w, AccessibilityLayer) for w in flat) == 1
    assert "itp-description" in panel.description._dom_classes


def _walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _walk(child)


def test_each_panel_description_states_its_first_readouts(panel):
    text = panel.description.value
    assert text.strip(), "empty description"
    for label, value in readout_rows(panel.readout.value)[:3]:
        assert f"{label}: {value}" in _plain(text)


def _plain(html_text):
    import html
    import re

    return html.unescape(re.sub(r"<[^>]+>", "", html_text))


def _sliders(panel):
    return {
        name: w
        for name, w in panel.widgets.items()
        if hasattr(w, "readout_format") and not getattr(w, "disabled", False)
    }


def _positions(widget):
    low, high = widget.min, widget.max
    spots = [low + 0.3 * (high - low), low + 0.7 * (high - low)]
    if hasattr(widget, "base"):
        return [widget.base**p for p in spots]
    return spots


def test_each_panel_description_follows_every_slider_that_changes_its_figure(panel):
    if not panel.figures:
        pytest.skip("a panel without a figure")
    start = panel.params
    for name, widget in _sliders(panel).items():
        for value in _positions(widget):
            before_pixels = _pixels(panel)
            before_text = panel.description.value
            widget.value = value
            if panel.message.value:  # this combination is refused, with a message
                continue
            if not all(
                np.array_equal(a, b) for a, b in zip(before_pixels, _pixels(panel), strict=True)
            ):
                assert panel.description.value != before_text, (
                    f"{type(panel).__name__}: moving {name} to {value} changed the figure "
                    "but not its description"
                )
        panel.params = {name: start[name]}


def _pixels(panel):
    return [panel.blitters[id(fig)].snapshot() for fig in panel.figures]


def test_text_in_every_figure_meets_wcag_aa_contrast(panel):
    for fig in panel.figures:
        fig.canvas.draw()
        for text in fig.findobj(matplotlib.text.Text):
            if not text.get_visible() or not text.get_text().strip():
                continue
            patch = text.get_bbox_patch()
            background = (
                patch.get_facecolor() if patch is not None else (text.axes or fig).get_facecolor()
            )
            ratio = plotting.contrast_ratio(text.get_color(), background)
            assert ratio >= plotting.TEXT_CONTRAST, (
                f"{type(panel).__name__}: {text.get_text()!r} has contrast {ratio:.2f}"
            )


def _look(handle):
    """What tells a legend entry apart besides its colour."""
    if isinstance(handle, Line2D):
        return ("line", handle.get_linestyle(), handle.get_marker(), handle.get_linewidth())
    if isinstance(handle, PathCollection):
        path = handle.get_paths()[0]
        return ("markers", tuple(np.round(path.vertices, 3).ravel()))
    if isinstance(handle, BarContainer):
        handle = handle.patches[0]
    if isinstance(handle, Patch):
        return ("area", type(handle).__name__, handle.get_fill(), handle.get_hatch())
    return (type(handle).__name__,)


def test_colour_never_carries_meaning_alone(panel):
    """Entries of one legend differ in line style, marker, fill or hatch, not only colour."""
    for fig in panel.figures:
        for ax in fig.axes:
            handles, labels = ax.get_legend_handles_labels()
            for (h1, l1), (h2, l2) in itertools.combinations(zip(handles, labels, strict=True), 2):
                assert _look(h1) != _look(h2), (
                    f"{type(panel).__name__}: {l1!r} and {l2!r} differ only in colour"
                )


def test_text_colour_keeps_the_hue_and_reaches_aa():
    for colour in plotting.OKABE_ITO.values():
        darker = plotting.text_colour(colour)
        assert plotting.contrast_ratio(darker) >= plotting.TEXT_CONTRAST
        if plotting.contrast_ratio(colour) >= plotting.TEXT_CONTRAST:
            assert darker.lower() == colour.lower()
