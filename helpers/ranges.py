"""Allowed ranges of every model input and of the controls that set them, declared once.

Model functions check their inputs against these ranges (:meth:`helpers.validation.Range.check`);
panels build their sliders from the same objects, so a slider can never offer a value the
model rejects. Each range names its unit and where its bounds come from."""

from __future__ import annotations

from types import MappingProxyType

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


DIFFUSIVITY = Range(
    "diffusivity_cm2_per_day",
    0.0,
    100.0,
    "cm2/day",
    "teaching choice: far above a small drug's diffusivity (catheters.drug_diffusivity, 0.43)",
    low_inclusive=False,
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

#: The ranges of the panels' sliders, keyed ``"<panel>.<control>"``. Each lies inside the
#: model range of the input it sets (:meth:`Range.within` checks that at import), so a
#: slider can never offer a value the model rejects; the panels build their sliders from
#: these and from the drug-dependent ranges of :mod:`helpers.panels.controls`.
CONTROLS = MappingProxyType(
    {
        "Bolus.boluses_per_day": PER_DAY.within(
            0, 8, "teaching choice: none to one every three hours"
        ),
        "Bolus.bolus_share": SHARE.within(
            0.1, 1.0, "teaching choice: a tenth to all of the daily dose"
        ),
        "Bolus.bolus_volume_ml": VOLUME.within(0.05, 2.0, "teaching choice: 50 uL to 2 mL"),
        "Rostral.hour": CLOCK.within(0.0, 24.0, "one day after the bolus"),
        "Explorer.catheter_length_cm": LENGTH.within(
            20.0, 110.0, "teaching choice: a short lumbar catheter to the longest supplied"
        ),
        "Explorer.boluses_per_day": PER_DAY.within(
            0, 8, "teaching choice: none to one every three hours"
        ),
        "Incident.time_h": HOURS.within(
            0.0, 1200.0, "the longest case window, 50 days; each case narrows it to its own"
        ),
        "Journey.trimmed_length_cm": LENGTH.within(
            0.0, 50.0, "teaching choice: up to half of a supplied catheter"
        ),
        "Journey.pump_path_volume_ml": PATH_VOLUME.within(
            0.0, 0.5, "teaching choice: up to 2.5 times the 0.2 mL pump path"
        ),
        "Journey.rate_ul_per_h": RATE.within(
            1.0,
            1000.0,
            "teaching choice: 1 to 1,000 uL/h (0.024 to 24 mL/day)",
            unit="uL/h",
            scale=0.024,
        ),
        "Journey.time_h": HOURS.within(0.0, 240.0, "teaching choice: ten days after the change"),
        "Years.years": YEARS.within(
            1, 12, "teaching choice: one year to a pump's service life and more"
        ),
        "Policy.titration_start": TITRATION_START.within(
            30.0, 100.0, "teaching choice: starts from 30 % of the planned dose"
        ),
        "Policy.escalation": ESCALATION.within(0.0, 30.0, "teaching choice: none to 30 % a year"),
        "Policy.margin_days": MARGIN.within(0.0, 14.0, "teaching choice: up to two weeks early"),
        "Policy.late_percent": CHANCE.within(
            0.0, 30.0, "teaching choice: up to one visit in three late"
        ),
        "Policy.seed": Range(
            "seed", 1, 50, "-", "teaching choice: fifty different patients to compare"
        ),
        "Cohort.patients": PATIENTS.within(
            100, 2000, "teaching choice: a clinic's patients; fast enough to redraw"
        ),
        "Trial.baseline": Range(
            "baseline", 1.0, 10.0, "-", "the 0-10 numeric rating scale of pain; 0 cannot improve"
        ),
        "Trial.after": Range("after", 0.0, 10.0, "-", "the 0-10 numeric rating scale of pain"),
        "Admixture.rate_ml_per_day": RATE.within(
            0.032, 3.2, "teaching choice: 0.03 to 3 mL/day, around the usual 0.25-0.5 mL/day"
        ),
        "ProgramReview.rate_ml_per_day": RATE.within(
            0.01, 32.0, "teaching choice: 0.01 to 30 mL/day, wide enough to show a tenfold slip"
        ),
        "Priming.dispersion_factor": LINE_DISPERSION.within(
            0.1, 1000.0, "teaching choice: a tenth to a thousand times the Taylor-Aris mixing"
        ),
        "Priming.prime_rate_ml_per_day": RATE.within(
            2.0, 50.0, "teaching choice: 2 to 50 mL/day, a priming bolus's rates"
        ),
        "Priming.rate_ml_per_day": RATE.within(
            0.05, 2.0, "teaching choice: 0.05 to 2 mL/day, maintenance rates"
        ),
        "Priming.dead_volume_ml": LINE_VOLUME.within(
            0.1, 1.0, "teaching choice: 0.1 to 1 mL, short and long lines"
        ),
        "ProgramDesigner.night_start_h": CLOCK.within(0.0, 23.5, "the day in half hours"),
        "ProgramDesigner.night_hours": WINDOW.within(
            0.0, 12.0, "teaching choice: up to half a day"
        ),
        "ProgramDesigner.night_percent": Range(
            "night_percent", 0.0, 300.0, "%", "teaching choice: off to three times the day rate"
        ),
        "ProgramDesigner.boluses_per_day": PER_DAY.within(
            0, 8, "teaching choice: none to one every three hours"
        ),
        "ProgramDesigner.bolus_percent": PERCENT.within(
            0.0, 80.0, "teaching choice: up to 80 % of the dose as boluses"
        ),
        "ProgramDesigner.bolus_minutes": DURATION.within(
            1, 60, "teaching choice: one minute to one hour"
        ),
        "PatientBolus.bolus_percent": PERCENT.within(
            1.0, 30.0, "teaching choice: 1 to 30 % of the daily dose a bolus"
        ),
        "PatientBolus.lockout_min": LOCKOUT.within(
            10, 480, "teaching choice: ten minutes to eight hours"
        ),
        "PatientBolus.max_per_day": PER_DAY.within(0, 12, "teaching choice: none to twelve a day"),
        "PatientBolus.presses_per_day": PRESSES.within(
            0.0, 15.0, "teaching choice: up to 15 presses a day on average"
        ),
        "PatientBolus.seed": Range(
            "seed", 1, 50, "-", "teaching choice: fifty different patients to compare"
        ),
        "Mechanism.rate_ml_per_day": RATE.within(0.05, 5.0, "teaching choice: 0.05 to 5 mL/day"),
        "Mechanism.stroke_ul": STROKE.within(
            0.5, 20.0, "teaching choice: 0.5 to 20 uL a stroke", unit="uL", scale=0.001
        ),
        "Events.peak_degc": TEMPERATURE.within(37.0, 41.0, "teaching choice: normal to high fever"),
        "Events.fever_hours": WINDOW.within(1.0, 24.0, "teaching choice: one hour to a day"),
        "Events.flight_hours": WINDOW.within(
            1.0, 16.0, "teaching choice: a short hop to a long-haul flight"
        ),
        "Events.temperature_sensitivity": SENSITIVITY.within(
            0.0, 20.0, "teaching choice: up to 20 %/degC"
        ),
        "Events.altitude_sensitivity": SENSITIVITY.within(
            0.0, 30.0, "teaching choice: up to 30 %/km"
        ),
        "Events.residual_ml": VOLUME.within(
            1.0, 20.0, "teaching choice: 1 mL to half a 40 mL reservoir"
        ),
        "RefillExplorer.fill_volume_ml": VOLUME.within(
            1.0, 40.0, "teaching choice: 1 mL to the largest reservoir, 40 mL"
        ),
        "RefillExplorer.alarm_volume_ml": VOLUME.within(
            0.0, 10.0, "teaching choice: up to 10 mL; pumps alarm at 2 mL or set it"
        ),
        "RefillChange.dead_volume_ml": LINE_VOLUME.within(
            0.05, 1.0, "teaching choice: 0.05 to 1 mL, short and long lines"
        ),
        "RefillChange.bridge_rate_ml_per_day": BRIDGE_RATE.within(
            0.032, 32.0, "teaching choice: 0.03 to 30 mL/day"
        ),
        "ReservoirCheck.fill_volume_ml": VOLUME.within(
            5.0, 40.0, "teaching choice: 5 mL to the largest reservoir, 40 mL"
        ),
        "ReservoirCheck.rate_ml_per_day": RATE.within(
            0.05, 1.0, "teaching choice: 0.05 to 1 mL/day"
        ),
        "ReservoirCheck.days": TIME.within(1.0, 120.0, "teaching choice: a day to four months"),
        "Restart.gap_days": GAP_DAYS.within(
            0.5, 14.0, "teaching choice: half a day to two weeks without drug"
        ),
        "Restart.restart_percent": RESTART_PERCENT.within(
            10.0, 100.0, "teaching choice: 10 % to the whole old dose"
        ),
        "Body.pump_height": Range(
            "pump_height",
            0.2,
            0.45,
            "-",
            "drawing coordinate: where the pump sits on the body outline",
        ),
        "Route.dose_mg": DOSE.within(
            0.1,
            1000.0,
            "teaching choice: 0.1 to 1,000 mg/day, oral to intrathecal",
            unit="mg/day",
            scale=1000,
        ),
        "Pathway.refill_months": MONTHS.within(
            1.5, 6.0, "teaching choice: six weeks to six months"
        ),
        "WarmUp.dose": DOSE.within(
            0.5, 10.0, "teaching choice: 0.5 to 10 mg/day of morphine", unit="mg/day", scale=1000
        ),
        "WarmUp.concentration": CONCENTRATION.within(
            1.0, 20.0, "teaching choice: 1 to 20 mg/mL of morphine", unit="mg/mL", scale=1000
        ),
        "CSF.dispersion_cm2_per_day": CSF_DISPERSION.within(
            *data.lookup("spine", "dispersion_range").model_value,
            "spine.dispersion_range: from the pig's 78 cm2/day to well above the human band",
        ),
        "Events.cabin_altitude_m": ALTITUDE.within(
            0.0,
            data.lookup("programs", "cabin_altitude_max").model_value,
            "programs.cabin_altitude_max: sea level to the highest cabin altitude allowed",
        ),
        "Events.restart_delay_h": WINDOW.within(
            0.0,
            data.lookup("programs", "mri_restart_delay").value[1],  # [h], as reported
            "programs.mri_restart_delay: no delay to the longest reported",
        ),
        "Pathway.life_years": YEARS.within(
            *data.lookup("outcomes", "service_life").model_value,
            "outcomes.service_life: the battery's reported service life",
        ),
    }
)


def control(key):
    """
    The declared range of one slider.

    Parameters
    ----------
    key : str
        ``"<panel>.<control>"``, e.g. ``"RefillExplorer.fill_volume_ml"``. [-]

    Returns
    -------
    rng : helpers.validation.Range
        The slider's bounds, unit and source. [unit]

    Raises
    ------
    KeyError
        If no slider has that key; the message lists the keys.

    References
    ----------
    .. [1] scikit-learn developers, "Developer's guide: parameter validation"
       (``_parameter_constraints``: constraints declared once, checked in one place).
    """
    try:
        return CONTROLS[key]
    except KeyError:
        raise KeyError(f"no slider range {key!r}; declared: {sorted(CONTROLS)}") from None
