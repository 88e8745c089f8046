"""The system: the pump and catheter in the body, the care pathway, and why intrathecal."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Circle, Ellipse, Rectangle

from helpers import data, plotting, routes, spine
from helpers.panels.base import Panel, dropdown, readout_table, slider
from helpers.panels.spread import TICK_LEVELS, TIP_LEVELS
from helpers.ranges import control

#: Height of the spine drawing in the body figure (axes units). [-]
SPINE_BOTTOM, SPINE_TOP = 0.15, 0.85


class BodyPanel(Panel):
    """
    The system in the body.

    Controls: catheter tip level and the catheter length pulled through. Shows a torso with
    the spine, the pump under the skin of the abdomen, and the catheter running to the
    chosen level, with its length.
    """

    def __init__(self):
        super().__init__()
        self.geometry = spine.canal()
        self.widgets = {
            "tip": dropdown("Catheter tip", [(lvl, lvl) for lvl in TIP_LEVELS], "T10"),
            "pump_height": slider(
                widgets.FloatSlider,
                "Pump height [-]",
                control("Body.pump_height"),
                step=0.01,
                value=0.3,
            ),
        }
        self._start()

    def _height(self, level):
        x = self.geometry.position_cm(level) / self.geometry.length_cm
        return SPINE_BOTTOM + x * (SPINE_TOP - SPINE_BOTTOM)

    def _build_figure(self):
        fig, ax = plotting.new_figure(figsize=(6.0, 6.0))
        colours = plotting.ROLE_COLOURS
        with plotting.style_context():
            ax.add_patch(Ellipse((0.5, 0.5), 0.7, 0.95, fill=False, lw=2, ec=colours["limit"]))
            ax.add_patch(Circle((0.5, 0.97), 0.07, fill=False, lw=2, ec=colours["limit"]))
            ax.add_patch(
                Rectangle(
                    (0.7, SPINE_BOTTOM),
                    0.05,
                    SPINE_TOP - SPINE_BOTTOM,
                    color=colours["band"],
                    label="spinal canal",
                )
            )
            for level in TICK_LEVELS:
                ax.text(0.77, self._height(level), level, va="center", fontsize="small")
            self.pump = ax.add_patch(
                Circle((0.3, 0.3), 0.06, color=colours["second"], label="pump and reservoir")
            )
            (self.catheter,) = ax.plot([], [], color=colours["nominal"], lw=3, label="catheter")
            (self.tip,) = ax.plot([], [], "o", ms=12, color=colours["alarm"], label="tip")
        ax.set_xlim(0, 1.1)
        ax.set_ylim(0, 1.08)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title("seen from the side: abdomen left, back right")
        fig.legend(loc="outside lower center", ncols=2, frameon=False)
        self.fig, self.ax = fig, ax
        self._register_figure(fig, [self.pump, self.catheter, self.tip])

    def _update(self):
        p = self.params
        tip_y = self._height(p["tip"])
        pump_y = p["pump_height"]
        entry_y = self._height("L3")
        path_x = [0.36, 0.55, 0.72, 0.725]
        path_y = [pump_y, (pump_y + entry_y) / 2, entry_y, tip_y]
        self.pump.center = (0.3, pump_y)
        self.catheter.set_data(path_x, path_y)
        self.tip.set_data([0.725], [tip_y])
        rise_cm = abs(self.geometry.position_cm(p["tip"]) - self.geometry.position_cm("L3"))
        self.readout.value = readout_table(
            [
                ("Pump pocket", f"lower abdomen, {100 * pump_y:.0f} % up the torso"),
                ("Catheter enters the canal", "lumbar, about L3"),
                ("Tip level", p["tip"]),
                ("Catheter inside the canal", f"about {rise_cm:.0f} cm"),
            ]
        )
        self._redraw()


class RoutePanel(Panel):
    """
    Why intrathecal: equivalent morphine doses by route.

    Controls: a daily morphine dose and its route. Shows the equivalent daily dose on every
    route on a logarithmic axis, with the published spread of measured ratios.
    """

    def __init__(self):
        super().__init__()
        self.widgets = {
            "route": dropdown(
                "Route of the dose",
                [
                    ("by mouth", "oral"),
                    ("intravenous", "iv"),
                    ("epidural", "epidural"),
                    ("intrathecal", "intrathecal"),
                ],
                "oral",
            ),
            "dose_mg": slider(
                widgets.FloatLogSlider,
                "Daily dose [mg/day]",
                control("Route.dose_mg"),
                step=0.01,
                value=300.0,
            ),
        }
        self._start()

    def _build_figure(self):
        fig, ax = plotting.new_figure(figsize=(8.0, 3.2))
        colours = plotting.ROLE_COLOURS
        positions = range(len(routes.ROUTES))
        with plotting.style_context():
            self.bars = ax.barh(
                list(positions),
                [1] * 4,
                left=1e-3,
                color=colours["band"],
                hatch="//",
                edgecolor=colours["nominal"],
                label="textbook chain 300 : 100 : 10 : 1 (assembled, not measured)",
            )
            (self.spread,) = ax.plot(
                [], [], color=colours["alarm"], lw=6, alpha=0.8, label="measured in patients"
            )
        ax.set_xscale("log")
        ax.set_xlim(1e-3, 1e4)
        ax.xaxis.set_major_formatter(plotting.PLAIN_NUMBERS)
        ax.set_yticks(list(positions), ["by mouth", "intravenous", "epidural", "intrathecal"])
        ax.invert_yaxis()
        plotting.label(ax, "equivalent daily morphine dose [mg/day]")
        fig.legend(loc="outside lower center", ncols=2, frameon=False)
        self.fig, self.ax = fig, ax
        self._register_figure(fig, [*self.bars, self.spread])

    def _update(self):
        p = self.params
        doses = routes.equivalent_doses(p["dose_mg"] * 1000.0, p["route"])
        xs, ys = [], []
        rows = []
        for index, (bar, route) in enumerate(zip(self.bars, routes.ROUTES, strict=True)):
            central, low, high = (v / 1000.0 for v in doses[route])
            bar.set_width(central - 1e-3)
            if high > low:
                xs += [low, high, np.nan]
                ys += [index, index, np.nan]
            if high > low:
                outside = " (the chain lies outside it)" if not low <= central <= high else ""
                text = (
                    f"chain {central:.3g} mg/day; measured in patients {low:.3g}-{high:.3g} "
                    f"mg/day{outside}"
                )
            else:
                text = f"chain {central:.3g} mg/day"
            rows.append((route, text))
        rows.append(
            (
                "Read this as",
                "a textbook convention, not a dose: measured ratios vary widely. Intrathecal "
                "opioids are started low and titrated, not converted from the oral dose.",
            )
        )
        self.spread.set_data(xs, ys)
        self.readout.value = readout_table(rows)
        self._redraw()


class PathwayPanel(Panel):
    """
    The care pathway over a pump's life.

    Controls: refill interval and pump service life. Shows evaluation, trial, implant,
    titration, every refill visit, the replacement warning and replacement on a timeline.
    """

    def __init__(self):
        super().__init__()
        low, high = data.lookup("outcomes", "service_life").model_value
        self.widgets = {
            "refill_months": slider(
                widgets.FloatSlider,
                "Refill every [month]",
                control("Pathway.refill_months"),
                step=0.5,
                value=3.0,
            ),
            "life_years": slider(
                widgets.FloatSlider,
                "Service life [year]",
                control("Pathway.life_years"),
                step=0.25,
                value=(low + high) / 2,
            ),
        }
        self._start()

    def _build_figure(self):
        fig, ax = plotting.new_figure(figsize=(9.0, 2.8))
        colours = plotting.ROLE_COLOURS
        with plotting.style_context():
            ax.axhline(0, color=colours["limit"], lw=2)
            steps = ((-0.35, 1.2, "evaluation"), (-0.17, 0.8, "trial"), (0.0, 0.4, "implant"))
            for x, height, label in steps:  # staggered: the three steps are weeks apart
                ax.plot([x], [0], "s", ms=10, color=colours["second"])
                ax.plot([x, x], [0.1, height - 0.05], color=colours["second"], lw=1)
                ax.text(x, height, label, ha="left", va="bottom", fontsize="small")
            ax.axvspan(0.0, 0.1, color=colours["band"], alpha=0.4, label="titration")
            (self.refills,) = ax.plot(
                [], [], "|", ms=22, mew=2, color=colours["refill"], label="refill visits"
            )
            self.warning = ax.axvline(
                0, color=colours["alarm"], ls=":", label="replacement warning"
            )
            (self.replace,) = ax.plot(
                [], [], "D", ms=12, color=colours["alarm"], label="replacement"
            )
        ax.set_xlim(-0.5, 7.5)
        ax.set_ylim(-1, 1.5)
        ax.set_yticks([])
        plotting.label(ax, "years since implant [year]")
        fig.legend(loc="outside lower center", ncols=4, frameon=False)
        self.fig, self.ax = fig, ax
        self._register_figure(fig, [self.refills, self.warning, self.replace])

    def _update(self):
        p = self.params
        life = p["life_years"]
        interval_years = p["refill_months"] / 12.0
        visits = np.arange(interval_years, life, interval_years)
        warning = life - data.lookup("outcomes", "replacement_warning").model_value / 365.25
        self.refills.set_data(visits, np.zeros_like(visits))
        self.warning.set_xdata([warning] * 2)
        self.replace.set_data([life], [0])
        self.readout.value = readout_table(
            [
                ("Refill visits over the pump's life", f"{len(visits)}"),
                ("Replacement warning", f"{warning:.2f} years after implant (90 days before)"),
                ("Replacement surgery", f"at {life:.2f} years"),
            ]
        )
        self._redraw()
