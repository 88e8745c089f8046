"""Widget panels driven from Python: values set on the controls change readouts and artists."""

import datetime
import functools
import html
import itertools
import re

import ipywidgets as widgets
import matplotlib.pyplot as plt
import numpy as np
import pytest
from ipywidgets import FloatLogSlider

from helpers import catheter, drugs, plotting, pump, reconciliation, spine, units
from helpers.panels import (
    REGISTRY,
    AdmixturePanel,
    BolusPanel,
    JourneyPanel,
    PathwayPanel,
    PrimingPanel,
    ProgramReviewPanel,
    RefillCalendar,
    RefillChangePanel,
    RefillExplorer,
    ReservoirCheckPanel,
    RestartPanel,
    RostralPanel,
    RoutePanel,
    SpreadPanel,
    TitrationPanel,
    TradeOffPanel,
    build,
)
from helpers.panels import controls as panel_controls

START = datetime.date(2026, 1, 5)
PANELS = {name: functools.partial(build, name, START) for name in REGISTRY}


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


@pytest.fixture(params=sorted(PANELS))
def panel(request):
    return PANELS[request.param]()


def sliders(panel):
    return {n: w for n, w in panel.widgets.items() if hasattr(w, "min") and hasattr(w, "max")}


def end_value(widget, end):
    """The slider's smallest or largest value (a log slider's bounds are exponents)."""
    bound = getattr(widget, end)
    return widget.base**bound if isinstance(widget, FloatLogSlider) else bound


def dropdowns(panel):
    return {n: w for n, w in panel.widgets.items() if hasattr(w, "options")}


def rules(explorer):
    return {finding.rule for finding in explorer.compute().findings}


def test_panel_builds_with_no_error_and_shows_readouts(panel):
    assert panel.message.value == ""
    assert "<table" in panel.readout.value


def test_every_slider_at_its_minimum_and_maximum_gives_no_error(panel):
    for name, widget in sliders(panel).items():
        for end in ("min", "max"):
            panel.params = {name: end_value(widget, end)}
            assert panel.message.value == "", (name, end, panel.message.value)


def test_every_dropdown_option_gives_no_error(panel):
    for name, widget in dropdowns(panel).items():
        for _, value in widget.options:
            panel.params = {name: value}
            assert panel.message.value == "", (name, value, panel.message.value)


def test_a_slider_move_updates_artists_in_place_and_redraws_pixels(panel):
    figures_before = plt.get_fignums()
    lines_before = [len(ax.lines) for fig in panel.figures for ax in fig.axes]
    pixels_before = panel.blitters[id(panel.figures[0])].snapshot()
    count = panel.update_count
    widget = next(iter(sliders(panel).values()))
    widget.value = end_value(widget, "max")
    assert panel.update_count == count + 1
    assert plt.get_fignums() == figures_before
    assert [len(ax.lines) for fig in panel.figures for ax in fig.axes] == lines_before
    assert not np.array_equal(panel.blitters[id(panel.figures[0])].snapshot(), pixels_before)


def test_params_setter_refreshes_once_and_rejects_unknown_controls(panel):
    count = panel.update_count
    panel.params = dict(panel.params)
    assert panel.update_count == count + 1
    with pytest.raises(KeyError, match="unknown panel controls"):
        panel.params = {"flow": 1.0}


def test_show_without_ipympl_falls_back_to_an_output_widget(panel):
    layout = panel.show()
    kinds = {type(child).__name__ for child in layout.children}
    assert "Output" in kinds


def test_refill_explorer_line_equals_the_model():
    explorer = RefillExplorer(start_date=START)
    explorer.params = {
        "drug": "morphine",
        "pump": "peristaltic:20",
        "concentration": 10.0,
        "dose": 3.0,
        "fill_volume_ml": 20.0,
        "alarm_volume_ml": 2.0,
    }
    expected = pump.reservoir_volume_ml(explorer.time_days, 20.0, 0.3)
    np.testing.assert_allclose(explorer.line.get_ydata(), expected)
    assert explorer.alarm_line.get_ydata()[0] == 2.0
    assert explorer.refill_line.get_xdata()[0] == pytest.approx(57.0)
    assert "0.3 mL/day = 12.5 µL/h" in explorer.readout.value
    assert "03 Mar 2026" in explorer.readout.value  # refill by day 57 after 5 Jan 2026


def test_refill_explorer_readout_and_plot_follow_the_dose_slider():
    explorer = RefillExplorer(start_date=START)
    before = explorer.line.get_ydata().copy(), explorer.readout.value
    explorer.widgets["dose"].value = explorer.widgets["dose"].value * 2
    assert not np.array_equal(explorer.line.get_ydata(), before[0])
    assert explorer.readout.value != before[1]


def test_refill_explorer_without_a_date_still_shows_days():
    explorer = RefillExplorer(start_date=START)
    explorer.params = {"start_date": None}
    assert explorer.message.value == ""
    assert "choose a refill date" in explorer.readout.value


def test_refill_explorer_drug_change_reranges_sliders_to_the_drug_unit():
    explorer = RefillExplorer(start_date=START)
    explorer.widgets["drug"].value = "baclofen"
    assert explorer.widgets["concentration"].description == "Concentration [µg/mL]"
    _, high, default = panel_controls.concentration_range(drugs.get_drug("baclofen"))
    assert explorer.widgets["concentration"].value == pytest.approx(default)
    assert 10 ** explorer.widgets["concentration"].max == pytest.approx(high)


def test_refill_explorer_pump_change_sets_reservoir_and_alarm():
    explorer = RefillExplorer(start_date=START)
    explorer.widgets["pump"].value = "valve_gated:40"
    assert explorer.widgets["fill_volume_ml"].max == 40.0
    assert explorer.widgets["fill_volume_ml"].value == 40.0
    assert explorer.widgets["alarm_volume_ml"].value == 3.0
    assert explorer.ax.get_ylim()[1] == pytest.approx(42.0)


CORNERS = list(itertools.product(("min", "max"), repeat=4))


@pytest.mark.parametrize("drug", drugs.DRUGS)
@pytest.mark.parametrize("choice", [value for _, value in panel_controls.pump_options()])
def test_refill_explorer_corner_combinations_show_the_expected_warnings(drug, choice):
    explorer = RefillExplorer(drug=drug, pump_choice=choice, start_date=START)
    model, _ = panel_controls.parse_pump_choice(choice)
    names = ("concentration", "dose", "fill_volume_ml", "alarm_volume_ml")
    for corner in CORNERS:
        values = {
            n: end_value(explorer.widgets[n], end) for n, end in zip(names, corner, strict=True)
        }
        explorer.params = values
        fired = rules(explorer)
        assert explorer.message.value == "", (corner, explorer.message.value)
        conc, dose, fill, alarm = corner
        wanted_rate = values["dose"] / values["concentration"]  # same mass unit: mL/day
        if model.is_fixed_rate:
            mismatch = (
                abs(wanted_rate - model.min_rate_ml_per_day) > 0.01 * model.min_rate_ml_per_day
            )
            assert ("fixed_rate_mismatch" in fired) == mismatch, corner
        elif wanted_rate > model.max_rate_ml_per_day:
            assert "rate_above_pump_maximum" in fired, corner
        elif wanted_rate < model.min_rate_ml_per_day:
            assert "rate_below_pump_minimum" in fired, corner
        if (conc, dose) == ("max", "min") and not model.is_fixed_rate:
            assert "rate_below_pump_minimum" in fired, corner  # every drug reaches it
        if conc == "max" and drugs.get_drug(drug).max_concentration is not None:
            assert "concentration_above_maximum" in fired, corner
        if (fill, alarm) == ("min", "max"):
            assert "fill_at_alarm" in fired, corner
        if alarm == "min" and model.alarm_volume_ml > 0:
            assert "alarm_below_recommendation" in fired, corner
        for finding in explorer.compute().findings:
            assert f"itp-{finding.severity}" in explorer.findings.value


def test_tradeoff_marker_sits_on_the_curve():
    panel = TradeOffPanel()
    panel.params = {
        "drug": "morphine",
        "pump": "peristaltic:20",
        "dose": 3.0,
        "concentration": 10.0,
    }
    assert panel.interval_dot.get_ydata()[0] == pytest.approx(57.0)
    assert panel.rate_dot.get_ydata()[0] == pytest.approx(0.3)
    # Rate below the 0.048 mL/day minimum from 3 mg/day / 0.048 mL/day = 62.5 mg/mL on.
    assert panel.slow_zone.get_x() == pytest.approx(62.5)


def test_calendar_stronger_solution_means_fewer_visits():
    panel = RefillCalendar(start_date=START)
    panel.params = {
        "drug": "morphine",
        "dose": 3.0,
        "concentration_A": 5.0,
        "concentration_B": 10.0,
    }
    result = panel.compute()
    assert len(result["A"]["visits"]) == 13  # refill every 27 days: 365 // 27
    assert len(result["B"]["visits"]) == 6  # refill every 57 days: 365 // 57
    assert "6 in 12 months" in panel.readout.value
    np.testing.assert_array_equal(panel.visit_marks["B"].get_xdata(), [57 * k for k in range(1, 7)])


def test_projector_view_scales_the_whole_figure_to_the_screen():
    laptop = TradeOffPanel()
    plotting.set_projector(True)
    try:
        projected = TradeOffPanel()
    finally:
        plotting.set_projector(False)
    width_px = projected.fig.get_size_inches()[0] * projected.fig.dpi
    assert width_px == pytest.approx(plotting.PROJECTOR_FIGURE_PX[0]) or (
        projected.fig.get_size_inches()[1] * projected.fig.dpi
        == pytest.approx(plotting.PROJECTOR_FIGURE_PX[1])
    )
    # Same layout, larger: text grows with the figure (points at a higher resolution).
    assert projected.fig.get_size_inches() == pytest.approx(laptop.fig.get_size_inches())
    assert projected.fig.dpi > 1.5 * laptop.fig.dpi
    assert plotting.set_projector(False) is None  # nothing printed in a notebook cell


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_laptop_figure_fits_the_output_area(name):
    panel = build(name)
    try:
        for fig in panel.figures:
            width_px, height_px = fig.get_size_inches() * fig.dpi
            assert width_px <= plotting.LAPTOP_FIGURE_PX[0] + 0.5, (name, width_px)
            assert height_px <= plotting.LAPTOP_FIGURE_PX[1] + 0.5, (name, height_px)
    finally:
        panel.close()


def test_ipympl_figure_is_not_drawn_before_the_browser_shows_it():
    """Drawing before display left ipympl 0.10 with a broken image URL and a 0x0 canvas."""
    plt.switch_backend("module://ipympl.backend_nbagg")
    try:
        explorer = RefillExplorer(start_date=START)
        explorer.widgets["dose"].value = explorer.widgets["dose"].value * 2
        assert explorer.fig.canvas._data_url is None  # the image trait the browser reads
    finally:
        plt.close("all")
        plt.switch_backend("Agg")


def test_journey_front_moves_with_the_volume_pushed():
    panel = JourneyPanel()
    panel.params = {
        "catheter": "valve_gated",
        "trimmed_length_cm": 10.0,
        "pump_path_volume_ml": 0.2,
        "rate_ul_per_h": 12.5,
        "time_h": 12.0,
    }
    # 12 h at 0.3 mL/day pushes 0.15 mL of a 0.46 mL line.
    assert panel.new_drug.get_width() == pytest.approx(0.15 / 0.46)
    assert panel.port.get_xdata()[0] == pytest.approx(0.2 / 0.46)
    assert "36.8 h" in panel.readout.value  # 0.46 mL / 0.3 mL/day = 1.533 days


def test_refill_change_curves_equal_the_model_and_the_bridge_adds_a_row():
    panel = RefillChangePanel()
    panel.params = {
        "drug": "morphine",
        "old_concentration": 10.0,
        "new_concentration": 20.0,
        "dose": 3.0,
        "dead_volume_ml": 0.43,
        "bridge": False,
    }
    _, result = panel.compute()
    np.testing.assert_allclose(panel.delivered.get_ydata(), result.line.tip_ug_per_day / 1000)
    assert "under-dose" in panel.readout.value and "Bridge bolus" not in panel.readout.value
    panel.params = {"bridge": True, "bridge_rate_ml_per_day": 20.0}
    assert "Bridge bolus" in panel.readout.value
    assert "over-dose" in panel.readout.value


def test_priming_panel_shows_early_arrival_and_a_dip():
    panel = PrimingPanel()
    mixed, _ = panel.compute()
    tip = panel.tip.get_ydata()
    np.testing.assert_allclose(tip, 100 * mixed.line.tip_ug_per_ml / 1000)
    bolus_end = panel.bolus_end.get_xdata()[0]
    assert bolus_end == pytest.approx(units.days_to_hours(0.43 / 24.0))
    assert catheter.arrival_days(mixed) < mixed.bolus_days


def test_reservoir_check_bars_equal_the_model_and_flag_an_occlusion():
    panel = ReservoirCheckPanel()
    panel.params = {
        "scenario": "occlusion",
        "fill_volume_ml": 20.0,
        "rate_ml_per_day": 0.3,
        "days": 50.0,
    }
    expected = reconciliation.reconcile("occlusion", 20.0, 0.3, 50.0, 14.5)
    assert [bar.get_height() for bar in panel.bars] == [expected.expected_ml, expected.measured_ml]
    assert "itp-danger" in panel.findings.value
    panel.params = {"scenario": "leak"}
    assert "itp-danger" not in panel.findings.value


NOTEBOOK_03_PANELS = {
    "journey": JourneyPanel,
    "refill_change": RefillChangePanel,
    "priming": PrimingPanel,
    "reservoir_check": ReservoirCheckPanel,
    "restart": RestartPanel,
}


@pytest.mark.parametrize("name", sorted(NOTEBOOK_03_PANELS))
def test_notebook_03_panels_render_every_slider_corner(name):
    panel = NOTEBOOK_03_PANELS[name]()
    names = sorted(sliders(panel))
    for toggles in ({}, {"bridge": True}) if "bridge" in panel.widgets else ({},):
        for corner in itertools.product(("min", "max"), repeat=len(names)):
            values = {
                n: end_value(panel.widgets[n], end) for n, end in zip(names, corner, strict=True)
            }
            panel.params = {**toggles, **values}
            assert panel.message.value == "", (corner, panel.message.value)


def test_spread_panel_profile_is_the_steady_state_and_warns_for_a_far_target():
    panel = SpreadPanel()
    panel.params = {"drug": "morphine", "tip": "T10", "target": "lower abdomen and pelvis (T11)"}
    result = panel.compute()
    tip = result["tip"]
    np.testing.assert_allclose(
        panel.profile.get_xdata(), 100 * result["profile"][:-1] / result["profile"][tip]
    )
    # Morphine reaches the head from T10 in the human model: the caution says so.
    assert "reaches the head" in panel.findings.value
    assert "more than twice the spread length" not in panel.findings.value
    panel.params = {"drug": "baclofen"}
    assert "itp-caution" not in panel.findings.value
    panel.params = {"drug": "morphine", "dispersion": spine.pig_dispersion()}
    panel.params = {"target": "arms and hands (C7)"}
    assert "target_outside_spread" not in panel.findings.value  # rule names are not shown
    assert "more than twice the spread length" in panel.findings.value


def test_bolus_panel_same_daily_dose_and_higher_tip_peak():
    panel = BolusPanel()
    panel.params = {"boluses_per_day": 1, "bolus_share": 1.0}
    program, continuous = panel.compute()
    np.testing.assert_allclose(program.delivered_ug[-1], continuous.delivered_ug[-1], rtol=1e-9)
    tip = panel.geometry.cell("T11")
    assert panel.envelope.get_xdata()[tip] > panel.continuous.get_xdata()[tip]


def test_rostral_panel_morphine_reaches_the_head_more_than_fentanyl():
    panel = RostralPanel()
    results = panel.compute()
    shares = {n: r.to_cranial_ug[-1] / r.delivered_ug[-1] for n, r in results.items()}
    assert shares["drug_a"] > shares["drug_b"]
    np.testing.assert_allclose(
        panel.cranial["drug_a"].get_ydata(), 100 * results["drug_a"].cranial_ug_per_ml
    )


def test_program_review_flags_a_per_hour_entry_and_a_wrong_reservoir():
    panel = ProgramReviewPanel()
    panel.params = {
        "drug": "morphine",
        "old_concentration": 10.0,
        "new_concentration": 10.0,
        "reservoir_concentration": 10.0,
        "old_rate": 0.3,
        "new_rate": 0.3,
    }
    assert "itp-danger" not in panel.findings.value
    panel.params = {"new_rate": 7.2}
    assert "24-fold" in panel.findings.value
    panel.params = {"new_rate": 0.3, "reservoir_concentration": 25.0}
    assert "reservoir holds" in panel.findings.value


def test_titration_panel_draws_the_schedule():
    panel = TitrationPanel()
    panel.params = {"drug": "baclofen", "origin": "spinal", "start": 100.0, "target": 400.0}
    _, doses = panel.steps.get_data()
    assert doses[-1] == pytest.approx(400.0)
    assert max(doses[1:] / doses[:-1]) <= 1.3 + 1e-9


def test_admixture_panel_bars_are_shares_of_each_maximum():
    panel = AdmixturePanel()
    program, _ = panel.compute()
    doses = program.doses_ug_per_day()
    for bar, key in zip(panel.bars, ("morphine", "bupivacaine", "clonidine"), strict=True):
        assert bar.get_x() + bar.get_width() == pytest.approx(
            100 * doses[key] / drugs.get_drug(key).max_dose_ug_per_day
        )


def test_route_panel_bars_follow_the_chain():
    panel = RoutePanel()
    panel.params = {"route": "oral", "dose_mg": 300.0}
    widths = [bar.get_x() + bar.get_width() for bar in panel.bars]
    np.testing.assert_allclose(widths, [300.0, 100.0, 10.0, 1.0])


def test_pathway_panel_counts_refill_visits():
    panel = PathwayPanel()
    panel.params = {"refill_months": 6.0, "life_years": 5.0}
    visits, _ = panel.refills.get_data()
    assert len(visits) == 9  # every half year before year 5


# --- saving a panel's figure ------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(PANELS))
def test_every_panel_saves_its_figure_and_keeps_updating(name, tmp_path):
    panel = PANELS[name]()
    saved = panel.save_figure(tmp_path / f"{name}.png")
    assert saved.stat().st_size > 1000
    count = panel.update_count
    panel.refresh()
    assert panel.update_count == count + 1


@pytest.mark.parametrize("suffix", [".pdf", ".svg", ".PNG"])
def test_panel_saves_pdf_and_svg_handouts(suffix, tmp_path):
    panel = SpreadPanel()
    path = panel.save_figure(tmp_path / f"spread{suffix}", dpi=72)
    head = path.read_bytes()[:200]
    assert {".pdf": b"%PDF", ".svg": b"<?xml", ".PNG": b"\x89PNG"}[suffix] in head


@pytest.mark.parametrize(
    ("path", "figure", "message"),
    [
        ("spread.jpg", 0, "suffix '.jpg'"),
        ("spread.png", 3, "figure = 3"),
        ("x.png", True, "figure"),
    ],
)
def test_save_figure_bad_input_names_the_problem(path, figure, message, tmp_path):
    with pytest.raises(ValueError, match=re.escape(message)):
        SpreadPanel().save_figure(tmp_path / path, figure=figure)


def test_registry_holds_every_exported_panel_class():
    import helpers.panels as module

    exported = {
        getattr(module, n) for n in module.__all__ if n.endswith(("Panel", "Explorer", "Calendar"))
    }
    assert exported == set(REGISTRY.values())


def test_build_unknown_panel_lists_the_names():
    with pytest.raises(KeyError, match="spread"):
        build("nope")


# --- a cell run again replaces its panel ----------------------------------------------


def test_rerunning_a_cell_closes_the_panel_it_built_before(monkeypatch):
    from helpers.panels import base

    run = {"cell": "cell-1", "count": 1}
    monkeypatch.setattr(base, "_running_cell", lambda: run["cell"])
    monkeypatch.setattr(base, "get_execution_count", lambda: run["count"])
    first, second = SpreadPanel(), SpreadPanel()  # two panels in one run: both kept
    assert plt.fignum_exists(first.figures[0].number)
    run["count"] = 2  # the student runs the cell again
    again = SpreadPanel()
    assert not plt.fignum_exists(first.figures[0].number)
    assert not plt.fignum_exists(second.figures[0].number)
    assert plt.fignum_exists(again.figures[0].number)
    run["cell"] = "cell-2"
    other = SpreadPanel()  # another cell keeps its own panel
    assert plt.fignum_exists(again.figures[0].number)
    assert plt.fignum_exists(other.figures[0].number)
    base._PANELS_BY_CELL.clear()


def test_running_cell_is_none_outside_a_kernel():
    from helpers.panels import base

    assert base._running_cell() is None


def test_panel_outside_a_notebook_closes_nothing():
    first = SpreadPanel()
    SpreadPanel()
    assert plt.fignum_exists(first.figures[0].number)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_compute_returns_named_results_not_a_bare_tuple(name):
    """A notebook reads results by name (``explorer.compute().plan``), never by position."""
    panel = build(name)
    if not hasattr(panel, "compute"):
        pytest.skip("the panel draws without a compute step")
    result = panel.compute()
    assert type(result) not in (tuple, list), f"{name}.compute() returns a bare {type(result)}"
    if isinstance(result, tuple):  # a NamedTuple: fields named and the value read-only
        assert result._fields


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_what_students_read_uses_the_course_typography(name):
    """µg, µL/h, cm², °C and ± in labels, readouts, warnings and figures; never 1.31e+3."""
    ascii_unit = re.compile(r"\b(ug|uL|cm2|degC)\b|\+-")
    panel = build(name)
    try:
        shown = [w.description for w in panel.widgets.values()]
        shown += [
            str(o[0] if isinstance(o, tuple) else o)
            for w in panel.widgets.values()
            for o in getattr(w, "options", ())
        ]
        shown += [panel.readout.value, panel.findings.value, panel.message.value]
        shown += [t.get_text() for fig in panel.figures for t in fig.findobj(plt.Text)]
        offenders = [text for text in shown if ascii_unit.search(text)]
        assert not offenders, offenders[:3]
        for widget in panel.widgets.values():
            if isinstance(widget, FloatLogSlider):
                assert "e" not in widget.readout_format
    finally:
        panel.close()


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_every_dropdown_is_wide_enough_for_its_longest_choice(name):
    from helpers.panels.base import ARROW_EM, CHARACTER_EM, SLIDER_STYLE

    label_em = float(SLIDER_STYLE["description_width"].removesuffix("em"))
    panel = build(name)
    try:
        for key, widget in panel.widgets.items():
            if not isinstance(widget, widgets.Dropdown):
                continue
            longest = max(len(label) for label, _ in widget.options)
            width_em = float(widget.layout.width.removesuffix("em"))
            assert width_em >= label_em + ARROW_EM + CHARACTER_EM * longest, (key, longest)
    finally:
        panel.close()


#: A number written against its unit ("90day", "20mg/mL", "0.5mg(teaching") [-]
GLUED_UNIT = re.compile(r"\d(?:mg|µg|ug|mL|µL|uL|days?|min|cm|kg|mmHg)\b|\d\(")


def _readout_words(panel):
    return html.unescape(re.sub(r"<[^>]+>", " ", panel.readout.value))


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_readouts_never_glue_a_number_to_its_unit(name):
    """Readouts say "90 days" and "0.1-0.5 mg (teaching assumption)", never "90day"."""
    panel = build(name)
    try:
        glued = GLUED_UNIT.findall(_readout_words(panel))
        assert not glued, GLUED_UNIT.search(_readout_words(panel))
    finally:
        panel.close()


@pytest.mark.parametrize("drug", drugs.DRUGS)
def test_the_drug_explorer_reads_every_limit_with_its_unit(drug):
    """The drug explorer's limits for every drug: number, space, unit (the spaces were
    stripped from the trial dose, maximum concentration, stability and half-life)."""
    panel = build("drug_explorer")
    try:
        panel.params = {"drug": drug}
        words = _readout_words(panel)
        assert not GLUED_UNIT.search(words), GLUED_UNIT.search(words)
        assert re.search(r"Stable in the pump\s+\d+(?:\.\d+)? days?\b", words), words
    finally:
        panel.close()
