"""Changing concentration at a refill: the old solution in the line, with or without a bridge."""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from helpers import catheter, drugs, plotting, safety, units
from helpers.panels import controls
from helpers.panels.base import (
    Panel,
    dropdown,
    findings_html,
    readout_table,
    set_dose_slider,
    set_log_slider,
    slider,
)
from helpers.ranges import control

#: Time axis: three days after the refill, fixed. [h]
HORIZON_H = 72.0


class RefillChangeResult(NamedTuple):
    """
    What :meth:`RefillChangePanel.compute` returns: named, read-only, still unpackable.

    Parameters
    ----------
    drug : Drug
        The drug in the pump.
    result : catheter.DoseAtTip
        Dose at the tip through the change.
    """

    drug: object
    result: object


class RefillChangePanel(Panel):
    """
    Refill-change panel.

    Controls: drug, old and new concentration, daily dose, dead volume, bridge bolus on or
    off and its rate. Shows the dose reaching the tip against the dose intended over three
    days, the area between them, and the net over- or under-dose. The bridge rate starts
    at the old prescription's rate :math:`D / C_0` whenever the bridge is switched on or
    the drug changes; a faster bridge raises a DANGER finding
    (:func:`helpers.safety.bridge_findings`).
    """

    def __init__(self, drug="morphine"):
        super().__init__()
        model = catheter.get_catheter("peristaltic")
        default_dead = catheter.dead_volume_ml(
            model.supplied_length.model_value,
            model.volume_per_length.model_value,
            model.pump_path_volume.model_value,
        )
        self.time_h = np.linspace(0.0, HORIZON_H, 721)
        self.widgets = {
            "drug": dropdown("Drug", controls.drug_options(), drug),
            "old_concentration": slider(widgets.FloatLogSlider, "Old", base=10),
            "new_concentration": slider(widgets.FloatLogSlider, "New", base=10),
            "dose": slider(widgets.FloatLogSlider, "Daily dose", base=10),
            "dead_volume_ml": slider(
                widgets.FloatSlider,
                "Dead volume [mL]",
                control("RefillChange.dead_volume_ml"),
                step=0.01,
                value=round(default_dead, 2),
            ),
            "bridge": widgets.Checkbox(description="Bridge bolus", value=False),
            "bridge_rate_ml_per_day": slider(
                widgets.FloatLogSlider,
                "Bridge rate [mL/day]",
                control("RefillChange.bridge_rate_ml_per_day"),
                step=0.01,
                value=1.0,
            ),
        }
        self._build_figure()
        self._apply_drug(drug)
        self._apply_bridge(False)
        self._connect()

    def _reactions(self):
        return {"drug": self._apply_drug, "bridge": self._apply_bridge}

    def _apply_bridge(self, on):
        """The bridge rate only matters with a bridge; switched on, it starts at the old rate."""
        self.widgets["bridge_rate_ml_per_day"].disabled = not on
        if on:
            self.widgets["bridge_rate_ml_per_day"].value = self.old_rate_ml_per_day()

    def old_rate_ml_per_day(self):
        """The old prescription's rate, daily dose over old concentration. [mL/day]"""
        return self.widgets["dose"].value / self.widgets["old_concentration"].value

    def _apply_drug(self, key):
        drug = drugs.get_drug(key)
        rng, default = controls.concentration_control(drug), controls.concentration_range(drug)[2]
        unit = drug.concentration_unit
        set_log_slider(self.widgets["old_concentration"], rng, default, f"Old conc. [{unit}]")
        set_log_slider(
            self.widgets["new_concentration"],
            rng,
            min(2 * default, rng.high),
            f"New conc. [{unit}]",
        )
        set_dose_slider(self.widgets["dose"], drug)
        plotting.label(self.ax, ylabel=f"dose rate at the tip [{drug.dose_unit}]")
        self.widgets["bridge_rate_ml_per_day"].value = self.old_rate_ml_per_day()
        self._static_changed = True

    def findings_now(self):
        """The safety findings for the current controls, most serious first."""
        p = self.params
        drug = drugs.get_drug(p["drug"])
        return safety.bridge_findings(
            drug,
            drug.from_display(p["old_concentration"]),
            drug.from_display(p["new_concentration"]),
            drug.from_display(p["dose"]),
            p["dead_volume_ml"],
            p["bridge_rate_ml_per_day"] if p["bridge"] else 0.0,
        )

    def _build_figure(self):
        fig, ax = plotting.new_figure()
        colours = plotting.ROLE_COLOURS
        zeros = np.zeros_like(self.time_h)
        with plotting.style_context():
            self.gap = ax.fill_between(
                self.time_h,
                zeros,
                zeros,
                color=colours["alarm"],
                alpha=0.3,
                label="over- or under-dose",
            )
            (self.intended,) = ax.plot(
                self.time_h, zeros, ls="--", color=colours["limit"], label="intended"
            )
            (self.delivered,) = ax.plot(
                self.time_h, zeros, color=colours["nominal"], label="reaching the tip"
            )
            self.arrival = ax.axvline(
                0.0, color=colours["refill"], ls=":", label="new solution arrives"
            )
            self.arrival_text = ax.text(
                0.0,
                1.01,
                "",
                color=plotting.text_colour(colours["refill"]),
                ha="center",
                va="bottom",
                transform=ax.get_xaxis_transform(),
            )
        ax.set_xlim(0, HORIZON_H)
        plotting.label(ax, "hours since the refill [h]", "dose rate at the tip [-]")
        fig.legend(loc="outside lower center", ncols=4, frameon=False)
        self.fig, self.ax = fig, ax
        self._static_changed = True
        self._register_figure(
            fig, [self.gap, self.intended, self.delivered, self.arrival, self.arrival_text]
        )

    def compute(self):
        """
        The scenario for the current controls.

        Returns
        -------
        drug : helpers.drugs.Drug
        result : helpers.catheter.DoseAtTip
        """
        p = self.params
        drug = drugs.get_drug(p["drug"])
        bridge = p["bridge_rate_ml_per_day"] if p["bridge"] else 0.0
        result = catheter.concentration_change(
            drug.from_display(p["old_concentration"]),
            drug.from_display(p["new_concentration"]),
            drug.from_display(p["dose"]),
            p["dead_volume_ml"],
            units.hours_to_days(self.time_h),
            bridge_rate_ml_per_day=bridge,
        )
        return RefillChangeResult(drug, result)

    def describe(self):
        """The dose at the tip before and after the new solution arrives, in words."""
        return self._words

    def _update(self):
        drug, result = self.compute()
        line = result.line
        hours = units.days_to_hours(line.time_days)
        delivered = drug.to_display(line.tip_ug_per_day)
        intended = drug.to_display(result.intended_ug_per_day)
        self.delivered.set_data(hours, delivered)
        self.intended.set_data(hours, intended)
        self.gap.set_data(hours, delivered, intended)
        new_rate = line.rate_ml_per_day[-1]
        transit_h = units.days_to_hours(
            result.bolus_days
            + catheter.transit_time_days(self.params["dead_volume_ml"], new_rate)
            * (result.bolus_days == 0)
        )
        self.arrival.set_xdata([transit_h] * 2)
        self.arrival_text.set_x(min(transit_h, HORIZON_H))
        beyond = " (beyond the plot)" if transit_h > HORIZON_H else ""
        self.arrival_text.set_text(f"new solution at {transit_h:.1f} h{beyond}")
        if self._static_changed:
            self.ax.set_ylim(0, 3 * intended[-1])
        excess = drug.to_display(result.excess_ug)
        days_worth = result.excess_ug / result.intended_ug_per_day[-1]
        kind = "over-dose" if excess > 0 else "under-dose"
        unit = drug.mass_unit
        arrives = (
            f"the new solution reaches the tip after {transit_h:.1f} h"
            if transit_h <= HORIZON_H
            else f"the new solution has not reached the tip within {HORIZON_H:.0f} h"
        )
        self._words = (
            f"Dose at the tip after the refill: {delivered[0]:.3g} {drug.dose_unit} at first "
            f"against the intended {intended[-1]:.3g} {drug.dose_unit}; {arrives}, and the "
            f"dose at the tip is {delivered[-1]:.3g} {drug.dose_unit} at {HORIZON_H:.0f} h. "
            f"Net {kind}: {abs(excess):.3g} {unit} (the shaded gap)."
        )
        old_rate = result.intended_ug_per_day[-1] / drug.from_display(
            self.params["old_concentration"]
        )
        rows = [
            ("Old rate / new rate", f"{old_rate:.3g} / {new_rate:.3g} mL/day"),
            ("New solution reaches the tip", f"after {transit_h:.1f} h"),
            (
                f"Net {kind} over {HORIZON_H:.0f} h",
                f"{abs(excess):.3g} {unit} = {abs(days_worth) * 24:.1f} h of the daily dose",
            ),
        ]
        if result.bolus_days:
            rows.append(
                (
                    "Bridge bolus",
                    f"{units.days_to_hours(result.bolus_days) * 60:.0f} min, old drug given: "
                    f"{drug.to_display(result.bolus_old_drug_ug):.3g} {unit}",
                )
            )
        self.readout.value = readout_table(rows)
        self.findings.value = findings_html(self.findings_now())
        self._redraw(full=self._static_changed)
        self._static_changed = False
