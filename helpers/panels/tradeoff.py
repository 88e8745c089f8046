"""The trade-off: at a fixed daily dose, concentration sets both flow rate and refill interval."""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from helpers import data, drugs, plotting, refill
from helpers.panels import controls
from helpers.panels.base import Panel, dropdown, range_drug_sliders, readout_table, slider

#: Points along the concentration axis. [-]
GRID_POINTS = 200


class TradeOffResult(NamedTuple):
    """
    What :meth:`TradeOffPanel.compute` returns: named, read-only, still unpackable.

    Parameters
    ----------
    drug : Drug
        The drug in the pump.
    pump_model : PumpModel
        The pump.
    curves : refill.TradeOff
        The trade-off over concentrations.
    choice : refill.RefillPlan
        The plan at the chosen concentration.
    """

    drug: object
    pump_model: object
    curves: object
    choice: object


class TradeOffPanel(Panel):
    """
    Trade-off panel.

    Controls: drug, pump and reservoir, daily dose, and the chosen concentration. Shows
    the refill interval (left axis) and the flow rate (right axis, logarithmic) over the
    drug's concentration range, the pump's rate limits and the drug's maximum
    concentration as shaded no-go regions, and the current choice as moving markers.
    """

    def __init__(self, drug="morphine", pump_choice="peristaltic:20"):
        super().__init__()
        self._static_changed = True
        self.margin_days = data.lookup("practice", "refill_margin").model_value
        self.widgets = {
            "drug": dropdown("Drug", controls.drug_options(), drug),
            "pump": dropdown("Pump", controls.pump_options(), pump_choice),
            "dose": slider(widgets.FloatLogSlider, "Daily dose", base=10),
            "concentration": slider(widgets.FloatLogSlider, "Concentration", base=10),
        }
        self._start(drug)

    def _reactions(self):
        return {"drug": self._apply_drug, "pump": self._apply_pump}

    def _apply_pump(self, choice):
        """A new pump moves the no-go regions; redraw everything once."""
        self._static_changed = True

    def _apply_drug(self, key):
        drug = drugs.get_drug(key)
        range_drug_sliders(self.widgets, drug)
        low, high, _ = controls.concentration_range(drug)
        self.grid = np.geomspace(low, high, GRID_POINTS)
        self.ax.set_xlim(low, high)
        plotting.label(self.ax, f"concentration [{drug.concentration_unit}]")
        self._static_changed = True

    def _build_figure(self):
        fig, ax = plotting.new_figure()
        colours = plotting.ROLE_COLOURS
        rate_ax = ax.twinx()
        nan = np.full(GRID_POINTS, np.nan)
        with plotting.style_context():
            (self.interval_line,) = ax.plot(
                nan, nan, color=colours["nominal"], label="refill interval (left)"
            )
            (self.alarm_line,) = ax.plot(
                nan,
                nan,
                color=colours["nominal"],
                ls="--",
                lw=1.5,
                label="days to alarm, no stability cap (left)",
            )
            (self.rate_line,) = rate_ax.plot(
                nan, nan, color=colours["second"], label="flow rate (right)"
            )
            (self.interval_dot,) = ax.plot([np.nan], [np.nan], "o", ms=11, color=colours["nominal"])
            (self.rate_dot,) = rate_ax.plot([np.nan], [np.nan], "s", ms=10, color=colours["second"])
            self.slow_zone = ax.axvspan(
                1,
                1,
                color=colours["alarm"],
                alpha=0.15,
                hatch="\\\\",
                label="rate below pump minimum",
            )
            self.fast_zone = ax.axvspan(
                1,
                1,
                color=colours["limit"],
                alpha=0.12,
                hatch="//",
                label="rate above pump maximum",
            )
            self.max_conc_line = ax.axvline(
                1, color=colours["alarm"], lw=2.5, label="maximum concentration"
            )
        ax.set_xscale("log")
        ax.set_ylim(0, 200)
        rate_ax.set_yscale("log")
        rate_ax.set_ylim(1e-3, 1e2)
        rate_ax.spines["right"].set_visible(True)
        rate_ax.grid(False)
        plotting.label(ax, "concentration [-]", "refill interval [day]")
        plotting.label(rate_ax, ylabel="flow rate [mL/day]")
        handles = [
            self.interval_line,
            self.alarm_line,
            self.rate_line,
            self.slow_zone,
            self.fast_zone,
            self.max_conc_line,
        ]
        fig.legend(handles=handles, loc="outside lower center", ncols=2, frameon=False)
        ax.xaxis.set_major_formatter(plotting.PLAIN_NUMBERS)
        self.fig, self.ax, self.rate_ax = fig, ax, rate_ax
        self._register_figure(
            fig,
            [
                self.slow_zone,
                self.fast_zone,
                self.max_conc_line,
                self.interval_line,
                self.alarm_line,
                self.rate_line,
                self.interval_dot,
                self.rate_dot,
            ],
        )

    def compute(self):
        """
        The model results for the current controls.

        Returns
        -------
        drug : helpers.drugs.Drug
        pump_model : helpers.pump.PumpModel
        curves : helpers.refill.TradeOff
            Over the drug's concentration grid.
        choice : helpers.refill.TradeOff
            At the chosen concentration.
        """
        p = self.params
        drug = drugs.get_drug(p["drug"])
        pump_model, reservoir_ml = controls.parse_pump_choice(p["pump"])
        dose = drug.from_display(p["dose"])
        args = (reservoir_ml, pump_model.alarm_volume_ml, drug.stability_days, self.margin_days)
        curves = refill.tradeoff(dose, drug.from_display(self.grid), *args)
        choice = refill.tradeoff(dose, drug.from_display(np.array([p["concentration"]])), *args)
        return TradeOffResult(drug, pump_model, curves, choice)

    def _update(self):
        drug, pump_model, curves, choice = self.compute()
        reservoir_ml = controls.parse_pump_choice(self.params["pump"])[1]
        dose_ug = drug.from_display(self.params["dose"])
        x = self.grid
        self.interval_line.set_data(x, curves.refill_by_days)
        self.alarm_line.set_data(x, curves.days_to_alarm)
        self.rate_line.set_data(x, curves.rate_ml_per_day)
        c = self.params["concentration"]
        self.interval_dot.set_data([c], choice.refill_by_days)
        self.rate_dot.set_data([c], choice.rate_ml_per_day)
        # Rate below the pump minimum <=> concentration above dose / minimum rate.
        slow_from = drug.to_display(dose_ug / pump_model.min_rate_ml_per_day)
        fast_until = drug.to_display(dose_ug / pump_model.max_rate_ml_per_day)
        _set_span(self.slow_zone, slow_from, x[-1] * 10)
        _set_span(self.fast_zone, x[0] / 10, fast_until)
        max_conc = drug.highest_concentration_ug_per_ml
        self.max_conc_line.set_xdata([drug.to_display(max_conc)] * 2)
        unit = drug.concentration_unit
        rate = choice.rate_ml_per_day[0]
        rows = [
            (
                "Pump",
                f"{reservoir_ml:g} mL reservoir, alarm at {pump_model.alarm_volume_ml:g} mL",
            ),
            ("Flow rate", f"{rate:.3g} mL/day" if np.isfinite(rate) else "out of range"),
            ("Refill interval", f"{choice.refill_by_days[0]:.0f} days"),
            (
                "Pump can run between",
                f"{fast_until:.3g} and {slow_from:.3g} {unit} at this dose",
            ),
            (
                "Maximum concentration",
                f"{drug.to_display(max_conc):.3g} {unit}"
                + (
                    ""
                    if drug.max_concentration and drug.max_concentration.verified
                    else " (teaching assumption or highest strength)"
                ),
            ),
        ]
        self.readout.value = readout_table(rows)
        self._redraw(full=self._static_changed)
        self._static_changed = False


def _set_span(span, x0, x1):
    """Move a vertical span (a Rectangle in Matplotlib >= 3.9) to cover x0..x1."""
    span.set_x(x0)
    span.set_width(max(x1 - x0, 0.0))
