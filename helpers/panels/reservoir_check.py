"""What the reservoir tells you: expected against measured residual volume at the next refill."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from helpers import data, plotting, pump, reconciliation, safety
from helpers.panels.base import Panel, dropdown, findings_html, readout_table, slider
from helpers.ranges import control

#: Bars of the left plot, in order.
BARS = ("expected", "measured")


class ReservoirCheckPanel(Panel):
    """
    Reservoir-check panel.

    Controls: what happened (scenario), fill volume, programmed rate, days since the last
    refill. Shows the expected and measured residual with the pump's accuracy band and the
    2 mL rule, the volume reaching the CSF over the interval, and whether to investigate.
    """

    def __init__(self):
        super().__init__()
        self.pump_model = pump.get_pump("peristaltic")
        self.widgets = {
            "scenario": dropdown(
                "What happened",
                [(text.capitalize(), key) for key, text in reconciliation.SCENARIOS.items()],
                "normal",
            ),
            "fill_volume_ml": slider(
                widgets.FloatSlider,
                "Fill volume [mL]",
                control("ReservoirCheck.fill_volume_ml"),
                step=0.5,
                value=20.0,
            ),
            "rate_ml_per_day": slider(
                widgets.FloatSlider,
                "Rate [mL/day]",
                control("ReservoirCheck.rate_ml_per_day"),
                step=0.01,
                value=0.3,
            ),
            "days": slider(
                widgets.FloatSlider,
                "Days since refill [day]",
                control("ReservoirCheck.days"),
                step=1.0,
                value=50.0,
            ),
        }
        self._start()

    def _build_figure(self):
        fig, (bars_ax, flow_ax) = plotting.new_figure(1, 2, width_ratios=(1, 2))
        colours = plotting.ROLE_COLOURS
        with plotting.style_context():
            self.band = bars_ax.bar(
                [0],
                [0],
                bottom=[0],
                width=0.9,
                color=colours["band"],
                alpha=0.5,
                label="pump within spec",
            )[0]
            self.bars = bars_ax.bar(
                [0, 1], [0, 0], width=0.5, color=[colours["nominal"], colours["second"]]
            )
            (self.rule,) = bars_ax.plot([], [], color=colours["alarm"], ls="--", label="+-2 mL")
            (self.reaching,) = flow_ax.plot([], [], color=colours["nominal"], label="reaching CSF")
            (self.programmed,) = flow_ax.plot(
                [], [], color=colours["limit"], ls="--", label="programmed"
            )
        bars_ax.set_xticks([0, 1], ["expected", "measured"])
        bars_ax.set_xlim(-0.6, 1.6)
        bars_ax.set_ylim(0, 42)
        plotting.label(bars_ax, ylabel="residual volume [mL]")
        bars_ax.legend(loc="upper right", frameon=False)
        flow_ax.set_ylim(0, 1.4)
        plotting.label(flow_ax, "days since the last refill [day]", "volume to CSF [mL/day]")
        flow_ax.legend(loc="upper right", frameon=False)
        self.fig, self.bars_ax, self.flow_ax = fig, bars_ax, flow_ax
        self._static_changed = True
        self._register_figure(
            fig, [self.band, *self.bars, self.rule, self.reaching, self.programmed]
        )

    def compute(self):
        """
        The reconciliation for the current controls.

        Returns
        -------
        result : helpers.reconciliation.Reconciliation
        """
        p = self.params
        return reconciliation.reconcile(
            p["scenario"],
            p["fill_volume_ml"],
            p["rate_ml_per_day"],
            p["days"],
            self.pump_model.accuracy_percent,
        )

    def _update(self):
        r = self.compute()
        limit = data.lookup("practice", "refill_discrepancy").model_value
        self.band.set_y(r.fastest_ml)
        self.band.set_height(r.slowest_ml - r.fastest_ml)
        for bar, value in zip(self.bars, (r.expected_ml, r.measured_ml), strict=True):
            bar.set_height(value)
        self.rule.set_data(
            [-0.45, 0.45, np.nan, -0.45, 0.45],
            [r.expected_ml - limit] * 2 + [np.nan] + [r.expected_ml + limit] * 2,
        )
        self.reaching.set_data(r.time_days, r.to_csf_ml_per_day)
        self.programmed.set_data(
            r.time_days, np.full_like(r.time_days, self.params["rate_ml_per_day"])
        )
        if self.flow_ax.get_xlim()[1] != self.params["days"]:
            self.flow_ax.set_xlim(0, self.params["days"])
            self._static_changed = True
        self.readout.value = readout_table(
            [
                ("What happened", reconciliation.SCENARIOS[r.scenario]),
                ("Expected residual", f"{r.expected_ml:.2f} mL"),
                ("Pump within spec", f"{r.fastest_ml:.2f} to {r.slowest_ml:.2f} mL"),
                ("Measured residual", f"{r.measured_ml:.2f} mL"),
                ("Discrepancy", f"{r.discrepancy_ml:+.2f} mL"),
            ]
        )
        self.findings.value = findings_html(
            safety.refill_discrepancy_findings(bool(r.flagged), r.reason)
        )
        self._redraw(full=self._static_changed)
        self._static_changed = False
