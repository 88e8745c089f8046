import math
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import drugs, pump, refill, safety
from helpers.safety import Program, check_change, check_program

MG = 1000.0  # ug per mg

SERIOUS = {"danger", "caution"}


def rules(findings, severity=None):
    return {f.rule for f in findings if severity is None or f.severity == severity}


def serious(findings):
    return [f for f in findings if f.severity in SERIOUS]


def finding(findings, rule):
    (match,) = [f for f in findings if f.rule == rule]
    return match


def prog(rate, fill=20.0, pump_key="peristaltic", **concentrations):
    return Program(pump_key, rate, concentrations, fill)


def change(old_rate, new_rate, origin="spinal", reservoir=None, **concentrations):
    return check_change(
        prog(old_rate, **concentrations),
        prog(new_rate, **concentrations),
        origin=origin,
        reservoir_ug_per_ml=reservoir,
    )


# --- check_program: one triggering and one quiet case per rule ---------------------------


def test_rate_below_pump_minimum_fires():
    # Ziconotide 100 ug/mL at 1 ug/day needs 0.01 mL/day; the pump's minimum is 0.048.
    findings = check_program(prog(0.01, ziconotide=100.0))
    hit = finding(findings, "rate_below_pump_minimum")
    assert hit.severity == "danger"
    assert "0.048" in hit.message


def test_rate_at_pump_minimum_is_quiet():
    minimum = pump.get_pump("peristaltic").min_rate_ml_per_day
    findings = check_program(prog(minimum, fill=3.0, ziconotide=25.0))
    assert "rate_below_pump_minimum" not in rules(findings)


def test_rate_above_pump_maximum_fires():
    findings = check_program(prog(30.0, baclofen=50.0))
    hit = finding(findings, "rate_above_pump_maximum")
    assert hit.severity == "danger"
    assert "24" in hit.message


def test_rate_at_pump_maximum_is_quiet():
    maximum = pump.get_pump("peristaltic").max_rate_ml_per_day
    findings = check_program(prog(maximum, baclofen=50.0))
    assert "rate_above_pump_maximum" not in rules(findings)


def test_concentration_above_maximum_fires():
    findings = check_program(prog(0.2, morphine=30 * MG))
    hit = finding(findings, "concentration_above_maximum")
    assert hit.severity == "danger"
    assert "20 mg/mL" in hit.message


def test_concentration_at_maximum_is_quiet():
    findings = check_program(prog(0.2, morphine=20 * MG))
    assert "concentration_above_maximum" not in rules(findings)


def test_dose_above_maximum_fires():
    # 10 mg/mL at 1.8 mL/day = 18 mg/day: above the 15 mg/day maximum, below the caution 20.
    findings = check_program(prog(1.8, morphine=10 * MG))
    assert finding(findings, "dose_above_maximum").severity == "danger"
    assert "dose_above_caution_threshold" not in rules(findings)


def test_dose_at_maximum_is_quiet():
    findings = check_program(prog(1.5, morphine=10 * MG))
    assert "dose_above_maximum" not in rules(findings)


def test_morphine_above_caution_threshold_also_exceeds_maximum():
    # 21 mg/day is above the label's 20 mg/day caution and the 15 mg/day maximum.
    findings = check_program(prog(2.1, morphine=10 * MG))
    assert finding(findings, "dose_above_caution_threshold").severity == "caution"
    assert finding(findings, "dose_above_maximum").severity == "danger"


def test_dose_below_caution_threshold_is_quiet():
    findings = check_program(prog(0.5, morphine=10 * MG))
    assert "dose_above_caution_threshold" not in rules(findings)


def test_interval_beyond_stability_fires():
    # Baclofen 2000 ug/mL at 0.05 mL/day in a 40 mL pump: 760 days to the alarm, 180 stable.
    findings = check_program(prog(0.05, fill=40.0, baclofen=2000.0))
    hit = finding(findings, "interval_beyond_stability")
    assert hit.severity == "caution"
    assert "180" in hit.message


def test_interval_within_stability_is_quiet():
    # 38 mL at 0.25 mL/day: 152 days to the alarm, refill 3 days earlier, within 180.
    findings = check_program(prog(0.25, fill=40.0, baclofen=2000.0))
    assert "interval_beyond_stability" not in rules(findings)


def test_admixture_stability_follows_least_stable_drug():
    # Morphine alone is stable 90 days; with ziconotide (40 days) the same fill is too long.
    alone = check_program(prog(0.3, morphine=10 * MG))
    mixed = check_program(prog(0.3, morphine=10 * MG, ziconotide=25.0))
    assert "interval_beyond_stability" not in rules(alone)
    assert "ziconotide" in finding(mixed, "interval_beyond_stability").message


def test_admixture_checks_each_drug():
    findings = check_program(prog(0.5, morphine=10 * MG, bupivacaine=30 * MG, clonidine=1500.0))
    messages = " ".join(f.message for f in findings)
    # Bupivacaine 15 mg/day > 10; clonidine 1500 ug/mL > 1000 (and 750 ug/day > 600).
    dose = [f for f in findings if f.rule == "dose_above_maximum"]
    assert any("bupivacaine" in f.message for f in dose)
    assert any("clonidine" in f.message for f in dose)
    (concentration,) = [f for f in findings if f.rule == "concentration_above_maximum"]
    assert "clonidine" in concentration.message
    assert "15 mg/day" in messages
    # Morphine itself (10 mg/mL, 5 mg/day) is within its limits.
    assert not any("morphine" in f.message for f in findings)


def test_admixture_within_limits_is_quiet():
    findings = check_program(prog(0.5, morphine=10 * MG, bupivacaine=8 * MG, clonidine=200.0))
    assert serious(findings) == []


# --- check_change: unit traps, titration, concentration mismatch ------------------------


@pytest.mark.parametrize(
    "factor, word",
    [(24.0, "up"), (1 / 24.0, "down"), (1000.0, "up"), (1 / 1000.0, "down")],
    ids=["up_24x", "down_24x", "up_1000x", "down_1000x"],
)
def test_unit_trap_fires(factor, word):
    findings = change(0.5, 0.5 * factor, fentanyl=200.0)
    hit = finding(findings, "unit_trap")
    assert hit.severity == "danger"
    assert f"goes {word}" in hit.message
    assert f"{max(factor, 1 / factor):.0f}-fold" in hit.message


@pytest.mark.parametrize("factor", [1.0, 2.0, 0.5, 20.0, 1 / 20.0, 500.0])
def test_unit_trap_quiet_for_other_ratios(factor):
    findings = change(0.5, 0.5 * factor, fentanyl=200.0)
    assert "unit_trap" not in rules(findings)


def test_baclofen_spinal_plus_30_percent_allowed():
    # 500 ug/mL: 0.5 -> 0.65 mL/day is 250 -> 325 ug/day.
    findings = change(0.5, 0.65, baclofen=500.0)
    assert "titration_step_too_large" not in rules(findings)


def test_baclofen_spinal_plus_40_percent_flagged():
    findings = change(0.5, 0.7, baclofen=500.0)
    hit = finding(findings, "titration_step_too_large")
    assert hit.severity == "caution"
    assert "30 %" in hit.message


def test_baclofen_cerebral_plus_15_percent_allowed():
    findings = change(0.5, 0.575, origin="cerebral", baclofen=500.0)
    assert "titration_step_too_large" not in rules(findings)


def test_baclofen_cerebral_plus_20_percent_flagged():
    findings = change(0.5, 0.6, origin="cerebral", baclofen=500.0)
    assert "15 %" in finding(findings, "titration_step_too_large").message


def test_baclofen_plus_20_percent_allowed_for_spinal_but_not_cerebral():
    assert "titration_step_too_large" not in rules(change(0.5, 0.6, baclofen=500.0))
    assert "titration_step_too_large" in rules(change(0.5, 0.6, origin="cerebral", baclofen=500.0))


def test_ziconotide_plus_2_4_allowed():
    # 25 ug/mL: 0.432 -> 0.528 mL/day is 10.8 -> 13.2 ug/day.
    findings = change(0.432, 0.528, ziconotide=25.0)
    assert "titration_step_too_large" not in rules(findings)


def test_ziconotide_plus_3_flagged():
    # 10.8 -> 13.8 ug/day.
    findings = change(0.432, 0.552, ziconotide=25.0)
    hit = finding(findings, "titration_step_too_large")
    assert "2.4 ug/day" in hit.message


def test_decrease_never_breaks_titration():
    findings = change(0.5, 0.25, baclofen=500.0)
    assert "titration_step_too_large" not in rules(findings)


def test_drug_without_titration_rule_is_not_checked():
    # Morphine 3 -> 4.5 mg/day: no titration rule in the data.
    findings = change(0.3, 0.45, morphine=10 * MG)
    assert "titration_step_too_large" not in rules(findings)


def test_concentration_mismatch_fires():
    # Refilled with 25 mg/mL but still programmed as 10 mg/mL: 7.5 mg/day, not 3.
    findings = change(0.3, 0.3, reservoir={"morphine": 25 * MG}, morphine=10 * MG)
    hit = finding(findings, "concentration_mismatch")
    assert hit.severity == "danger"
    assert "7.5" in hit.message


def test_concentration_match_is_quiet():
    findings = change(0.3, 0.3, reservoir={"morphine": 10 * MG}, morphine=10 * MG)
    assert "concentration_mismatch" not in rules(findings)


def test_change_includes_new_program_findings():
    findings = change(0.3, 0.3, morphine=30 * MG)
    assert "concentration_above_maximum" in rules(findings)


def test_fixed_rate_pump_programmed_off_its_rate_is_flagged():
    # The gas-driven pump runs only at 1 mL/day. A program at 0.5 mL/day with 20 mg/mL
    # claims 10 mg/day, but the pump would deliver 20 mg/day, above the 15 mg/day maximum.
    findings = check_program(prog(0.5, fill=30.0, pump_key="gas_driven", morphine=20 * MG))
    assert rules(findings, "danger") & {"rate_below_pump_minimum", "fixed_rate_mismatch"}


def test_fixed_rate_pump_at_its_rate_is_quiet():
    findings = check_program(prog(1.0, fill=30.0, pump_key="gas_driven", morphine=5 * MG))
    assert serious(findings) == []


# --- dangerous programs modelled on incident types ---------------------------------------


@dataclass(frozen=True)
class Case:
    new: Program
    rule: str
    old: Program | None = None
    origin: str = "spinal"
    reservoir: dict | None = None

    def findings(self):
        if self.old is None:
            return check_program(self.new)
        return check_change(self.old, self.new, self.origin, self.reservoir)


DANGEROUS = {
    # Per-hour value entered as per-day: hydromorphone 0.4 -> 9.6 mg/day, still under the
    # 10 mg/day maximum, so only the unit-trap rule can catch it.
    "hydromorphone_per_hour_entered_as_per_day": Case(
        old=prog(0.2, hydromorphone=2 * MG),
        new=prog(4.8, hydromorphone=2 * MG),
        rule="unit_trap",
    ),
    # Ziconotide 0.8 ug/h (= 19.2 ug/day) typed as 19.2 per hour.
    "ziconotide_hourly_maximum_entered_per_hour": Case(
        old=prog(0.768, ziconotide=25.0),
        new=prog(18.432, ziconotide=25.0),
        rule="unit_trap",
    ),
    # Per-day value entered as per-hour: baclofen 600 -> 25 ug/day, a withdrawal risk.
    "baclofen_per_day_entered_as_per_hour": Case(
        old=prog(1.2, baclofen=500.0),
        new=prog(0.05, baclofen=500.0),
        rule="unit_trap",
    ),
    # Dose typed in mg where ug was meant: the pump computes a 1000-fold rate.
    "baclofen_dose_mg_for_ug": Case(
        old=prog(0.4, baclofen=500.0),
        new=prog(400.0, baclofen=500.0),
        rule="unit_trap",
    ),
    "ziconotide_dose_mg_for_ug": Case(
        old=prog(0.048, fill=3.0, ziconotide=25.0),
        new=prog(48.0, fill=3.0, ziconotide=25.0),
        rule="unit_trap",
    ),
    # Dose typed in ug where mg was meant: 1000-fold too little, opioid withdrawal.
    "morphine_dose_ug_for_mg": Case(
        old=prog(0.5, morphine=10 * MG),
        new=prog(0.0005, morphine=10 * MG),
        rule="unit_trap",
    ),
    # Refilled with 25 mg/mL, pump still told 10 mg/mL.
    "morphine_wrong_concentration_after_refill": Case(
        old=prog(0.3, morphine=10 * MG),
        new=prog(0.3, morphine=10 * MG),
        reservoir={"morphine": 25 * MG},
        rule="concentration_mismatch",
    ),
    "morphine_concentration_above_maximum": Case(
        new=prog(0.2, morphine=30 * MG), rule="concentration_above_maximum"
    ),
    "hydromorphone_concentration_above_maximum": Case(
        new=prog(0.1, hydromorphone=20 * MG), rule="concentration_above_maximum"
    ),
    "bupivacaine_concentration_above_maximum": Case(
        new=prog(0.1, bupivacaine=40 * MG), rule="concentration_above_maximum"
    ),
    "clonidine_concentration_above_maximum": Case(
        new=prog(0.1, clonidine=2000.0), rule="concentration_above_maximum"
    ),
    "morphine_dose_above_maximum": Case(new=prog(1.8, morphine=10 * MG), rule="dose_above_maximum"),
    "hydromorphone_dose_above_maximum": Case(
        new=prog(1.2, hydromorphone=10 * MG), rule="dose_above_maximum"
    ),
    "ziconotide_dose_above_maximum": Case(
        new=prog(1.0, ziconotide=25.0), rule="dose_above_maximum"
    ),
    # Baclofen 200 -> 300 ug/day in one step (+50 %).
    "baclofen_jump_spinal": Case(
        old=prog(0.4, baclofen=500.0),
        new=prog(0.6, baclofen=500.0),
        rule="titration_step_too_large",
    ),
    # Cerebral origin: 200 -> 250 ug/day (+25 %), allowed for spinal but not cerebral.
    "baclofen_jump_cerebral": Case(
        old=prog(0.4, baclofen=500.0),
        new=prog(0.5, baclofen=500.0),
        origin="cerebral",
        rule="titration_step_too_large",
    ),
    # Ziconotide 10.8 -> 15.6 ug/day: two steps at once.
    "ziconotide_jump": Case(
        old=prog(0.432, ziconotide=25.0),
        new=prog(0.624, ziconotide=25.0),
        rule="titration_step_too_large",
    ),
    # Ziconotide 100 ug/mL at 1 ug/day: 0.01 mL/day, below the pump's 0.048 mL/day.
    "ziconotide_undiluted_rate_below_minimum": Case(
        new=prog(0.01, ziconotide=100.0), rule="rate_below_pump_minimum"
    ),
    # Baclofen test strength (50 ug/mL) at 30 mL/day.
    "baclofen_rate_above_maximum": Case(
        new=prog(30.0, baclofen=50.0), rule="rate_above_pump_maximum"
    ),
    # Triple admixture: only bupivacaine (15 mg/day) is over its limit.
    "admixture_bupivacaine_over_maximum": Case(
        new=prog(0.5, morphine=10 * MG, bupivacaine=30 * MG, clonidine=500.0),
        rule="dose_above_maximum",
    ),
    # Ziconotide 25 ug/mL at 0.2 mL/day: 90 days to the alarm, stable 40.
    "ziconotide_refill_beyond_stability": Case(
        new=prog(0.2, ziconotide=25.0), rule="interval_beyond_stability"
    ),
}


@pytest.mark.parametrize("name", DANGEROUS)
def test_dangerous_program_is_flagged(name):
    case = DANGEROUS[name]
    findings = case.findings()
    assert serious(findings), f"{name}: no danger or caution finding"
    assert case.rule in rules(findings), f"{name}: {sorted(rules(findings))}"
    assert all(f.severity in SERIOUS for f in findings if f.rule == case.rule)


def test_admixture_case_flags_only_bupivacaine():
    findings = DANGEROUS["admixture_bupivacaine_over_maximum"].findings()
    (hit,) = serious(findings)
    assert "bupivacaine" in hit.message


def test_enough_dangerous_cases():
    assert len(DANGEROUS) >= 15


# --- reasonable programs and changes -----------------------------------------------------


REASONABLE = {
    "morphine_10mg_per_ml_0_3ml": prog(0.3, morphine=10 * MG),
    "hydromorphone_2mg_per_ml_0_3ml": prog(0.3, hydromorphone=2 * MG),
    "fentanyl_500ug_per_ml_0_2ml": prog(0.2, fentanyl=500.0),
    "baclofen_500ug_per_ml_0_8ml": prog(0.8, baclofen=500.0),
    "baclofen_2000ug_per_ml_40ml_pump": prog(0.25, fill=40.0, baclofen=2000.0),
    "ziconotide_25ug_per_ml_0_5ml": prog(0.5, ziconotide=25.0),
    "clonidine_500ug_per_ml_0_2ml": prog(0.2, clonidine=500.0),
    "admixture_morphine_bupivacaine_clonidine": prog(
        0.5, morphine=10 * MG, bupivacaine=8 * MG, clonidine=200.0
    ),
    "valve_gated_morphine_40ml": prog(0.5, fill=40.0, pump_key="valve_gated", morphine=5 * MG),
    "gas_driven_morphine_fixed_rate": prog(1.0, fill=30.0, pump_key="gas_driven", morphine=5 * MG),
}


@pytest.mark.parametrize("name", REASONABLE)
def test_reasonable_program_has_no_danger_or_caution(name):
    findings = check_program(REASONABLE[name])
    assert serious(findings) == [], [(f.rule, f.message) for f in findings]


def test_enough_reasonable_programs():
    assert len(REASONABLE) >= 6


REASONABLE_CHANGES = {
    # Baclofen 250 -> 300 ug/day (+20 %), spinal origin.
    "baclofen_plus_20_percent": (prog(0.5, baclofen=500.0), prog(0.6, baclofen=500.0), "spinal"),
    # Baclofen 250 -> 275 ug/day (+10 %), cerebral origin.
    "baclofen_cerebral_plus_10_percent": (
        prog(0.5, baclofen=500.0),
        prog(0.55, baclofen=500.0),
        "cerebral",
    ),
    # Ziconotide 10.8 -> 13.2 ug/day (+2.4) after the interval.
    "ziconotide_plus_2_4": (
        prog(0.432, ziconotide=25.0),
        prog(0.528, ziconotide=25.0),
        "spinal",
    ),
    # Ziconotide diluted to 5 ug/mL: 2.5 -> 4.9 ug/day.
    "ziconotide_diluted_plus_2_4": (
        prog(0.5, ziconotide=5.0),
        prog(0.98, ziconotide=5.0),
        "spinal",
    ),
    # Morphine 3 -> 2 mg/day.
    "morphine_reduction": (prog(0.3, morphine=10 * MG), prog(0.2, morphine=10 * MG), "spinal"),
}


@pytest.mark.parametrize("name", REASONABLE_CHANGES)
def test_reasonable_change_has_no_danger_or_caution(name):
    old, new, origin = REASONABLE_CHANGES[name]
    findings = check_change(
        old, new, origin, {k: c for k, c in new.concentrations_ug_per_ml.items()}
    )
    assert "titration_step_too_large" not in rules(findings)
    assert serious(findings) == [], [(f.rule, f.message) for f in findings]


# --- shape of the findings ---------------------------------------------------------------


ALL_FINDINGS = {name: case.findings() for name, case in DANGEROUS.items()}


@pytest.mark.parametrize("name", DANGEROUS)
def test_findings_sorted_and_complete(name):
    findings = ALL_FINDINGS[name]
    order = [safety.SEVERITIES.index(f.severity) for f in findings]
    assert order == sorted(order)
    for item in findings:
        assert isinstance(item, safety.Finding)
        assert item.message.strip()
        assert item.rule.strip()
        assert item.source.strip()


def test_findings_sorted_danger_caution_info_with_all_three():
    # Ziconotide 100 ug/mL at 1 ug/day, low alarm: danger, two cautions, one info.
    drug = drugs.get_drug("ziconotide")
    model = pump.get_pump("peristaltic")
    plan, _ = refill.plan_for_pump(model, 1.0, 100.0, 20.0, 2.0, drug.stability_days, 3.0)
    findings = safety.check_refill_program(drug, model, 1.0, 100.0, 20.0, 20.0, 1.0, plan)
    severities = [f.severity for f in findings]
    assert set(severities) == set(safety.SEVERITIES)
    assert severities == sorted(severities, key=safety.SEVERITIES.index)


def test_change_findings_sorted_when_rules_mix():
    # A danger from the change (unit trap) must come before a caution from the new program.
    findings = change(1.2, 0.05, baclofen=500.0)
    assert [f.severity for f in findings] == ["danger", "caution"]
    assert [f.rule for f in findings] == ["unit_trap", "interval_beyond_stability"]


@settings(deadline=None, max_examples=40)
@given(
    rate=st.floats(0.001, 50.0),
    morphine=st.floats(100.0, 40_000.0),
    clonidine=st.floats(10.0, 3000.0),
)
def test_check_program_findings_always_sorted(rate, morphine, clonidine):
    findings = check_program(prog(rate, morphine=morphine, clonidine=clonidine))
    order = [safety.SEVERITIES.index(f.severity) for f in findings]
    assert order == sorted(order)


# --- Program ------------------------------------------------------------------------------


@settings(deadline=None, max_examples=50)
@given(
    rate=st.floats(0.01, 24.0),
    concentrations=st.dictionaries(
        st.sampled_from(drugs.DRUGS), st.floats(0.1, 1e5), min_size=1, max_size=3
    ),
)
def test_doses_are_rate_times_concentration(rate, concentrations):
    doses = Program("peristaltic", rate, concentrations).doses_ug_per_day()
    assert doses.keys() == concentrations.keys()
    for key, concentration in concentrations.items():
        assert math.isclose(doses[key], rate * concentration, rel_tol=1e-15)


def test_program_default_fill_is_20_ml():
    assert Program("peristaltic", 0.3, {"morphine": 10 * MG}).fill_volume_ml == 20.0


# --- bad input ----------------------------------------------------------------------------


def test_unknown_pump_raises_key_error_naming_valid_keys():
    with pytest.raises(KeyError, match=r"valid keys.*peristaltic"):
        check_program(Program("synchromed", 0.3, {"morphine": 10 * MG}))


def test_unknown_drug_raises_key_error_naming_valid_keys():
    with pytest.raises(KeyError, match=r"valid keys.*morphine"):
        check_program(Program("peristaltic", 0.3, {"morfine": 10 * MG}))


def test_unknown_drug_in_admixture_raises_key_error():
    with pytest.raises(KeyError, match="'ketamine' is not in"):
        check_program(Program("peristaltic", 0.3, {"morphine": 10 * MG, "ketamine": 1.0}))


def test_unknown_drug_in_a_program_raises_key_error_when_it_is_made():
    with pytest.raises(KeyError, match="valid keys"):
        Program("peristaltic", 0.3, {"morfine": 10 * MG})
