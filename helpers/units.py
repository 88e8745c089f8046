"""Unit conversions: the only module in the collection that converts units.

Every quantity elsewhere carries its unit in its name (``rate_ml_per_day``,
``dose_ug_per_day``, ``concentration_ug_per_ml``). Models compute in micrograms,
millilitres and days; notebooks and panels show each drug in its own mass unit
(mg for morphine, ug for baclofen) and convert through the functions here.
"""

from __future__ import annotations

import re

import numpy as np

from helpers.validation import FINITE, NUMBERS, TEXT, arguments

#: Micrograms in one unit of each mass unit accepted by the collection.
UG_PER_MASS_UNIT = {"ug": 1.0, "mg": 1_000.0, "g": 1_000_000.0}

#: Microlitres in one millilitre.
UL_PER_ML = 1_000.0

#: Hours in one day.
HOURS_PER_DAY = 24.0

#: Minutes in one hour.
MINUTES_PER_HOUR = 60.0

#: Mean days per month, 365.25 / 12, used to turn calendar months into days.
DAYS_PER_MONTH = 365.25 / 12.0

#: Days per year used for "visits per year".
DAYS_PER_YEAR = 365.25

#: Every unit string that may stand in a data file, mapped to the unit models use.
GLOSSARY = {
    "mL": "mL",
    "uL": "mL",
    "mL/day": "mL/day",
    "uL/h": "mL/day",
    "ug": "ug",
    "year": "year",
    "USD/day": "USD/day",
    "mg": "ug",
    "ug/day": "ug/day",
    "mg/day": "ug/day",
    "ug/mL": "ug/mL",
    "mg/mL": "ug/mL",
    "day": "day",
    "h": "day",
    "min": "day",
    "%": "%",
    "cm": "cm",
    "mL/cm": "mL/cm",
    "cm2/s": "cm2/day",
    "cm2/day": "cm2/day",
    "cm2": "cm2",
    "%/h": "1/day",
    "-": "-",
    "m": "m",
    "degC": "degC",
    "%/degC": "%/degC",
    "%/km": "%/km",
    "USD": "USD",
    "%/year": "1/day",
}

_TO_MODEL = {
    "uL": 1.0 / UL_PER_ML,
    "uL/h": HOURS_PER_DAY / UL_PER_ML,
    "mg": UG_PER_MASS_UNIT["mg"],
    "mg/day": UG_PER_MASS_UNIT["mg"],
    "mg/mL": UG_PER_MASS_UNIT["mg"],
    "h": 1.0 / HOURS_PER_DAY,
    "min": 1.0 / (HOURS_PER_DAY * MINUTES_PER_HOUR),
    "cm2/s": HOURS_PER_DAY * MINUTES_PER_HOUR * 60.0,
    "%/h": HOURS_PER_DAY / 100.0,
    "%/year": 1.0 / (100.0 * DAYS_PER_YEAR),
}


@arguments(value=NUMBERS, unit=TEXT)
def to_model_unit(value, unit):
    """
    Convert a value from a data-file unit to the unit the models use.

    Parameters
    ----------
    value : numeric
        The value in ``unit``. [unit]
    unit : str
        A unit from :data:`GLOSSARY`, e.g. ``"mg/mL"`` or ``"h"``. [-]

    Returns
    -------
    converted : numeric
        The value in ``GLOSSARY[unit]``. [model unit]

    Raises
    ------
    KeyError
        If ``unit`` is not in the glossary.

    References
    ----------
    .. [1] BIPM, "The International System of Units (SI)," 9th ed., 2019.

    Examples
    --------
    >>> to_model_unit(2.0, "h")
    0.08333333333333333
    """
    if unit not in GLOSSARY:
        raise KeyError(f"unit {unit!r} is not in the glossary; known units: {sorted(GLOSSARY)}")
    factor = _TO_MODEL.get(unit, 1.0)
    if not np.all(np.isfinite(np.asarray(value, dtype=float))):
        raise ValueError(f"value = {value!r:.40} {unit} is not a finite number")
    return np.asarray(value, dtype=float) * factor if np.ndim(value) else float(value) * factor


@arguments(rate_ml_per_day=FINITE)
def ml_per_day_to_ul_per_h(rate_ml_per_day):
    """
    Convert a flow rate from millilitres per day to microlitres per hour.

    Parameters
    ----------
    rate_ml_per_day : numeric
        Flow rate. [mL/day]

    Returns
    -------
    rate_ul_per_h : numeric
        The same flow rate. [uL/h]

    References
    ----------
    .. [1] BIPM, "The International System of Units (SI)," 9th ed., 2019.

    Examples
    --------
    >>> ml_per_day_to_ul_per_h(0.48)
    20.0
    """
    return rate_ml_per_day * UL_PER_ML / HOURS_PER_DAY


@arguments(rate_ul_per_h=FINITE)
def ul_per_h_to_ml_per_day(rate_ul_per_h):
    """
    Convert a flow rate from microlitres per hour to millilitres per day.

    Parameters
    ----------
    rate_ul_per_h : numeric
        Flow rate. [uL/h]

    Returns
    -------
    rate_ml_per_day : numeric
        The same flow rate. [mL/day]

    References
    ----------
    .. [1] BIPM, "The International System of Units (SI)," 9th ed., 2019.

    Examples
    --------
    >>> ul_per_h_to_ml_per_day(20.0)
    0.48
    """
    return rate_ul_per_h * HOURS_PER_DAY / UL_PER_ML


@arguments(mass=FINITE, mass_unit=TEXT)
def mass_to_ug(mass, mass_unit):
    """
    Convert a mass (or a mass per day, or per mL) from ``mass_unit`` to micrograms.

    Parameters
    ----------
    mass : numeric
        Mass in ``mass_unit``; the same factor applies to mass per day and per mL. [mass_unit]
    mass_unit : {'ug', 'mg', 'g'}
        The unit of ``mass``. [-]

    Returns
    -------
    mass_ug : numeric
        The same mass. [ug]

    Raises
    ------
    KeyError
        If ``mass_unit`` is not one of the accepted units.

    References
    ----------
    .. [1] BIPM, "The International System of Units (SI)," 9th ed., 2019.

    Examples
    --------
    >>> mass_to_ug(0.25, "mg")
    250.0
    """
    return mass * _mass_factor(mass_unit)


@arguments(mass_ug=FINITE, mass_unit=TEXT)
def ug_to_mass(mass_ug, mass_unit):
    """
    Convert a mass (or a mass per day, or per mL) from micrograms to ``mass_unit``.

    Parameters
    ----------
    mass_ug : numeric
        Mass; the same factor applies to mass per day and per mL. [ug]
    mass_unit : {'ug', 'mg', 'g'}
        The unit to convert to. [-]

    Returns
    -------
    mass : numeric
        The same mass. [mass_unit]

    Raises
    ------
    KeyError
        If ``mass_unit`` is not one of the accepted units.

    References
    ----------
    .. [1] BIPM, "The International System of Units (SI)," 9th ed., 2019.

    Examples
    --------
    >>> ug_to_mass(250.0, "mg")
    0.25
    """
    return mass_ug / _mass_factor(mass_unit)


def _mass_factor(mass_unit):
    try:
        return UG_PER_MASS_UNIT[mass_unit]
    except KeyError:
        raise KeyError(
            f"mass_unit: mass unit {mass_unit!r} is unknown; use one of {sorted(UG_PER_MASS_UNIT)}"
        ) from None


@arguments(time_days=FINITE)
def days_to_hours(time_days):
    """
    Convert a duration from days to hours.

    Parameters
    ----------
    time_days : numeric
        Duration. [day]

    Returns
    -------
    time_h : numeric
        The same duration. [h]

    References
    ----------
    .. [1] BIPM, "The International System of Units (SI)," 9th ed., 2019.

    Examples
    --------
    >>> days_to_hours(0.5)
    12.0
    """
    return time_days * HOURS_PER_DAY


@arguments(time_h=FINITE)
def hours_to_days(time_h):
    """
    Convert a duration from hours to days.

    Parameters
    ----------
    time_h : numeric
        Duration. [h]

    Returns
    -------
    time_days : numeric
        The same duration. [day]

    References
    ----------
    .. [1] BIPM, "The International System of Units (SI)," 9th ed., 2019.

    Examples
    --------
    >>> hours_to_days(12.0)
    0.5
    """
    return time_h / HOURS_PER_DAY


@arguments(time_min=FINITE)
def minutes_to_days(time_min):
    """
    Convert a duration from minutes to days.

    Parameters
    ----------
    time_min : numeric
        Duration. [min]

    Returns
    -------
    time_days : numeric
        The same duration. [day]

    References
    ----------
    .. [1] BIPM, "The International System of Units (SI)," 9th ed., 2019.

    Examples
    --------
    >>> minutes_to_days(720.0)
    0.5
    """
    return time_min / (MINUTES_PER_HOUR * HOURS_PER_DAY)


# What people type -----------------------------------------------------------------------

#: Spellings of units a student may type, to (dimension, factor to the dimension's base).
#: Bases: day, ug, mL, cm; "count" for plain numbers (times, %). [-]
_TYPED_UNITS = {
    **dict.fromkeys(("min", "mins", "minute", "minutes"), ("time", 1.0 / 1440.0)),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), ("time", 1.0 / HOURS_PER_DAY)),
    **dict.fromkeys(("d", "day", "days"), ("time", 1.0)),
    **dict.fromkeys(("wk", "week", "weeks"), ("time", 7.0)),
    **dict.fromkeys(("mo", "month", "months"), ("time", DAYS_PER_MONTH)),
    **dict.fromkeys(("y", "yr", "yrs", "year", "years"), ("time", DAYS_PER_YEAR)),
    **dict.fromkeys(("ug", "µg", "μg", "mcg", "microgram", "micrograms"), ("mass", 1.0)),
    **dict.fromkeys(("mg", "milligram", "milligrams"), ("mass", 1_000.0)),
    **dict.fromkeys(("g", "gram", "grams"), ("mass", 1_000_000.0)),
    **dict.fromkeys(
        ("ul", "µl", "μl", "microlitre", "microliter", "microlitres"), ("volume", 1e-3)
    ),
    **dict.fromkeys(("ml", "cc", "millilitre", "milliliter", "millilitres"), ("volume", 1.0)),
    **dict.fromkeys(("l", "litre", "liter", "litres", "liters"), ("volume", 1_000.0)),
    **dict.fromkeys(("mm",), ("length", 0.1)),
    **dict.fromkeys(("cm",), ("length", 1.0)),
    **dict.fromkeys(("%", "percent", "per cent"), ("share", 1.0)),
    **dict.fromkeys(("times", "x", "×", "fold", "-fold"), ("count", 1.0)),
}

#: How each spelling is written back to a student. [-]
_SHOWN = {"ug": "µg", "ul": "µL", "ml": "mL", "l": "L", "h": "h", "d": "day"}

_PER = re.compile(r"\s*(?:/|\bper\b|\ban?\b|\beach\b)\s*", re.I)


@arguments(unit=TEXT)
def pretty_unit(unit):
    """
    Text as the course prints it for people: ug as µg, uL as µL, cm2 as cm², degC as °C.

    Parameters
    ----------
    unit : str
        An ASCII unit as used in code (``"ug/day"``, ``"uL/h"``, ``"cm2/day"``), or any
        text holding such units ("3 ug/day +- 10 %"); words such as "drug" are left alone. [-]

    Returns
    -------
    text : str
        The same text with the course's typography (µg, µL/h, cm², °C, ±). [-]

    References
    ----------
    .. [1] BIPM, "The International System of Units (SI)," 9th ed., 2019, section 5.
    """
    text = re.sub(r"\bug\b", "µg", unit)
    text = re.sub(r"\buL\b", "µL", text)
    text = re.sub(r"\bcm2\b", "cm²", text)
    text = re.sub(r"\bdegC\b", "°C", text)
    return text.replace("+-", "±")


@arguments(text=TEXT)
def typed_unit(text):
    """
    The dimension and scale of a unit as a student may type it (``"hours"``, ``"ug/h"``).

    Parameters
    ----------
    text : str
        A unit: a name from the table, or ``numerator/denominator`` with "/" or "per". [-]

    Returns
    -------
    unit : tuple of (str, float) or None
        ``(dimension, factor)`` with dimension such as ``"time"`` or ``"mass/time"`` and the
        factor to the base units (day, µg, mL, cm); ``None`` if the unit is not known. [-]

    References
    ----------
    .. [1] ISMP, "List of error-prone abbreviations, symbols and dose designations" (mcg
       for µg).
    """
    text = text.strip().lower().rstrip(".")
    if text in ("daily", "a day", "/day", "per day"):
        return ("1/time", 1.0)
    parts = [p for p in _PER.split(text, maxsplit=1) if p]
    if len(parts) == 1 and text in _TYPED_UNITS:
        return _TYPED_UNITS[text]
    if len(parts) == 2 and parts[0] in _TYPED_UNITS and parts[1] in _TYPED_UNITS:
        (top, top_factor), (bottom, bottom_factor) = _TYPED_UNITS[parts[0]], _TYPED_UNITS[parts[1]]
        return (f"{top}/{bottom}", top_factor / bottom_factor)
    return None


_NUMBER_TEXT = re.compile(r"[-+]?(?:\d[\d,.\u00a0\u202f ']*\d|\d)(?:[eE][-+]?\d+)?|[-+]?[.,]\d+")


@arguments(text=TEXT)
def read_number(text):
    """
    The first number in a student's answer, read as the course writes numbers.

    Parameters
    ----------
    text : str
        What the student typed: ``"1,440"``, ``"1 440"``, ``"0,43"``, ``"2.5 days"``. [-]

    Returns
    -------
    value : float or None
        The number, or ``None`` if there is none. [-]
    rest : str
        The text after the number (the unit, if any). [-]
    comma_reading : float or None
        For ``1,440`` (a comma before exactly three digits), the decimal-comma reading
        (1.44) that the course's thousands reading (1440) set aside; else ``None``. [-]

    Notes
    -----
    Commas before groups of three digits are thousands separators, as the course writes
    them (1,440 µg/day); any other single comma is a decimal comma (0,43 and 2,5); a dot is
    a decimal point; spaces between digit groups are thousands separators (1 440).

    References
    ----------
    .. [1] BIPM, "The International System of Units (SI)," 9th ed., 2019, section 5.4.4
       (digit grouping and the decimal marker).
    """
    match = _NUMBER_TEXT.search(text)
    if match is None:
        return None, text, None
    token, rest = match.group(0).strip(), text[match.end() :]
    mantissa, _, exponent = token.partition("e") if "e" in token else token.partition("E")
    body = re.sub(r"[\u00a0\u202f ']", "", mantissa)
    comma_reading = None
    if "," in body and "." in body:
        if body.rindex(",") < body.rindex("."):  # 1,440.5
            body = body.replace(",", "")
        else:  # 1.440,5
            body = body.replace(".", "").replace(",", ".")
    elif body.count(",") >= 1:
        if re.fullmatch(r"[-+]?[1-9]\d{0,2}(,\d{3})+", body):
            if body.count(",") == 1:
                comma_reading = float(body.replace(",", "."))
            body = body.replace(",", "")
        elif body.count(",") == 1:
            body = body.replace(",", ".")
        else:
            return None, text, None
    if body.count(".") > 1:
        return None, text, None
    value = float(body + (f"e{exponent}" if exponent else ""))
    return value, rest, comma_reading
