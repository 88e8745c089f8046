"""Safety rules added by the clinical review: each fires on a dangerous input and not on a safe one.

Also: a safety check never answers "no findings" to input it cannot judge.
"""

import math

import numpy as np
import pytest

from helpers import data, drugs, events, programs, pump, refill, safety, withdrawal
from helpers.safety import Program

MG = 1000.0
PERISTALTIC = pump.get_pump("peristaltic")
MORPHINE = drugs.get_drug("morphine")


def rules(findings):
    return {finding.rule: finding.severity for finding in findings}


# --- Restart after a gap -------------------------------------------------------------------


@pytest.mark.parametrize("key", ["morphine", "hydromorphone", "fentanyl", "sufentanil"])
def test_restart_at_the_old_opioid_dose_after_the_tolerance_window_is_danger(key):
    window = drugs.get_drug(key).tolerance_loss.value
    found = rules(safety.restart_findings(key, window + 1.0, 100.0))
    assert found["restart_full_dose_after_gap"] == "danger"


@pytest.mark.parametrize("key", ["morphine", "hydromorphone", "fentanyl", "sufentanil"])
def test_reduced_restart_after_the_window_is_not_danger(key):
    window = drugs.get_drug(key).tolerance_loss.value
    limit = data.lookup("practice", "restart_after_gap_max").value
    found = rules(safety.restart_findings(key, window + 1.0, limit))
    assert "restart_full_dose_after_gap" not in found
    assert found["restart_reduced_after_gap"] == "info"


def test_full_restart_within_the_tolerance_window_is_not_danger():
    window = MORPHINE.tolerance_loss.value
    found = rules(safety.restart_findings("morphine", window - 0.5, 100.0))
    assert "restart_full_dose_after_gap" not in found


def test_restart_danger_message_says_why_and_what_to_do():
    (danger,) = [
        f for f in safety.restart_findings("morphine", 7.0) if f.rule.startswith("restart_full")
    ]
    assert "tolerance" in danger.message and "respiratory depression" in danger.message
    assert "reduced dose" in danger.message and "monitor" in danger.message
    assert danger.source.startswith("Teaching assumption")


def test_baclofen_gap_is_danger_for_withdrawal():
    found = rules(safety.restart_findings("baclofen", 1.0, 100.0))
    assert found["withdrawal_risk"] == "danger"


def test_baclofen_restart_at_the_old_dose_follows_the_label_not_the_opioid_rule():
    """Lioresal Intrathecal: restore at or near the dose before the interruption."""
    found = safety.restart_findings("baclofen", 7.0, 100.0)
    assert "restart_full_dose_after_gap" not in {f.rule for f in found}
    (labelled,) = [f for f in found if f.rule == "restart_as_labelled"]
    assert labelled.severity == "info" and "at or near the dose" in labelled.message


def test_ziconotide_gap_has_no_withdrawal_danger():
    found = rules(safety.restart_findings("ziconotide", 10.0, 100.0))
    assert found.get("withdrawal_risk") == "info"
    assert "restart_full_dose_after_gap" not in found


def test_gap_shorter_than_the_models_withdrawal_onset_gives_no_withdrawal_finding():
    onset_h = withdrawal.withdrawal("baclofen", [0.0]).likely_from_h
    assert safety.interruption_findings("baclofen", 0.5 * onset_h) == ()
    assert rules(safety.interruption_findings("baclofen", 2.0 * onset_h)) == {
        "withdrawal_risk": "danger"
    }


# --- Bridge bolus --------------------------------------------------------------------------


def test_bridge_at_the_old_rate_is_safe():
    old, new, dose, volume = 10 * MG, 20 * MG, 3 * MG, 0.43
    assert safety.bridge_findings("morphine", old, new, dose, volume, dose / old) == ()


def test_fast_bridge_is_danger_with_mass_and_time():
    old, new, dose, volume = 10 * MG, 20 * MG, 3 * MG, 0.43
    (finding,) = safety.bridge_findings("morphine", old, new, dose, volume, 10.0)
    assert finding.severity == "danger" and finding.rule == "bridge_faster_than_prescription"
    # The line's old drug C0 V = 4.3 mg within V / Qb = 62 min.
    assert "4.3 mg" in finding.message and "62 min" in finding.message


def test_bridge_just_above_the_old_rate_within_rounding_is_safe():
    old, dose = 10 * MG, 3 * MG
    assert safety.bridge_findings("morphine", old, old, dose, 0.43, 1.02 * dose / old) == ()


def test_no_bridge_with_a_weaker_new_solution_warns_of_overdose():
    found = rules(safety.bridge_findings("morphine", 20 * MG, 10 * MG, 3 * MG, 0.43, 0.0))
    assert found == {"no_bridge_overdose": "caution"}


def test_priming_bolus_warns_of_mixing_and_monitoring():
    (finding,) = safety.priming_findings(24.0, 0.5)
    assert finding.rule == "priming_mixing" and "8 h" in finding.message
    assert safety.priming_findings(0.5, 0.5) == ()


# --- MRI -----------------------------------------------------------------------------------


def test_mri_with_an_unemptied_valve_gated_pump_is_danger():
    found = safety.mri_findings(
        "valve_gated",
        "morphine",
        2.0,
        emptied=False,
        residual_ml=10.0,
        concentration_ug_per_ml=10 * MG,
        dose_ug_per_day=3 * MG,
    )
    danger = [f for f in found if f.rule == "mri_valve_gated_not_emptied"]
    assert danger and danger[0].severity == "danger"
    assert "100 mg" in danger[0].message and "IFU" in danger[0].source


def test_mri_with_an_emptied_valve_gated_pump_is_not_danger():
    found = rules(safety.mri_findings("valve_gated", "morphine", 2.0, emptied=True))
    assert "mri_valve_gated_not_emptied" not in found


def test_mri_with_a_peristaltic_pump_never_discharges():
    found = rules(
        safety.mri_findings("peristaltic", "morphine", 2.0, emptied=False, residual_ml=10)
    )
    assert "mri_valve_gated_not_emptied" not in found


@pytest.mark.parametrize(
    ("key", "severity"),
    [("baclofen", "danger"), ("clonidine", "danger"), ("morphine", "caution")],
)
def test_long_mri_stop_raises_withdrawal_by_drug(key, severity):
    found = rules(safety.mri_findings("peristaltic", key, 25.0))
    assert found["withdrawal_risk"] == severity


def test_valve_gated_mri_model_discharges_the_reservoir_at_once():
    base = programs.continuous(3 * MG, 10 * MG, 2.0)
    full = events.mri_valve_gated(base, 8.0, 1.0, 2.0, emptied=False, residual_ml=10.0)
    emptied = events.mri_valve_gated(base, 8.0, 1.0, 2.0, emptied=True, residual_ml=10.0)
    extra = full.volume_ml()[-1] - emptied.volume_ml()[-1]
    assert extra == pytest.approx(10.0, rel=1e-12)
    stopped_h = np.count_nonzero(emptied.rate_ml_per_day == 0) * programs.STEP_DAYS * 24
    assert stopped_h == pytest.approx(3.0, abs=1 / 60)


# --- Sedatives -----------------------------------------------------------------------------


def test_benzodiazepine_with_an_intrathecal_opioid_is_danger():
    (finding,) = safety.sedative_findings(["morphine"], "benzodiazepine")
    assert finding.severity == "danger" and "naloxone" in finding.message


def test_sedative_without_an_opioid_in_the_pump_gives_nothing():
    assert safety.sedative_findings(["baclofen"], "benzodiazepine") == ()
    assert safety.sedative_findings(["morphine"], "none") == ()


# --- Moved from the panels -----------------------------------------------------------------


def test_fever_rule_fires_above_the_threshold_only_when_flow_rose():
    threshold = data.lookup("programs", "fever_threshold").value
    assert rules(safety.fever_findings(threshold + 1, 0.1)) == {"fever_changes_flow": "caution"}
    assert safety.fever_findings(threshold - 0.5, 0.1) == ()
    assert safety.fever_findings(threshold + 1, 0.0) == ()


def test_daily_cap_trial_and_empty_reservoir_rules():
    assert rules(safety.daily_cap_findings(3)) == {"daily_cap_reached": "caution"}
    assert safety.daily_cap_findings(0) == ()
    assert rules(safety.trial_findings(30.0)) == {"trial_not_positive": "info"}
    assert safety.trial_findings(60.0) == ()
    assert rules(safety.empty_reservoir_findings("baclofen", 1)) == {
        "reservoir_ran_empty": "danger"
    }
    assert safety.empty_reservoir_findings("baclofen", 0) == ()


# --- Input a check cannot judge ------------------------------------------------------------

BAD_NUMBERS = [math.nan, math.inf, -1.0, "abc", None, [1.0, 2.0]]


@pytest.mark.parametrize("bad", [math.nan, -1.0, 0.0])
def test_program_with_a_bad_concentration_is_refused(bad):
    with pytest.raises(ValueError, match=r"concentrations_ug_per_ml\['morphine'\]"):
        Program("peristaltic", 0.3, {"morphine": bad})


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_check_refill_program_refuses_a_bad_dose(bad):
    plan = refill.plan_refill(3 * MG, 10 * MG, 20.0, 2.0, 14.5, 90.0, 3.0)
    with pytest.raises(ValueError, match="dose_ug_per_day"):
        safety.check_refill_program(MORPHINE, PERISTALTIC, bad, 10 * MG, 20.0, 20.0, 2.0, plan)


def test_check_refill_program_refuses_a_negative_reservoir():
    plan = refill.plan_refill(3 * MG, 10 * MG, 20.0, 2.0, 14.5, 90.0, 3.0)
    with pytest.raises(ValueError, match="reservoir_ml"):
        safety.check_refill_program(MORPHINE, PERISTALTIC, 3 * MG, 10 * MG, 20.0, -1.0, 2.0, plan)


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_drug_limit_findings_refuses_a_bad_concentration(bad):
    with pytest.raises(ValueError, match="concentration_ug_per_ml"):
        safety.drug_limit_findings(MORPHINE, bad, 3 * MG)


@pytest.mark.parametrize("bad", BAD_NUMBERS)
def test_rate_findings_refuses_a_bad_rate(bad):
    with pytest.raises(ValueError, match="rate_ml_per_day"):
        safety.rate_findings(PERISTALTIC, bad)


def test_check_change_refuses_a_bad_reservoir_concentration():
    program = Program("peristaltic", 0.3, {"morphine": 10 * MG})
    with pytest.raises(ValueError, match="reservoir_ug_per_ml"):
        safety.check_change(program, program, reservoir_ug_per_ml={"morphine": math.nan})
    with pytest.raises(ValueError, match="reservoir_ug_per_ml"):
        safety.check_change(program, program, reservoir_ug_per_ml={"morphine": 0.0})


def test_delivery_findings_refuses_a_nan_delivery():
    delivery = programs.Delivery(np.full(1440, math.nan), 10 * MG)
    with pytest.raises(ValueError, match=r"delivery\.rate_ml_per_day"):
        safety.delivery_findings(MORPHINE, PERISTALTIC, delivery, 3 * MG)


def test_a_number_where_an_object_belongs_is_a_type_error_naming_it():
    with pytest.raises(TypeError, match="drug"):
        safety.drug_limit_findings(3.0, 10 * MG, 3 * MG)
    with pytest.raises(TypeError, match="program"):
        safety.check_program(0.3)


@pytest.mark.parametrize(
    ("call", "name"),
    [
        (lambda: safety.restart_findings("morphine", math.nan), "gap_days"),
        (lambda: safety.restart_findings("morphine", 5.0, -10.0), "restart_percent"),
        (lambda: safety.bridge_findings("morphine", 1e4, 2e4, 3e3, 0.43, math.nan), "bridge_rate"),
        (lambda: safety.bridge_findings("morphine", 0.0, 2e4, 3e3, 0.43, 0.3), "old_ug_per_ml"),
        (lambda: safety.mri_findings("valve_gated", "morphine", -1.0), "stopped_h"),
        (
            lambda: safety.mri_findings(
                "valve_gated", "morphine", 1.0, emptied=False, residual_ml=5
            ),
            "concentration_ug_per_ml",
        ),
        (lambda: safety.sedative_findings(["morphine"], "alcohol"), "sedative"),
        (lambda: safety.interruption_findings("baclofen", math.inf), "gap_h"),
    ],
)
def test_new_rules_refuse_input_they_cannot_judge(call, name):
    with pytest.raises(ValueError, match=name):
        call()


def test_no_safety_rule_is_written_inside_a_panel():
    """Findings are made in helpers.safety only: no panel constructs a Finding itself."""
    from pathlib import Path

    panels = Path(safety.__file__).parent / "panels"
    for path in panels.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        assert "Finding(" not in text, path.name


# --- rostral spread of opioids to the head (INFUMORPH label) ----------------------------


def test_rostral_spread_caution_for_morphine_reaching_the_head():
    findings = safety.rostral_spread_findings("morphine", 23.0)
    assert [f.rule for f in findings] == ["rostral_spread_to_head"]
    assert findings[0].severity == "caution"
    assert "respiratory depression" in findings[0].message
    assert "INFUMORPH" in findings[0].source


def test_rostral_spread_quiet_below_the_share_and_for_non_opioids():
    limit = data.lookup("practice", "rostral_spread_head_share").model_value
    assert safety.rostral_spread_findings("morphine", 0.5 * limit) == ()
    assert safety.rostral_spread_findings("baclofen", 90.0) == ()
    assert safety.rostral_spread_findings("fentanyl", limit) != ()


def test_rostral_spread_bad_input_names_the_parameter():
    with pytest.raises(ValueError, match="head_percent"):
        safety.rostral_spread_findings("morphine", -1.0)
