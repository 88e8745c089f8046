"""Median time of the spinal spread model: 7 days at 0.5 cm, and a steady state.

Run with ``make bench``. Budgets: 7 days <= 50 ms (continuous, and four boluses a day with
their mixing), steady state <= 5 ms (medians), at the human default dispersion.
"""

from __future__ import annotations

import statistics
import sys
import time

import numpy as np

from helpers import spine

REPEATS = 15
SEVEN_DAYS = np.linspace(0.0, 7.0, 7 * 96 + 1)  # 15-minute steps
BUDGETS_MS = {"7 days, 0.5 cm cells": 50.0, "7 days, 4 boluses/day": 50.0, "steady state": 5.0}


def seven_days():
    return spine.simulate(
        "T10", SEVEN_DAYS, 3000.0, spine.human_dispersion(), 5.7, rate_ml_per_day=0.5
    )


def seven_days_boluses():
    geometry = spine.canal()
    delivery = spine.periodic_boluses(
        SEVEN_DAYS, 3000.0, 4, 1.0, geometry.area_cm2[geometry.cell("T10")], 0.4
    )
    return spine.simulate(
        "T10",
        SEVEN_DAYS,
        delivery.source_ug_per_day,
        spine.human_dispersion(),
        5.7,
        rate_ml_per_day=0.5,
        spread_cm=delivery.spread_cm,
        mixing_cm2_per_day=delivery.mixing_cm2_per_day,
    )


def steady():
    return spine.steady_state("T10", 3000.0, spine.human_dispersion(), 5.7, rate_ml_per_day=0.5)


def median_ms(function):
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main():
    spine.canal()  # build the cached geometry once, as a notebook does
    rows = {
        "7 days, 0.5 cm cells": median_ms(seven_days),
        "7 days, 4 boluses/day": median_ms(seven_days_boluses),
        "steady state": median_ms(steady),
    }
    print(f"{'spread model':<22} {'median ms':>10} {'budget':>7}")
    for name, value in rows.items():
        print(f"{name:<22} {value:>10.2f} {BUDGETS_MS[name]:>7.0f}")
    return 1 if any(rows[n] > BUDGETS_MS[n] for n in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
