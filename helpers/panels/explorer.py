"""The trade-off explorer: one dashboard over the shared models, with plan A against plan B."""

from __future__ import annotations

import dataclasses
import datetime
from functools import lru_cache

import ipywidgets as widgets
import numpy as np
from matplotlib.lines import Line2D

from helpers import catheter, data, drugs, plotting, pump, ranges, refill, safety, spine, units
from helpers.panels import controls
from helpers.panels.base import (
    LIMIT_TEXT,
    Panel,
    dropdown,
    findings_html,
    range_drug_sliders,
    readout_table,
    set_log_slider,
    slider,
)
from helpers.panels.spread import TARGETS, TIP_LEVELS
from helpers.ranges import control

#: The two plans and their line styles.
PLANS = {"A": "-", "B": "--"}

#: Days shown on the reservoir plot. [day]
RESERVOIR_DAYS = np.linspace(0.0, 180.0, 361)

#: Hours after a refill that doubles the concentration (no bridge bolus). [h]
CHANGE_HOURS = np.linspace(0.0, 96.0, 193)

#: Times of the periodic-bolus simulation: two days at ten-minute steps. [day]
BOLUS_DAYS = np.linspace(0.0, 2.0, 2 * 144 + 1)

#: Share of the daily dose given as boluses when a bolus plan is chosen. [-]
BOLUS_SHARE = 0.4

#: Adjuvants that can share the reservoir, with "none" first.
SECOND_DRUGS = ("none", "bupivacaine", "clonidine")

#: Refill dates listed in the calendar readout.
CALENDAR_VISITS = 4


@lru_cache(maxsize=1)
def _canal():
    return spine.canal()


def _dispersion():
    return spine.human_dispersion()


def _visits_text(result):
    days = result["plan"].refill_by_days
    if days < ranges.INTERVAL.low:
        return "more than 365"
    return f"{refill.visits_per_year(days):.1f}"


class ExplorerPanel(Panel):
    """
    Trade-off explorer.

    Controls: which plan the controls edit (A or B), drug, concentration, daily dose, pump,
    catheter length, tip level, target region, periodic boluses per day, and a second
    drug in the same reservoir with its concentration. Shows, for both plans, the
    reservoir over the refill cycle, the dose at the tip after a refill that doubles the
    concentration, and the steady concentration along the spine with the tip and the
    target; the readouts compare flow rate, refill interval and calendar, transit delay,
    tip and target concentrations; the warnings cover both plans.
    """

    def __init__(self, start_date=None):
        super().__init__()
        self.start_date = start_date or datetime.date.today()
        self.widgets = {
            "plan": widgets.ToggleButtons(
                options=[("Plan A", "A"), ("Plan B", "B")],
                value="A",
                description="Editing",
                style={"description_width": "13em"},
            ),
            "drug": dropdown("Drug", controls.drug_options(), "morphine"),
            "concentration": slider(widgets.FloatLogSlider, "Concentration", base=10),
            "dose": slider(widgets.FloatLogSlider, "Daily dose", base=10),
            "pump": dropdown("Pump", controls.pump_options(), "peristaltic:20"),
            "catheter_length_cm": slider(
                widgets.FloatSlider,
                "Catheter length [cm]",
                control("Explorer.catheter_length_cm"),
                step=5.0,
                value=60.0,
            ),
            "tip": dropdown("Catheter tip", [(level, level) for level in TIP_LEVELS], "T10"),
            "target": dropdown(
                "Pain region", [(k, k) for k in TARGETS], "lower abdomen and pelvis (T11)"
            ),
            "boluses_per_day": slider(
                widgets.IntSlider,
                "Periodic boluses per day",
                control("Explorer.boluses_per_day"),
                value=0,
            ),
            "second": dropdown(
                "Second drug",
                [(k if k == "none" else drugs.get_drug(k).name, k) for k in SECOND_DRUGS],
                "none",
            ),
            "second_concentration": slider(
                widgets.FloatLogSlider, "Second drug concentration", base=10
            ),
        }
        range_drug_sliders(self.widgets, drugs.get_drug("morphine"))
        self._range_second("bupivacaine")  # its range ready for when a second drug is chosen
        self.widgets["second_concentration"].disabled = self.widgets["second"].value == "none"
        self.plans = {}
        self._build_figure()
        self.plans = {"A": self._plan_values(), "B": self._plan_values()}
        self._connect()

    # Plans ------------------------------------------------------------------------------

    def _plan_values(self):
        return {k: v for k, v in self.params.items() if k != "plan"}

    def _reactions(self):
        return {"plan": self._switch_plan, "drug": self._apply_drug, "second": self._apply_second}

    def _switch_plan(self, plan):
        """Show the chosen plan's values in the controls (without recomputing twice)."""
        values = self.plans[plan]
        range_drug_sliders(self.widgets, drugs.get_drug(values["drug"]))
        self._range_second(values["second"])
        for name, value in values.items():
            self.widgets[name].value = value

    def _apply_drug(self, key):
        range_drug_sliders(self.widgets, drugs.get_drug(key))

    def _range_second(self, key):
        widget = self.widgets["second_concentration"]
        if key == "none":
            widget.disabled = True
            return
        drug = drugs.get_drug(key)
        set_log_slider(
            widget,
            controls.concentration_control(drug),
            controls.concentration_range(drug)[2],
            f"Second drug [{drug.concentration_unit}]",
        )
        widget.disabled = False

    def _apply_second(self, key):
        self._range_second(key)

    # Figure -----------------------------------------------------------------------------

    def _build_figure(self):
        fig, (res_ax, change_ax, spine_ax) = plotting.new_figure(1, 3, figsize=(13, 4.5))
        colours = {"A": plotting.OKABE_ITO["blue"], "B": plotting.OKABE_ITO["vermillion"]}
        canal = _canal()
        self.lines = {}
        with plotting.style_context():
            for plan, style in PLANS.items():
                nan_res = np.full_like(RESERVOIR_DAYS, np.nan)
                nan_change = np.full_like(CHANGE_HOURS, np.nan)
                nan_spine = np.full_like(canal.x_cm, np.nan)
                (res,) = res_ax.plot(
                    RESERVOIR_DAYS, nan_res, ls=style, color=colours[plan], label=f"plan {plan}"
                )
                refill = res_ax.axvline(0.0, ls=style, color=colours[plan], lw=1)
                (change,) = change_ax.plot(
                    CHANGE_HOURS, nan_change, ls=style, color=colours[plan], label=f"plan {plan}"
                )
                (profile,) = spine_ax.plot(
                    nan_spine, canal.x_cm, ls=style, color=colours[plan], label=f"plan {plan}"
                )
                (tip,) = spine_ax.plot(
                    [np.nan], [np.nan], marker="o", ms=10, color=colours[plan], ls="none"
                )
                (target,) = spine_ax.plot(
                    [np.nan],
                    [np.nan],
                    marker="s",
                    ms=10,
                    color=colours[plan],
                    ls="none",
                    mfc="white",
                )
                (peak,) = spine_ax.plot(
                    [np.nan], [np.nan], marker="^", ms=10, color=colours[plan], ls="none"
                )
                (second,) = spine_ax.plot(nan_spine, canal.x_cm, ls=":", color=colours[plan])
                self.lines[plan] = {
                    "res": res,
                    "refill": refill,
                    "change": change,
                    "profile": profile,
                    "tip": tip,
                    "target": target,
                    "peak": peak,
                    "second": second,
                }
            self.alarm = res_ax.axhline(
                0.0, color=plotting.OKABE_ITO["black"], ls=":", label="alarm"
            )
        res_ax.set_xlim(0.0, RESERVOIR_DAYS[-1])
        res_ax.set_ylim(0.0, 42.0)
        res_ax.legend(loc="upper right", frameon=False)
        plotting.label(res_ax, "days since refill [day]", "reservoir [mL]")
        change_ax.set_xlim(0.0, CHANGE_HOURS[-1])
        change_ax.set_ylim(0.0, 120.0)
        plotting.label(
            change_ax, "hours after a stronger refill [h]", "dose at the tip [% of daily]"
        )
        spine_ax.set_xscale("log")
        spine_ax.set_xlim(1e-3, 1e4)
        spine_ax.set_ylim(0.0, canal.length_cm)
        levels = ("C1", "C7", "T6", "T12", "L3", "S2")
        spine_ax.set_yticks([canal.levels[level] for level in levels], levels)
        plotting.label(spine_ax, "steady CSF concentration [ug/mL]", "level [vertebra]")
        second_key = Line2D([], [], ls=":", color=plotting.OKABE_ITO["black"])
        spine_ax.legend([second_key], ["second drug, if any"], loc="lower right", frameon=False)
        self.fig = fig
        changing = [artist for plan in self.lines.values() for artist in plan.values()]
        self._register_figure(fig, [*changing, self.alarm])

    # Models -----------------------------------------------------------------------------

    def compute_plan(self, values):
        """
        One plan through the shared models.

        Parameters
        ----------
        values : dict
            The plan's control values (display units). [-]

        Returns
        -------
        result : dict
            ``drug``, ``pump_model``, ``reservoir_ml``, ``plan`` (RefillPlan), ``delivered``
            (ug/day), ``dead_volume_ml``, ``transit_h``, ``change`` (DoseAtTip),
            ``profile`` (ug/mL per cell), ``tip_ug_per_ml``, ``target_ug_per_ml``,
            ``peak_ug_per_ml`` (with boluses, else the steady tip level), ``dates``,
            ``findings``, ``second_ug_per_day``, ``second_profile`` (ug/mL per cell, or
            None without a second drug).
        """
        drug = drugs.get_drug(values["drug"])
        model, reservoir = controls.parse_pump_choice(values["pump"])
        concentration = drug.from_display(values["concentration"])
        dose = drug.from_display(values["dose"])
        margin = data.lookup("practice", "refill_margin").model_value
        # A single drug at a commercial strength is undiluted; an admixture never is.
        stability = drug.stability_at(concentration).model_value
        concentrations = {drug.key: concentration}
        if values["second"] != "none":
            second = drugs.get_drug(values["second"])
            concentrations[second.key] = second.from_display(values["second_concentration"])
            stability = min(drug.stability_days, second.stability_days)
        plan, delivered = refill.plan_for_pump(
            model, dose, concentration, reservoir, model.alarm_volume_ml, stability, margin
        )
        line = catheter.get_catheter("valve_gated" if model.key == "valve_gated" else "peristaltic")
        dead = catheter.dead_volume_ml(
            values["catheter_length_cm"],
            line.volume_per_length.model_value,
            line.pump_path_volume.model_value,
        )
        change = catheter.concentration_change(
            concentration, 2.0 * concentration, delivered, dead, units.hours_to_days(CHANGE_HOURS)
        )
        canal = _canal()
        clearance = spine.clearance_per_day(drug.key)
        profile = spine.steady_state(
            values["tip"], delivered, _dispersion(), clearance, plan.rate_ml_per_day, canal
        )[:-1]
        tip_level = profile[canal.cell(values["tip"])]
        target_level = profile[canal.cell(TARGETS[values["target"]])]
        peak = tip_level
        if values["boluses_per_day"]:
            source, spread, mixing = spine.periodic_boluses(
                BOLUS_DAYS,
                delivered,
                values["boluses_per_day"],
                1.0,
                canal.area_cm2[canal.cell(values["tip"])],
                BOLUS_SHARE,
            )
            start = spine.steady_state(
                values["tip"], delivered, _dispersion(), clearance, plan.rate_ml_per_day, canal
            )
            run = spine.simulate(
                values["tip"],
                BOLUS_DAYS,
                source,
                _dispersion(),
                clearance,
                rate_ml_per_day=plan.rate_ml_per_day,
                spread_cm=spread,
                geometry=canal,
                initial_ug_per_ml=start,
                mixing_cm2_per_day=mixing,
            )
            peak = float(run.at_level(values["tip"]).max())
        program = safety.Program(model.key, plan.rate_ml_per_day, concentrations, reservoir)
        findings = safety.check_program(program)
        dates = []
        if plan.refill_by_days >= ranges.INTERVAL.low:  # else no calendar can be kept
            dates = refill.refill_dates(self.start_date, plan.refill_by_days, 12)[:CALENDAR_VISITS]
        second_dose = second_profile = None
        if values["second"] != "none":
            second_dose = plan.rate_ml_per_day * concentrations[values["second"]]
            second_profile = spine.steady_state(
                values["tip"],
                second_dose,
                _dispersion(),
                spine.clearance_per_day(values["second"]),
                plan.rate_ml_per_day,
                canal,
            )[:-1]
        return {
            "drug": drug,
            "pump_model": model,
            "reservoir_ml": reservoir,
            "plan": plan,
            "delivered": delivered,
            "dead_volume_ml": dead,
            # The plotted change: twice the concentration, the same dose, so half the rate.
            "transit_h": units.days_to_hours(
                catheter.transit_time_days(dead, plan.rate_ml_per_day / 2.0)
            ),
            "change": change,
            "profile": profile,
            "tip_ug_per_ml": float(tip_level),
            "target_ug_per_ml": float(target_level),
            "peak_ug_per_ml": peak,
            "dates": dates,
            "findings": findings,
            "second": drugs.get_drug(values["second"]) if values["second"] != "none" else None,
            "second_ug_per_day": second_dose,
            "second_profile": second_profile,
            "target_percent": 100.0 * float(target_level) / float(tip_level),
        }

    def compute(self):
        """Both plans: ``{"A": result, "B": result}`` (see :meth:`compute_plan`)."""
        self.plans[self.params["plan"]] = self._plan_values()
        return {plan: self.compute_plan(values) for plan, values in self.plans.items()}

    def _update(self):
        results = self.compute()
        editing = self.params["plan"]
        canal = _canal()
        for plan, r in results.items():
            artists = self.lines[plan]
            width = 3.5 if plan == editing else 1.5
            fill = r["reservoir_ml"]
            artists["res"].set_ydata(
                pump.reservoir_volume_ml(RESERVOIR_DAYS, fill, r["plan"].rate_ml_per_day)
            )
            artists["refill"].set_xdata([min(r["plan"].refill_by_days, RESERVOIR_DAYS[-1])] * 2)
            tip_percent = 100.0 * r["change"].line.tip_ug_per_day / r["delivered"]
            artists["change"].set_data(units.days_to_hours(r["change"].line.time_days), tip_percent)
            artists["profile"].set_xdata(np.maximum(r["profile"], 1e-6))
            second = r["second_profile"]
            artists["second"].set_xdata(
                np.full_like(r["profile"], np.nan) if second is None else np.maximum(second, 1e-6)
            )
            values = self.plans[plan]
            artists["tip"].set_data([r["tip_ug_per_ml"]], [canal.levels[values["tip"]]])
            # With periodic boluses a triangle marks the peak at the tip, above the steady dot.
            peak = r["peak_ug_per_ml"] if values["boluses_per_day"] else np.nan
            artists["peak"].set_data([peak], [canal.levels[values["tip"]]])
            target = TARGETS[values["target"]]
            artists["target"].set_data([max(r["target_ug_per_ml"], 1e-6)], [canal.levels[target]])
            for key in ("res", "change", "profile"):
                artists[key].set_linewidth(width)
        self.alarm.set_ydata([results[editing]["pump_model"].alarm_volume_ml] * 2)
        self._words = " ".join(self._sentence(plan, r) for plan, r in results.items())
        self.readout.value = readout_table(self._rows(results, editing))
        self.findings.value = findings_html(self._findings(results))
        self._redraw()

    def _sentence(self, plan, r):
        drug, values = r["drug"], self.plans[plan]
        per_ml = f"{drug.mass_unit}/mL"
        peak = (
            f", peaking at {drug.to_display(r['peak_ug_per_ml']):.3g} {per_ml} with "
            f"{values['boluses_per_day']:g} boluses a day"
            if values["boluses_per_day"]
            else ""
        )
        hours = units.days_to_hours(r["change"].line.time_days)
        tip_percent = 100.0 * r["change"].line.tip_ug_per_day / r["delivered"]
        moved = np.abs(tip_percent - tip_percent[0])
        half = int(np.argmax(moved >= moved.max() / 2)) if moved.max() > 0 else 0
        change = (
            f" After a stronger refill the dose at the tip goes from {tip_percent[0]:.0f} to "
            f"{tip_percent[-1]:.0f} % of the daily dose, half-way at {hours[half]:.0f} h."
        )
        return (
            f"Plan {plan}: {drug.name.lower()} at {r['plan'].rate_ml_per_day:.3g} mL/day; the "
            f"{r['reservoir_ml']:g} mL reservoir is refilled by day "
            f"{r['plan'].refill_by_days:.0f}. At the tip ({values['tip']}) "
            f"{drug.to_display(r['tip_ug_per_ml']):.3g} {per_ml}{peak}; at the target "
            f"({TARGETS[values['target']]}) {drug.to_display(r['target_ug_per_ml']):.3g} "
            f"{per_ml}.{change}"
        )

    def describe(self):
        """Both plans: rate, refill day, levels at the tip and the target, in words."""
        return self._words

    def _rows(self, results, editing):
        def both(describe):
            return " | ".join(f"{p}: {describe(results[p])}" for p in PLANS)

        def dose_text(r):
            text = f"{r['drug'].to_display(r['delivered']):.3g} {r['drug'].dose_unit}"
            if r["second"] is not None:
                text += f" + {r['second'].to_display(r['second_ug_per_day']):.3g} "
                text += r["second"].dose_unit
            return text

        return [
            ("Editing", f"plan {editing} (thick lines)"),
            ("Drug", both(lambda r: r["drug"].name)),
            ("Daily dose", both(dose_text)),
            ("Flow rate", both(lambda r: f"{r['plan'].rate_ml_per_day:.3g} mL/day")),
            (
                "Refill by",
                both(
                    lambda r: (
                        f"day {r['plan'].refill_by_days:.0f} ({LIMIT_TEXT[r['plan'].limited_by]})"
                    )
                ),
            ),
            (
                "Visits a year",
                both(_visits_text),
            ),
            (
                "Next refills",
                both(lambda r: ", ".join(f"{d:%d %b}" for d in r["dates"]) or "daily or more"),
            ),
            ("Catheter volume", both(lambda r: f"{r['dead_volume_ml']:.2f} mL")),
            ("Delay if the concentration is doubled", both(lambda r: f"{r['transit_h']:.0f} h")),
            ("At the tip", both(lambda r: f"{r['tip_ug_per_ml']:.3g} ug/mL")),
            (
                "At the target",
                both(
                    lambda r: (
                        f"{r['target_ug_per_ml']:.3g} ug/mL ({r['target_percent']:.2g} % of tip)"
                    )
                ),
            ),
            ("Peak at the tip with boluses", both(lambda r: f"{r['peak_ug_per_ml']:.3g} ug/mL")),
        ]

    def _findings(self, results):
        findings = []
        for plan, r in results.items():
            for f in r["findings"]:
                findings.append(dataclasses.replace(f, message=f"Plan {plan}: {f.message}"))
        return list(safety.sort_findings(findings))
