"""Panels of notebooks 05, 07 and 08.

Program designer, patient boluses, mechanisms, events, timeline, cohort, trial, incidents.
"""

import html
import re

import matplotlib.pyplot as plt
import numpy as np
import pytest

from helpers import data, incidents, mechanisms, programs, units
from helpers.panels import (
    CohortPanel,
    EventsPanel,
    IncidentPanel,
    MechanismPanel,
    PatientBolusPanel,
    ProgramDesignerPanel,
    TimelinePanel,
    TrialPanel,
)
from helpers.panels.incidents import UNDECIDED
from helpers.panels.programs import EVENT_CONTROLS


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


ROW = re.compile(r"<tr><td[^>]*>(.*?)</td><td[^>]*><b>(.*?)</b></td></tr>", re.S)


def rows(panel):
    """The readout table as label -> value, unescaped."""
    assert panel.message.value == "", panel.message.value
    return {html.unescape(k): html.unescape(v) for k, v in ROW.findall(panel.readout.value)}


def row_starting(panel, prefix):
    (value,) = [v for k, v in rows(panel).items() if k.startswith(prefix)]
    return value


def minute_of(hours):
    return round(hours * units.MINUTES_PER_HOUR)


# --- ProgramDesignerPanel -------------------------------------------------------------------

AS_MEANT = [
    {},
    {"night_hours": 0.0},
    {"night_hours": 12.0, "night_percent": 0.0},
    {"night_start_h": 20.5, "night_hours": 7.5, "night_percent": 300.0},
    {"boluses_per_day": 4, "bolus_percent": 40.0, "bolus_minutes": 15},
    {"boluses_per_day": 8, "bolus_percent": 80.0, "bolus_minutes": 60, "night_start_h": 1.0},
    {"drug": "morphine", "night_hours": 3.5, "night_percent": 55.0, "boluses_per_day": 3},
    {"drug": "ziconotide", "night_hours": 0.0, "boluses_per_day": 2, "bolus_percent": 25.0},
    {"drug": "clonidine", "night_start_h": 0.0, "night_hours": 12.0, "night_percent": 200.0},
]


@pytest.mark.parametrize(
    "settings", AS_MEANT, ids=lambda s: ",".join(f"{k}={v}" for k, v in s.items())
)
def test_designer_program_as_meant_delivers_the_prescription(settings):
    panel = ProgramDesignerPanel()
    panel.params = settings
    drug, delivery, _, _, findings = panel.compute()
    prescribed = drug.from_display(panel.params["dose"])
    assert float(delivery.daily_totals_ug()[0]) == pytest.approx(prescribed, rel=1e-9)
    assert not {"program_mismatch", "program_above_prescription"} & {f.rule for f in findings}
    assert panel.message.value == ""


def test_designer_bolus_across_midnight_still_delivers_the_prescription():
    panel = ProgramDesignerPanel()
    panel.params = {"night_start_h": 23.5, "boluses_per_day": 1, "bolus_minutes": 60}
    drug, delivery, _, _, findings = panel.compute()
    prescribed = drug.from_display(panel.params["dose"])
    assert float(delivery.daily_totals_ug()[0]) == pytest.approx(prescribed, rel=1e-9)
    assert "program_mismatch" not in {f.rule for f in findings}


def night_to_day_ratio(panel):
    p = panel.params
    _, delivery, _, _, _ = panel.compute()
    rate = delivery.rate_ml_per_day
    night = minute_of(p["night_start_h"] + p["night_hours"] / 2) % programs.MINUTES_PER_DAY
    day = minute_of(p["night_start_h"] + p["night_hours"] + 1.0) % programs.MINUTES_PER_DAY
    return rate[night] / rate[day]


@pytest.mark.parametrize("percent", [50.0, 150.0, 300.0])
def test_designer_per_hour_entry_runs_the_night_step_24_times_too_fast(percent):
    panel = ProgramDesignerPanel()
    panel.params = {"night_percent": percent, "night_entry": "day"}
    meant = night_to_day_ratio(panel)
    assert meant == pytest.approx(percent / 100.0, rel=1e-12)
    assert "DANGER" not in panel.findings.value
    panel.params = {"night_entry": "hour"}
    assert night_to_day_ratio(panel) == pytest.approx(24.0 * meant, rel=1e-12)
    assert "DANGER" in panel.findings.value
    assert "program_above_prescription" in {f.rule for f in panel.compute().findings}


def test_designer_bolus_controls_are_disabled_without_boluses():
    panel = ProgramDesignerPanel()
    panel.params = {"boluses_per_day": 0}
    assert panel.widgets["bolus_percent"].disabled
    assert panel.widgets["bolus_minutes"].disabled
    panel.params = {"boluses_per_day": 4}
    assert not panel.widgets["bolus_percent"].disabled
    assert not panel.widgets["bolus_minutes"].disabled
    assert "Periodic boluses" in rows(panel)


def test_designer_night_controls_are_disabled_without_a_night_step():
    panel = ProgramDesignerPanel()
    names = ("night_start_h", "night_percent", "night_entry")
    panel.params = {"night_hours": 0.0}
    assert all(panel.widgets[n].disabled for n in names)
    assert "Night step" not in rows(panel)
    panel.params = {"night_hours": 4.0}
    assert not any(panel.widgets[n].disabled for n in names)
    assert "Night step" in rows(panel)


# --- PatientBolusPanel ----------------------------------------------------------------------

BOLUS_SETTINGS = [
    {},
    {"presses_per_day": 15.0, "lockout_min": 60, "max_per_day": 3},
    {"presses_per_day": 10.0, "lockout_min": 480, "max_per_day": 12, "seed": 9},
    {"presses_per_day": 6.0, "lockout_min": 10, "max_per_day": 1, "seed": 30},
]


@pytest.mark.parametrize("settings", BOLUS_SETTINGS)
def test_patient_bolus_presses_obey_the_lockout_and_the_daily_maximum(settings):
    panel = PatientBolusPanel()
    panel.params = settings
    p = panel.params
    presses = panel.compute()["presses"]
    outcome = np.column_stack([presses.given, presses.refused_lockout, presses.refused_cap])
    assert np.all(outcome.sum(axis=1) == 1)
    minutes = np.round(presses.press_days * programs.MINUTES_PER_DAY).astype(int)
    given = minutes[presses.given]
    assert np.all(np.diff(given) >= p["lockout_min"])
    for t in given:
        in_window = np.count_nonzero((given > t - programs.MINUTES_PER_DAY) & (given <= t))
        assert in_window <= p["max_per_day"]
    for t in minutes[presses.refused_lockout]:
        assert t - given[given <= t].max() < p["lockout_min"]
    for t in minutes[presses.refused_cap]:
        recent = np.count_nonzero((given > t - programs.MINUTES_PER_DAY) & (given <= t))
        assert recent >= p["max_per_day"]
    assert len(panel.given.get_offsets()) == np.count_nonzero(presses.given)
    assert len(panel.lockout.get_offsets()) == np.count_nonzero(presses.refused_lockout)
    assert len(panel.cap.get_offsets()) == np.count_nonzero(presses.refused_cap)
    shown = row_starting(panel, "Presses in 14 days")
    assert shown.startswith(f"{presses.press_days.size}: {np.count_nonzero(presses.given)} given")


@pytest.mark.parametrize("settings", [*BOLUS_SETTINGS, {"max_per_day": 0}])
def test_patient_bolus_refill_estimates_are_ordered(settings):
    panel = PatientBolusPanel()
    panel.params = settings
    estimate = panel.compute()["estimate"]
    assert estimate.all_allowed_days <= estimate.demand_days + 1e-9
    assert estimate.demand_days <= estimate.no_boluses_days + 1e-9
    assert row_starting(panel, "Refill due, program alone") == (
        f"day {estimate.no_boluses_days:.0f}"
    )


def test_patient_bolus_with_no_boluses_allowed_gives_none_and_cautions():
    panel = PatientBolusPanel()
    panel.params = {"max_per_day": 0, "presses_per_day": 5.0}
    r = panel.compute()
    presses = r["presses"]
    assert presses.press_days.size > 0
    assert not presses.given.any()
    assert presses.refused_cap.all()
    np.testing.assert_array_equal(r["delivery"].rate_ml_per_day, r["base"].rate_ml_per_day)
    cautions = [f for f in r["findings"] if f.rule == "daily_cap_reached"]
    assert len(cautions) == 1 and cautions[0].severity == "caution"
    assert "CAUTION" in panel.findings.value


def test_patient_bolus_no_cap_caution_when_no_press_is_refused_by_it():
    panel = PatientBolusPanel()
    panel.params = {"max_per_day": 12, "presses_per_day": 1.0}
    r = panel.compute()
    assert not r["presses"].refused_cap.any()
    assert "daily_cap_reached" not in {f.rule for f in r["findings"]}


def test_patient_bolus_same_seed_same_readout_other_seed_other_readout():
    first, second = PatientBolusPanel(seed=3), PatientBolusPanel(seed=3)
    assert first.readout.value == second.readout.value
    second.params = {"seed": 4}
    assert first.readout.value != second.readout.value
    second.params = {"seed": 3}
    assert first.readout.value == second.readout.value


# --- MechanismPanel -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rate", "stroke_ul"), [(0.25, 2.5), (1.0, 2.5), (0.5, 10.0), (2.0, 0.5), (0.1, 20.0)]
)
def test_mechanism_readout_shows_the_actuation_interval(rate, stroke_ul):
    panel = MechanismPanel()
    panel.params = {"rate_ml_per_day": rate, "stroke_ul": stroke_ul}
    p = panel.params
    interval = mechanisms.actuation_interval_min(p["rate_ml_per_day"], p["stroke_ul"] / 1000.0)
    assert panel.compute().interval == pytest.approx(interval, rel=1e-12)
    assert row_starting(panel, "Valve actuation").startswith(f"one every {interval:.3g} min")


def test_mechanism_pulses_keep_the_mean_level_at_the_tip_near_smooth_delivery():
    panel = MechanismPanel()
    panel.params = {"rate_ml_per_day": 1.0}
    _, _, tip = panel.compute()
    assert np.mean(tip) == pytest.approx(100.0, abs=1.0)
    assert tip.max() > 100.0 > tip.min()


# --- EventsPanel ----------------------------------------------------------------------------

EVENT_WIDGETS = sorted({name for names in EVENT_CONTROLS.values() for name in names})


@pytest.mark.parametrize("scenario", sorted(EVENT_CONTROLS))
def test_events_controls_not_used_by_the_scenario_are_disabled(scenario):
    panel = EventsPanel()
    panel.params = {"scenario": scenario}
    for name in EVENT_WIDGETS:
        assert panel.widgets[name].disabled == (name not in EVENT_CONTROLS[scenario]), name
    assert not panel.widgets["scenario"].disabled
    assert not panel.widgets["drug"].disabled


def mri_findings(panel):
    return [f for f in panel.compute().findings if f.rule == "mri_stopped_pump"]


def withdrawal(panel):
    return [f.severity for f in panel.compute().findings if f.rule == "withdrawal_risk"]


def test_events_mri_withdrawal_is_a_danger_for_baclofen_after_a_long_stop():
    panel = EventsPanel()
    panel.params = {"scenario": "mri", "drug": "baclofen", "restart_delay_h": 8.0}
    (finding,) = mri_findings(panel)
    assert finding.severity == "caution"
    assert withdrawal(panel) == ["danger"]
    assert "DANGER" in panel.findings.value
    _, delivery, _, _ = panel.compute()
    stopped_h = units.days_to_hours(
        np.count_nonzero(delivery.rate_ml_per_day == 0) * programs.STEP_DAYS
    )
    scan_h = units.days_to_hours(data.lookup("programs", "mri_scan_duration").model_value)
    assert stopped_h == pytest.approx(scan_h + 8.0)
    assert f"{stopped_h:.1f} h" in finding.message


@pytest.mark.parametrize(
    "settings", [{"drug": "baclofen", "restart_delay_h": 0.0}, {"drug": "morphine"}]
)
def test_events_mri_is_no_danger_for_a_short_stop_or_an_opioid(settings):
    panel = EventsPanel()
    panel.params = {"scenario": "mri", "restart_delay_h": 8.0, **settings}
    (finding,) = mri_findings(panel)
    assert finding.severity == "caution"
    assert "danger" not in withdrawal(panel)
    assert "DANGER" not in panel.findings.value


def test_events_mri_with_an_unemptied_valve_gated_pump_is_a_danger():
    panel = EventsPanel()
    panel.params = {"scenario": "mri_valve_full", "drug": "morphine"}
    rules = {f.rule: f.severity for f in panel.compute().findings}
    assert rules["mri_valve_gated_not_emptied"] == "danger"
    panel.params = {"scenario": "mri_valve_emptied"}
    assert "mri_valve_gated_not_emptied" not in {f.rule for f in panel.compute().findings}


def test_events_fever_above_the_threshold_gives_a_caution():
    threshold = data.lookup("programs", "fever_threshold").value
    panel = EventsPanel()
    panel.params = {"scenario": "fever", "peak_degc": threshold + 0.5}
    fever = [f for f in panel.compute().findings if f.rule == "fever_changes_flow"]
    assert [f.severity for f in fever] == ["caution"]
    assert "CAUTION" in panel.findings.value
    panel.params = {"peak_degc": threshold - 0.5}
    assert panel.compute().findings == []
    assert "CAUTION" not in panel.findings.value


@pytest.mark.parametrize(
    ("scenario", "sensitivity"),
    [("fever", "temperature_sensitivity"), ("flight", "altitude_sensitivity")],
)
def test_events_zero_sensitivity_leaves_the_flow_at_the_label(scenario, sensitivity):
    panel = EventsPanel()
    panel.params = {"scenario": scenario}
    nominal, delivery, _, _ = panel.compute()
    assert not np.array_equal(delivery.rate_ml_per_day, nominal.rate_ml_per_day)
    panel.params = {sensitivity: 0.0}
    nominal, delivery, tip, _ = panel.compute()
    np.testing.assert_array_equal(delivery.rate_ml_per_day, nominal.rate_ml_per_day)
    np.testing.assert_allclose(tip, 100.0, rtol=1e-9)
    assert rows(panel)["Flow range"] == "100 % to 100 % of labelled"


# --- TimelinePanel --------------------------------------------------------------------------


def test_timeline_journey_settings_follow_the_sliders():
    panel = TimelinePanel()
    panel.params = {
        "years": 4,
        "escalation": 12.0,
        "margin_days": 5.0,
        "late_percent": 20.0,
        "seed": 11,
    }
    drug, path = panel.compute()
    settings = path.cohort.settings
    assert settings.years == 4
    assert settings.escalation_percent_per_year == 12.0
    assert settings.margin_days == 5.0
    assert settings.late_visit_percent == 20.0
    assert settings.drug_key == drug.key == "baclofen"
    assert path.cohort.seed == 11
    assert path.day[-1] / units.DAYS_PER_YEAR == pytest.approx(4.0, abs=0.01)


@pytest.mark.parametrize("seed", [1, 7, 23])
def test_timeline_without_late_visits_never_runs_empty(seed):
    panel = TimelinePanel()
    panel.params = {"late_percent": 0.0, "margin_days": 0.0, "seed": seed}
    assert rows(panel)["Reservoir ran empty"] == "0 times"
    assert "DANGER" not in panel.findings.value
    assert "ran empty" not in panel.findings.value


def test_timeline_late_visits_without_margin_can_run_the_reservoir_empty():
    panel = TimelinePanel()
    emptied = []
    for seed in range(1, 11):
        panel.params = {"late_percent": 30.0, "margin_days": 0.0, "seed": seed}
        times = int(rows(panel)["Reservoir ran empty"].split()[0])
        if times:
            emptied.append(seed)
            assert "DANGER" in panel.findings.value
            assert f"The reservoir ran empty {times} times" in panel.findings.value
            _, path = panel.compute()
            assert np.any(path.delivered_ug_per_day == 0.0)
        else:
            assert "DANGER" not in panel.findings.value
    assert emptied


# --- CohortPanel ----------------------------------------------------------------------------


def test_cohort_progress_bar_ends_full_after_an_update():
    panel = CohortPanel()
    seen = []
    panel.progress.observe(lambda change: seen.append(change["new"]), names="value")
    panel.params = {"seed": 2}
    assert panel.progress.value == 1.0
    assert seen[0] == 0.0 and seen[-1] == 1.0
    assert seen == sorted(seen)


def test_cohort_readout_relief_share_is_the_cohort_mean():
    panel = CohortPanel()
    panel.params = {"patients": 300, "seed": 5}
    _, cohort = panel.compute()
    share = float(cohort.relief.mean())
    assert 0.0 < share < 1.0
    assert rows(panel)["At least 50 % relief"].startswith(f"{100 * share:.0f} % (95 % CI")
    assert rows(panel)["Patients"].startswith("300 on ")


def test_cohort_show_contains_the_progress_bar():
    panel = CohortPanel()
    box = panel.show()
    assert panel.progress in box.children


# --- TrialPanel -----------------------------------------------------------------------------


@pytest.mark.parametrize(("before", "after"), [(8.0, 3.5), (10.0, 6.0), (6.0, 0.0), (4.5, 4.5)])
def test_trial_relief_is_the_share_of_the_pain_before(before, after):
    panel = TrialPanel()
    panel.params = {"baseline": before, "after": after}
    relief = 100.0 * (before - after) / before
    assert panel.compute() == pytest.approx(relief, rel=1e-12)
    assert rows(panel)["Relief"] == f"{relief:.0f} %"


@pytest.mark.parametrize("before", [1.0, 3.0, 5.0, 7.0, 9.0, 10.0])
def test_trial_exactly_half_the_pain_is_a_positive_trial(before):
    panel = TrialPanel()
    panel.params = {"baseline": before, "after": before / 2.0}
    assert panel.compute() == 50.0
    assert rows(panel)["Trial"].startswith("positive")
    assert panel.findings.value == ""


def test_trial_forty_percent_relief_gives_an_info_finding():
    panel = TrialPanel()
    panel.params = {"baseline": 10.0, "after": 6.0}
    assert rows(panel)["Trial"].startswith("not enough relief")
    assert "itp-info" in panel.findings.value
    assert "INFO" in panel.findings.value
    assert "40 % relief" in panel.findings.value


# --- IncidentPanel --------------------------------------------------------------------------


def test_incident_consequence_is_hidden_until_an_answer_is_chosen():
    panel = IncidentPanel()
    assert panel.params["answer"] == UNDECIDED
    assert not panel.dose_line.get_visible()
    assert not panel.csf_line.get_visible()
    assert panel.hidden.get_visible()
    assert rows(panel)["Answer"] == "choose one to see the consequence"
    assert panel.findings.value == ""
    panel.params = {"answer": 0}
    assert panel.dose_line.get_visible()
    assert panel.csf_line.get_visible()
    assert not panel.hidden.get_visible()
    assert "Answer" not in rows(panel)


@pytest.mark.parametrize("case", incidents.CASES, ids=[c.key for c in incidents.CASES])
def test_incident_feedback_for_each_answer(case):
    panel = IncidentPanel(case=case.key)
    result = panel.consequence(case.key)
    for index in range(len(case.options)):
        panel.params = {"answer": index}
        feedback = rows(panel)["Your answer"]
        expected = "Right. " if index == case.answer else "Not quite. "
        assert feedback == expected + case.explanation
        assert rows(panel)["What happened"] == units.pretty_unit(result.key_result)
        assert panel.findings.value != ""
    np.testing.assert_allclose(panel.csf_line.get_ydata(), np.maximum(result.csf_percent, 0.1))


@pytest.mark.parametrize("key", [c.key for c in incidents.CASES if c.key != "flex_per_hour"])
def test_incident_changing_the_case_resets_the_answer_and_the_time_range(key):
    panel = IncidentPanel()
    panel.params = {"answer": 1}
    panel.widgets["case"].value = key
    end = float(incidents.get_case(key).consequence().hours[-1])
    assert panel.params["answer"] == UNDECIDED
    assert panel.widgets["time_h"].max == pytest.approx(end)
    assert 0.0 <= panel.params["time_h"] <= end
    assert panel.hidden.get_visible()
    assert panel.ax.get_xlim() == pytest.approx((0.0, end))
    assert [v for _, v in panel.widgets["answer"].options] == [
        UNDECIDED,
        *range(len(incidents.get_case(key).options)),
    ]
    panel.params = {"answer": 1}
    panel.params = {"case": "flex_per_hour"}
    assert panel.params["answer"] == UNDECIDED
    assert panel.widgets["time_h"].max == pytest.approx(48.0)


def test_incident_time_cursor_readout_follows_the_time():
    panel = IncidentPanel(case="mri_restart")
    panel.params = {"time_h": 4.0}
    before = rows(panel)["Time cursor"]
    panel.params = {"time_h": 20.0}
    assert rows(panel)["Time cursor"] != before
    assert rows(panel)["Time cursor"] == "20.0 h"
    panel.params = {"answer": 1}
    result = panel.consequence("mri_restart")
    shown = {}
    for hours in (4.0, 20.0, 40.0):
        panel.params = {"time_h": hours}
        shown[hours] = row_starting(panel, f"At {hours:.1f} h")
        level = np.interp(hours, result.hours, result.csf_percent)
        assert shown[hours].endswith(f"level at the tip {level:.0f} % of usual")
        assert list(panel.cursor.get_xdata()) == [hours, hours]
    assert shown[4.0].startswith("dose 100 % of intended")
    assert shown[20.0].startswith("dose 0 % of intended")
    assert len(set(shown.values())) == 3
