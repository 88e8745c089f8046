"""Tables of the sourced figures a notebook shows, each marked verified or teaching assumption."""

from __future__ import annotations

import html
import re

import ipywidgets as widgets
import numpy as np

from helpers import data, units

#: Words of the data files' field names, as people write them. [-]
_WORDS = {
    "max": "maximum",
    "min": "minimum",
    "csf": "CSF",
    "mri": "MRI",
    "iv": "IV",
    "ptc": "patient controller",
    "rct": "randomised trial",
    "dtpa": "DTPA",
    "ug": "µg",
}

#: Working notes in a source text: kept in the data files, not shown to students. [-]
_NOTE = re.compile(
    r"facts\.md|seed article|not readable|could not be read|not found|was not read|"
    r"were not read|no [\w -]+ (?:was|were) read|not confirmed|read on |\?'|"
    r"\b(?:drugs|pumps|catheters|outcomes|journey|practice|programs|spine|presets|routes|"
    r"scenarios|physiology)\.[a-z_.]+",
    re.I,
)


def readable_name(key):
    """
    What a data-file value is, in words: ``pumps.peristaltic.max_rate`` is "Peristaltic
    pump (SynchroMed type): maximum rate".

    Parameters
    ----------
    key : str
        Dotted key ``"file.entry.field"`` or ``"file.entry"``. [-]

    Returns
    -------
    name : str
        The entry's own name if it has one, then the field in words. [-]
    """
    name, entry, *field = key.split(".")
    record = data.lookup(name, entry)
    own = record.get("name") if hasattr(record, "get") else None
    subject = own if isinstance(own, str) else _words(entry)
    if name == "presets":
        subject = f"Preset “{subject}”"
    elif name == "pumps" and not isinstance(own, str):
        subject = f"{subject} pump"
    text = f"{subject}: {_words(field[0])}" if field else subject
    return text[:1].upper() + text[1:]


def _words(identifier):
    return " ".join(_WORDS.get(word, word) for word in identifier.split("_"))


def citation(source):
    """
    The source as a citation for people: working notes (what could not be read, file
    references) left out; a teaching assumption says so.

    Parameters
    ----------
    source : str
        The ``source`` text of a data-file value. [-]

    Returns
    -------
    text : str
        The citation clauses, with units written for people. [-]
    """
    text = re.sub(
        r"\s*\([^()]*\)", lambda m: "" if _NOTE.search(m.group(0)) else m.group(0), source
    )
    clauses = [c.strip() for c in re.split(r";\s+", text) if c.strip()]
    kept = [c for c in clauses if not _NOTE.search(c)]
    if not kept or kept == ["Teaching assumption:"] or kept[0].rstrip(":") == "Teaching assumption":
        return "Teaching assumption: no primary source confirmed this value"
    if clauses[0].startswith("Teaching assumption") and not kept[0].startswith("Teaching"):
        kept[0] = "Teaching assumption: " + kept[0]
    return units.pretty_unit("; ".join(kept))


def _number(value):
    if value != 0 and abs(value) < 1e-3:
        return np.format_float_positional(value, trim="-")
    return f"{value:,.6g}" if abs(value) >= 1000 else f"{value:.6g}"


def _value_text(quantity):
    if isinstance(quantity, data.Fact):
        return quantity.statement
    value, unit = quantity.value, "" if quantity.unit == "-" else quantity.unit
    numbers = [value] if not isinstance(value, tuple) else list(value)
    many = len(numbers) > 1 or numbers[0] != 1
    if unit in ("day", "year", "month", "week") and many:
        unit += "s"
    shown = (
        "–".join(_number(v) for v in numbers)
        if len(numbers) == 2
        else ", ".join(_number(v) for v in numbers)
    )
    return units.pretty_unit(f"{shown} {unit}".strip())


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
            f"<tr><td title='{html.escape(key)}'>{html.escape(readable_name(key))}</td>"
            f"<td>{html.escape(_value_text(quantity))}</td>"
            f"<td{style}><b>{status}</b></td><td>{html.escape(citation(quantity.source))}</td>"
            "</tr>"
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
