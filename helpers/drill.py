"""The refill-reconciliation drill: seeded cases, the student's call, the model's verdict.

At every refill the clinician compares the residual volume withdrawn from the reservoir
with the volume the program should have left, and decides: *as expected*, or
*investigate* (and why). Each drill case is drawn from the reservoir model
(:func:`helpers.reconciliation.reconcile`): a pump and reservoir, the last fill, the
program, the days since the refill, the residual found and, sometimes, what the patient
reports. Some cases hide a fault (a fast or slow pump, a blocked or disconnected catheter,
a pocket fill). The verdict is computed from the same numbers the student sees, against
the published limit for the reservoir size (Maino et al. 2017: more than 1 mL in a 20 mL
pump, 2 mL in a 40 mL pump) and the pump's accuracy specification. The words of each kind
of case are in ``helpers/content/drill.toml``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import data, pump, reconciliation
from helpers.validation import INTEGER, TEXT, arguments

#: Cases in one drill (about a minute each). [-]
CASES_PER_DRILL = 10

#: The two calls a student can make. [-]
DECISIONS = ("as expected", "investigate")

#: Scenarios of a sound pump and catheter, and of a fault (keys of
#: :data:`helpers.reconciliation.SCENARIOS`). [-]
SOUND = ("normal", "fast_within_spec")
FAULTS = ("fast_outside_spec", "slow_outside_spec", "occlusion", "leak", "pocket_fill")

#: Share of the cases that hide a fault: a drill where most refills are sound teaches
#: not to call every small difference a fault (teaching assumption). [-]
FAULT_SHARE = 0.5

#: Pumps the drill draws from (keys of ``helpers/data/pumps.toml`` with a reservoir size
#: of 20 or 40 mL, the sizes Maino et al. give limits for). [-]
PUMPS = ("peristaltic", "valve_gated")

#: Programmed flow rates the drill draws from, in 0.05 mL/day steps (teaching
#: assumption: within every drill pump's programmable range). [mL/day]
RATES_ML_PER_DAY = tuple(np.round(np.arange(0.1, 0.81, 0.05), 2))


def causes():
    """
    The causes a student can name, keyed as the drill scores them.

    Returns
    -------
    causes : dict
        ``{key: words}`` from ``helpers/content/drill.toml``. [-]

    References
    ----------
    .. [1] Maino P, Perez RSGM, Koetsier E. Intrathecal pump refills, pocket fills, and
       symptoms of drug overdose. Neuromodulation 2017;20(7):733-739.
    """
    return dict(data.teaching_text("drill", "causes"))


def limit_ml(reservoir_ml):
    """
    The residual discrepancy beyond which a refill is investigated, for a reservoir size.

    Parameters
    ----------
    reservoir_ml : float
        Reservoir size: 20 or 40. [mL]

    Returns
    -------
    limit : float
        1.0 for a 20 mL pump, 2.0 for a 40 mL pump. [mL]

    Raises
    ------
    ValueError
        For another reservoir size (the paper gives no limit for it).

    References
    ----------
    .. [1] Maino P, Perez RSGM, Koetsier E. Intrathecal pump refills, pocket fills, and
       symptoms of drug overdose. Neuromodulation 2017;20(7):733-739.
    """
    by_size = data.lookup("practice", "refill_discrepancy_by_reservoir").model_value
    limits = dict(zip((20.0, 40.0), by_size, strict=True))
    if reservoir_ml not in limits:
        raise ValueError(
            f"reservoir_ml = {reservoir_ml!r} mL: the published discrepancy limits are for "
            "20 mL and 40 mL reservoirs only"
        )
    return limits[reservoir_ml]


@dataclass(frozen=True)
class DrillCase:
    """
    One refill visit of the drill: what the student sees, and the hidden scenario.

    Parameters
    ----------
    seed, number : int
        The drill's seed and the case's place in it (1-based). [-]
    pump_name : str
        The pump, as the student reads it. [-]
    reservoir_ml : float
        Reservoir size. [mL]
    fill_volume_ml : float
        Volume injected at the last refill. [mL]
    rate_ml_per_day : float
        Programmed flow rate. [mL/day]
    days : int
        Days since the last refill. [day]
    accuracy_percent : float
        The pump's accuracy specification, plus or minus. [%]
    expected_ml, slowest_ml, fastest_ml : float
        Residual the program predicts, and at the slow and fast edge of the
        specification. [mL]
    measured_ml : float
        Residual withdrawn at this visit. [mL]
    clue : str
        What the patient reports ("" for nothing). [-]
    scenario : str
        What really happened (key of :data:`helpers.reconciliation.SCENARIOS`); not shown
        before the answer. [-]
    """

    seed: int
    number: int
    pump_name: str
    reservoir_ml: float
    fill_volume_ml: float
    rate_ml_per_day: float
    days: int
    accuracy_percent: float
    expected_ml: float
    slowest_ml: float
    fastest_ml: float
    measured_ml: float
    clue: str
    scenario: str

    @property
    def discrepancy_ml(self):
        """Measured minus expected residual. [mL]"""
        return self.measured_ml - self.expected_ml

    @property
    def limit_ml(self):
        """The published discrepancy limit for this reservoir size. [mL]"""
        return limit_ml(self.reservoir_ml)

    @property
    def case_id(self):
        """``"<seed>-<number>"``: names the case in saved progress and exports. [-]"""
        return f"{self.seed}-{self.number}"


@dataclass(frozen=True)
class Verdict:
    """
    The drill's answer to one case, and how the student's call compares.

    Parameters
    ----------
    decision : str
        The right call (one of :data:`DECISIONS`). [-]
    cause : str
        The right cause (a key of :func:`causes`; ``"none"`` when as expected). [-]
    decision_right, cause_right : bool
        Whether the student's call and cause match. [-]
    points : int
        0, 1 (right call, wrong cause) or 2. [-]
    explanation : str
        Why, with the case's numbers. [-]
    """

    decision: str
    cause: str
    decision_right: bool
    cause_right: bool
    points: int
    explanation: str


def _numbers_say_investigate(case):
    outside = not case.fastest_ml - 1e-9 <= case.measured_ml <= case.slowest_ml + 1e-9
    return abs(case.discrepancy_ml) > case.limit_ml or outside


def right_call(case):
    """
    The call the numbers and the patient's report support, and the cause behind it.

    Investigate when the residual differs from the prediction by more than the published
    limit for the reservoir, when it lies outside the pump's specification, or when the
    patient reports symptoms the numbers do not explain.

    Parameters
    ----------
    case : DrillCase
        The case. [-]

    Returns
    -------
    decision, cause : str
        One of :data:`DECISIONS`, and the cause key (``"none"`` when as expected). [-]

    References
    ----------
    .. [1] Maino P, Perez RSGM, Koetsier E. Neuromodulation 2017;20(7):733-739.
    .. [2] "Accuracy in intrathecal drug delivery with an implanted infusion system,"
       ASRA Fall 2017 e-poster (investigate outside the accuracy specification).
    """
    if _numbers_say_investigate(case) or case.clue:
        return "investigate", data.teaching_text("drill", case.scenario)["cause"]
    return "as expected", "none"


def _draw_case(rng, seed, number, scenario):
    key = PUMPS[rng.integers(len(PUMPS))]
    model = pump.get_pump(key)
    sizes = [v for v in model.reservoir_volumes_ml if v in (20.0, 40.0)]
    reservoir = float(sizes[rng.integers(len(sizes))])
    rate = float(RATES_ML_PER_DAY[rng.integers(len(RATES_ML_PER_DAY))])
    # Refilled before the alarm: 40-90 % of the reservoir used, within 180 days.
    usable = reservoir - model.alarm_volume_ml
    days = int(max(7, min(180, round(usable * rng.uniform(0.4, 0.9) / rate))))
    result = reconciliation.reconcile(
        scenario, reservoir, rate, days, model.accuracy.model_value, points=50
    )
    text = data.teaching_text("drill", scenario)
    return DrillCase(
        seed=seed,
        number=number,
        pump_name=model.name,
        reservoir_ml=reservoir,
        fill_volume_ml=reservoir,
        rate_ml_per_day=rate,
        days=days,
        accuracy_percent=float(model.accuracy.model_value),
        expected_ml=result.expected_ml,
        slowest_ml=result.slowest_ml,
        fastest_ml=result.fastest_ml,
        measured_ml=round(result.measured_ml, 1),
        clue=text["clue"],
        scenario=scenario,
    )


@arguments(seed=INTEGER, cases=INTEGER)
def make_drill(seed, cases=CASES_PER_DRILL):
    """
    A drill: ``cases`` refill visits drawn with ``seed`` (the same seed, the same drill).

    About half the cases hide a fault. A sound case is drawn again until its numbers are
    within the limits, and a fault case until its numbers or the patient's report show it,
    so that every case has one defensible answer.

    Parameters
    ----------
    seed : int
        Seed of the random draw (0 or more). [-]
    cases : int, default 10
        Number of cases (1 to 50). [-]

    Returns
    -------
    drill : tuple of DrillCase
        The cases, numbered from 1. [-]

    Raises
    ------
    ValueError
        If ``seed`` is negative or ``cases`` outside 1-50.

    References
    ----------
    .. [1] Maino P, Perez RSGM, Koetsier E. Neuromodulation 2017;20(7):733-739.
    """
    if seed < 0:
        raise ValueError(f"seed = {seed}: a whole number from 0 upwards")
    if not 1 <= cases <= 50:
        raise ValueError(f"cases = {cases}: a whole number of cases from 1 to 50")
    rng = np.random.default_rng(seed)
    drawn = []
    for number in range(1, cases + 1):
        fault = rng.random() < FAULT_SHARE
        pool = FAULTS if fault else SOUND
        for _ in range(200):
            scenario = pool[rng.integers(len(pool))]
            case = _draw_case(rng, seed, number, scenario)
            investigate = right_call(case)[0] == "investigate"
            if investigate == fault:
                break
        drawn.append(case)
    return tuple(drawn)


@arguments(decision=TEXT, cause=TEXT)
def judge(case, decision, cause="none"):
    """
    Score a student's call on a case and explain the right one with the case's numbers.

    Parameters
    ----------
    case : DrillCase
        The case. [-]
    decision : str
        The student's call, one of :data:`DECISIONS`. [-]
    cause : str, default "none"
        The student's cause, a key of :func:`causes`. [-]

    Returns
    -------
    verdict : Verdict
        The right call and cause, the points (2 for both, 1 for the call) and why. [-]

    Raises
    ------
    ValueError
        If ``decision`` or ``cause`` is not one of the allowed values.

    References
    ----------
    .. [1] Maino P, Perez RSGM, Koetsier E. Neuromodulation 2017;20(7):733-739.
    """
    if decision not in DECISIONS:
        raise ValueError(f"decision = {decision!r}: one of {', '.join(DECISIONS)}")
    if cause not in causes():
        raise ValueError(f"cause = {cause!r}: one of {', '.join(causes())}")
    right_decision, right_cause = right_call(case)
    decision_right = decision == right_decision
    cause_right = decision_right and (right_decision == "as expected" or cause == right_cause)
    used = case.rate_ml_per_day * case.days
    numbers = (
        f"Expected residual {case.expected_ml:.1f} mL ({case.fill_volume_ml:g} mL filled − "
        f"{case.rate_ml_per_day:g} mL/day × {case.days} days = {used:.1f} mL used); found "
        f"{case.measured_ml:.1f} mL, a discrepancy of {case.discrepancy_ml:+.1f} mL. Limit for a "
        f"{case.reservoir_ml:g} mL pump: {case.limit_ml:g} mL (Maino et al. 2017); the pump's "
        f"±{case.accuracy_percent:g} % specification allows {case.fastest_ml:.1f}-"
        f"{case.slowest_ml:.1f} mL."
    )
    story = data.teaching_text("drill", case.scenario)["explanation"]
    if right_decision == "as expected" and case.scenario in FAULTS:
        story = "The numbers are within the limits and the patient reports nothing: as expected."
    explanation = f"{numbers} {story} Right call: {right_decision}" + (
        f"; cause: {causes()[right_cause]}." if right_decision == "investigate" else "."
    )
    return Verdict(
        decision=right_decision,
        cause=right_cause,
        decision_right=decision_right,
        cause_right=cause_right,
        points=int(decision_right) + int(cause_right),
        explanation=explanation,
    )
