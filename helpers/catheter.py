"""Catheter delivery: dead volume, transport from the reservoir to the catheter tip, and scenarios.

The pump's internal path and the catheter form one line of dead volume V. Fluid moves
through it as a plug: what leaves the tip at time t entered the line when the cumulative
delivered volume was W(t) - V. Optional axial (Taylor-Aris) dispersion mixes fluid along
the line, which matters at the high flow rates of priming and bridge boluses.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from helpers import data
from helpers.data import Quantity
from helpers.ranges import (
    CELLS,
    CONCENTRATION,
    DIFFUSIVITY,
    DOSE,
    LENGTH,
    LINE_DISPERSION,
    LINE_RATE,
    LINE_VOLUME,
    PATH_VOLUME,
    RATE,
    RESTART,
    TIME,
    VOLUME_PER_LENGTH,
)
from helpers.schedule import Schedule
from helpers.validation import (
    INTEGER,
    SCALAR,
    TEXT,
    TIMES,
    Range,
    arguments,
    instance_of,
    plain,
)

#: Catheter keys in the order the course presents them.
CATHETERS = ("valve_gated", "peristaltic")


@dataclass(frozen=True)
class CatheterModel:
    """
    A catheter and the pump's internal path with their sourced figures.

    Parameters
    ----------
    key : str
        Key in ``helpers/data/catheters.toml``. [-]
    name : str
        Display name. [-]
    supplied_length : Quantity
        Catheter length as supplied, before trimming. [cm]
    volume_per_length : Quantity
        Internal volume per centimetre. [mL/cm]
    pump_path_volume : Quantity
        Volume of the pump's internal path from the reservoir to the catheter port. [mL]
    """

    key: str
    name: str
    supplied_length: Quantity
    volume_per_length: Quantity
    pump_path_volume: Quantity


@arguments(key=TEXT)
@cache
def get_catheter(key):
    """
    Return the :class:`CatheterModel` stored under ``key`` in ``helpers/data/catheters.toml``.

    Parameters
    ----------
    key : str
        One of :data:`CATHETERS`. [-]

    Returns
    -------
    catheter : CatheterModel
        The catheter with its sourced figures. [-]

    Raises
    ------
    KeyError
        If ``key`` is unknown; the message lists the valid keys.

    References
    ----------
    .. [1] Flowonix, "Prometra II programmable pump: instructions for use," p. 33.
    """
    return CatheterModel(key=key, **data.lookup("catheters", key))


def implanted_length_cm(supplied_length_cm, trimmed_length_cm):
    """
    Length of catheter left after trimming.

    Parameters
    ----------
    supplied_length_cm : numeric
        Length as supplied. [cm]
    trimmed_length_cm : numeric
        Length cut off at implant or reconnection. [cm]

    Returns
    -------
    length_cm : numeric
        Implanted length. [cm]

    Raises
    ------
    ValueError
        If a length is not finite or outside :data:`LENGTH`, or the trim is not shorter
        than the catheter.

    Notes
    -----
    Implanted length = supplied length - trimmed length [1]_.

    References
    ----------
    .. [1] Flowonix, "Prometra II programmable pump: instructions for use," p. 33.

    Examples
    --------
    >>> implanted_length_cm(110.0, 10.0)
    100.0
    """
    LENGTH.check(supplied_length_cm, "supplied_length_cm")
    LENGTH.check(trimmed_length_cm, "trimmed_length_cm")
    remaining = np.subtract(supplied_length_cm, trimmed_length_cm)
    if np.any(remaining <= 0):
        raise ValueError(
            f"trimmed_length_cm = {np.max(trimmed_length_cm):g} cm must be shorter than "
            f"supplied_length_cm = {np.min(supplied_length_cm):g} cm; allowed range is "
            "0 <= trim < supplied length"
        )
    return plain(remaining)


def dead_volume_ml(implanted_length_cm, volume_per_length_ml_per_cm, pump_path_volume_ml):
    """
    Volume between the reservoir and the catheter tip: pump path plus catheter.

    Parameters
    ----------
    implanted_length_cm : numeric
        Catheter length after trimming. [cm]
    volume_per_length_ml_per_cm : numeric
        Catheter internal volume per centimetre. [mL/cm]
    pump_path_volume_ml : numeric
        Volume of the pump's internal path. [mL]

    Returns
    -------
    volume_ml : numeric
        Dead volume. [mL]

    Raises
    ------
    ValueError
        If an input is not finite or outside its range.

    Notes
    -----
    Catheter volume = implanted length x volume per cm [1]_; the pump path adds to it.

    References
    ----------
    .. [1] Flowonix, "Prometra II programmable pump: instructions for use," p. 33.

    Examples
    --------
    >>> round(dead_volume_ml(100.0, 0.0026, 0.0), 6)
    0.26
    """
    LENGTH.check(implanted_length_cm, "implanted_length_cm")
    VOLUME_PER_LENGTH.check(volume_per_length_ml_per_cm)
    PATH_VOLUME.check(pump_path_volume_ml)
    volume = np.multiply(implanted_length_cm, volume_per_length_ml_per_cm) + pump_path_volume_ml
    return plain(volume)


def transit_time_days(dead_volume_ml, rate_ml_per_day):
    """
    Time for a change at the reservoir to reach the catheter tip, in plug flow.

    Parameters
    ----------
    dead_volume_ml : numeric
        Volume between reservoir and tip. [mL]
    rate_ml_per_day : numeric
        Flow rate through the line. [mL/day]

    Returns
    -------
    days : numeric
        :math:`V_{dead} / Q`. [day]

    Raises
    ------
    ValueError
        If an input is not finite or outside its range (a zero rate never arrives).

    Notes
    -----
    At 0.048 mL/day, the pump minimum [1]_, a 0.5 mL line takes more than ten days.

    References
    ----------
    .. [1] PRIALT HCP site, "Importance of titration."

    Examples
    --------
    >>> transit_time_days(0.5, 0.25)
    2.0
    """
    PATH_VOLUME.check(dead_volume_ml, "dead_volume_ml")
    RATE.check(rate_ml_per_day)
    days = np.divide(dead_volume_ml, rate_ml_per_day)
    return plain(days)


def radius_cm(volume_per_length_ml_per_cm):
    """
    Internal radius of a round catheter with a given volume per length.

    Parameters
    ----------
    volume_per_length_ml_per_cm : numeric
        Internal volume per centimetre, i.e. the cross-section area. [mL/cm]

    Returns
    -------
    radius_cm : numeric
        :math:`\\sqrt{A / \\pi}`. [cm]

    Raises
    ------
    ValueError
        If the input is not finite or outside :data:`VOLUME_PER_LENGTH`.

    Notes
    -----
    2.6 uL/cm [1]_ gives an internal radius of 0.29 mm.

    References
    ----------
    .. [1] Flowonix, "Prometra II programmable pump: instructions for use," p. 33.

    Examples
    --------
    >>> round(radius_cm(0.0026), 4)
    0.0288
    """
    VOLUME_PER_LENGTH.check(volume_per_length_ml_per_cm)
    return plain(np.sqrt(np.divide(volume_per_length_ml_per_cm, math.pi)))


@arguments(diffusivity_cm2_per_day=SCALAR)
def taylor_aris_dispersion_cm2_per_day(
    rate_ml_per_day, volume_per_length_ml_per_cm, diffusivity_cm2_per_day
):
    """
    Effective axial dispersion coefficient of laminar flow in a round tube.

    Parameters
    ----------
    rate_ml_per_day : numeric
        Flow rate. [mL/day]
    volume_per_length_ml_per_cm : float
        Cross-section area of the tube. [mL/cm]
    diffusivity_cm2_per_day : float
        Molecular diffusion coefficient of the drug. [cm2/day]

    Returns
    -------
    dispersion_cm2_per_day : numeric
        :math:`D_m + a^2 u^2 / (48 D_m)`, :math:`u = Q / A`. [cm2/day]

    Raises
    ------
    ValueError
        If an input is not finite or outside its range.

    Notes
    -----
    Taylor-Aris dispersion [1]_, [2]_: shear spreads the drug along the tube while
    diffusion across it evens it out. The second term grows with the square of the flow,
    so mixing is negligible at maintenance rates and strong during a fast bolus.

    References
    ----------
    .. [1] G. I. Taylor, "Dispersion of soluble matter in solvent flowing slowly through a
       tube," Proc. R. Soc. Lond. A, vol. 219, pp. 186-203, 1953.
    .. [2] R. Aris, "On the dispersion of a solute in a fluid flowing through a tube,"
       Proc. R. Soc. Lond. A, vol. 235, pp. 67-77, 1956.
    """
    LINE_RATE.check(rate_ml_per_day)
    VOLUME_PER_LENGTH.check(volume_per_length_ml_per_cm)
    DIFFUSIVITY.check(diffusivity_cm2_per_day)
    velocity = np.divide(rate_ml_per_day, volume_per_length_ml_per_cm)
    a = radius_cm(volume_per_length_ml_per_cm)
    return diffusivity_cm2_per_day + a**2 * velocity**2 / (48.0 * diffusivity_cm2_per_day)


@dataclass(frozen=True)
class LineTransport:
    """
    Drug moving through the line, sampled on a time grid and at every numerical step.

    Parameters
    ----------
    time_days : numpy.ndarray
        Output times. [day]
    rate_ml_per_day : numpy.ndarray
        Flow through the line. [mL/day]
    tip_ug_per_ml : numpy.ndarray
        Concentration leaving the catheter tip. [ug/mL]
    tip_ug_per_day : numpy.ndarray
        Drug mass rate leaving the tip into the CSF. [ug/day]
    in_line_ug : numpy.ndarray
        Drug mass inside the line. [ug]
    entered_ug, delivered_ug : numpy.ndarray
        Cumulative drug mass that entered the line (including what filled it at the start)
        and that left the tip. [ug]
    step_entered_ug, step_delivered_ug, step_in_line_ug : numpy.ndarray
        The same three at every numerical step, for conservation checks. [ug]
    """

    time_days: np.ndarray
    rate_ml_per_day: np.ndarray
    tip_ug_per_ml: np.ndarray
    tip_ug_per_day: np.ndarray
    in_line_ug: np.ndarray
    entered_ug: np.ndarray
    delivered_ug: np.ndarray
    step_entered_ug: np.ndarray
    step_delivered_ug: np.ndarray
    step_in_line_ug: np.ndarray


def _lapack():
    """SciPy's LAPACK wrappers, imported when a catheter is first solved (0.3 s)."""
    from scipy.linalg import lapack

    return lapack


def _neumann_factors(n, coefficient):
    """LU factors (LAPACK gttrf) of I - coefficient * Laplacian with zero-flux ends."""
    diagonal = np.full(n, 1.0 + 2.0 * coefficient)
    diagonal[0] = diagonal[-1] = 1.0 + coefficient
    off = np.full(n - 1, -coefficient)
    *factors, info = _lapack().dgttrf(off, diagonal, off.copy())
    if info != 0:
        raise ValueError(f"dispersion step could not be factorised (LAPACK info {info})")
    return factors


@arguments(
    program=instance_of("helpers.schedule.Schedule"),
    cells=INTEGER,
    dead_volume_ml=SCALAR,
    initial_ug_per_ml=SCALAR,
    dispersion_factor=SCALAR,
    diffusivity_cm2_per_day=SCALAR,
    time_days=TIMES,
)
def transport(
    program,
    time_days,
    dead_volume_ml,
    initial_ug_per_ml=0.0,
    dispersion_factor=0.0,
    volume_per_length_ml_per_cm=0.0026,
    diffusivity_cm2_per_day=None,
    cells=200,
):
    """
    Concentration and drug mass leaving the catheter tip over time.

    Parameters
    ----------
    program : Schedule
        Flow through the line and concentration entering it over time. [-]
    time_days : array_like
        Increasing output times. [day]
    dead_volume_ml : float
        Volume between reservoir and tip. [mL]
    initial_ug_per_ml : float, default 0
        Concentration filling the line at time 0 (0 for saline). [ug/mL]
    dispersion_factor : float, default 0
        0 for plug flow, 1 for Taylor-Aris dispersion, larger for extra mixing in the pump
        chamber and connectors. [-]
    volume_per_length_ml_per_cm : float, default 0.0026
        Catheter cross-section, used for the dispersion coefficient. [mL/cm]
    diffusivity_cm2_per_day : float, optional
        Drug diffusion coefficient; default from ``catheters.drug_diffusivity``. [cm2/day]
    cells : int, default 200
        Number of equal-volume cells along the line. [-]

    Returns
    -------
    result : LineTransport
        Tip concentration, tip mass rate, mass in line and cumulative masses. [-]

    Raises
    ------
    ValueError
        If an input is not finite or outside its range.

    Notes
    -----
    The line is divided into ``cells`` cells of volume :math:`\\Delta V`; time is replaced by
    the cumulative delivered volume :math:`W(t) = \\int Q\\,dt`, in which plug flow moves
    exactly one cell per step :math:`\\Delta W = \\Delta V` whatever the rate. Dispersion is
    an implicit, conservative diffusion step per cell move with coefficient
    :math:`A^2 D_{eff}(Q) / (Q\\,\\Delta V)`, :math:`D_{eff}` from
    :func:`taylor_aris_dispersion_cm2_per_day` [1]_ times ``dispersion_factor``. With no
    dispersion the tip concentration is the inlet concentration delayed by
    :math:`V_{dead}` of throughput, exactly. Drug mass is conserved to round-off.

    References
    ----------
    .. [1] G. I. Taylor, "Dispersion of soluble matter in solvent flowing slowly through a
       tube," Proc. R. Soc. Lond. A, vol. 219, pp. 186-203, 1953.
    """
    time_days = np.asarray(TIME.check(time_days), dtype=float)
    PATH_VOLUME.check(dead_volume_ml, "dead_volume_ml")
    if not dead_volume_ml > 0:
        raise ValueError(f"dead_volume_ml = {dead_volume_ml:g} mL must be > 0; allowed (0, 2] mL")
    LINE_DISPERSION.check(dispersion_factor)
    CELLS.check(cells)
    if initial_ug_per_ml:
        CONCENTRATION.check(initial_ug_per_ml, "initial_ug_per_ml")
    cells = int(cells)
    dv = dead_volume_ml / cells
    total = float(program.throughput_ml(np.array([time_days[-1]]))[0])
    steps = int(np.floor(total / dv + 1e-9))
    step_volume = dv * np.arange(1, steps + 1)
    # Concentration entering during each step: inlet at the time the step's mid-volume entered.
    mid_times = program.time_at_throughput(step_volume - dv / 2)
    inlet = program.inlet_at(mid_times)
    line = np.full(cells, float(initial_ug_per_ml))  # index 0 at the inlet, -1 at the tip

    if dispersion_factor == 0 or steps == 0:
        # Exact plug flow: the tip sees the initial fill, then the inlet sequence.
        sequence = np.concatenate([line[::-1], inlet])
        outflow = sequence[:steps]
        cumulative = np.concatenate([[0.0], np.cumsum(sequence)]) * dv
        in_line = cumulative[np.arange(1, steps + 1) + cells] - cumulative[np.arange(1, steps + 1)]
    else:
        if diffusivity_cm2_per_day is None:
            diffusivity_cm2_per_day = data.lookup("catheters", "drug_diffusivity").model_value
        rates = program.rate_at_throughput(step_volume - dv / 2)
        dispersion = dispersion_factor * taylor_aris_dispersion_cm2_per_day(
            rates, volume_per_length_ml_per_cm, diffusivity_cm2_per_day
        )
        # Volume-coordinate dispersion per unit throughput, in cells per step.
        coefficient = volume_per_length_ml_per_cm**2 * dispersion / (rates * dv)
        outflow, in_line = np.empty(steps), np.empty(steps)
        # Where the inlet concentration changes; between changes a line that is uniform at
        # the inlet concentration (to 1e-12) stays so, and those steps are filled at once.
        run_end = np.append(np.flatnonzero(np.diff(inlet)) + 1, steps)
        factors, last, k = None, None, 0
        while k < steps:
            tolerance = 1e-12 * abs(inlet[k])
            if np.max(np.abs(line - inlet[k])) <= tolerance:
                line[:] = inlet[k]
                end = run_end[np.searchsorted(run_end, k, side="right")]
                outflow[k:end] = inlet[k]
                in_line[k:end] = inlet[k] * cells * dv
                k = end
                continue
            outflow[k] = line[-1]
            line[1:] = line[:-1]
            line[0] = inlet[k]
            if coefficient[k] != last:
                factors, last = _neumann_factors(cells, coefficient[k]), coefficient[k]
            line, _ = _lapack().dgttrs(*factors, line)
            in_line[k] = line.sum() * dv
            k += 1

    initial_mass = float(initial_ug_per_ml) * dead_volume_ml
    step_entered = initial_mass + np.cumsum(inlet) * dv
    step_delivered = np.cumsum(outflow) * dv

    # Sample on the time grid: the step under way at each time, and how far into it.
    throughput = program.throughput_ml(time_days)
    index = np.minimum(np.floor(throughput / dv + 1e-9).astype(int), steps)
    within = np.clip(throughput - index * dv, 0.0, dv)
    last = outflow[-1] if steps else float(initial_ug_per_ml)
    tip = np.concatenate([outflow, [last]])[index]
    entering = np.concatenate([inlet, [inlet[-1] if steps else 0.0]])[index]
    entered = np.concatenate([[initial_mass], step_entered])[index] + within * entering
    delivered = np.concatenate([[0.0], step_delivered])[index] + within * tip
    rate = program.rate_at(time_days)
    return LineTransport(
        time_days=time_days,
        rate_ml_per_day=rate,
        tip_ug_per_ml=tip,
        tip_ug_per_day=rate * tip,
        in_line_ug=entered - delivered,
        entered_ug=entered,
        delivered_ug=delivered,
        step_entered_ug=step_entered,
        step_delivered_ug=step_delivered,
        step_in_line_ug=in_line,
    )


@dataclass(frozen=True)
class DoseAtTip:
    """
    Dose reaching the catheter tip against the dose intended, over a scenario.

    Parameters
    ----------
    line : LineTransport
        The transport result. [-]
    intended_ug_per_day : numpy.ndarray
        Prescribed dose rate at each time. [ug/day]
    excess_ug : float
        Delivered minus intended drug mass over the whole window; negative for an
        under-dose. [ug]
    bolus_days : float
        Duration of the bridge or priming bolus, 0 if none. [day]
    bolus_old_drug_ug : float
        Drug mass that left the tip during the bolus (the old drug for a bridge). [ug]
    """

    line: LineTransport
    intended_ug_per_day: np.ndarray
    excess_ug: float
    bolus_days: float
    bolus_old_drug_ug: float


def _with_time(time_days, extra_days):
    """The output times with the end of a bolus added, so its dose is read exactly."""
    time_days = np.asarray(time_days, dtype=float)
    if extra_days <= 0 or extra_days > time_days[-1]:
        return time_days
    return np.union1d(time_days, [extra_days])


def _dose_at_tip(line, intended, bolus_days, intended_total_ug):
    excess = float(line.delivered_ug[-1] - intended_total_ug)
    bolus_mass = float(np.interp(bolus_days, line.time_days, line.delivered_ug))
    return DoseAtTip(line, intended, excess, bolus_days, bolus_mass)


@arguments(
    old_ug_per_ml=SCALAR,
    new_ug_per_ml=SCALAR,
    dose_ug_per_day=SCALAR,
    dead_volume_ml=SCALAR,
    bridge_rate_ml_per_day=SCALAR,
    dispersion_factor=SCALAR,
    time_days=TIMES,
)
def concentration_change(
    old_ug_per_ml,
    new_ug_per_ml,
    dose_ug_per_day,
    dead_volume_ml,
    time_days,
    bridge_rate_ml_per_day=0.0,
    dispersion_factor=0.0,
):
    """
    A refill with a new concentration, the new rate programmed at once, with or without bridge.

    Parameters
    ----------
    old_ug_per_ml, new_ug_per_ml : float
        Concentration filling the line before the refill, and in the new fill. [ug/mL]
    dose_ug_per_day : float
        Prescribed daily dose, unchanged. [ug/day]
    dead_volume_ml : float
        Volume between reservoir and tip. [mL]
    time_days : array_like
        Output times from the refill. [day]
    bridge_rate_ml_per_day : float, default 0
        Rate of a bridge bolus that advances the line volume first; 0 for no bridge. A
        bridge runs at the old prescription's rate :math:`D / C_0`; anything faster
        gives the old drug early (:func:`helpers.safety.bridge_findings`). [mL/day]
    dispersion_factor : float, default 0
        See :func:`transport`. [-]

    Returns
    -------
    result : DoseAtTip
        Tip dose against intended, the net excess and the old drug given during the bridge. [-]

    Raises
    ------
    ValueError
        If an input is not finite or outside its range.

    Notes
    -----
    Without a bridge the line still holds the old solution, now pushed at the new rate
    :math:`Q_1 = D / C_1`: for :math:`V / Q_1` the tip receives :math:`D C_0 / C_1`, a net
    excess of :math:`(C_0 - C_1) V` (an under-dose when the new solution is stronger). A
    bridge bolus advances the line volume at the old prescription's rate
    :math:`Q_b = D / C_0`, so the tip keeps receiving :math:`D` until the new solution
    arrives [1]_. Run faster, it gives the old drug's mass :math:`C_0 V` within
    :math:`V / Q_b`: an overdose, not a bridge (a fast bolus is the priming bolus of an
    empty or saline-filled line, :func:`priming`).

    References
    ----------
    .. [1] Medtronic, "SynchroMed II clinician programmer: clinician programming guide,"
       model A810 (bridge and priming bolus workflows).
    """
    DOSE.check(dose_ug_per_day)
    LINE_VOLUME.check(dead_volume_ml)
    new_rate = dose_ug_per_day / CONCENTRATION.check(new_ug_per_ml, "new_ug_per_ml")
    segments = [(1.0, new_rate, new_ug_per_ml)]
    bolus_days = 0.0
    if bridge_rate_ml_per_day:
        RATE.check(bridge_rate_ml_per_day, "bridge_rate_ml_per_day")
        bolus_days = dead_volume_ml / bridge_rate_ml_per_day
        segments.insert(0, (bolus_days, bridge_rate_ml_per_day, new_ug_per_ml))
    program = Schedule.from_segments(segments)
    time_days = _with_time(time_days, bolus_days)
    line = transport(
        program,
        time_days,
        dead_volume_ml,
        initial_ug_per_ml=CONCENTRATION.check(old_ug_per_ml, "old_ug_per_ml"),
        dispersion_factor=dispersion_factor,
    )
    intended = np.full_like(line.time_days, dose_ug_per_day)
    return _dose_at_tip(line, intended, bolus_days, dose_ug_per_day * line.time_days[-1])


@arguments(
    concentration_ug_per_ml=SCALAR,
    rate_ml_per_day=SCALAR,
    dead_volume_ml=SCALAR,
    prime_rate_ml_per_day=SCALAR,
    prime_volume_ml=SCALAR,
    dispersion_factor=SCALAR,
    time_days=TIMES,
)
def priming(
    concentration_ug_per_ml,
    rate_ml_per_day,
    dead_volume_ml,
    prime_rate_ml_per_day,
    time_days,
    prime_volume_ml=None,
    dispersion_factor=1.0,
):
    """
    Priming bolus after implant or catheter revision: a line of saline pushed by drug.

    Parameters
    ----------
    concentration_ug_per_ml : float
        Concentration in the reservoir. [ug/mL]
    rate_ml_per_day : float
        Maintenance rate after the bolus. [mL/day]
    dead_volume_ml : float
        Volume between reservoir and tip, full of saline at the start. [mL]
    prime_rate_ml_per_day : float
        Rate of the priming bolus. [mL/day]
    time_days : array_like
        Output times from the start of the bolus. [day]
    prime_volume_ml : float, optional
        Bolus volume; by default the dead volume. [mL]
    dispersion_factor : float, default 1
        See :func:`transport`; 0 gives a sharp front. [-]

    Returns
    -------
    result : DoseAtTip
        Tip dose against the maintenance dose :math:`Q C` from the bolus end and the drug
        given during the bolus (early arrival); mass is conserved, so over a long window the
        net excess is the drug that arrived early. [-]

    Raises
    ------
    ValueError
        If an input is not finite or outside its range.

    Notes
    -----
    At bolus rates drug and saline mix, so the patient gets drug before the bolus ends and
    a reduced concentration for a period afterwards, as the manufacturer warns [1]_.

    References
    ----------
    .. [1] Medtronic, "SynchroMed II 8637-20 reference guide: important labeling updates
       related to priming bolus."
    """
    CONCENTRATION.check(concentration_ug_per_ml)
    LINE_VOLUME.check(dead_volume_ml)
    prime_volume_ml = dead_volume_ml if prime_volume_ml is None else prime_volume_ml
    RATE.check(prime_rate_ml_per_day, "prime_rate_ml_per_day")
    PATH_VOLUME.check(prime_volume_ml, "prime_volume_ml")
    bolus_days = prime_volume_ml / prime_rate_ml_per_day
    program = Schedule.from_segments(
        [
            (bolus_days, prime_rate_ml_per_day, concentration_ug_per_ml),
            (1.0, rate_ml_per_day, concentration_ug_per_ml),
        ]
    )
    time_days = _with_time(time_days, bolus_days)
    line = transport(program, time_days, dead_volume_ml, dispersion_factor=dispersion_factor)
    maintenance = rate_ml_per_day * concentration_ug_per_ml
    intended = np.where(line.time_days < bolus_days, 0.0, maintenance)
    total = maintenance * max(line.time_days[-1] - bolus_days, 0.0)
    return _dose_at_tip(line, intended, bolus_days, total)


@arguments(result=instance_of("helpers.catheter.DoseAtTip"))
def arrival_days(result, fraction=0.05):
    """
    First time the tip concentration reaches a fraction of the reservoir concentration.

    Parameters
    ----------
    result : DoseAtTip
        A :func:`priming` result. [-]
    fraction : float, default 0.05
        Fraction of the final tip concentration. [-]

    Returns
    -------
    days : float
        First time at or above the fraction, ``nan`` if never. [day]

    Raises
    ------
    ValueError
        If ``fraction`` is not in (0, 1].

    References
    ----------
    .. [1] Medtronic, "SynchroMed II 8637-20 reference guide: important labeling updates
       related to priming bolus."
    """
    Range(
        "fraction", 0.0, 1.0, "-", "a share of the final tip concentration", low_inclusive=False
    ).check(fraction)
    tip = result.line.tip_ug_per_ml
    reached = np.flatnonzero(tip >= fraction * tip[-1])
    return float(result.line.time_days[reached[0]]) if reached.size else float("nan")


@arguments(
    concentration_ug_per_ml=SCALAR,
    rate_ml_per_day=SCALAR,
    dead_volume_ml=SCALAR,
    empty_days=SCALAR,
    gap_days=SCALAR,
    restart_percent=SCALAR,
    time_days=TIMES,
)
def restart_after_empty(
    concentration_ug_per_ml,
    rate_ml_per_day,
    dead_volume_ml,
    empty_days,
    gap_days,
    time_days,
    restart_percent=100.0,
):
    """
    The reservoir runs dry, delivery stops, and restarts after a refill.

    Parameters
    ----------
    concentration_ug_per_ml : float
        Concentration in the reservoir before and after. [ug/mL]
    rate_ml_per_day : float
        Programmed rate. [mL/day]
    dead_volume_ml : float
        Volume between reservoir and tip, full of drug at the start. [mL]
    empty_days : float
        When the reservoir runs dry. [day]
    gap_days : float
        How long until the refill restarts delivery. [day]
    time_days : array_like
        Output times. [day]
    restart_percent : float, default 100
        Rate after the refill as a share of the rate before: a restart after a long gap
        is reduced because tolerance may be lost (see
        :func:`helpers.safety.restart_findings`). [%]

    Returns
    -------
    result : DoseAtTip
        Tip dose against the old programmed dose; at a full restart the shortfall equals
        rate x concentration x gap. [-]

    Raises
    ------
    ValueError
        If an input is not finite or outside its range.

    Notes
    -----
    With an empty reservoir nothing moves through the line; baclofen withdrawal can
    progress over 24 to 72 h [1]_, so the gap matters more than the drug left in the line.

    References
    ----------
    .. [1] neurosurgerywiki, "Intrathecal baclofen withdrawal."
    """
    CONCENTRATION.check(concentration_ug_per_ml)
    RATE.check(rate_ml_per_day)
    TIME.check(empty_days, "empty_days")
    TIME.check(gap_days, "gap_days")
    RESTART.check(restart_percent, "restart_percent")
    program = Schedule.from_segments(
        [
            (empty_days, rate_ml_per_day, concentration_ug_per_ml),
            (gap_days, 0.0, 0.0),
            (1.0, rate_ml_per_day * (restart_percent / 100.0), concentration_ug_per_ml),
        ]
    )
    line = transport(program, time_days, dead_volume_ml, initial_ug_per_ml=concentration_ug_per_ml)
    intended = np.full_like(line.time_days, rate_ml_per_day * concentration_ug_per_ml)
    return _dose_at_tip(line, intended, 0.0, intended[0] * line.time_days[-1])
