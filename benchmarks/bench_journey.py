"""Median and worst time of the journey model: one patient's ten years, and a cohort of 1000.

One patient's ten years day by day (titration, visits, battery, MRI scans, complications,
delivery, reservoir, events and costs), and 1000 patients over ten years, visit by visit,
both titrated from the panels' default start.
Run with ``make bench``. Budgets: median <= 50 ms for one patient, <= 2000 ms for the cohort.
"""

from __future__ import annotations

import statistics
import sys
import time

from helpers import cohort, data

REPEATS = 20
SETTINGS = cohort.Settings(
    years=10, titration_start_percent=data.lookup("journey", "titration_start").value
)
PATIENTS = 1000
BUDGETS_MS = {"one patient, 10 years": 50.0, f"{PATIENTS} patients, 10 years": 2000.0}


def one_patient(seed):
    return cohort.patient(SETTINGS, seed)


def many_patients(seed):
    return cohort.simulate_cohort(SETTINGS, PATIENTS, seed)


def times_ms(function):
    function(0)  # warm-up: data files, caches, first allocation
    times = []
    for seed in range(1, REPEATS + 1):
        start = time.perf_counter()
        function(seed)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main():
    rows = {
        "one patient, 10 years": times_ms(one_patient),
        f"{PATIENTS} patients, 10 years": times_ms(many_patients),
    }
    print(f"{'journey':<26} {'median ms':>10} {'max ms':>8} {'budget':>7}")
    for name, (median, worst) in rows.items():
        print(f"{name:<26} {median:>10.2f} {worst:>8.2f} {BUDGETS_MS[name]:>7.0f}")
    failed = [name for name, (median, _) in rows.items() if median > BUDGETS_MS[name]]
    for name, (median, _) in rows.items():
        verdict = "FAIL" if name in failed else "PASS"
        print(f"{verdict}: {name}, median {median:.1f} ms (budget {BUDGETS_MS[name]:g} ms)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
