"""Dosing programs: what the pump delivers minute by minute, and the boluses a patient asks for.

A program (simple continuous, flexible day steps, periodic boluses) becomes a delivery rate
on a grid of one-minute steps. Patient-controlled boluses come from a seeded random demand
with a day/night profile, filtered by a lockout and a daily maximum. Pump mechanisms change
how a programmed rate is delivered: smoothly (peristaltic), as micro-boluses (valve-gated),
or at a rate set by temperature and outside pressure (gas-driven). An MRI scan stops a
peristaltic pump's rotor.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import catheter, data, ranges, spine, units
from helpers.ranges import (
    BOLUS_DOSE,
    CLOCK,
    DAYS,
    DURATION,
    PER_DAY,
    STEP_DOSE,
)
from helpers.schedule import Schedule
from helpers.validation import (
    FLAG,
    INTEGER,
    LEVEL,
    SCALAR,
    SEQUENCE,
    Kind,
    Range,
    arguments,
    instance_of,
    one_of,
)

#: Minutes in one day: the programs' time grid has one-minute steps.
MINUTES_PER_DAY = int(units.HOURS_PER_DAY * units.MINUTES_PER_HOUR)

#: One grid step. [day]
STEP_DAYS = 1.0 / MINUTES_PER_DAY


def _value(key):
    return data.lookup("programs", key).model_value


@dataclass(frozen=True)
class Delivery:
    """
    Pump output sampled on a grid of one-minute steps.

    The minute-scale models (boluses, valve strokes, fever, flights, MRI) add to these
    arrays; :meth:`schedule` gives the same delivery as the course's one schedule type,
    :class:`helpers.schedule.Schedule`, which the catheter transport reads.

    Parameters
    ----------
    rate_ml_per_day : numpy.ndarray
        Flow out of the pump in each step. [mL/day]
    concentration_ug_per_ml : float
        Drug concentration in the reservoir. [ug/mL]
    """

    rate_ml_per_day: np.ndarray
    concentration_ug_per_ml: float

    @property
    def time_days(self):
        """Start of every step, then the end of the last. [day]"""
        return np.arange(len(self.rate_ml_per_day) + 1) * STEP_DAYS

    @property
    def dose_ug_per_day(self):
        """Drug mass rate leaving the pump in each step. [ug/day]"""
        return self.rate_ml_per_day * self.concentration_ug_per_ml

    def volume_ml(self):
        """Cumulative volume delivered at every grid time. [mL]"""
        return np.concatenate([[0.0], np.cumsum(self.rate_ml_per_day)]) * STEP_DAYS

    def daily_volume_ml(self):
        """Volume delivered on each whole day. [mL]"""
        days = len(self.rate_ml_per_day) // MINUTES_PER_DAY
        per_step = self.rate_ml_per_day[: days * MINUTES_PER_DAY] * STEP_DAYS
        return per_step.reshape(days, MINUTES_PER_DAY).sum(axis=1)

    def daily_totals_ug(self):
        """Drug delivered on each whole day. [ug]"""
        return self.daily_volume_ml() * self.concentration_ug_per_ml

    def schedule(self):
        """
        The same delivery as a :class:`helpers.schedule.Schedule`, one segment per run of
        equal minutes; the last segment continues beyond the grid. [-]
        """
        rate = self.rate_ml_per_day
        starts = np.concatenate([[0], np.flatnonzero(np.diff(rate)) + 1])
        return Schedule(
            starts * STEP_DAYS,
            rate[starts],
            np.full(len(starts), float(self.concentration_ug_per_ml)),
        )


@arguments(days=SCALAR)
def grid_steps(days):
    """
    Number of one-minute grid steps in a span of days.

    Parameters
    ----------
    days : float
        Length of the span, within ``ranges.DAYS``. [day]

    Returns
    -------
    steps : int
        Whole one-minute steps, rounded to the nearest. [-]

    Raises
    ------
    ValueError
        If ``days`` is not a finite number in range.

    References
    ----------
    .. [1] T. Deer et al., "The Polyanalgesic Consensus Conference (PACC)," Neuromodulation,
       2017 (continuous, flex and bolus dosing modes); the one-minute grid is a teaching
       choice.
    """
    return int(np.rint(DAYS.check(days) * MINUTES_PER_DAY))


@arguments(hours=SCALAR)
def minute_of_day(hours, name):
    """
    A clock time as a whole minute of the day, or a clear error.

    Parameters
    ----------
    hours : float
        Clock time within a day. [h]
    name : str
        The caller's parameter name, for the error message. [-]

    Returns
    -------
    minute : int
        Minute of the day, 0 to 1439. [min]

    Raises
    ------
    ValueError
        If the time is outside the day or not on the one-minute grid.

    References
    ----------
    .. [1] T. Deer et al., "The Polyanalgesic Consensus Conference (PACC)," Neuromodulation,
       2017 (continuous, flex and bolus dosing modes); the one-minute grid is a teaching
       choice.
    """
    CLOCK.check(hours, name)
    minutes = hours * units.MINUTES_PER_HOUR
    if abs(minutes - round(minutes)) > 1e-6:
        raise ValueError(f"{name} = {hours:g} h is not a whole minute; the program grid is 1 min")
    return int(np.rint(minutes)) % MINUTES_PER_DAY


@arguments(
    steps=Kind(
        "a list of (start_h, dose_ug_per_day) pairs", lambda v: isinstance(v, (list, tuple))
    ),
    concentration_ug_per_ml=SCALAR,
    days=SCALAR,
)
def flexible(steps, concentration_ug_per_ml, days=1.0):
    """
    A flexible (multi-step) program repeated every day.

    Parameters
    ----------
    steps : sequence of (float, float)
        ``(start_h, dose_ug_per_day)``: the clock time a step starts and its dose rate,
        written as a daily rate; each step lasts until the next, the last until the first
        of the next day. One step is a simple continuous program. [h, ug/day]
    concentration_ug_per_ml : float
        Drug concentration in the reservoir. [ug/mL]
    days : float, default 1
        Length of the delivery. [day]

    Returns
    -------
    delivery : Delivery
        The pump output at one-minute steps. [-]

    Raises
    ------
    ValueError
        If there are no steps or more than a pump allows, two steps start at the same
        minute, or an input is outside its range.

    Notes
    -----
    A step with dose rate :math:`D_i` lasting :math:`h_i` hours gives
    :math:`D_i h_i / 24`; the daily total is their sum. SynchroMed II allows up to 13
    steps a day [1]_.

    References
    ----------
    .. [1] Medtronic UK, "SynchroMed II Drug Pump - Severe Spasticity" (patient page).

    Examples
    --------
    >>> day = flexible([(0.0, 100.0), (22.0, 400.0)], 500.0)
    >>> round(float(day.daily_totals_ug()[0]), 6)
    125.0
    """
    steps = list(steps)
    for step in steps:
        if not (isinstance(step, (tuple, list)) and len(step) == 2):
            raise TypeError(f"steps must hold (start_h, dose_ug_per_day) pairs, not {step!r:.40}")
    most = int(_value("flex_steps_max"))
    if not 1 <= len(steps) <= most:
        raise ValueError(
            f"steps: {len(steps)} given; a program has 1 to {most} steps a day "
            "(programs.flex_steps_max)"
        )
    starts = np.array([minute_of_day(start, "start_h") for start, _ in steps])
    doses = np.array([float(STEP_DOSE.check(dose)) for _, dose in steps])
    if len(set(starts.tolist())) != len(starts):
        raise ValueError("steps: two steps start at the same minute; give each its own start_h")
    ranges.CONCENTRATION.check(concentration_ug_per_ml)
    order = np.argsort(starts)
    starts, doses = starts[order], doses[order]
    # The step under way at each minute of the day; before the first start, the last step.
    minute = np.arange(MINUTES_PER_DAY)
    day_dose = doses[np.searchsorted(starts, minute, side="right") - 1]
    rate = np.resize(day_dose / concentration_ug_per_ml, grid_steps(days))
    return Delivery(rate, float(concentration_ug_per_ml))


@arguments(dose_ug_per_day=SCALAR, concentration_ug_per_ml=SCALAR, days=SCALAR)
def continuous(dose_ug_per_day, concentration_ug_per_ml, days=1.0):
    """
    A simple continuous program: the same rate all day.

    Parameters
    ----------
    dose_ug_per_day : float
        Daily dose. [ug/day]
    concentration_ug_per_ml : float
        Drug concentration in the reservoir. [ug/mL]
    days : float, default 1
        Length of the delivery. [day]

    Returns
    -------
    delivery : Delivery
        The pump output at one-minute steps. [-]

    References
    ----------
    .. [1] T. Deer et al., "The Polyanalgesic Consensus Conference (PACC)," Neuromodulation,
       2017 (simple continuous, flex and bolus dosing modes).
    """
    return flexible([(0.0, dose_ug_per_day)], concentration_ug_per_ml, days)


@arguments(
    delivery=instance_of("helpers.programs.Delivery"),
    start_minutes=SEQUENCE,
    wrap=FLAG,
    dose_ug=SCALAR,
    duration_min=SCALAR,
)
def add_boluses(delivery, start_minutes, dose_ug, duration_min, wrap=False):
    """
    A delivery with rectangular boluses added at given minutes.

    Parameters
    ----------
    delivery : Delivery
        The program the boluses are added to. [-]
    start_minutes : sequence of int
        Grid step at which each bolus starts. [min]
    dose_ug : float
        Drug in each bolus. [ug]
    duration_min : int
        Length of each bolus. [min]
    wrap : bool, default False
        If true, a bolus running past the end continues at the start (a daily pattern);
        else it is cut there. [-]

    Returns
    -------
    delivery : Delivery
        A new delivery; the input is unchanged. [-]

    References
    ----------
    .. [1] T. Deer et al., "The Polyanalgesic Consensus Conference (PACC)," Neuromodulation,
       2017 (continuous, flex and bolus dosing modes); the one-minute grid is a teaching
       choice.
    """
    rate = delivery.rate_ml_per_day.copy()
    BOLUS_DOSE.check(dose_ug, "dose_ug")
    duration_min = whole_minutes(duration_min)
    starts = np.asarray(start_minutes, dtype=float)
    Range("start_minutes", 0, len(rate) - 1, "min", "a step of the delivery's grid").check(starts)
    if np.any(starts != np.round(starts)):
        raise ValueError(f"start_minutes must be whole minutes of the grid, not {starts.tolist()}")
    extra = dose_ug / delivery.concentration_ug_per_ml / (duration_min * STEP_DAYS)
    for start in starts.astype(int):
        minutes = np.arange(start, start + duration_min)
        if wrap:
            minutes %= len(rate)
        np.add.at(rate, minutes[minutes < len(rate)], extra)
    return Delivery(rate, delivery.concentration_ug_per_ml)


@arguments(value=SCALAR)
def checked_count(value, name):
    """
    A whole number of boluses, or a clear error instead of silently dropping a fraction.

    Parameters
    ----------
    value : float
        The count as given, within ``ranges.PER_DAY``. [1/day]
    name : str
        The caller's parameter name, for the error message. [-]

    Returns
    -------
    count : int
        The same count as an integer. [1/day]

    References
    ----------
    .. [1] T. Deer et al., "The Polyanalgesic Consensus Conference (PACC)," Neuromodulation,
       2017 (continuous, flex and bolus dosing modes); the one-minute grid is a teaching
       choice.
    """
    PER_DAY.check(value, name)
    if abs(value - round(value)) > 1e-9:
        raise ValueError(f"{name} = {value:g} must be a whole number of boluses")
    return int(np.rint(value))


@arguments(duration_min=SCALAR)
def whole_minutes(duration_min, name="duration_min"):
    """
    A duration as a whole number of grid minutes, or a clear error.

    Parameters
    ----------
    duration_min : float
        The duration as given, within ``ranges.DURATION``. [min]
    name : str, default "duration_min"
        The caller's parameter name, for the error message. [-]

    Returns
    -------
    minutes : int
        The same duration as an integer. [min]

    References
    ----------
    .. [1] T. Deer et al., "The Polyanalgesic Consensus Conference (PACC)," Neuromodulation,
       2017 (continuous, flex and bolus dosing modes); the one-minute grid is a teaching
       choice.
    """
    DURATION.check(duration_min, name)
    if abs(duration_min - round(duration_min)) > 1e-9:
        raise ValueError(f"{name} = {duration_min:g} min must be a whole number of minutes")
    return int(np.rint(duration_min))


@arguments(
    base=instance_of("helpers.programs.Delivery"),
    bolus_dose_ug=SCALAR,
    boluses_per_day=SCALAR,
    duration_min=SCALAR,
    first_h=SCALAR,
)
def periodic(base, bolus_dose_ug, boluses_per_day, duration_min, first_h=0.0):
    """
    Periodic boluses on top of a program, equally spaced through every day.

    Parameters
    ----------
    base : Delivery
        The program the boluses are added to (continuous or flexible). [-]
    bolus_dose_ug : float
        Drug in each bolus. [ug]
    boluses_per_day : int
        Boluses per day, 0 for none. [1/day]
    duration_min : int
        Time over which each bolus is delivered. [min]
    first_h : float, default 0
        Clock time of the first bolus each day. [h]

    Returns
    -------
    delivery : Delivery
        The base program plus the boluses. [-]

    Raises
    ------
    ValueError
        If the boluses would overlap or an input is outside its range.

    Notes
    -----
    Each bolus adds :math:`B / (C\\,\\tau)` to the rate for :math:`\\tau` minutes, so each
    day gains exactly :math:`n B`. Start times are rounded to the minute. Giving part of
    the daily dose as periodic boluses is a published pattern [1]_.

    References
    ----------
    .. [1] PMID 26856808: intermittent boluses against continuous intrathecal infusion in
       a 10-patient crossover.
    """
    BOLUS_DOSE.check(bolus_dose_ug, "bolus_dose_ug")
    count = checked_count(boluses_per_day, "boluses_per_day")
    duration = whole_minutes(duration_min)
    first = minute_of_day(first_h, "first_h")
    if count == 0 or bolus_dose_ug == 0:
        return base
    spacing = MINUTES_PER_DAY / count
    if duration > spacing:
        raise ValueError(
            f"duration_min = {duration} min is longer than the {spacing:.0f} min between "
            f"{count} boluses a day; shorten the bolus or give fewer"
        )
    n = len(base.rate_ml_per_day)
    days = int(np.ceil(n / MINUTES_PER_DAY))
    in_day = (first + np.round(np.arange(count) * spacing).astype(int)) % MINUTES_PER_DAY
    starts = (np.arange(days)[:, None] * MINUTES_PER_DAY + in_day).ravel()
    # The pattern repeats daily: a bolus running past the end continues at the start.
    return add_boluses(base, starts[starts < n], bolus_dose_ug, duration, wrap=True)


@arguments(
    delivery=instance_of("helpers.programs.Delivery"),
    dead_volume_ml=SCALAR,
    initial_ug_per_ml=SCALAR,
    dispersion_factor=SCALAR,
)
def dose_at_tip(delivery, dead_volume_ml, initial_ug_per_ml=None, dispersion_factor=0.0):
    """
    Drug leaving the catheter tip for a delivery, through the catheter model.

    Parameters
    ----------
    delivery : Delivery
        The pump output. [-]
    dead_volume_ml : float
        Volume between reservoir and tip. [mL]
    initial_ug_per_ml : float, optional
        Concentration filling the line at the start; by default the reservoir's. [ug/mL]
    dispersion_factor : float, default 0
        See :func:`helpers.catheter.transport`. [-]

    Returns
    -------
    line : helpers.catheter.LineTransport
        Tip concentration and mass rate at the grid times. [-]

    Notes
    -----
    The line is incompressible: with the reservoir's solution already in the line every
    extra microlitre pushed by the pump leaves the tip at once, so a bolus reaches the CSF
    when it is given; a new concentration would arrive only after the dead volume [1]_.

    References
    ----------
    .. [1] Medtronic, "SynchroMed II clinician programmer: clinician programming guide,"
       model A810 (bridge and priming bolus workflows).
    """
    concentration = delivery.concentration_ug_per_ml
    return catheter.transport(
        delivery.schedule(),
        delivery.time_days,
        dead_volume_ml,
        initial_ug_per_ml=concentration if initial_ug_per_ml is None else initial_ug_per_ml,
        dispersion_factor=dispersion_factor,
    )


@arguments(
    delivery=instance_of("helpers.programs.Delivery"),
    drug_key=one_of("helpers.drugs.DRUGS"),
    tip=LEVEL,
    geometry=instance_of("helpers.spine.Canal", optional=True),
    block_min=INTEGER,
    dispersion_cm2_per_day=SCALAR,
)
def csf_at_tip(
    delivery, drug_key, tip="T11", dispersion_cm2_per_day=None, geometry=None, block_min=1
):
    """
    Concentration in the CSF at the catheter tip, starting from the steady state of the mean.

    Parameters
    ----------
    delivery : Delivery
        The pump output; its grid is the time step. [-]
    drug_key : str
        Drug, for its CSF clearance. [-]
    tip : str or float, default "T11"
        Catheter tip level. [-]
    dispersion_cm2_per_day : float, optional
        Pulsatile dispersion; default :func:`helpers.spine.human_dispersion`. [cm2/day]
    geometry : helpers.spine.Canal, optional
        The canal. [-]
    block_min : int, default 1
        Minutes averaged into one time step (a divisor of the delivery's length). [min]

    Returns
    -------
    spread : helpers.spine.Spread
        The CSF simulation, from the steady state of the delivery's mean dose. [-]

    Notes
    -----
    Starting at the steady state of the mean separates the ripple of the delivery pattern
    from the slow build-up after a start [1]_.

    References
    ----------
    .. [1] C. M. Bernards, "Cerebrospinal fluid and spinal cord distribution of baclofen and
       bupivacaine during slow intrathecal infusion in pigs," Anesthesiology, vol. 105,
       pp. 169-178, 2006.
    """
    geometry = geometry or spine.canal()
    if dispersion_cm2_per_day is None:
        dispersion_cm2_per_day = spine.human_dispersion()
    clearance = spine.clearance_per_day(drug_key)
    mean_rate = float(np.mean(delivery.rate_ml_per_day))
    block = whole_minutes(block_min, "block_min")
    if len(delivery.rate_ml_per_day) % block:
        raise ValueError(
            f"block_min = {block} min does not divide the delivery's "
            f"{len(delivery.rate_ml_per_day)} min"
        )
    source = delivery.dose_ug_per_day.reshape(-1, block).mean(axis=1)
    time_days = np.arange(len(source) + 1) * block * STEP_DAYS
    start = spine.steady_state(
        tip, float(np.mean(source)), dispersion_cm2_per_day, clearance, mean_rate, geometry
    )
    return spine.simulate(
        tip,
        time_days,
        source,
        dispersion_cm2_per_day,
        clearance,
        rate_ml_per_day=mean_rate,
        geometry=geometry,
        initial_ug_per_ml=start,
    )
