"""Refill calendar: a year of refill visits for two programs side by side."""

from __future__ import annotations

import datetime

import ipywidgets as widgets
import numpy as np

from helpers import data, drugs, plotting, ranges, refill
from helpers.panels import controls
from helpers.panels.base import (
    LIMIT_TEXT,
    Panel,
    dropdown,
    readout_table,
    set_first_fill_option,
    set_log_slider,
    slider,
)

#: Length of the calendar. [month]
MONTHS = 12

#: Programs compared, with their plot colours.
PROGRAMS = (("A", "nominal"), ("B", "second"))


class RefillCalendar(Panel):
    """
    Refill calendar panel.

    Controls: drug and daily dose, shared; for programs A and B, the pump and reservoir
    and the concentration. Each program's reservoir is filled full at every visit and
    refilled on its refill-by day. Shows the reservoir over twelve months as a saw-tooth
    with the visits marked, and the visits per year of each program.
    """

    def __init__(self, drug="morphine", start_date=None):
        super().__init__()
        self.margin_days = data.lookup("practice", "refill_margin").model_value
        self.start_date = start_date or datetime.date.today()
        self.time_days = np.linspace(0.0, MONTHS * 365.25 / 12, 1461)
        self.widgets = {
            "drug": dropdown("Drug", controls.drug_options(), drug),
            "dose": slider(widgets.FloatLogSlider, "Daily dose", base=10),
        }
        self.widgets["first_fill"] = widgets.Checkbox(
            description="First fill of a new pump", value=False
        )
        for name, _ in PROGRAMS:
            self.widgets[f"pump_{name}"] = dropdown(
                f"Pump {name}", controls.pump_options(), "peristaltic:20"
            )
            self.widgets[f"concentration_{name}"] = slider(
                widgets.FloatLogSlider, f"Concentration {name}", base=10
            )
        self._start(drug)

    def _apply_drug(self, key):
        drug = drugs.get_drug(key)
        conc, dose = controls.concentration_control(drug), controls.dose_control(drug)
        conc_default = controls.concentration_range(drug)[2]
        settings = {
            "dose": (dose, controls.dose_range(drug)[2], f"Daily dose [{drug.dose_unit}]"),
            "concentration_A": (conc, conc_default, f"Conc. A [{drug.concentration_unit}]"),
            "concentration_B": (conc, min(2 * conc_default, conc.high),
                                f"Conc. B [{drug.concentration_unit}]"),
        }  # fmt: skip
        for name, (rng, default, description) in settings.items():
            set_log_slider(self.widgets[name], rng, default, description)
        set_first_fill_option(self.widgets["first_fill"], drug)

    def _build_figure(self):
        fig, axes = plotting.new_figure(2, 1, sharex=True)
        nan = np.full_like(self.time_days, np.nan)
        self.lines, self.visit_marks = {}, {}
        with plotting.style_context():
            for ax, (name, role) in zip(axes, PROGRAMS, strict=True):
                colour = plotting.ROLE_COLOURS[role]
                (self.lines[name],) = ax.plot(self.time_days, nan, color=colour)
                (self.visit_marks[name],) = ax.plot(
                    [], [], "v", ms=12, color=plotting.ROLE_COLOURS["refill"], clip_on=False
                )
                ax.set_ylim(0, 42)
                plotting.label(ax, ylabel=f"reservoir {name} [mL]")
        axes[-1].set_xlim(0, self.time_days[-1])
        plotting.label(axes[-1], "days since first fill [day]")
        self.fig, self.axes = fig, axes
        self._register_figure(fig, [*self.lines.values(), *self.visit_marks.values()])

    def compute(self):
        """
        The model results for the current controls.

        Returns
        -------
        results : dict
            Per program name: ``plan`` (helpers.refill.RefillPlan), ``reservoir_ml``,
            ``visits`` (tuple of datetime.date) and ``visits_per_year``.
        """
        p = self.params
        drug = drugs.get_drug(p["drug"])
        dose = drug.from_display(p["dose"])
        results = {}
        for name, _ in PROGRAMS:
            pump_model, reservoir_ml = controls.parse_pump_choice(p[f"pump_{name}"])
            concentration = drug.from_display(p[f"concentration_{name}"])
            plan, _ = refill.plan_for_pump(
                pump_model, dose, concentration, reservoir_ml, pump_model.alarm_volume_ml,
                drug.stability_at(concentration).model_value, self.margin_days,
            )  # fmt: skip
            interval = max(plan.refill_by_days, ranges.INTERVAL.low)
            first = drug.stability_at(concentration, first_fill=p["first_fill"]).model_value
            results[name] = {
                "plan": plan,
                "reservoir_ml": reservoir_ml,
                "interval_days": interval,
                "visits": refill.refill_dates(
                    self.start_date, interval, MONTHS, first_interval_days=min(first, interval)
                ),
                "visits_per_year": refill.visits_per_year(interval),
            }
        return results

    def _update(self):
        results = self.compute()
        rows, words = [], []
        for name, _ in PROGRAMS:
            r = results[name]
            plan = r["plan"]
            visit_days = [(d - self.start_date).days for d in r["visits"]]
            volume = refill.reservoir_after_visits_ml(
                self.time_days, r["reservoir_ml"], plan.rate_ml_per_day, visit_days
            )
            self.lines[name].set_ydata(volume)
            self.visit_marks[name].set_data(visit_days, [0.0] * len(visit_days))
            first = f"{r['visits'][0]:%d %b}" if r["visits"] else "none"
            words.append(
                f"Program {name}: the {r['reservoir_ml']:g} mL reservoir falls at "
                f"{plan.rate_ml_per_day:.3g} mL/day and is refilled full every "
                f"{int(r['interval_days'])} days: {len(r['visits'])} visits in {MONTHS} months"
                + (f", on days {', '.join(str(d) for d in visit_days[:8])}" if visit_days else "")
                + (" and later" if len(visit_days) > 8 else "")
                + "."
            )
            rows += [
                (
                    f"Program {name}: pump",
                    f"{r['reservoir_ml']:g} mL reservoir, refilled full",
                ),
                (f"Program {name}: rate", f"{plan.rate_ml_per_day:.3g} mL/day"),
                (
                    f"Program {name}: refill every",
                    f"{int(r['interval_days'])} days (set by the {LIMIT_TEXT[plan.limited_by]})",
                ),
                (
                    f"Program {name}: visits",
                    f"{len(r['visits'])} in {MONTHS} months "
                    f"({r['visits_per_year']:.1f} per year), first {first}",
                ),
            ]
        self.readout.value = readout_table(rows)
        self._words = " ".join(words)
        self._redraw()

    def describe(self):
        """Each program's refill interval and visit days, in words."""
        return self._words
