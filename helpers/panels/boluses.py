"""Boluses against continuous delivery at the same daily dose, and rostral spread to the head."""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.colors import BoundaryNorm

from helpers import drugs, plotting, spine, units
from helpers.panels import controls
from helpers.panels.base import Panel, dropdown, readout_table, slider
from helpers.panels.spread import TICK_LEVELS
from helpers.ranges import control

#: Simulated time and step: two days at ten-minute steps. [day]
TIMES = np.linspace(0.0, 2.0, 2 * 24 * 6 + 1)

#: Tip level for both panels (a usual lumbar-thoracic tip, T11-T12 in baclofen practice).
TIP = "T11"


def _dispersion_slider(value):
    return slider(
        widgets.FloatLogSlider,
        "Dispersion [cm2/day]",
        control("CSF.dispersion_cm2_per_day"),
        step=0.01,
        value=value,
    )


#: The reach: canal whose day-2 peak stays above this share of the continuous tip level;
#: with the human dispersion a tenth of it covers the whole canal. [%]
REACH_PERCENT = 50.0

#: Colour bands of the map, half a decade each. [% of the continuous tip level]
BANDS = 10.0 ** np.arange(-2.0, 3.01, 0.5)

#: Cells and steps averaged into one block of the level x time map: a blocky map is as
#: readable and its image changes compress far faster on the way to the browser. [-]
MAP_BLOCK = (2, 3)


def _map_shape(rows, columns):
    return rows // MAP_BLOCK[0], columns // MAP_BLOCK[1]


def _coarsen(image):
    """Average blocks of :data:`MAP_BLOCK` cells x steps."""
    rows, columns = _map_shape(*image.shape)
    trimmed = image[: rows * MAP_BLOCK[0], : columns * MAP_BLOCK[1]]
    return trimmed.reshape(rows, MAP_BLOCK[0], columns, MAP_BLOCK[1]).mean(axis=(1, 3))


@lru_cache(maxsize=8)
def _continuous(drug_key, dispersion, dose_ug_per_day):
    """Continuous delivery over :data:`TIMES`, shared while only the bolus controls move."""
    return spine.simulate(
        TIP, TIMES, dose_ug_per_day, dispersion, spine.clearance_per_day(drug_key)
    )


class BolusResult(NamedTuple):
    """
    What :meth:`BolusPanel.compute` returns: named, read-only, still unpackable.

    Parameters
    ----------
    program : spine.Delivery
        CSF source of the periodic-bolus program.
    continuous : spine.Delivery
        The same daily dose as a continuous infusion.
    """

    program: object
    continuous: object


class BolusPanel(Panel):
    """
    Bolus panel.

    Controls: drug, boluses per day, share of the dose given as boluses, bolus volume
    (by default 1 mL, the hourly bolus of Bernards 2006), pulsatile dispersion (by default
    the human fit); each bolus also adds the mixing of its flow. Shows a level x time
    map of the concentration over two days and the highest concentration reached along
    the spine on day 2, for this program and for continuous delivery of the same dose.
    """

    def __init__(self, drug="morphine"):
        super().__init__()
        self.geometry = spine.canal()
        self.widgets = {
            "drug": dropdown("Drug", controls.drug_options(), drug),
            "boluses_per_day": slider(
                widgets.IntSlider, "Boluses per day", control("Bolus.boluses_per_day"), value=4
            ),
            "bolus_share": slider(
                widgets.FloatSlider,
                "Share as boluses [-]",
                control("Bolus.bolus_share"),
                step=0.05,
                value=0.4,
            ),
            "bolus_volume_ml": slider(
                widgets.FloatSlider,
                "Bolus volume [mL]",
                control("Bolus.bolus_volume_ml"),
                step=0.05,
                value=1.0,
            ),
            "dispersion": _dispersion_slider(spine.human_dispersion()),
        }
        self._start()

    def _build_figure(self):
        fig, (map_ax, env_ax) = plotting.new_figure(1, 2, width_ratios=(3, 2), sharey=True)
        colours = plotting.ROLE_COLOURS
        heights = self.geometry.x_cm
        hours = units.days_to_hours(TIMES)
        with plotting.style_context():
            self.image = map_ax.imshow(
                np.ones(_map_shape(len(heights), len(hours))),
                origin="lower",
                aspect="auto",
                interpolation="nearest",
                extent=(hours[0], hours[-1], 0, self.geometry.length_cm),
                norm=BoundaryNorm(BANDS, 256),
                cmap="viridis",
            )
            nan = np.full_like(heights, np.nan)
            (self.envelope,) = env_ax.plot(
                nan, heights, color=colours["nominal"], label="this program"
            )
            (self.continuous,) = env_ax.plot(
                nan, heights, color=colours["limit"], ls="--", label="continuous"
            )
        fig.colorbar(
            self.image,
            ax=map_ax,
            label="% of continuous tip level",
            ticks=BANDS[::2],
            format=plotting.PLAIN_NUMBERS,
        )
        map_ax.set_yticks([self.geometry.levels[n] for n in TICK_LEVELS], TICK_LEVELS)
        plotting.label(map_ax, "hours [h]", "level [vertebra]")
        env_ax.set_xscale("log")
        env_ax.set_xlim(1e-2, 1e3)
        env_ax.xaxis.set_major_formatter(plotting.PLAIN_NUMBERS)
        plotting.label(env_ax, "day-2 peak [% of tip level]")
        env_ax.legend(loc="lower right", frameon=False)
        self.fig, self.map_ax, self.env_ax = fig, map_ax, env_ax
        # The bolus volume and the canal it fills are in the readouts: text redrawn on every
        # slider move would cost a fifth of the update.
        self._register_figure(fig, [self.image, self.envelope, self.continuous])

    def _clearance(self):
        return spine.clearance_per_day(self.params["drug"])

    def compute(self):
        """
        Both programs simulated over two days.

        Returns
        -------
        program, continuous : helpers.spine.Spread
        """
        p = self.params
        k = spine.clearance_per_day(p["drug"])
        drug = drugs.get_drug(p["drug"])
        dose = drug.from_display(controls.dose_range(drug)[2])
        area = self.geometry.area_cm2[self.geometry.cell(TIP)]
        delivery = spine.periodic_boluses(
            TIMES, dose, p["boluses_per_day"], p["bolus_volume_ml"], area, p["bolus_share"]
        )
        program = spine.simulate(
            TIP,
            TIMES,
            delivery.source_ug_per_day,
            p["dispersion"],
            k,
            spread_cm=delivery.spread_cm,
            geometry=self.geometry,
            mixing_cm2_per_day=delivery.mixing_cm2_per_day,
        )
        self.mixing_cm2_per_day = float(delivery.mixing_cm2_per_day.mean())
        continuous = _continuous(p["drug"], p["dispersion"], dose)
        return BolusResult(program, continuous)

    def _update(self):
        program, continuous = self.compute()
        day2 = TIMES >= 1.0
        reference = continuous.concentration_ug_per_ml[-1, self.geometry.cell(TIP)]
        relative = 100 * program.concentration_ug_per_ml / reference
        self.image.set_data(_coarsen(np.maximum(relative.T, 1e-3)))
        peak = relative[day2].max(axis=0)
        steady = 100 * continuous.concentration_ug_per_ml[day2].max(axis=0) / reference
        self.envelope.set_xdata(peak)
        volume = self.params["bolus_volume_ml"]
        fill_cm = volume / self.geometry.area_cm2[self.geometry.cell(TIP)]
        self.continuous.set_xdata(steady)
        tip = self.geometry.cell(TIP)
        reach = {
            name: self.geometry.x_cm[np.flatnonzero(curve >= REACH_PERCENT)]
            for name, curve in (("program", peak), ("continuous", steady))
        }
        spans = {name: np.ptp(x) if x.size else 0.0 for name, x in reach.items()}
        self.readout.value = readout_table(
            [
                ("Peak at the tip, day 2", f"{peak[tip]:.0f} % of the continuous level"),
                (
                    "Spread length L",
                    f"{spine.spread_length_cm(self.params['dispersion'], self._clearance()):.2f}"
                    " cm without boluses",
                ),
                (
                    "Mixing the boluses add",
                    f"{self.mixing_cm2_per_day:.3g} cm²/day on average "
                    f"(+{100 * self.mixing_cm2_per_day / self.params['dispersion']:.2g} %)",
                ),
                (
                    f"Canal above {REACH_PERCENT:.0f} % of it (reach)",
                    f"{spans['program']:.0f} cm (continuous: {spans['continuous']:.0f} cm)",
                ),
                (
                    "Boluses",
                    f"{self.params['boluses_per_day']} a day, "
                    f"{100 * self.params['bolus_share']:.0f} % of the daily dose, "
                    f"{volume:.2f} mL each, filling {fill_cm:.2f} cm of canal",
                ),
            ]
        )
        self._redraw()


class RostralPanel(Panel):
    """
    Rostral-spread panel.

    Controls: two drugs, tip level, dispersion, hours since a lumbar bolus. Shows how the
    concentration in the cranial CSF rises and falls over a day for both drugs after the
    same bolus, and the profile along the spine at the chosen hour.
    """

    def __init__(self):
        super().__init__()
        self.geometry = spine.canal()
        self.widgets = {
            "drug_a": dropdown("Drug A", controls.drug_options(), "morphine"),
            "drug_b": dropdown("Drug B", controls.drug_options(), "fentanyl"),
            "dispersion": _dispersion_slider(spine.human_dispersion()),
            "hour": slider(
                widgets.FloatSlider,
                "Hours after bolus [h]",
                control("Rostral.hour"),
                step=0.5,
                value=6.0,
            ),
        }
        self.times = np.linspace(0.0, 1.0, 24 * 12 + 1)
        self._start()

    def _build_figure(self):
        fig, (time_ax, profile_ax) = plotting.new_figure(1, 2, width_ratios=(3, 2))
        colours = plotting.ROLE_COLOURS
        hours = units.days_to_hours(self.times)
        nan = np.full_like(hours, np.nan)
        heights = self.geometry.x_cm
        with plotting.style_context():
            self.cranial = {
                "drug_a": time_ax.plot(hours, nan, color=colours["nominal"], label="drug A")[0],
                "drug_b": time_ax.plot(
                    hours, nan, color=colours["second"], ls="--", label="drug B"
                )[0],
            }
            self.profiles = {
                "drug_a": profile_ax.plot(
                    np.full_like(heights, np.nan), heights, color=colours["nominal"]
                )[0],
                "drug_b": profile_ax.plot(
                    np.full_like(heights, np.nan), heights, color=colours["second"], ls="--"
                )[0],
            }
            self.now = time_ax.axvline(0, color=colours["limit"], ls=":")
        time_ax.set_yscale("log")
        time_ax.set_ylim(1e-3, 1e3)
        time_ax.set_xlim(0, 24)
        time_ax.yaxis.set_major_formatter(plotting.PLAIN_NUMBERS)
        plotting.label(time_ax, "hours after a lumbar bolus [h]", "cranial CSF [% of dose per L]")
        time_ax.legend(loc="lower right", frameon=False)
        profile_ax.set_xscale("log")
        profile_ax.set_xlim(1e-4, 1e3)
        profile_ax.set_yticks([self.geometry.levels[n] for n in TICK_LEVELS], TICK_LEVELS)
        plotting.label(profile_ax, "spinal CSF [% of dose per L]", "level [vertebra]")
        self.fig, self.time_ax, self.profile_ax = fig, time_ax, profile_ax
        self._register_figure(fig, [*self.cranial.values(), *self.profiles.values(), self.now])

    def compute(self):
        """
        A single 1 mg lumbar bolus of each drug, followed over a day.

        Returns
        -------
        results : dict
            ``drug_a`` and ``drug_b``: helpers.spine.Spread.
        """
        p = self.params
        dt = self.times[1] - self.times[0]
        source = np.zeros(len(self.times) - 1)
        source[0] = 1000.0 / dt  # 1 mg in the first step
        return {
            name: spine.simulate(
                TIP,
                self.times,
                source,
                p["dispersion"],
                spine.clearance_per_day(p[name]),
                geometry=self.geometry,
            )
            for name in ("drug_a", "drug_b")
        }

    def _update(self):
        results = self.compute()
        step = min(
            round(units.hours_to_days(self.params["hour"]) / self.times[1]),
            len(self.times) - 1,
        )
        rows = []
        for name, result in results.items():
            per_litre = 100.0  # ug/mL after a 1000 ug bolus = 0.1 % of the dose per mL
            self.cranial[name].set_ydata(result.cranial_ug_per_ml * per_litre)
            self.profiles[name].set_xdata(result.concentration_ug_per_ml[step] * per_litre)
            peak = int(np.argmax(result.cranial_ug_per_ml))
            drug = drugs.get_drug(self.params[name])
            rows.append(
                (
                    f"{drug.name}",
                    f"cranial peak at {units.days_to_hours(self.times[peak]):.1f} h; "
                    f"{100 * result.to_cranial_ug[-1] / result.delivered_ug[-1]:.1f} % of the dose "
                    f"reached the head in 24 h; at {self.params['hour']:.1f} h the cranial CSF "
                    f"holds {result.cranial_ug_per_ml[step] * per_litre:.2g} % of the dose per L",
                )
            )
        self.now.set_xdata([self.params["hour"]] * 2)
        self.readout.value = readout_table(rows)
        self._redraw()
