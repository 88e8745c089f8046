"""A class opening one notebook in Voila at once, then leaving: pages, waits, kernels, memory.

Starts Voila as ``make present`` does (the project's ``voila.py``: output timeout, kernel
culling), opens the notebook in N browser contexts at once (one Chromium, N students),
and reports per round: how many pages came complete (every panel's figure drawn, no
error), the time to the first usable slider (median and max), kernels and memory while
open, and kernels left after every page was closed (abruptly: contexts closed, no
shutdown request), measured until they reach zero or the wait ends. ``--soak K`` then
opens and closes one page K times and reports kernels left and Voila's memory against
its start.

Not part of ``make test`` (minutes of CPU). Run::

    .venv/bin/python benchmarks/class_load.py --students 1 5 10 20 --soak 100

Test browsers share the server's cores, so times are pessimistic.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import servers  # noqa: E402
from tests.browser.conftest import CHROMIUM_FLAGS, chromium_path  # noqa: E402

NOTEBOOK = "02_flow_rate_and_refill.ipynb"
#: Figures notebook 02 shows when complete (one per panel).
PANELS = 3
PAGE_TIMEOUT_S = 600


def _children(pid):
    """All descendant process ids of ``pid`` (from /proc)."""
    found, frontier = [], [pid]
    while frontier:
        parent = frontier.pop()
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text().split()
            except OSError:
                continue
            if int(stat[3]) == parent:
                found.append(int(entry.name))
                frontier.append(int(entry.name))
    return found


def _rss_mb(pid):
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _kernel_pids(server_pid):
    pids = []
    for p in _children(server_pid):
        try:
            if "ipykernel" in Path(f"/proc/{p}/cmdline").read_bytes().decode(errors="replace"):
                pids.append(p)
        except OSError:
            continue
    return pids


def _cpu_s(pid):
    """User plus system CPU seconds a process has used."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _browser_cpu_s():
    """CPU seconds used so far by every Chromium process on the machine (the test browsers)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                comm = (entry / "comm").read_text()
            except OSError:
                continue
            if "chrom" in comm:
                total += _cpu_s(int(entry.name))
    return total


def _kernels(server_pid):
    """(number of kernels, their memory in MB, their CPU seconds) under the Voila process."""
    pids = _kernel_pids(server_pid)
    return len(pids), sum(_rss_mb(p) for p in pids), sum(_cpu_s(p) for p in pids)


def _open(browser, url):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.set_default_timeout(PAGE_TIMEOUT_S * 1000)
    # What an incomplete page is traced by: its kernel (from the websocket address), the
    # kernel messages the browser received, and the page's own errors.
    page.trace = {"kernel": None, "frames": 0, "errors": [], "loads": 0}
    page.on("load", lambda _: page.trace.__setitem__("loads", page.trace["loads"] + 1))

    def websocket(ws):
        if "/api/kernels/" in ws.url:
            page.trace["kernel"] = ws.url.split("/api/kernels/")[1].split("/")[0]
            ws.on(
                "framereceived",
                lambda _: page.trace.__setitem__("frames", page.trace["frames"] + 1),
            )

    page.on("websocket", websocket)
    page.on("pageerror", lambda err: page.trace["errors"].append(str(err)[:300]))
    page.on(
        "console",
        lambda msg: msg.type == "error" and page.trace["errors"].append(msg.text[:300]),
    )
    page.goto(url, wait_until="commit")
    return context, page, time.monotonic()


def _trace(page, base, token):
    """Why a page is incomplete: the page's state, its kernel as the server sees it."""
    found = dict(page.trace)
    try:
        found["page"] = page.evaluate(
            """() => ({
              readyState: document.readyState,
              outputs: document.querySelectorAll(
                'script[type="application/vnd.voila.cell-output+json"]').length,
              widgets: document.querySelectorAll('.jupyter-widgets').length,
            })"""
        )
    except Exception as err:  # a trace, whatever the page does
        found["page"] = repr(err)[:200]
    if found["kernel"]:
        try:
            with urllib.request.urlopen(
                f"{base}/api/kernels/{found['kernel']}?token={token}", timeout=10
            ) as reply:
                found["server_sees"] = json.loads(reply.read())
        except OSError as err:
            found["server_sees"] = repr(err)[:200]
        found["sockets"] = _sockets(found["kernel"])
    return found


def _sockets(kernel_id):
    """The kernel's ports (its connection file) and every TCP socket on them now (``ss``)."""
    files = list(Path(tempfile.gettempdir()).glob(f"voila_*/kernel-{kernel_id}.json"))
    if not files:
        return "no connection file"
    info = json.loads(files[0].read_text())
    ports = {name: info[name] for name in info if name.endswith("_port")}
    listed = subprocess.run(["ss", "-tanp"], capture_output=True, text=True).stdout
    on_ports = [
        line.split()[:6]
        for line in listed.splitlines()
        if any(f":{port} " in line + " " for port in ports.values())
    ]
    return {"ports": ports, "ss": on_ports}


def _state(page):
    """What a page shows now: slider handles, the loading cover, figures, error outputs."""
    try:
        return page.evaluate(
            """() => ({
              handles: document.querySelectorAll('.noUi-handle').length,
              loading: !!document.querySelector('#loading')
                && getComputedStyle(document.querySelector('#loading')).display !== 'none',
              canvases: document.querySelectorAll('.jupyter-matplotlib-canvas-div canvas').length,
              errors: document.querySelectorAll(
                "[data-mime-type='application/vnd.jupyter.error']").length,
            })"""
        )
    except Exception:  # a page that crashed or is still navigating
        return {"handles": 0, "loading": True, "canvases": 0, "errors": 0}


def _wait_all(opened, timeout_s=PAGE_TIMEOUT_S):
    """
    Watch every page at once: the time each shows its first slider, and whether it came
    complete (the loading cover gone, every panel's figure drawn, no error), or why not.
    """
    firsts, complete, last = [None] * len(opened), [False] * len(opened), [None] * len(opened)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and not all(complete):
        for i, (_, page, started) in enumerate(opened):
            if complete[i]:
                continue
            state = last[i] = _state(page)
            if firsts[i] is None and state["handles"]:
                firsts[i] = time.monotonic() - started
            # ipympl draws each figure on two canvases (the picture and the rubber band).
            if not state["loading"] and state["canvases"] >= 2 * PANELS:
                complete[i] = state["errors"] == 0
        time.sleep(0.5)
    return firsts, complete, last


def class_round(browser, url, students, server_pid, base, token):
    opened = [_open(browser, url) for _ in range(students)]
    voila_cpu, browser_cpu = _cpu_s(server_pid), _browser_cpu_s()
    firsts, complete, last = _wait_all(opened)
    stuck = [
        {**state, **_trace(page, base, token)}
        for state, ok, (_, page, _) in zip(last, complete, opened, strict=True)
        if not ok
    ]
    time.sleep(2)  # the last frames and descriptions
    kernels_open, kernel_mb, kernel_cpu = _kernels(server_pid)
    voila_cpu = _cpu_s(server_pid) - voila_cpu
    browser_cpu = _browser_cpu_s() - browser_cpu
    for context, _, _ in opened:
        context.close()  # abrupt: no shutdown request
    closed_at = time.monotonic()
    left = kernels_open
    while left and time.monotonic() - closed_at < 300:
        time.sleep(5)
        left = _kernels(server_pid)[0]
    firsts = [f for f in firsts if f is not None]
    return {
        "students": students,
        "complete": sum(complete),
        # Pages that reloaded themselves (the templates' missing-panels check).
        "reloaded": sum(page.trace["loads"] > 1 for _, page, _ in opened),
        "stuck": stuck,
        "first_median_s": statistics.median(firsts) if firsts else None,
        "first_max_s": max(firsts) if firsts else None,
        "kernels_open": kernels_open,
        "kernel_mb": kernel_mb,
        "cpu_per_page_s": (kernel_cpu + voila_cpu) / students,
        "kernel_cpu_per_page_s": kernel_cpu / students,
        "browser_cpu_per_page_s": browser_cpu / students,
        "kernels_left": left,
        "zero_after_s": time.monotonic() - closed_at if left == 0 else None,
    }


#: Cycles after which Voila counts as warm (templates, exporters and handlers loaded once).
WARM_UP_CYCLES = 10


def soak(browser, url, cycles, server_pid, every=25):
    """
    Open and close one page ``cycles`` times; Voila's memory cold, warm and every ``every``.

    Voila loads its templates, nbconvert exporters and handlers on the first pages; the
    memory after :data:`WARM_UP_CYCLES` is the baseline that a leak would grow from.
    """
    trace = [(0, _rss_mb(server_pid))]
    for cycle in range(1, cycles + 1):
        opened = _open(browser, url)
        _wait_all([opened])
        opened[0].close()
        if cycle == WARM_UP_CYCLES or cycle % every == 0 or cycle == cycles:
            trace.append((cycle, _rss_mb(server_pid)))
    deadline = time.monotonic() + 300
    left = _kernels(server_pid)[0]
    while left and time.monotonic() < deadline:
        time.sleep(5)
        left = _kernels(server_pid)[0]
    trace.append(("after culling", _rss_mb(server_pid)))
    warm = dict((c, mb) for c, mb in trace if isinstance(c, int)).get(WARM_UP_CYCLES)
    return {
        "cycles": cycles,
        "kernels_left": left,
        "voila_mb_start": trace[0][1],
        "voila_mb_warm": warm,
        "voila_mb_end": trace[-1][1],
        "trace": trace,
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--students", type=int, nargs="+", default=[1, 5, 10, 20])
    parser.add_argument("--soak", type=int, default=0)
    args = parser.parse_args(argv)
    os.environ.setdefault("ITP_CULL_IDLE_S", "60")
    tmp = Path(tempfile.mkdtemp())
    served = servers.copy_notebooks(ROOT / "notebooks", tmp)
    with servers.voila(served, tmp) as (base, token), sync_playwright() as playwright:
        server_pid = servers.last_pid()
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_FLAGS)
        url = f"{base}/voila/render/{NOTEBOOK}?token={token}"
        print(
            "| students | complete | first slider median / max [s] | CPU per page: all, "
            "kernel, test browser [s] | kernels open | kernel memory [MB] | kernels left "
            "| zero after [s] |"
        )
        print("| --- | --- | --- | --- | --- | --- | --- | --- |")
        for students in args.students:
            r = class_round(browser, url, students, server_pid, base, token)
            first = (
                f"{r['first_median_s']:.1f} / {r['first_max_s']:.1f}"
                if r["first_median_s"] is not None
                else "none"
            )
            zero = f"{r['zero_after_s']:.0f}" if r["zero_after_s"] is not None else "not yet"
            cpu = (
                f"{r['cpu_per_page_s']:.1f}, {r['kernel_cpu_per_page_s']:.1f}, "
                f"{r['browser_cpu_per_page_s']:.1f}"
            )
            print(
                f"| {students} | {r['complete']}/{students} | {first} | {cpu} | "
                f"{r['kernels_open']} | "
                f"{r['kernel_mb']:.0f} | {r['kernels_left']} | {zero} |",
                flush=True,
            )
            if r["reloaded"]:
                print(f"  pages that reloaded themselves: {r['reloaded']}", flush=True)
            for state in r["stuck"]:
                print(f"  incomplete page, last seen: {state}", flush=True)
        if args.soak:
            r = soak(browser, url, args.soak, server_pid)
            growth = (
                f", {100 * (r['voila_mb_end'] / r['voila_mb_warm'] - 1):+.0f} % from warm"
                if r["voila_mb_warm"]
                else ""
            )
            print(
                f"soak: {r['cycles']} open/close cycles, kernels left {r['kernels_left']}, "
                f"Voila {r['voila_mb_start']:.0f} MB cold, {r['voila_mb_warm'] or 0:.0f} MB "
                f"after {WARM_UP_CYCLES} cycles, {r['voila_mb_end']:.0f} MB at the end{growth}"
            )
            print("Voila memory by cycle: " + ", ".join(f"{c}: {mb:.0f}" for c, mb in r["trace"]))
        browser.close()


if __name__ == "__main__":
    main()
