"""Restart after an empty reservoir: the gap without drug, and how to restart safely."""

from __future__ import annotations

from dataclasses import dataclass

import ipywidgets as widgets
import numpy as np

from helpers import catheter, drugs, plotting, safety
from helpers.panels import controls
from helpers.panels.base import (
    Panel,
    dropdown,
    findings_html,
    readout_table,
    set_dose_slider,
    slider,
)
from helpers.ranges import control

#: Day on which the reservoir runs dry. [day]
EMPTY_DAY = 2.0

#: Time axis: three weeks from the last refill's end, fixed. [day]
HORIZON_DAYS = 21.0


@dataclass(frozen=True)
class RestartResult:
    """
    What the restart panel shows.

    Parameters
    ----------
    drug : helpers.drugs.Drug
        The drug in the pump. [-]
    tip : helpers.catheter.DoseAtTip
        Dose at the tip against the old programmed dose. [-]
    findings : tuple of helpers.safety.Finding
        The safety findings for this restart, most serious first. [-]
    """

    drug: drugs.Drug
    tip: catheter.DoseAtTip
    findings: tuple


class RestartPanel(Panel):
    """
    Restart panel.

    Controls: drug, daily dose, days without drug, restart dose in % of the old dose.
    Shows the dose at the tip over three weeks: the gap after the reservoir runs dry on
    day 2, then the restart; the findings say when the gap risks withdrawal and when a
    restart at the old dose risks an overdose because tolerance may be lost.
    """

    def __init__(self, drug="morphine"):
        super().__init__()
        line = catheter.get_catheter("peristaltic")
        self.dead_volume_ml = catheter.dead_volume_ml(
            line.supplied_length.model_value,
            line.volume_per_length.model_value,
            line.pump_path_volume.model_value,
        )
        self.time_days = np.linspace(0.0, HORIZON_DAYS, 2017)
        self.widgets = {
            "drug": dropdown("Drug", controls.drug_options(), drug),
            "dose": slider(widgets.FloatLogSlider, "Daily dose", base=10),
            "gap_days": slider(
                widgets.FloatSlider,
                "Days without drug [day]",
                control("Restart.gap_days"),
                step=0.5,
                value=1.0,
            ),
            "restart_percent": slider(
                widgets.FloatSlider,
                "Restart at [% of old dose]",
                control("Restart.restart_percent"),
                step=5.0,
                value=100.0,
            ),
        }
        self._start(drug)

    def _apply_drug(self, key):
        drug = drugs.get_drug(key)
        set_dose_slider(self.widgets["dose"], drug)
        plotting.label(self.ax, ylabel=f"dose at the tip [{drug.dose_unit}]")
        self._static_changed = True

    def _build_figure(self):
        fig, ax = plotting.new_figure()
        colours = plotting.ROLE_COLOURS
        zeros = np.zeros_like(self.time_days)
        with plotting.style_context():
            self.window = ax.axvspan(0.0, 0.0, color=colours["band"], alpha=0.3, lw=0)
            self.window.set_label("tolerance may be lost")
            (self.intended,) = ax.plot(
                self.time_days, zeros, ls="--", color=colours["limit"], label="old dose"
            )
            (self.delivered,) = ax.plot(
                self.time_days, zeros, color=colours["nominal"], label="reaching the tip"
            )
            self.empty = ax.axvline(
                EMPTY_DAY, color=colours["alarm"], ls=":", label="reservoir empty"
            )
            self.refill = ax.axvline(0.0, color=colours["refill"], ls="-.", label="refill")
        ax.set_xlim(0, HORIZON_DAYS)
        plotting.label(ax, "days [day]", "dose at the tip [-]")
        fig.legend(loc="outside lower center", ncols=3, frameon=False)
        self.fig, self.ax = fig, ax
        self._static_changed = True
        self._register_figure(
            fig, [self.window, self.intended, self.delivered, self.empty, self.refill]
        )

    def compute(self):
        """
        The restart for the current controls.

        Returns
        -------
        result : RestartResult
            Drug, dose at the tip and findings. [-]
        """
        p = self.params
        drug = drugs.get_drug(p["drug"])
        dose = drug.from_display(p["dose"])
        concentration = dose / controls.TYPICAL_RATE_ML_PER_DAY
        tip = catheter.restart_after_empty(
            concentration,
            controls.TYPICAL_RATE_ML_PER_DAY,
            self.dead_volume_ml,
            EMPTY_DAY,
            p["gap_days"],
            self.time_days,
            restart_percent=p["restart_percent"],
        )
        findings = safety.restart_findings(drug, p["gap_days"], p["restart_percent"])
        return RestartResult(drug, tip, findings)

    def _update(self):
        p = self.params
        result = self.compute()
        drug, tip = result.drug, result.tip
        days = tip.line.time_days
        delivered = drug.to_display(tip.line.tip_ug_per_day)
        intended = drug.to_display(tip.intended_ug_per_day)
        self.delivered.set_data(days, delivered)
        self.intended.set_data(days, intended)
        restart_day = EMPTY_DAY + p["gap_days"]
        self.refill.set_xdata([restart_day] * 2)
        window = drug.tolerance_loss
        start = EMPTY_DAY + (window.model_value if window is not None else HORIZON_DAYS)
        self.window.set_x(start)
        self.window.set_width(max(restart_day - start, 0.0))
        if self._static_changed:
            self.ax.set_ylim(0, 1.3 * intended[0])
        missed = drug.to_display(tip.intended_ug_per_day[0] * p["gap_days"])
        unit = drug.mass_unit
        if window is not None:
            tolerance = f"after {window.value:g} days ({window.status})"
        elif drug.restart is not None:
            tolerance = f"restart as labelled: {drug.restart.statement}"
        else:
            tolerance = "no restart rule in the data for this drug"
        restart_dose = p["dose"] * p["restart_percent"] / 100.0
        self.readout.value = readout_table(
            [
                ("Reservoir empty", f"day {EMPTY_DAY:g}"),
                ("Refilled", f"day {restart_day:g}, {p['gap_days']:g} days without drug"),
                ("Drug missed", f"{missed:.3g} {unit}"),
                ("Restart dose", f"{restart_dose:.3g} {drug.dose_unit}"),
                ("Tolerance may be lost", tolerance),
                ("Withdrawal", drug.withdrawal.statement),
            ]
        )
        self.findings.value = findings_html(result.findings)
        self._redraw(full=self._static_changed)
        self._static_changed = False

    def sources(self):
        """Data-file keys behind this panel's rules, for :func:`sources_table`."""
        drug = drugs.get_drug(self.params["drug"])
        keys = ["practice.restart_after_gap_max", drug.withdrawal.key]
        keys += [q.key for q in (drug.tolerance_loss, drug.restart) if q is not None]
        return keys
