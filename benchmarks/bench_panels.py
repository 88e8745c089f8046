"""Median time of one slider move per panel: model, redraw and PNG diff, as in a live kernel.

Each panel is built on ipympl's canvas, told that a browser is connected (the
``initialized`` message a real front end sends), and its outgoing messages are counted
instead of sent. Every slider of the panel is moved back and forth; the time from
setting the value to the encoded image being handed to the comm is recorded.

Run with ``make bench``. Budget: median <= 30 ms per panel.
"""

from __future__ import annotations

import datetime
import statistics
import sys
import time

import matplotlib

matplotlib.use("module://ipympl.backend_nbagg")

from helpers.panels import REGISTRY, build

MOVES_PER_SLIDER = 20
BUDGET_MS = 30.0
START = datetime.date(2026, 1, 5)
#: Every panel of the course, from the one registry the tests use too.
PANELS = {name: (lambda name=name: build(name, START)) for name in REGISTRY}


def connect_fake_browser(panel):
    """Complete ipympl's front-end handshake and count the image messages sent."""
    sent = []
    for fig in panel.figures:
        canvas = fig.canvas
        canvas._handle_message(None, {"type": "initialized"}, [])
        canvas.send = lambda content, buffers=None, sent=sent: sent.append(buffers)
        canvas.draw()
    return sent


def time_panel(panel):
    """Seconds per slider move, every slider, moved between 37 % and 63 % of its range."""
    sent = connect_fake_browser(panel)
    times = []
    for widget in panel.widgets.values():
        if not hasattr(widget, "readout_format"):
            continue
        low, high = widget.min, widget.max
        positions = [low + 0.37 * (high - low), low + 0.63 * (high - low)]
        if hasattr(widget, "base"):
            positions = [widget.base**p for p in positions]
        for move in range(MOVES_PER_SLIDER):
            before, old = len(sent), widget.value
            start = time.perf_counter()
            widget.value = positions[move % 2]
            if widget.value == old:  # an integer slider already at that position
                continue
            times.append(time.perf_counter() - start)
            if len(sent) == before:
                raise RuntimeError(f"{type(panel).__name__}: a slider move sent no image")
    return times


def main(only=()):
    rows = []
    for name, make in PANELS.items():
        if only and name not in only:
            continue
        times_ms = [t * 1000 for t in time_panel(make())]
        rows.append((name, statistics.median(times_ms), max(times_ms), len(times_ms)))
    print(f"{'panel':<18} {'median ms':>10} {'max ms':>8} {'moves':>6}")
    for name, median, worst, count in rows:
        print(f"{name:<18} {median:>10.1f} {worst:>8.1f} {count:>6}")
    over = [name for name, median, *_ in rows if median > BUDGET_MS]
    if over:
        print(f"over the {BUDGET_MS:g} ms budget: {', '.join(over)}")
        return 1
    print(f"all panels within the {BUDGET_MS:g} ms median budget")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
