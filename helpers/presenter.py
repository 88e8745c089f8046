"""The presenter view: the course in Voila, for a projector, teaching content only.

``make present`` serves the notebooks with Voila and the project's ``voila.py``, which
calls :func:`teaching_only` on every notebook before it runs: cells tagged
:data:`LAB_ONLY` (the imports heading, check cells and the sentences that announce them,
instructions about JupyterLab's menus) are taken out, so the projector shows headings,
text written for the page, panels and results written as sentences.
"""

from __future__ import annotations

import copy

#: Cell tag of content that belongs to JupyterLab only (not shown in the presenter view). [-]
LAB_ONLY = "lab-only"


def teaching_only(notebook):
    """
    A copy of a notebook without the cells tagged :data:`LAB_ONLY`.

    Parameters
    ----------
    notebook : nbformat.NotebookNode or dict
        The notebook as read from disk. [-]

    Returns
    -------
    notebook : nbformat.NotebookNode or dict
        The same notebook type, its lab-only cells removed; the input is unchanged. [-]

    References
    ----------
    .. [1] nbconvert documentation, "TagRemovePreprocessor" (removing cells by tag).
    """
    kept = copy.deepcopy(notebook)
    kept["cells"] = [
        cell for cell in kept["cells"] if LAB_ONLY not in cell.get("metadata", {}).get("tags", [])
    ]
    return kept


def prelaunch_hook(req=None, notebook=None, cwd=None):
    """
    Voila's ``VoilaConfiguration.prelaunch_hook``: the notebook without lab-only cells.

    Parameters
    ----------
    req : tornado.web.RequestHandler, optional
        The request being served (unused). [-]
    notebook : nbformat.NotebookNode
        The notebook Voila is about to run. [-]
    cwd : str, optional
        The notebook's folder (unused). [-]

    Returns
    -------
    notebook : nbformat.NotebookNode
        :func:`teaching_only` of ``notebook``. [-]

    References
    ----------
    .. [1] Voila documentation, "Adding a hook to customize the notebook before execution".
    """
    return teaching_only(notebook)
