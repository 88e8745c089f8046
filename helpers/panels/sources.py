"""Tables of the sourced figures a notebook shows, each marked verified or teaching assumption."""

from __future__ import annotations

import html

import ipywidgets as widgets

from helpers import data


def _value_text(quantity):
    if isinstance(quantity, data.Fact):
        return quantity.statement
    value = quantity.value
    if isinstance(value, tuple):
        return ", ".join(f"{v:g}" for v in value) + f" {quantity.unit}"
    return f"{value:g} {quantity.unit}"


def sources_table(*keys):
    """
    An HTML table of data-file values with their status and source.

    Parameters
    ----------
    *keys : str
        Dotted keys ``"file.entry.field"`` or ``"file.entry"``, e.g.
        ``"pumps.peristaltic.min_rate"``.

    Returns
    -------
    table : ipywidgets.HTML
        One row per value: what, value with unit, "verified" or "teaching assumption",
        and the source.

    Raises
    ------
    KeyError
        If a key does not name a value in the data files.
    """
    rows = []
    for key in keys:
        name, entry, *field = key.split(".")
        record = data.lookup(name, entry)
        quantity = record[field[0]] if field else record
        status = quantity.status
        style = "" if quantity.verified else " style='color:#D55E00'"
        rows.append(
            f"<tr><td>{html.escape(key)}</td><td>{html.escape(_value_text(quantity))}</td>"
            f"<td{style}><b>{status}</b></td><td>{html.escape(quantity.source)}</td></tr>"
        )
    header = "<tr><th>Figure</th><th>Value</th><th>Status</th><th>Source</th></tr>"
    return widgets.HTML(
        f"<table class='itp-sources' style='font-size:0.9em'>{header}{''.join(rows)}</table>"
    )


def calibration_table():
    """
    The spread model against each data set it is calibrated on, as an HTML table.

    Returns
    -------
    table : ipywidgets.HTML
        One row per data set: what was measured, the dispersion that reproduces it, and
        what the course's default (human) and the pig fit give. [-]
    """
    from helpers import spine  # local: the tables module stays light for other notebooks

    human, pig = spine.human_dispersion(), spine.pig_dispersion()
    fits = spine.fit_human()
    ratios = data.lookup("spine", "lumbar_cisternal_ratio").model_value
    rows = [
        (
            "In-111 DTPA, 72 h, L2 tip (Kroin 1993)",
            "T2 at 43 % of T12",
            fits["DTPA 72 h (Kroin 1993)"],
            f"{spine.calibrate_human_dtpa(human).model:.0f} %",
        ),
        (
            "Morphine, L2 tip (PMID 3530119)",
            f"lumbar:cisternal about {ratios[0]:g} : 1",
            fits["lumbar:cisternal, L2 tip"],
            f"{spine.lumbar_cisternal_ratio('L2', human):.1f} : 1",
        ),
        (
            "Morphine, T10 tip (PMID 3530119)",
            f"lumbar:cisternal about {ratios[1]:g} : 1",
            fits["lumbar:cisternal, T10 tip"],
            f"{spine.lumbar_cisternal_ratio('T10', human):.1f} : 1",
        ),
    ]
    body = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{html.escape(measured)}</td>"
        f"<td>{fit:,.0f} cm²/day</td><td>{html.escape(model)}</td></tr>"
        for name, measured, fit, model in rows
    )
    pig_row = spine.calibrate_pig_morphine()
    body += (
        "<tr><td>Animal comparison: morphine in pigs (Flack 2011)</td>"
        f"<td>{html.escape(pig_row.measured)}</td><td>{pig:,.0f} cm²/day</td>"
        f"<td>spread length {pig_row.model:.1f} cm with the pig fit</td></tr>"
    )
    header = (
        "<tr><th>Data set</th><th>Measured</th><th>Dispersion that reproduces it</th>"
        f"<th>Course default ({human:,.0f} cm²/day)</th></tr>"
    )
    caption = (
        "<caption>The spread model against its data: the human fits disagree, so the "
        "course uses their geometric middle and shows their span as a band.</caption>"
    )
    return widgets.HTML(
        f"<table class='itp-sources' style='font-size:0.9em'>{caption}{header}{body}</table>"
    )
