"""Spread in the spinal fluid: drug leaving the catheter tip, moving and clearing along the canal.

The spinal subarachnoid space is a 1-D canal from the end of the dural sac (x = 0) up to
the foramen magnum, with a well-mixed cranial compartment above it. Along it the drug
concentration c(x, t) obeys

    A dc/dt = d/dx(A D dc/dx) - d/dx(q c) - k A c + source,

with A the cross-section, D an effective dispersion from CSF pulsation, q the infused
volume flowing towards the head and k the drug's clearance from the CSF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np
from scipy.linalg import lapack

from helpers import data, drugs
from helpers.pump import RATE
from helpers.validation import Range, plain

#: Vertebral regions from the head down: letter, number of levels, data key of the length.
REGIONS = (
    ("C", 7, "cervical_length"),
    ("T", 12, "thoracic_length"),
    ("L", 5, "lumbar_length"),
    ("S", 2, "sacral_length"),
)

DISPERSION = Range(
    "dispersion_cm2_per_day",
    0.0,
    1.0e5,
    "cm2/day",
    "teaching choice: far beyond the published range",
    low_inclusive=False,
)
CLEARANCE = Range(
    "clearance_per_day",
    0.0,
    1.0e4,
    "1/day",
    "teaching choice: half-lives down to seconds",
    low_inclusive=False,
)
CELL = Range("dx_cm", 0.05, 2.0, "cm", "teaching choice: resolution of the canal")
STEP = Range(
    "dt_days", 0.0, 1.0, "day", "teaching choice: up to one day per step", low_inclusive=False
)
SOURCE = Range(
    "source_ug_per_day", 0.0, 1.0e9, "ug/day", "teaching choice: a whole refill in about a minute"
)


def _value(key):
    return data.lookup("spine", key).model_value


@dataclass(frozen=True)
class Canal:
    """
    The discretised spinal canal.

    Parameters
    ----------
    x_cm : numpy.ndarray
        Cell centres, height above the end of the dural sac. [cm]
    dx_cm : float
        Cell length. [cm]
    area_cm2 : numpy.ndarray
        Cross-section of the subarachnoid space in each cell. [cm2]
    cranial_ml : float
        Volume of the well-mixed cranial compartment. [mL]
    levels : dict
        Vertebral level name to height above the sac end, e.g. ``{"T10": 31.5}``. [cm]
    """

    x_cm: np.ndarray
    dx_cm: float
    area_cm2: np.ndarray
    cranial_ml: float
    levels: dict

    @property
    def length_cm(self):
        """Length from the sac end to the foramen magnum. [cm]"""
        return self.x_cm[-1] + self.dx_cm / 2

    @property
    def volume_ml(self):
        """Volume of each cell. [mL]"""
        return self.area_cm2 * self.dx_cm

    def position_cm(self, level):
        """
        Height of a vertebral level above the sac end.

        Parameters
        ----------
        level : str
            A level such as ``"T10"``, or a height in cm. [-]

        Returns
        -------
        x_cm : float
            Height above the sac end. [cm]

        Raises
        ------
        ValueError
            If the level is unknown or the height lies outside the canal.
        """
        if isinstance(level, str):
            if level not in self.levels:
                raise ValueError(
                    f"level = {level!r} is not a vertebral level; use one of {list(self.levels)}"
                )
            return self.levels[level]
        Range("level_cm", 0.0, self.length_cm, "cm", "inside the spinal canal").check(level)
        return float(level)

    def cell(self, level):
        """Index of the cell that holds a level or height."""
        return min(int(self.position_cm(level) // self.dx_cm), len(self.x_cm) - 1)


@cache
def canal(dx_cm=0.5, area_cm2=None):
    """
    The spinal canal from the sac end (S2) to the foramen magnum, in cells of ``dx_cm``.

    Parameters
    ----------
    dx_cm : float, default 0.5
        Cell length. [cm]
    area_cm2 : float, optional
        A constant cross-section instead of the two regional ones (for analytic tests). [cm2]

    Returns
    -------
    canal : Canal
        Cells, cross-sections, cranial volume and vertebral levels. [-]

    Raises
    ------
    ValueError
        If ``dx_cm`` or ``area_cm2`` is outside its range.

    Notes
    -----
    Lengths by region from the adult vertebral column; the cross-section is 2.1 cm2 below
    the T11-T12 disc and 1.2 cm2 above it, which reproduces the measured 97.3 mL of spinal
    CSF [1]_ and 49.9 mL of lumbosacral CSF [2]_. Levels sit at the middle of equal shares
    of their region.

    References
    ----------
    .. [1] L. R. Sass et al., "A 3D subject-specific model of the spinal subarachnoid
       space with anatomically realistic ventral and dorsal spinal cord nerve rootlets,"
       Fluids Barriers CNS, vol. 14, 36, 2017.
    .. [2] Q. H. Hogan et al., "Magnetic resonance imaging of cerebrospinal fluid volume
       and the influence of body habitus and abdominal pressure," Anesthesiology, vol. 84,
       pp. 1341-1349, 1996.
    """
    CELL.check(dx_cm)
    lengths = [_value(key) for _, _, key in REGIONS]
    total = sum(lengths)
    cells = round(total / dx_cm)
    dx = total / cells
    x = (np.arange(cells) + 0.5) * dx
    levels, top = {}, total
    for (letter, count, _), length in zip(REGIONS, lengths, strict=True):
        for number in range(1, count + 1):
            levels[f"{letter}{number}"] = top - (number - 0.5) * length / count
        top -= length
    cervical, thoracic = lengths[0], lengths[1]
    disc_t11_t12 = total - cervical - 11 * thoracic / 12
    if area_cm2 is None:
        area = np.where(x < disc_t11_t12, _value("lower_area"), _value("upper_area"))
    else:
        Range("area_cm2", 0.0, 10.0, "cm2", "teaching choice", low_inclusive=False).check(area_cm2)
        area = np.full(cells, float(area_cm2))
    return Canal(x, dx, area, _value("cranial_volume"), levels)


def clearance_per_day(drug_key):
    """
    First-order clearance of a drug from the CSF, from its CSF half-life.

    Parameters
    ----------
    drug_key : str
        A key of :data:`helpers.drugs.DRUGS`. [-]

    Returns
    -------
    k_per_day : float
        :math:`\\ln 2 / t_{1/2}`; for a half-life range, its geometric middle. [1/day]

    Raises
    ------
    ValueError
        If the drug has no CSF half-life in the data files.

    Notes
    -----
    Morphine's 175 min [1]_ gives 5.7 per day.

    References
    ----------
    .. [1] G. Nordberg et al., "Pharmacokinetic aspects of intrathecal morphine analgesia,"
       Anesthesiology, vol. 60, pp. 448-454, 1984.

    Examples
    --------
    >>> round(clearance_per_day("morphine"), 2)
    5.7
    """
    drug = drugs.get_drug(drug_key)
    if drug.csf_half_life is None:
        raise ValueError(f"drug = {drug_key!r} has no CSF half-life in helpers/data/drugs.toml")
    half_life = drug.csf_half_life.model_value
    if isinstance(half_life, tuple):
        half_life = math.sqrt(half_life[0] * half_life[1])
    return math.log(2.0) / half_life


def spread_length_cm(dispersion_cm2_per_day, clearance_per_day):
    """
    Distance over which the steady concentration falls by a factor e.

    Parameters
    ----------
    dispersion_cm2_per_day : numeric
        Effective dispersion. [cm2/day]
    clearance_per_day : numeric
        Clearance from the CSF. [1/day]

    Returns
    -------
    length_cm : numeric
        :math:`L = \\sqrt{D / k}`. [cm]

    Raises
    ------
    ValueError
        If an input is not finite or outside its range.

    Notes
    -----
    The steady solution of :math:`D c'' = k c` away from the tip is
    :math:`c \\propto e^{-|x - x_{tip}|/L}` [1]_.

    References
    ----------
    .. [1] J. Crank, "The Mathematics of Diffusion," 2nd ed., Oxford, 1975.

    Examples
    --------
    >>> spread_length_cm(100.0, 4.0)
    5.0
    """
    DISPERSION.check(dispersion_cm2_per_day)
    CLEARANCE.check(clearance_per_day)
    return plain(np.sqrt(np.divide(dispersion_cm2_per_day, clearance_per_day)))


def _operator(geometry, tip_cell, dispersion, clearance, rate_ml_per_day):
    """Tridiagonal loss operator (rows = nodes, cranial last) and the cranial loss rate."""
    n = len(geometry.x_cm)
    volume = np.append(geometry.volume_ml, geometry.cranial_ml)
    face_area = 0.5 * (geometry.area_cm2[1:] + geometry.area_cm2[:-1])
    conductance = np.append(
        dispersion * face_area / geometry.dx_cm,
        dispersion * geometry.area_cm2[-1] / (geometry.dx_cm / 2),
    )  # faces i + 1/2 for i = 0 .. n - 1, the last into the cranial compartment
    flow = np.where(np.arange(n) >= tip_cell, rate_ml_per_day, 0.0)  # upward, upwind
    cranial_loss = clearance + _value("csf_turnover")
    lower = -(conductance + flow)  # row i + 1, column i
    upper = -conductance.copy()  # row i, column i + 1
    diagonal = clearance * volume
    diagonal[-1] = cranial_loss * volume[-1] + rate_ml_per_day
    diagonal[:-1] += conductance + flow
    diagonal[1:] += conductance
    return lower, diagonal, upper, volume, cranial_loss


def _source_vector(geometry, tip_cell, mass_rate, spread_cm):
    """Mass rate into each node: the tip cell, or cells within +-spread/2 for a bolus."""
    source = np.zeros(len(geometry.x_cm) + 1)
    if spread_cm <= geometry.dx_cm:
        source[tip_cell] = mass_rate
        return source
    near = np.abs(geometry.x_cm - geometry.x_cm[tip_cell]) <= spread_cm / 2
    weights = geometry.volume_ml * near
    source[:-1] = mass_rate * weights / weights.sum()
    return source


def steady_state(
    tip,
    source_ug_per_day,
    dispersion_cm2_per_day,
    clearance_per_day,
    rate_ml_per_day=0.0,
    geometry=None,
):
    """
    Steady concentration along the canal for a constant delivery.

    Parameters
    ----------
    tip : str or float
        Catheter tip level (e.g. ``"T10"``) or height above the sac end. [-]
    source_ug_per_day : float
        Drug mass rate leaving the catheter. [ug/day]
    dispersion_cm2_per_day : float
        Effective dispersion. [cm2/day]
    clearance_per_day : float
        Drug clearance from the CSF. [1/day]
    rate_ml_per_day : float, default 0
        Infused volume, flowing towards the head. [mL/day]
    geometry : Canal, optional
        The canal; by default :func:`canal`. [-]

    Returns
    -------
    concentration_ug_per_ml : numpy.ndarray
        Per cell, then the cranial compartment last. [ug/mL]

    Raises
    ------
    ValueError
        If an input is not finite or outside its range, or the tip lies outside the canal.

    Notes
    -----
    Solves :math:`L c = s` directly, with :math:`L` the conservative finite-volume operator
    of :func:`simulate` [1]_.

    References
    ----------
    .. [1] S. V. Patankar, "Numerical Heat Transfer and Fluid Flow," Hemisphere, 1980.
    """
    geometry = geometry or canal()
    tip_cell = geometry.cell(tip)
    SOURCE.check(source_ug_per_day)
    DISPERSION.check(dispersion_cm2_per_day)
    CLEARANCE.check(clearance_per_day)
    if rate_ml_per_day:
        RATE.check(rate_ml_per_day)
    lower, diagonal, upper, _, _ = _operator(
        geometry, tip_cell, dispersion_cm2_per_day, clearance_per_day, rate_ml_per_day
    )
    source = _source_vector(geometry, tip_cell, source_ug_per_day, 0.0)
    solution, info = lapack.dgtsv(lower, diagonal, upper, source)[3:]
    if info != 0:
        raise ValueError(f"steady state could not be solved (LAPACK info {info})")
    return solution


@dataclass(frozen=True)
class Spread:
    """
    Drug in the CSF over time.

    Parameters
    ----------
    geometry : Canal
        The canal. [-]
    time_days : numpy.ndarray
        Times. [day]
    concentration_ug_per_ml : numpy.ndarray
        Shape (times, cells): concentration along the canal. [ug/mL]
    cranial_ug_per_ml : numpy.ndarray
        Concentration in the cranial compartment. [ug/mL]
    delivered_ug, in_spine_ug, in_cranial_ug, cleared_ug : numpy.ndarray
        Cumulative mass delivered, mass in the spinal CSF, in the cranial CSF, and
        cumulative mass cleared. [ug]
    to_cranial_ug : numpy.ndarray
        Cumulative mass that crossed the foramen magnum. [ug]
    """

    geometry: Canal
    time_days: np.ndarray
    concentration_ug_per_ml: np.ndarray
    cranial_ug_per_ml: np.ndarray
    delivered_ug: np.ndarray
    in_spine_ug: np.ndarray
    in_cranial_ug: np.ndarray
    cleared_ug: np.ndarray
    to_cranial_ug: np.ndarray

    def at_level(self, level):
        """Concentration over time at a level or height. [ug/mL]"""
        return self.concentration_ug_per_ml[:, self.geometry.cell(level)]


def simulate(
    tip,
    time_days,
    source_ug_per_day,
    dispersion_cm2_per_day,
    clearance_per_day,
    rate_ml_per_day=0.0,
    spread_cm=None,
    geometry=None,
    initial_ug_per_ml=None,
):
    """
    Implicit finite-volume simulation of drug spreading and clearing in the CSF.

    Parameters
    ----------
    tip : str or float
        Catheter tip level or height above the sac end. [-]
    time_days : array_like
        Equally spaced times from 0; the step is their spacing. [day]
    source_ug_per_day : array_like
        Mass rate leaving the catheter during each step (one per step, i.e. one fewer than
        times). [ug/day]
    dispersion_cm2_per_day : float
        Effective dispersion from CSF pulsation. [cm2/day]
    clearance_per_day : float
        Drug clearance from the CSF. [1/day]
    rate_ml_per_day : float, default 0
        Infused volume, flowing towards the head. [mL/day]
    spread_cm : array_like, optional
        Per step, the length of canal over which a bolus enters (its volume over the
        cross-section); at most one cell for continuous delivery. [cm]
    geometry : Canal, optional
        The canal; by default :func:`canal`. [-]
    initial_ug_per_ml : array_like, optional
        Concentration per cell, then the cranial compartment, at the first time (e.g. a
        :func:`steady_state`); by default drug-free CSF. [ug/mL]

    Returns
    -------
    spread : Spread
        Concentrations and the mass budget at every time. [-]

    Raises
    ------
    ValueError
        If an input is not finite or outside its range, or the tip lies outside the canal.

    Notes
    -----
    Backward Euler in time, conservative fluxes between cells (dispersion through the face
    area, upwind advection of the infused volume above the tip), first-order clearance in
    every cell and, in the cranial compartment, clearance plus CSF turnover [1]_. The
    tridiagonal system is factorised once (LAPACK gttrf) and solved each step. Mass is
    conserved to round-off: initial + delivered = in spinal CSF + in cranial CSF + cleared.

    References
    ----------
    .. [1] S. V. Patankar, "Numerical Heat Transfer and Fluid Flow," Hemisphere, 1980.
    """
    geometry = geometry or canal()
    tip_cell = geometry.cell(tip)
    time_days = np.asarray(time_days, dtype=float)
    steps = len(time_days) - 1
    if steps < 1:
        raise ValueError("time_days needs at least two times")
    dt = float(time_days[1] - time_days[0])
    STEP.check(dt, "dt_days")
    if not np.allclose(np.diff(time_days), dt, rtol=1e-9, atol=1e-12):
        raise ValueError("time_days must be equally spaced")
    source = np.asarray(source_ug_per_day, dtype=float)
    if source.ndim and source.shape != (steps,):
        raise ValueError(
            f"source_ug_per_day has {source.shape[0]} values; give one per step ({steps}), "
            "one fewer than the times"
        )
    source = np.broadcast_to(source, (steps,))
    SOURCE.check(source, "source_ug_per_day")
    spread = np.zeros(steps) if spread_cm is None else np.broadcast_to(spread_cm, (steps,))
    Range("spread_cm", 0.0, 200.0, "cm", "a bolus cannot fill more than the canal").check(spread)
    DISPERSION.check(dispersion_cm2_per_day)
    CLEARANCE.check(clearance_per_day)
    if rate_ml_per_day:
        RATE.check(rate_ml_per_day)
    lower, diagonal, upper, volume, cranial_loss = _operator(
        geometry, tip_cell, dispersion_cm2_per_day, clearance_per_day, rate_ml_per_day
    )
    *factors, info = lapack.dgttrf(lower, volume / dt + diagonal, upper)
    if info != 0:
        raise ValueError(f"time step could not be factorised (LAPACK info {info})")
    n = len(volume)
    c = np.zeros(n)
    if initial_ug_per_ml is not None:
        c = np.array(initial_ug_per_ml, dtype=float)
        if c.shape != (n,):
            raise ValueError(
                f"initial_ug_per_ml has shape {c.shape}; give one value per cell and one for "
                f"the cranial compartment ({n})"
            )
        Range("initial_ug_per_ml", 0.0, 1.0e6, "ug/mL", "teaching choice").check(c)
    history = np.zeros((steps + 1, n))
    history[0] = c
    cleared = np.zeros(steps + 1)
    to_cranial = np.zeros(steps + 1)
    delivered = np.concatenate([[0.0], np.cumsum(source) * dt])
    top_conductance = dispersion_cm2_per_day * geometry.area_cm2[-1] / (geometry.dx_cm / 2)
    for k in range(steps):
        rhs = volume / dt * c + _source_vector(geometry, tip_cell, source[k], spread[k])
        c, _ = lapack.dgttrs(*factors, rhs)
        history[k + 1] = c
        losses = clearance_per_day * (volume[:-1] @ c[:-1])
        losses += (cranial_loss * volume[-1] + rate_ml_per_day) * c[-1]
        cleared[k + 1] = cleared[k] + dt * losses
        crossing = top_conductance * (c[-2] - c[-1]) + rate_ml_per_day * c[-2]
        to_cranial[k + 1] = to_cranial[k] + dt * crossing
    return Spread(
        geometry=geometry,
        time_days=time_days,
        concentration_ug_per_ml=history[:, :-1],
        cranial_ug_per_ml=history[:, -1],
        delivered_ug=delivered,
        in_spine_ug=history[:, :-1] @ volume[:-1],
        in_cranial_ug=history[:, -1] * volume[-1],
        cleared_ug=cleared,
        to_cranial_ug=to_cranial,
    )


def periodic_boluses(
    time_days, dose_ug_per_day, boluses_per_day, bolus_volume_ml, area_cm2, bolus_share=1.0
):
    """
    Per-step source and bolus spread for a daily dose given partly as periodic boluses.

    Parameters
    ----------
    time_days : array_like
        Equally spaced simulation times. [day]
    dose_ug_per_day : float
        Total daily dose. [ug/day]
    boluses_per_day : int
        Number of equally spaced boluses per day; 0 for continuous delivery. [1/day]
    bolus_volume_ml : float
        Volume of each bolus. [mL]
    area_cm2 : float
        Cross-section at the tip, to turn the bolus volume into a length of canal. [cm2]
    bolus_share : float, default 1
        Share of the daily dose given as boluses; the rest is continuous. [-]

    Returns
    -------
    source_ug_per_day, spread_cm : numpy.ndarray
        Per step, the mass rate and the length over which it enters. [ug/day, cm]

    Notes
    -----
    Each bolus is delivered within one time step, so the daily dose is the same whatever
    the number of boluses. Giving 40 % of the daily dose as 4 boluses a day is a published
    pattern [1]_.

    References
    ----------
    .. [1] PMID 26856808: intermittent boluses against continuous intrathecal infusion in
       a 10-patient crossover.
    """
    time_days = np.asarray(time_days, dtype=float)
    dt = time_days[1] - time_days[0]
    steps = len(time_days) - 1
    continuous = np.full(steps, dose_ug_per_day * (1.0 - bolus_share if boluses_per_day else 1.0))
    spread = np.zeros(steps)
    if boluses_per_day:
        period = 1.0 / boluses_per_day
        starts = time_days[:-1]
        # Boluses in a step: bolus times m * period that lie in [start, start + dt).
        first = np.ceil(starts / period - 1e-9)
        after = np.ceil((starts + dt) / period - 1e-9)
        hits = after - first
        bolus_mass = dose_ug_per_day * bolus_share / boluses_per_day
        continuous = continuous + hits * bolus_mass / dt
        spread = np.where(hits > 0, bolus_volume_ml / area_cm2, 0.0)
    return continuous, spread


@dataclass(frozen=True)
class Calibration:
    """
    A published measurement of spread and what the model gives for it.

    Parameters
    ----------
    name : str
        Data set. [-]
    measured : str
        The published result, in words. [-]
    band : tuple of float
        Range the model must land in. [unit]
    model : float
        The model's value for the same quantity. [unit]
    unit : str
        Unit of ``band`` and ``model``. [-]
    """

    name: str
    measured: str
    band: tuple
    model: float
    unit: str

    @property
    def inside(self):
        """Whether the model lands in the published band."""
        return self.band[0] <= self.model <= self.band[1]


def calibrate_pig_morphine():
    """
    The pig morphine infusion: spread length against the published 5-10-fold fall over 5-10 cm.

    Returns
    -------
    calibration : Calibration
        Band and model value of the spread length rostral to the tip. [cm]

    Notes
    -----
    Morphine 1 mg/mL at 20 uL/h; the model's spread length is read from the steady
    profile between the tip and 7.5 cm above it. A fold fall F over a distance d means a
    spread length d / ln F, so the band is [5 / ln 10, 10 / ln 5] cm [1]_. The canal is the
    human one: the pig's own geometry is not in the data files.

    References
    ----------
    .. [1] S. H. Flack, C. M. Anderson, C. Bernards, "Morphine distribution in the spinal
       cord after chronic infusion in pigs," Anesth Analg, 2011.
    """
    folds = _value("pig_morphine_fold")
    distances = _value("pig_morphine_distance")
    band = (distances[0] / math.log(folds[1]), distances[1] / math.log(folds[0]))
    geometry = canal()
    rate = _value("pig_morphine_rate")
    profile = steady_state(
        "T10",
        _value("pig_morphine_concentration") * rate,
        _value("pig_morphine_dispersion"),
        clearance_per_day("morphine"),
        rate_ml_per_day=rate,
        geometry=geometry,
    )
    tip = geometry.cell("T10")
    above = tip + round(7.5 / geometry.dx_cm)
    distance = geometry.x_cm[above] - geometry.x_cm[tip]
    length = distance / math.log(profile[tip] / profile[above])
    return Calibration("pig morphine", "5-10-fold fall over 5-10 cm", band, float(length), "cm")


def calibrate_human_dtpa(hours=72.0):
    """
    The human In-111 DTPA infusion: T2 concentration as a share of T12 after 72 h.

    Parameters
    ----------
    hours : float, default 72
        Length of the lumbar infusion. [h]

    Returns
    -------
    calibration : Calibration
        Band (43 % +- 10 percentage points) and the model's T2 / T12 ratio. [%]

    Notes
    -----
    Lumbar tip at L2, 0.5 mL/day, DTPA cleared with the CSF turnover [1]_.

    References
    ----------
    .. [1] Neurosurgery, vol. 33, pp. 226-230, 1993 (In-111 DTPA infused for 72 h through
       implanted lumbar catheters).
    """
    share = _value("human_dtpa_ratio")
    time_days = np.linspace(0.0, hours / 24.0, round(hours * 2) + 1)
    result = simulate(
        "L2",
        time_days,
        100.0,
        _value("human_dtpa_dispersion"),
        _value("csf_turnover"),
        rate_ml_per_day=_value("human_dtpa_rate"),
    )
    final = result.concentration_ug_per_ml[-1]
    geometry = result.geometry
    ratio = float(100.0 * final[geometry.cell("T2")] / final[geometry.cell("T12")])
    return Calibration(
        "human In-111 DTPA",
        "T2 at 43 % of T12 after 72 h",
        (share - 10.0, share + 10.0),
        ratio,
        "%",
    )
