"""Spread in the spinal fluid: drug leaving the catheter tip, moving and clearing along the canal.

The spinal subarachnoid space is a 1-D canal from the end of the dural sac (x = 0) up to
the foramen magnum, with a well-mixed cranial compartment above it. Along it the drug
concentration c(x, t) obeys

    A dc/dt = d/dx(A D dc/dx) - d/dx(q c) - k A c + source,

with A the cross-section, D an effective dispersion, q the infused volume flowing towards
the head and k the drug's clearance from the CSF. The dispersion has two parts: the mixing
by the CSF's pulsation, D0, and the mixing the delivery itself adds,

    D = D0 + T u**2,   u = Q / A_tip,

a Taylor-type term (dispersion by continuous movements: velocity squared times a mixing
time T) in the speed at which the delivered volume Q displaces CSF at the tip. A faster
infusion, and above all a large fast bolus, mixes the drug further from the tip.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

import numpy as np

from helpers import data, drugs, units
from helpers.ranges import (
    BOLUS_MINUTES,
    CELL,
    CLEARANCE,
    CSF_DISPERSION,
    MIXING,
    MIXING_TIME,
    RATE,
    SOURCE,
    STEP,
)
from helpers.validation import (
    LEVEL,
    NUMBERS,
    SCALAR,
    TIMES,
    Range,
    arguments,
    instance_of,
    one_of,
    plain,
)

#: Vertebral regions from the head down: letter, number of levels, data key of the length.
REGIONS = (
    ("C", 7, "cervical_length"),
    ("T", 12, "thoracic_length"),
    ("L", 5, "lumbar_length"),
    ("S", 2, "sacral_length"),
)


def _value(key):
    return data.lookup("spine", key).model_value


def human_dispersion():
    """
    The default pulsatile dispersion of the course: fitted to the human data.

    Returns
    -------
    dispersion_cm2_per_day : float
        Geometric middle of the fits to the human data sets (see :func:`fit_human`). [cm2/day]

    References
    ----------
    .. [1] J. S. Kroin, A. Ali, M. York, R. D. Penn, "The distribution of medication along
       the spinal canal after chronic intrathecal administration," Neurosurgery, vol. 33,
       pp. 226-230, 1993.
    .. [2] "Cerebrospinal fluid pharmacokinetics of intrathecal morphine sulfate and
       D-Ala2-D-Leu5-enkephalin," 1986 (PMID 3530119).
    """
    return _value("human_dispersion")


def human_dispersion_band():
    """
    The span of the fits to the human data sets, lowest and highest.

    Returns
    -------
    band_cm2_per_day : tuple of float
        The dispersions that reproduce the least and the most widespread human data set;
        they disagree, and the course shows the disagreement as this band. [cm2/day]

    References
    ----------
    .. [1] J. S. Kroin, A. Ali, M. York, R. D. Penn, "The distribution of medication along
       the spinal canal after chronic intrathecal administration," Neurosurgery, vol. 33,
       pp. 226-230, 1993.
    .. [2] "Cerebrospinal fluid pharmacokinetics of intrathecal morphine sulfate and
       D-Ala2-D-Leu5-enkephalin," 1986 (PMID 3530119).
    """
    return tuple(_value("human_dispersion_band"))


def pig_dispersion():
    """
    The animal comparison: dispersion fitted to the pig morphine data (Flack 2011).

    Returns
    -------
    dispersion_cm2_per_day : float
        [cm2/day]

    References
    ----------
    .. [1] S. H. Flack, C. M. Anderson, C. Bernards, "Morphine distribution in the spinal
       cord after chronic infusion in pigs," Anesth Analg, 2011.
    """
    return _value("pig_morphine_dispersion")


def mixing_time_days():
    """
    Mixing time T of the delivery term, fitted here to the Bernards 2006 pig groups.

    Returns
    -------
    mixing_days : float
        [day]

    References
    ----------
    .. [1] C. M. Bernards, "Cerebrospinal fluid and spinal cord distribution of baclofen
       and bupivacaine during slow intrathecal infusion in pigs," Anesthesiology,
       vol. 105, pp. 169-178, 2006.
    """
    return _value("mixing_time")


@arguments(flow_ml_per_day=NUMBERS, area_cm2=SCALAR, mixing_days=SCALAR)
def mixing_dispersion(flow_ml_per_day, area_cm2, mixing_days=None):
    """
    Dispersion added by the delivered flow: a Taylor-type term :math:`T u^2`.

    Parameters
    ----------
    flow_ml_per_day : numeric
        Volume flow leaving the catheter (an infusion rate, or a bolus volume over its
        duration). [mL/day]
    area_cm2 : float
        Cross-section of the subarachnoid space at the tip. [cm2]
    mixing_days : float, optional
        Mixing time :math:`T`; by default the value fitted to Bernards 2006
        (:func:`mixing_time_days`). [day]

    Returns
    -------
    dispersion_cm2_per_day : numeric
        :math:`T (Q / A)^2`. [cm2/day]

    Raises
    ------
    ValueError
        If an input is not finite or outside its range.

    Notes
    -----
    G. I. Taylor's dispersion by continuous movements gives an effective dispersion equal
    to the velocity variance times its correlation (mixing) time [1]_. Here the velocity is
    the speed :math:`u = Q / A` at which the delivered volume displaces CSF at the tip and
    :math:`T` lumps the jet and displacement mixing near the tip; it is not measured but
    fitted so that the three delivery groups of Bernards 2006 [2]_ come out in the
    published order (:func:`bernards_2006`). Because the term grows with the square of the
    speed, a bolus (its volume in minutes) mixes far more than the same volume infused
    over hours.

    References
    ----------
    .. [1] G. I. Taylor, "Diffusion by continuous movements," Proc. London Math. Soc.,
       vol. s2-20, pp. 196-212, 1922.
    .. [2] C. M. Bernards, "Cerebrospinal fluid and spinal cord distribution of baclofen
       and bupivacaine during slow intrathecal infusion in pigs," Anesthesiology,
       vol. 105, pp. 169-178, 2006.

    Examples
    --------
    >>> mixing_dispersion(24.0, 2.0, mixing_days=0.5)
    72.0
    """
    mixing_days = mixing_time_days() if mixing_days is None else mixing_days
    MIXING_TIME.check(mixing_days)
    Range("flow_ml_per_day", 0.0, 1.0e5, "mL/day", "up to 100 mL a minute").check(flow_ml_per_day)
    Range("area_cm2", 0.0, 10.0, "cm2", "teaching choice", low_inclusive=False).check(area_cm2)
    flow = np.asarray(flow_ml_per_day, dtype=float)
    return plain(mixing_days * np.square(np.divide(flow, area_cm2)))


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

    def position_cm(self, level, name="level"):
        """
        Height of a vertebral level above the sac end.

        Parameters
        ----------
        level : str
            A level such as ``"T10"``, or a height in cm. [-]
        name : str, default "level"
            The caller's argument name, for the error message. [-]

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
                    f"{name} = {level!r} is not a vertebral level; use one of {list(self.levels)}"
                )
            return self.levels[level]
        LEVEL.check(level, name)
        Range(name, 0.0, self.length_cm, "cm", "inside the spinal canal").check(level)
        return float(level)

    def cell(self, level, name="level"):
        """Index of the cell that holds a level or height (``name`` is used in errors)."""
        return min(int(self.position_cm(level, name) // self.dx_cm), len(self.x_cm) - 1)


@arguments(dx_cm=SCALAR, area_cm2=SCALAR)
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


@arguments(drug_key=one_of("helpers.drugs.DRUGS"))
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
    CSF_DISPERSION.check(dispersion_cm2_per_day)
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


@arguments(
    tip=LEVEL,
    geometry=instance_of("helpers.spine.Canal", optional=True),
    source_ug_per_day=SCALAR,
    dispersion_cm2_per_day=SCALAR,
    clearance_per_day=SCALAR,
    rate_ml_per_day=SCALAR,
    mixing_days=SCALAR,
)
def steady_state(
    tip,
    source_ug_per_day,
    dispersion_cm2_per_day,
    clearance_per_day,
    rate_ml_per_day=0.0,
    geometry=None,
    mixing_days=None,
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
        Pulsatile dispersion :math:`D_0`, e.g. :func:`human_dispersion`. [cm2/day]
    clearance_per_day : float
        Drug clearance from the CSF. [1/day]
    rate_ml_per_day : float, default 0
        Infused volume, flowing towards the head; it also adds the mixing term
        :func:`mixing_dispersion`. [mL/day]
    geometry : Canal, optional
        The canal; by default :func:`canal`. [-]
    mixing_days : float, optional
        Mixing time of the delivery term; by default the fitted one, 0 to leave it out. [day]

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
    tip_cell = geometry.cell(tip, "tip")
    SOURCE.check(source_ug_per_day)
    CSF_DISPERSION.check(dispersion_cm2_per_day)
    CLEARANCE.check(clearance_per_day)
    if rate_ml_per_day:
        RATE.check(rate_ml_per_day)
    dispersion = dispersion_cm2_per_day + mixing_dispersion(
        rate_ml_per_day, geometry.area_cm2[tip_cell], mixing_days
    )
    lower, diagonal, upper, _, _ = _operator(
        geometry, tip_cell, dispersion, clearance_per_day, rate_ml_per_day
    )
    source = _source_vector(geometry, tip_cell, source_ug_per_day, 0.0)
    from scipy.linalg import lapack  # here, not at import: most notebooks never solve

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


@arguments(
    tip=LEVEL,
    geometry=instance_of("helpers.spine.Canal", optional=True),
    dispersion_cm2_per_day=SCALAR,
    clearance_per_day=SCALAR,
    rate_ml_per_day=SCALAR,
    spread_cm=NUMBERS,
    mixing_cm2_per_day=NUMBERS,
    mixing_days=SCALAR,
    initial_ug_per_ml=NUMBERS,
)
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
    mixing_cm2_per_day=None,
    mixing_days=None,
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
        times); or, shape (steps, cells + 1), a mass rate into every cell and the cranial
        compartment (a source spread along the canal, as a manufactured-solution test
        needs). [ug/day]
    dispersion_cm2_per_day : float
        Pulsatile dispersion :math:`D_0`, e.g. :func:`human_dispersion`. [cm2/day]
    clearance_per_day : float
        Drug clearance from the CSF. [1/day]
    rate_ml_per_day : float, default 0
        Infused volume, flowing towards the head; it also adds the mixing term
        :func:`mixing_dispersion`. [mL/day]
    spread_cm : array_like, optional
        Per step, the length of canal over which a bolus enters (its volume over the
        cross-section); at most one cell for continuous delivery. [cm]
    geometry : Canal, optional
        The canal; by default :func:`canal`. [-]
    initial_ug_per_ml : array_like, optional
        Concentration per cell, then the cranial compartment, at the first time (e.g. a
        :func:`steady_state`); by default drug-free CSF. [ug/mL]
    mixing_cm2_per_day : array_like, optional
        Per step, the mixing boluses add (:attr:`Delivery.mixing_cm2_per_day` of
        :func:`periodic_boluses`). [cm2/day]
    mixing_days : float, optional
        Mixing time of the infusion's delivery term; by default the fitted one, 0 to leave
        it out. [day]

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
    dispersion of a step is :math:`D_0` plus the infusion's and the boluses' mixing; the
    tridiagonal system is factorised once per distinct dispersion (LAPACK gttrf) and solved
    each step. Mass is conserved to round-off: initial + delivered = in spinal CSF + in
    cranial CSF + cleared.

    References
    ----------
    .. [1] S. V. Patankar, "Numerical Heat Transfer and Fluid Flow," Hemisphere, 1980.
    """
    geometry = geometry or canal()
    tip_cell = geometry.cell(tip, "tip")
    if not NUMBERS.test(time_days) or np.ndim(time_days) != 1 or len(time_days) < 2:
        raise ValueError(f"time_days needs at least two times, not {time_days!r:.40}")
    time_days = np.asarray(time_days, dtype=float)
    steps = len(time_days) - 1
    dt = float(time_days[1] - time_days[0])
    STEP.check(dt, "time_days step dt_days")
    if not np.allclose(np.diff(time_days), dt, rtol=1e-9, atol=1e-12):
        raise ValueError("time_days must be equally spaced")
    SOURCE.check(source_ug_per_day, "source_ug_per_day")
    source = np.asarray(source_ug_per_day, dtype=float)
    for name, value in (("spread_cm", spread_cm), ("mixing_cm2_per_day", mixing_cm2_per_day)):
        if value is not None and np.ndim(value) and np.shape(value) != (steps,):
            raise ValueError(
                f"{name} must be one value or one per step ({steps}), not {np.shape(value)}"
            )
    nodes = len(geometry.x_cm) + 1
    distributed = source.ndim == 2
    if distributed and source.shape != (steps, nodes):
        raise ValueError(
            f"source_ug_per_day has shape {source.shape}; a distributed source needs one row "
            f"per step and one column per cell and the cranial compartment ({steps}, {nodes})"
        )
    if not distributed and source.ndim and source.shape != (steps,):
        raise ValueError(
            f"source_ug_per_day has {source.shape[0]} values; give one per step ({steps}), "
            "one fewer than the times"
        )
    if not distributed:
        source = np.broadcast_to(source, (steps,))
    SOURCE.check(source, "source_ug_per_day")
    spread = np.zeros(steps) if spread_cm is None else np.broadcast_to(spread_cm, (steps,))
    Range("spread_cm", 0.0, 200.0, "cm", "a bolus cannot fill more than the canal").check(spread)
    CSF_DISPERSION.check(dispersion_cm2_per_day)
    CLEARANCE.check(clearance_per_day)
    if rate_ml_per_day:
        RATE.check(rate_ml_per_day)
    base = dispersion_cm2_per_day + mixing_dispersion(
        rate_ml_per_day, geometry.area_cm2[tip_cell], mixing_days
    )
    extra = np.zeros(steps)
    if mixing_cm2_per_day is not None:
        extra = np.broadcast_to(np.asarray(mixing_cm2_per_day, dtype=float), (steps,))
        MIXING.check(extra)
    dispersion = base + extra
    from scipy.linalg import lapack  # here, not at import: most notebooks never solve

    operators = {}
    for value in np.unique(dispersion):
        lower, diagonal, upper, volume, cranial_loss = _operator(
            geometry, tip_cell, value, clearance_per_day, rate_ml_per_day
        )
        *factors, info = lapack.dgttrf(lower, volume / dt + diagonal, upper)
        if info != 0:
            raise ValueError(f"time step could not be factorised (LAPACK info {info})")
        operators[value] = factors
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
    per_step = source.sum(axis=1) if distributed else source
    delivered = np.concatenate([[0.0], np.cumsum(per_step) * dt])
    top_conductance = dispersion * geometry.area_cm2[-1] / (geometry.dx_cm / 2)
    for k in range(steps):
        if distributed:
            rhs = volume / dt * c + source[k]
        else:
            rhs = volume / dt * c + _source_vector(geometry, tip_cell, source[k], spread[k])
        c, _ = lapack.dgttrs(*operators[dispersion[k]], rhs)
        history[k + 1] = c
        losses = clearance_per_day * (volume[:-1] @ c[:-1])
        losses += (cranial_loss * volume[-1] + rate_ml_per_day) * c[-1]
        cleared[k + 1] = cleared[k] + dt * losses
        crossing = top_conductance[k] * (c[-2] - c[-1]) + rate_ml_per_day * c[-2]
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


@dataclass(frozen=True)
class Delivery:
    """
    A delivery program step by step, ready for :func:`simulate`.

    Parameters
    ----------
    source_ug_per_day : numpy.ndarray
        Per step, the mass rate leaving the catheter. [ug/day]
    spread_cm : numpy.ndarray
        Per step, the length of canal a bolus fills as it enters. [cm]
    mixing_cm2_per_day : numpy.ndarray
        Per step, the dispersion the boluses add, averaged over the step. [cm2/day]
    """

    source_ug_per_day: np.ndarray
    spread_cm: np.ndarray
    mixing_cm2_per_day: np.ndarray

    def __iter__(self):
        """Unpack as ``source, spread, mixing``."""
        return iter((self.source_ug_per_day, self.spread_cm, self.mixing_cm2_per_day))


@arguments(
    time_days=TIMES,
    dose_ug_per_day=SCALAR,
    boluses_per_day=SCALAR,
    bolus_share=SCALAR,
    bolus_volume_ml=SCALAR,
    area_cm2=SCALAR,
    bolus_minutes=SCALAR,
    mixing_days=SCALAR,
)
def periodic_boluses(
    time_days,
    dose_ug_per_day,
    boluses_per_day,
    bolus_volume_ml,
    area_cm2,
    bolus_share=1.0,
    bolus_minutes=None,
    mixing_days=None,
):
    """
    Per-step source, bolus spread and bolus mixing for a daily dose given partly as boluses.

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
        Cross-section at the tip, to turn the bolus volume into a length of canal and a
        speed. [cm2]
    bolus_share : float, default 1
        Share of the daily dose given as boluses; the rest is continuous. [-]
    bolus_minutes : float, optional
        How long each bolus lasts; by default the course's usual bolus
        (``programs.bolus_duration``). [min]
    mixing_days : float, optional
        Mixing time of :func:`mixing_dispersion`; by default the fitted one. [day]

    Returns
    -------
    delivery : Delivery
        Per step, the mass rate, the length over which it enters and the added mixing.
        [ug/day, cm, cm2/day]

    Notes
    -----
    Each bolus is delivered within one time step, so the daily dose is the same whatever
    the number of boluses. Giving 40 % of the daily dose as 4 boluses a day is a published
    pattern [1]_. While a bolus runs, its volume over its duration is a flow that mixes as
    :func:`mixing_dispersion` says; a step holding a bolus gets that mixing weighted by
    the share of the step the bolus lasts.

    References
    ----------
    .. [1] PMID 26856808: intermittent boluses against continuous intrathecal infusion in
       a 10-patient crossover.
    """
    time_days = np.asarray(time_days, dtype=float)
    if time_days.ndim != 1 or len(time_days) < 2:
        raise ValueError("time_days needs at least two equally spaced times")
    dt = time_days[1] - time_days[0]
    STEP.check(dt, "dt_days")
    steps = len(time_days) - 1
    SOURCE.check(dose_ug_per_day, "dose_ug_per_day")
    if isinstance(boluses_per_day, bool) or not float(boluses_per_day).is_integer():
        raise ValueError(
            f"boluses_per_day = {boluses_per_day!r} is not a whole number of boluses a day; "
            "allowed range is 0 to 48"
        )
    Range("boluses_per_day", 0, 48, "1/day", "teaching choice: up to one every 30 min").check(
        boluses_per_day
    )
    boluses_per_day = int(boluses_per_day)
    Range("bolus_volume_ml", 0.0, 20.0, "mL", "teaching choice: up to a whole reservoir").check(
        bolus_volume_ml
    )
    Range("area_cm2", 0.0, 10.0, "cm2", "teaching choice", low_inclusive=False).check(area_cm2)
    Range("bolus_share", 0.0, 1.0, "-", "a share of the daily dose").check(bolus_share)
    if bolus_minutes is None:
        bolus_minutes = data.lookup("programs", "bolus_duration").value  # [min]
    BOLUS_MINUTES.check(bolus_minutes)
    continuous = np.full(steps, dose_ug_per_day * (1.0 - bolus_share if boluses_per_day else 1.0))
    spread = np.zeros(steps)
    mixing = np.zeros(steps)
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
        duration_days = units.minutes_to_days(bolus_minutes)
        running = mixing_dispersion(bolus_volume_ml / duration_days, area_cm2, mixing_days)
        mixing = hits * running * min(duration_days / dt, 1.0)
    return Delivery(continuous, spread, mixing)


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


def _dtpa_ratio(dispersion_cm2_per_day, hours=72.0):
    """Model T2 / T12 after a lumbar DTPA infusion of ``hours``, in %."""
    time_days = np.linspace(0.0, hours / 24.0, round(hours * 2) + 1)
    result = simulate(
        "L2",
        time_days,
        100.0,
        dispersion_cm2_per_day,
        _value("csf_turnover"),
        rate_ml_per_day=_value("human_dtpa_rate"),
    )
    final = result.concentration_ug_per_ml[-1]
    geometry = result.geometry
    return float(100.0 * final[geometry.cell("T2")] / final[geometry.cell("T12")])


@arguments(dispersion_cm2_per_day=SCALAR, hours=SCALAR)
def calibrate_human_dtpa(dispersion_cm2_per_day=None, hours=72.0):
    """
    The human In-111 DTPA infusion: T2 concentration as a share of T12 after 72 h.

    Parameters
    ----------
    dispersion_cm2_per_day : float, optional
        Pulsatile dispersion; by default the course's :func:`human_dispersion`. [cm2/day]
    hours : float, default 72
        Length of the lumbar infusion. [h]

    Returns
    -------
    calibration : Calibration
        Band (43 % +- 10 percentage points) and the model's T2 / T12 ratio. [%]

    Notes
    -----
    Lumbar tip at L2, DTPA cleared with the CSF turnover; the infusion rate is in
    ``spine.human_dtpa_rate`` [1]_.

    References
    ----------
    .. [1] J. S. Kroin, A. Ali, M. York, R. D. Penn, "The distribution of medication along
       the spinal canal after chronic intrathecal administration," Neurosurgery, vol. 33,
       pp. 226-230, 1993.
    """
    share = _value("human_dtpa_ratio")
    dispersion = human_dispersion() if dispersion_cm2_per_day is None else dispersion_cm2_per_day
    CSF_DISPERSION.check(dispersion)
    Range("hours", 1.0, 24.0 * 30, "h", "teaching choice: up to a month of infusion").check(hours)
    return Calibration(
        "human In-111 DTPA (Kroin 1993)",
        "T2 at 43 % of T12 after 72 h",
        (share - 10.0, share + 10.0),
        _dtpa_ratio(dispersion, hours),
        "%",
    )


@arguments(
    tip=LEVEL,
    geometry=instance_of("helpers.spine.Canal", optional=True),
    dispersion_cm2_per_day=SCALAR,
    rate_ml_per_day=SCALAR,
)
def lumbar_cisternal_ratio(tip, dispersion_cm2_per_day, rate_ml_per_day=None, geometry=None):
    """
    Steady morphine concentration in lumbar CSF over that in the cisterna magna.

    Parameters
    ----------
    tip : str or float
        Catheter tip level or height above the sac end. [-]
    dispersion_cm2_per_day : float
        Pulsatile dispersion. [cm2/day]
    rate_ml_per_day : float, optional
        Infusion rate; by default ``spine.cisternal_rate``. [mL/day]
    geometry : Canal, optional
        The canal; by default :func:`canal`. [-]

    Returns
    -------
    ratio : float
        Lumbar (at ``spine.lumbar_sample_level``) over cranial concentration. [-]

    Notes
    -----
    The cranial compartment stands for the cisterna magna. The published ratios are about
    7 : 1 with the tip at L2 and about 2 : 1 with the tip at T10 [1]_.

    References
    ----------
    .. [1] "Cerebrospinal fluid pharmacokinetics of intrathecal morphine sulfate and
       D-Ala2-D-Leu5-enkephalin," 1986 (PMID 3530119).
    """
    geometry = geometry or canal()
    rate = _value("cisternal_rate") if rate_ml_per_day is None else rate_ml_per_day
    profile = steady_state(
        tip, 100.0, dispersion_cm2_per_day, clearance_per_day("morphine"), rate, geometry
    )
    return float(
        profile[geometry.cell(data.lookup("spine", "lumbar_sample_level").kind)] / profile[-1]
    )


def _fit(model, target, low=10.0, high=1.0e6):
    """Dispersion at which ``model(D)`` equals ``target``, on a log scale."""
    from scipy.optimize import brentq

    return float(
        math.exp(
            brentq(
                lambda log_d: model(math.exp(log_d)) - target,
                math.log(low),
                math.log(high),
                xtol=1e-6,
            )
        )
    )


def fit_human():
    """
    The pulsatile dispersion that reproduces each human data set on its own.

    Returns
    -------
    fits : dict
        Data set name to fitted dispersion: the DTPA profile at 72 h (Kroin 1993), the
        lumbar:cisternal morphine ratio with an L2 tip (7 : 1) and with a T10 tip
        (2 : 1). [cm2/day]

    Notes
    -----
    The three fits disagree (a T10 tip needs a far larger dispersion for its 2 : 1 than
    an L2 tip for its 7 : 1); ``spine.human_dispersion_band`` is their span and
    ``spine.human_dispersion`` their geometric middle. A test refits them.

    References
    ----------
    .. [1] J. S. Kroin, A. Ali, M. York, R. D. Penn, "The distribution of medication along
       the spinal canal after chronic intrathecal administration," Neurosurgery, vol. 33,
       pp. 226-230, 1993.
    .. [2] "Cerebrospinal fluid pharmacokinetics of intrathecal morphine sulfate and
       D-Ala2-D-Leu5-enkephalin," 1986 (PMID 3530119).
    """
    ratios = _value("lumbar_cisternal_ratio")
    return {
        "DTPA 72 h (Kroin 1993)": _fit(_dtpa_ratio, _value("human_dtpa_ratio")),
        "lumbar:cisternal, L2 tip": _fit(lambda d: lumbar_cisternal_ratio("L2", d), ratios[0]),
        "lumbar:cisternal, T10 tip": _fit(lambda d: lumbar_cisternal_ratio("T10", d), ratios[1]),
    }


@arguments(
    profile=NUMBERS,
    geometry=instance_of("helpers.spine.Canal"),
    tip=LEVEL,
    fraction=SCALAR,
)
def reach_cm(profile, geometry, tip, fraction=0.1):
    """
    How far above the tip a concentration stays above a share of the tip's.

    Parameters
    ----------
    profile : array_like
        Concentration per cell (a cranial value at the end is ignored). [ug/mL]
    geometry : Canal
        The canal. [-]
    tip : str or float
        Catheter tip level or height. [-]
    fraction : float, default 0.1
        Share of the tip concentration that marks the reach. [-]

    Returns
    -------
    reach_cm : float
        Distance from the tip to where the profile first falls below ``fraction`` of the
        tip's concentration (log-linear between cells), or to the last cell if it never
        does. [cm]

    References
    ----------
    .. [1] C. M. Bernards, "Cerebrospinal fluid and spinal cord distribution of baclofen
       and bupivacaine during slow intrathecal infusion in pigs," Anesthesiology,
       vol. 105, pp. 169-178, 2006.
    """
    cells = len(geometry.x_cm)
    profile = np.asarray(profile, dtype=float)
    if profile.ndim != 1 or len(profile) < cells or np.any(profile < 0):
        raise ValueError(
            f"profile must hold a concentration >= 0 for each of the canal's {cells} cells "
            f"(the cranial compartment may follow), not {profile.shape} values"
        )
    profile = profile[:cells]
    tip_cell = geometry.cell(tip, "tip")
    level = fraction * profile[tip_cell]
    above = profile[tip_cell:] < level
    if not above.any():
        return float(geometry.x_cm[-1] - geometry.x_cm[tip_cell])
    end = tip_cell + int(np.argmax(above))
    # Log-linear between the last cell above the level and the first below it.
    high, low = np.log(profile[end - 1]), np.log(max(profile[end], 1e-300))
    share = (high - np.log(level)) / (high - low)
    return float(geometry.x_cm[end - 1] + share * geometry.dx_cm - geometry.x_cm[tip_cell])


@arguments(mixing_days=SCALAR, hours=SCALAR)
def bernards_2006(mixing_days=None, hours=8.0):
    """
    The three delivery groups of Bernards 2006, in the pig model: how far baclofen reaches.

    Parameters
    ----------
    mixing_days : float, optional
        Mixing time of :func:`mixing_dispersion`; by default the fitted one. [day]
    hours : float, default 8
        Length of the infusion, as in the study. [h]

    Returns
    -------
    reach_cm : dict
        Group to the reach (:func:`reach_cm`, 10 % of the tip) of the mean concentration
        over the infusion: 20 uL/h, 1,000 uL/h, and a 1,000 uL bolus over 5 minutes every
        hour. [cm]

    Notes
    -----
    Pig dispersion (:func:`pig_dispersion`), baclofen's clearance, a T10 tip. The study
    found distribution severely limited in every group and significantly more limited at
    20 uL/h [1]_; the mixing time is fitted so that the two large-volume groups, which
    deliver the same 24 mL a day, reach equally far.

    References
    ----------
    .. [1] C. M. Bernards, "Cerebrospinal fluid and spinal cord distribution of baclofen
       and bupivacaine during slow intrathecal infusion in pigs," Anesthesiology,
       vol. 105, pp. 169-178, 2006.
    """
    geometry = canal()
    tip = "T10"
    k = clearance_per_day("baclofen")
    Range("hours", 0.5, 48.0, "h", "teaching choice: the 8 h experiment, up to two days").check(
        hours
    )
    time_days = np.linspace(0.0, hours / 24.0, round(hours * 12) + 1)
    slow, fast = _value("bernards_rates")
    d0 = pig_dispersion()
    reach = {}
    for name, rate in (("20 uL/h", slow), ("1,000 uL/h", fast)):
        run = simulate(
            tip, time_days, 1000.0, d0, k, rate, geometry=geometry, mixing_days=mixing_days
        )
        reach[name] = reach_cm(run.concentration_ug_per_ml.mean(axis=0), geometry, tip)
    volume_ml = _value("bernards_bolus_volume")
    minutes = data.lookup("spine", "bernards_bolus_duration").value
    delivery = periodic_boluses(
        time_days,
        1000.0,
        24,
        volume_ml,
        geometry.area_cm2[geometry.cell(tip, "tip")],
        bolus_minutes=minutes,
        mixing_days=mixing_days,
    )
    run = simulate(
        tip,
        time_days,
        delivery.source_ug_per_day,
        d0,
        k,
        spread_cm=delivery.spread_cm,
        geometry=geometry,
        mixing_cm2_per_day=delivery.mixing_cm2_per_day,
        mixing_days=mixing_days,
    )
    reach["1,000 uL bolus hourly"] = reach_cm(
        run.concentration_ug_per_ml.mean(axis=0), geometry, tip
    )
    return reach


def fit_mixing_time():
    """
    The mixing time at which the two large-volume Bernards 2006 groups reach equally far.

    Returns
    -------
    mixing_days : float
        Root of bolus reach minus 1,000 uL/h reach in :func:`bernards_2006`. [day]

    Notes
    -----
    The hourly 1 mL bolus and the 1,000 uL/h infusion deliver the same volume a day; the
    study did not report them apart, while the 20 uL/h group was significantly more
    limited. Without the mixing term the bolus group would reach no farther than 20 uL/h.
    ``spine.mixing_time`` holds the result; a test refits it.

    References
    ----------
    .. [1] C. M. Bernards, "Cerebrospinal fluid and spinal cord distribution of baclofen
       and bupivacaine during slow intrathecal infusion in pigs," Anesthesiology,
       vol. 105, pp. 169-178, 2006.
    """

    from scipy.optimize import brentq

    def gap(mixing_days):
        reach = bernards_2006(mixing_days)
        return reach["1,000 uL bolus hourly"] - reach["1,000 uL/h"]

    return float(brentq(gap, 1.0e-4, 0.1, xtol=1e-7))
