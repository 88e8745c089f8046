"""Start JupyterLab and Voila from the project's environment for the browser tests."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

BIN = Path(sys.executable).parent
PROJECT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 90
_started = []


def last_pid():
    """Process id of the server started last (the load test reads its kernels from it)."""
    return _started[-1]


def free_port():
    """A TCP port on 127.0.0.1 that is free now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def copy_notebooks(source, target):
    """A temporary copy of the notebooks, so the tests never write to the checkout."""
    shutil.copytree(source, target / "notebooks", ignore=shutil.ignore_patterns(".ipynb_*"))
    return target / "notebooks"


def _quiet_lab_settings(settings_dir):
    """JupyterLab user settings with news and update checks off (no toasts, no network)."""
    folder = settings_dir / "@jupyterlab" / "apputils-extension"
    folder.mkdir(parents=True)
    (folder / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )


def _wait_for_port(proc, port, log_path):
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early; log:\n{log_path.read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(
        f"server did not listen within {STARTUP_SECONDS} s; log:\n{log_path.read_text()[-3000:]}"
    )


@contextmanager
def _server(command, env, log_path, port, cwd=None):
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("w") as log:
        proc = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd)
    _started.append(proc.pid)
    try:
        _wait_for_port(proc, port, log_path)
        yield
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()


def _env(tmp):
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    env["JUPYTERLAB_SETTINGS_DIR"] = str(tmp / "lab-settings")
    env["JUPYTERLAB_WORKSPACES_DIR"] = str(tmp / "lab-workspaces")
    env["JUPYTER_RUNTIME_DIR"] = str(tmp / "runtime")
    # Concept-check and drill answers go to a folder of the test, not the tester's home.
    env["ITP_SETTINGS_DIR"] = str(tmp / "itp-settings")
    return env


@contextmanager
def jupyterlab(root, tmp):
    """
    Run JupyterLab on 127.0.0.1 with a random token, serving ``root``.

    Yields the base URL and the token.
    """
    port, token = free_port(), secrets.token_hex(16)
    _quiet_lab_settings(tmp / "lab-settings")
    command = [
        str(BIN / "jupyter"),
        "lab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
    ]
    with _server(command, _env(tmp), tmp / "jupyterlab.log", port):
        yield f"http://127.0.0.1:{port}", token


@contextmanager
def voila(notebooks_dir, tmp, **environ):
    """
    Run Voila on 127.0.0.1 with a random token, serving the notebooks folder.

    ``environ`` adds environment variables (``ITP_MAX_PAGES="1"``). Yields the base URL
    and the token.
    """
    port, token = free_port(), secrets.token_hex(16)
    command = [
        str(BIN / "voila"),
        str(notebooks_dir),
        "--no-browser",
        "--Voila.ip=127.0.0.1",
        f"--port={port}",
        "--Voila.port_retries=0",
        f"--token={token}",
    ]
    # From the project folder, as `make present` runs it: Voila reads the project's voila.py
    # (presenter view, course template, lab-only cells left out).
    with _server(command, {**_env(tmp), **environ}, tmp / "voila.log", port, cwd=PROJECT):
        yield f"http://127.0.0.1:{port}", token
