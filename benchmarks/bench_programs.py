"""Median and worst time of the dosing-program model: two weeks of patient demand, per minute.

Two weeks of a flexible program at one-minute resolution, the seeded patient demand, the
lockout and daily cap, the boluses given and the refill dates; the same through the
catheter line model; and the CSF concentration at the tip for 6 h of valve-gated pulses.
Run with ``make bench``. Budget: median <= 30 ms for two weeks of demand and the refill date.
"""

from __future__ import annotations

import statistics
import sys
import time

from helpers import boluses, data, mechanisms, programs, spine

REPEATS = 30
BUDGET_MS = 30.0
DAYS = 14.0
STEPS = [(0.0, 300.0), (7.0, 500.0), (22.0, 250.0)]  # baclofen, ug/day
CONCENTRATION = 2000.0  # ug/mL
BOLUS = boluses.PatientBolus(dose_ug=50.0, duration_min=10, lockout_min=120, max_per_day=4)
DEAD_VOLUME_ML = 0.2


def two_weeks():
    base = programs.flexible(STEPS, CONCENTRATION, DAYS)
    pressed = boluses.demand(
        DAYS,
        data.lookup("programs", "demand_presses_per_day").model_value,
        data.lookup("programs", "demand_day_share").model_value,
        seed=1,
    )
    presses = boluses.apply_rules(pressed, BOLUS)
    delivery = boluses.with_patient_boluses(base, BOLUS, presses)
    boluses.refill_estimate(20.0, 2.0, base, BOLUS, delivery)
    return delivery


def two_weeks_to_the_tip():
    return programs.dose_at_tip(two_weeks(), DEAD_VOLUME_ML)


def pulses_in_the_csf():
    delivery = mechanisms.valve_gated(0.5, 600.0, days=0.25)
    return programs.csf_at_tip(delivery, "baclofen")


def times_ms(function):
    function()  # warm-up: caches, data files, first allocation
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), max(times)


def main():
    spine.canal()  # build the cached geometry once, as a notebook does
    rows = [
        ("14 days demand + refill", times_ms(two_weeks)),
        ("+ catheter line", times_ms(two_weeks_to_the_tip)),
        ("6 h pulses in the CSF", times_ms(pulses_in_the_csf)),
    ]
    print(f"{'dosing programs':<26} {'median ms':>10} {'max ms':>8}")
    for name, (median, worst) in rows:
        print(f"{name:<26} {median:>10.2f} {worst:>8.2f}")
    median = rows[0][1][0]
    verdict = "PASS" if median <= BUDGET_MS else "FAIL"
    print(f"{verdict}: two weeks of demand, median {median:.1f} ms (budget {BUDGET_MS:g} ms)")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
