"""Dosing programs: what the pump delivers minute by minute, and the boluses a patient asks for.

A program (simple continuous, flexible day steps, periodic boluses) becomes a delivery rate
on a grid of one-minute steps. Patient-controlled boluses come from a seeded random demand
with a day/night profile, filtered by a lockout and a daily maximum. Pump mechanisms change
how a programmed rate is delivered: smoothly (peristaltic), as micro-boluses (valve-gated),
or at a rate set by temperature and outside pressure (gas-driven). An MRI scan stops a
peristaltic pump's rotor.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import numpy as np

from helpers import catheter, data, pump, spine, units
from helpers.validation import Range

#: Minutes in one day: the programs' time grid has one-minute steps.
MINUTES_PER_DAY = int(units.HOURS_PER_DAY * units.MINUTES_PER_HOUR)

#: One grid step. [day]
STEP_DAYS = 1.0 / MINUTES_PER_DAY

DAYS = Range(
    "days", 1.0 / 24.0, 60.0, "day", "teaching choice: one hour to two months at one-minute steps"
)
CLOCK = Range("start_h", 0.0, 24.0, "h", "clock time within a day")
STEP_DOSE = Range(
    "dose_ug_per_day",
    0.0,
    1.0e6,
    "ug/day",
    "teaching choice: a step may stop delivery, up to 1 g/day",
)
BOLUS_DOSE = Range("dose_ug", 0.0, 1.0e5, "ug", "teaching choice: up to 100 mg in one bolus")
DURATION = Range("duration_min", 1.0, 240.0, "min", "teaching choice: one minute to four hours")
LOCKOUT = Range("lockout_min", 1.0, 1440.0, "min", "teaching choice: one minute to one day")
PER_DAY = Range("max_per_day", 0.0, 48.0, "-", "teaching choice: up to two an hour")
PRESSES = Range("presses_per_day", 0.0, 50.0, "-", "teaching choice: up to 50 presses a day")
SHARE = Range("day_share", 0.0, 1.0, "-", "a share of the presses")
STROKE = Range("stroke_volume_ml", 1.0e-4, 0.05, "mL", "teaching choice: 0.1 to 50 uL")
TEMPERATURE = Range(
    "body_temperature_degc", 34.0, 42.0, "degC", "teaching choice: hypothermia to high fever"
)
ALTITUDE = Range("altitude_m", 0.0, 5000.0, "m", "teaching choice: sea level to 5 km")
WINDOW = Range("duration_h", 0.0, 72.0, "h", "teaching choice: up to three days")
SENSITIVITY = Range(
    "sensitivity_percent", 0.0, 50.0, "%/degC or %/km", "teaching choice: assumed sensitivity"
)


def _value(key):
    return data.lookup("programs", key).model_value


@dataclass(frozen=True)
class Delivery:
    """
    Pump output on a grid of one-minute steps.

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


def _steps(days):
    return int(np.rint(DAYS.check(days) * MINUTES_PER_DAY))


def _minute(hours, name):
    """A clock time in hours as a whole minute of the day, or a clear error."""
    CLOCK.check(hours, name)
    minutes = hours * units.MINUTES_PER_HOUR
    if abs(minutes - round(minutes)) > 1e-6:
        raise ValueError(f"{name} = {hours:g} h is not a whole minute; the program grid is 1 min")
    return int(np.rint(minutes)) % MINUTES_PER_DAY


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
    most = int(_value("flex_steps_max"))
    if not 1 <= len(steps) <= most:
        raise ValueError(
            f"steps: {len(steps)} given; a program has 1 to {most} steps a day "
            "(programs.flex_steps_max)"
        )
    starts = np.array([_minute(start, "start_h") for start, _ in steps])
    doses = np.array([float(STEP_DOSE.check(dose)) for _, dose in steps])
    if len(set(starts.tolist())) != len(starts):
        raise ValueError("steps: two steps start at the same minute; give each its own start_h")
    pump.CONCENTRATION.check(concentration_ug_per_ml)
    order = np.argsort(starts)
    starts, doses = starts[order], doses[order]
    # The step under way at each minute of the day; before the first start, the last step.
    minute = np.arange(MINUTES_PER_DAY)
    day_dose = doses[np.searchsorted(starts, minute, side="right") - 1]
    rate = np.resize(day_dose / concentration_ug_per_ml, _steps(days))
    return Delivery(rate, float(concentration_ug_per_ml))


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


def _add_boluses(delivery, start_minutes, dose_ug, duration_min, wrap=False):
    """
    Add rectangular boluses of ``dose_ug`` over ``duration_min`` starting at given minutes;
    with ``wrap`` a bolus running past the end continues at the start (a daily pattern),
    else it is cut there.
    """
    rate = delivery.rate_ml_per_day.copy()
    extra = dose_ug / delivery.concentration_ug_per_ml / (duration_min * STEP_DAYS)
    for start in start_minutes:
        minutes = np.arange(start, start + duration_min)
        if wrap:
            minutes %= len(rate)
        np.add.at(rate, minutes[minutes < len(rate)], extra)
    return Delivery(rate, delivery.concentration_ug_per_ml)


def _count(value, name):
    """A whole number of boluses, or a clear error instead of silently dropping a fraction."""
    PER_DAY.check(value, name)
    if abs(value - round(value)) > 1e-9:
        raise ValueError(f"{name} = {value:g} must be a whole number of boluses")
    return int(np.rint(value))


def _whole_minutes(duration_min, name="duration_min"):
    DURATION.check(duration_min, name)
    if abs(duration_min - round(duration_min)) > 1e-9:
        raise ValueError(f"{name} = {duration_min:g} min must be a whole number of minutes")
    return int(np.rint(duration_min))


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
    count = _count(boluses_per_day, "boluses_per_day")
    duration = _whole_minutes(duration_min)
    first = _minute(first_h, "first_h")
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
    return _add_boluses(base, starts[starts < n], bolus_dose_ug, duration, wrap=True)


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
        BOLUS_DOSE.check(self.dose_ug)
        _whole_minutes(self.duration_min)
        LOCKOUT.check(self.lockout_min)
        if abs(self.lockout_min - round(self.lockout_min)) > 1e-9:
            raise ValueError(
                f"lockout_min = {self.lockout_min:g} min must be a whole number of minutes"
            )
        _count(self.max_per_day, "max_per_day")
        if self.lockout_min < self.duration_min:
            raise ValueError(
                f"lockout_min = {self.lockout_min:g} min is shorter than the bolus "
                f"(duration_min = {self.duration_min:g} min); allowed range is "
                f"[{self.duration_min:g}, {LOCKOUT.high:g}] min"
            )


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
    steps = _steps(days)
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
    return _add_boluses(base, starts, bolus.dose_ug, int(bolus.duration_min))


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
    rate = delivery.rate_ml_per_day
    concentration = delivery.concentration_ug_per_ml
    starts = np.concatenate([[0], np.flatnonzero(np.diff(rate)) + 1])
    durations = np.diff(np.append(starts, len(rate))) * STEP_DAYS
    program = catheter.FlowProgram.from_segments(
        [(d, r, concentration) for d, r in zip(durations, rate[starts], strict=True)]
    )
    return catheter.transport(
        program,
        delivery.time_days,
        dead_volume_ml,
        initial_ug_per_ml=concentration if initial_ug_per_ml is None else initial_ug_per_ml,
        dispersion_factor=dispersion_factor,
    )


def actuation_interval_min(rate_ml_per_day, stroke_volume_ml):
    """
    Time between valve actuations of a valve-gated pump.

    Parameters
    ----------
    rate_ml_per_day : float
        Programmed rate. [mL/day]
    stroke_volume_ml : float
        Volume released per actuation (the accumulator). [mL]

    Returns
    -------
    interval_min : float
        Minutes between actuations. [min]

    References
    ----------
    .. [1] IntrathecalTherapyOptimization app (Flowonix-branded, 2018): "1 valve actuation
       every X min".

    Examples
    --------
    >>> round(actuation_interval_min(0.5, 0.0025), 3)
    7.2
    """
    pump.RATE.check(rate_ml_per_day)
    STROKE.check(stroke_volume_ml)
    return stroke_volume_ml / rate_ml_per_day * MINUTES_PER_DAY


def valve_gated(rate_ml_per_day, concentration_ug_per_ml, days=1.0, stroke_volume_ml=None):
    """
    A valve-gated accumulator pump: the rate delivered as fixed micro-volume pulses.

    Parameters
    ----------
    rate_ml_per_day : float
        Programmed rate. [mL/day]
    concentration_ug_per_ml : float
        Drug concentration. [ug/mL]
    days : float, default 1
        Length of the delivery. [day]
    stroke_volume_ml : float, optional
        Volume per actuation; default ``programs.micro_bolus_volume``. [mL]

    Returns
    -------
    delivery : Delivery
        Each minute's pulses as that minute's rate. [-]

    Notes
    -----
    The :math:`k`-th pulse leaves when :math:`Q t` reaches :math:`k V_s`, so the volume
    delivered by :math:`t` is :math:`V_s \\lfloor Q t / V_s \\rfloor`: never more than one
    pulse away from the programmed :math:`Q t` [1]_.

    References
    ----------
    .. [1] Flowonix, "Prometra Clinician Programmer" manual (valve-actuation schedule).
    """
    stroke = _value("micro_bolus_volume") if stroke_volume_ml is None else stroke_volume_ml
    pump.RATE.check(rate_ml_per_day)
    STROKE.check(stroke, "stroke_volume_ml")
    pump.CONCENTRATION.check(concentration_ug_per_ml)
    edges = np.arange(_steps(days) + 1) * STEP_DAYS
    pulses = np.floor(rate_ml_per_day * edges / stroke + 1e-9)
    return Delivery(np.diff(pulses) * stroke / STEP_DAYS, float(concentration_ug_per_ml))


def gas_flow_factor(
    body_temperature_degc,
    altitude_m,
    temperature_sensitivity_percent=None,
    altitude_sensitivity_percent=None,
):
    """
    Flow of a gas-driven pump relative to its labelled rate.

    Parameters
    ----------
    body_temperature_degc : array_like
        Temperature around the pump. [degC]
    altitude_m : array_like
        Altitude (or airliner cabin altitude). [m]
    temperature_sensitivity_percent : float, optional
        Assumed change of flow per degree; default ``programs.gas_temperature_sensitivity``
        (a teaching assumption). [%/degC]
    altitude_sensitivity_percent : float, optional
        Assumed change of flow per kilometre; default ``programs.gas_altitude_sensitivity``
        (a teaching assumption). [%/km]

    Returns
    -------
    factor : numpy.ndarray
        Flow over labelled flow, never below 0. [-]

    Notes
    -----
    Flow through the restrictor follows the pressure difference between the propellant,
    whose vapour pressure rises with temperature, and the outlet: fever and lower outside
    pressure both raise it [1]_. No verified magnitude exists, so the model is linear in
    both, with the sensitivities as explicit assumptions:
    :math:`f = (1 + s_T (T - T_{ref})) (1 + s_h h)`.

    References
    ----------
    .. [1] Codman pumps patient FAQ: local heat makes the pump run slightly faster; deep
       diving changes the flow rate.
    """
    s_t = (
        _value("gas_temperature_sensitivity")
        if temperature_sensitivity_percent is None
        else (temperature_sensitivity_percent)
    )
    s_h = (
        _value("gas_altitude_sensitivity")
        if altitude_sensitivity_percent is None
        else (altitude_sensitivity_percent)
    )
    SENSITIVITY.check(s_t, "temperature_sensitivity_percent")
    SENSITIVITY.check(s_h, "altitude_sensitivity_percent")
    temperature = np.asarray(TEMPERATURE.check(body_temperature_degc), dtype=float)
    altitude_km = np.asarray(ALTITUDE.check(altitude_m), dtype=float) / 1000.0
    reference = _value("gas_reference_temperature")
    factor = (1.0 + s_t / 100.0 * (temperature - reference)) * (1.0 + s_h / 100.0 * altitude_km)
    return np.maximum(factor, 0.0)


def gas_driven(rate_ml_per_day, concentration_ug_per_ml, body_temperature_degc, altitude_m, **kw):
    """
    A gas-driven fixed-rate pump under a temperature and altitude history.

    Parameters
    ----------
    rate_ml_per_day : float
        Labelled (fixed) rate at the reference temperature and sea level. [mL/day]
    concentration_ug_per_ml : float
        Drug concentration. [ug/mL]
    body_temperature_degc, altitude_m : numpy.ndarray
        One value per one-minute step (see :func:`fever` and :func:`flight`). [degC, m]
    **kw
        Sensitivities passed to :func:`gas_flow_factor`. [%/degC, %/km]

    Returns
    -------
    delivery : Delivery
        The pump output. [-]

    References
    ----------
    .. [1] J&J MedTech, "CODMAN 3000 Constant Flow Pump Patient Support" (drive principle).
    """
    pump.RATE.check(rate_ml_per_day)
    pump.CONCENTRATION.check(concentration_ug_per_ml)
    factor = gas_flow_factor(body_temperature_degc, altitude_m, **kw)
    return Delivery(rate_ml_per_day * np.asarray(factor, dtype=float), concentration_ug_per_ml)


def _window(days, start_h, duration_h, inside, outside):
    """Per step: ``inside`` from ``start_h`` for ``duration_h`` (from day 0), else ``outside``."""
    steps = _steps(days)
    _minute(start_h, "start_h")
    first = int(np.rint(start_h * units.MINUTES_PER_HOUR))  # 24 h ends day 0; not 00:00
    WINDOW.check(duration_h)
    length = int(np.rint(duration_h * units.MINUTES_PER_HOUR))
    values = np.full(steps, float(outside))
    values[first : first + length] = inside
    return values


def fever(days, peak_degc, start_h, duration_h):
    """
    Body temperature per step: a fever plateau on an otherwise normal day.

    Parameters
    ----------
    days : float
        Length of the history. [day]
    peak_degc : float
        Temperature during the fever. [degC]
    start_h, duration_h : float
        When the fever starts on day 0 and how long it lasts. [h]

    Returns
    -------
    body_temperature_degc : numpy.ndarray
        One value per one-minute step. [degC]

    References
    ----------
    .. [1] "Implanted Infusion Pumps" fact sheet for patients: sustained temperatures above
       38.9 degC can change the flow rate.
    """
    TEMPERATURE.check(peak_degc, "peak_degc")
    return _window(days, start_h, duration_h, peak_degc, _value("gas_reference_temperature"))


def flight(days, cabin_altitude_m, start_h, duration_h):
    """
    Altitude per step: a flight at a cabin altitude, on the ground otherwise.

    Parameters
    ----------
    days : float
        Length of the history. [day]
    cabin_altitude_m : float
        Cabin pressure altitude in flight (up to 2,438 m in airliners). [m]
    start_h, duration_h : float
        Departure on day 0 and flight time. [h]

    Returns
    -------
    altitude_m : numpy.ndarray
        One value per one-minute step. [m]

    References
    ----------
    .. [1] US 14 CFR 25.841(a): cabin pressure altitude of not more than 8,000 ft.
    """
    ALTITUDE.check(cabin_altitude_m, "cabin_altitude_m")
    return _window(days, start_h, duration_h, cabin_altitude_m, 0.0)


def mri(base, start_h, scan_h, restart_delay_h):
    """
    A peristaltic pump in an MRI scanner: the magnet stops the rotor.

    Parameters
    ----------
    base : Delivery
        The programmed delivery. [-]
    start_h : float
        Start of the scan on day 0. [h]
    scan_h : float
        Time in the scanner. [h]
    restart_delay_h : float
        Extra time before the rotor runs again (2 to 24 h have been seen). [h]

    Returns
    -------
    delivery : Delivery
        The program with no flow from the start of the scan until the restart. [-]

    References
    ----------
    .. [1] Medtronic, "The Effects of MRI on Medtronic Drug Infusion Systems."
    """
    WINDOW.check(scan_h, "scan_h")
    WINDOW.check(restart_delay_h, "restart_delay_h")
    days = len(base.rate_ml_per_day) * STEP_DAYS
    stopped = _window(days, start_h, scan_h + restart_delay_h, 0.0, 1.0)
    return Delivery(base.rate_ml_per_day * stopped, base.concentration_ug_per_ml)


def mri_valve_gated(base, start_h, scan_h, reset_delay_h, emptied, residual_ml):
    """
    A valve-gated (Prometra-type) pump in an MRI scanner.

    Parameters
    ----------
    base : Delivery
        The programmed delivery. [-]
    start_h : float
        Start of the scan on day 0; an emptied pump is emptied just before it. [h]
    scan_h : float
        Time in the scanner. [h]
    reset_delay_h : float
        Time after the scan until the pump is reset and refilled. [h]
    emptied : bool
        Whether the reservoir was emptied before the scan. [-]
    residual_ml : float
        Drug in the reservoir at the scan if it was not emptied. [mL]

    Returns
    -------
    delivery : Delivery
        No flow from the start of the scan until the reset; if the pump was not emptied,
        the whole residual volume leaves in the first minute of the scan. [-]

    Notes
    -----
    A strong field may open the inlet and outlet valves and discharge the reservoir and
    catheter contents at once; after exposure the flow-activated valve stays closed until
    the pump is reset [1]_. The catheter's own contents are delivered in the same minute
    and are not added here (they are a few hundred microlitres).

    References
    ----------
    .. [1] Flowonix, Prometra II Programmable Pump IFU, pp. 8 and 14.
    """
    WINDOW.check(scan_h, "scan_h")
    WINDOW.check(reset_delay_h, "reset_delay_h")
    if not isinstance(emptied, bool):
        raise TypeError(f"emptied must be True or False, not {emptied!r:.40}")
    pump.VOLUME.check(residual_ml, "residual_ml")
    days = len(base.rate_ml_per_day) * STEP_DAYS
    stopped = _window(days, start_h, scan_h + reset_delay_h, 0.0, 1.0)
    rate = base.rate_ml_per_day * stopped
    if not emptied and residual_ml > 0:
        first = round(units.hours_to_days(CLOCK.check(start_h, "start_h")) / STEP_DAYS)
        rate = rate.copy()
        rate[min(first, len(rate) - 1)] = residual_ml / STEP_DAYS
    return Delivery(rate, base.concentration_ug_per_ml)


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
    block = _whole_minutes(block_min, "block_min")
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
