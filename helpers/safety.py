"""Safety checks: findings for a pump program that is impossible, outside limits or risky.

Each check returns :class:`Finding` records with a severity, a plain-language message,
the rule that fired and the source of the limit, so a panel can show why a setting is
dangerous rather than only that it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import data, drugs, pump, ranges, refill, titration, withdrawal
from helpers.ranges import (
    BRIDGE_RATE,
    DELIVERED,
    DELIVERY_RATE,
    DISTANCE,
    EXTRA,
    FEVER,
    GAP_DAYS,
    GAP_HOURS,
    LINE_VOLUME,
    PERCENT,
    PRESS_COUNT,
    RESERVOIR,
    RESTART_PERCENT,
    SPREAD_LENGTH,
)
from helpers.validation import FLAG, INTEGER, TEXT, Kind, Range, arguments, instance_of, one_of

#: Severities from most to least serious.
SEVERITIES = ("danger", "caution", "info")

#: Refill intervals shorter than this are flagged as impractical. [day]
SHORT_INTERVAL_DAYS = 7.0


@dataclass(frozen=True)
class Finding:
    """
    One safety finding.

    Parameters
    ----------
    severity : {'danger', 'caution', 'info'}
        How serious the finding is. [-]
    message : str
        What is wrong and why it matters, with numbers and units. [-]
    rule : str
        Short identifier of the rule, e.g. ``"rate_below_pump_minimum"``. [-]
    source : str
        Citation of the limit, or "teaching assumption" with its reason. [-]
    """

    severity: str
    message: str
    rule: str
    source: str


def _cite(quantity):
    """The source of a data-file value; unverified sources begin "Teaching assumption"."""
    return quantity.source


@arguments(
    findings=Kind(
        "a list of findings",
        lambda v: isinstance(v, (list, tuple)) and all(isinstance(f, Finding) for f in v),
    )
)
def sort_findings(findings):
    """
    Findings from most to least serious, each rule once per message (repeats dropped).

    Parameters
    ----------
    findings : iterable of Finding
        Findings in any order. [-]

    Returns
    -------
    findings : tuple of Finding
        Sorted by :data:`SEVERITIES`; stable within a severity. [-]

    References
    ----------
    .. [1] Python documentation, "Sorting techniques" (sorts are stable).
    """
    unique = {}
    for finding in findings:
        unique.setdefault((finding.rule, finding.message), finding)
    return tuple(sorted(unique.values(), key=lambda f: SEVERITIES.index(f.severity)))


def _number(value, valid, name):
    """``value`` as a float after :meth:`Range.check`; a bool or a container is refused."""
    if isinstance(value, bool) or np.ndim(value) != 0:
        raise ValueError(
            f"{name} = {value!r:.40} is not a single number in {valid.unit}; "
            f"allowed range is {valid.describe()}"
        )
    return float(valid.check(value, name))


def _instance(value, kind, name):
    """``value`` if it is a ``kind``, else a TypeError naming the parameter."""
    if not isinstance(value, kind):
        raise TypeError(
            f"{name} must be a {kind.__module__}.{kind.__name__}, not {type(value).__name__}"
        )
    return value


def _keyed(value, getter, kind, name):
    """``value`` if it is a ``kind``; a key is looked up with ``getter``."""
    if isinstance(value, str):
        try:
            return getter(value)
        except (KeyError, TypeError) as err:
            raise type(err)(f"{name}: {err.args[0]}") from None
    return _instance(value, kind, name)


def _drug(value, name="drug"):
    """A :class:`helpers.drugs.Drug`, or its key."""
    return _keyed(value, drugs.get_drug, drugs.Drug, name)


def _pump(value, name="pump_model"):
    """A :class:`helpers.pump.PumpModel`, or its key."""
    return _keyed(value, pump.get_pump, pump.PumpModel, name)


def _text(value, choices, name):
    """``value`` if it is one of ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} = {value!r:.40} is unknown; use one of {tuple(choices)}")
    return value


@arguments(
    plan=instance_of("helpers.refill.RefillPlan"),
)
def check_refill_program(
    drug,
    pump_model,
    dose_ug_per_day,
    concentration_ug_per_ml,
    fill_volume_ml,
    reservoir_ml,
    alarm_volume_ml,
    plan,
    stability=None,
):
    """
    Findings for a refill program: pump limits, drug limits, stability and alarm setting.

    Parameters
    ----------
    drug : helpers.drugs.Drug
        The drug in the reservoir. [-]
    pump_model : helpers.pump.PumpModel
        The implanted pump. [-]
    dose_ug_per_day : float
        Programmed daily dose. [ug/day]
    concentration_ug_per_ml : float
        Drug concentration in the reservoir. [ug/mL]
    fill_volume_ml : float
        Drug volume just after the refill. [mL]
    reservoir_ml : float
        Reservoir size. [mL]
    alarm_volume_ml : float
        Programmed low-reservoir alarm volume. [mL]
    plan : helpers.refill.RefillPlan
        The program's derived quantities from :func:`helpers.refill.plan_refill`. [-]
    stability : helpers.data.Quantity, optional
        The refill limit the plan used (:meth:`helpers.drugs.Drug.stability_at`); the
        drug's usual ``stability`` by default. [day]

    Returns
    -------
    findings : tuple of Finding
        Sorted from most to least serious; empty if nothing fired. [-]

    Notes
    -----
    Rules: the rate must lie within the pump's programmable range (a fixed-rate pump has
    one rate); concentration and daily dose must not exceed the drug's maxima; the refill
    must not wait beyond the drug's stability; the alarm should not be set below the
    manufacturer's recommendation, because withdrawal was seen above 2 mL of residual
    volume [1]_; the fill must fit the reservoir and exceed the alarm volume.

    References
    ----------
    .. [1] "Correlation between withdrawal symptoms and medication pump residual volume in
       patients with implantable SynchroMed pumps," Neurosurgery, 2004.
    """
    drug = _drug(drug)
    pump_model = _pump(pump_model)
    dose_ug_per_day = _number(dose_ug_per_day, ranges.DOSE, "dose_ug_per_day")
    concentration_ug_per_ml = _number(
        concentration_ug_per_ml, ranges.CONCENTRATION, "concentration_ug_per_ml"
    )
    fill_volume_ml = _number(fill_volume_ml, ranges.VOLUME, "fill_volume_ml")
    reservoir_ml = _number(reservoir_ml, RESERVOIR, "reservoir_ml")
    alarm_volume_ml = _number(alarm_volume_ml, ranges.VOLUME, "alarm_volume_ml")
    _instance(plan, refill.RefillPlan, "plan")
    _number(plan.rate_ml_per_day, ranges.RATE, "plan.rate_ml_per_day")
    findings = []

    def add(severity, rule, message, source):
        findings.append(Finding(severity, message, rule, source))

    unit = drug.mass_unit
    rate = plan.rate_ml_per_day
    delivered = rate * concentration_ug_per_ml  # a fixed-rate pump's dose differs
    if pump_model.is_fixed_rate:
        fixed = pump_model.min_rate_ml_per_day
        if abs(dose_ug_per_day / concentration_ug_per_ml - fixed) > 0.01 * fixed:
            shown = drug.to_display(fixed * concentration_ug_per_ml)
            needed = drug.to_display(dose_ug_per_day / fixed)
            add(
                "danger",
                "fixed_rate_mismatch",
                f"This pump runs only at {fixed:g} mL/day: at this concentration it would give "
                f"{shown:.3g} {unit}/day, not the prescribed dose. Use {needed:.3g} "
                f"{unit}/mL instead.",
                _cite(pump_model.min_rate),
            )
    else:
        findings.extend(rate_findings(pump_model, rate))

    findings.extend(drug_limit_findings(drug, concentration_ug_per_ml, delivered))

    if fill_volume_ml > reservoir_ml:
        add(
            "danger",
            "fill_above_reservoir",
            f"{fill_volume_ml:g} mL does not fit a {reservoir_ml:g} mL reservoir: forcing it "
            "risks injecting drug into the pump pocket.",
            _cite(pump_model.reservoir_volume),
        )
    if fill_volume_ml <= alarm_volume_ml:
        add(
            "danger",
            "fill_at_alarm",
            f"A fill of {fill_volume_ml:g} mL is already at the {alarm_volume_ml:g} mL alarm "
            "volume: the pump alarms at once.",
            _cite(pump_model.alarm_volume),
        )
    if alarm_volume_ml < pump_model.alarm_volume_ml:
        add(
            "caution",
            "alarm_below_recommendation",
            f"An alarm at {alarm_volume_ml:g} mL is below the {pump_model.alarm_name}'s "
            f"{pump_model.alarm_volume_ml:g} mL: withdrawal has been seen at residual "
            "volumes above 2 mL, before the reservoir was empty, so a lower alarm comes too "
            "late.",
            _cite(data.lookup("practice", "withdrawal_alarm_volume")),
        )

    if stability is None:
        stability = drug.stability
    _instance(stability, data.Quantity, "stability")
    if plan.limited_by == "stability":
        add(
            "caution",
            "interval_beyond_stability",
            f"The reservoir would last {plan.days_to_alarm:.0f} days to the alarm, but "
            f"{drug.name.lower()} must be refilled within {stability.model_value:g} days "
            f"here: refill by day {plan.refill_by_days:.0f}.",
            _cite(stability),
        )
    elif plan.refill_by_days < SHORT_INTERVAL_DAYS:
        add(
            "caution",
            "interval_very_short",
            f"The alarm comes {plan.days_to_alarm:.1f} days after the refill, so the next "
            f"refill is due within {plan.refill_by_days:.1f} days: a needle through the skin "
            "almost weekly, each with a risk of infection or pocket fill. Raise the "
            "concentration or the fill volume.",
            "teaching choice: one week as the shortest practical interval",
        )

    low, high = data.lookup("practice", "recommended_rate").model_value
    if not pump_model.is_fixed_rate and not low <= rate <= high:
        add(
            "info",
            "rate_outside_recommended",
            f"{rate:.3g} mL/day lies outside the {low:g}-{high:g} mL/day often recommended to "
            "balance refill visits, battery life and drug spread.",
            _cite(data.lookup("practice", "recommended_rate")),
        )

    return sort_findings(findings)


def _finding(severity, rule, message, source):
    return Finding(severity, message, rule, source)


def rate_findings(pump_model, rate_ml_per_day):
    """
    Findings for a flow rate outside a programmable pump's range.

    Parameters
    ----------
    pump_model : helpers.pump.PumpModel
        The implanted pump. [-]
    rate_ml_per_day : float
        Programmed flow rate. [mL/day]

    Returns
    -------
    findings : list of Finding
        ``rate_below_pump_minimum`` or ``rate_above_pump_maximum``, or nothing. [-]

    References
    ----------
    .. [1] PRIALT HCP site, "Importance of titration" (minimum rate 0.048 mL/day).
    """
    pump_model = _pump(pump_model)
    rate = _number(rate_ml_per_day, ranges.RATE, "rate_ml_per_day")
    if rate < pump_model.min_rate_ml_per_day:
        return [
            _finding(
                "danger",
                "rate_below_pump_minimum",
                f"The pump cannot run this slowly: {rate:.3g} mL/day is below its minimum of "
                f"{pump_model.min_rate_ml_per_day:g} mL/day. Dilute the drug (lower the "
                "concentration) so the rate rises.",
                _cite(pump_model.min_rate),
            )
        ]
    if rate > pump_model.max_rate_ml_per_day:
        return [
            _finding(
                "danger",
                "rate_above_pump_maximum",
                f"The pump cannot run this fast: {rate:.3g} mL/day is above its maximum of "
                f"{pump_model.max_rate_ml_per_day:g} mL/day. Use a higher concentration.",
                _cite(pump_model.max_rate),
            )
        ]
    return []


def drug_limit_findings(drug, concentration_ug_per_ml, dose_ug_per_day):
    """
    Findings for one drug's concentration and delivered daily dose against its limits.

    Parameters
    ----------
    drug : helpers.drugs.Drug
        The drug. [-]
    concentration_ug_per_ml : float
        Its concentration in the reservoir. [ug/mL]
    dose_ug_per_day : float
        The daily dose the pump actually delivers. [ug/day]

    Returns
    -------
    findings : list of Finding
        ``concentration_above_maximum``, ``dose_above_maximum``,
        ``dose_above_caution_threshold``, or nothing. [-]

    References
    ----------
    .. [1] T. R. Deer et al., "The Polyanalgesic Consensus Conference (PACC):
       Recommendations on intrathecal drug infusion systems best practices and
       guidelines," Neuromodulation, vol. 20, no. 2, pp. 96-132, 2017.
    """
    drug = _drug(drug)
    concentration_ug_per_ml = _number(
        concentration_ug_per_ml, ranges.CONCENTRATION, "concentration_ug_per_ml"
    )
    delivered = _number(dose_ug_per_day, DELIVERED, "dose_ug_per_day")
    findings = []
    unit = drug.mass_unit

    def add(*args):
        findings.append(_finding(*args))

    if (
        drug.max_concentration is not None
        and concentration_ug_per_ml > drug.max_concentration_ug_per_ml * (1 + 1e-9)
    ):
        add(
            "danger",
            "concentration_above_maximum",
            f"{drug.to_display(concentration_ug_per_ml):.3g} {unit}/mL is above the maximum "
            f"{drug.name.lower()} concentration of {drug.max_concentration.value:g} "
            f"{drug.max_concentration.unit}: the risk of precipitation and, for opioids, of a "
            "catheter-tip granuloma rises.",
            _cite(drug.max_concentration),
        )
    if drug.max_dose is not None and delivered > drug.max_dose_ug_per_day * (1 + 1e-9):
        add(
            "danger",
            "dose_above_maximum",
            f"{drug.to_display(delivered):.3g} {unit}/day is above the maximum "
            f"{drug.name.lower()} daily dose of {drug.max_dose.value:g} {drug.max_dose.unit}.",
            _cite(drug.max_dose),
        )
    if drug.caution_dose is not None and delivered > drug.caution_dose.model_value:
        add(
            "caution",
            "dose_above_caution_threshold",
            f"{drug.to_display(delivered):.3g} {unit}/day is above the "
            f"{drug.caution_dose.value:g} {drug.caution_dose.unit} at which the label urges "
            "caution.",
            _cite(drug.caution_dose),
        )

    return findings


#: Ratios that betray a unit trap, with what went wrong.
UNIT_TRAPS = (
    (24.0, "a per-hour value entered where per-day was meant (24 times)"),
    (1000.0, "mg entered for ug, or mL for uL (1000 times)"),
)


@dataclass(frozen=True)
class Program:
    """
    A pump program: one reservoir, one rate, one or more drugs.

    Parameters
    ----------
    pump_key : str
        Key of :data:`helpers.pump.PUMPS`. [-]
    rate_ml_per_day : float
        Programmed flow rate. [mL/day]
    concentrations_ug_per_ml : dict
        Drug key to its concentration in the reservoir; two or three for an admixture. [ug/mL]
    fill_volume_ml : float, default 20
        Volume after the refill. [mL]
    """

    pump_key: str
    rate_ml_per_day: float
    concentrations_ug_per_ml: dict
    fill_volume_ml: float = 20.0

    def __post_init__(self):
        _pump(self.pump_key, "pump_key")
        _number(self.rate_ml_per_day, ranges.RATE, "rate_ml_per_day")
        _number(self.fill_volume_ml, ranges.VOLUME, "fill_volume_ml")
        if not isinstance(self.concentrations_ug_per_ml, dict) or not (
            1 <= len(self.concentrations_ug_per_ml) <= 3
        ):
            raise ValueError(
                "concentrations_ug_per_ml must be a dict of one to three drug keys to "
                f"concentrations in ug/mL, not {self.concentrations_ug_per_ml!r:.60}"
            )
        for key, value in self.concentrations_ug_per_ml.items():
            _drug(key, "concentrations_ug_per_ml key")
            _number(value, ranges.CONCENTRATION, f"concentrations_ug_per_ml[{key!r}]")

    def doses_ug_per_day(self):
        """Each drug's daily dose: the single rate times its concentration. [ug/day]"""
        return {k: self.rate_ml_per_day * c for k, c in self.concentrations_ug_per_ml.items()}


@arguments(program=instance_of("helpers.safety.Program"))
def check_program(program):
    """
    Findings for a pump program, each drug of an admixture checked against its own limits.

    Parameters
    ----------
    program : Program
        The program. [-]

    Returns
    -------
    findings : tuple of Finding
        Sorted from most to least serious. [-]

    Raises
    ------
    TypeError
        If ``program`` is not a :class:`Program`.

    Notes
    -----
    A :class:`Program` checks its own fields when it is made: an unknown pump or drug, or
    a rate, concentration or volume that is not a finite number in its range, raises a
    ValueError naming the field. Rules: rate within the pump's range; every drug's
    concentration and daily dose within its maxima; the refill (alarm minus margin) not
    later than the least stable drug allows.

    References
    ----------
    .. [1] T. R. Deer et al., "PACC: Recommendations for intrathecal drug delivery:
       guidance for improving safety and mitigating risks," Neuromodulation, vol. 20,
       no. 2, pp. 155-176, 2017.
    """
    _instance(program, Program, "program")
    model = pump.get_pump(program.pump_key)
    if model.is_fixed_rate:
        findings = []
        fixed = model.min_rate_ml_per_day
        if abs(program.rate_ml_per_day - fixed) > 0.01 * fixed:
            findings.append(
                _finding(
                    "danger",
                    "fixed_rate_mismatch",
                    f"This pump runs only at {fixed:g} mL/day, not {program.rate_ml_per_day:.3g}: "
                    "every dose is what that rate gives, not what was programmed.",
                    _cite(model.min_rate),
                )
            )
        program = Program(
            program.pump_key, fixed, program.concentrations_ug_per_ml, program.fill_volume_ml
        )
    else:
        findings = rate_findings(model, program.rate_ml_per_day)
    doses = program.doses_ug_per_day()
    for key, concentration in program.concentrations_ug_per_ml.items():
        findings.extend(drug_limit_findings(drugs.get_drug(key), concentration, doses[key]))
    least = min((drugs.get_drug(k) for k in doses), key=lambda d: d.stability_days)
    margin = data.lookup("practice", "refill_margin").model_value
    alarm_days = pump.days_to_alarm(
        program.fill_volume_ml, program.rate_ml_per_day, model.alarm_volume_ml
    )
    if alarm_days - margin > least.stability_days:
        findings.append(
            _finding(
                "caution",
                "interval_beyond_stability",
                f"The fill would last {alarm_days:.0f} days, but {least.name.lower()} is only "
                f"known to stay stable for {least.stability_days:g} days: refill by then.",
                _cite(least.stability),
            )
        )
    return sort_findings(findings)


@arguments(
    old=instance_of("helpers.safety.Program"),
    new=instance_of("helpers.safety.Program"),
    origin=one_of("helpers.titration.ORIGINS"),
)
def check_change(old, new, origin="spinal", reservoir_ug_per_ml=None):
    """
    Findings for a change from an old program to a new one, as a programmer's review screen.

    Parameters
    ----------
    old, new : Program
        The program before and after. [-]
    origin : {'spinal', 'cerebral'}
        Origin of spasticity, for baclofen's titration rule. [-]
    reservoir_ug_per_ml : dict, optional
        Drug key to the concentration actually in the refilled reservoir, when known. [ug/mL]

    Returns
    -------
    findings : tuple of Finding
        The new program's findings plus those of the change, most serious first. [-]

    Notes
    -----
    Flags a dose that grows or shrinks 24-fold or 1000-fold (the per-hour/per-day and
    mg/ug traps behind real incidents), an increase faster than the titration rule, and a
    programmed concentration that differs from the solution in the reservoir [1]_.

    References
    ----------
    .. [1] ISMP, "Template for disaster? Fatal injection into wrong port of implanted
       infusion pump," Medication Safety Alert, 15 Jan 2004.
    """

    _instance(old, Program, "old")
    _instance(new, Program, "new")
    _text(origin, titration.ORIGINS, "origin")
    if reservoir_ug_per_ml is not None and not isinstance(reservoir_ug_per_ml, dict):
        raise TypeError(
            f"reservoir_ug_per_ml must be a dict or None, not {type(reservoir_ug_per_ml).__name__}"
        )
    for key, value in (reservoir_ug_per_ml or {}).items():
        _drug(key, "reservoir_ug_per_ml key")
        _number(value, ranges.CONCENTRATION, f"reservoir_ug_per_ml[{key!r}]")
    findings = list(check_program(new))
    before, after = old.doses_ug_per_day(), new.doses_ug_per_day()
    for key in after.keys() & before.keys():
        drug = drugs.get_drug(key)
        if before[key] <= 0 or after[key] <= 0:
            continue
        ratio = after[key] / before[key]
        for factor, meaning in UNIT_TRAPS:
            if abs(ratio / factor - 1) < 0.05 or abs(ratio * factor - 1) < 0.05:
                word = "up" if ratio > 1 else "down"
                findings.append(
                    _finding(
                        "danger",
                        "unit_trap",
                        f"{drug.name}'s daily dose goes {word} {max(ratio, 1 / ratio):.0f}-fold: "
                        f"check for {meaning}.",
                        "ISMP Medication Safety Alert, 15 Jan 2004",
                    )
                )
        if drug.titration_step is not None and ratio > 1:
            step = titration.next_step(drug, before[key], origin)
            if after[key] > step.max_dose_ug_per_day * (1 + 1e-9):
                findings.append(
                    _finding(
                        "caution",
                        "titration_step_too_large",
                        f"{drug.name} rises from {drug.to_display(before[key]):.3g} to "
                        f"{drug.to_display(after[key]):.3g} {drug.dose_unit}; the rule allows "
                        f"{step.rule}.",
                        step.source,
                    )
                )
    for key, actual in (reservoir_ug_per_ml or {}).items():
        programmed = new.concentrations_ug_per_ml.get(key)
        if programmed is not None and abs(actual / programmed - 1) > 0.01:
            drug = drugs.get_drug(key)
            real = drug.to_display(new.rate_ml_per_day * actual)
            findings.append(
                _finding(
                    "danger",
                    "concentration_mismatch",
                    f"The pump is told {drug.to_display(programmed):.3g} "
                    f"{drug.concentration_unit} but the reservoir holds "
                    f"{drug.to_display(actual):.3g}: the patient gets {real:.3g} "
                    f"{drug.dose_unit}, not the dose on screen.",
                    "ISMP Medication Safety Alert, 15 Jan 2004",
                )
            )
    return sort_findings(findings)


#: Delivered over prescribed daily total above which a program mismatch is a danger. [-]
MISMATCH_DANGER_RATIO = 1.5

#: Relative mismatch between delivered and prescribed daily totals worth a caution. [-]
MISMATCH_CAUTION = 0.01


@arguments(
    delivery=instance_of("helpers.programs.Delivery"),
)
def delivery_findings(drug, pump_model, delivery, prescribed_ug_per_day):
    """
    Findings for a dosing program (steps, periodic boluses) against its prescription.

    Parameters
    ----------
    drug : helpers.drugs.Drug
        The drug in the reservoir. [-]
    pump_model : helpers.pump.PumpModel
        The implanted pump. [-]
    delivery : helpers.programs.Delivery
        The programmed delivery over whole days. [-]
    prescribed_ug_per_day : float
        The daily total the prescriber ordered. [ug/day]

    Returns
    -------
    findings : tuple of Finding
        ``program_above_prescription`` (danger from 1.5 times), ``program_mismatch``
        (over 1 % either way), rate outside the pump's range at any moment, and the drug's
        limits for the largest daily total, most serious first. [-]

    References
    ----------
    .. [1] ISMP, "Template for disaster? Fatal injection into wrong port of implanted
       infusion pump," Medication Safety Alert, 15 Jan 2004 (independent double check of
       every pump program).
    """
    drug = _drug(drug)
    pump_model = _pump(pump_model)
    prescribed_ug_per_day = _number(prescribed_ug_per_day, ranges.DOSE, "prescribed_ug_per_day")
    if not hasattr(delivery, "daily_totals_ug") or not hasattr(delivery, "rate_ml_per_day"):
        raise TypeError(
            f"delivery must be a helpers.programs.Delivery, not {type(delivery).__name__}"
        )
    DELIVERY_RATE.check(delivery.rate_ml_per_day, "delivery.rate_ml_per_day")
    _number(
        delivery.concentration_ug_per_ml, ranges.CONCENTRATION, "delivery.concentration_ug_per_ml"
    )
    unit = drug.mass_unit
    daily = float(np.max(delivery.daily_totals_ug()))
    ratio = daily / prescribed_ug_per_day
    shown = f"{drug.to_display(daily):.3g} {unit}/day"
    ordered = f"{drug.to_display(prescribed_ug_per_day):.3g} {unit}/day"
    source = "ISMP Medication Safety Alert, 15 Jan 2004: double-check every pump program"
    findings = []
    if ratio > MISMATCH_DANGER_RATIO:
        findings.append(
            _finding(
                "danger",
                "program_above_prescription",
                f"The program delivers {shown}, {ratio:.3g} times the {ordered} prescribed. "
                "Check each step's unit: a per-hour value in a per-day field multiplies that "
                "step by 24.",
                source,
            )
        )
    elif abs(ratio - 1.0) > MISMATCH_CAUTION:
        findings.append(
            _finding(
                "caution",
                "program_mismatch",
                f"The program delivers {shown}, not the {ordered} prescribed "
                f"({100 * (ratio - 1):+.0f} %).",
                source,
            )
        )
    rates = delivery.rate_ml_per_day[delivery.rate_ml_per_day > 0]
    if not pump_model.is_fixed_rate and rates.size:
        findings += rate_findings(pump_model, float(rates.max()))
        findings += rate_findings(pump_model, float(rates.min()))
    findings += drug_limit_findings(drug, delivery.concentration_ug_per_ml, daily)
    return sort_findings(findings)


# --- Restarts, bridges, MRI, sedatives and events (issue 14) -------------------------------

#: Severity of an interruption of delivery, by the drug's withdrawal kind.
WITHDRAWAL_SEVERITY = {
    "life-threatening": "danger",
    "severe": "danger",
    "yes": "caution",
    "none": "info",
}

#: What a student may add alongside an intrathecal opioid in the panels.
SEDATIVES = ("none", "benzodiazepine", "systemic opioid", "gabapentinoid")


def _withdrawal_onset_h(drug):
    """Hours after delivery stops until the drug at the tip falls below the withdrawal level."""

    return float(withdrawal.withdrawal(drug.key, [0.0]).likely_from_h)


def _duration(hours):
    """A duration for a person: minutes under two hours, hours under three days, else days."""
    if hours < 2.0:
        return f"{60.0 * hours:.0f} min"
    if hours < 72.0:
        return f"{hours:.1f} h"
    return f"{hours / 24.0:.1f} days"


@arguments(cause=TEXT)
def interruption_findings(drug, gap_h, cause="delivery stopped"):
    """
    Findings for hours without delivery, by the drug's withdrawal risk.

    Parameters
    ----------
    drug : helpers.drugs.Drug or str
        The drug in the pump. [-]
    gap_h : float
        Hours without delivery. [h]
    cause : str, default "delivery stopped"
        What stopped delivery, in words, to begin the message. [-]

    Returns
    -------
    findings : tuple of Finding
        ``withdrawal_risk`` once the level at the tip has fallen below the withdrawal level
        (danger for baclofen and clonidine, caution for opioids, info where the drug has no
        withdrawal syndrome); nothing for a gap shorter than that. [-]

    Notes
    -----
    The onset is the model's own: the time for the drug at the tip to fall below
    ``journey.withdrawal_level`` after delivery stops (:func:`helpers.withdrawal.withdrawal`),
    so a short-lived drug crosses it sooner. Which drugs cause withdrawal is a sourced
    field of each drug (``drugs.<key>.withdrawal``) [1]_ [2]_.

    References
    ----------
    .. [1] Lioresal Intrathecal prescribing information, boxed warning.
    .. [2] PRIALT prescribing information: can be discontinued abruptly.
    """
    drug = _drug(drug)
    gap_h = _number(gap_h, GAP_HOURS, "gap_h")
    if not isinstance(cause, str):
        raise TypeError(f"cause must be text, not {type(cause).__name__}")
    onset = _withdrawal_onset_h(drug)
    if gap_h <= onset:
        return ()
    fact = drug.withdrawal
    severity = WITHDRAWAL_SEVERITY[fact.kind]
    if fact.kind == "none":
        message = (
            f"{cause.capitalize()} for {_duration(gap_h)}: {drug.name.lower()} has no "
            f"withdrawal syndrome, but its effect wears off. {fact.statement}."
        )
    else:
        message = (
            f"{cause.capitalize()} for {_duration(gap_h)}; the {drug.name.lower()} at the tip "
            f"fell below the withdrawal level after about {_duration(onset)}. "
            f"{fact.statement}."
        )
    return (_finding(severity, "withdrawal_risk", message, fact.source),)


def restart_findings(drug, gap_days, restart_percent=100.0):
    """
    Findings for restarting delivery after the reservoir ran empty or the pump stopped.

    Parameters
    ----------
    drug : helpers.drugs.Drug or str
        The drug in the pump. [-]
    gap_days : float
        Days without delivery. [day]
    restart_percent : float, default 100
        Restart dose as a share of the dose before the gap. [%]

    Returns
    -------
    findings : tuple of Finding
        Most serious first:

        - ``restart_full_dose_after_gap`` (danger): an opioid restarted above
          ``practice.restart_after_gap_max`` of the old dose after a gap longer than the
          drug's ``tolerance_loss`` window; tolerance may be lost, and the old dose can
          cause (delayed) respiratory depression;
        - ``restart_as_labelled`` (info): where the label says how to restart (baclofen:
          promptly, at or near the previous dose, then watch for overdose);
        - ``restart_reduced_after_gap`` (info): the same gap with a reduced restart:
          re-titrate and monitor;
        - ``withdrawal_risk`` from :func:`interruption_findings` for the gap itself.

    Notes
    -----
    The tolerance windows and the reduced restart share are teaching assumptions unless
    the data file says otherwise; their sources are in the findings [1]_.

    References
    ----------
    .. [1] T. R. Deer et al., "PACC: Recommendations for intrathecal drug delivery:
       guidance for improving safety and mitigating risks," Neuromodulation, vol. 20,
       no. 2, pp. 155-176, 2017.
    """
    drug = _drug(drug)
    gap_days = _number(gap_days, GAP_DAYS, "gap_days")
    restart_percent = _number(restart_percent, RESTART_PERCENT, "restart_percent")
    findings = list(interruption_findings(drug, 24.0 * gap_days, "delivery stopped"))
    if drug.restart is not None and findings:
        findings.append(
            _finding(
                "info",
                "restart_as_labelled",
                f"Restart at {restart_percent:.0f} % of the old dose. {drug.restart.statement}.",
                drug.restart.source,
            )
        )
    window = drug.tolerance_loss
    if window is None or gap_days <= window.model_value:
        return sort_findings(findings)
    limit = data.lookup("practice", "restart_after_gap_max")
    risk = (
        "the patient may have lost opioid tolerance, and the old dose can cause "
        "respiratory depression hours later"
    )
    if restart_percent > limit.value:
        findings.append(
            _finding(
                "danger",
                "restart_full_dose_after_gap",
                f"Restarting {drug.name.lower()} at {restart_percent:.0f} % of the old dose after "
                f"{gap_days:g} days without it: {risk}. Restart at a reduced dose (at most "
                f"{limit.value:g} % here), re-titrate, and monitor breathing and sedation.",
                f"{_cite(window)}; {_cite(limit)}",
            )
        )
    else:
        findings.append(
            _finding(
                "info",
                "restart_reduced_after_gap",
                f"A reduced restart ({restart_percent:.0f} % of the old dose) after {gap_days:g} "
                f"days: re-titrate from here and monitor breathing and sedation.",
                _cite(limit),
            )
        )
    return sort_findings(findings)


def bridge_findings(
    drug, old_ug_per_ml, new_ug_per_ml, dose_ug_per_day, dead_volume_ml, bridge_rate_ml_per_day
):
    """
    Findings for a concentration change at a refill, with or without a bridge bolus.

    Parameters
    ----------
    drug : helpers.drugs.Drug or str
        The drug. [-]
    old_ug_per_ml, new_ug_per_ml : float
        Concentration in the line before the refill, and in the new fill. [ug/mL]
    dose_ug_per_day : float
        Prescribed daily dose, unchanged. [ug/day]
    dead_volume_ml : float
        Volume between reservoir and tip. [mL]
    bridge_rate_ml_per_day : float
        Rate of the bridge bolus; 0 for no bridge. [mL/day]

    Returns
    -------
    findings : tuple of Finding
        ``bridge_faster_than_prescription`` (danger): the bridge pushes the line's old
        drug faster than the prescription's rate :math:`D / C_0`, giving its mass
        :math:`C_0 V` in :math:`V / Q_b`; ``no_bridge_overdose`` (caution) or
        ``no_bridge_underdose`` (info): without a bridge the tip receives
        :math:`D C_0 / C_1` for :math:`V / Q_1`. [-]

    Notes
    -----
    A bridge bolus advances the old solution at the current prescription's rate, so the
    dose at the tip stays continuous until the new solution arrives [1]_; a fast bolus is
    the priming bolus for an empty or saline-filled line, a different procedure with its
    own mixing warning [2]_. A tolerance of 5 % allows for rounding on a slider or programmer.

    References
    ----------
    .. [1] Medtronic, "SynchroMed II clinician programmer: clinician programming guide,"
       model A810 (bridge bolus workflow).
    .. [2] Medtronic, SynchroMed II 8637-20 reference guide, "Important labeling updates
       related to priming bolus."
    """
    drug = _drug(drug)
    old = _number(old_ug_per_ml, ranges.CONCENTRATION, "old_ug_per_ml")
    new = _number(new_ug_per_ml, ranges.CONCENTRATION, "new_ug_per_ml")
    dose = _number(dose_ug_per_day, ranges.DOSE, "dose_ug_per_day")
    volume = _number(dead_volume_ml, LINE_VOLUME, "dead_volume_ml")
    bridge = _number(bridge_rate_ml_per_day, BRIDGE_RATE, "bridge_rate_ml_per_day")
    source = data.lookup("practice", "bridge_bolus_rate")
    old_rate = dose / old
    unit = drug.mass_unit
    mass = drug.to_display(old * volume)
    findings = []
    if bridge > 0 and bridge > old_rate * 1.05 and volume > 0:
        hours = 24.0 * volume / bridge
        findings.append(
            _finding(
                "danger",
                "bridge_faster_than_prescription",
                f"The bridge pushes the line's {volume:.3g} mL of old solution at {bridge:.3g} "
                f"mL/day, {bridge / old_rate:.3g} times the prescription's {old_rate:.3g} "
                f"mL/day: {mass:.3g} {unit} of {drug.name.lower()} reach the spinal fluid in "
                f"{_duration(hours)} ({24.0 * old * volume / dose:.1f} h of the daily dose). "
                "Run a bridge at the old prescription's rate; a fast bolus is only for priming "
                "an empty or saline-filled line.",
                _cite(source),
            )
        )
    elif bridge == 0 and abs(old / new - 1.0) > 0.01 and volume > 0:
        new_rate = dose / new
        hours = 24.0 * volume / new_rate
        factor = old / new
        excess = drug.to_display((old - new) * volume)
        if factor > 1:
            findings.append(
                _finding(
                    "caution",
                    "no_bridge_overdose",
                    f"Without a bridge the line's stronger old solution is pushed at the new, "
                    f"faster rate: {factor:.3g} times the dose for {_duration(hours)}, "
                    f"{excess:.3g} {unit} extra. A bridge at the old rate avoids it.",
                    _cite(source),
                )
            )
        else:
            findings.append(
                _finding(
                    "info",
                    "no_bridge_underdose",
                    f"Without a bridge the line's weaker old solution is pushed at the new, "
                    f"slower rate: {factor:.3g} times the dose for {_duration(hours)}, "
                    f"{-excess:.3g} {unit} missing. A bridge at the old rate avoids it.",
                    _cite(source),
                )
            )
    return sort_findings(findings)


def priming_findings(prime_rate_ml_per_day, rate_ml_per_day):
    """
    Findings for a priming bolus: drug arrives early and is diluted afterwards.

    Parameters
    ----------
    prime_rate_ml_per_day : float
        Rate of the priming bolus. [mL/day]
    rate_ml_per_day : float
        Maintenance rate after it. [mL/day]

    Returns
    -------
    findings : tuple of Finding
        ``priming_mixing`` (caution) whenever the priming rate exceeds the maintenance
        rate: monitor the patient for the sourced period. [-]

    References
    ----------
    .. [1] Medtronic, SynchroMed II 8637-20 reference guide, "Important labeling updates
       related to priming bolus."
    """
    prime = _number(prime_rate_ml_per_day, ranges.RATE, "prime_rate_ml_per_day")
    rate = _number(rate_ml_per_day, ranges.RATE, "rate_ml_per_day")
    if prime <= rate:
        return ()
    monitor = data.lookup("catheters", "priming_monitoring")
    return (
        _finding(
            "caution",
            "priming_mixing",
            "At a priming rate the drug mixes with the fluid in the line: it reaches the "
            "patient before the bolus ends, and the concentration stays low for a while "
            "afterwards. Either can cause overdose, underdose or withdrawal: monitor for at "
            f"least {monitor.value:g} {monitor.unit}.",
            "Medtronic 8637-20 reference guide, 'Important labeling updates related to "
            f"priming bolus'; {_cite(monitor)}",
        ),
    )


@arguments(
    emptied=FLAG,
)
def mri_findings(
    pump_model,
    drug,
    stopped_h,
    emptied=True,
    residual_ml=0.0,
    concentration_ug_per_ml=None,
    dose_ug_per_day=None,
):
    """
    Findings for an MRI scan with an implanted pump.

    Parameters
    ----------
    pump_model : helpers.pump.PumpModel or str
        The implanted pump. [-]
    drug : helpers.drugs.Drug or str
        The drug in it. [-]
    stopped_h : float
        Hours without delivery around the scan. [h]
    emptied : bool, default True
        Whether a valve-gated pump's reservoir was emptied before the scan. [-]
    residual_ml : float, default 0
        Drug left in a valve-gated pump's reservoir at the scan. [mL]
    concentration_ug_per_ml, dose_ug_per_day : float, optional
        Needed for an unemptied valve-gated pump, to give the mass discharged. [ug/mL, ug/day]

    Returns
    -------
    findings : tuple of Finding
        ``mri_valve_gated_not_emptied`` (danger): a strong field can open the valves and
        discharge the reservoir and catheter into the patient at once; ``mri_stopped_pump``
        (caution): check that delivery restarted; ``withdrawal_risk`` for the hours
        without drug. [-]

    References
    ----------
    .. [1] Flowonix, Prometra II Programmable Pump IFU, pp. 8 and 14 (MRI: empty the pump
       before the scan; the flow-activated valve stays closed until reset).
    .. [2] Medtronic, "The Effects of MRI on Medtronic Drug Infusion Systems" (the rotor
       stops in the field; recovery can be delayed by 2 to 24 h).
    """
    model = _pump(pump_model)
    drug = _drug(drug)
    stopped_h = _number(stopped_h, GAP_HOURS, "stopped_h")
    if not isinstance(emptied, bool):
        raise TypeError(f"emptied must be True or False, not {emptied!r:.40}")
    residual_ml = _number(residual_ml, ranges.VOLUME, "residual_ml")
    findings = []
    if model.key == "valve_gated" and not emptied and residual_ml > 0:
        concentration = _number(
            concentration_ug_per_ml, ranges.CONCENTRATION, "concentration_ug_per_ml"
        )
        dose = _number(dose_ug_per_day, ranges.DOSE, "dose_ug_per_day")
        mass = concentration * residual_ml
        findings.append(
            _finding(
                "danger",
                "mri_valve_gated_not_emptied",
                f"The magnetic field can open this pump's valves and empty it into the spinal "
                f"fluid: up to {drug.to_display(mass):.3g} {drug.mass_unit} of "
                f"{drug.name.lower()} at once, {mass / dose:.3g} days of the daily dose "
                "(overdose). Empty the reservoir before the scan; afterwards the valve stays "
                "closed until the pump is reset and refilled.",
                _cite(data.lookup("pumps", "valve_gated")["mri"]),
            )
        )
    if model.key in ("peristaltic", "valve_gated") and stopped_h > 0:
        check = (
            "Check after the scan that the pump restarted (interrogate it)."
            if model.key == "peristaltic"
            else "The valve stays closed until the pump is reset and refilled."
        )
        source = (
            data.lookup("programs", "mri_restart_delay")
            if model.key == "peristaltic"
            else data.lookup("pumps", "valve_gated")["mri"]
        )
        findings.append(
            _finding(
                "caution",
                "mri_stopped_pump",
                f"No delivery for {_duration(stopped_h)} around the scan. {check}",
                _cite(source),
            )
        )
        findings.extend(interruption_findings(drug, stopped_h, "no delivery around the scan"))
    return sort_findings(findings)


@arguments(
    drug_keys=Kind(
        "a list of drug keys",
        lambda v: isinstance(v, (list, tuple)) and all(isinstance(k, str) for k in v),
    ),
    sedative=TEXT,
)
def sedative_findings(drug_keys, sedative):
    """
    Findings for a sedating medicine added for a patient with intrathecal drugs.

    Parameters
    ----------
    drug_keys : iterable of str
        The drugs in the pump. [-]
    sedative : {'none', 'benzodiazepine', 'systemic opioid', 'gabapentinoid'}
        What is added. [-]

    Returns
    -------
    findings : tuple of Finding
        ``sedative_with_intrathecal_opioid`` (danger) when any pump drug is an opioid and
        a sedative is added: their respiratory depression adds up. [-]

    References
    ----------
    .. [1] T. R. Deer et al., "PACC: Recommendations for intrathecal drug delivery:
       guidance for improving safety and mitigating risks," Neuromodulation, vol. 20,
       no. 2, pp. 155-176, 2017.
    """
    if isinstance(drug_keys, str) or not hasattr(drug_keys, "__iter__"):
        raise TypeError("drug_keys must be a list or tuple of drug keys")
    pump_drugs = [_drug(key, "drug_keys item") for key in drug_keys]
    _text(sedative, SEDATIVES, "sedative")
    opioids = [d for d in pump_drugs if d.is_opioid]
    if sedative == "none" or not opioids:
        return ()
    fact = data.lookup("practice", "sedatives_with_intrathecal_opioids")
    return (
        _finding(
            "danger",
            "sedative_with_intrathecal_opioid",
            f"A {sedative} added for a patient on intrathecal {opioids[0].name.lower()}: "
            f"{fact.statement}.",
            fact.source,
        ),
    )


def fever_findings(peak_degc, extra_fraction):
    """
    Findings for a fever with a gas-driven pump.

    Parameters
    ----------
    peak_degc : float
        Highest body temperature. [degC]
    extra_fraction : float
        Extra volume delivered over the window as a fraction of the usual. [-]

    Returns
    -------
    findings : tuple of Finding
        ``fever_changes_flow`` (caution) above ``programs.fever_threshold`` when the pump
        delivered more. [-]

    References
    ----------
    .. [1] "Implanted Infusion Pumps" fact sheet for patients and families: sustained
       temperatures above 38.9 °C can change the flow rate.
    """
    peak = _number(peak_degc, FEVER, "peak_degc")
    extra = _number(extra_fraction, EXTRA, "extra_fraction")
    threshold = data.lookup("programs", "fever_threshold")
    if peak <= threshold.value or extra <= 0:
        return ()
    return (
        _finding(
            "caution",
            "fever_changes_flow",
            f"A fever above {threshold.value:g} °C can change a pump's flow: with the assumed "
            f"sensitivity this pump delivered {100 * extra:+.0f} % over two days.",
            _cite(threshold),
        ),
    )


def flight_findings(extra_fraction):
    """
    Findings for a flight with a gas-driven pump.

    Parameters
    ----------
    extra_fraction : float
        Extra volume delivered over the window as a fraction of the usual. [-]

    Returns
    -------
    findings : tuple of Finding
        ``flight_changes_flow`` (info) when the pump delivered more. [-]

    References
    ----------
    .. [1] Codman pumps patient FAQ: outside pressure (diving) changes the flow rate.
    """
    extra = _number(extra_fraction, EXTRA, "extra_fraction")
    if extra <= 0:
        return ()
    return (
        _finding(
            "info",
            "flight_changes_flow",
            f"At the assumed sensitivity the flight adds {100 * extra:+.1f} % over two days; no "
            "verified figure exists, so ask the manufacturer before flying.",
            _cite(data.lookup("programs", "gas_altitude_sensitivity")),
        ),
    )


@arguments(refused_presses=INTEGER)
def daily_cap_findings(refused_presses):
    """
    Findings for patient boluses refused by the daily maximum.

    Parameters
    ----------
    refused_presses : int
        Presses the daily maximum refused. [-]

    Returns
    -------
    findings : tuple of Finding
        ``daily_cap_reached`` (caution) when any press was refused. [-]

    References
    ----------
    .. [1] Flowonix, Prometra Patient Therapy Controller guide (boluses per day).
    """
    refused = _number(refused_presses, PRESS_COUNT, "refused_presses")
    if refused <= 0:
        return ()
    return (
        _finding(
            "caution",
            "daily_cap_reached",
            f"The daily maximum refused {refused:.0f} presses: pain breaks through more often "
            "than the program allows for. Review the program with the patient.",
            _cite(data.lookup("programs", "bolus_max_per_day")),
        ),
    )


def trial_findings(relief_percent):
    """
    Findings for a trial's pain relief against the positive-trial threshold.

    Parameters
    ----------
    relief_percent : float
        Pain relief in the trial. [%]

    Returns
    -------
    findings : tuple of Finding
        ``trial_not_positive`` (info) below the sourced threshold. [-]

    References
    ----------
    .. [1] T. R. Deer et al., "PACC: Recommendations for trialing of intrathecal drug
       delivery infusion therapy," Neuromodulation, vol. 20, no. 2, pp. 133-154, 2017.
    """
    relief = _number(relief_percent, PERCENT, "relief_percent")
    needed = data.lookup("outcomes", "trial_success")
    if relief >= needed.value:
        return ()
    return (
        _finding(
            "info",
            "trial_not_positive",
            f"{relief:.0f} % relief is below the {needed.value:g} % that defines a positive trial.",
            _cite(needed),
        ),
    )


@arguments(episodes=INTEGER)
def empty_reservoir_findings(drug, episodes):
    """
    Findings for a reservoir that ran empty in a patient's years with a pump.

    Parameters
    ----------
    drug : helpers.drugs.Drug or str
        The drug. [-]
    episodes : int
        How often the reservoir ran empty. [-]

    Returns
    -------
    findings : tuple of Finding
        ``reservoir_ran_empty`` (danger for drugs with a withdrawal syndrome, caution
        otherwise), reminding that a restart after a long gap must be reduced. [-]

    References
    ----------
    .. [1] "Correlation between withdrawal symptoms and medication pump residual volume in
       patients with implantable SynchroMed pumps," Neurosurgery, 2004.
    """
    drug = _drug(drug)
    count = _number(episodes, PRESS_COUNT, "episodes")
    if count <= 0:
        return ()
    onset = _withdrawal_onset_h(drug)
    kind = drug.withdrawal.kind
    severity = "caution" if kind == "none" else "danger"
    restart = (
        " After a gap of days, restart at a reduced dose and re-titrate: tolerance may be lost."
        if drug.tolerance_loss is not None
        else ""
    )
    return (
        _finding(
            severity,
            "reservoir_ran_empty",
            f"The reservoir ran empty {count:.0f} times. Without new drug the level at the tip "
            f"falls below the withdrawal level within {onset:.0f} h. {drug.withdrawal.statement}."
            f"{restart} Plan refills earlier or make sure visits happen.",
            f"{_cite(data.lookup('practice', 'withdrawal_alarm_volume'))}; "
            f"{drug.withdrawal.source}",
        ),
    )


@arguments(flagged=FLAG, reason=TEXT)
def refill_discrepancy_findings(flagged, reason):
    """
    Findings for a refill's measured residual against the expected one.

    Parameters
    ----------
    flagged : bool
        Whether the discrepancy exceeds the threshold or the pump's accuracy band
        (:func:`helpers.reconciliation.reconcile`). [-]
    reason : str
        The reconciliation's explanation, with numbers. [-]

    Returns
    -------
    findings : tuple of Finding
        ``refill_discrepancy``: danger when flagged (investigate before refilling),
        info otherwise. [-]

    References
    ----------
    .. [1] ASRA Fall 2017 e-poster, "Accuracy in intrathecal drug delivery with an
       implanted infusion system."
    """
    if not isinstance(flagged, bool | np.bool_):
        raise TypeError(f"flagged must be True or False, not {flagged!r:.40}")
    if not isinstance(reason, str) or not reason:
        raise ValueError("reason must be a non-empty text")
    return (
        _finding(
            "danger" if flagged else "info",
            "refill_discrepancy",
            reason,
            _cite(data.lookup("practice", "refill_discrepancy")),
        ),
    )


def rostral_spread_findings(drug, head_percent):
    """
    Finding for an opioid that reaches the head in the CSF.

    Parameters
    ----------
    drug : helpers.drugs.Drug or str
        The drug. [-]
    head_percent : float
        Steady cranial CSF concentration in % of the tip's (the model's cisterna). [%]

    Returns
    -------
    findings : tuple of Finding
        ``rostral_spread_to_head`` (caution) for an opioid whose cranial level reaches
        ``practice.rostral_spread_head_share`` of the tip's: delayed respiratory depression
        as it reaches the brainstem, hours after a start, a dose increase or a bolus. [-]

    References
    ----------
    .. [1] INFUMORPH prescribing information (monitor 24-72 h after starting and after
       dose increases; intrathecal use limited to the lumbar region).
    .. [2] "Cerebrospinal fluid pharmacokinetics of intrathecal morphine sulfate and
       D-Ala2-D-Leu5-enkephalin," 1986 (PMID 3530119): lumbar:cisternal about 7 : 1.
    """
    drug = _drug(drug)
    share = _number(
        head_percent, Range("head_percent", 0.0, 1.0e3, "%", "of the tip level"), "head_percent"
    )
    limit = data.lookup("practice", "rostral_spread_head_share")
    if not drug.is_opioid or share < limit.model_value:
        return ()
    rule = data.lookup("practice", "rostral_spread_monitoring")
    return (
        _finding(
            "caution",
            "rostral_spread_to_head",
            f"{drug.name} reaches the head at {share:.2g} % of the tip level in this model: "
            "hours after a start, a dose increase or a bolus it can depress breathing from "
            f"the brainstem. The label says: {rule.statement}.",
            _cite(rule),
        ),
    )


def spread_findings(drug, distance_cm, spread_length_cm):
    """
    Findings for a target far from the catheter tip, and for an assumed CSF half-life.

    Parameters
    ----------
    drug : helpers.drugs.Drug or str
        The drug. [-]
    distance_cm : float
        Distance from the tip to the target level. [cm]
    spread_length_cm : float
        The profile's spread length (concentration falls by e over it). [cm]

    Returns
    -------
    findings : tuple of Finding
        ``target_outside_spread`` (caution) beyond twice the spread length;
        ``half_life_assumed`` (info) when the drug's CSF half-life is a teaching
        assumption. [-]

    References
    ----------
    .. [1] S. H. Flack, C. M. Anderson and C. Bernards, "Morphine distribution in the
       spinal cord after chronic infusion in pigs," Anesth Analg, 2011.
    """
    drug = _drug(drug)
    distance = _number(distance_cm, DISTANCE, "distance_cm")
    length = _number(spread_length_cm, SPREAD_LENGTH, "spread_length_cm")
    findings = []
    if distance > 2 * length:
        findings.append(
            _finding(
                "caution",
                "target_outside_spread",
                f"The target is {distance:.0f} cm from the tip, more than twice the spread "
                f"length ({length:.1f} cm): little drug reaches it. Moving the tip closer helps "
                "more than raising the dose, which also raises it at the tip.",
                _cite(data.lookup("spine", "pig_morphine_distance")),
            )
        )
    if not drug.csf_half_life.verified:
        findings.append(
            _finding(
                "info",
                "half_life_assumed",
                f"{drug.name}'s CSF half-life is a teaching assumption.",
                _cite(drug.csf_half_life),
            )
        )
    return sort_findings(findings)


def direct_injection_findings(drug, mass_ug, dose_ug_per_day):
    """
    Findings for drug that reached the CSF at once (catheter access port, valve discharge).

    Parameters
    ----------
    drug : helpers.drugs.Drug or str
        The drug. [-]
    mass_ug : float
        Mass that reached the CSF at once. [ug]
    dose_ug_per_day : float
        The patient's daily dose. [ug/day]

    Returns
    -------
    findings : tuple of Finding
        ``wrong_port`` (danger) when the mass exceeds one hour of the daily dose. [-]

    References
    ----------
    .. [1] ISMP, "Template for disaster? Fatal injection into wrong port of implanted
       infusion pump," Medication Safety Alert, 15 Jan 2004.
    """
    drug = _drug(drug)
    mass = _number(mass_ug, DELIVERED, "mass_ug")
    dose = _number(dose_ug_per_day, ranges.DOSE, "dose_ug_per_day")
    if mass <= dose / 24.0:
        return ()
    return (
        _finding(
            "danger",
            "wrong_port",
            f"{drug.to_display(mass):.3g} {drug.mass_unit} of {drug.name.lower()} reached the "
            f"CSF at once, {mass / dose:.0f} times the daily dose.",
            "ISMP Medication Safety Alert, 15 Jan 2004: fatal injection into the wrong port",
        ),
    )
