"""Fixtures for the real-browser tests: Chromium, JupyterLab, Voila, artifacts, latency table."""

from __future__ import annotations

import os
import shutil
import statistics
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.browser import servers

ROOT = Path(__file__).resolve().parents[2]
NOTEBOOKS = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
ARTIFACTS = ROOT / "artifacts" / "browser"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
NO_BROWSER = (
    "No Chromium found for the browser tests. Install Debian's package "
    "('apt-get install chromium') or set CHROMIUM_PATH to a Chromium or Chrome binary."
)

_latencies = []
_axe = []


def chromium_path():
    """The Chromium binary: $CHROMIUM_PATH, else chromium or chromium-browser on PATH."""
    candidate = os.environ.get("CHROMIUM_PATH") or next(
        (p for p in map(shutil.which, ("chromium", "chromium-browser")) if p), None
    )
    if not candidate or not Path(candidate).exists():
        pytest.fail(NO_BROWSER, pytrace=False)
    return candidate


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def browser():
    path = chromium_path()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    opened = context.new_page()
    opened.set_default_timeout(60_000)
    yield opened
    context.close()


@pytest.fixture(scope="session")
def notebook_copy(tmp_path_factory):
    return servers.copy_notebooks(ROOT / "notebooks", tmp_path_factory.mktemp("served"))


@pytest.fixture(scope="session")
def lab(notebook_copy, tmp_path_factory):
    with servers.jupyterlab(notebook_copy.parent, tmp_path_factory.mktemp("lab")) as server:
        yield server


@pytest.fixture(scope="session")
def voila(notebook_copy, tmp_path_factory):
    with servers.voila(notebook_copy, tmp_path_factory.mktemp("voila")) as server:
        yield server


@pytest.fixture
def record_latency():
    """Record the key-press-to-pixels latencies of one panel."""

    def record(app, notebook, panel, values):
        _latencies.append((app, notebook, panel, values))

    return record


@pytest.fixture
def record_axe():
    """Record axe-core's violations on one page (critical and serious ones fail the test)."""

    def record(app, notebook, violations):
        _axe.append((app, notebook, violations))

    return record


def _table(terminalreporter, header, rows, path, heading, title):
    """Write a Markdown table to ``artifacts/browser/<path>`` and to the test summary."""
    lines = [f"| {' | '.join(header)} |", f"|{' --- |' * len(header)}"]
    lines += [f"| {' | '.join(str(cell) for cell in row)} |" for row in rows]
    table = "\n".join(lines)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / path).write_text(f"{heading}\n\n{table}\n")
    terminalreporter.write_sep("=", title)
    terminalreporter.write_line(table if rows else "none")


def pytest_terminal_summary(terminalreporter):
    if _axe:
        _table(
            terminalreporter,
            ("app", "notebook", "rule", "impact", "elements", "help"),
            [
                (app, notebook, v["id"], v["impact"], v["count"], v["help"])
                for app, notebook, violations in _axe
                for v in violations
            ],
            "axe.md",
            "axe-core violations (critical and serious fail the tests; these remain)",
            "axe-core: violations left (moderate and minor)",
        )
    if _latencies:
        _table(
            terminalreporter,
            ("app", "notebook", "panel", "median ms", "moves"),
            [
                (app, notebook, panel, f"{statistics.median(values):.0f}", len(values))
                for app, notebook, panel, values in _latencies
            ],
            "latency.md",
            "Slider key press to changed figure pixels, in Chromium",
            "slider latency (key press to changed pixels)",
        )
