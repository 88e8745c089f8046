"""Refill scheduling: when to refill, how often, and what a plan trades off.

A reservoir filled with V_fill [mL] reaches the low-reservoir alarm volume V_alarm after
T = (V_fill - V_alarm) / Q days at flow rate Q [mL/day]. A refill must come before the alarm
(less a safety margin) and before the drug's stability limit, whichever is first; the
clinic turns that into dates, visits per year and a trade-off between concentration,
interval and dead-volume delay."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from helpers import units
from helpers.pump import (
    daily_dose_ug_per_day,
    days_to_alarm,
    days_to_empty,
    flow_rate_ml_per_day,
    reservoir_volume_ml,
)
from helpers.ranges import (
    ACCURACY,
    CONCENTRATION,
    DOSE,
    INTERVAL,
    MARGIN,
    MONTHS,
    RATE,
    TIME,
    VOLUME,
)
from helpers.validation import NUMBERS, SCALAR, SEQUENCE, arguments, instance_of, plain


@arguments(margin_days=NUMBERS)
def refill_by_days(fill_volume_ml, rate_ml_per_day, alarm_volume_ml, margin_days, stability_days):
    """
    Latest day after a refill by which the next refill should happen.

    Parameters
    ----------
    fill_volume_ml : numeric
        Drug volume in the reservoir just after the refill. [mL]
    rate_ml_per_day : numeric
        Flow rate. [mL/day]
    alarm_volume_ml : numeric
        Residual volume at which the pump alarms. [mL]
    margin_days : numeric
        How many days before the alarm the refill is planned. [day]
    stability_days : numeric
        Longest time the drug may stay in the pump. [day]

    Returns
    -------
    days : numeric
        ``min(max(T_alarm - margin, 0), stability)``. [day]

    Raises
    ------
    ValueError
        If an input is not finite or outside its range (:data:`VOLUME`, :data:`RATE`,
        :data:`MARGIN`, :data:`INTERVAL`).

    Notes
    -----
    Practice plans the refill 3 to 5 days before the alarm date [1]_ and never later than
    the drug's stability limit in the pump (for example 40 days for diluted ziconotide) [2]_.

    References
    ----------
    .. [1] Gillette Children's, "Intrathecal baclofen pump refills."
    .. [2] PRIALT HCP site, "Intrathecal pump use and drug delivery."

    Examples
    --------
    >>> refill_by_days(20.0, 0.1, 2.0, 3.0, 90.0)
    90.0
    """
    MARGIN.check(margin_days)
    INTERVAL.check(stability_days, "stability_days")
    alarm_days = days_to_alarm(fill_volume_ml, rate_ml_per_day, alarm_volume_ml)
    margin = np.asarray(margin_days, dtype=float)
    return plain(np.minimum(np.maximum(alarm_days - margin, 0.0), stability_days))


@arguments(
    interval_days=SCALAR,
    months=SCALAR,
    first_interval_days=SCALAR,
    start_date=instance_of("datetime.date"),
)
def refill_dates(start_date, interval_days, months, first_interval_days=None):
    """
    Dates of the refill visits over a period, one visit every whole ``interval_days``.

    Parameters
    ----------
    start_date : datetime.date
        Date of the first fill (not counted as a visit). [date]
    interval_days : float
        Planned refill interval; visits fall on whole days, so it is rounded down. [day]
    months : float
        Length of the period. [month]
    first_interval_days : float, optional
        A shorter first interval, e.g. ziconotide's first fill of a new pump; later
        visits follow every ``interval_days`` from the first. [day]

    Returns
    -------
    dates : tuple of datetime.date
        Visits after ``start_date`` up to and including the period's end. [date]

    Raises
    ------
    ValueError
        If ``interval_days`` is under one day or ``months`` lies outside :data:`MONTHS`.

    Notes
    -----
    A month is 365.25 / 12 days. Refill intervals run from 6 weeks to 6 months in
    practice [1]_.

    References
    ----------
    .. [1] Medtronic UK, "Daily living - drug pumps."

    Examples
    --------
    >>> refill_dates(datetime.date(2026, 1, 1), 90.0, 6)
    (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30))
    """
    INTERVAL.check(interval_days)
    MONTHS.check(months)
    step = int(interval_days)
    first = step
    if first_interval_days is not None:
        first = min(int(INTERVAL.check(first_interval_days, "first_interval_days")), step)
    end_day = months * units.DAYS_PER_MONTH
    return tuple(
        start_date + datetime.timedelta(days=day) for day in range(first, int(end_day) + 1, step)
    )


def visits_per_year(interval_days):
    """
    Refill visits per year for a refill interval.

    Parameters
    ----------
    interval_days : numeric
        Planned refill interval, rounded down to whole days. [day]

    Returns
    -------
    visits : numeric
        365.25 divided by the whole-day interval. [1/year]

    Raises
    ------
    ValueError
        If ``interval_days`` lies outside :data:`INTERVAL`.

    Notes
    -----
    Refills every 6 weeks to 6 months mean about 2 to 9 visits a year [1]_.

    References
    ----------
    .. [1] Medtronic UK, "Daily living - drug pumps."

    Examples
    --------
    >>> round(visits_per_year(90.0), 2)
    4.06
    """
    INTERVAL.check(interval_days)
    return plain(units.DAYS_PER_YEAR / np.floor(interval_days))


@arguments(visit_days=SEQUENCE)
def reservoir_after_visits_ml(time_days, fill_volume_ml, rate_ml_per_day, visit_days):
    """
    Reservoir volume with a refill to ``fill_volume_ml`` at day 0 and at every visit.

    Parameters
    ----------
    time_days : array_like
        Times since the first fill. [day]
    fill_volume_ml : float
        Volume after every refill. [mL]
    rate_ml_per_day : float
        Flow rate. [mL/day]
    visit_days : array_like
        Days of the later refills, in increasing order. [day]

    Returns
    -------
    volume_ml : numpy.ndarray
        Volume left at each time, never below zero. [mL]

    References
    ----------
    .. [1] Codman, "ARCHIMEDES implantable constant-flow infusion pump: user manual,"
       App. B, rev. 10/2011.

    Examples
    --------
    >>> float(reservoir_after_visits_ml(20.0, 20.0, 0.5, [14.0, 44.0]))
    17.0
    """
    time_days = np.asarray(TIME.check(time_days), dtype=float)
    visits = np.concatenate([[0.0], np.asarray(TIME.check(visit_days, "visit_days"), float)])
    if np.any(np.diff(visits) <= 0):
        raise ValueError("visit_days must increase and come after day 0")
    last = visits[np.searchsorted(visits, time_days, side="right") - 1]
    return reservoir_volume_ml(time_days - last, fill_volume_ml, rate_ml_per_day)


def reservoir_with_refills_ml(time_days, fill_volume_ml, rate_ml_per_day, interval_days):
    """
    Reservoir volume over time when the pump is refilled to the same volume at a fixed interval.

    Parameters
    ----------
    time_days : numeric
        Time since the first fill. [day]
    fill_volume_ml : float
        Volume after each refill. [mL]
    rate_ml_per_day : float
        Flow rate. [mL/day]
    interval_days : float
        Refill interval, rounded down to whole days. [day]

    Returns
    -------
    volume_ml : numeric
        Volume in the reservoir, a saw-tooth that never falls below zero. [mL]

    Raises
    ------
    ValueError
        If an input is not finite or lies outside its range.

    Notes
    -----
    :math:`V(t) = \\max(V_{fill} - Q (t \\bmod \\Delta), 0)` with :math:`\\Delta` the
    whole-day interval; each refill restores :math:`V_{fill}` [1]_.

    References
    ----------
    .. [1] Codman, "ARCHIMEDES implantable constant-flow infusion pump: user manual,"
       App. B, rev. 10/2011.

    Examples
    --------
    >>> reservoir_with_refills_ml(35.0, 20.0, 0.5, 30.0)
    17.5
    """
    INTERVAL.check(interval_days)
    since_refill = np.mod(TIME.check(time_days), np.floor(interval_days))
    return reservoir_volume_ml(since_refill, fill_volume_ml, rate_ml_per_day)


@dataclass(frozen=True)
class RefillPlan:
    """
    Everything the refill explorer shows for one program, from one model call.

    Parameters
    ----------
    rate_ml_per_day : float
        Flow rate. [mL/day]
    rate_ul_per_h : float
        The same flow rate. [uL/h]
    days_to_alarm, days_to_empty : float
        Time from the refill to the alarm and to an empty reservoir. [day]
    days_to_alarm_fast, days_to_alarm_slow : float
        Time to the alarm for a pump at the fast and slow edge of its accuracy band. [day]
    refill_by_days : float
        Latest planned refill (alarm minus margin, capped by stability). [day]
    limited_by : {'alarm', 'stability'}
        Which of the two sets the refill-by day. [-]
    """

    rate_ml_per_day: float
    rate_ul_per_h: float
    days_to_alarm: float
    days_to_empty: float
    days_to_alarm_fast: float
    days_to_alarm_slow: float
    refill_by_days: float
    limited_by: str

    def date_after(self, start_date, days):
        """Calendar date ``days`` (rounded down) after ``start_date``."""
        return start_date + datetime.timedelta(days=int(days))


@arguments(
    dose_ug_per_day=SCALAR,
    concentration_ug_per_ml=SCALAR,
    fill_volume_ml=SCALAR,
    alarm_volume_ml=SCALAR,
    accuracy_percent=SCALAR,
    stability_days=SCALAR,
    margin_days=SCALAR,
)
def plan_refill(
    dose_ug_per_day,
    concentration_ug_per_ml,
    fill_volume_ml,
    alarm_volume_ml,
    accuracy_percent,
    stability_days,
    margin_days,
):
    """
    Flow rate, alarm, empty and refill-by days for one program.

    Parameters
    ----------
    dose_ug_per_day : float
        Programmed daily dose. [ug/day]
    concentration_ug_per_ml : float
        Drug concentration in the reservoir. [ug/mL]
    fill_volume_ml : float
        Drug volume just after the refill. [mL]
    alarm_volume_ml : float
        Low-reservoir alarm volume. [mL]
    accuracy_percent : float
        Pump accuracy specification, plus or minus. [%]
    stability_days : float
        Longest time the drug may stay in the pump. [day]
    margin_days : float
        How many days before the alarm the refill is planned. [day]

    Returns
    -------
    plan : RefillPlan
        The derived quantities. [-]

    Raises
    ------
    ValueError
        If an input is not finite or lies outside its range.

    Notes
    -----
    Combines :func:`flow_rate_ml_per_day`, :func:`days_to_alarm`,
    :func:`accuracy_band_ml_per_day` and :func:`refill_by_days` [1]_ [2]_.

    References
    ----------
    .. [1] Codman, "ARCHIMEDES implantable constant-flow infusion pump: user manual,"
       App. B, rev. 10/2011.
    .. [2] Gillette Children's, "Intrathecal baclofen pump refills."

    Examples
    --------
    >>> plan_refill(3000.0, 10000.0, 20.0, 2.0, 14.5, 90.0, 3.0).days_to_alarm
    60.0
    """
    rate = float(flow_rate_ml_per_day(dose_ug_per_day, concentration_ug_per_ml))
    RATE.check(rate)
    ACCURACY.check(accuracy_percent)
    alarm = float(days_to_alarm(fill_volume_ml, rate, alarm_volume_ml))
    # The band's edges are derived rates, not inputs: scale the time, do not re-validate.
    fraction = accuracy_percent / 100.0
    refill_by = float(
        refill_by_days(fill_volume_ml, rate, alarm_volume_ml, margin_days, stability_days)
    )
    return RefillPlan(
        rate_ml_per_day=rate,
        rate_ul_per_h=float(units.ml_per_day_to_ul_per_h(rate)),
        days_to_alarm=alarm,
        days_to_empty=float(days_to_empty(fill_volume_ml, rate)),
        days_to_alarm_fast=alarm / (1.0 + fraction),
        days_to_alarm_slow=alarm / (1.0 - fraction),
        refill_by_days=refill_by,
        limited_by="stability" if refill_by >= stability_days else "alarm",
    )


@arguments(
    pump_model=instance_of("helpers.pump.PumpModel"),
    dose_ug_per_day=SCALAR,
    concentration_ug_per_ml=SCALAR,
    fill_volume_ml=SCALAR,
    alarm_volume_ml=SCALAR,
    stability_days=SCALAR,
    margin_days=SCALAR,
)
def plan_for_pump(
    pump_model,
    dose_ug_per_day,
    concentration_ug_per_ml,
    fill_volume_ml,
    alarm_volume_ml,
    stability_days,
    margin_days,
):
    """
    :func:`plan_refill` for a given pump, which for a fixed-rate pump runs at its one rate.

    Parameters
    ----------
    pump_model : PumpModel
        The implanted pump. [-]
    dose_ug_per_day : float
        Prescribed daily dose. [ug/day]
    concentration_ug_per_ml : float
        Drug concentration in the reservoir. [ug/mL]
    fill_volume_ml : float
        Drug volume just after the refill. [mL]
    alarm_volume_ml : float
        Low-reservoir alarm volume. [mL]
    stability_days : float
        Longest time the drug may stay in the pump. [day]
    margin_days : float
        How many days before the alarm the refill is planned. [day]

    Returns
    -------
    plan : RefillPlan
        The program as the pump actually runs it. [-]
    delivered_dose_ug_per_day : float
        The dose the pump actually delivers: the prescribed dose for a programmable pump,
        the fixed rate times the concentration for a fixed-rate pump. [ug/day]

    Raises
    ------
    ValueError
        If an input is not finite or lies outside its range.

    Notes
    -----
    A gas-driven pump's flow is set at manufacture, so the dose follows from the
    concentration alone [1]_.

    References
    ----------
    .. [1] J&J MedTech, "CODMAN 3000 constant flow pump: patient support."
    """
    delivered = DOSE.check(dose_ug_per_day)
    if pump_model.is_fixed_rate:
        delivered = daily_dose_ug_per_day(pump_model.min_rate_ml_per_day, concentration_ug_per_ml)
    plan = plan_refill(
        delivered,
        concentration_ug_per_ml,
        fill_volume_ml,
        alarm_volume_ml,
        pump_model.accuracy_percent,
        stability_days,
        margin_days,
    )
    return plan, delivered


@dataclass(frozen=True)
class TradeOff:
    """
    Flow rate and refill timing across concentrations at one daily dose.

    Parameters
    ----------
    concentration_ug_per_ml : numpy.ndarray
        The concentrations evaluated. [ug/mL]
    rate_ml_per_day : numpy.ndarray
        Flow rate at each concentration; NaN where it lies outside :data:`RATE`. [mL/day]
    days_to_alarm : numpy.ndarray
        Time to the alarm; NaN where the rate is NaN. [day]
    refill_by_days : numpy.ndarray
        Refill-by day, capped by stability; NaN where the rate is NaN. [day]
    """

    concentration_ug_per_ml: np.ndarray
    rate_ml_per_day: np.ndarray
    days_to_alarm: np.ndarray
    refill_by_days: np.ndarray


@arguments(
    concentration_ug_per_ml=SEQUENCE,
    fill_volume_ml=SCALAR,
    alarm_volume_ml=SCALAR,
    stability_days=SCALAR,
    margin_days=SCALAR,
)
def tradeoff(
    dose_ug_per_day,
    concentration_ug_per_ml,
    fill_volume_ml,
    alarm_volume_ml,
    stability_days,
    margin_days,
):
    """
    At a fixed daily dose, how the concentration sets the flow rate and the refill interval.

    Parameters
    ----------
    dose_ug_per_day : float
        Prescribed daily dose. [ug/day]
    concentration_ug_per_ml : array_like
        Concentrations to evaluate. [ug/mL]
    fill_volume_ml : float
        Drug volume just after the refill. [mL]
    alarm_volume_ml : float
        Low-reservoir alarm volume. [mL]
    stability_days : float
        Longest time the drug may stay in the pump. [day]
    margin_days : float
        How many days before the alarm the refill is planned. [day]

    Returns
    -------
    curves : TradeOff
        Rate, days to alarm and refill-by day per concentration. [-]

    Raises
    ------
    ValueError
        If a scalar input or a concentration is not finite or lies outside its range.

    Notes
    -----
    :math:`Q = D / C` and :math:`T = (V_{fill} - V_{alarm}) C / D`: at a fixed dose the
    interval grows in proportion to the concentration until the stability limit caps it
    [1]_. Concentrations whose rate would leave :data:`RATE` give NaN, so whole arrays
    still flow through.

    References
    ----------
    .. [1] Codman, "ARCHIMEDES implantable constant-flow infusion pump: user manual,"
       App. B, rev. 10/2011.

    Examples
    --------
    >>> tradeoff(3000.0, [10000.0], 20.0, 2.0, 90.0, 3.0).days_to_alarm
    array([60.])
    """
    DOSE.check(dose_ug_per_day)
    VOLUME.check(fill_volume_ml, "fill_volume_ml")
    VOLUME.check(alarm_volume_ml, "alarm_volume_ml")
    INTERVAL.check(stability_days, "stability_days")
    MARGIN.check(margin_days)
    concentration = np.asarray(CONCENTRATION.check(concentration_ug_per_ml), dtype=float)
    rate = dose_ug_per_day / concentration
    rate = np.where((rate > RATE.low) & (rate <= RATE.high), rate, np.nan)
    valid = np.isfinite(rate)
    alarm = np.full_like(rate, np.nan)
    refill_by = np.full_like(rate, np.nan)
    if valid.any():
        alarm[valid] = days_to_alarm(fill_volume_ml, rate[valid], alarm_volume_ml)
        refill_by[valid] = refill_by_days(
            fill_volume_ml, rate[valid], alarm_volume_ml, margin_days, stability_days
        )
    return TradeOff(concentration, rate, alarm, refill_by)


def rate_for_interval_ml_per_day(fill_volume_ml, alarm_volume_ml, interval_days):
    """
    Flow rate at which a fill lasts exactly ``interval_days`` until the alarm.

    Parameters
    ----------
    fill_volume_ml : numeric
        Drug volume just after the refill. [mL]
    alarm_volume_ml : numeric
        Low-reservoir alarm volume. [mL]
    interval_days : numeric
        Desired time from the refill to the alarm. [day]

    Returns
    -------
    rate_ml_per_day : numeric
        :math:`Q = (V_{fill} - V_{alarm}) / T`. [mL/day]

    Raises
    ------
    ValueError
        If an input is not finite or outside its range, or the fill does not exceed the
        alarm volume.

    Notes
    -----
    The inverse of :func:`days_to_alarm` [1]_; divide the dose by this rate to find the
    concentration that gives a chosen refill interval.

    References
    ----------
    .. [1] Codman, "ARCHIMEDES implantable constant-flow infusion pump: user manual,"
       App. B, rev. 10/2011.

    Examples
    --------
    >>> rate_for_interval_ml_per_day(20.0, 2.0, 60.0)
    0.3
    """
    VOLUME.check(fill_volume_ml, "fill_volume_ml")
    VOLUME.check(alarm_volume_ml, "alarm_volume_ml")
    INTERVAL.check(interval_days)
    fill, alarm = np.broadcast_arrays(
        np.asarray(fill_volume_ml, dtype=float), np.asarray(alarm_volume_ml, dtype=float)
    )
    usable = fill - alarm
    if np.any(usable <= 0):
        first = np.flatnonzero(usable <= 0)[0]
        raise ValueError(
            f"fill_volume_ml = {fill.flat[first]:g} mL must exceed alarm_volume_ml = "
            f"{alarm.flat[first]:g} mL; allowed range is fill > alarm"
        )
    return plain(usable / np.asarray(interval_days, dtype=float))
