"""Median time of the catheter line model: 30 days at one-minute resolution.

Plug flow (a concentration change at refill) and Taylor-Aris dispersion (a priming bolus
followed by 30 days of maintenance). Run with ``make bench``. Budget: median <= 20 ms.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from helpers import catheter

REPEATS = 15
BUDGET_MS = 20.0
MINUTES = np.linspace(0.0, 30.0, 30 * 24 * 60 + 1)  # 30 days, one-minute steps


def plug_flow():
    return catheter.concentration_change(20_000.0, 10_000.0, 3_000.0, 0.43, MINUTES)


def with_dispersion():
    return catheter.priming(10_000.0, 0.5, 0.43, 24.0, MINUTES, dispersion_factor=10.0)


def median_ms(function):
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    rows = [
        ("plug flow, 30 days", median_ms(plug_flow)),
        ("dispersion, 30 days", median_ms(with_dispersion)),
    ]
    print(f"{'line model':<22} {'median ms':>10}")
    for name, value in rows:
        print(f"{name:<22} {value:>10.1f}")
    if rows[0][1] > BUDGET_MS:
        print(f"plug flow over the {BUDGET_MS:g} ms budget")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
