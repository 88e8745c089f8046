"""Pump and reservoir: flow rate from dose and concentration, reservoir depletion, refill timing.

The programmed daily dose D [ug/day], the concentration in the reservoir C [ug/mL] and the
flow rate Q [mL/day] are tied by Q = D / C. A reservoir filled with V_fill [mL] reaches the
low-reservoir alarm volume V_alarm after T = (V_fill - V_alarm) / Q days.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from helpers import data
from helpers.data import Quantity
from helpers.ranges import (
    ACCURACY,
    CONCENTRATION,
    DOSE,
    RATE,
    TIME,
    VOLUME,
)
from helpers.validation import TEXT, arguments, plain

#: Pump keys in the order the course presents them.
PUMPS = ("peristaltic", "valve_gated", "gas_driven")


@dataclass(frozen=True)
class PumpModel:
    """
    One kind of implanted pump with its sourced figures.

    Parameters
    ----------
    key : str
        Key in ``helpers/data/pumps.toml``. [-]
    name, mechanism : str
        Display name and how it moves the drug. [-]
    reservoir_volume : Quantity
        Available reservoir sizes. [mL]
    alarm_volume : Quantity
        Residual volume at which the pump alarms or, for the valve-gated pump, the patient
        controller's refill-date volume (not an alarm). [mL]
    min_rate, max_rate : Quantity
        Programmable flow-rate limits (equal for a fixed-rate pump). [mL/day]
    accuracy : Quantity
        Flow accuracy specification, plus or minus. [%]
    """

    key: str
    name: str
    mechanism: str
    reservoir_volume: Quantity
    alarm_volume: Quantity
    min_rate: Quantity
    max_rate: Quantity
    accuracy: Quantity

    @property
    def reservoir_volumes_ml(self):
        """Available reservoir sizes. [mL]"""
        return self.reservoir_volume.model_value

    @property
    def alarm_volume_ml(self):
        """Low-reservoir alarm (or refill-date) volume. [mL]"""
        return self.alarm_volume.model_value

    @property
    def alarm_name(self):
        """What the alarm volume is for this pump, for labels and findings."""
        if self.alarm_volume.key.endswith("refill_date_volume"):
            return "refill-date volume (patient controller, not an alarm)"
        return "low-reservoir alarm"

    @property
    def min_rate_ml_per_day(self):
        """Lowest programmable flow rate. [mL/day]"""
        return self.min_rate.model_value

    @property
    def max_rate_ml_per_day(self):
        """Highest programmable flow rate. [mL/day]"""
        return self.max_rate.model_value

    @property
    def accuracy_percent(self):
        """Flow accuracy specification, plus or minus. [%]"""
        return self.accuracy.model_value

    @property
    def is_fixed_rate(self):
        """True for a pump with one flow rate set at manufacture."""
        return self.min_rate_ml_per_day == self.max_rate_ml_per_day


@arguments(key=TEXT)
@cache
def get_pump(key):
    """
    Return the :class:`PumpModel` stored under ``key`` in ``helpers/data/pumps.toml``.

    Parameters
    ----------
    key : str
        One of :data:`PUMPS`. [-]

    Returns
    -------
    pump : PumpModel
        The pump with its sourced figures. [-]

    Raises
    ------
    KeyError
        If ``key`` is unknown; the message lists the valid keys.

    References
    ----------
    .. [1] Flowonix, "Prometra II programmable pump: instructions for use," 2019.
    """
    record = {k: v for k, v in data.lookup("pumps", key).items() if k != "mri"}
    if "refill_date_volume" in record:  # the valve-gated pump has no low-reservoir alarm
        record["alarm_volume"] = record.pop("refill_date_volume")
    return PumpModel(key=key, **record)


def flow_rate_ml_per_day(dose_ug_per_day, concentration_ug_per_ml):
    """
    Flow rate that delivers a daily dose at a given concentration.

    Parameters
    ----------
    dose_ug_per_day : numeric
        Programmed daily dose. [ug/day]
    concentration_ug_per_ml : numeric
        Drug concentration in the reservoir. [ug/mL]

    Returns
    -------
    rate_ml_per_day : numeric
        Volume the pump must deliver per day. [mL/day]

    Raises
    ------
    ValueError
        If an input is not finite or lies outside :data:`DOSE` or :data:`CONCENTRATION`.

    Notes
    -----
    :math:`Q = D / C`, the relation clinician programmers use to derive the rate [1]_.

    References
    ----------
    .. [1] "Programming and refilling of intrathecal drug delivery pumps,"
       functionalneuro.surgery (the programmer computes the infusion rate from the
       concentration).

    Examples
    --------
    >>> flow_rate_ml_per_day(3000.0, 10000.0)
    0.3
    """
    DOSE.check(dose_ug_per_day)
    CONCENTRATION.check(concentration_ug_per_ml)
    return plain(np.divide(dose_ug_per_day, concentration_ug_per_ml))


def daily_dose_ug_per_day(rate_ml_per_day, concentration_ug_per_ml):
    """
    Daily dose delivered by a flow rate at a given concentration.

    Parameters
    ----------
    rate_ml_per_day : numeric
        Flow rate. [mL/day]
    concentration_ug_per_ml : numeric
        Drug concentration in the reservoir. [ug/mL]

    Returns
    -------
    dose_ug_per_day : numeric
        Drug delivered per day. [ug/day]

    Raises
    ------
    ValueError
        If an input is not finite or lies outside :data:`RATE` or :data:`CONCENTRATION`.

    Notes
    -----
    :math:`D = Q C`, the inverse of :func:`flow_rate_ml_per_day`. With the undiluted
    25 ug/mL ziconotide at the 0.048 mL/day pump minimum it gives the 1.2 ug/day lowest dose
    quoted by the manufacturer [1]_.

    References
    ----------
    .. [1] PRIALT HCP site, "Importance of titration."

    Examples
    --------
    >>> round(daily_dose_ug_per_day(0.048, 25.0), 6)
    1.2
    """
    RATE.check(rate_ml_per_day)
    CONCENTRATION.check(concentration_ug_per_ml)
    return plain(np.multiply(rate_ml_per_day, concentration_ug_per_ml))


def concentration_for_dose_ug_per_ml(dose_ug_per_day, rate_ml_per_day):
    """
    Concentration that delivers a daily dose at a given flow rate.

    Parameters
    ----------
    dose_ug_per_day : numeric
        Programmed daily dose. [ug/day]
    rate_ml_per_day : numeric
        Flow rate, e.g. the fixed rate of a gas-driven pump. [mL/day]

    Returns
    -------
    concentration_ug_per_ml : numeric
        Concentration to put in the reservoir. [ug/mL]

    Raises
    ------
    ValueError
        If an input is not finite or lies outside :data:`DOSE` or :data:`RATE`.

    Notes
    -----
    :math:`C = D / Q`; for a fixed-rate pump the concentration is the only way to set
    the dose [1]_.

    References
    ----------
    .. [1] J&J MedTech, "CODMAN 3000 constant flow pump: patient support."

    Examples
    --------
    >>> concentration_for_dose_ug_per_ml(500.0, 1.0)
    500.0
    """
    DOSE.check(dose_ug_per_day)
    RATE.check(rate_ml_per_day)
    return plain(np.divide(dose_ug_per_day, rate_ml_per_day))


def reservoir_volume_ml(time_days, fill_volume_ml, rate_ml_per_day):
    """
    Volume left in the reservoir after a refill, at constant flow.

    Parameters
    ----------
    time_days : numeric
        Time since the refill. [day]
    fill_volume_ml : float
        Drug volume in the reservoir just after the refill. [mL]
    rate_ml_per_day : numeric
        Flow rate. [mL/day]

    Returns
    -------
    volume_ml : numeric
        Remaining volume, never below zero (the pump runs dry). [mL]

    Raises
    ------
    ValueError
        If an input is not finite or lies outside :data:`TIME`, :data:`VOLUME` or :data:`RATE`.

    Notes
    -----
    :math:`V(t) = \\max(V_{fill} - Q t, 0)`, constant-rate depletion as in the
    manufacturer's running-time relation [1]_.

    References
    ----------
    .. [1] Codman, "ARCHIMEDES implantable constant-flow infusion pump: user manual,"
       App. B, rev. 10/2011.

    Examples
    --------
    >>> reservoir_volume_ml(10.0, 20.0, 0.5)
    15.0
    """
    TIME.check(time_days)
    VOLUME.check(fill_volume_ml, "fill_volume_ml")
    RATE.check(rate_ml_per_day)
    return plain(np.maximum(fill_volume_ml - np.multiply(rate_ml_per_day, time_days), 0.0))


def days_to_alarm(fill_volume_ml, rate_ml_per_day, alarm_volume_ml):
    """
    Days from a refill until the reservoir falls to the low-reservoir alarm volume.

    Parameters
    ----------
    fill_volume_ml : numeric
        Drug volume in the reservoir just after the refill. [mL]
    rate_ml_per_day : numeric
        Flow rate. [mL/day]
    alarm_volume_ml : numeric
        Residual volume at which the pump alarms. [mL]

    Returns
    -------
    days : numeric
        Time to the alarm; 0 where the fill is already at or below the alarm volume. [day]

    Raises
    ------
    ValueError
        If an input is not finite or lies outside :data:`VOLUME` or :data:`RATE`.

    Notes
    -----
    :math:`T = (V_{fill} - V_{alarm}) / Q` [1]_; the 2 mL default alarm of the
    peristaltic pump is the manufacturer's recommendation [2]_.

    References
    ----------
    .. [1] Codman, "ARCHIMEDES implantable constant-flow infusion pump: user manual,"
       App. B, rev. 10/2011.
    .. [2] "Correlation between withdrawal symptoms and medication pump residual volume in
       patients with implantable SynchroMed pumps," Neurosurgery, 2004.

    Examples
    --------
    >>> days_to_alarm(20.0, 0.5, 2.0)
    36.0
    """
    VOLUME.check(fill_volume_ml, "fill_volume_ml")
    VOLUME.check(alarm_volume_ml, "alarm_volume_ml")
    RATE.check(rate_ml_per_day)
    return plain(np.maximum(np.subtract(fill_volume_ml, alarm_volume_ml), 0.0) / rate_ml_per_day)


def days_to_empty(fill_volume_ml, rate_ml_per_day):
    """
    Days from a refill until the reservoir is empty and delivery stops.

    Parameters
    ----------
    fill_volume_ml : numeric
        Drug volume in the reservoir just after the refill. [mL]
    rate_ml_per_day : numeric
        Flow rate. [mL/day]

    Returns
    -------
    days : numeric
        Running time. [day]

    Raises
    ------
    ValueError
        If an input is not finite or lies outside :data:`VOLUME` or :data:`RATE`.

    Notes
    -----
    Running time = reservoir content / flow rate per 24 h [1]_.

    References
    ----------
    .. [1] Codman, "ARCHIMEDES implantable constant-flow infusion pump: user manual,"
       App. B, rev. 10/2011.

    Examples
    --------
    >>> days_to_empty(20.0, 0.5)
    40.0
    """
    return days_to_alarm(fill_volume_ml, rate_ml_per_day, 0.0)


def accuracy_band_ml_per_day(rate_ml_per_day, accuracy_percent):
    """
    Slowest and fastest flow of a pump running within its accuracy specification.

    Parameters
    ----------
    rate_ml_per_day : numeric
        Programmed flow rate. [mL/day]
    accuracy_percent : numeric
        Accuracy specification, plus or minus. [%]

    Returns
    -------
    slow_ml_per_day, fast_ml_per_day : numeric
        ``Q (1 - a/100)`` and ``Q (1 + a/100)``. [mL/day]

    Raises
    ------
    ValueError
        If an input is not finite or lies outside :data:`RATE` or :data:`ACCURACY`.

    Notes
    -----
    Over-infusion above 14.5 % of the programmed rate lies outside the peristaltic
    pump's specification [1]_.

    References
    ----------
    .. [1] ANZCA, "Medtronic SynchroMed II infusion pump - hazard alert."

    Examples
    --------
    >>> accuracy_band_ml_per_day(1.0, 14.5)
    (0.855, 1.145)
    """
    RATE.check(rate_ml_per_day)
    ACCURACY.check(accuracy_percent)
    fraction = np.divide(accuracy_percent, 100.0)
    return (
        plain(np.multiply(rate_ml_per_day, 1.0 - fraction)),
        plain(np.multiply(rate_ml_per_day, 1.0 + fraction)),
    )
