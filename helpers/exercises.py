"""Exercises with instant feedback: a student types a number and is told at once how close it is.

The words live in ``helpers/content/exercises.toml``; the widgets that show an exercise
live in :mod:`helpers.panels.exercise`.

Expected answers are computed by the same models the panels use, never typed in, and
common mistakes get their own explanation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

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
    worked : str
        The worked solution: each step with its numbers and units. [-]
    """

    question: str
    expected: float
    unit: str
    rel_tolerance: float = 0.02
    hint: str = ""
    mistakes: tuple = field(default_factory=tuple)
    worked: str = ""

    def check(self, answer):
        """
        Judge an answer typed by the student.

        Parameters
        ----------
        answer : str or float
            The student's answer; text may carry a unit after the number ("60 h",
            "1,440 ug", "2 months"), which is converted or named if it is not the one
            asked. [unit]

        Returns
        -------
        feedback : Feedback
            Correct or not, and why. [-]
        """
        asked = self.shown_unit
        value, rest, comma_reading = units.read_number(str(answer))
        if value is None:
            return Feedback(False, f"Type a number in {asked}, for example 42.")
        typed = rest.strip().strip(".;").strip()
        if typed and units.typed_unit(typed) is None and not typed.startswith(("(", "#")):
            typed = ""  # words after the number that are not a unit ("days, I think")
        if comma_reading is not None and not self._close(value) and self._close(comma_reading):
            return Feedback(
                False,
                f"Did you mean {comma_reading:g} or {value:,.0f}? The course writes "
                f"{value:,.0f} with a comma for thousands; write {comma_reading:g} with a "
                "decimal point.",
            )
        if typed:
            judged = self._with_unit(value, typed, asked)
            if judged is not None:
                return judged
        if self._close(value):
            return Feedback(True, f"{_shown(self.expected)} {asked}.")
        for wrong, explanation in self.mistakes:
            if math.isclose(value, wrong, rel_tol=self.rel_tolerance):
                return Feedback(False, f"Not quite: {explanation}")
        slip = self._unit_slip(value, asked)
        if slip is not None:
            return slip
        direction = "too high" if value > self.expected else "too low"
        return Feedback(False, f"{value:g} {asked} is {direction}. {self.hint}".strip())

    @property
    def shown_unit(self):
        """The unit as the student reads it: µg for ug, days for day. [-]"""
        return "days" if self.unit == "day" else units.pretty_unit(self.unit)

    def _close(self, value):
        return math.isclose(value, self.expected, rel_tol=self.rel_tolerance)

    def _with_unit(self, value, typed, asked):
        """Feedback for an answer with a unit other than the one asked, else ``None``."""
        mine, theirs = units.typed_unit(self.unit), units.typed_unit(typed)
        if mine is None or theirs is None or theirs == mine:
            return None
        shown_typed = units.pretty_unit(typed)
        if theirs[0] != mine[0]:
            return Feedback(
                False, f"The question asks for {asked}; {shown_typed} measures something else."
            )
        converted = value * theirs[1] / mine[1]
        if self._close(converted):
            return Feedback(True, f"{value:g} {shown_typed} = {_shown(self.expected)} {asked}.")
        if self._close(value):
            return Feedback(
                False,
                f"{value:g} {shown_typed} is {_shown(converted)} {asked}. Your number is the "
                f"answer in {asked}: check the unit you wrote.",
            )
        direction = "too high" if converted > self.expected else "too low"
        return Feedback(
            False,
            f"{value:g} {shown_typed} is {_shown(converted)} {asked}, which is {direction}. "
            f"{self.hint}".strip(),
        )

    def _unit_slip(self, value, asked):
        """A specific message when the number is the answer in a related unit, else None."""
        mine = units.typed_unit(self.unit)
        if mine is None:
            return None
        for other in _RELATED.get(mine[0], ()):
            factor = units.typed_unit(other)[1]
            if factor == mine[1]:
                continue
            if math.isclose(value, self.expected * mine[1] / factor, rel_tol=self.rel_tolerance):
                return Feedback(
                    False,
                    f"{value:g} is the answer in {units.pretty_unit(other)}; the question asks "
                    f"for {asked}. {_SLIPS.get(mine[0], '')}".strip(),
                )
        return None

    def solution(self):
        """
        The worked answer a student can reveal after trying.

        Returns
        -------
        text : str
            The steps with their units, then the answer. [-]
        """
        asked = self.shown_unit
        steps = f" {self.worked}" if self.worked else f" {self.hint}"
        return f"Solution:{steps} Answer: {_shown(self.expected)} {asked}.".replace("  ", " ")


#: Units a student may slip into, per dimension of the unit asked (hours for days, mg for
#: µg, µL for mL, per hour for per day). [-]
_RELATED = {
    "time": ("min", "h", "day", "week", "month", "year"),
    "mass": ("ug", "mg", "g"),
    "volume": ("uL", "mL"),
    "mass/time": ("ug/day", "mg/day", "ug/h", "mg/h"),
    "volume/time": ("uL/h", "mL/day", "mL/h", "uL/day"),
    "mass/volume": ("ug/mL", "mg/mL"),
}

#: What to check after each kind of unit slip. [-]
_SLIPS = {
    "time": "A day has 24 h and 1,440 min.",
    "mass": "1 mg = 1,000 µg.",
    "volume": "1 mL = 1,000 µL.",
    "mass/time": "1 mg = 1,000 µg, and a rate per hour is 24 times the same number per day.",
    "volume/time": "1 mL = 1,000 µL, and a rate per hour is 24 times the same number per day.",
    "mass/volume": "1 mg = 1,000 µg.",
}


def _shown(value):
    """A number as the course writes it: three significant digits, thousands with commas."""
    rounded = float(f"{value:.3g}")
    return f"{rounded:,.0f}" if abs(rounded) >= 1000 else f"{rounded:g}"


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
    text = data.teaching_text("exercises", "days_to_alarm")
    morphine = drugs.get_drug("morphine")
    dose, concentration = morphine.from_display(3.0), morphine.from_display(10.0)
    rate = pump.flow_rate_ml_per_day(dose, concentration)
    return NumericExercise(
        question=text["question"],
        expected=pump.days_to_alarm(20.0, rate, 2.0),
        unit=text["unit"],
        hint=text["hint"],
        worked=text["solution"].format(rate=rate, days=pump.days_to_alarm(20.0, rate, 2.0)),
        mistakes=(
            (
                pump.days_to_empty(20.0, rate),
                text["mistakes"][0],
            ),
            (20.0 / 3.0, text["mistakes"][1]),
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
    text = data.teaching_text("exercises", "concentration")
    baclofen = drugs.get_drug("baclofen")
    dose = baclofen.from_display(400.0)
    rate = refill.rate_for_interval_ml_per_day(40.0, 2.0, 90.0)
    expected = baclofen.to_display(pump.concentration_for_dose_ug_per_ml(dose, rate))
    ignoring_alarm = refill.rate_for_interval_ml_per_day(40.0, 0.0, 90.0)
    return NumericExercise(
        question=text["question"],
        expected=expected,
        unit=text["unit"],
        hint=text["hint"],
        worked=text["solution"].format(rate=rate, concentration=expected),
        mistakes=(
            (
                baclofen.to_display(pump.concentration_for_dose_ug_per_ml(dose, ignoring_alarm)),
                text["mistakes"][0],
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


def _line_solution(text, rate=None):
    """The worked solution of notebook 03's line exercises, from the same line."""
    implanted, per_cm, path = _trimmed_valve_gated_line()
    dead = catheter.dead_volume_ml(implanted, per_cm, path)
    days = catheter.transit_time_days(dead, rate) if rate else 0.0
    return text["solution"].format(
        implanted=implanted,
        ul_per_cm=per_cm * units.UL_PER_ML,
        catheter_ml=implanted * per_cm,
        path=path,
        dead=dead,
        days=days,
        hours=units.days_to_hours(days),
    )


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
    text = data.teaching_text("exercises", "transit_time")
    implanted, per_cm, path = _trimmed_valve_gated_line()
    rate = 0.25

    def hours(volume_ml):
        return units.days_to_hours(catheter.transit_time_days(volume_ml, rate))

    return NumericExercise(
        question=text["question"],
        expected=hours(catheter.dead_volume_ml(implanted, per_cm, path)),
        unit=text["unit"],
        hint=text["hint"],
        worked=_line_solution(text, rate=rate),
        mistakes=(
            (
                hours(catheter.dead_volume_ml(implanted, per_cm, 0.0)),
                text["mistakes"][0],
            ),
            (
                hours(catheter.dead_volume_ml(implanted + 10.0, per_cm, path)),
                text["mistakes"][1],
            ),
            (
                catheter.transit_time_days(catheter.dead_volume_ml(implanted, per_cm, path), rate),
                text["mistakes"][2],
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
    text = data.teaching_text("exercises", "bridge_volume")
    implanted, per_cm, path = _trimmed_valve_gated_line()
    return NumericExercise(
        question=text["question"],
        expected=catheter.dead_volume_ml(implanted, per_cm, path),
        unit=text["unit"],
        rel_tolerance=0.03,
        hint=text["hint"],
        worked=_line_solution(text),
        mistakes=(
            (
                catheter.dead_volume_ml(implanted, per_cm, 0.0),
                text["mistakes"][0],
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
    text = data.teaching_text("exercises", "spread_length")
    k = spine.clearance_per_day("morphine")
    dispersion = spine.human_dispersion()
    return NumericExercise(
        question=text["question"].format(k=k, dispersion=dispersion),
        expected=spine.spread_length_cm(dispersion, k),
        unit=text["unit"],
        hint=text["hint"],
        worked=text["solution"].format(
            dispersion=dispersion,
            k=k,
            ratio=dispersion / k,
            length=spine.spread_length_cm(dispersion, k),
        ),
        mistakes=((dispersion / k, text["mistakes"][0]),),
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
    text = data.teaching_text("exercises", "target_share")
    length, distance = 5.0, 10.0
    return NumericExercise(
        question=text["question"].format(length=length, distance=distance),
        expected=100 * math.exp(-distance / length),
        unit=text["unit"],
        hint=text["hint"],
        worked=text["solution"].format(
            distance=distance,
            length=length,
            ratio=distance / length,
            fraction=math.exp(-distance / length),
            share=100 * math.exp(-distance / length),
        ),
        mistakes=((100 * math.exp(-length / distance), text["mistakes"][0]),),
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
    text = data.teaching_text("exercises", "unit_trap")
    return NumericExercise(
        question=text["question"],
        expected=units.HOURS_PER_DAY,
        unit=text["unit"],
        hint=text["hint"],
        worked=text["solution"],
        mistakes=((1.0, text["mistakes"][0]),),
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
    text = data.teaching_text("exercises", "admixture")
    morphine, bupivacaine = drugs.get_drug("morphine"), drugs.get_drug("bupivacaine")
    rate = pump.flow_rate_ml_per_day(morphine.from_display(3.0), morphine.from_display(10.0))
    program = safety.Program("peristaltic", rate, {"bupivacaine": bupivacaine.from_display(20.0)})
    return NumericExercise(
        question=text["question"],
        expected=bupivacaine.to_display(program.doses_ug_per_day()["bupivacaine"]),
        unit=text["unit"],
        hint=text["hint"],
        worked=text["solution"].format(
            rate=rate, dose=bupivacaine.to_display(program.doses_ug_per_day()["bupivacaine"])
        ),
        mistakes=((3.0, text["mistakes"][0]),),
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
    text = data.teaching_text("exercises", "route")
    central = routes.equivalent_doses(60_000.0, "iv")["intrathecal"][0]
    return NumericExercise(
        question=text["question"],
        expected=central / 1000.0,
        unit=text["unit"],
        hint=text["hint"],
        worked=text["solution"].format(dose=central / 1000.0),
        mistakes=(
            (6.0, text["mistakes"][0]),
            (0.2, text["mistakes"][1]),
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
    text = data.teaching_text("exercises", "flex_trap")
    concentration = 500.0

    def total(night_ug_per_day):
        day = programs.flexible([(6.0, 40.0), (22.0, night_ug_per_day)], concentration)
        return float(day.daily_totals_ug()[0])

    per_hour = 60.0 * units.HOURS_PER_DAY
    return NumericExercise(
        question=text["question"],
        expected=total(per_hour),
        unit=text["unit"],
        hint=text["hint"],
        worked=text["solution"].format(
            day_part=40.0 * 16.0 / 24.0,
            night_part=per_hour * 8.0 / 24.0,
            total=total(per_hour),
            intended=total(60.0),
        ),
        mistakes=(
            (total(60.0), text["mistakes"][0]),
            (per_hour, text["mistakes"][1]),
            (60.0 * 8.0, text["mistakes"][2]),
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
    text = data.teaching_text("exercises", "vendor_refill")
    threshold = data.lookup("programs", "ptc_refill_threshold").model_value
    fill, rate, bolus_ml, most = 20.0, 0.5, 0.05, 4

    def days(ml_per_day, limit=threshold):
        return float(pump.days_to_alarm(fill, ml_per_day, limit))

    return NumericExercise(
        question=text["question"].format(threshold=threshold),
        expected=days(rate + most * bolus_ml),
        unit=text["unit"],
        hint=text["hint"],
        worked=text["solution"].format(
            daily=rate + most * bolus_ml,
            threshold=threshold,
            usable=fill - threshold,
            days=days(rate + most * bolus_ml),
        ),
        mistakes=(
            (days(rate), text["mistakes"][0]),
            (days(rate + most * bolus_ml, 0.0), text["mistakes"][1].format(threshold=threshold)),
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
    text = data.teaching_text("exercises", "actuation")
    stroke_ml = 2.5 / units.UL_PER_ML
    return NumericExercise(
        question=text["question"],
        expected=mechanisms.actuation_interval_min(0.25, stroke_ml),
        unit=text["unit"],
        hint=text["hint"],
        worked=text["solution"].format(
            per_day=0.25 / stroke_ml, minutes=mechanisms.actuation_interval_min(0.25, stroke_ml)
        ),
        mistakes=(
            (mechanisms.actuation_interval_min(0.25, stroke_ml) / 60.0, text["mistakes"][0]),
            (0.25 / stroke_ml, text["mistakes"][1]),
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
    text = data.teaching_text("exercises", "withdrawal")
    half_life_h = units.days_to_hours(math.log(2.0) / spine.clearance_per_day("baclofen"))
    level = data.lookup("journey", "withdrawal_level").value
    return NumericExercise(
        question=text["question"].format(half_life_h=half_life_h, level=level),
        expected=withdrawal.withdrawal("baclofen", [0.0]).likely_from_h,
        unit=text["unit"],
        hint=text["hint"],
        worked=text["solution"].format(
            half_life_h=half_life_h,
            level=level,
            halvings=math.log2(100.0 / level),
            hours=withdrawal.withdrawal("baclofen", [0.0]).likely_from_h,
        ),
        mistakes=((half_life_h, text["mistakes"][0]),),
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
    text = data.teaching_text("exercises", "complication_free")
    per_year = sum(cohort.complication_rates_per_day().values()) * units.DAYS_PER_YEAR
    return NumericExercise(
        question=text["question"].format(percent_per_year=100 * per_year),
        expected=100.0 * math.exp(-per_year * 5.0),
        unit=text["unit"],
        hint=text["hint"],
        worked=text["solution"].format(
            per_year=per_year, exponent=per_year * 5.0, share=100.0 * math.exp(-per_year * 5.0)
        ),
        mistakes=(
            (100.0 * (1 - per_year * 5.0), text["mistakes"][0]),
            (100.0 * (1 - math.exp(-per_year * 5.0)), text["mistakes"][1]),
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
    text = data.teaching_text("exercises", "wrong_concentration")
    rate = pump.flow_rate_ml_per_day(3000.0, 10_000.0)
    return NumericExercise(
        question=text["question"],
        expected=units.ug_to_mass(pump.daily_dose_ug_per_day(rate, 20_000.0), "mg"),
        unit=text["unit"],
        hint=text["hint"],
        worked=text["solution"].format(
            rate=rate, dose=units.ug_to_mass(pump.daily_dose_ug_per_day(rate, 20_000.0), "mg")
        ),
        mistakes=((1.5, text["mistakes"][0]),),
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
    text = data.teaching_text("exercises", "access_port")
    refill_ug = 20.0 * 10_000.0
    return NumericExercise(
        question=text["question"],
        expected=refill_ug / 3000.0,
        unit=text["unit"],
        hint=text["hint"],
        worked=text["solution"].format(days=refill_ug / 3000.0),
        mistakes=(
            (
                units.ug_to_mass(refill_ug, "mg"),
                text["mistakes"][0],
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
    text = data.teaching_text("exercises", "explorer_interval")
    margin = data.lookup("practice", "refill_margin").model_value
    alarm = pump.get_pump("peristaltic").alarm_volume_ml
    rate = pump.flow_rate_ml_per_day(3000.0, 20_000.0)
    stability = drugs.get_drug("morphine").stability_days
    expected = refill.refill_by_days(20.0, rate, alarm, margin, stability)
    return NumericExercise(
        question=text["question"].format(alarm=alarm, margin=margin, stability=stability),
        expected=float(expected),
        unit=text["unit"],
        hint=text["hint"],
        worked=text["solution"].format(
            rate=rate,
            alarm=alarm,
            to_alarm=float((20.0 - alarm) / rate),
            margin=margin,
            by_margin=float((20.0 - alarm) / rate - margin),
            stability=stability,
            expected=float(expected),
        ),
        mistakes=(
            (float((20.0 - alarm) / rate), text["mistakes"][0]),
            (float(20.0 / rate - margin), text["mistakes"][1]),
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
    text = data.teaching_text("exercises", "explorer_transit")
    line = catheter.get_catheter("peristaltic")
    per_cm = line.volume_per_length.model_value
    path = line.pump_path_volume.model_value
    dead = catheter.dead_volume_ml(60.0, per_cm, path)
    rate = 0.15
    return NumericExercise(
        question=text["question"].format(ul_per_cm=per_cm * units.UL_PER_ML, path=path, rate=rate),
        expected=float(units.days_to_hours(catheter.transit_time_days(dead, rate))),
        unit=text["unit"],
        hint=text["hint"],
        worked=text["solution"].format(
            path=path,
            ul_per_cm=per_cm * units.UL_PER_ML,
            dead=dead,
            rate=rate,
            days=float(catheter.transit_time_days(dead, rate)),
            hours=float(units.days_to_hours(catheter.transit_time_days(dead, rate))),
        ),
        mistakes=(
            (
                float(units.days_to_hours(catheter.transit_time_days(dead - path, rate))),
                text["mistakes"][0],
            ),
            (float(catheter.transit_time_days(dead, rate)), text["mistakes"][1]),
        ),
    )
