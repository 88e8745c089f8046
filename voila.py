"""Voila configuration of the presenter view (``make present``): read by Voila at start.

- the projector view (``ITP_VIEW=projector``) unless ``ITP_VIEW=laptop`` is set, which the
  notebooks' kernels inherit: figures are scaled to a 1920x1080 screen;
- the project's ``course`` template (``share/jupyter/voila/templates/course``): text,
  readouts and controls sized for the back of a room; it extends ``laptop`` (the laptop
  view's template), in which a page whose panels never appear reloads once and then
  says so with a button, never a blank page;
- cells tagged ``lab-only`` are taken out before the notebook runs;
- a class on one server (docs/zero_install.md): a panel's output is waited for long
  enough and an error is shown if it still does not come (never a silently missing
  panel), and kernels nobody is connected to are shut down after two minutes (a closed
  tab, a reload, a link opened and left), whatever link the student used; a full server
  answers "please wait" and retries (``ITP_MAX_PAGES``, :func:`helpers.presenter.page_limit`).
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
    # Both views: a page whose panels never appear reloads once, then says so.
    c.VoilaConfiguration.template = "course" if VIEW == "projector" else "laptop"

if PRESENTER:
    # A class on one server. Voila waits ``iopub_timeout`` seconds for a cell's output; its
    # default (4 s) dropped panels without a word when 10 students opened a page at once.
    c.VoilaExecutor.iopub_timeout = presenter.seconds_setting("ITP_OUTPUT_TIMEOUT_S")
    c.VoilaExecutor.raise_on_iopub_timeout = True  # shown as an error on the page, not dropped
    # Kernels with no browser connected (tab closed, reload, a link opened and left) are shut
    # down after CULL_IDLE_S of silence; the shutdown a closing tab sends can be refused
    # (403 without the _xsrf cookie when the notebook link was opened directly). Busy ones
    # too: under load the server can miss a kernel's last "idle" message and would otherwise
    # keep a closed page's kernel for ever as "busy" (seen in benchmarks/class_load.py).
    c.MappingKernelManager.cull_idle_timeout = presenter.seconds_setting("ITP_CULL_IDLE_S")
    c.MappingKernelManager.cull_interval = presenter.seconds_setting("ITP_CULL_INTERVAL_S")
    c.MappingKernelManager.cull_connected = False
    c.MappingKernelManager.cull_busy = True
    # A full server (ITP_MAX_PAGES kernels, or 80 % of memory at 200 MB a page) answers the
    # next student with a "please wait" page that retries by itself (HTTP 503, Retry-After),
    # not a blank page or a swapping machine. Read once here: a bad value stops the start.
    presenter.page_limit()
