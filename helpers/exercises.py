"""Exercises with instant feedback: a student types a number and is told at once how close it is.

Expected answers are computed by the same models the panels use, never typed in, and
common mistakes get their own explanation.
"""

from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field

import ipywidgets as widgets

from helpers import (
    catheter,
    cohort,
    data,
    drugs,
    mechanisms,
    programs,
    pump,
    refill,
    routes,
    safety,
    spine,
    units,
    withdrawal,
)

_NUMBER = re.compile(r"[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?")


@dataclass(frozen=True)
class Feedback:
    """
    The verdict on one answer.

    Parameters
    ----------
    correct : bool
        Whether the answer is within tolerance. [-]
    message : str
        What the student sees. [-]
    """

    correct: bool
    message: str


@dataclass(frozen=True)
class NumericExercise:
    """
    A question with a numeric answer.

    Parameters
    ----------
    question : str
        The question, in HTML. [-]
    expected : float
        The answer, computed by the models. [unit]
    unit : str
        Unit of the answer. [-]
    rel_tolerance : float
        Accepted relative error. [-]
    hint : str
        Shown with a wrong answer. [-]
    mistakes : tuple of (float, str)
        Answers that come from a known mistake, and what went wrong. [unit, -]
    """

    question: str
    expected: float
    unit: str
    rel_tolerance: float = 0.02
    hint: str = ""
    mistakes: tuple = field(default_factory=tuple)

    def check(self, answer):
        """
        Judge an answer typed by the student.

        Parameters
        ----------
        answer : str or float
            The student's answer; text may carry a unit after the number. [unit]

        Returns
        -------
        feedback : Feedback
            Correct or not, and why. [-]
        """
        match = _NUMBER.search(str(answer).replace(",", "."))
        if match is None:
            return Feedback(False, f"Type a number in {self.unit}, for example 42.")
        value = float(match.group(0))
        if math.isclose(value, self.expected, rel_tol=self.rel_tolerance):
            return Feedback(True, f"Correct: {self.expected:.3g} {self.unit}.")
        for wrong, explanation in self.mistakes:
            if math.isclose(value, wrong, rel_tol=self.rel_tolerance):
                return Feedback(False, f"Not quite: {explanation}")
        direction = "too high" if value > self.expected else "too low"
        return Feedback(False, f"{value:g} {self.unit} is {direction}. {self.hint}".strip())

    def solution(self):
        """
        The worked answer a student can reveal after trying.

        Returns
        -------
        text : str
            The expected answer with its unit, and how to get it. [-]
        """
        return f"Solution: {self.expected:.3g} {self.unit}. {self.hint}".strip()

    def show(self):
        """The exercise as widgets: question, answer box, check and solution buttons, feedback."""
        box = widgets.Text(
            placeholder=f"answer in {self.unit}", description="Answer", continuous_update=False
        )
        button = widgets.Button(description="Check", button_style="primary")
        reveal = widgets.Button(description="Show solution", tooltip="after you have tried")
        verdict = widgets.HTML()
        shown = widgets.HTML()

        def on_reveal(_):
            shown.value = f"<i>{html.escape(self.solution())}</i>"

        def on_check(_):
            feedback = self.check(box.value)
            colour = "#009E73" if feedback.correct else "#D55E00"
            mark = "Correct" if feedback.correct else "Try again"
            verdict.value = (
                f"<span style='color:{colour}'><b>{mark}.</b></span> "
                f"{html.escape(feedback.message)}"
            )

        button.on_click(on_check)
        reveal.on_click(on_reveal)
        box.observe(on_check, "value")  # Enter or leaving the box (on_submit is deprecated)
        return widgets.VBox(
            [widgets.HTML(self.question), widgets.HBox([box, button, reveal]), verdict, shown]
        )


def days_to_alarm_exercise():
    """
    Notebook 02: days from a refill to the alarm for a morphine program.

    Returns
    -------
    exercise : NumericExercise
        Morphine 3 mg/day at 10 mg/mL, 20 mL fill, alarm at 2 mL. [-]

    References
    ----------
    .. [1] "Correlation between withdrawal symptoms and medication pump residual volume in
       patients with implantable SynchroMed pumps," Neurosurgery, 2004 (2 mL alarm).
    """
    morphine = drugs.get_drug("morphine")
    dose, concentration = morphine.from_display(3.0), morphine.from_display(10.0)
    rate = pump.flow_rate_ml_per_day(dose, concentration)
    return NumericExercise(
        question=(
            "A pump holds <b>20 mL</b> of morphine <b>10 mg/mL</b> and delivers "
            "<b>3 mg/day</b>; its low-reservoir alarm is set at <b>2 mL</b>. "
            "How many days after the refill does the alarm sound?"
        ),
        expected=pump.days_to_alarm(20.0, rate, 2.0),
        unit="days",
        hint="First find the flow rate Q = D / C in mL/day, then T = (V_fill - V_alarm) / Q.",
        mistakes=(
            (
                pump.days_to_empty(20.0, rate),
                "that is when the pump runs dry; the alarm sounds while 2 mL are still left.",
            ),
            (20.0 / 3.0, "divide volumes by a volume rate: first turn 3 mg/day into mL/day."),
        ),
    )


def concentration_exercise():
    """
    Notebook 02: the baclofen concentration that stretches a refill to 90 days.

    Returns
    -------
    exercise : NumericExercise
        Baclofen 400 ug/day, 40 mL fill, alarm at 2 mL, alarm wanted at day 90. [-]

    References
    ----------
    .. [1] Gablofen labeling summary: maintenance 300-800 ug/day in spasticity of spinal
       origin.
    """
    baclofen = drugs.get_drug("baclofen")
    dose = baclofen.from_display(400.0)
    rate = refill.rate_for_interval_ml_per_day(40.0, 2.0, 90.0)
    expected = baclofen.to_display(pump.concentration_for_dose_ug_per_ml(dose, rate))
    ignoring_alarm = refill.rate_for_interval_ml_per_day(40.0, 0.0, 90.0)
    return NumericExercise(
        question=(
            "A patient needs baclofen <b>400 ug/day</b> from a <b>40 mL</b> pump with the "
            "alarm at <b>2 mL</b>. Which concentration (ug/mL) makes the alarm sound "
            "<b>90 days</b> after the refill?"
        ),
        expected=expected,
        unit="ug/mL",
        hint="The usable volume is V_fill - V_alarm; Q = usable volume / 90 days; C = D / Q.",
        mistakes=(
            (
                baclofen.to_display(pump.concentration_for_dose_ug_per_ml(dose, ignoring_alarm)),
                "you used all 40 mL; only the volume above the 2 mL alarm counts.",
            ),
        ),
    )


def _trimmed_valve_gated_line():
    """Notebook 03's example line: valve-gated catheter trimmed by 10 cm, plus the pump path."""
    model = catheter.get_catheter("valve_gated")
    implanted = catheter.implanted_length_cm(model.supplied_length.model_value, 10.0)
    per_cm = model.volume_per_length.model_value
    path = model.pump_path_volume.model_value
    return implanted, per_cm, path


def transit_time_exercise():
    """
    Notebook 03: hours until a new solution reaches the tip of a trimmed catheter.

    Returns
    -------
    exercise : NumericExercise
        110 cm catheter trimmed by 10 cm, 2.6 uL/cm, 0.2 mL pump path, 0.25 mL/day. [-]

    References
    ----------
    .. [1] Flowonix, "Prometra II programmable pump: instructions for use," p. 33.
    """
    implanted, per_cm, path = _trimmed_valve_gated_line()
    rate = 0.25

    def hours(volume_ml):
        return units.days_to_hours(catheter.transit_time_days(volume_ml, rate))

    return NumericExercise(
        question=(
            "A valve-gated pump's catheter is supplied <b>110 cm</b> long (<b>2.6 uL/cm</b>) and "
            "<b>10 cm</b> are trimmed at implant; the pump's internal path holds <b>0.2 mL</b>. "
            "The pump runs at <b>0.25 mL/day</b>. How many <b>hours</b> after a refill with a "
            "new concentration does the new solution reach the tip?"
        ),
        expected=hours(catheter.dead_volume_ml(implanted, per_cm, path)),
        unit="h",
        hint="Dead volume = pump path + implanted length x volume per cm; time = volume / rate.",
        mistakes=(
            (
                hours(catheter.dead_volume_ml(implanted, per_cm, 0.0)),
                "the pump's internal path is part of the dead volume too.",
            ),
            (
                hours(catheter.dead_volume_ml(implanted + 10.0, per_cm, path)),
                "10 cm were trimmed off: use the implanted length.",
            ),
            (
                catheter.transit_time_days(catheter.dead_volume_ml(implanted, per_cm, path), rate),
                "that is the time in days; the question asks for hours.",
            ),
        ),
    )


def bridge_volume_exercise():
    """
    Notebook 03: the volume a bridge bolus must move to bring a new solution to the tip.

    Returns
    -------
    exercise : NumericExercise
        The same line as :func:`transit_time_exercise`. [-]

    References
    ----------
    .. [1] Flowonix, "Prometra II programmable pump: instructions for use," p. 33.
    """
    implanted, per_cm, path = _trimmed_valve_gated_line()
    return NumericExercise(
        question=(
            "For the same line (100 cm implanted at 2.6 uL/cm, 0.2 mL pump path), what "
            "volume in <b>mL</b> must a bridge bolus move so that the new solution reaches "
            "the tip when it ends?"
        ),
        expected=catheter.dead_volume_ml(implanted, per_cm, path),
        unit="mL",
        rel_tolerance=0.03,
        hint="The bridge moves the whole dead volume: pump path plus catheter.",
        mistakes=(
            (
                catheter.dead_volume_ml(implanted, per_cm, 0.0),
                "that is the catheter alone; the pump's internal path must be flushed too.",
            ),
        ),
    )


def spread_length_exercise():
    """
    Notebook 04: the spread length of morphine for a given dispersion.

    Returns
    -------
    exercise : NumericExercise
        The human default dispersion (:func:`helpers.spine.human_dispersion`), morphine
        CSF half-life 175 min. [-]

    References
    ----------
    .. [1] G. Nordberg et al., "Pharmacokinetic aspects of intrathecal morphine analgesia,"
       Anesthesiology, vol. 60, pp. 448-454, 1984.
    """
    k = spine.clearance_per_day("morphine")
    dispersion = spine.human_dispersion()
    return NumericExercise(
        question=(
            "Morphine's CSF half-life is <b>175 min</b>, so k = ln 2 / t<sub>1/2</sub> is "
            f"about <b>{k:.2f} per day</b>. With a dispersion of <b>{dispersion:,.0f} cm²/day</b>, "
            "what is the spread length L in <b>cm</b>?"
        ),
        expected=spine.spread_length_cm(dispersion, k),
        unit="cm",
        hint="L = sqrt(D / k), with D in cm2/day and k in 1/day.",
        mistakes=((dispersion / k, "take the square root: L = sqrt(D / k)."),),
    )


def target_share_exercise():
    """
    Notebook 04: the share of the tip concentration left 10 cm away.

    Returns
    -------
    exercise : NumericExercise
        Spread length 5 cm, target 10 cm from the tip, answer in %. [-]

    References
    ----------
    .. [1] J. Crank, "The Mathematics of Diffusion," 2nd ed., Oxford, 1975.
    """
    length, distance = 5.0, 10.0
    return NumericExercise(
        question=(
            f"With a spread length of <b>{length:g} cm</b>, what share of the tip "
            f"concentration (in <b>%</b>) is left <b>{distance:g} cm</b> away, far from the "
            "ends of the canal?"
        ),
        expected=100 * math.exp(-distance / length),
        unit="%",
        hint="c(x) / c(tip) = exp(-distance / L).",
        mistakes=(
            (100 * math.exp(-length / distance), "the exponent is distance / L, not L / distance."),
        ),
    )


def unit_trap_exercise():
    """
    Notebook 06: how many times too much a per-hour value entered as per-day gives.

    Returns
    -------
    exercise : NumericExercise
        Morphine 0.125 mg/h meant (3 mg/day), 3 mg/h entered. [-]

    References
    ----------
    .. [1] ISMP, "Template for disaster? Fatal injection into wrong port of implanted
       infusion pump," Medication Safety Alert, 15 Jan 2004.
    """
    return NumericExercise(
        question=(
            "A flex step was meant to give morphine at <b>3 mg/day</b>, but <b>3</b> was "
            "entered in a field that reads <b>mg/h</b>. How many times the intended dose does "
            "the patient receive during that step?"
        ),
        expected=units.HOURS_PER_DAY,
        unit="times",
        hint="A day has 24 hours.",
        mistakes=((1.0, "the number is the same, but the unit multiplies it by 24."),),
    )


def admixture_exercise():
    """
    Notebook 06: bupivacaine's daily dose in an admixture at the rate set for morphine.

    Returns
    -------
    exercise : NumericExercise
        Morphine 10 mg/mL for 3 mg/day; bupivacaine 20 mg/mL in the same reservoir. [-]

    References
    ----------
    .. [1] A. M. Classen et al., "Stability of admixture containing morphine sulfate,
       bupivacaine hydrochloride, and clonidine hydrochloride in an implantable infusion
       system," J Pain Symptom Manage, vol. 28, pp. 603-611, 2004.
    """
    morphine, bupivacaine = drugs.get_drug("morphine"), drugs.get_drug("bupivacaine")
    rate = pump.flow_rate_ml_per_day(morphine.from_display(3.0), morphine.from_display(10.0))
    program = safety.Program("peristaltic", rate, {"bupivacaine": bupivacaine.from_display(20.0)})
    return NumericExercise(
        question=(
            "One reservoir holds morphine <b>10 mg/mL</b> and bupivacaine <b>20 mg/mL</b>. The "
            "rate is set so that morphine gives <b>3 mg/day</b>. What daily dose of "
            "bupivacaine, in <b>mg/day</b>, does the patient receive?"
        ),
        expected=bupivacaine.to_display(program.doses_ug_per_day()["bupivacaine"]),
        unit="mg/day",
        hint="One rate for both: Q = 3 / 10 mL/day; each dose = Q x its concentration.",
        mistakes=((3.0, "the rate is shared, so the doses differ as the concentrations do."),),
    )


def route_exercise():
    """
    Notebook 01: the intrathecal equivalent of an intravenous morphine dose.

    Returns
    -------
    exercise : NumericExercise
        60 mg/day intravenous morphine, IV : IT = 100 : 1. [-]

    References
    ----------
    .. [1] "Survey of pain specialists regarding conversion of high-dose IV to neuraxial
       opioids," J Pain Res, vol. 9, pp. 693-700, 2016.
    """
    central = routes.equivalent_doses(60_000.0, "iv")["intrathecal"][0]
    return NumericExercise(
        question=(
            "A patient receives <b>60 mg/day</b> of intravenous morphine. By the "
            "IV : epidural : intrathecal = 100 : 10 : 1 chain, what intrathecal daily dose is "
            "equivalent, in <b>mg/day</b>?"
        ),
        expected=central / 1000.0,
        unit="mg/day",
        hint="Divide by 100: ten for IV to epidural, ten again for epidural to intrathecal.",
        mistakes=(
            (6.0, "that is the epidural dose; divide by ten once more."),
            (0.2, "that uses the oral chain (300 : 1); the dose here is intravenous."),
        ),
    )


def flex_trap_exercise():
    """
    Notebook 05: the daily total of a flex program whose night step was entered per hour.

    Returns
    -------
    exercise : NumericExercise
        Baclofen 40 ug/day from 06:00 and 60 ug/day from 22:00 meant; 60 entered as ug/h. [-]

    References
    ----------
    .. [1] ISMP, "Template for disaster? Fatal injection into wrong port of implanted
       infusion pump," Medication Safety Alert, 15 Jan 2004.
    """
    concentration = 500.0

    def total(night_ug_per_day):
        day = programs.flexible([(6.0, 40.0), (22.0, night_ug_per_day)], concentration)
        return float(day.daily_totals_ug()[0])

    per_hour = 60.0 * units.HOURS_PER_DAY
    return NumericExercise(
        question=(
            "A baclofen flex program is meant to give <b>40 ug/day</b> from 06:00 and "
            "<b>60 ug/day</b> from 22:00 (8 h). The night step's <b>60</b> was entered in a field "
            "that reads <b>ug/h</b>. How many <b>ug</b> does the pump deliver in one day?"
        ),
        expected=total(per_hour),
        unit="ug",
        hint="Each step gives its rate x its hours / 24; a rate of 60 ug/h is 1,440 ug/day.",
        mistakes=(
            (total(60.0), "that is the intended total; the night step runs at 60 ug per hour."),
            (per_hour, "the night step lasts 8 hours, not the whole day."),
            (60.0 * 8.0, "add the 16 hours of the day step too."),
        ),
    )


def vendor_refill_exercise():
    """
    Notebook 05: a patient controller's refill date, assuming every allowed bolus is used.

    Returns
    -------
    exercise : NumericExercise
        20 mL fill, 3.0 mL threshold, 0.5 mL/day program, 4 boluses of 0.05 mL a day. [-]

    References
    ----------
    .. [1] Flowonix, "Prometra Patient Therapy Controller" guide, p. 5.
    """
    threshold = data.lookup("programs", "ptc_refill_threshold").model_value
    fill, rate, bolus_ml, most = 20.0, 0.5, 0.05, 4

    def days(ml_per_day, limit=threshold):
        return float(pump.days_to_alarm(fill, ml_per_day, limit))

    return NumericExercise(
        question=(
            "A <b>20 mL</b> reservoir runs a program of <b>0.5 mL/day</b>; the patient may take "
            "<b>4</b> boluses of <b>0.05 mL</b> a day. The controller's refill date is when "
            f"<b>{threshold:g} mL</b> remain, as if every allowed bolus were used. In how many "
            "<b>days</b> is that?"
        ),
        expected=days(rate + most * bolus_ml),
        unit="day",
        hint="Daily volume = program + maximum boluses x bolus volume.",
        mistakes=(
            (days(rate), "the controller counts every allowed bolus as used."),
            (days(rate + most * bolus_ml, 0.0), f"the date is set at {threshold:g} mL, not empty."),
        ),
    )


def actuation_exercise():
    """
    Notebook 05: minutes between valve actuations of a valve-gated pump.

    Returns
    -------
    exercise : NumericExercise
        0.25 mL/day with a 2.5 uL accumulator. [-]

    References
    ----------
    .. [1] IntrathecalTherapyOptimization app (2018): "1 valve actuation every X min".
    """
    stroke_ml = 2.5 / units.UL_PER_ML
    return NumericExercise(
        question=(
            "A valve-gated pump releases <b>2.5 uL</b> per actuation and is programmed to "
            "<b>0.25 mL/day</b>. How many <b>minutes</b> pass between actuations?"
        ),
        expected=mechanisms.actuation_interval_min(0.25, stroke_ml),
        unit="min",
        hint="Actuations per day = rate / stroke volume (in the same unit); a day has 1,440 min.",
        mistakes=(
            (mechanisms.actuation_interval_min(0.25, stroke_ml) / 60.0, "that is in hours."),
            (0.25 / stroke_ml, "that is the number of actuations per day."),
        ),
    )


def withdrawal_exercise():
    """
    Notebook 07: hours until baclofen at the tip falls to a quarter after delivery stops.

    Returns
    -------
    exercise : NumericExercise
        Two CSF half-lives of baclofen. [-]

    References
    ----------
    .. [1] Lioresal Intrathecal label: abrupt discontinuation (boxed warning).
    """
    half_life_h = units.days_to_hours(math.log(2.0) / spine.clearance_per_day("baclofen"))
    level = data.lookup("journey", "withdrawal_level").value
    return NumericExercise(
        question=(
            f"Baclofen leaves the CSF with a half-life of <b>{half_life_h:.2g} h</b>. The "
            f"reservoir runs empty. After how many <b>hours</b> is the level at the tip down to "
            f"<b>{level:g} %</b> of its usual value?"
        ),
        expected=withdrawal.withdrawal("baclofen", [0.0]).likely_from_h,
        unit="h",
        hint="Each half-life halves the level: 100 % -> 50 % -> 25 %.",
        mistakes=((half_life_h, "one half-life gives 50 %; a quarter needs two."),),
    )


def complication_free_exercise():
    """
    Notebook 07: share of patients free of complications after five years.

    Returns
    -------
    exercise : NumericExercise
        exp(-lambda t) with the summed complication rates. [-]

    References
    ----------
    .. [1] R. V. Duarte et al., Neuromodulation, vol. 13, pp. 109-112, 2010.
    """
    per_year = sum(cohort.complication_rates_per_day().values()) * units.DAYS_PER_YEAR
    return NumericExercise(
        question=(
            f"Complications of all kinds arrive at random at <b>{100 * per_year:.3g} per 100 "
            "patient-years</b>. What <b>percentage</b> of patients is still free of any "
            "complication after <b>5 years</b>?"
        ),
        expected=100.0 * math.exp(-per_year * 5.0),
        unit="%",
        hint="For random events at a constant rate the share without any is exp(-rate x time).",
        mistakes=(
            (100.0 * (1 - per_year * 5.0), "rates do not simply add up over years: use exp."),
            (100.0 * (1 - math.exp(-per_year * 5.0)), "that is the share WITH a complication."),
        ),
    )


def wrong_concentration_exercise():
    """
    Notebook 08: the daily dose once a stronger refill reaches the tip under the old program.

    Returns
    -------
    exercise : NumericExercise
        Morphine 3 mg/day at 10 mg/mL; refilled with 20 mg/mL, program unchanged. [-]

    References
    ----------
    .. [1] T. R. Deer et al., "PACC: Recommendations for intrathecal drug delivery:
       guidance for improving safety and mitigating risks," Neuromodulation, 2017.
    """
    rate = pump.flow_rate_ml_per_day(3000.0, 10_000.0)
    return NumericExercise(
        question=(
            "Morphine <b>3 mg/day</b> runs at <b>10 mg/mL</b>. The reservoir is refilled with "
            "<b>20 mg/mL</b> but the program still says 10 mg/mL. Once the new solution reaches "
            "the tip, how many <b>mg/day</b> does the patient receive?"
        ),
        expected=units.ug_to_mass(pump.daily_dose_ug_per_day(rate, 20_000.0), "mg"),
        unit="mg/day",
        hint="The pump keeps its rate (dose / programmed concentration); multiply by the real one.",
        mistakes=((1.5, "the rate did not change, so a stronger solution gives more, not less."),),
    )


def access_port_exercise():
    """
    Notebook 08: how many days' dose a refill pushed through the access port delivers at once.

    Returns
    -------
    exercise : NumericExercise
        20 mL of morphine 10 mg/mL against 3 mg/day. [-]

    References
    ----------
    .. [1] ISMP, "Template for disaster? Fatal injection into wrong port of implanted
       infusion pump," Medication Safety Alert, 15 Jan 2004.
    """
    refill_ug = 20.0 * 10_000.0
    return NumericExercise(
        question=(
            "A refill of <b>20 mL</b> of morphine <b>10 mg/mL</b> is injected into the catheter "
            "access port. The patient's daily dose is <b>3 mg</b>. How many <b>days'</b> dose "
            "reaches the CSF at once?"
        ),
        expected=refill_ug / 3000.0,
        unit="day",
        hint="Drug in the syringe = volume x concentration; divide by the daily dose.",
        mistakes=(
            (
                units.ug_to_mass(refill_ug, "mg"),
                "that is the drug in mg; divide by the daily dose.",
            ),
        ),
    )


def explorer_interval_exercise():
    """
    Notebook 09: refill-by day when the concentration is doubled.

    Returns
    -------
    exercise : NumericExercise
        Morphine 3 mg/day at 20 mg/mL in a 20 mL pump, alarm 2 mL, margin from the data. [-]

    References
    ----------
    .. [1] Gillette Children's, "Intrathecal baclofen pump refills" (refill a few days
       before the alarm).
    """
    margin = data.lookup("practice", "refill_margin").model_value
    alarm = pump.get_pump("peristaltic").alarm_volume_ml
    rate = pump.flow_rate_ml_per_day(3000.0, 20_000.0)
    stability = drugs.get_drug("morphine").stability_days
    expected = refill.refill_by_days(20.0, rate, alarm, margin, stability)
    return NumericExercise(
        question=(
            "Morphine <b>3 mg/day</b> at <b>20 mg/mL</b> in a <b>20 mL</b> pump; the alarm "
            f"sounds at <b>{alarm:g} mL</b> and refills are planned <b>{margin:g} days</b> "
            f"before it; the drug is known stable for <b>{stability:g} days</b>. On which "
            "<b>day</b> is the refill due?"
        ),
        expected=float(expected),
        unit="day",
        hint="Rate = dose / concentration; days to alarm = (fill - alarm) / rate; then the "
        "margin, and never beyond the stability limit.",
        mistakes=(
            (float((20.0 - alarm) / rate), "plan the refill a few days before the alarm."),
            (float(20.0 / rate - margin), "the alarm sounds before the pump is empty."),
        ),
    )


def explorer_transit_exercise():
    """
    Notebook 09: transit delay of a 60 cm catheter at half the usual rate.

    Returns
    -------
    exercise : NumericExercise
        Peristaltic-type catheter model, 60 cm, 0.15 mL/day. [-]

    References
    ----------
    .. [1] Flowonix, "Prometra Supplementary Calculations Guide" (catheter volumes).
    """
    line = catheter.get_catheter("peristaltic")
    per_cm = line.volume_per_length.model_value
    path = line.pump_path_volume.model_value
    dead = catheter.dead_volume_ml(60.0, per_cm, path)
    rate = 0.15
    return NumericExercise(
        question=(
            f"A catheter holds <b>{per_cm * units.UL_PER_ML:.3g} uL/cm</b>; <b>60 cm</b> are "
            f"implanted and the pump's own path holds <b>{path:g} mL</b>. At <b>{rate:g} "
            "mL/day</b>, how many <b>hours</b> does a new concentration take to reach the tip?"
        ),
        expected=float(units.days_to_hours(catheter.transit_time_days(dead, rate))),
        unit="h",
        hint="Dead volume = path + length x volume per cm; delay = dead volume / rate.",
        mistakes=(
            (
                float(units.days_to_hours(catheter.transit_time_days(dead - path, rate))),
                "the pump's own path is part of the dead volume.",
            ),
            (float(catheter.transit_time_days(dead, rate)), "that is in days."),
        ),
    )
