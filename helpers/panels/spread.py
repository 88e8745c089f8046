"""Where the drug goes: the steady profile along the spine from the catheter tip."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from helpers import drugs, plotting, safety, spine
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

#: Pain regions and the vertebral level whose segment carries them: a simplified
#: dermatome map for teaching (spinal segments lie above their vertebrae in the lower
#: spine; the mapping is a teaching simplification, not anatomy to plan with).
TARGETS = {
    "neck and shoulders (C4)": "C4",
    "arms and hands (C7)": "C7",
    "chest wall (T4)": "T4",
    "upper abdomen (T8)": "T8",
    "lower abdomen and pelvis (T11)": "T11",
    "low back and legs (L1)": "L1",
    "feet (L3)": "L3",
}

#: Levels labelled on the spine axis.
TICK_LEVELS = ("C1", "C4", "C7", "T3", "T6", "T9", "T12", "L3", "S2")

#: Shown tip levels.
TIP_LEVELS = ("C6", "T2", "T6", "T8", "T10", "T11", "T12", "L1", "L2", "L3", "L4")


class SpreadPanel(Panel):
    """
    Spread panel.

    Controls: drug, tip level, target region, dispersion, daily dose. Shows the steady
    concentration along a standing spine, in % of the tip concentration on a log axis,
    with the band the human data span (their fits disagree), the pig fit as a separate
    animal comparison, and the concentration at the target and in the head.
    """

    def __init__(self, drug="morphine"):
        super().__init__()
        self.geometry = spine.canal()
        self.dispersion_range = spine.human_dispersion_band()
        self.widgets = {
            "drug": dropdown("Drug", controls.drug_options(), drug),
            "tip": dropdown("Catheter tip", [(level, level) for level in TIP_LEVELS], "T10"),
            "target": dropdown(
                "Pain region", [(name, name) for name in TARGETS], "lower abdomen and pelvis (T11)"
            ),
            "dispersion": slider(
                widgets.FloatLogSlider,
                "Dispersion [cm2/day]",
                control("CSF.dispersion_cm2_per_day"),
                step=0.01,
                value=spine.human_dispersion(),
            ),
            "dose": slider(widgets.FloatLogSlider, "Daily dose", base=10),
        }
        self._start(drug)

    def _apply_drug(self, key):
        drug = drugs.get_drug(key)
        set_dose_slider(self.widgets["dose"], drug)

    def _build_figure(self):
        fig, ax = plotting.new_figure(figsize=(8.0, 6.0))
        colours = plotting.ROLE_COLOURS
        heights = self.geometry.x_cm
        nan = np.full_like(heights, np.nan)
        with plotting.style_context():
            self.band = ax.fill_betweenx(
                heights,
                nan,
                nan,
                color=colours["band"],
                alpha=0.5,
                label="human data (fits disagree)",
            )
            (self.pig,) = ax.plot(
                nan, heights, color=colours["limit"], ls=":", lw=2, label="pig fit (animal)"
            )
            (self.profile,) = ax.plot(
                nan, heights, color=colours["nominal"], label="this dispersion"
            )
            self.tip_line = ax.axhline(0, color=colours["alarm"], lw=2.5, label="catheter tip")
            self.target_line = ax.axhline(
                0, color=colours["refill"], ls="--", lw=2.5, label="target"
            )
            self.target_text = ax.text(
                0.02,
                0,
                "",
                color=plotting.text_colour(colours["refill"]),
                va="bottom",
                transform=ax.get_yaxis_transform(),
            )
        ax.set_xscale("log")
        ax.set_xlim(1e-3, 150)
        ax.xaxis.set_major_formatter(plotting.PLAIN_NUMBERS)
        ax.set_ylim(0, self.geometry.length_cm)
        ax.set_yticks([self.geometry.levels[name] for name in TICK_LEVELS], TICK_LEVELS)
        plotting.label(ax, "concentration [% of the tip's]", "level [vertebra]")
        ax.text(1.0, 1.01, "head", transform=ax.transAxes, ha="right", va="bottom")
        fig.legend(loc="outside lower center", ncols=2, frameon=False)
        self.fig, self.ax = fig, ax
        self._register_figure(
            fig,
            [self.band, self.pig, self.profile, self.tip_line, self.target_line, self.target_text],
        )

    def compute(self):
        """
        Steady profiles for the current controls.

        Returns
        -------
        result : dict
            ``drug``, ``k`` (clearance, 1/day), ``rate`` (mL/day), ``profile``, the human
            band's ``low`` and ``high`` profiles and the ``pig`` profile (ug/mL per cell,
            cranial last), ``tip`` and ``target`` cells, ``length_cm``, ``head_percent``
            (cranial CSF in % of the tip).
        """
        p = self.params
        drug = drugs.get_drug(p["drug"])
        k = spine.clearance_per_day(p["drug"])
        dose = drug.from_display(p["dose"])
        concentration = drug.highest_concentration_ug_per_ml / 2
        rate = max(dose / concentration, 1e-6)
        args = (p["tip"], dose)
        profile = spine.steady_state(*args, p["dispersion"], k, rate, self.geometry)
        low = spine.steady_state(*args, self.dispersion_range[0], k, rate, self.geometry)
        high = spine.steady_state(*args, self.dispersion_range[1], k, rate, self.geometry)
        pig = spine.steady_state(*args, spine.pig_dispersion(), k, rate, self.geometry)
        tip = self.geometry.cell(p["tip"])
        return {
            "drug": drug,
            "k": k,
            "rate": rate,
            "profile": profile,
            "low": low,
            "high": high,
            "pig": pig,
            "tip": tip,
            "target": self.geometry.cell(TARGETS[p["target"]]),
            "length_cm": spine.spread_length_cm(p["dispersion"], k),
            "head_percent": float(100 * profile[-1] / profile[tip]),
        }

    def describe(self):
        """How far the drug reaches along the spine from the tip, in words."""
        return self._words

    def _update(self):
        r = self.compute()
        tip, target = r["tip"], r["target"]
        relative = {
            name: 100 * r[name][:-1] / r[name][tip] for name in ("profile", "low", "high", "pig")
        }
        heights = self.geometry.x_cm
        self.band.set_data(heights, relative["low"], relative["high"])
        self.profile.set_xdata(relative["profile"])
        self.pig.set_xdata(relative["pig"])
        self.tip_line.set_ydata([heights[tip]] * 2)
        self.target_line.set_ydata([heights[target]] * 2)
        share = relative["profile"][target]
        self.target_text.set_y(heights[target])
        # On the side of the target line away from the tip line, never on it.
        self.target_text.set_verticalalignment("top" if target < tip else "bottom")
        self.target_text.set_text(f"target: {share:.2g} % of the tip")
        drug = r["drug"]
        per_ml = f"{drug.mass_unit}/mL"
        distance = abs(heights[target] - heights[tip])
        p = self.params
        self._words = (
            f"Concentration along the spine falls away from the catheter tip at {p['tip']}: "
            f"at the target ({p['target']}), {distance:.0f} cm away, it is {share:.2g} % of "
            f"the tip's (the human band: {relative['low'][target]:.2g} to "
            f"{relative['high'][target]:.2g} %; the pig fit: {relative['pig'][target]:.2g} %). "
            f"Spread length {r['length_cm']:.1f} cm; in the head {r['head_percent']:.2g} % of "
            f"the tip's."
        )
        self.readout.value = readout_table(
            [
                ("Spread length L = sqrt(D/k)", f"{r['length_cm']:.1f} cm"),
                (
                    "Clearance k",
                    f"{r['k']:.2f} per day (half-life {24 * np.log(2) / r['k']:.1f} h)",
                ),
                ("At the tip", f"{drug.to_display(r['profile'][tip]):.3g} {per_ml}"),
                (
                    "At the target",
                    f"{drug.to_display(r['profile'][target]):.3g} {per_ml} "
                    f"({share:.2g} % of the tip, {distance:.0f} cm away)",
                ),
                (
                    "Human band at the target",
                    f"{relative['low'][target]:.2g} to {relative['high'][target]:.2g} % of the tip",
                ),
                ("In the head (cisterna)", f"{r['head_percent']:.2g} % of the tip"),
                ("Pig fit at the target", f"{relative['pig'][target]:.2g} % of the tip"),
            ]
        )
        findings = safety.sort_findings(
            safety.spread_findings(drug, distance, r["length_cm"])
            + safety.rostral_spread_findings(drug, r["head_percent"])
        )
        self.findings.value = findings_html(findings)
        self._redraw()
