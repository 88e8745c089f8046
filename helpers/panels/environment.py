"""A first-cell check that the notebook environment can show the course's live panels."""

from __future__ import annotations

import importlib

import ipywidgets as widgets

#: Packages every notebook needs, with what they are for.
REQUIRED = {
    "numpy": "numerical models",
    "matplotlib": "plots",
    "ipywidgets": "sliders and readouts",
    "ipympl": "live plots inside the notebook",
}


def check_environment():
    """
    Confirm that every package the notebooks need imports, and say which plot backend runs.

    Returns
    -------
    report : ipywidgets.HTML
        A short report for the student: one line per package, then what to do if
        anything is missing.

    Raises
    ------
    ImportError
        If a required package is missing; the message says how to install it.

    References
    ----------
    .. [1] ipympl documentation, "Installation."
    """
    lines, missing = [], []
    for name, purpose in REQUIRED.items():
        try:
            module = importlib.import_module(name)
        except ImportError:
            missing.append(name)
            continue
        lines.append(f"{name} {getattr(module, '__version__', '')}: {purpose}")
    if missing:
        raise ImportError(
            f"missing packages {missing}: run 'make lab' from the collection's folder, or "
            "'pip install -r requirements.txt'"
        )
    items = "".join(f"<li>{line}</li>" for line in lines)
    return widgets.HTML(
        f"<b>All set.</b> Everything the course needs is installed:<ul>{items}</ul>"
    )
