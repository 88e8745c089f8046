"""Voila configuration of the presenter view (``make present``): read by Voila at start.

- the projector view (``ITP_VIEW=projector``) unless ``ITP_VIEW=laptop`` is set, which the
  notebooks' kernels inherit: figures are scaled to a 1920x1080 screen;
- the project's ``course`` template (``share/jupyter/voila/templates/course``): text,
  readouts and controls sized for the back of a room;
- cells tagged ``lab-only`` are taken out before the notebook runs.
"""

import os
import pathlib
import sys

from helpers import presenter

c = get_config()  # noqa: F821  (provided by traitlets when Voila reads this file)

HERE = pathlib.Path(__file__).resolve().parent
# JupyterLab's Voila extension reads this file too (`make lab` runs from here): only the
# Voila app itself (`voila ...`, `python -m voila`) is the presenter view.
PROGRAM = pathlib.Path(sys.argv[0])
PRESENTER = PROGRAM.name == "voila" or PROGRAM.parent.name == "voila"

c.VoilaConfiguration.prelaunch_hook = presenter.prelaunch_hook
if PRESENTER:
    VIEW = os.environ.setdefault("ITP_VIEW", "projector").strip().lower()
    os.environ["JUPYTER_PATH"] = os.pathsep.join(
        p for p in (str(HERE / "share" / "jupyter"), os.environ.get("JUPYTER_PATH")) if p
    )
    if VIEW == "projector":
        c.VoilaConfiguration.template = "course"
