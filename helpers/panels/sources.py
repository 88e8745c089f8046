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
