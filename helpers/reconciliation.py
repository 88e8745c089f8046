"""What the reservoir tells you: expected against measured residual volume at a refill.

At each refill the clinician compares the volume withdrawn from the reservoir with the
volume the program should have left. A difference beyond 2 mL, or outside the pump's
accuracy specification, must be investigated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import data
from helpers.ranges import ACCURACY, POINTS, RATE, TIME, VOLUME
from helpers.validation import INTEGER, SCALAR, TEXT, arguments

#: Scenario keys, with what happened, in the order the notebook presents them.
SCENARIOS = {
    "normal": "pump and catheter work as programmed",
    "fast_within_spec": "pump runs fast, inside its accuracy specification",
    "fast_outside_spec": "pump runs fast, outside its accuracy specification",
    "slow_outside_spec": "pump runs slow, outside its accuracy specification",
    "occlusion": "catheter blocks partway through the interval",
    "leak": "catheter disconnected at the pump: drug goes into the pocket",
    "pocket_fill": "the last refill went into the pump pocket, not the reservoir",
}


@dataclass(frozen=True)
class Reconciliation:
    """
    Expected and measured residual volume for one scenario.

    Parameters
    ----------
    scenario : str
        Key of :data:`SCENARIOS`. [-]
    expected_ml : float
        Residual volume the program predicts. [mL]
    slowest_ml, fastest_ml : float
        Residual volume for a pump at the slow and fast edge of its specification. [mL]
    measured_ml : float
        Residual volume found at the refill in this scenario. [mL]
    flagged : bool
        Whether the discrepancy must be investigated. [-]
    reason : str
        Why it is or is not flagged. [-]
    time_days : numpy.ndarray
        Days since the last refill. [day]
    to_csf_ml_per_day : numpy.ndarray
        Volume reaching the CSF per day over the interval. [mL/day]
    """

    scenario: str
    expected_ml: float
    slowest_ml: float
    fastest_ml: float
    measured_ml: float
    flagged: bool
    reason: str
    time_days: np.ndarray
    to_csf_ml_per_day: np.ndarray

    @property
    def discrepancy_ml(self):
        """Measured minus expected residual. [mL]"""
        return self.measured_ml - self.expected_ml


def _percent(key):
    return data.lookup("scenarios", key).model_value / 100.0


@arguments(
    scenario=TEXT,
    points=INTEGER,
    fill_volume_ml=SCALAR,
    rate_ml_per_day=SCALAR,
    days=SCALAR,
    accuracy_percent=SCALAR,
)
def reconcile(
    scenario,
    fill_volume_ml,
    rate_ml_per_day,
    days,
    accuracy_percent,
    previous_residual_ml=2.0,
    points=200,
):
    """
    Residual volume expected and found at a refill, and what reached the CSF meanwhile.

    Parameters
    ----------
    scenario : str
        One of :data:`SCENARIOS`. [-]
    fill_volume_ml : float
        Volume in the reservoir after the last refill. [mL]
    rate_ml_per_day : float
        Programmed flow rate. [mL/day]
    days : float
        Days since the last refill. [day]
    accuracy_percent : float
        Pump accuracy specification, plus or minus. [%]
    previous_residual_ml : float, default 2.0
        Residual left before the last refill (what a pocket fill leaves in the reservoir). [mL]
    points : int, default 200
        Number of times in the returned time series. [-]

    Returns
    -------
    result : Reconciliation
        Expected, slowest, fastest and measured residual, the flag and its reason, and the
        volume reaching the CSF over time. [-]

    Raises
    ------
    KeyError
        If ``scenario`` is unknown.
    ValueError
        If an input is not finite or outside its range.

    Notes
    -----
    Expected residual :math:`\\max(V_{fill} - Q t, 0)`; within specification it lies between
    :math:`V_{fill} - Q(1 + a)t` and :math:`V_{fill} - Q(1 - a)t`. A discrepancy over
    2 mL, or a residual outside that band, is flagged [1]_. A leak beyond the pump leaves
    the residual normal: the reservoir cannot see it.

    References
    ----------
    .. [1] "Accuracy in intrathecal drug delivery with an implanted infusion system,"
       ASRA Fall 2017 e-poster.
    """
    if scenario not in SCENARIOS:
        raise KeyError(f"unknown scenario {scenario!r}; valid: {sorted(SCENARIOS)}")
    VOLUME.check(fill_volume_ml, "fill_volume_ml")
    VOLUME.check(previous_residual_ml, "previous_residual_ml")
    RATE.check(rate_ml_per_day)
    TIME.check(days, "days")
    ACCURACY.check(accuracy_percent)
    POINTS.check(points)
    points = int(points)
    accuracy = accuracy_percent / 100.0
    t = np.linspace(0.0, days, points)
    pumped = np.full_like(t, rate_ml_per_day)  # volume leaving the reservoir per day
    reaching = pumped.copy()  # volume reaching the CSF per day
    start = fill_volume_ml
    if scenario in ("fast_within_spec", "fast_outside_spec", "slow_outside_spec"):
        pumped = pumped * (1.0 + _percent(f"pump_{scenario}"))
        reaching = pumped.copy()
    elif scenario == "occlusion":
        blocked = t >= days * _percent("occlusion_onset")
        pumped[blocked] = 0.0
        reaching[blocked] = 0.0
    elif scenario == "leak":
        reaching = reaching * (1.0 - _percent("leak_fraction"))
    elif scenario == "pocket_fill":
        start = previous_residual_ml
    # Residual: what is left after pumping, never below empty; an empty pump delivers nothing.
    from scipy.integrate import cumulative_trapezoid  # here: SciPy costs 0.3 s to import

    pumped_volume = cumulative_trapezoid(pumped, t, initial=0.0)
    empty = pumped_volume >= start
    reaching = np.where(empty, 0.0, reaching)
    measured = max(start - pumped_volume[-1], 0.0)
    # A reservoir cannot hold less than nothing: a program that outlasts the fill expects 0.
    expected = max(fill_volume_ml - rate_ml_per_day * days, 0.0)
    fastest = max(fill_volume_ml - rate_ml_per_day * (1 + accuracy) * days, 0.0)
    slowest = max(fill_volume_ml - rate_ml_per_day * (1 - accuracy) * days, 0.0)
    limit = data.lookup("practice", "refill_discrepancy").model_value
    difference = measured - expected
    outside = not fastest - 1e-9 <= measured <= slowest + 1e-9
    if abs(difference) > limit:
        reason = f"discrepancy {difference:+.2f} mL is more than {limit:g} mL: investigate"
    elif outside:
        reason = (
            f"{measured:.2f} mL lies outside the pump's +-{accuracy_percent:g} % band: investigate"
        )
    else:
        reason = f"discrepancy {difference:+.2f} mL is within {limit:g} mL and the accuracy band"
    if rate_ml_per_day * days > fill_volume_ml:
        reason += (
            f"; the program itself empties the reservoir on day "
            f"{fill_volume_ml / rate_ml_per_day:.0f}: refill before that"
        )
    return Reconciliation(
        scenario=scenario,
        expected_ml=float(expected),
        slowest_ml=float(slowest),
        fastest_ml=float(fastest),
        measured_ml=float(measured),
        flagged=bool(abs(difference) > limit or outside),
        reason=reason,
        time_days=t,
        to_csf_ml_per_day=reaching,
    )
