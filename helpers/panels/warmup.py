"""A first panel to learn the controls: dose and concentration set how long a fill lasts."""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from helpers import drugs, plotting, pump
from helpers.panels.base import Panel, readout_table, slider
from helpers.ranges import control

#: Days shown. [day]
DAYS = np.linspace(0.0, 200.0, 201)

#: Fill of the warm-up reservoir. [mL]
FILL_ML = 20.0


class WarmUpResult(NamedTuple):
    """
    What :meth:`WarmUpPanel.compute` returns: named, read-only, still unpackable.

    Parameters
    ----------
    rate_ml_per_day : float
        Flow rate [mL/day].
    days_to_alarm : float
        Days from the refill to the alarm [day].
    """

    rate_ml_per_day: object
    days_to_alarm: object


class WarmUpPanel(Panel):
    """
    Warm-up panel.

    Controls: morphine daily dose and concentration. Shows the 20 mL reservoir emptying
    to the pump's low-reservoir alarm, the flow rate and the days until the alarm.
    """

    def __init__(self):
        super().__init__()
        self.drug = drugs.get_drug("morphine")
        self.model = pump.get_pump("peristaltic")
        self.widgets = {
            "dose": slider(
                widgets.FloatSlider,
                "Daily dose [mg/day]",
                control("WarmUp.dose"),
                step=0.5,
                value=3.0,
            ),
            "concentration": slider(
                widgets.FloatSlider,
                "Concentration [mg/mL]",
                control("WarmUp.concentration"),
                step=1.0,
                value=10.0,
            ),
        }
        fig, ax = plotting.new_figure(figsize=(8, 3.5))
        colours = plotting.ROLE_COLOURS
        with plotting.style_context():
            (self.line,) = ax.plot(
                DAYS, np.full_like(DAYS, np.nan), color=colours["nominal"], label="reservoir"
            )
            ax.axhline(self.model.alarm_volume_ml, color=colours["alarm"], ls="--", label="alarm")
            self.marker = ax.axvline(0.0, color=colours["refill"], ls="-.", label="alarm day")
        ax.set_xlim(0.0, DAYS[-1])
        ax.set_ylim(0.0, FILL_ML * 1.05)
        ax.legend(loc="upper right", frameon=False)
        plotting.label(ax, "days since refill [day]", "drug in reservoir [mL]")
        self.fig = fig
        self._register_figure(fig, [self.line, self.marker])
        self._connect()

    def compute(self):
        """Flow rate [mL/day] and days to the low-reservoir alarm [day]."""
        p = self.params
        rate = pump.flow_rate_ml_per_day(
            self.drug.from_display(p["dose"]), self.drug.from_display(p["concentration"])
        )
        return WarmUpResult(rate, pump.days_to_alarm(FILL_ML, rate, self.model.alarm_volume_ml))

    def _update(self):
        rate, days = self.compute()
        self.line.set_ydata(pump.reservoir_volume_ml(DAYS, FILL_ML, rate))
        self.marker.set_xdata([min(days, DAYS[-1])] * 2)
        self.readout.value = readout_table(
            [
                ("Flow rate", f"{rate:.3g} mL/day"),
                ("Low-reservoir alarm", f"after {days:.0f} days"),
            ]
        )
        self._redraw()
