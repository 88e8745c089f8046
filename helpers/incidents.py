"""When things go wrong: real incident types, each with its consequence computed by the models.

Every case pairs the order or program as written with what was actually entered or done,
and computes the dose leaving the catheter and the level in the CSF at the tip, as a
percentage of the intended, with the shared models (programs, catheter, reconciliation,
spine, journey). Each names the safety check or habit that would have caught it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from helpers import (
    catheter,
    data,
    drugs,
    events,
    programs,
    pump,
    reconciliation,
    safety,
    schedule,
    spine,
    units,
)

#: One step of the programs' delivery grid. [day]
STEP_DAYS = programs.STEP_DAYS

#: Catheter tip level used by every case. [-]
TIP = "T11"

#: Volume of a refill in the cases. [mL]
FILL_ML = 20.0

#: Days from the last refill to the next in the reconciliation cases. [day]
INTERVAL_DAYS = 50.0


@dataclass(frozen=True)
class Consequence:
    """
    What an error did, on a regular time grid.

    Parameters
    ----------
    hours : numpy.ndarray
        Grid times from the start of the case. [h]
    intended_ug_per_day : numpy.ndarray
        Dose rate the order meant, per step (one fewer than the times). [ug/day]
    actual_ug_per_day : numpy.ndarray
        Dose rate that left the catheter, per step. [ug/day]
    csf_percent : numpy.ndarray
        Level in the CSF at the tip at each time, as % of the usual steady level. [%]
    findings : tuple of helpers.safety.Finding
        What the safety checks say about the case. [-]
    key_result : str
        The one number that tells the story. [-]
    """

    hours: np.ndarray
    intended_ug_per_day: np.ndarray
    actual_ug_per_day: np.ndarray
    csf_percent: np.ndarray
    findings: tuple
    key_result: str

    def extra_ug(self):
        """Drug delivered minus drug intended over the case; negative for a shortfall. [ug]"""
        step_days = units.hours_to_days(self.hours[1] - self.hours[0])
        return float(np.sum(self.actual_ug_per_day - self.intended_ug_per_day) * step_days)

    def dose_percent(self):
        """Delivered over intended dose rate per step. [%]"""
        return 100.0 * self.actual_ug_per_day / self.intended_ug_per_day


def _geometry():
    return spine.canal()


def _csf_percent(
    drug_key, hours, usual_ug_per_day, dose_ug_per_day, rate_ml_per_day, spread_cm=None
):
    """Level at the tip from the steady state of the usual dose, in % of that state. [%]"""
    geometry = _geometry()
    dispersion = spine.human_dispersion()
    clearance = spine.clearance_per_day(drug_key)
    start = spine.steady_state(
        TIP, usual_ug_per_day, dispersion, clearance, rate_ml_per_day, geometry
    )
    spread = spine.simulate(
        TIP,
        units.hours_to_days(hours),
        dose_ug_per_day,
        dispersion,
        clearance,
        rate_ml_per_day=rate_ml_per_day,
        spread_cm=spread_cm,
        geometry=geometry,
        initial_ug_per_ml=start,
    )
    return 100.0 * spread.at_level(TIP) / start[geometry.cell(TIP)]


def _blocks(delivery, block_min):
    """A delivery's dose rate averaged over blocks, and the grid in hours."""
    dose = delivery.dose_ug_per_day.reshape(-1, block_min).mean(axis=1)
    hours = np.arange(len(dose) + 1) * block_min / units.MINUTES_PER_HOUR
    return hours, dose


def flex_per_hour():
    """
    A flex step meant as 600 ug/day, entered as 600 ug/h.

    Returns
    -------
    consequence : Consequence
        Two days of baclofen at 2,000 ug/mL, the step running 24 times too fast. [-]

    References
    ----------
    .. [1] ISMP, "Baclofen programming error with SynchroMed II pump: facility not made
       aware of company's software updates."
    """
    concentration = 2000.0
    meant = programs.flexible([(0.0, 300.0), (6.0, 600.0), (9.0, 300.0)], concentration, 2.0)
    entered = programs.flexible(
        [(0.0, 300.0), (6.0, 600.0 * units.HOURS_PER_DAY), (9.0, 300.0)], concentration, 2.0
    )
    hours, intended = _blocks(meant, 10)
    _, actual = _blocks(entered, 10)
    rate = float(np.mean(meant.rate_ml_per_day))
    findings = safety.delivery_findings(
        drugs.get_drug("baclofen"),
        pump.get_pump("peristaltic"),
        entered,
        float(meant.daily_totals_ug()[0]),
    )
    total = float(entered.daily_totals_ug()[0])
    return Consequence(
        hours,
        intended,
        actual,
        _csf_percent("baclofen", hours, float(meant.daily_totals_ug()[0]), actual, rate),
        findings,
        f"{total:.0f} ug a day instead of {float(meant.daily_totals_ug()[0]):.0f} ug",
    )


def mg_for_ug():
    """
    Morphine ordered as 500 ug/day, entered in a field that reads mg/day.

    Returns
    -------
    consequence : Consequence
        The program as entered (1,000 times the order) and the checks that refuse it. [-]

    References
    ----------
    .. [1] ISMP, "Template for disaster?," Medication Safety Alert, 15 Jan 2004.
    """
    concentration = 10_000.0
    meant, entered = 500.0, 500.0 * units.UG_PER_MASS_UNIT["mg"]
    hours = np.linspace(0.0, 24.0, 145)
    intended = np.full(len(hours) - 1, meant)
    actual = np.full(len(hours) - 1, entered)
    program = safety.Program("peristaltic", entered / concentration, {"morphine": concentration})
    findings = safety.check_program(program)
    return Consequence(
        hours,
        intended,
        actual,
        _csf_percent("morphine", hours, meant, actual, meant / concentration),
        findings,
        f"{entered / concentration:g} mL/day asked of the pump, "
        f"{entered / meant:.0f} times the dose",
    )


def wrong_concentration():
    """
    A refill with 20 mg/mL morphine while the program still says 10 mg/mL.

    Returns
    -------
    consequence : Consequence
        Five days: the old solution in the line, then twice the dose once the new one
        reaches the tip. [-]

    References
    ----------
    .. [1] T. R. Deer et al., "PACC: Recommendations for intrathecal drug delivery:
       guidance for improving safety and mitigating risks," Neuromodulation, 2017.
    """
    dose, old, new = 3000.0, 10_000.0, 20_000.0
    rate = dose / old
    line = catheter.get_catheter("peristaltic")
    dead = catheter.dead_volume_ml(
        line.supplied_length.model_value,
        line.volume_per_length.model_value,
        line.pump_path_volume.model_value,
    )
    hours = np.linspace(0.0, 120.0, 5 * 144 + 1)
    program = schedule.Schedule.from_segments([(5.0, rate, new)])
    result = catheter.transport(program, units.hours_to_days(hours), dead, initial_ug_per_ml=old)
    actual = 0.5 * (result.tip_ug_per_day[1:] + result.tip_ug_per_day[:-1])
    intended = np.full_like(actual, dose)
    programmed = safety.Program("peristaltic", rate, {"morphine": old})
    findings = safety.check_change(programmed, programmed, reservoir_ug_per_ml={"morphine": new})
    transit_h = units.days_to_hours(catheter.transit_time_days(dead, rate))
    return Consequence(
        hours,
        intended,
        actual,
        _csf_percent("morphine", hours, dose, actual, rate),
        findings,
        f"twice the dose from {transit_h:.0f} h after the refill (the catheter's transit time)",
    )


def _reconciled(scenario, drug_key, dose, concentration, days):
    """A reconciliation scenario as a consequence on an hourly grid."""
    rate = dose / concentration
    points = int(days * units.HOURS_PER_DAY) + 1
    model = pump.get_pump("peristaltic")
    result = reconciliation.reconcile(
        scenario,
        FILL_ML,
        rate,
        days,
        model.accuracy_percent,
        previous_residual_ml=model.alarm_volume_ml,
        points=points,
    )
    hours = units.days_to_hours(result.time_days)
    reaching = result.to_csf_ml_per_day * concentration
    actual = 0.5 * (reaching[1:] + reaching[:-1])
    intended = np.full_like(actual, dose)
    findings = safety.refill_discrepancy_findings(
        bool(result.flagged),
        f"At the refill {result.measured_ml:.1f} mL came back where {result.expected_ml:.1f} mL "
        f"were expected: {result.reason}.",
    )
    return hours, intended, actual, rate, result, findings


def pocket_fill():
    """
    The last refill went into the pump pocket, not the reservoir.

    Returns
    -------
    consequence : Consequence
        Fifty days: the old residual runs out within days, then nothing reaches the CSF;
        the next refill finds a large discrepancy. [-]

    References
    ----------
    .. [1] Medtronic, "Urgent: Medical Device Correction - Pocket Fills," Jan 2011.
    """
    dose, concentration = 3000.0, 10_000.0
    hours, intended, actual, rate, result, findings = _reconciled(
        "pocket_fill", "morphine", dose, concentration, INTERVAL_DAYS
    )
    empty_h = hours[np.argmax(result.to_csf_ml_per_day == 0)]
    pocket_mg = units.ug_to_mass(FILL_ML * concentration, "mg")
    return Consequence(
        hours,
        intended,
        actual,
        _csf_percent("morphine", hours, dose, actual, rate),
        findings,
        f"{pocket_mg:.0f} mg under the skin at once; "
        f"the reservoir empty after {units.hours_to_days(empty_h):.0f} days",
    )


def access_port():
    """
    A 20 mL morphine refill (10 mg/mL) injected into the catheter access port.

    Returns
    -------
    consequence : Consequence
        One day: 200 mg straight into the CSF within two minutes. [-]

    References
    ----------
    .. [1] ISMP, "Template for disaster? Fatal injection into wrong port of implanted
       infusion pump," Medication Safety Alert, 15 Jan 2004.
    """
    dose, concentration, volume = 3000.0, 10_000.0, 20.0
    hours = np.linspace(0.0, 24.0, 721)
    step_days = units.hours_to_days(hours[1] - hours[0])
    intended = np.full(len(hours) - 1, dose)
    actual = intended.copy()
    actual[0] += volume * concentration / step_days
    geometry = _geometry()
    spread = np.zeros_like(actual)
    spread[0] = min(volume / geometry.area_cm2[geometry.cell(TIP)], 200.0)
    rate = dose / concentration
    findings = safety.direct_injection_findings("morphine", volume * concentration, dose)
    return Consequence(
        hours,
        intended,
        actual,
        _csf_percent("morphine", hours, dose, actual, rate, spread),
        findings,
        f"{volume * concentration / dose:.0f} days' dose in two minutes",
    )


def missed_refill():
    """
    A missed baclofen refill: the reservoir runs empty four days before the visit.

    Returns
    -------
    consequence : Consequence
        From ten days before the alarm to the late visit. [-]

    References
    ----------
    .. [1] Lioresal Intrathecal label: abrupt discontinuation (boxed warning).
    """
    dose, concentration = 400.0, 2000.0
    rate = dose / concentration
    alarm_ml = pump.get_pump("peristaltic").alarm_volume_ml
    to_alarm = pump.days_to_alarm(20.0, rate, alarm_ml)
    to_empty = pump.days_to_empty(20.0, rate)
    start, visit = to_alarm - 10.0, to_empty + 4.0
    hours = np.linspace(0.0, units.days_to_hours(visit - start), int((visit - start) * 24) + 1)
    days = start + units.hours_to_days(hours)
    left = pump.reservoir_volume_ml(0.5 * (days[1:] + days[:-1]), 20.0, rate)
    actual = np.where(left > 0.0, dose, 0.0)
    intended = np.full_like(actual, dose)
    findings = safety.restart_findings("baclofen", visit - to_empty, 100.0)
    return Consequence(
        hours,
        intended,
        actual,
        _csf_percent("baclofen", hours, dose, actual, rate),
        findings,
        f"alarm on day {to_alarm:.0f}, empty on day {to_empty:.0f}, visit on day {visit:.0f}",
    )


def mri_restart():
    """
    A peristaltic pump that did not restart for 24 h after an MRI scan (baclofen).

    Returns
    -------
    consequence : Consequence
        Two days at ten-minute steps. [-]

    References
    ----------
    .. [1] Medtronic, "The Effects of MRI on Medtronic Drug Infusion Systems."
    """
    dose, concentration = 400.0, 2000.0
    base = programs.continuous(dose, concentration, 2.0)
    stopped = events.mri(base, 8.0, 1.0, 24.0)
    hours, intended = _blocks(base, 10)
    _, actual = _blocks(stopped, 10)
    stopped_h = units.days_to_hours(np.count_nonzero(stopped.rate_ml_per_day == 0) * STEP_DAYS)
    findings = safety.mri_findings("peristaltic", "baclofen", stopped_h)
    return Consequence(
        hours,
        intended,
        actual,
        _csf_percent("baclofen", hours, dose, actual, dose / concentration),
        findings,
        "25 h without drug",
    )


def occlusion():
    """
    A catheter that blocks halfway through the refill interval (morphine).

    Returns
    -------
    consequence : Consequence
        Fifty days: nothing reaches the CSF after the block; the next refill finds more
        drug left than expected. [-]

    References
    ----------
    .. [1] "Accuracy in intrathecal drug delivery with an implanted infusion system," ASRA
       Fall 2017 e-poster.
    """
    dose, concentration = 3000.0, 10_000.0
    hours, intended, actual, rate, result, findings = _reconciled(
        "occlusion", "morphine", dose, concentration, INTERVAL_DAYS
    )
    return Consequence(
        hours,
        intended,
        actual,
        _csf_percent("morphine", hours, dose, actual, rate),
        findings,
        f"{result.discrepancy_ml:+.1f} mL more left in the reservoir than expected",
    )


def restart_full_dose():
    """
    Morphine restarted at the old dose after five days with an empty reservoir.

    Returns
    -------
    consequence : Consequence
        Ten days on an hourly grid: the gap, then the old dose at once. The dose is what
        was ordered; the danger is the patient's lost tolerance, which the finding names. [-]

    References
    ----------
    .. [1] T. R. Deer et al., "PACC: guidance for improving safety and mitigating risks,"
       Neuromodulation, vol. 20, no. 2, pp. 155-176, 2017.
    """
    dose, concentration, gap = 6000.0, 20_000.0, 5.0
    rate = dose / concentration
    hours = np.linspace(0.0, 240.0, 241)
    line = catheter.restart_after_empty(
        concentration, rate, _dead_volume_ml(), 1.0, gap, units.hours_to_days(hours)
    )
    tip = line.line.tip_ug_per_day
    actual = 0.5 * (tip[1:] + tip[:-1])
    intended = np.full_like(actual, dose)
    return Consequence(
        hours,
        intended,
        actual,
        _csf_percent("morphine", hours, dose, actual, rate),
        safety.restart_findings("morphine", gap, 100.0),
        f"{gap:g} days without morphine, then 100 % of the old dose at once",
    )


def fast_bridge():
    """
    A "bridge" bolus run at 10 mL/day after a change from 10 to 20 mg/mL of morphine.

    Returns
    -------
    consequence : Consequence
        Twelve hours at one-minute steps: the line's old drug within an hour. [-]

    References
    ----------
    .. [1] Medtronic, SynchroMed II clinician programming guide (bridge bolus).
    """
    dose, old, new, bridge = 3000.0, 10_000.0, 20_000.0, 10.0
    volume = _dead_volume_ml()
    hours = np.linspace(0.0, 12.0, 721)
    change = catheter.concentration_change(
        old, new, dose, volume, units.hours_to_days(hours), bridge_rate_ml_per_day=bridge
    )
    # The model adds the bolus's end to the grid; mass delivered per uniform step, exactly.
    delivered = np.interp(
        hours, units.days_to_hours(change.line.time_days), change.line.delivered_ug
    )
    actual = np.diff(delivered) / units.hours_to_days(hours[1] - hours[0])
    intended = np.full_like(actual, dose)
    return Consequence(
        hours,
        intended,
        actual,
        _csf_percent("morphine", hours, dose, actual, dose / new),
        safety.bridge_findings("morphine", old, new, dose, volume, bridge),
        f"{units.ug_to_mass(old * volume, 'mg'):.2g} mg of old morphine in "
        f"{60 * units.days_to_hours(change.bolus_days):.0f} min",
    )


def mri_valve_not_emptied():
    """
    An MRI scan with a valve-gated pump whose reservoir still held 10 mL of morphine.

    Returns
    -------
    consequence : Consequence
        Two days at ten-minute steps: the reservoir empties into the CSF at the scan, then
        nothing until the pump is reset and refilled. [-]

    References
    ----------
    .. [1] Flowonix, Prometra II Programmable Pump IFU, pp. 8 and 14.
    """
    dose, concentration, residual = 3000.0, 10_000.0, 10.0
    base = programs.continuous(dose, concentration, 2.0)
    scanned = events.mri_valve_gated(base, 8.0, 1.0, 4.0, emptied=False, residual_ml=residual)
    hours, intended = _blocks(base, 10)
    _, actual = _blocks(scanned, 10)
    stopped_h = units.days_to_hours(np.count_nonzero(scanned.rate_ml_per_day == 0) * STEP_DAYS)
    findings = safety.mri_findings(
        "valve_gated",
        "morphine",
        stopped_h,
        emptied=False,
        residual_ml=residual,
        concentration_ug_per_ml=concentration,
        dose_ug_per_day=dose,
    )
    return Consequence(
        hours,
        intended,
        actual,
        _csf_percent("morphine", hours, dose, actual, dose / concentration),
        findings,
        f"{units.ug_to_mass(residual * concentration, 'mg'):.0f} mg of morphine at once, "
        f"{residual * concentration / dose:.0f} days' dose",
    )


def benzodiazepine_added():
    """
    A benzodiazepine prescribed for sleep to a patient on intrathecal morphine.

    Returns
    -------
    consequence : Consequence
        Two days: the pump's dose is unchanged (the models do not compute breathing); the
        finding says why the combination is dangerous. [-]

    References
    ----------
    .. [1] R. J. Coffey et al., "Mortality associated with implantation and management of
       intrathecal opioid drug infusion systems to treat noncancer pain," Anesthesiology,
       vol. 111, pp. 881-891, 2009.
    """
    dose, concentration = 3000.0, 10_000.0
    base = programs.continuous(dose, concentration, 2.0)
    hours, intended = _blocks(base, 10)
    return Consequence(
        hours,
        intended,
        intended.copy(),
        _csf_percent("morphine", hours, dose, intended, dose / concentration),
        safety.sedative_findings(["morphine"], "benzodiazepine"),
        "the pump dose is unchanged: the danger is the added sedative",
    )


def _dead_volume_ml():
    model = catheter.get_catheter("peristaltic")
    return catheter.dead_volume_ml(
        model.supplied_length.model_value,
        model.volume_per_length.model_value,
        model.pump_path_volume.model_value,
    )


@dataclass(frozen=True)
class Case:
    """
    A guided "find the error" case.

    Parameters
    ----------
    key : str
        Identifier. [-]
    title : str
        Short title. [-]
    story : str
        The order or program, and what was done. [-]
    question : str
        What the student must decide. [-]
    options : tuple of str
        Choices; one is right. [-]
    answer : int
        Index of the right choice. [-]
    explanation : str
        Why, and what the consequence is. [-]
    caught_by : str
        The safety check or habit that would have caught it. [-]
    consequence : callable
        Computes the :class:`Consequence` with the shared models. [-]
    """

    key: str
    title: str
    story: str
    question: str
    options: tuple
    answer: int
    explanation: str
    caught_by: str
    consequence: Callable[[], Consequence]


def _case(consequence):
    """A case: its words from ``helpers/content/incidents.toml``, its numbers from the models."""
    key = consequence.__name__
    text = data.teaching_text("incidents", key)
    return Case(
        key,
        text["title"],
        text["story"],
        text["question"],
        tuple(text["options"]),
        text["answer"],
        text["explanation"],
        text["caught_by"],
        consequence,
    )


#: The cases in course order; each consequence function is named by its case's key.
CASES = tuple(
    _case(consequence)
    for consequence in (
        flex_per_hour,
        mg_for_ug,
        wrong_concentration,
        pocket_fill,
        access_port,
        missed_refill,
        mri_restart,
        occlusion,
        restart_full_dose,
        fast_bridge,
        mri_valve_not_emptied,
        benzodiazepine_added,
    )
)


def get_case(key):
    """
    Return the case stored under ``key``.

    Parameters
    ----------
    key : str
        One of the keys of :data:`CASES`. [-]

    Returns
    -------
    case : Case
        The case. [-]

    Raises
    ------
    KeyError
        If the key is unknown.

    References
    ----------
    .. [1] ISMP, "Template for disaster?," Medication Safety Alert, 15 Jan 2004.
    """
    for case in CASES:
        if case.key == key:
            return case
    raise KeyError(f"unknown case {key!r}; valid: {[c.key for c in CASES]}")
