"""Titration: how fast a daily dose may be raised, step by step, under a drug's rule."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import data, drugs
from helpers.ranges import DOSE
from helpers.schedule import Schedule
from helpers.validation import SCALAR, TEXT, Range, arguments, instance_of

#: Origins of spasticity with their own baclofen rule.
ORIGINS = ("spinal", "cerebral")


@dataclass(frozen=True)
class Step:
    """
    The largest allowed increase from a dose, and how soon.

    Parameters
    ----------
    max_dose_ug_per_day : float
        Highest dose the rule allows at the next step. [ug/day]
    interval_days : float
        Shortest time before that step. [day]
    rule : str
        The rule in words. [-]
    source : str
        Where the rule comes from. [-]
    """

    max_dose_ug_per_day: float
    interval_days: float
    rule: str
    source: str


@arguments(
    drug=instance_of("helpers.drugs.Drug"),
    dose_ug_per_day=SCALAR,
    origin=TEXT,
)
def next_step(drug, dose_ug_per_day, origin="spinal"):
    """
    The largest dose the titration rule allows at the next step.

    Parameters
    ----------
    drug : helpers.drugs.Drug
        A drug with a titration rule (baclofen, ziconotide). [-]
    dose_ug_per_day : float
        Current daily dose. [ug/day]
    origin : {'spinal', 'cerebral'}
        Origin of spasticity, for baclofen's rule. [-]

    Returns
    -------
    step : Step
        Largest next dose, shortest interval, the rule and its source. [-]

    Raises
    ------
    ValueError
        If the drug has no titration rule, the origin is unknown, or the dose is invalid.

    Notes
    -----
    Baclofen: +10-30 % of the daily dose (spinal origin) or +5-15 % (cerebral origin and
    children), at most once every 24 h [1]_. Ziconotide: at most +2.4 ug/day per step, at
    most 2-3 steps a week, up to 19.2 ug/day [2]_.

    References
    ----------
    .. [1] M. Saulino et al., CMSC 2015 abstract; Skyscape baclofen monograph.
    .. [2] PRIALT (ziconotide) label, dosage and administration.
    """
    DOSE.check(dose_ug_per_day)
    if origin not in ORIGINS:
        raise ValueError(f"origin = {origin!r} is unknown; use one of {ORIGINS}")
    if drug.titration_step is None:
        raise ValueError(f"drug = {drug.key!r} has no titration rule in helpers/data/drugs.toml")
    step = drug.titration_step
    if origin == "cerebral" and drug.titration_step_cerebral is not None:
        step = drug.titration_step_cerebral
    interval = drug.titration_interval.model_value
    if step.unit == "%":
        top = max(step.value) if isinstance(step.value, tuple) else step.value
        limit = dose_ug_per_day * (1 + top / 100.0)
        every = "a day" if interval == 1 else f"every {interval:g} days"
        rule = f"at most +{top:g} % of the daily dose, once {every}"
    else:
        limit = dose_ug_per_day + step.model_value
        rule = f"at most +{step.value:g} {step.unit} per step, every {interval:.2g} days"
    if drug.max_dose is not None:
        limit = min(limit, drug.max_dose_ug_per_day)
    return Step(float(limit), float(interval), rule, step.source)


@arguments(
    drug=instance_of("helpers.drugs.Drug"),
    start_ug_per_day=SCALAR,
    origin=TEXT,
    target_ug_per_day=SCALAR,
)
def schedule(drug, start_ug_per_day, target_ug_per_day, origin="spinal", max_steps=200):
    """
    The fastest day-by-day titration from a start to a target dose under the rule.

    Parameters
    ----------
    drug : helpers.drugs.Drug
        A drug with a titration rule. [-]
    start_ug_per_day, target_ug_per_day : float
        Starting and target daily doses. [ug/day]
    origin : {'spinal', 'cerebral'}
        Origin of spasticity, for baclofen. [-]
    max_steps : int
        Safety stop for very slow schedules. [-]

    Returns
    -------
    days, doses_ug_per_day : numpy.ndarray
        Day of each step (0 for the start) and the dose from that day. [day, ug/day]

    Raises
    ------
    ValueError
        If a dose is invalid, the target exceeds the drug's maximum, or ``max_steps`` is
        not a whole number from 1 to 10,000 or too few to reach the target.

    Notes
    -----
    Each step takes the largest increase :func:`next_step` allows, until the target.

    References
    ----------
    .. [1] PRIALT (ziconotide) label, dosage and administration.
    """
    DOSE.check(start_ug_per_day, "start_ug_per_day")
    DOSE.check(target_ug_per_day, "target_ug_per_day")
    if drug.max_dose is not None and target_ug_per_day > drug.max_dose_ug_per_day:
        raise ValueError(
            f"target_ug_per_day = {target_ug_per_day:g} ug/day is above the maximum "
            f"{drug.max_dose_ug_per_day:g} ug/day for {drug.name.lower()}"
        )
    if isinstance(max_steps, bool) or not isinstance(max_steps, int | np.integer):
        raise ValueError(f"max_steps = {max_steps!r} is not a whole number of steps (1 to 10000)")
    Range("max_steps", 1, 10_000, "steps", "a safety stop for slow schedules").check(max_steps)
    days, doses = [0.0], [float(start_ug_per_day)]
    while doses[-1] < target_ug_per_day and len(doses) <= max_steps:
        step = next_step(drug, doses[-1], origin)
        days.append(days[-1] + step.interval_days)
        doses.append(min(step.max_dose_ug_per_day, float(target_ug_per_day)))
    if doses[-1] < target_ug_per_day:
        raise ValueError(
            f"max_steps = {max_steps} steps end at {doses[-1]:g} ug/day, short of the target "
            f"{target_ug_per_day:g} ug/day; allow more steps"
        )
    return np.array(days), np.array(doses)


@arguments(settings=instance_of("helpers.cohort.Settings"))
def titration_plan(settings):
    """
    Titration from the implant dose to the planned dose.

    Parameters
    ----------
    settings : Settings
        Drug, planned dose, concentration and the start as a share of the planned dose. [-]

    Returns
    -------
    plan : helpers.schedule.Schedule
        Dose steps from day 0 at the settings' concentration; the last lasts for ever;
        ``description`` states the step rule. [-]

    Notes
    -----
    Drugs with a titration rule in ``drugs.toml`` (baclofen of spinal origin, ziconotide)
    follow :func:`helpers.schedule`, the fastest steps the rule allows. The others
    rise by ``journey.titration_step`` per ``journey.titration_interval`` (teaching
    assumptions), :math:`D_k = \\min(D_0 (1 + s)^k, D)`. The default start, 60 % of the
    planned dose, needs the median escalation of a cancer-centre series [1]_.

    References
    ----------
    .. [1] Huntsman Cancer Institute series, Neuromodulation, vol. 24, no. 7, pp. 1157-1166,
       2021 (PMID 34375481).
    """
    drug = drugs.get_drug(settings.drug_key)
    target = settings.dose_ug_per_day
    start = target * (settings.titration_start_percent / 100.0)
    if start >= target:
        days, doses, rule = [0.0], [target], "no titration: the planned dose from the implant"
    elif drug.titration_step is not None:
        if drug.max_dose is not None and target > drug.max_dose_ug_per_day:
            raise ValueError(
                f"dose_ug_per_day = {target:g} ug/day cannot be reached by titration: "
                f"{drug.name.lower()}'s rule stops at its maximum, allowed up to "
                f"{drug.max_dose_ug_per_day:g} ug/day (or start at 100 %)"
            )
        days, doses = schedule(drug, start, target)
        rule = next_step(drug, start).rule
    else:
        step = data.lookup("journey", "titration_step")
        interval = data.lookup("journey", "titration_interval")
        count = int(np.ceil(np.log(target / start) / np.log1p(step.value / 100.0) - 1e-9))
        doses = np.minimum(start * (1.0 + step.value / 100.0) ** np.arange(count + 1), target)
        days = interval.model_value * np.arange(count + 1)
        rule = f"+{step.value:g} % every {interval.value:g} days, a teaching assumption"
    return Schedule.from_doses(days, doses, settings.concentration_ug_per_ml, description=rule)
