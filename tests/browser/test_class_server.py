"""The class server answers "please wait" when full, and serves again when a place frees."""

from __future__ import annotations

import re
import time
import urllib.error
import urllib.request
from pathlib import Path

import nbformat
import pytest

from tests.browser import servers


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=180) as reply:
            return reply.status, dict(reply.headers), reply.read().decode("utf-8")
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read().decode("utf-8")


def _kernel_of(page):
    """The kernel a rendered Voila page talks to (its page config names it)."""
    match = re.search(r'"kernelId": ?"([0-9a-f-]{36})"', page)
    assert match, "no kernel id in the page"
    return match.group(1)


def test_a_full_server_answers_please_wait_and_retries(notebook_copy, tmp_path):
    with servers.voila(notebook_copy, tmp_path, ITP_MAX_PAGES="1") as (base, token):
        page = f"{base}/voila/render/00_start_here.ipynb?token={token}"
        status, _, first = _get(page)
        assert status == 200 and "jupyter-widgets" in first
        status, headers, second = _get(page)
        assert status == 503
        assert headers.get("Retry-After") == "20"
        assert "Please wait" in second and "http-equiv='refresh'" in second
        assert "1 page is open and it holds 1" in second
        assert "Traceback" not in second
        # A place frees (the first student closes the tab; here the kernel is shut down).
        request = urllib.request.Request(
            f"{base}/api/kernels/{_kernel_of(first)}?token={token}", method="DELETE"
        )
        urllib.request.urlopen(request, timeout=30).close()
        status, _, third = _get(page)
        assert status == 200 and "jupyter-widgets" in third


def _kernels_under(pid):
    """Kernel processes started by the server ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except OSError:
            continue
        if parent == pid and "ipykernel" in cmdline:
            found.append(int(entry.name))
    return found


def test_a_busy_kernel_whose_page_went_away_is_culled(tmp_path):
    """
    A page left while its kernel is busy (here a cell that sleeps; under load, a kernel
    whose last "idle" message the server missed) is shut down by the culler, not kept.
    """
    folder = tmp_path / "notebooks"
    folder.mkdir()
    busy = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell("import time\ntime.sleep(600)")]
    )
    nbformat.write(busy, folder / "busy.ipynb")
    with servers.voila(folder, tmp_path, ITP_CULL_IDLE_S="3", ITP_CULL_INTERVAL_S="1") as (
        base,
        token,
    ):
        server = servers.last_pid()
        reply = urllib.request.urlopen(f"{base}/voila/render/busy.ipynb?token={token}", timeout=60)
        reply.read(200)  # the page has begun: its kernel starts and runs the sleeping cell
        deadline = time.monotonic() + 60
        while not _kernels_under(server) and time.monotonic() < deadline:
            time.sleep(0.5)
        assert len(_kernels_under(server)) == 1, "the page started no kernel"
        time.sleep(2)  # the cell is running: the kernel is busy
        reply.close()  # the student leaves before the page is done
        deadline = time.monotonic() + 60
        while _kernels_under(server) and time.monotonic() < deadline:
            time.sleep(1)
        assert not _kernels_under(server), "the busy kernel of a page nobody has was kept"


@pytest.mark.parametrize("view", ["projector", "laptop"])
def test_a_page_whose_panels_never_appear_reloads_once_then_says_so(
    browser, notebook_copy, tmp_path, view
):
    """
    Under load a page can finish with every panel missing and no error. Here the kernel's
    websocket is held silent, so no panel can appear: the page reloads once, then shows
    an alert with a reload button instead of staying blank.
    """
    with servers.voila(notebook_copy, tmp_path, ITP_VIEW=view) as (base, token):
        context = browser.new_context(viewport={"width": 1366, "height": 768})
        page = context.new_page()
        page.route_web_socket(re.compile(r".*/api/kernels/.*"), lambda ws: None)  # silent
        loads = []
        page.on("load", lambda _: loads.append(time.monotonic()))
        page.goto(
            f"{base}/voila/render/02_flow_rate_and_refill.ipynb?token={token}&itp_panels_wait_s=3",
            timeout=120_000,
        )
        alert = page.get_by_role("alert").filter(has_text="did not load")
        alert.wait_for(state="visible", timeout=120_000)
        assert len(loads) == 2, f"expected one reload before the alert, saw {len(loads)} loads"
        assert alert.get_by_role("button", name="Reload the page").is_visible()
        assert page.locator(".jupyter-widgets").count() == 0
        context.close()
