"""Events in a patient's life that change delivery: fever, a flight, an MRI scan.

Fever and a flight change a gas-driven pump's flow (temperature, cabin altitude) for a
window of hours; an MRI scan stops a peristaltic pump's rotor for the scan, which restarts
after a delay; a valve-gated pump must be emptied before the scan."""

from __future__ import annotations

import numpy as np

from helpers import data, ranges, units
from helpers.programs import STEP_DAYS, Delivery, grid_steps, minute_of_day
from helpers.ranges import (
    ALTITUDE,
    CLOCK,
    TEMPERATURE,
    WINDOW,
)
from helpers.validation import FLAG, SCALAR, arguments, instance_of


def _value(key):
    return data.lookup("programs", key).model_value


def _window(days, start_h, duration_h, inside, outside):
    """Per step: ``inside`` from ``start_h`` for ``duration_h`` (from day 0), else ``outside``."""
    steps = grid_steps(days)
    minute_of_day(start_h, "start_h")
    first = int(np.rint(start_h * units.MINUTES_PER_HOUR))  # 24 h ends day 0; not 00:00
    WINDOW.check(duration_h)
    length = int(np.rint(duration_h * units.MINUTES_PER_HOUR))
    values = np.full(steps, float(outside))
    values[first : first + length] = inside
    return values


@arguments(days=SCALAR, start_h=SCALAR, duration_h=SCALAR)
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


@arguments(days=SCALAR, cabin_altitude_m=SCALAR, start_h=SCALAR, duration_h=SCALAR)
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


@arguments(
    base=instance_of("helpers.programs.Delivery"),
    start_h=SCALAR,
    scan_h=SCALAR,
    restart_delay_h=SCALAR,
)
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


@arguments(
    base=instance_of("helpers.programs.Delivery"),
    emptied=FLAG,
    start_h=SCALAR,
    scan_h=SCALAR,
    reset_delay_h=SCALAR,
)
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
    ranges.VOLUME.check(residual_ml, "residual_ml")
    days = len(base.rate_ml_per_day) * STEP_DAYS
    stopped = _window(days, start_h, scan_h + reset_delay_h, 0.0, 1.0)
    rate = base.rate_ml_per_day * stopped
    if not emptied and residual_ml > 0:
        first = round(units.hours_to_days(CLOCK.check(start_h, "start_h")) / STEP_DAYS)
        rate = rate.copy()
        rate[min(first, len(rate) - 1)] = residual_ml / STEP_DAYS
    return Delivery(rate, base.concentration_ug_per_ml)
