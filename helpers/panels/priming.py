"""Priming with mixing: a saline-filled line pushed by drug at a bolus rate, then maintenance."""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from helpers import catheter, data, plotting, safety, units
from helpers.panels.base import Panel, findings_html, readout_table, slider
from helpers.ranges import control

#: Time axis: 12 hours after the start of the bolus, fixed. [h]
HORIZON_H = 12.0

#: Concentration used for the relative plot; results are shown in % of it. [ug/mL]
REFERENCE_UG_PER_ML = 1000.0


class PrimingResult(NamedTuple):
    """
    What :meth:`PrimingPanel.compute` returns: named, read-only, still unpackable.

    Parameters
    ----------
    mixed : catheter.DoseAtTip
        Dose at the tip with mixing in the line.
    plug : catheter.DoseAtTip
        Dose at the tip without mixing (plug flow).
    """

    mixed: object
    plug: object


class PrimingPanel(Panel):
    """
    Priming panel.

    Controls: mixing (dispersion factor), priming bolus rate, maintenance rate, dead volume.
    Shows the concentration at the tip in % of the reservoir's over twelve hours, with the
    bolus end and the monitoring period marked: drug arrives early, then dips.
    """

    def __init__(self):
        super().__init__()
        self.time_h = np.linspace(0.0, HORIZON_H, 481)
        self.widgets = {
            "dispersion_factor": slider(
                widgets.FloatLogSlider,
                "Mixing factor [-]",
                control("Priming.dispersion_factor"),
                step=0.02,
                value=10.0,
            ),
            "prime_rate_ml_per_day": slider(
                widgets.FloatLogSlider,
                "Bolus rate [mL/day]",
                control("Priming.prime_rate_ml_per_day"),
                step=0.01,
                value=24.0,
            ),
            "rate_ml_per_day": slider(
                widgets.FloatLogSlider,
                "Maintenance [mL/day]",
                control("Priming.rate_ml_per_day"),
                step=0.01,
                value=0.5,
            ),
            "dead_volume_ml": slider(
                widgets.FloatSlider,
                "Dead volume [mL]",
                control("Priming.dead_volume_ml"),
                step=0.01,
                value=0.43,
            ),
        }
        self._start()

    def _build_figure(self):
        fig, ax = plotting.new_figure()
        colours = plotting.ROLE_COLOURS
        nan = np.full_like(self.time_h, np.nan)
        monitoring_h = data.lookup("catheters", "priming_monitoring").model_value * 24
        with plotting.style_context():
            ax.axhline(100, color=colours["limit"], ls="--", lw=1.5, label="reservoir")
            ax.axvspan(
                0, monitoring_h, color=colours["band"], alpha=0.15, label="monitor the patient"
            )
            (self.tip,) = ax.plot(self.time_h, nan, color=colours["nominal"], label="at the tip")
            (self.plug,) = ax.plot(
                self.time_h, nan, color=colours["second"], ls=":", label="without mixing"
            )
            self.bolus_end = ax.axvline(0, color=colours["refill"], ls="-.", label="bolus ends")
        ax.set_xlim(0, HORIZON_H)
        ax.set_ylim(0, 110)
        plotting.label(ax, "hours since the bolus started [h]", "concentration at the tip [%]")
        fig.legend(loc="outside lower center", ncols=3, frameon=False)
        self.fig, self.ax = fig, ax
        self._register_figure(fig, [self.tip, self.plug, self.bolus_end])

    def compute(self):
        """
        Priming with and without mixing for the current controls.

        Returns
        -------
        mixed, plug : helpers.catheter.DoseAtTip
        """
        p = self.params
        args = (
            REFERENCE_UG_PER_ML,
            p["rate_ml_per_day"],
            p["dead_volume_ml"],
            p["prime_rate_ml_per_day"],
            units.hours_to_days(self.time_h),
        )
        mixed = catheter.priming(*args, dispersion_factor=p["dispersion_factor"])
        plug = catheter.priming(*args, dispersion_factor=0.0)
        return PrimingResult(mixed, plug)

    def _update(self):
        mixed, plug = self.compute()
        for artist, result in ((self.tip, mixed), (self.plug, plug)):
            artist.set_data(
                units.days_to_hours(result.line.time_days),
                100 * result.line.tip_ug_per_ml / REFERENCE_UG_PER_ML,
            )
        bolus_h = units.days_to_hours(mixed.bolus_days)
        self.bolus_end.set_xdata([bolus_h] * 2)
        arrival_h = units.days_to_hours(catheter.arrival_days(mixed))
        after = mixed.line.time_days > mixed.bolus_days
        if after.any():
            lowest = 100 * mixed.line.tip_ug_per_ml[after].min() / REFERENCE_UG_PER_ML
            dip = f"{lowest:.1f} % of the reservoir's"
        else:
            dip = "the bolus lasts beyond the plot"
        low = after & (mixed.line.tip_ug_per_ml < 0.9 * REFERENCE_UG_PER_ML)
        below_h = units.days_to_hours(np.ptp(mixed.line.time_days[low])) if low.any() else 0.0
        line_full = REFERENCE_UG_PER_ML * self.params["dead_volume_ml"]
        self.readout.value = readout_table(
            [
                (
                    "Bolus",
                    f"{self.params['dead_volume_ml']:.2f} mL in {bolus_h * 60:.1f} min",
                ),
                ("Drug first at the tip (5 %)", f"after {arrival_h * 60:.0f} min"),
                (
                    "Drug given before the bolus ends",
                    f"{100 * mixed.bolus_old_drug_ug / line_full:.0f} % of a line-full",
                ),
                ("Lowest concentration after the bolus", dip),
                ("Below 90 % after the bolus for", f"{below_h:.2f} h"),
            ]
        )
        self.findings.value = findings_html(
            safety.priming_findings(
                self.params["prime_rate_ml_per_day"], self.params["rate_ml_per_day"]
            )
        )
        self._redraw()
