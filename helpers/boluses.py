"""Patient-controlled boluses: random demand, lockout, daily maximum and the earlier refill.

Presses come from a seeded random demand with a day/night profile; a press is given only
when the lockout since the last given bolus has passed and the day's maximum is not reached.
Each given bolus adds its dose to the programmed delivery and its volume to the reservoir's
depletion."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from helpers import data, pump
from helpers.programs import (
    MINUTES_PER_DAY,
    STEP_DAYS,
    add_boluses,
    checked_count,
    grid_steps,
    whole_minutes,
)
from helpers.ranges import (
    BOLUS_DOSE,
    LOCKOUT,
    PRESSES,
    SHARE,
    VOLUME,
)
from helpers.validation import SCALAR, SEED, SEQUENCE, arguments, instance_of


def _value(key):
    return data.lookup("programs", key).model_value


@dataclass(frozen=True)
class PatientBolus:
    """
    Patient-controlled bolus settings, as a clinician programs them on the patient's device.

    Parameters
    ----------
    dose_ug : float
        Drug in each bolus. [ug]
    duration_min : int
        Time over which each bolus is delivered. [min]
    lockout_min : int
        Time after a bolus starts during which presses are refused. [min]
    max_per_day : int
        Boluses allowed in any 24 h. [-]

    Raises
    ------
    ValueError
        If a setting is outside its range or the lockout is shorter than the bolus.

    References
    ----------
    .. [1] Flowonix, "Prometra Patient Therapy Controller" guide (dose per bolus, bolus
       duration, allotted boluses per 24 h, lockout).
    """

    dose_ug: float
    duration_min: int
    lockout_min: int
    max_per_day: int

    def __post_init__(self):
        for name in ("dose_ug", "duration_min", "lockout_min", "max_per_day"):
            SCALAR.check(getattr(self, name), name)
        BOLUS_DOSE.check(self.dose_ug)
        whole_minutes(self.duration_min)
        LOCKOUT.check(self.lockout_min)
        if abs(self.lockout_min - round(self.lockout_min)) > 1e-9:
            raise ValueError(
                f"lockout_min = {self.lockout_min:g} min must be a whole number of minutes"
            )
        checked_count(self.max_per_day, "max_per_day")
        if self.lockout_min < self.duration_min:
            raise ValueError(
                f"lockout_min = {self.lockout_min:g} min is shorter than the bolus "
                f"(duration_min = {self.duration_min:g} min); allowed range is "
                f"[{self.duration_min:g}, {LOCKOUT.high:g}] min"
            )


@arguments(seed=SEED, days=SCALAR, presses_per_day=SCALAR)
def demand(days, presses_per_day, day_share, seed):
    """
    Button presses for breakthrough pain: a seeded random process with a day/night profile.

    Parameters
    ----------
    days : float
        Length of the simulation. [day]
    presses_per_day : float
        Mean presses per day. [1/day]
    day_share : float
        Share of the presses that fall in the waking hours (``programs.waking_hours``). [-]
    seed : int
        Seed of the random generator: the same seed gives the same presses. [-]

    Returns
    -------
    press_days : numpy.ndarray
        Press times, sorted, on whole minutes. [day]

    Notes
    -----
    Presses form an inhomogeneous Poisson process whose rate is constant within the
    waking hours and within the night: each day the number of presses in each window is
    Poisson distributed with mean ``presses_per_day`` times the window's share, and the
    presses fall uniformly within it [1]_. The rates are teaching assumptions.

    References
    ----------
    .. [1] S. M. Ross, "Introduction to Probability Models," 12th ed., Academic Press,
       2019, ch. 5 (the Poisson process).
    """
    steps = grid_steps(days)
    PRESSES.check(presses_per_day)
    SHARE.check(day_share)
    rng = np.random.default_rng(seed)
    wake, sleep = (int(np.rint(h * MINUTES_PER_DAY)) for h in _value("waking_hours"))
    awake = np.arange(wake, sleep)
    asleep = np.concatenate([np.arange(sleep, MINUTES_PER_DAY), np.arange(wake)])
    whole_days = int(np.ceil(steps / MINUTES_PER_DAY))
    minutes = []
    for window, share in ((awake, day_share), (asleep, 1.0 - day_share)):
        counts = rng.poisson(presses_per_day * share, whole_days)
        day_index = np.repeat(np.arange(whole_days), counts)
        picks = rng.integers(0, len(window), counts.sum())
        minutes.append(day_index * MINUTES_PER_DAY + window[picks])
    pressed = np.sort(np.concatenate(minutes))
    return pressed[pressed < steps] * STEP_DAYS


@dataclass(frozen=True)
class Presses:
    """
    What happened to each press of the patient's button.

    Parameters
    ----------
    press_days : numpy.ndarray
        Press times. [day]
    given : numpy.ndarray of bool
        A bolus started. [-]
    refused_lockout : numpy.ndarray of bool
        Refused: within the lockout of the last bolus. [-]
    refused_cap : numpy.ndarray of bool
        Refused: the maximum per 24 h was reached. [-]
    """

    press_days: np.ndarray
    given: np.ndarray
    refused_lockout: np.ndarray
    refused_cap: np.ndarray


@arguments(press_days=SEQUENCE, bolus=instance_of("helpers.boluses.PatientBolus"))
def apply_rules(press_days, bolus):
    """
    Decide for each press whether the device gives a bolus.

    Parameters
    ----------
    press_days : array_like
        Press times, sorted. [day]
    bolus : PatientBolus
        The settings. [-]

    Returns
    -------
    presses : Presses
        Given, refused by the lockout, refused by the daily maximum. [-]

    Notes
    -----
    A press is refused by the lockout if the last bolus started less than ``lockout_min``
    before it, else by the cap if ``max_per_day`` boluses started in the 24 h before it
    (a rolling window), else a bolus starts [1]_.

    References
    ----------
    .. [1] Flowonix, "Prometra Patient Therapy Controller" guide, p. 5.
    """
    press_days = np.asarray(press_days, dtype=float)
    if np.any(np.diff(press_days) < 0):
        raise ValueError("press_days must be sorted")
    # Whole minutes make every comparison exact.
    minutes = np.round(press_days * MINUTES_PER_DAY).astype(int)
    given = np.zeros(len(minutes), dtype=bool)
    lockout = np.zeros_like(given)
    cap = np.zeros_like(given)
    starts = []
    for i, minute in enumerate(minutes):
        recent = len(starts) - bisect.bisect_right(starts, minute - MINUTES_PER_DAY)
        if starts and minute - starts[-1] < bolus.lockout_min:
            lockout[i] = True
        elif recent >= bolus.max_per_day:
            cap[i] = True
        else:
            given[i] = True
            starts.append(minute)
    return Presses(press_days, given, lockout, cap)


@arguments(
    base=instance_of("helpers.programs.Delivery"),
    bolus=instance_of("helpers.boluses.PatientBolus"),
    presses=instance_of("helpers.boluses.Presses"),
)
def with_patient_boluses(base, bolus, presses):
    """
    A program plus the patient boluses that were given.

    Parameters
    ----------
    base : Delivery
        The programmed delivery. [-]
    bolus : PatientBolus
        The bolus settings. [-]
    presses : Presses
        Which presses gave a bolus (:func:`apply_rules`). [-]

    Returns
    -------
    delivery : Delivery
        The program plus each given bolus, ``dose_ug`` over ``duration_min``; a bolus
        started in the last minutes is cut at the end of the grid. [-]

    References
    ----------
    .. [1] Flowonix, "Prometra Patient Therapy Controller" guide.
    """
    starts = np.round(presses.press_days[presses.given] * MINUTES_PER_DAY).astype(int)
    starts = starts[starts < len(base.rate_ml_per_day)]
    return add_boluses(base, starts, bolus.dose_ug, int(bolus.duration_min))


@dataclass(frozen=True)
class RefillEstimate:
    """
    Days from a refill until the reservoir reaches a threshold, under three assumptions.

    Parameters
    ----------
    no_boluses_days : float
        The program alone. [day]
    all_allowed_days : float
        Every allowed bolus used every day, as one vendor's patient controller assumes. [day]
    demand_days : float
        At the mean daily volume of the simulated demand. [day]
    """

    no_boluses_days: float
    all_allowed_days: float
    demand_days: float


@arguments(
    base=instance_of("helpers.programs.Delivery"),
    bolus=instance_of("helpers.boluses.PatientBolus"),
    with_demand=instance_of("helpers.programs.Delivery"),
    fill_volume_ml=SCALAR,
    threshold_ml=SCALAR,
)
def refill_estimate(fill_volume_ml, threshold_ml, base, bolus, with_demand):
    """
    Refill dates with patient boluses: the vendor's worst case against simulated demand.

    Parameters
    ----------
    fill_volume_ml : float
        Volume after the refill. [mL]
    threshold_ml : float
        Volume at which the refill is due (low-reservoir alarm, or 3.0 mL for the Prometra
        controller's "Date of Next Refill"). [mL]
    base : Delivery
        The programmed delivery without patient boluses. [-]
    bolus : PatientBolus
        The bolus settings. [-]
    with_demand : Delivery
        The program plus the boluses actually given (:func:`with_patient_boluses`). [-]

    Returns
    -------
    estimate : RefillEstimate
        Days to the threshold for the program alone, for every allowed bolus used, and for
        the simulated demand's mean daily volume. [-]

    Notes
    -----
    Each is :math:`(V_{fill} - V_{threshold}) / \\bar Q`; the vendor assumption uses
    :math:`\\bar Q = Q_{program} + n_{max} B / C` [1]_.

    References
    ----------
    .. [1] Flowonix, "Prometra Patient Therapy Controller" guide, p. 5.
    """
    VOLUME.check(fill_volume_ml, "fill_volume_ml")
    VOLUME.check(threshold_ml, "threshold_ml")
    days = len(base.rate_ml_per_day) * STEP_DAYS
    program_ml_per_day = base.volume_ml()[-1] / days
    bolus_ml = bolus.dose_ug / base.concentration_ug_per_ml
    worst = program_ml_per_day + bolus.max_per_day * bolus_ml
    demand_ml_per_day = with_demand.volume_ml()[-1] / days
    return RefillEstimate(
        *(
            float(pump.days_to_alarm(fill_volume_ml, rate, threshold_ml))
            for rate in (program_ml_per_day, worst, demand_ml_per_day)
        )
    )
