"""Every notebook in JupyterLab: Run All, no errors, every slider and dropdown works.

Execution is read from the prompts of the code cells whose source shows (check cells are
collapsed, ``jupyter.source_hidden``, and have none on the page), then from the kernel's
idle indicator, which the collapsed cells at the end must also reach.
"""

from __future__ import annotations

import json
import secrets
from urllib.request import Request, urlopen

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser import pages
from tests.browser.conftest import ARTIFACTS, NOTEBOOKS, ROOT

#: Code cells whose source shows; collapsed check cells have no prompt on the page.
CODE_CELLS = {
    name: sum(
        c["cell_type"] == "code" and not c["metadata"].get("jupyter", {}).get("source_hidden")
        for c in json.loads((ROOT / "notebooks" / name).read_text())["cells"]
    )
    for name in NOTEBOOKS
}


def run_all(page, base, token, name):
    """Open a notebook in a fresh workspace and run all cells from the Run menu."""
    workspace = secrets.token_hex(4)
    page.goto(f"{base}/lab/workspaces/{workspace}/tree/notebooks/{name}?token={token}&reset")
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for()
    page.locator(".jp-CodeCell").first.wait_for()
    started = ".jp-CodeCell .jp-InputArea-prompt"
    for _ in range(3):  # a menu click now and then does not register on a busy machine
        page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
        page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
        try:
            page.wait_for_function(
                "s => [...document.querySelectorAll(s)]"
                ".some(p => /\\[(\\d+|\\*)\\]/.test(p.textContent))",
                arg=started,
                timeout=20_000,
            )
            break
        except PlaywrightTimeout:  # try the menu again
            page.keyboard.press("Escape")
    done = page.locator(".jp-CodeCell .jp-InputArea-prompt").filter(
        has_text=pages.re.compile(r"\[\d+\]")
    )
    try:
        page.wait_for_function(
            "n => document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt').length === n"
            " && [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]"
            ".every(p => /\\[\\d+\\]/.test(p.textContent))",
            arg=CODE_CELLS[name],
            timeout=180_000,
        )
    except PlaywrightTimeout:
        page.screenshot(path=ARTIFACTS / f"FAILED-jupyterlab-{name}.png", full_page=True)
        prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt").all_text_contents()
        errors = page.locator(".jp-OutputArea-output[data-mime-type*='error']").all_text_contents()
        status = page.locator(".jp-Notebook-ExecutionIndicator").get_attribute("data-status")
        raise AssertionError(
            f"Run All of {name} did not finish in 180 s: kernel {status}, "
            f"prompts {[p.strip() for p in prompts]}, errors {errors[:3]}"
        ) from None
    assert done.count() == CODE_CELLS[name]
    page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").wait_for(timeout=60_000)
    pages.wait_until_stable(page, f"{pages.OUTPUT}")


SAVE_CELL = (
    "saved = [explorer.save_figure(f'saved-figure.{suffix}') for suffix in ('png', 'pdf', 'svg')]"
)


def save_figure_then_move_a_slider(page, folder):
    """Run a save_figure cell at the end of notebook 02; the panel must keep drawing."""
    page.locator(".jp-CodeCell .jp-InputArea-prompt >> visible=true").last.click()
    page.keyboard.press("Escape")
    page.keyboard.press("b")  # a new cell below, in command mode
    page.keyboard.press("Enter")
    page.keyboard.insert_text(SAVE_CELL)  # no key events: no auto-closed brackets
    page.keyboard.press("Shift+Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt').length === n"
        " && [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]"
        ".every(p => /\\[\\d+\\]/.test(p.textContent))",
        arg=CODE_CELLS["02_flow_rate_and_refill.ipynb"] + 1,
        timeout=60_000,
    )
    for suffix, head in (("png", b"\x89PNG"), ("pdf", b"%PDF"), ("svg", b"<?xml")):
        path = folder / f"saved-figure.{suffix}"
        for _ in range(100):
            if path.exists() and path.stat().st_size > 0:
                break
            page.wait_for_timeout(100)
        assert path.read_bytes()[:200].find(head) >= 0, f"{path.name} was not written"
        path.unlink()
    pages.assert_clean_outputs(page)
    first = pages.panels(page).first
    latencies = pages.move_every_slider(page, first, presses=1)
    assert latencies, "no slider moved after saving"


@pytest.fixture(autouse=True)
def one_kernel_at_a_time(lab):
    """Shut down the kernels a test started, so later notebooks do not share the CPU."""
    yield
    base, token = lab
    headers = {"Authorization": f"token {token}"}
    with urlopen(Request(f"{base}/api/sessions", headers=headers), timeout=30) as answer:
        sessions = json.load(answer)
    for session in sessions:
        url = f"{base}/api/sessions/{session['id']}"
        urlopen(Request(url, method="DELETE", headers=headers), timeout=30).close()


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_runs_and_every_control_works(
    page, lab, notebook_copy, artifacts, record_latency, record_axe, name
):
    base, token = lab
    page.set_viewport_size(pages.LAPTOP)
    console_errors = pages.collect_console_errors(page)
    run_all(page, base, token, name)
    pages.assert_clean_outputs(page)
    problems = pages.laptop_layout_problems(page)
    assert not problems, f"at 1366x768: {problems}"
    page.screenshot(path=artifacts / f"jupyterlab-{name}.png", full_page=True)
    # The course's text and outputs; JupyterLab's menus, side bars and editors are its own.
    pages.assert_accessible(page, record_axe, "JupyterLab", name, scope=pages.LAB_COURSE)
    found = pages.panels(page)
    for index in range(found.count()):
        pages.assert_figure_releases_focus(page, found.nth(index))

    pages.use_every_control(page, record_latency, "JupyterLab", name)
    pages.answer_checks(page, name)
    if name.startswith("02_"):
        save_figure_then_move_a_slider(page, notebook_copy)
    assert console_errors == []
