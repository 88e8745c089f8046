"""
What a figure shows, as text: for screen readers, for students who cannot see a colour
or a thin line, and for anyone who wants the numbers.

Every axis label of the course names its unit in brackets (``"time [day]"``,
:func:`helpers.plotting.label`), so the lines of a figure can be read out with their
units: where each labelled curve starts and ends, its highest and lowest point, and the
level of each labelled threshold line. Panels add their own sentences where a person
would say more (the day the alarm sounds, the front reaching the tip).

References
----------
.. [1] W3C, "Complex images," WAI Images Tutorial (text alternatives and data tables).
.. [2] W3C, WCAG 2.2, Success Criterion 1.1.1 Non-text Content.
"""

from __future__ import annotations

import html
import re

import numpy as np
from matplotlib.collections import PathCollection

from helpers import units

_LABEL = re.compile(r"^\s*(?P<name>.*?)\s*\[(?P<unit>[^\]]*)\]\s*$", re.S)

#: Points per curve in the figure's data table. [-]
TABLE_POINTS = 6


def split_label(text):
    """
    The name and unit of an axis label written ``"name [unit]"``.

    Parameters
    ----------
    text : str
        An axis label; line breaks count as spaces. [-]

    Returns
    -------
    name, unit : str
        Unit without brackets, in the course typography (µg, cm², °C); ``""`` when the
        label has none, and ``"-"`` (dimensionless) becomes ``""``. [-]

    References
    ----------
    .. [1] A. B. Downey, "Think DSP," Green Tea Press, 2016 (axis labels with units).

    Examples
    --------
    >>> split_label("reservoir volume [mL]")
    ('reservoir volume', 'mL')
    >>> split_label("dose\\n[ug/day]")
    ('dose', 'µg/day')
    """
    text = " ".join(str(text).split())
    match = _LABEL.match(text)
    if not match:
        return text, ""
    unit = units.pretty_unit(match["unit"].strip())
    return match["name"], "" if unit in ("-", "") else unit


def number(value):
    """
    A value as people read it: three significant digits, no e-notation, no trailing zeros.

    Parameters
    ----------
    value : float
        The value. [any]

    Returns
    -------
    text : str
        E.g. ``"60"``, ``"0.154"``, ``"1,250"``, ``"-3.5"``. [-]

    References
    ----------
    .. [1] W3C, "Complex images," WAI Images Tutorial (numbers in text alternatives).

    Examples
    --------
    >>> [number(v) for v in (60.0, 0.15437, 1249.6, -3.5, 0.0)]
    ['60', '0.154', '1,250', '-3.5', '0']
    """
    value = float(value)
    if not np.isfinite(value):
        return str(value)
    if abs(value) < 0.0005:  # e.g. 4e-12 of a dose: nothing a person would read out
        return "0"
    digits = max(0, 2 - int(np.floor(np.log10(abs(value)))))
    rounded = round(value, digits)
    if digits == 0:
        return f"{rounded:,.0f}"
    return f"{rounded:,.{digits}f}".rstrip("0").rstrip(".")


def _with_unit(value, unit):
    return f"{number(value)} {unit}".strip()


def _curves(ax):
    """Visible, labelled lines of an axes with at least one finite point."""
    found = []
    for line in ax.get_lines():
        label = str(line.get_label())
        if not line.get_visible() or label.startswith("_"):
            continue
        x = np.asarray(line.get_xdata(), dtype=float)
        y = np.asarray(line.get_ydata(), dtype=float)
        if x.shape != y.shape:  # axhline/axvline with two points in axes coordinates
            x, y = np.broadcast_arrays(x, y)
        finite = np.isfinite(x) & np.isfinite(y)
        if finite.any():
            found.append((label, x[finite], y[finite], line))
    return found


def describe_curve(label, x, y, x_label, y_label):
    """
    One sentence about one curve: its level, or where it starts, ends and peaks.

    Parameters
    ----------
    label : str
        The curve's legend label. [-]
    x, y : numpy.ndarray
        Its finite points. [axis units]
    x_label, y_label : str
        The axis labels, ``"name [unit]"``. [-]

    Returns
    -------
    sentence : str
        E.g. ``"reservoir: from 20 mL at days since refill 0 to 2 mL at days since refill
        60."`` [-]

    References
    ----------
    .. [1] W3C, "Complex images," WAI Images Tutorial (short description of a chart's trend).
    """
    x_name, x_unit = split_label(x_label)
    _, y_unit = split_label(y_label)
    label = units.pretty_unit(label)

    def at(value):
        """A position on the x axis: "days since refill 60", "time 54.8 h", "x = 0.3"."""
        unit = "" if not x_unit or x_unit.rstrip("s") in x_name else x_unit
        return f"{x_name} {_with_unit(value, unit)}" if x_name else f"x = {number(value)}"

    if np.ptp(y) == 0:
        if np.ptp(x) == 0:
            return f"{label}: {_with_unit(y[0], y_unit)} at {at(x[0])}."
        return f"{label}: {_with_unit(y[0], y_unit)} throughout."
    if np.ptp(x) == 0:
        return f"{label}: at {at(x[0])}."
    parts = [
        f"from {_with_unit(y[0], y_unit)} at {at(x[0])}",
        f"to {_with_unit(y[-1], y_unit)} at {at(x[-1])}",
    ]
    steps = np.diff(y)
    if np.all(steps >= 0) or np.all(steps <= 0):  # rises or falls throughout
        half = int(np.argmax(np.abs(y - y[0]) >= np.abs(y[-1] - y[0]) / 2))
        parts.append(f"half-way at {at(x[half])}")
    top, bottom = int(np.argmax(y)), int(np.argmin(y))
    if 0 < top < len(y) - 1 and y[top] > max(y[0], y[-1]):
        parts.append(f"highest {_with_unit(y[top], y_unit)} at {at(x[top])}")
    if 0 < bottom < len(y) - 1 and y[bottom] < min(y[0], y[-1]):
        parts.append(f"lowest {_with_unit(y[bottom], y_unit)} at {at(x[bottom])}")
    return f"{label}: " + ", ".join(parts) + "."


def _point_sets(ax):
    """Visible, labelled scatter plots of an axes: (label, offsets) with finite points."""
    found = []
    for collection in ax.collections:
        label = str(collection.get_label())
        if not collection.get_visible() or label.startswith("_"):
            continue
        if not isinstance(collection, PathCollection):
            continue
        points = np.asarray(collection.get_offsets(), dtype=float).reshape(-1, 2)
        found.append((label, points[np.isfinite(points).all(axis=1)]))
    return found


def describe_points(label, points, x_label):
    """
    One sentence about a scatter of events: how many, and over which span of x.

    Parameters
    ----------
    label : str
        The legend label. [-]
    points : numpy.ndarray
        Finite (x, y) points, shape (n, 2). [axis units]
    x_label : str
        The x-axis label, ``"name [unit]"``. [-]

    Returns
    -------
    sentence : str
        E.g. ``"refill: 12 points, from years since implant 0.1 to 9.8."`` [-]

    References
    ----------
    .. [1] W3C, "Complex images," WAI Images Tutorial (short description of a chart).
    """
    label = units.pretty_unit(label)
    x_name, _ = split_label(x_label)
    if len(points) == 0:
        return f"{label}: none."
    where = f"{x_name} " if x_name else "x = "
    if len(points) == 1:
        return f"{label}: 1 point, at {where}{number(points[0, 0])}."
    low, high = points[:, 0].min(), points[:, 0].max()
    return f"{label}: {len(points)} points, from {where}{number(low)} to {number(high)}."


def describe_axes(ax):
    """
    Sentences about the labelled curves of one axes, headed by what the axes plots.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        The axes. [-]

    Returns
    -------
    sentences : list of str
        Empty when the axes has no labelled curve with data. [-]

    References
    ----------
    .. [1] W3C, "Complex images," WAI Images Tutorial (short description of a chart).
    """
    curves, point_sets = _curves(ax), _point_sets(ax)
    if not curves and not point_sets:
        return []
    x_label, y_label = ax.get_xlabel(), ax.get_ylabel()
    y_name, _ = split_label(y_label)
    x_name, _ = split_label(x_label)
    head = " ".join(ax.get_title().split())
    if not head:
        head = f"{y_name} against {x_name}" if y_name and x_name else (y_name or x_name)
    head = f"Plot of {head}" if head else "Plot"
    return (
        [f"{units.pretty_unit(head)}."]
        + [describe_curve(label, x, y, x_label, y_label) for label, x, y, _ in curves]
        + [describe_points(label, points, x_label) for label, points in point_sets]
    )


def describe_figure(figures):
    """
    What the figures show, as sentences.

    Parameters
    ----------
    figures : iterable of matplotlib.figure.Figure
        A panel's figures. [-]

    Returns
    -------
    text : str
        The sentences of every axes in order; ``""`` when nothing is labelled. [-]

    References
    ----------
    .. [1] W3C, WCAG 2.2, Success Criterion 1.1.1 Non-text Content.
    """
    sentences = []
    for fig in figures:
        for ax in fig.axes:
            if ax.get_visible():
                sentences.extend(describe_axes(ax))
    return " ".join(sentences)


def _sample(x, y, points):
    if len(x) <= points:
        return x, y
    index = np.unique(np.linspace(0, len(x) - 1, points).round().astype(int))
    return x[index], y[index]


def figure_data_html(figures, points=TABLE_POINTS):
    """
    The figures' labelled curves as small tables, folded under a "Figure data" summary.

    Parameters
    ----------
    figures : iterable of matplotlib.figure.Figure
        A panel's figures. [-]
    points : int, default :data:`TABLE_POINTS`
        Rows per curve, evenly spread over its points (first and last kept). [-]

    Returns
    -------
    html : str
        A ``<details>`` element with one captioned table per curve; ``""`` when no
        curve varies. [-]

    References
    ----------
    .. [1] W3C, "Complex images," WAI Images Tutorial (long description as a data table).
    """
    tables = []
    for fig in figures:
        for ax in fig.axes:
            x_label, y_label = ax.get_xlabel(), ax.get_ylabel()
            for label, x, y, _ in _curves(ax):
                if len(x) < 2 or (np.ptp(x) == 0 or np.ptp(y) == 0):
                    continue
                xs, ys = _sample(x, y, points)
                head = "".join(
                    f"<th scope='col'>{html.escape(units.pretty_unit(' '.join(t.split())))}</th>"
                    for t in (x_label, y_label)
                )
                body = "".join(
                    f"<tr><td>{number(a)}</td><td>{number(b)}</td></tr>"
                    for a, b in zip(xs, ys, strict=True)
                )
                caption = html.escape(units.pretty_unit(label))
                tables.append(f"<table><caption>{caption}</caption><tr>{head}</tr>{body}</table>")
    if not tables:
        return ""
    return (
        "<details class='itp-figure-data'><summary>Figure data as a table</summary>"
        + "".join(tables)
        + "</details>"
    )
