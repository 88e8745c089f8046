"""Refill explorer: how drug, concentration, dose, pump and volumes set the refill date."""

from __future__ import annotations

import datetime
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from helpers import data, drugs, plotting, pump, refill, safety
from helpers.panels import controls
from helpers.panels.base import (
    LIMIT_TEXT,
    Panel,
    dropdown,
    findings_html,
    range_drug_sliders,
    readout_table,
    set_first_fill_option,
    set_range,
    slider,
)
from helpers.ranges import control

#: Time axis of the reservoir plot: fixed, so the axes never jump under the cursor. [day]
HORIZON_DAYS = 200.0


class RefillResult(NamedTuple):
    """
    What :meth:`RefillExplorer.compute` returns: named, read-only, still unpackable.

    Parameters
    ----------
    drug : Drug
        The drug in the pump.
    pump_model : PumpModel
        The pump.
    reservoir_ml : float
        Reservoir size [mL].
    plan : refill.RefillPlan
        The refill plan.
    delivered : numpy.ndarray
        Volume delivered over time [mL].
    findings : tuple of Finding
        The plan's findings, most serious first.
    """

    drug: object
    pump_model: object
    reservoir_ml: object
    plan: object
    delivered: object
    findings: object


class RefillExplorer(Panel):
    """
    Refill explorer panel.

    Controls: drug, pump and reservoir, concentration, daily dose, fill volume, alarm
    volume, refill date. Shows the flow rate, the days to the alarm and to empty, the
    alarm and refill-by dates, a plot of the reservoir volume over time with the alarm
    line, the pump's accuracy band and the drug's stability limit, and warnings.
    """

    def __init__(self, drug="morphine", pump_choice="peristaltic:20", start_date=None):
        super().__init__()
        self._static_changed = True
        self.margin_days = data.lookup("practice", "refill_margin").model_value
        self.time_days = np.linspace(0.0, HORIZON_DAYS, 401)
        self.widgets = {
            "drug": dropdown("Drug", controls.drug_options(), drug),
            "pump": dropdown("Pump", controls.pump_options(), pump_choice),
            "concentration": slider(widgets.FloatLogSlider, "Concentration", base=10),
            "dose": slider(widgets.FloatLogSlider, "Daily dose", base=10),
            "fill_volume_ml": slider(
                widgets.FloatSlider,
                "Fill volume [mL]",
                control("RefillExplorer.fill_volume_ml"),
                step=0.5,
            ),
            "alarm_volume_ml": slider(
                widgets.FloatSlider,
                "Alarm volume [mL]",
                control("RefillExplorer.alarm_volume_ml"),
                step=0.5,
            ),
            "first_fill": widgets.Checkbox(description="First fill of a new pump", value=False),
            "start_date": widgets.DatePicker(
                description="Refill date",
                value=start_date or datetime.date.today(),
                style={"description_width": "13em"},
            ),
        }
        self._apply_drug(drug)
        self._apply_pump(pump_choice)
        self._start()

    def _reactions(self):
        return {"drug": self._apply_drug, "pump": self._apply_pump}

    def _apply_drug(self, key):
        """Re-range the concentration and dose sliders for a drug and reset them."""
        drug = drugs.get_drug(key)
        range_drug_sliders(self.widgets, drug)
        set_first_fill_option(self.widgets["first_fill"], drug)

    def _apply_pump(self, choice):
        """Set the fill slider to the reservoir size and the alarm to the pump's default."""
        model, reservoir_ml = controls.parse_pump_choice(choice)
        declared = control("RefillExplorer.fill_volume_ml")
        source = f"pumps.{model.key}: from {declared.low:g} mL to the {reservoir_ml:g} mL reservoir"
        fill = declared.within(declared.low, reservoir_ml, source)
        set_range(self.widgets["fill_volume_ml"], fill, reservoir_ml)
        self.widgets["alarm_volume_ml"].value = model.alarm_volume_ml
        if hasattr(self, "ax"):
            self.ax.set_ylim(0.0, reservoir_ml * 1.05)
            self._static_changed = True

    def _build_figure(self):
        fig, ax = plotting.new_figure()
        colours = plotting.ROLE_COLOURS
        zeros = np.zeros_like(self.time_days)
        with plotting.style_context():
            self.band = ax.fill_between(
                self.time_days,
                zeros,
                zeros,
                color=colours["band"],
                alpha=0.35,
                label="pump within its accuracy band",
            )
            (self.line,) = ax.plot(
                self.time_days, zeros, color=colours["nominal"], label="reservoir volume"
            )
            self.alarm_line = ax.axhline(0.0, color=colours["alarm"], ls="--", label="alarm volume")
            self.stability_line = ax.axvline(
                0.0, color=colours["stability"], ls=":", label="stability limit"
            )
            self.refill_line = ax.axvline(0.0, color=colours["refill"], ls="-.", label="refill by")
            self.refill_text = ax.text(
                0.0,
                1.01,
                "",
                color=plotting.text_colour(colours["refill"]),
                va="bottom",
                ha="center",
                transform=ax.get_xaxis_transform(),
            )
        ax.set_xlim(0.0, HORIZON_DAYS)
        ax.set_ylim(0.0, self.widgets["fill_volume_ml"].max * 1.05)
        plotting.label(ax, "days since refill [day]", "drug in reservoir [mL]")
        fig.legend(loc="outside lower center", ncols=3, frameon=False)
        self.fig, self.ax = fig, ax
        self._register_figure(
            fig,
            [
                self.band,
                self.line,
                self.alarm_line,
                self.stability_line,
                self.refill_line,
                self.refill_text,
            ],
        )

    def compute(self):
        """
        The model results for the current controls, from one call of each model.

        Returns
        -------
        drug : helpers.drugs.Drug
        pump_model : helpers.pump.PumpModel
        reservoir_ml : float
        plan : helpers.refill.RefillPlan
        delivered_ug_per_day : float
        findings : tuple of helpers.safety.Finding
        """
        p = self.params
        drug = drugs.get_drug(p["drug"])
        pump_model, reservoir_ml = controls.parse_pump_choice(p["pump"])
        concentration = drug.from_display(p["concentration"])
        dose = drug.from_display(p["dose"])
        stability = drug.stability_at(concentration, p["first_fill"])
        plan, delivered = refill.plan_for_pump(
            pump_model,
            dose,
            concentration,
            p["fill_volume_ml"],
            p["alarm_volume_ml"],
            stability.model_value,
            self.margin_days,
        )
        findings = safety.check_refill_program(
            drug,
            pump_model,
            dose,
            concentration,
            p["fill_volume_ml"],
            reservoir_ml,
            p["alarm_volume_ml"],
            plan,
            stability=stability,
        )
        return RefillResult(drug, pump_model, reservoir_ml, plan, delivered, findings)

    def _update(self):
        drug, pump_model, _, plan, delivered, findings = self.compute()
        p = self.params
        t = self.time_days
        fill = p["fill_volume_ml"]
        slow, fast = pump.accuracy_band_ml_per_day(
            plan.rate_ml_per_day, pump_model.accuracy_percent
        )
        self.line.set_ydata(pump.reservoir_volume_ml(t, fill, plan.rate_ml_per_day))
        self.band.set_data(
            t, pump.reservoir_volume_ml(t, fill, fast), pump.reservoir_volume_ml(t, fill, slow)
        )
        self.alarm_line.set_ydata([p["alarm_volume_ml"]] * 2)
        stability = drug.stability_at(drug.from_display(p["concentration"]), p["first_fill"])
        self.stability_line.set_xdata([stability.model_value] * 2)
        self.refill_line.set_xdata([plan.refill_by_days] * 2)
        shown = min(plan.refill_by_days, HORIZON_DAYS)
        self.refill_text.set_position((shown, 1.01))
        self.refill_text.set_text(f" refill by day {plan.refill_by_days:.0f}")
        self.readout.value = readout_table(self._readout_rows(drug, pump_model, plan, delivered))
        self.findings.value = findings_html(findings)
        self._words = self._sentences(pump_model, plan, stability.model_value)
        self._redraw(full=self._static_changed)
        self._static_changed = False

    def _sentences(self, pump_model, plan, stable_days):
        p = self.params
        accuracy = pump_model.accuracy_percent
        return (
            f"Reservoir falls from {p['fill_volume_ml']:.3g} mL to the "
            f"{p['alarm_volume_ml']:.3g} mL alarm on day {plan.days_to_alarm:.0f}; with the "
            f"pump {accuracy:g} % fast, on day {plan.days_to_alarm_fast:.0f}, {accuracy:g} % "
            f"slow, on day {plan.days_to_alarm_slow:.0f} (the shaded band). Empty on day "
            f"{plan.days_to_empty:.0f}. The drug is stable for {stable_days:.0f} days. "
            f"Refill by day {plan.refill_by_days:.0f}, set by the {LIMIT_TEXT[plan.limited_by]}."
        )

    def describe(self):
        """The alarm day, the pump's accuracy band, stability and refill day, in words."""
        return self._words

    def _readout_rows(self, drug, pump_model, plan, delivered):
        start = self.params["start_date"]

        def date(days):
            if start is None:
                return "choose a refill date"
            return f"{plan.date_after(start, days):%d %b %Y}"

        rows = [
            ("Flow rate", f"{plan.rate_ml_per_day:.3g} mL/day = {plan.rate_ul_per_h:.3g} uL/h"),
            ("Dose delivered", f"{drug.to_display(delivered):.3g} {drug.dose_unit}"),
            (
                "Days to alarm",
                f"{plan.days_to_alarm:.1f} (pump fast {plan.days_to_alarm_fast:.1f}, "
                f"slow {plan.days_to_alarm_slow:.1f})",
            ),
            ("Alarm date", date(plan.days_to_alarm)),
            *(
                [("Alarm volume here", f"the {pump_model.alarm_name}")]
                if pump_model.alarm_name != "low-reservoir alarm"
                else []
            ),
            ("Days to empty", f"{plan.days_to_empty:.1f}"),
            (
                "Refill by",
                f"day {plan.refill_by_days:.0f}, "
                f"{date(plan.refill_by_days)} "
                f"(set by the {LIMIT_TEXT[plan.limited_by]})",
            ),
        ]
        assumed = [
            q
            for q in (
                pump_model.min_rate,
                pump_model.max_rate,
                pump_model.accuracy,
                drug.max_concentration,
                drug.max_dose,
                drug.stability,
            )
            if q is not None and not q.verified
        ]
        if assumed:
            names = ", ".join(q.key.split(".")[-1].replace("_", " ") for q in assumed)
            rows.append(("Teaching assumptions", names))
        return rows
