"""The presenter view: the course in Voila, for a projector, teaching content only.

``make present`` serves the notebooks with Voila and the project's ``voila.py``, which
calls :func:`teaching_only` on every notebook before it runs: cells tagged
:data:`LAB_ONLY` (the imports heading, check cells and the sentences that announce them,
instructions about JupyterLab's menus) are taken out, so the projector shows headings,
text written for the page, panels and results written as sentences.
"""

from __future__ import annotations

import copy
import html
import os

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


#: Memory one student's page holds on the server: its kernel (measured 145 MB with
#: notebook 02's panels drawn, docs/zero_install.md) and a margin for Voila. [MB]
MB_PER_PAGE = 200

#: Seconds a "please wait" page waits before it asks for the notebook again. [s]
RETRY_AFTER_S = 20


def _memory_mb():
    """The machine's memory from ``/proc/meminfo``, or ``None`` where there is none. [MB]"""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) // 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def page_limit(environ=None, memory_mb=None):
    """
    How many students' pages (kernels) the server keeps open at once.

    ``ITP_MAX_PAGES`` sets it; otherwise 80 % of the machine's memory divided by
    :data:`MB_PER_PAGE` (at least 2), so that the class fills memory before the machine
    starts swapping and slows everybody down.

    Parameters
    ----------
    environ : mapping, optional
        Environment to read ``ITP_MAX_PAGES`` from (default :data:`os.environ`). [-]
    memory_mb : int, optional
        The machine's memory (default: read from ``/proc/meminfo``; 4,096 if unknown). [MB]

    Returns
    -------
    limit : int
        Pages open at once, at least 1. [-]

    References
    ----------
    .. [1] docs/zero_install.md, "A whole class in Voila on one server" (145 MB a kernel
       with notebook 02 drawn, measured on this project's 2-core server).
    """
    environ = os.environ if environ is None else environ
    raw = environ.get("ITP_MAX_PAGES", "").strip()
    if raw:
        try:
            limit = int(raw)
        except ValueError:
            raise ValueError(
                f"ITP_MAX_PAGES = {raw!r}: a whole number of pages from 1 upwards"
            ) from None
        if limit < 1:
            raise ValueError(f"ITP_MAX_PAGES = {limit}: a whole number of pages from 1 upwards")
        return limit
    memory_mb = memory_mb if memory_mb is not None else (_memory_mb() or 4096)
    return max(2, int(0.8 * memory_mb) // MB_PER_PAGE)


#: The class server's waits, read from the environment by ``voila.py``: name, then default,
#: least and most allowed [s].
SECONDS_SETTINGS = {
    "ITP_OUTPUT_TIMEOUT_S": (120, 5, 3600),
    "ITP_CULL_IDLE_S": (120, 1, 86400),
    "ITP_CULL_INTERVAL_S": (30, 1, 3600),
}


def seconds_setting(name, environ=None):
    """
    One of the class server's waits (:data:`SECONDS_SETTINGS`), from the environment.

    Parameters
    ----------
    name : str
        ``ITP_OUTPUT_TIMEOUT_S`` (how long Voila waits for a panel's output),
        ``ITP_CULL_IDLE_S`` (how long a kernel with no page may stay silent) or
        ``ITP_CULL_INTERVAL_S`` (how often Voila looks for such kernels). [-]
    environ : mapping, optional
        Environment to read it from (default :data:`os.environ`). [-]

    Returns
    -------
    seconds : int
        The setting, or its default when it is not set. [s]

    Raises
    ------
    ValueError
        Naming the setting, the value, the unit and the allowed range, when the value is
        not a whole number of seconds in that range.

    References
    ----------
    .. [1] docs/zero_install.md, "A whole class in Voila on one server" (the defaults, and
       why busy kernels of closed pages are culled, measured with
       ``benchmarks/class_load.py``).
    """
    default, least, most = SECONDS_SETTINGS[name]
    environ = os.environ if environ is None else environ
    raw = environ.get(name, "").strip()
    if not raw:
        return default
    try:
        seconds = int(raw)
    except ValueError:
        seconds = None
    if seconds is None or not least <= seconds <= most:
        raise ValueError(
            f"{name} = {raw[:40]!r}: a whole number of seconds [s] from {least} to {most} "
            f"(default {default})"
        )
    return seconds


def please_wait_page(open_pages, limit, retry_after_s=RETRY_AFTER_S):
    """
    The page a student gets when the class server is full: it says so, and tries again.

    Parameters
    ----------
    open_pages : int
        Pages open now. [-]
    limit : int
        :func:`page_limit`. [-]
    retry_after_s : int
        Seconds before the page asks again. [s]

    Returns
    -------
    html : str
        A whole HTML page that reloads itself after ``retry_after_s``. [-]

    References
    ----------
    .. [1] WHATWG HTML Living Standard, "Shared declarative refresh steps" (meta refresh).
    .. [2] WAI-ARIA 1.2, role ``status``.
    """
    message = (
        f"The class server is full: {open_pages} {'page is' if open_pages == 1 else 'pages are'}"
        f" open and it holds {limit}. "
        f"This page will try again in {retry_after_s} seconds; you do not need to do anything. "
        "Closing notebooks you no longer use frees a place."
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<meta http-equiv='refresh' content='{retry_after_s}'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>Please wait: the class server is full</title></head>"
        "<body style='font-family:sans-serif;font-size:1.5rem;max-width:40em;margin:3em auto;"
        "line-height:1.5;color:#111;background:#fff'>"
        "<main><h1>Please wait</h1>"
        f"<p role='status'>{html.escape(message)}</p></main></body></html>"
    )


def refuse_when_full(req, limit=None):
    """
    Answer "please wait" (HTTP 503, ``Retry-After``) instead of starting one kernel too many.

    Parameters
    ----------
    req : tornado.web.RequestHandler or None
        Voila's request handler; ``None`` (tests, nbconvert) is never refused. [-]
    limit : int, optional
        :func:`page_limit` by default. [-]

    Returns
    -------
    None
        When the server has room: the page is served as usual.

    Raises
    ------
    tornado.web.Finish
        With the page of :func:`please_wait_page`, when the server holds ``limit`` kernels.

    References
    ----------
    .. [1] RFC 9110, sections 15.6.4 (503 Service Unavailable) and 10.2.3 (Retry-After).
    .. [2] Tornado documentation, ``tornado.web.Finish``.
    """
    manager = getattr(req, "kernel_manager", None)
    if manager is None:
        return
    limit = page_limit() if limit is None else limit
    open_pages = len(manager.list_kernel_ids())
    if open_pages < limit:
        return
    import tornado.web

    req.set_status(503)
    req.set_header("Retry-After", str(RETRY_AFTER_S))
    req.set_header("Content-Type", "text/html; charset=utf-8")
    raise tornado.web.Finish(please_wait_page(open_pages, limit))


def prelaunch_hook(req=None, notebook=None, cwd=None):
    """
    Voila's ``VoilaConfiguration.prelaunch_hook``: the notebook without lab-only cells.

    When the server already holds :func:`page_limit` kernels, the student gets a "please
    wait" page that tries again by itself (:func:`refuse_when_full`), not a blank one. The
    page gets the ``_xsrf`` cookie, so that closing its tab shuts its kernel down whatever
    link opened it.

    Parameters
    ----------
    req : tornado.web.RequestHandler, optional
        The request being served. [-]
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
    .. [2] RFC 9110, section 15.6.4 (503 Service Unavailable) and 10.2.3 (Retry-After).
    """
    refuse_when_full(req)
    if req is not None and hasattr(req, "xsrf_token"):
        # Reading the token sets the ``_xsrf`` cookie on this page. A closing tab sends it
        # with its shutdown request; a notebook link opened directly (not from the course
        # map) had no cookie, its shutdown was refused (403) and the kernel stayed.
        req.xsrf_token  # noqa: B018
    return teaching_only(notebook)
