"""One generated bad-input test over every public model function.

Every public function of the model modules is found by introspection and called first
with valid arguments (from one table keyed by parameter name), then with each argument in
turn replaced by a bad value: NaN, infinity, -1, 0, 1e12, text, None, a list and an array
holding a NaN. Each call must either raise a ValueError, TypeError or KeyError whose
message names the argument, or return a result without NaN (some of those values are
allowed: zero days, no optional argument). Nothing may pass silently and no error may
name the wrong argument or come from deep inside numpy.
"""

import dataclasses
import datetime
import importlib
import inspect
import math
from functools import cache

import numpy as np
import pytest

MODULES = (
    "pump",
    "refill",
    "catheter",
    "schedule",
    "spine",
    "programs",
    "boluses",
    "mechanisms",
    "events",
    "cohort",
    "titration",
    "withdrawal",
    "drugs",
    "routes",
    "reconciliation",
    "safety",
    "units",
)

BAD_VALUES = {
    "nan": math.nan,
    "inf": math.inf,
    "minus_one": -1.0,
    "zero": 0.0,
    "huge": 1e12,
    "text": "abc",
    "none": None,
    "list": [1.0, 2.0],
    "nan_array": np.array([1.0, math.nan]),
}


@cache
def m(name):
    return importlib.import_module(f"helpers.{name}")


def delivery():
    return m("programs").continuous(3000.0, 10_000.0, 1.0)


def bolus():
    return m("boluses").PatientBolus(dose_ug=100.0, duration_min=10, lockout_min=60, max_per_day=6)


def morphine():
    return m("drugs").get_drug("morphine")


def baclofen():
    return m("drugs").get_drug("baclofen")


def peristaltic():
    return m("pump").get_pump("peristaltic")


def line_result():
    return m("catheter").concentration_change(
        10_000.0, 20_000.0, 3000.0, 0.3, np.linspace(0, 5, 51)
    )


def profile():
    spine = m("spine")
    return spine.steady_state("T10", 3000.0, 8000.0, 0.5)


def program(rate=0.3):
    return m("safety").Program("peristaltic", rate, {"morphine": 10_000.0})


#: One valid example per parameter name, shared by every function that takes it.
EXAMPLES = {
    "dose_ug_per_day": lambda: 3000.0,
    "concentration_ug_per_ml": lambda: 10_000.0,
    "rate_ml_per_day": lambda: 0.3,
    "time_days": lambda: 10.0,
    "fill_volume_ml": lambda: 20.0,
    "alarm_volume_ml": lambda: 2.0,
    "margin_days": lambda: 3.0,
    "stability_days": lambda: 90.0,
    "accuracy_percent": lambda: 14.5,
    "start_date": lambda: datetime.date(2026, 1, 1),
    "interval_days": lambda: 60.0,
    "months": lambda: 12.0,
    "first_interval_days": lambda: None,
    "visit_days": lambda: [14.0, 44.0],
    "pump_model": peristaltic,
    "supplied_length_cm": lambda: 110.0,
    "trimmed_length_cm": lambda: 10.0,
    "implanted_length_cm": lambda: 100.0,
    "volume_per_length_ml_per_cm": lambda: 0.0026,
    "pump_path_volume_ml": lambda: 0.2,
    "dead_volume_ml": lambda: 0.3,
    "diffusivity_cm2_per_day": lambda: 0.5,
    "initial_ug_per_ml": lambda: 0.0,
    "dispersion_factor": lambda: 1.0,
    "cells": lambda: 100,
    "old_ug_per_ml": lambda: 10_000.0,
    "new_ug_per_ml": lambda: 20_000.0,
    "bridge_rate_ml_per_day": lambda: 0.3,
    "prime_rate_ml_per_day": lambda: 24.0,
    "prime_volume_ml": lambda: None,
    "result": line_result,
    "fraction": lambda: 0.5,
    "empty_days": lambda: 2.0,
    "gap_days": lambda: 2.0,
    "restart_percent": lambda: 50.0,
    "flow_ml_per_day": lambda: 0.5,
    "area_cm2": lambda: 2.0,
    "mixing_days": lambda: None,
    "drug_key": lambda: "morphine",
    "dispersion_cm2_per_day": lambda: 8000.0,
    "clearance_per_day": lambda: 0.5,
    "tip": lambda: "T10",
    "source_ug_per_day": lambda: 3000.0,
    "geometry": lambda: None,
    "spread_cm": lambda: None,
    "mixing_cm2_per_day": lambda: None,
    "boluses_per_day": lambda: 4,
    "bolus_volume_ml": lambda: 0.5,
    "bolus_share": lambda: 0.5,
    "bolus_minutes": lambda: 10.0,
    "hours": lambda: 6.0,
    "profile": profile,
    "days": lambda: 1.0,
    "name": lambda: "value",
    "steps": lambda: [(0.0, 300.0), (22.0, 600.0)],
    "delivery": delivery,
    "base": delivery,
    "start_minutes": lambda: [0, 600],
    "dose_ug": lambda: 100.0,
    "duration_min": lambda: 10,
    "wrap": lambda: False,
    "value": lambda: 4,
    "bolus_dose_ug": lambda: 100.0,
    "first_h": lambda: 0.0,
    "block_min": lambda: 10,
    "presses_per_day": lambda: 4.0,
    "day_share": lambda: 0.7,
    "seed": lambda: 1,
    "press_days": lambda: [0.1, 0.5],
    "bolus": bolus,
    "presses": lambda: m("boluses").apply_rules(m("boluses").demand(1.0, 4.0, 0.7, 1), bolus()),
    "threshold_ml": lambda: 2.0,
    "with_demand": delivery,
    "stroke_volume_ml": lambda: 0.002,
    "body_temperature_degc": lambda: 37.0,
    "altitude_m": lambda: 0.0,
    "temperature_sensitivity_percent": lambda: 12.0,
    "altitude_sensitivity_percent": lambda: 10.0,
    "peak_degc": lambda: 39.5,
    "start_h": lambda: 8.0,
    "duration_h": lambda: 6.0,
    "cabin_altitude_m": lambda: 2000.0,
    "scan_h": lambda: 1.0,
    "restart_delay_h": lambda: 2.0,
    "reset_delay_h": lambda: 2.0,
    "emptied": lambda: True,
    "residual_ml": lambda: 0.0,
    "settings": lambda: m("cohort").Settings(),
    "patients": lambda: 5,
    "progress": lambda: None,
    "cohort": lambda: m("cohort").simulate_cohort(m("cohort").Settings(), 5, 1),
    "drug": morphine,
    "origin": lambda: "spinal",
    "start_ug_per_day": lambda: 100.0,
    "target_ug_per_day": lambda: 300.0,
    "max_steps": lambda: 200,
    "route": lambda: "oral",
    "scenario": lambda: "normal",
    "previous_residual_ml": lambda: 2.0,
    "points": lambda: 50,
    "findings": lambda: [],
    "reservoir_ml": lambda: 40.0,
    "plan": lambda: m("refill").plan_refill(3000.0, 10_000.0, 20.0, 2.0, 14.5, 90.0, 3.0),
    "stability": lambda: None,
    "program": program,
    "old": program,
    "new": lambda: program(0.6),
    "reservoir_ug_per_ml": lambda: None,
    "prescribed_ug_per_day": lambda: 3000.0,
    "gap_h": lambda: 12.0,
    "cause": lambda: "delivery stopped",
    "stopped_h": lambda: 3.0,
    "drug_keys": lambda: ["morphine"],
    "sedative": lambda: "benzodiazepine",
    "extra_fraction": lambda: 0.1,
    "refused_presses": lambda: 2,
    "relief_percent": lambda: 60.0,
    "episodes": lambda: 0,
    "flagged": lambda: False,
    "reason": lambda: "volume lower than expected",
    "head_percent": lambda: 5.0,
    "distance_cm": lambda: 5.0,
    "spread_length_cm": lambda: 10.0,
    "mass_ug": lambda: 100.0,
    "unit": lambda: "mg",
    "mass": lambda: 1.0,
    "mass_unit": lambda: "mg",
    "rate_ul_per_h": lambda: 12.5,
    "time_h": lambda: 6.0,
    "time_min": lambda: 30.0,
    "start_days": lambda: [0.0, 7.0],
    "segments": lambda: [(1.0, 0.5, 1000.0), (2.0, 0.25, 2000.0)],
    "description": lambda: "",
    "lockout_min": lambda: 60,
    "max_per_day": lambda: 6,
    "pump_key": lambda: "peristaltic",
    "concentrations_ug_per_ml": lambda: {"morphine": 10_000.0},
    "doses_ug_per_day": lambda: [100.0, 200.0],
}

#: Where a function needs another example than the shared one.
OVERRIDES = {
    "units.read_number": {"text": lambda: "1,440 ug/day"},
    "units.typed_unit": {"text": lambda: "mg/day"},
    "catheter.get_catheter": {"key": lambda: "peristaltic"},
    "pump.get_pump": {"key": lambda: "peristaltic"},
    "drugs.get_drug": {"key": lambda: "morphine"},
    "spine.reach_cm": {"geometry": lambda: m("spine").canal()},
    "catheter.transport": {
        "program": lambda: m("schedule").Schedule.from_segments([(1.0, 0.5, 1000.0)]),
        "time_days": lambda: np.linspace(0.0, 2.0, 21),
    },
    "catheter.concentration_change": {"time_days": lambda: np.linspace(0.0, 5.0, 21)},
    "catheter.priming": {"time_days": lambda: np.linspace(0.0, 2.0, 21)},
    "catheter.restart_after_empty": {"time_days": lambda: np.linspace(0.0, 8.0, 21)},
    "spine.simulate": {
        "time_days": lambda: np.linspace(0.0, 1.0, 11),
        "source_ug_per_day": lambda: 3000.0,
        "initial_ug_per_ml": lambda: None,
    },
    "spine.periodic_boluses": {"time_days": lambda: np.linspace(0.0, 1.0, 25)},
    "spine.bernards_2006": {"mixing_days": lambda: 0.01, "hours": lambda: 6.0},
    "spine.calibrate_human_dtpa": {"dispersion_cm2_per_day": lambda: 8000.0},
    "spine.lumbar_cisternal_ratio": {"rate_ml_per_day": lambda: None},
    "programs.minute_of_day": {"hours": lambda: 8.0, "name": lambda: "hours"},
    "programs.grid_steps": {"days": lambda: 1.0},
    "programs.checked_count": {"value": lambda: 4},
    "programs.whole_minutes": {"duration_min": lambda: 10, "name": lambda: "duration_min"},
    "boluses.demand": {"days": lambda: 2.0},
    "boluses.refill_estimate": {"fill_volume_ml": lambda: 20.0},
    "cohort.cost_at": {"days": lambda: [0.0, 365.0]},
    "titration.next_step": {"dose_ug_per_day": lambda: 100.0, "drug": lambda: baclofen()},
    "titration.schedule": {"drug": lambda: baclofen()},
    "withdrawal.withdrawal": {"hours": lambda: np.arange(0.0, 25.0)},
    "reconciliation.reconcile": {"days": lambda: 60.0},
    "safety.check_refill_program": {"fill_volume_ml": lambda: 20.0},
    "units.to_model_unit": {"value": lambda: 1.0},
    "mechanisms.valve_gated": {"days": lambda: 1.0},
    "refill.tradeoff": {"concentration_ug_per_ml": lambda: [10_000.0, 20_000.0]},
    "mechanisms.gas_driven": {"rate_ml_per_day": lambda: 0.5},
    "events.fever": {"days": lambda: 2.0},
    "events.flight": {"days": lambda: 2.0},
}

#: Results that mark what never happens (events, impossible rates) with NaN, as documented.
NAN_MEANS_NEVER = {"cohort.patient", "cohort.simulate_cohort", "refill.tradeoff"}

#: Parameters that are not data: ``**kw`` and the error-message name of a helper.
SKIP_PARAMETERS = {"kw", "name"}


def public_functions():
    """Public functions, cached ones too, the ``from_*`` constructors and validating classes."""
    for module_name in MODULES:
        module = importlib.import_module(f"helpers.{module_name}")
        for name, obj in vars(module).items():
            if name.startswith("_") or getattr(obj, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(inspect.unwrap(obj)) if callable(obj) else False:
                if not inspect.isclass(obj):
                    yield f"{module_name}.{name}", obj
            if inspect.isclass(obj):
                if hasattr(obj, "__post_init__"):
                    yield f"{module_name}.{name}", obj
                for attr, member in vars(obj).items():
                    if attr.startswith("from_") and isinstance(member, classmethod):
                        yield f"{module_name}.{name}.{attr}", getattr(obj, attr)


FUNCTIONS = dict(public_functions())


def valid_kwargs(key, function):
    table = {**EXAMPLES, **OVERRIDES.get(key, {})}
    kwargs = {}
    for name, parameter in inspect.signature(function).parameters.items():
        if parameter.kind is parameter.VAR_KEYWORD:
            continue
        if name in table:
            kwargs[name] = table[name]()
        elif parameter.default is parameter.empty:
            raise AssertionError(f"{key}: no example for required parameter {name!r}")
    return kwargs


def has_nan(result, depth=0):
    """Whether a result holds a NaN anywhere (arrays, numbers, tuples, dataclasses)."""
    if depth > 4:
        return False
    if isinstance(result, float):
        return math.isnan(result)
    if isinstance(result, np.ndarray) and result.dtype.kind == "f":
        return bool(np.isnan(result).any())
    if isinstance(result, (list, tuple)):
        return any(has_nan(item, depth + 1) for item in result)
    if isinstance(result, dict):
        return any(has_nan(item, depth + 1) for item in result.values())
    if dataclasses.is_dataclass(result) and not isinstance(result, type):
        return any(
            has_nan(getattr(result, field.name), depth + 1) for field in dataclasses.fields(result)
        )
    return False


CASES = [
    pytest.param(key, parameter, bad, id=f"{key}-{parameter}={bad}")
    for key, function in FUNCTIONS.items()
    for parameter in inspect.signature(function).parameters
    if parameter not in SKIP_PARAMETERS
    for bad in BAD_VALUES
]


def test_every_model_module_is_fuzzed():
    assert len(FUNCTIONS) >= 100
    assert {key.split(".")[0] for key in FUNCTIONS} == set(MODULES)


@pytest.mark.parametrize("key", sorted(FUNCTIONS))
def test_valid_examples_are_accepted(key):
    result = FUNCTIONS[key](**valid_kwargs(key, FUNCTIONS[key]))
    assert key in NAN_MEANS_NEVER or not has_nan(result), f"{key} returns NaN for valid input"


@pytest.mark.parametrize(("key", "parameter", "bad"), CASES)
def test_bad_input_is_refused_naming_the_argument_or_gives_a_clean_result(key, parameter, bad):
    function = FUNCTIONS[key]
    kwargs = valid_kwargs(key, function)
    kwargs[parameter] = BAD_VALUES[bad]
    try:
        result = function(**kwargs)
    except (ValueError, TypeError, KeyError) as error:
        message = str(error)
        assert parameter in message, f"{type(error).__name__} does not name {parameter}: {message}"
        return
    if key not in NAN_MEANS_NEVER:
        assert not has_nan(result), f"{key}({parameter}={bad}) returned NaN without a word"
