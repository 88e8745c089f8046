"""The class server answers "please wait" when full, and serves again when a place frees."""

from __future__ import annotations

import pathlib
import re
import time
import urllib.error
import urllib.request

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


def _kernel_processes(server_pid):
    """Kernels (ipykernel processes) under the Voila process, from /proc."""
    found, frontier = [], [server_pid]
    while frontier:
        parent = frontier.pop()
        for entry in pathlib.Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                cmdline = (entry / "cmdline").read_bytes()
            except OSError:
                continue
            if int(stat[1]) == parent:
                frontier.append(int(entry.name))
                if b"ipykernel" in cmdline:
                    found.append(int(entry.name))
    return found


def test_closing_a_tab_opened_from_a_direct_link_shuts_its_kernel_down(
    browser, notebook_copy, tmp_path
):
    # Culling far away: only the closing tab's own shutdown request can end the kernel.
    with servers.voila(notebook_copy, tmp_path, ITP_CULL_IDLE_S="3600") as (base, token):
        server_pid = servers.last_pid()
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}/voila/render/00_start_here.ipynb?token={token}")
        page.locator("#loading").wait_for(state="hidden", timeout=180_000)
        assert len(_kernel_processes(server_pid)) == 1
        page.close(run_before_unload=True)
        deadline = time.monotonic() + 30
        while _kernel_processes(server_pid) and time.monotonic() < deadline:
            time.sleep(0.5)
        context.close()
        assert _kernel_processes(server_pid) == [], "the kernel outlived its closed tab"
