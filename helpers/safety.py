"""Safety checks: findings for a pump program that is impossible, outside limits or risky.

Each check returns :class:`Finding` records with a severity, a plain-language message,
the rule that fired and the source of the limit, so a panel can show why a setting is
dangerous rather than only that it is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from helpers import data, drugs, pump, titration

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


def check_refill_program(
    drug,
    pump_model,
    dose_ug_per_day,
    concentration_ug_per_ml,
    fill_volume_ml,
    reservoir_ml,
    alarm_volume_ml,
    plan,
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
    plan : helpers.pump.RefillPlan
        The program's derived quantities from :func:`helpers.pump.plan_refill`. [-]

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
            f"An alarm at {alarm_volume_ml:g} mL is below the recommended "
            f"{pump_model.alarm_volume_ml:g} mL: withdrawal has been seen at residual "
            "volumes above 2 mL, before the reservoir was empty, so a lower alarm comes too "
            "late.",
            _cite(data.lookup("practice", "withdrawal_alarm_volume")),
        )

    if plan.limited_by == "stability":
        add(
            "caution",
            "interval_beyond_stability",
            f"The reservoir would last {plan.days_to_alarm:.0f} days to the alarm, but "
            f"{drug.name.lower()} is only known to stay stable in the pump for "
            f"{drug.stability_days:g} days: refill by day {plan.refill_by_days:.0f}.",
            _cite(drug.stability),
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

    return tuple(sorted(findings, key=lambda f: SEVERITIES.index(f.severity)))


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
    rate = rate_ml_per_day
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
    findings = []
    unit = drug.mass_unit
    delivered = dose_ug_per_day

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

    def doses_ug_per_day(self):
        """Each drug's daily dose: the single rate times its concentration. [ug/day]"""
        return {k: self.rate_ml_per_day * c for k, c in self.concentrations_ug_per_ml.items()}


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
    KeyError
        If the pump or a drug is unknown.

    Notes
    -----
    Rate within the pump's range; every drug's concentration and daily dose within its
    maxima; the refill (alarm minus margin) not later than the least stable drug allows.

    References
    ----------
    .. [1] T. R. Deer et al., "PACC: Recommendations for intrathecal drug delivery:
       guidance for improving safety and mitigating risks," Neuromodulation, vol. 20,
       no. 2, pp. 155-176, 2017.
    """

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
    return tuple(sorted(findings, key=lambda f: SEVERITIES.index(f.severity)))


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

    if origin not in titration.ORIGINS:
        raise ValueError(f"origin = {origin!r} is unknown; use one of {titration.ORIGINS}")
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
    return tuple(sorted(findings, key=lambda f: SEVERITIES.index(f.severity)))


#: Delivered over prescribed daily total above which a program mismatch is a danger. [-]
MISMATCH_DANGER_RATIO = 1.5

#: Relative mismatch between delivered and prescribed daily totals worth a caution. [-]
MISMATCH_CAUTION = 0.01


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
    pump.DOSE.check(prescribed_ug_per_day, "prescribed_ug_per_day")
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
    unique = {f.rule: f for f in findings}.values()
    return tuple(sorted(unique, key=lambda f: SEVERITIES.index(f.severity)))
