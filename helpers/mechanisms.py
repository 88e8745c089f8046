"""Pump mechanisms: how a programmed rate is actually delivered.

A peristaltic pump delivers smoothly; a valve-gated pump delivers the same daily volume as
micro-boluses of one stroke volume each; a gas-driven pump has no program at all, and its
flow follows the vapour pressure of its propellant, so it rises with body temperature and
with altitude (lower outside pressure)."""

from __future__ import annotations

import numpy as np

from helpers import data, ranges
from helpers.programs import MINUTES_PER_DAY, STEP_DAYS, Delivery, grid_steps
from helpers.ranges import (
    ALTITUDE,
    SENSITIVITY,
    STROKE,
    TEMPERATURE,
)
from helpers.validation import SCALAR, arguments


def _value(key):
    return data.lookup("programs", key).model_value


@arguments(rate_ml_per_day=SCALAR)
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
    ranges.RATE.check(rate_ml_per_day)
    STROKE.check(stroke_volume_ml)
    return stroke_volume_ml / rate_ml_per_day * MINUTES_PER_DAY


@arguments(rate_ml_per_day=SCALAR, concentration_ug_per_ml=SCALAR, days=SCALAR)
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
    ranges.RATE.check(rate_ml_per_day)
    STROKE.check(stroke, "stroke_volume_ml")
    ranges.CONCENTRATION.check(concentration_ug_per_ml)
    edges = np.arange(grid_steps(days) + 1) * STEP_DAYS
    pulses = np.floor(rate_ml_per_day * edges / stroke + 1e-9)
    return Delivery(np.diff(pulses) * stroke / STEP_DAYS, float(concentration_ug_per_ml))


@arguments(temperature_sensitivity_percent=SCALAR, altitude_sensitivity_percent=SCALAR)
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
    ranges.RATE.check(rate_ml_per_day)
    ranges.CONCENTRATION.check(concentration_ug_per_ml)
    factor = gas_flow_factor(body_temperature_degc, altitude_m, **kw)
    return Delivery(rate_ml_per_day * np.asarray(factor, dtype=float), concentration_ug_per_ml)
