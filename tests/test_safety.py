import pytest

from helpers import drugs, pump, refill, safety


def check(
    drug_key,
    dose_ug_per_day,
    concentration_ug_per_ml,
    fill_volume_ml=20.0,
    reservoir_ml=20.0,
    alarm_volume_ml=2.0,
    pump_key="peristaltic",
    margin_days=3.0,
):
    drug = drugs.get_drug(drug_key)
    pump_model = pump.get_pump(pump_key)
    plan, _ = refill.plan_for_pump(
        pump_model,
        dose_ug_per_day,
        concentration_ug_per_ml,
        fill_volume_ml,
        alarm_volume_ml,
        drug.stability_days,
        margin_days,
    )
    return safety.check_refill_program(
        drug,
        pump_model,
        dose_ug_per_day,
        concentration_ug_per_ml,
        fill_volume_ml,
        reservoir_ml,
        alarm_volume_ml,
        plan,
    )


def rules(findings, severity=None):
    return {f.rule for f in findings if severity is None or f.severity == severity}


def finding(findings, rule):
    (match,) = [f for f in findings if f.rule == rule]
    return match


CASES = {
    "morphine_usual": dict(
        drug_key="morphine", dose_ug_per_day=3000.0, concentration_ug_per_ml=1e4
    ),
    "ziconotide_too_slow": dict(
        drug_key="ziconotide", dose_ug_per_day=1.0, concentration_ug_per_ml=100.0
    ),
    "morphine_too_concentrated": dict(
        drug_key="morphine", dose_ug_per_day=3000.0, concentration_ug_per_ml=30_000.0
    ),
    "morphine_overdose": dict(
        drug_key="morphine", dose_ug_per_day=16_000.0, concentration_ug_per_ml=1e4
    ),
    "baclofen_long_interval": dict(
        drug_key="baclofen",
        dose_ug_per_day=100.0,
        concentration_ug_per_ml=2000.0,
        fill_volume_ml=40.0,
        reservoir_ml=40.0,
    ),
    "low_alarm": dict(
        drug_key="morphine", dose_ug_per_day=3000.0, concentration_ug_per_ml=1e4, alarm_volume_ml=1
    ),
    "gas_mismatch": dict(
        drug_key="morphine",
        dose_ug_per_day=3000.0,
        concentration_ug_per_ml=1e4,
        fill_volume_ml=30.0,
        reservoir_ml=30.0,
        alarm_volume_ml=0.0,
        pump_key="gas_driven",
    ),
    "overfill": dict(
        drug_key="morphine", dose_ug_per_day=3000.0, concentration_ug_per_ml=1e4, fill_volume_ml=25
    ),
    "fill_at_alarm": dict(
        drug_key="morphine", dose_ug_per_day=3000.0, concentration_ug_per_ml=1e4, fill_volume_ml=2
    ),
    "very_short": dict(drug_key="morphine", dose_ug_per_day=3000.0, concentration_ug_per_ml=1000),
    "fast_rate": dict(drug_key="morphine", dose_ug_per_day=8000.0, concentration_ug_per_ml=1e4),
    "too_fast_for_pump": dict(
        drug_key="baclofen", dose_ug_per_day=800.0, concentration_ug_per_ml=25.0
    ),
}

ALL_FINDINGS = {name: check(**kwargs) for name, kwargs in CASES.items()}


def test_usual_morphine_program_has_no_findings():
    assert ALL_FINDINGS["morphine_usual"] == ()


def test_usual_morphine_program_in_40_ml_pump_has_no_danger():
    findings = check("morphine", 3000.0, 1e4, fill_volume_ml=40.0, reservoir_ml=40.0)
    assert rules(findings, "danger") == set()


def test_rate_below_pump_minimum():
    assert "rate_below_pump_minimum" in rules(ALL_FINDINGS["ziconotide_too_slow"], "danger")


def test_rate_below_pump_minimum_message_has_numbers():
    message = finding(ALL_FINDINGS["ziconotide_too_slow"], "rate_below_pump_minimum").message
    assert "0.01 mL/day" in message
    assert "0.048 mL/day" in message


def test_rate_at_pump_minimum_is_not_below():
    assert "rate_below_pump_minimum" not in rules(check("ziconotide", 1.2, 25.0))


def test_rate_above_pump_maximum():
    assert "rate_above_pump_maximum" in rules(ALL_FINDINGS["too_fast_for_pump"], "danger")


def test_concentration_above_maximum():
    findings = ALL_FINDINGS["morphine_too_concentrated"]
    assert "concentration_above_maximum" in rules(findings, "danger")


def test_concentration_at_maximum_is_allowed():
    assert "concentration_above_maximum" not in rules(check("morphine", 3000.0, 20_000.0))


def test_dose_above_maximum():
    assert "dose_above_maximum" in rules(ALL_FINDINGS["morphine_overdose"], "danger")


def test_dose_above_maximum_message_in_drug_units():
    message = finding(ALL_FINDINGS["morphine_overdose"], "dose_above_maximum").message
    assert "16 mg/day" in message
    assert "15 mg/day" in message


def test_dose_at_maximum_is_allowed():
    assert "dose_above_maximum" not in rules(check("morphine", 15_000.0, 1e4))


def test_interval_beyond_stability():
    assert "interval_beyond_stability" in rules(ALL_FINDINGS["baclofen_long_interval"], "caution")


def test_interval_within_stability_not_flagged():
    assert "interval_beyond_stability" not in rules(ALL_FINDINGS["morphine_usual"])


def test_alarm_below_recommendation():
    assert "alarm_below_recommendation" in rules(ALL_FINDINGS["low_alarm"], "caution")


def test_alarm_at_recommendation_not_flagged():
    assert "alarm_below_recommendation" not in rules(ALL_FINDINGS["morphine_usual"])


def test_fixed_rate_mismatch():
    assert "fixed_rate_mismatch" in rules(ALL_FINDINGS["gas_mismatch"], "danger")


def test_fixed_rate_mismatch_message_gives_delivered_dose_and_fix():
    message = finding(ALL_FINDINGS["gas_mismatch"], "fixed_rate_mismatch").message
    assert "10 mg/day" in message
    assert "Use 3 mg/mL" in message


def test_fixed_rate_matching_concentration_has_no_findings():
    findings = check(
        "morphine",
        3000.0,
        3000.0,
        fill_volume_ml=30.0,
        reservoir_ml=30.0,
        alarm_volume_ml=0.0,
        pump_key="gas_driven",
    )
    assert findings == ()


def test_fixed_rate_pump_never_reports_programmable_rate_rules():
    names = rules(ALL_FINDINGS["gas_mismatch"])
    assert names.isdisjoint({"rate_below_pump_minimum", "rate_outside_recommended"})


def test_fill_above_reservoir():
    assert "fill_above_reservoir" in rules(ALL_FINDINGS["overfill"], "danger")


def test_fill_at_alarm():
    assert "fill_at_alarm" in rules(ALL_FINDINGS["fill_at_alarm"], "danger")


def test_fill_below_alarm():
    assert "fill_at_alarm" in rules(check("morphine", 3000.0, 1e4, fill_volume_ml=1.5))


def test_very_short_interval():
    assert "interval_very_short" in rules(ALL_FINDINGS["very_short"], "caution")


def test_interval_shorter_than_margin_is_flagged():
    findings = check("morphine", 6000.0, 1000.0)
    assert "interval_very_short" in rules(findings, "caution")


def test_rate_outside_recommended_is_info():
    assert rules(ALL_FINDINGS["fast_rate"]) == {"rate_outside_recommended"}
    assert rules(ALL_FINDINGS["fast_rate"], "info") == {"rate_outside_recommended"}


def test_rate_below_recommended_is_info():
    assert "rate_outside_recommended" in rules(ALL_FINDINGS["ziconotide_too_slow"], "info")


@pytest.mark.parametrize("name", CASES)
def test_findings_sorted_by_severity(name):
    order = [safety.SEVERITIES.index(f.severity) for f in ALL_FINDINGS[name]]
    assert order == sorted(order)


def test_findings_sorted_danger_caution_info():
    severities = [f.severity for f in ALL_FINDINGS["ziconotide_too_slow"]]
    assert severities == ["danger", "caution", "info"]


@pytest.mark.parametrize("name", CASES)
def test_every_finding_has_message_rule_and_source(name):
    for item in ALL_FINDINGS[name]:
        assert item.severity in safety.SEVERITIES
        assert item.message.strip()
        assert item.rule.strip()
        assert item.source.strip()


UNVERIFIED_LIMITS = [
    ("morphine_too_concentrated", "concentration_above_maximum"),
    ("morphine_overdose", "dose_above_maximum"),
    ("too_fast_for_pump", "rate_above_pump_maximum"),
    ("gas_mismatch", "fixed_rate_mismatch"),
]


@pytest.mark.parametrize(("name", "rule"), UNVERIFIED_LIMITS)
def test_unverified_limit_source_starts_with_teaching_assumption(name, rule):
    assert finding(ALL_FINDINGS[name], rule).source.lower().startswith("teaching assumption")


VERIFIED_LIMITS = [
    ("ziconotide_too_slow", "rate_below_pump_minimum"),
    ("baclofen_long_interval", "interval_beyond_stability"),
    ("low_alarm", "alarm_below_recommendation"),
    ("fast_rate", "rate_outside_recommended"),
]


@pytest.mark.parametrize(("name", "rule"), VERIFIED_LIMITS)
def test_verified_limit_source_is_citation(name, rule):
    assert not finding(ALL_FINDINGS[name], rule).source.lower().startswith("teaching assumption")


def test_fixed_rate_pump_dose_limit_uses_the_delivered_dose_in_micrograms():
    """Regression: the delivered dose was overwritten with its display value (mg)."""
    morphine = drugs.get_drug("morphine")
    gas = pump.get_pump("gas_driven")
    concentration = morphine.from_display(18.0)  # 18 mg/mL at 1 mL/day = 18 mg/day
    plan, _ = refill.plan_for_pump(
        gas, morphine.from_display(3.0), concentration, 30.0, 0.0, morphine.stability_days, 3.0
    )
    findings = safety.check_refill_program(
        morphine, gas, morphine.from_display(3.0), concentration, 30.0, 30.0, 0.0, plan
    )
    assert "dose_above_maximum" in {f.rule for f in findings}
