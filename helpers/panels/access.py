"""
Keyboard and screen-reader support of the panels: one invisible widget per panel.

Its script (``static/access.js``) runs once per page, in JupyterLab and in Voila: figures
never trap the keyboard focus, sliders are named with their unit and announce the value
shown, and each panel's description is a polite live region. Its style sheet
(``static/access.css``) gives every control a visible focus ring.

References
----------
.. [1] anywidget documentation, "Getting started" (``_esm`` and ``_css``).
.. [2] W3C, WCAG 2.2: 2.1.2 No Keyboard Trap, 2.4.7 Focus Visible, 4.1.2 Name, Role, Value.
"""

from __future__ import annotations

import pathlib

import anywidget

STATIC = pathlib.Path(__file__).with_name("static")


class AccessibilityLayer(anywidget.AnyWidget):
    """An empty, hidden widget whose front end installs the course's keyboard support."""

    _esm = (STATIC / "access.js").read_text(encoding="utf-8")
    _css = (STATIC / "access.css").read_text(encoding="utf-8")
