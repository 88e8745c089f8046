"""Allowed ranges of every model input and of the controls that set them, declared once.

Model functions check their inputs against these ranges (:meth:`helpers.validation.Range.check`);
panels build their sliders from the same objects, so a slider can never offer a value the
model rejects. Each range names its unit and where its bounds come from."""

from __future__ import annotations

from helpers import data
from helpers.validation import Range

RATE = Range(
    "rate_ml_per_day",
    0.0,
    data.lookup("physiology", "csf_production").model_value,
    "mL/day",
    "physiology.csf_production: no infusion can sensibly exceed the CSF the body makes",
    low_inclusive=False,
)


DOSE = Range(
    "dose_ug_per_day",
    0.0,
    1.0e6,
    "ug/day",
    "teaching choice: 1 g/day, far above any intrathecal dose",
    low_inclusive=False,
)


CONCENTRATION = Range(
    "concentration_ug_per_ml",
    0.0,
    1.0e5,
    "ug/mL",
    "teaching choice: 100 mg/mL, above any intrathecal solution",
    low_inclusive=False,
)


VOLUME = Range("volume_ml", 0.0, 60.0, "mL", "teaching choice: 1.5 times the largest reservoir")


TIME = Range("time_days", 0.0, 3650.0, "day", "teaching choice: ten years")


INTERVAL = Range("interval_days", 1.0, 3650.0, "day", "teaching choice: one day to ten years")


MARGIN = Range("margin_days", 0.0, 60.0, "day", "teaching choice: up to two months early")


ACCURACY = Range("accuracy_percent", 0.0, 50.0, "%", "teaching choice: twice any specification")


MONTHS = Range("months", 1.0, 120.0, "month", "teaching choice: up to ten years")


LENGTH = Range("length_cm", 0.0, 200.0, "cm", "teaching choice: longer than any supplied catheter")


VOLUME_PER_LENGTH = Range(
    "volume_per_length_ml_per_cm",
    0.0,
    0.05,
    "mL/cm",
    "teaching choice: 20 times the 2.6 uL/cm catheter",
    low_inclusive=False,
)


PATH_VOLUME = Range("pump_path_volume_ml", 0.0, 2.0, "mL", "teaching choice: 10 times 0.2 mL")


LINE_RATE = Range(
    "rate_ml_per_day",
    0.0,
    data.lookup("physiology", "csf_production").model_value,
    "mL/day",
    "physiology.csf_production; zero means the line is stopped (occlusion, empty reservoir)",
)


LINE_DISPERSION = Range(
    "dispersion_factor",
    0.0,
    1000.0,
    "-",
    "teaching choice: 0 is plug flow, 1 is Taylor-Aris dispersion, more is extra mixing",
)


RESTART = Range(
    "restart_percent", 0.0, 200.0, "%", "teaching choice: up to twice the old rate", False
)


CELLS = Range("cells", 10.0, 2000.0, "-", "teaching choice: numerical resolution of the line")


CSF_DISPERSION = Range(
    "dispersion_cm2_per_day",
    0.0,
    1.0e6,
    "cm2/day",
    "teaching choice: far beyond the published range",
    low_inclusive=False,
)


CLEARANCE = Range(
    "clearance_per_day",
    0.0,
    1.0e4,
    "1/day",
    "teaching choice: half-lives down to seconds",
    low_inclusive=False,
)


CELL = Range("dx_cm", 0.05, 2.0, "cm", "teaching choice: resolution of the canal")


STEP = Range(
    "dt_days", 0.0, 1.0, "day", "teaching choice: up to one day per step", low_inclusive=False
)


MIXING_TIME = Range("mixing_days", 0.0, 10.0, "day", "teaching choice: far beyond the fitted value")


MIXING = Range(
    "mixing_cm2_per_day", 0.0, 1.0e6, "cm2/day", "teaching choice: far beyond the fitted range"
)


BOLUS_MINUTES = Range(
    "bolus_minutes", 0.1, 240.0, "min", "teaching choice: a bolus of seconds to four hours"
)


SOURCE = Range(
    "source_ug_per_day", 0.0, 1.0e9, "ug/day", "teaching choice: a whole refill in about a minute"
)


DAYS = Range(
    "days", 1.0 / 24.0, 60.0, "day", "teaching choice: one hour to two months at one-minute steps"
)


CLOCK = Range("start_h", 0.0, 24.0, "h", "clock time within a day")


STEP_DOSE = Range(
    "dose_ug_per_day",
    0.0,
    1.0e6,
    "ug/day",
    "teaching choice: a step may stop delivery, up to 1 g/day",
)


BOLUS_DOSE = Range("dose_ug", 0.0, 1.0e5, "ug", "teaching choice: up to 100 mg in one bolus")


DURATION = Range("duration_min", 1.0, 240.0, "min", "teaching choice: one minute to four hours")


LOCKOUT = Range("lockout_min", 1.0, 1440.0, "min", "teaching choice: one minute to one day")


PER_DAY = Range("max_per_day", 0.0, 48.0, "-", "teaching choice: up to two an hour")


PRESSES = Range("presses_per_day", 0.0, 50.0, "-", "teaching choice: up to 50 presses a day")


SHARE = Range("day_share", 0.0, 1.0, "-", "a share of the presses")


STROKE = Range("stroke_volume_ml", 1.0e-4, 0.05, "mL", "teaching choice: 0.1 to 50 uL")


TEMPERATURE = Range(
    "body_temperature_degc", 34.0, 42.0, "degC", "teaching choice: hypothermia to high fever"
)


ALTITUDE = Range("altitude_m", 0.0, 5000.0, "m", "teaching choice: sea level to 5 km")


WINDOW = Range("duration_h", 0.0, 72.0, "h", "teaching choice: up to three days")


SENSITIVITY = Range(
    "sensitivity_percent", 0.0, 50.0, "%/degC or %/km", "teaching choice: assumed sensitivity"
)


YEARS = Range("years", 0.1, 20.0, "year", "teaching choice: up to twenty years")


PATIENTS = Range("patients", 1.0, 100_000.0, "-", "teaching choice: up to 100,000 patients")


ESCALATION = Range(
    "escalation_percent_per_year",
    0.0,
    500.0,
    "%/year",
    "teaching choice: up to six-fold a year (cancer pain, journey.morphine_escalation)",
)


CHANCE = Range("late_visit_percent", 0.0, 100.0, "%", "a probability")


TITRATION_START = Range(
    "titration_start_percent",
    10.0,
    100.0,
    "%",
    "teaching choice: from a tenth of the planned dose to all of it",
)


HOURS = Range("hours", 0.0, 24.0 * 365.0, "h", "teaching choice: up to a year")


#: Reservoir sizes a check accepts. [mL]
RESERVOIR = Range(
    "reservoir_ml", 0.0, 60.0, "mL", "teaching choice: 1.5 times the largest reservoir", False
)


#: Hours without delivery a check accepts. [h]
GAP_HOURS = Range("gap_h", 0.0, 24.0 * 365.0, "h", "teaching choice: up to a year")


#: Days without delivery a check accepts. [day]
GAP_DAYS = Range("gap_days", 0.0, 365.0, "day", "teaching choice: up to a year")


#: A restart dose as a share of the dose before the gap. [%]
RESTART_PERCENT = Range(
    "restart_percent", 0.0, 200.0, "%", "teaching choice: up to twice the old dose"
)


#: A bridge bolus rate; 0 means no bridge. [mL/day]
BRIDGE_RATE = Range(
    "bridge_rate_ml_per_day",
    0.0,
    RATE.high,
    "mL/day",
    "physiology.csf_production: no bolus can sensibly exceed the CSF the body makes",
)


#: A delivered daily dose; zero for a pump that delivered nothing. [ug/day]
DELIVERED = Range(
    "dose_ug_per_day",
    0.0,
    RATE.high * CONCENTRATION.high,
    "ug/day",
    "the highest rate times the highest concentration a program accepts",
)


#: Flow in one step of a delivery; zero while the pump is stopped. [mL/day]
DELIVERY_RATE = Range("rate_ml_per_day", 0.0, 1.0e5, "mL/day", "teaching choice: any bolus")


#: Line (dead) volume between reservoir and tip. [mL]
LINE_VOLUME = Range("dead_volume_ml", 0.0, 5.0, "mL", "teaching choice: ten times any real line")


#: Body temperature a check accepts. [degC]
FEVER = Range("peak_degc", 30.0, 45.0, "degC", "teaching choice: the range of body temperature")


#: Extra delivered volume as a fraction; -1 is a stopped pump. [-]
EXTRA = Range("extra_fraction", -1.0, 100.0, "-", "teaching choice: from none to 100 times")


#: A count of presses or events. [-]
PRESS_COUNT = Range("count", 0.0, 1.0e6, "-", "teaching choice: any count")


#: A percentage. [%]
PERCENT = Range("percent", 0.0, 100.0, "%", "a percentage")


#: Distance along the spine. [cm]
DISTANCE = Range("distance_cm", 0.0, 100.0, "cm", "teaching choice: longer than any spine")


#: Spread length of a CSF profile. [cm]
SPREAD_LENGTH = Range(
    "spread_length_cm", 0.0, 1000.0, "cm", "teaching choice: any profile", low_inclusive=False
)


POINTS = Range("points", 2.0, 100_000.0, "-", "teaching choice: resolution of the time series")
