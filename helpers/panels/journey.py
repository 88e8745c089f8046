"""The drug's journey: a new solution's front moving from the reservoir to the catheter tip."""

from __future__ import annotations

import ipywidgets as widgets
from matplotlib.patches import Rectangle

from helpers import catheter, plotting, units
from helpers.panels.base import Panel, dropdown, readout_table, slider
from helpers.ranges import control

#: Height of the drawn line in the schematic (axes units). [-]
BAR = (0.35, 0.3)


class JourneyPanel(Panel):
    """
    Journey panel.

    Controls: catheter, trimmed length, pump path volume, flow rate and time since the
    change. Shows the line (pump path, then catheter) as a bar in proportion to volume,
    filled with the new solution up to its front, and the transit time.
    """

    def __init__(self, catheter_key="peristaltic"):
        super().__init__()
        model = catheter.get_catheter(catheter_key)
        self.widgets = {
            "catheter": dropdown(
                "Catheter",
                [(catheter.get_catheter(k).name, k) for k in catheter.CATHETERS],
                catheter_key,
            ),
            "trimmed_length_cm": slider(
                widgets.FloatSlider,
                "Trimmed length [cm]",
                control("Journey.trimmed_length_cm"),
                step=1.0,
                value=0.0,
            ),
            "pump_path_volume_ml": slider(
                widgets.FloatSlider,
                "Pump path volume [mL]",
                control("Journey.pump_path_volume_ml"),
                step=0.01,
                value=model.pump_path_volume.model_value,
            ),
            "rate_ul_per_h": slider(
                widgets.FloatLogSlider,
                "Flow rate [uL/h]",
                control("Journey.rate_ul_per_h"),
                step=0.01,
                value=12.5,
            ),
            "time_h": slider(
                widgets.FloatSlider,
                "Time since change [h]",
                control("Journey.time_h"),
                step=1.0,
                value=12.0,
            ),
        }
        self._start()

    def _build_figure(self):
        fig, ax = plotting.new_figure(figsize=(8.0, 3.0))
        colours = plotting.ROLE_COLOURS
        y, h = BAR
        top = y + h + 0.06
        with plotting.style_context():
            ax.add_patch(Rectangle((-0.12, y - 0.1), 0.1, h + 0.2, color=colours["band"]))
            ax.text(-0.07, y - 0.2, "reservoir", ha="center", va="top")
            ax.add_patch(
                Rectangle((0, y), 1, h, fill=False, lw=2, ec=colours["limit"], label="old solution")
            )
            ax.text(1.0, y - 0.2, "catheter tip", ha="right", va="top")
            self.new_drug = ax.add_patch(
                Rectangle((0, y), 0, h, color=colours["refill"], label="new solution")
            )
            (self.front,) = ax.plot(
                [0, 0],
                [y - 0.05, y + h + 0.05],
                color=colours["alarm"],
                lw=3,
                label="front of the new solution",
            )
            (self.port,) = ax.plot(
                [0, 0], [y, y + h], color=colours["limit"], ls=":", lw=2, label="catheter port"
            )
            self.path_label = ax.text(0, top, "pump path", ha="center", va="bottom")
            self.catheter_label = ax.text(0.5, top, "catheter", ha="center", va="bottom")
            self.clock = ax.text(0.5, 0.98, "", ha="center", va="top")
        ax.set_xlim(-0.15, 1.05)
        ax.set_ylim(0, 1)
        ax.axis("off")
        ax.set_title("the line from reservoir to tip, drawn in proportion to volume")
        fig.legend(loc="outside lower center", ncols=4, frameon=False, handlelength=1.5)
        self.fig, self.ax = fig, ax
        self._register_figure(
            fig,
            [
                self.new_drug,
                self.front,
                self.port,
                self.path_label,
                self.catheter_label,
                self.clock,
            ],
        )

    def compute(self):
        """
        Geometry and transit for the current controls.

        Returns
        -------
        result : dict
            ``implanted_cm``, ``catheter_ml``, ``dead_ml``, ``rate_ml_per_day``,
            ``transit_days`` and ``front_fraction`` (0 to 1).
        """
        p = self.params
        model = catheter.get_catheter(p["catheter"])
        implanted = catheter.implanted_length_cm(
            model.supplied_length.model_value, p["trimmed_length_cm"]
        )
        per_cm = model.volume_per_length.model_value
        catheter_ml = catheter.dead_volume_ml(implanted, per_cm, 0.0)
        dead = catheter.dead_volume_ml(implanted, per_cm, p["pump_path_volume_ml"])
        rate = units.ul_per_h_to_ml_per_day(p["rate_ul_per_h"])
        transit = catheter.transit_time_days(dead, rate)
        moved = rate * units.hours_to_days(p["time_h"])
        return {
            "implanted_cm": implanted,
            "catheter_ml": catheter_ml,
            "dead_ml": dead,
            "rate_ml_per_day": rate,
            "transit_days": transit,
            "front_fraction": min(moved / dead, 1.0),
        }

    def describe(self):
        """Where the front of the new solution is, and when it reaches the tip."""
        return self._words

    def _update(self):
        r = self.compute()
        port = self.params["pump_path_volume_ml"] / r["dead_ml"]
        self.new_drug.set_width(r["front_fraction"])
        self.front.set_xdata([r["front_fraction"]] * 2)
        self.port.set_xdata([port] * 2)
        self.path_label.set_x(port / 2)
        self.catheter_label.set_x((port + 1.0) / 2)
        arrived = "yes" if r["front_fraction"] >= 1 else "not yet"
        time_h = self.params["time_h"]
        transit_h = units.days_to_hours(r["transit_days"])
        where = (
            "it has reached the tip"
            if r["front_fraction"] >= 1
            else f"its front is {100 * r['front_fraction']:.0f} % of the way to the tip"
        )
        self._words = (
            f"{time_h:.0f} h after the change the new solution has pushed "
            f"{min(r['rate_ml_per_day'] * units.hours_to_days(time_h), r['dead_ml']):.3g} mL "
            f"of the old one out of the {r['dead_ml']:.3g} mL line: {where}. It reaches the "
            f"tip {transit_h:.1f} h after the change."
        )
        self.clock.set_text(
            f"{time_h:.0f} h after the change: new solution {100 * r['front_fraction']:.0f} % "
            "of the way to the tip"
        )
        self.readout.value = readout_table(
            [
                ("Implanted catheter", f"{r['implanted_cm']:.0f} cm = {r['catheter_ml']:.3f} mL"),
                ("Dead volume (path + catheter)", f"{r['dead_ml']:.3f} mL"),
                ("Flow rate", f"{r['rate_ml_per_day']:.3g} mL/day"),
                (
                    "Transit time",
                    f"{units.days_to_hours(r['transit_days']):.1f} h = "
                    f"{r['transit_days']:.2f} days",
                ),
                (
                    "Time since the change",
                    f"{time_h:.0f} h = {units.hours_to_days(time_h):.2f} days",
                ),
                (
                    "New solution at the tip?",
                    f"{arrived} ({100 * r['front_fraction']:.0f} % of the way)",
                ),
            ]
        )
        self._redraw()
