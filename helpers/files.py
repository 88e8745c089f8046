"""The student's own folder, and files written there whole or not at all.

Settings (:mod:`helpers.panels.scenarios`) and progress (:mod:`helpers.progress`) are kept
in one folder per user: ``$ITP_SETTINGS_DIR`` if set (a hub or class server gives each user
one), else ``~/itp-settings``. Files are written to a temporary name and renamed over the
old one, with the permissions the user's umask gives; a SIGTERM during a write leaves no
temporary file behind, and a SIGKILL's leftover is swept by the next write.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from pathlib import Path

#: Environment variable naming the folder for settings files (one per user on a server).
SETTINGS_DIR_ENV = "ITP_SETTINGS_DIR"

#: Temporary names an interrupted write may leave for a moment (swept at the next one).
_TEMPORARY = ".{name}.part-"


def settings_folder():
    """
    The folder where this user's settings files go.

    Returns
    -------
    folder : pathlib.Path
        ``$ITP_SETTINGS_DIR`` if set (a hub or class server gives each user one), else
        ``itp-settings`` in the user's home folder. Not created here. [-]

    References
    ----------
    .. [1] docs/zero_install.md, "Per-student settings".
    """
    configured = os.environ.get(SETTINGS_DIR_ENV, "").strip()
    return Path(configured).expanduser() if configured else Path.home() / "itp-settings"


def sweep(path):
    """
    Remove temporary files a write of ``path`` left when it was killed (SIGKILL).

    Parameters
    ----------
    path : pathlib.Path
        The file whose leftovers are removed. [-]

    Returns
    -------
    None
        The leftovers (``.<name>.part-<pid>``) are gone.

    References
    ----------
    .. [1] Python documentation, ``pathlib.Path.glob`` and ``Path.unlink``.
    """
    for stale in path.parent.glob(_TEMPORARY.format(name=path.name) + "*"):
        stale.unlink(missing_ok=True)


class _Interrupted(BaseException):
    """SIGTERM during an export: unwinds so that the temporary file is removed."""


@contextlib.contextmanager
def _terminate_cleanly():
    """Turn SIGTERM into an exception while a file is written (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupted(signum, frame):
        raise _Interrupted(signum)

    previous = signal.signal(signal.SIGTERM, interrupted)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def write_atomically(path, data):
    """
    Write ``data`` to a temporary name beside ``path``, then rename it over ``path``.

    Parameters
    ----------
    path : pathlib.Path
        The file to write. [-]
    data : bytes
        Its whole content. [-]

    Returns
    -------
    None
        ``path`` holds ``data`` whole, or (after an error or SIGTERM) is as it was.

    References
    ----------
    .. [1] Python documentation, ``os.replace`` (atomic on POSIX) and ``signal``.
    """
    temporary = path.parent / f"{_TEMPORARY.format(name=path.name)}{os.getpid()}"
    try:
        with _terminate_cleanly():
            # 0o666 less the umask: the permissions any file the user makes gets.
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
            try:
                os.write(handle, data)
                os.fsync(handle)
            finally:
                os.close(handle)
            os.replace(temporary, path)
    except _Interrupted as signalled:
        temporary.unlink(missing_ok=True)
        signal.raise_signal(signalled.args[0])  # then terminate as asked
        raise
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
