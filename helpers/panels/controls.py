"""Control ranges and choices derived from the data files, shared by the panels.

Slider bounds come from each drug's sourced figures (usual dose, maximum concentration
and dose, strengths) and from the models' allowed ranges, so a slider never offers a
value the model rejects and always reaches past the drug's limits far enough for the
warnings to be seen.
"""

from __future__ import annotations

import math

from helpers import data, drugs, pump, ranges
from helpers.ranges import CONCENTRATION, DOSE

#: A typical rate in the middle of the often-recommended 0.25-0.5 mL/day. [mL/day]
TYPICAL_RATE_ML_PER_DAY = sum(data.lookup("practice", "recommended_rate").model_value) / 2


def drug_options():
    """Dropdown options ``(label, key)`` for every drug, in course order."""
    return [(drugs.get_drug(key).name, key) for key in drugs.DRUGS]


def pump_options():
    """Dropdown options ``(label, "pump:reservoir")`` for every pump and reservoir size."""
    options = []
    for key in pump.PUMPS:
        model = pump.get_pump(key)
        for volume in model.reservoir_volumes_ml:
            options.append((f"{model.name.split(' (')[0]}, {volume:g} mL", f"{key}:{volume:g}"))
    return options


def programmable_pump_options():
    """:func:`pump_options` without the fixed-rate pump: no boluses, no programs."""
    return [
        (label, key) for label, key in pump_options() if not parse_pump_choice(key)[0].is_fixed_rate
    ]


def parse_pump_choice(choice):
    """Split a ``"pump:reservoir"`` choice into the :class:`PumpModel` and the size in mL."""
    key, volume = choice.split(":")
    return pump.get_pump(key), float(volume)


def _round_sig(value, digits=2):
    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def concentration_range(drug):
    """
    Concentration slider bounds and default for a drug, in its display unit.

    Returns
    -------
    low, high, default : float
        From 1/100 of the highest concentration to 1.5 times it; the default puts the
        middle of the usual dose at a typical rate. [mass_unit/mL]
    """
    highest = drug.to_display(drug.highest_concentration_ug_per_ml)
    low, high = highest / 100.0, highest * 1.5
    dose = dose_range(drug)[2]
    default = min(max(dose / TYPICAL_RATE_ML_PER_DAY, low), highest)
    return low, high, _round_sig(default)


def dose_range(drug):
    """
    Daily-dose slider bounds and default for a drug, in its display unit.

    Returns
    -------
    low, high, default : float
        From 1/10 of the lowest maintenance dose (or the lowest starting dose, if lower) to
        twice the maximum (or the highest maintenance) dose; the default is the geometric
        middle of the maintenance range. [mass_unit/day]
    """
    usual_low, usual_high = (drug.to_display(v) for v in drug.usual_dose.model_value)
    low = usual_low / 10.0
    if drug.starting_dose is not None:
        low = min(low, drug.to_display(drug.starting_dose.model_value[0]))
    top = drug.to_display(drug.max_dose_ug_per_day) if drug.max_dose is not None else usual_high
    high = min(2.0 * top, drug.to_display(ranges.DOSE.high))
    return low, high, _round_sig(math.sqrt(usual_low * usual_high))


def concentration_control(drug):
    """
    The declared range of a drug's concentration slider, in its display unit.

    Returns
    -------
    rng : helpers.validation.Range
        :func:`concentration_range`'s bounds, checked inside the model's
        ``ranges.CONCENTRATION``. [mass_unit/mL]
    """
    low, high, _ = concentration_range(drug)
    return CONCENTRATION.within(
        low,
        high,
        f"drugs.{drug.key}: 1/100 to 1.5 times the highest concentration",
        unit=f"{drug.mass_unit}/mL",
        scale=drug.from_display(1.0),
    )


def dose_control(drug, capped=False):
    """
    The declared range of a drug's daily-dose slider, in its display unit.

    With ``capped``, the top is the drug's maximum daily dose where it has one (a
    titration cannot plan beyond it).

    Returns
    -------
    rng : helpers.validation.Range
        :func:`dose_range`'s bounds, checked inside the model's ``ranges.DOSE``.
        [mass_unit/day]
    """
    low, high, _ = dose_range(drug)
    source = f"drugs.{drug.key}: a tenth of the lowest usual dose to twice the maximum"
    if capped and drug.max_dose is not None:
        high = min(high, drug.to_display(drug.max_dose_ug_per_day))
        source = f"drugs.{drug.key}: a tenth of the lowest usual dose to the maximum"
    return DOSE.within(
        low,
        high,
        source,
        unit=drug.dose_unit,
        scale=drug.from_display(1.0),
    )
