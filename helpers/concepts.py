"""Concept checks: short questions asked before a notebook's panels and again after them.

The words of every question (the question, its options, the misconception behind each
wrong option, the notebook section that teaches it and the competency it serves) live in
``helpers/content/concepts.toml``; every number an option shows is computed here, by the
course's models, under the question's key (:data:`NUMBERS`). Students see the options in
an order shuffled per question (seeded by its key, so the same for everyone), and the
right one is found by the model's number, never typed twice.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass

import numpy as np

from helpers import (
    catheter,
    data,
    drill,
    drugs,
    mechanisms,
    pump,
    refill,
    routes,
    spine,
    titration,
    withdrawal,
)

#: When a question is asked: before the notebook's panels, or after them. [-]
PHASES = ("pre", "post")

#: Notebooks with concept checks. [-]
NOTEBOOKS = tuple(range(1, 10))

#: Course values of the worked numbers (teaching assumptions unless a model supplies them).
_FILL_ML, _ALARM_ML = 20.0, 2.0


def _route_equivalence():
    oral_ug = 300_000.0
    doses = routes.equivalent_doses(oral_ug, "oral")
    return {
        "oral_mg": oral_ug / 1000,
        "it_mg": doses["intrathecal"][0] / 1000,
        "epidural_mg": doses["epidural"][0] / 1000,
    }


def _fever_gas_pump():
    fever = 39.0
    return {"fever_degc": fever, "rise_percent": 100 * (mechanisms.gas_flow_factor(fever, 0) - 1)}


def _valve_gated_mri():
    statement = data.lookup("pumps", "valve_gated")["mri"].statement
    # The right option is the one the pump's IFU states: emptying before the scan.
    return {"_right_if": "empty the pump before the scan" in statement}


def _days_to_alarm():
    rate = 0.5
    days = float(pump.days_to_alarm(_FILL_ML, rate, _ALARM_ML))
    return {
        "fill_ml": _FILL_ML,
        "alarm_ml": _ALARM_ML,
        "rate": rate,
        "days": days,
        "hours": days / 24,
        "to_empty": float(pump.days_to_empty(_FILL_ML, rate)),
    }


def _flow_from_dose():
    dose_mg, conc_mg = 3.0, 10.0
    rate = float(pump.flow_rate_ml_per_day(dose_mg * 1000, conc_mg * 1000))
    return {
        "dose_mg": dose_mg,
        "conc_mg": conc_mg,
        "rate": rate,
        "inverted": conc_mg / dose_mg,
        "times": dose_mg * conc_mg,
    }


def _stability_limit():
    rate, stability, margin = 0.2, 90.0, 7.0
    volume_days = float(pump.days_to_alarm(40.0, rate, _ALARM_ML))
    due = float(refill.refill_by_days(40.0, rate, _ALARM_ML, margin, stability))
    return {
        "rate": rate,
        "stability": stability,
        "volume_days": volume_days,
        "due": due,
        "half": float(pump.days_to_empty(20.0, rate)),
    }


def _catheter_case():
    dead_ml, rate = 0.2, 0.1
    return dead_ml, rate, float(catheter.transit_time_days(dead_ml, rate))


def _transit_delay():
    dead_ml, rate, days = _catheter_case()
    return {"dead_ml": dead_ml, "rate": rate, "days": days, "hours": days / 24}


def _transit_faster():
    dead_ml, rate = 0.2, 0.05
    days = float(catheter.transit_time_days(dead_ml, rate))
    return {
        "rate": rate,
        "double": 2 * rate,
        "days": days,
        "half": float(catheter.transit_time_days(dead_ml, 2 * rate)),
        "twice": 2 * days,
    }


def _bridge_dose():
    old_mg, new_mg, rate = 10.0, 20.0, 0.1
    return {
        "old_mg": old_mg,
        "new_mg": new_mg,
        "rate": rate,
        "old_dose": float(pump.daily_dose_ug_per_day(rate, old_mg * 1000)) / 1000,
        "new_dose": float(pump.daily_dose_ug_per_day(rate, new_mg * 1000)) / 1000,
        "_right_if": float(catheter.transit_time_days(0.2, rate)) > 1.0,
    }


def _spread(drug="morphine", factor=1.0):
    return float(
        spine.spread_length_cm(spine.human_dispersion() * factor, spine.clearance_per_day(drug))
    )


def _spread_scaling():
    return {"spread": _spread(), "root": _spread(factor=2.0), "double": 2 * _spread()}


def _lipophilic_spread():
    morphine, fentanyl = _spread("morphine"), _spread("fentanyl")
    ratio = spine.clearance_per_day("fentanyl") / spine.clearance_per_day("morphine")
    return {
        "morphine_cm": morphine,
        "fentanyl_cm": fentanyl,
        "ratio": ratio,
        "further_cm": morphine * np.sqrt(ratio),
    }


def _tip_matters():
    spread, distance = _spread(), 20.0
    return {
        "spread": spread,
        "distance": distance,
        "fraction_percent": 100 * float(np.exp(-distance / spread)),
        "linear_percent": 100 * max(0.0, 1 - distance / spread),
    }


def _flex_units():
    dose, hours = 600.0, 3.0
    return {"dose": dose, "hours": hours, "wrong": dose * hours, "meant": dose * hours / 24}


def _bolus_volume():
    bolus_ug, conc_mg = 100.0, 1.0
    ml = bolus_ug / (conc_mg * 1000)
    return {
        "bolus_ug": bolus_ug,
        "conc_mg": conc_mg,
        "ml": ml,
        "wrong_ml": bolus_ug / conc_mg,
        "other_ml": conc_mg * 1000 / bolus_ug,
    }


def _bolus_daily_total():
    basal, count, bolus = 1000.0, 4.0, 50.0
    return {
        "basal": basal,
        "count": count,
        "bolus": bolus,
        "total": basal + count * bolus,
        "bolus_only": count * bolus,
    }


def _baclofen_step():
    dose = 300.0
    step = titration.next_step(drugs.get_drug("baclofen"), dose, "spinal")
    return {
        "dose": dose,
        "step": step.max_dose_ug_per_day,
        "double": 2 * dose,
        "plus100": dose + 100,
    }


def _ziconotide_days():
    start, target = 2.4, 19.2
    days, _ = titration.schedule(drugs.get_drug("ziconotide"), start, target)
    steps = len(days) - 1
    return {"start": start, "target": target, "days": float(days[-1]), "one": 1, "weeks": 7 * steps}


def _max_dose_units():
    morphine = drugs.get_drug("morphine")
    max_mg = morphine.to_display(morphine.max_dose.model_value)
    conc_mg, rate = 10.0, 2.0
    dose = conc_mg * rate
    within = dose <= max_mg
    return {
        "max_mg": max_mg,
        "conc_mg": conc_mg,
        "rate": rate,
        "dose": dose,
        "half": dose / 2,
        "verdict": "within" if within else "above the maximum",
        "other_verdict": "above the maximum" if within else "within",
    }


def _visits_per_year():
    interval = 60.0
    return {
        "interval": interval,
        "visits": float(refill.visits_per_year(interval)),
        "monthly": 12,
        "wrong": interval / 12,
    }


def _low_rate_refill():
    rate, stability = 0.4, 60.0
    days = float(pump.days_to_alarm(_FILL_ML, rate, _ALARM_ML))
    return {
        "rate": rate,
        "stability": stability,
        "days": days,
        "half_days": float(refill.refill_by_days(_FILL_ML, rate / 2, _ALARM_ML, 0.0, stability)),
        "double": 2 * days,
    }


def _alarm_to_empty():
    rate = 0.5
    days = float(pump.days_to_empty(_ALARM_ML, rate))
    return {"alarm_ml": _ALARM_ML, "rate": rate, "days": days, "hours": days / 24}


def _discrepancy_limit():
    expected, found = 8.0, 6.5
    return {
        "expected": expected,
        "found": found,
        "diff": expected - found,
        "limit": drill.limit_ml(20.0),
        "limit40": drill.limit_ml(40.0),
        "_right_if": abs(found - expected) > drill.limit_ml(20.0),
    }


def _normal_residual_leak():
    leak = drill.reconciliation.reconcile("leak", 20.0, 0.5, 20.0, 14.5)
    return {"_right_if": bool(not leak.flagged and leak.to_csf_ml_per_day.mean() < 0.5)}


def _withdrawal_baclofen():
    syndromes = {d: bool(withdrawal.withdrawal(d, [0.0, 24.0]).progression_h) for d in drugs.DRUGS}
    return {"_right_if": syndromes["baclofen"] and not syndromes["ziconotide"]}


def _rate_for_interval():
    interval = 90.0
    return {
        "interval": interval,
        "rate": float(refill.rate_for_interval_ml_per_day(_FILL_ML, _ALARM_ML, interval)),
        "full": _FILL_ML / interval,
        "hours": (_FILL_ML - _ALARM_ML) / (interval * 24),
    }


def _concentration_for_rate():
    dose_mg, rate = 4.0, 0.2
    conc = float(pump.concentration_for_dose_ug_per_ml(dose_mg * 1000, rate)) / 1000
    return {
        "dose_mg": dose_mg,
        "rate": rate,
        "conc": conc,
        "inverted": rate / dose_mg,
        "times": dose_mg * rate,
    }


def _tradeoff_delay():
    dead_ml, rate = 0.3, 0.1
    days = float(catheter.transit_time_days(dead_ml, rate))
    return {
        "dead_ml": dead_ml,
        "days": days,
        "double": float(catheter.transit_time_days(dead_ml, rate / 2)),
        "half": days / 2,
    }


#: The numbers of each question, by key: a function of nothing returning the values its
#: words format. ``_right_if`` (optional) must be true for the written answer to be right.
NUMBERS = {
    "route_equivalence": _route_equivalence,
    "fever_gas_pump": _fever_gas_pump,
    "valve_gated_mri": _valve_gated_mri,
    "days_to_alarm": _days_to_alarm,
    "flow_from_dose": _flow_from_dose,
    "stability_limit": _stability_limit,
    "transit_delay": _transit_delay,
    "transit_faster": _transit_faster,
    "bridge_dose": _bridge_dose,
    "spread_scaling": _spread_scaling,
    "lipophilic_spread": _lipophilic_spread,
    "tip_matters": _tip_matters,
    "flex_units": _flex_units,
    "bolus_volume": _bolus_volume,
    "bolus_daily_total": _bolus_daily_total,
    "baclofen_step": _baclofen_step,
    "ziconotide_days": _ziconotide_days,
    "max_dose_units": _max_dose_units,
    "visits_per_year": _visits_per_year,
    "low_rate_refill": _low_rate_refill,
    "alarm_to_empty": _alarm_to_empty,
    "discrepancy_limit": _discrepancy_limit,
    "normal_residual_leak": _normal_residual_leak,
    "withdrawal_baclofen": _withdrawal_baclofen,
    "rate_for_interval": _rate_for_interval,
    "concentration_for_rate": _concentration_for_rate,
    "tradeoff_delay": _tradeoff_delay,
}


@dataclass(frozen=True)
class Question:
    """
    One concept check, with its options as the student sees them.

    Parameters
    ----------
    key : str
        The question's key in ``concepts.toml``. [-]
    notebook : int
        The notebook that teaches it (1-9). [-]
    section : str
        The section of that notebook. [-]
    concept : str
        The concept it tests. [-]
    competency : str
        Key of the competency it serves (:func:`competencies`). [-]
    text : str
        The question, with its numbers. [-]
    options : tuple of str
        The options in the order shown. [-]
    misconceptions : tuple of str
        Why each shown option is tempting ("" for the right one). [-]
    answer : int
        Index of the right option in ``options``. [-]
    """

    key: str
    notebook: int
    section: str
    concept: str
    competency: str
    text: str
    options: tuple
    misconceptions: tuple
    answer: int

    def is_right(self, choice):
        """Whether option ``choice`` (an index into :attr:`options`) is the right one."""
        return choice == self.answer


@functools.cache
def _table():
    import tomllib

    return tomllib.loads((data.CONTENT_DIR / "concepts.toml").read_text(encoding="utf-8"))


def competencies():
    """
    The competencies questions, exercises and the drill serve, with their source.

    Returns
    -------
    competencies : dict
        ``{key: description}``; the key ``source`` names where they come from. [-]

    References
    ----------
    .. [1] Chaiban G et al. North American Neuromodulation Society educational curriculum
       for intrathecal drug delivery systems implantation and management.
       Neuromodulation 2023;26(6):1208-1217.
    """
    return dict(_table()["competencies"])


def _order(key, count):
    seed = int.from_bytes(hashlib.sha256(key.encode()).digest()[:8], "little")
    return tuple(int(i) for i in np.random.default_rng(seed).permutation(count))


def question(key):
    """
    One concept check with its numbers computed and its options in the order shown.

    Parameters
    ----------
    key : str
        The question's key (see :func:`questions`). [-]

    Returns
    -------
    question : Question
        [-]

    Raises
    ------
    KeyError
        If there is no such question.

    References
    ----------
    .. [1] Hake RR. Interactive-engagement versus traditional methods. Am J Phys
       1998;66:64-74 (pre/post concept tests).
    """
    table = _table()
    if key not in NUMBERS or key not in table:
        raise KeyError(f"no concept check {key!r}; valid: {sorted(NUMBERS)}")
    words = table[key]
    numbers = NUMBERS[key]()
    options = [option.format(**numbers) for option in words["options"]]
    order = _order(key, len(options))
    return Question(
        key=key,
        notebook=int(words["notebook"]),
        section=words["section"],
        concept=words["concept"],
        competency=words["competency"],
        text=words["question"].format(**numbers),
        options=tuple(options[i] for i in order),
        misconceptions=tuple(words["misconceptions"][i] for i in order),
        answer=order.index(int(words["answer"])),
    )


def questions(notebook=None):
    """
    Every concept check, or those of one notebook, in the order written.

    Parameters
    ----------
    notebook : int, optional
        1-9; all notebooks when omitted. [-]

    Returns
    -------
    questions : tuple of Question
        [-]

    References
    ----------
    .. [1] Chaiban G et al. Neuromodulation 2023;26(6):1208-1217.
    """
    table = _table()
    keys = [
        k
        for k in table
        if k != "competencies" and (notebook is None or table[k]["notebook"] == notebook)
    ]
    # Only the notebook's own questions are computed: a page load pays for three, not 27.
    return tuple(question(k) for k in keys)


def competency_map():
    """
    Which notebooks, concept checks and the drill serve each competency.

    Returns
    -------
    rows : list of (str, str, tuple of int, int, int)
        Per competency: key, description, notebooks whose checks serve it, number of
        checks, number of exercises; the drill serves ``care_troubleshooting`` too. [-]

    References
    ----------
    .. [1] Chaiban G et al. Neuromodulation 2023;26(6):1208-1217.
    """
    import tomllib

    exercises = tomllib.loads((data.CONTENT_DIR / "exercises.toml").read_text(encoding="utf-8"))
    found = {k: v for k, v in competencies().items() if k != "source"}
    rows = []
    for key, words in found.items():
        serving = [q for q in questions() if q.competency == key]
        drills = [k for k, e in exercises.items() if e.get("competency") == key]
        rows.append(
            (key, words, tuple(sorted({q.notebook for q in serving})), len(serving), len(drills))
        )
    return rows
