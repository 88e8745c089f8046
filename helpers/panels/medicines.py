"""Medicines and limits: drug explorer, admixture calculator, titration planner, program review."""

from __future__ import annotations

import html
from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from helpers import drugs, plotting, safety, titration
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
from helpers.units import pretty_unit

#: Dose axis of the drug explorer, wide enough for every drug in its own unit. [unit/day]
DOSE_AXIS = (1e-3, 3e3)

#: Where the admixture bars start on their logarithmic axis. [% of the maximum]
BAR_START = 0.1

#: The admixture the calculator offers: an opioid, a local anaesthetic, an alpha-2 agonist.
ADMIXTURE = ("morphine", "bupivacaine", "clonidine")


def _limit_text(quantity):
    """A drug's limit as students read it: "0.1-0.5 mg (teaching assumption)", "90 days"."""
    if quantity is None:
        return "none in the data"
    value = quantity.value
    text = "-".join(f"{v:g}" for v in value) if isinstance(value, tuple) else f"{value:g}"
    unit = "days" if quantity.unit == "day" and value != 1 else quantity.unit
    status = "" if quantity.verified else " (teaching assumption)"
    return pretty_unit(f"{text} {unit}{status}")


class DrugExplorerPanel(Panel):
    """
    Drug explorer.

    Controls: drug and a daily dose. Shows the usual range, the starting dose where known,
    and the maximum on one logarithmic dose axis, with the chosen dose marked, and the
    drug's class, mechanism, stability, CSF half-life and hazards.
    """

    def __init__(self, drug="morphine"):
        super().__init__()
        self.widgets = {
            "drug": dropdown("Drug", controls.drug_options(), drug),
            "dose": slider(widgets.FloatLogSlider, "Daily dose", base=10),
        }
        self._start(drug)

    def _apply_drug(self, key):
        drug = drugs.get_drug(key)
        set_dose_slider(self.widgets["dose"], drug)
        self.unit_label.set_text(pretty_unit(f"daily dose [{drug.dose_unit}]"))

    def _build_figure(self):
        fig, ax = plotting.new_figure(figsize=(8.0, 2.8))
        colours = plotting.ROLE_COLOURS
        with plotting.style_context():
            self.usual = ax.barh(
                [1], [1], left=[1], height=0.5, color=colours["band"], label="maintenance range"
            )[0]
            self.start = ax.barh(
                [0],
                [1],
                left=[1],
                height=0.5,
                color=colours["refill"],
                hatch="//",
                label="starting dose",
            )[0]
            self.maximum = ax.axvline(1, color=colours["alarm"], lw=3, label="maximum")
            self.chosen = ax.axvline(1, color=colours["limit"], ls="--", label="chosen dose")
            # The unit changes with the drug; as a changing artist it needs no full redraw.
            self.unit_label = ax.text(
                0.5,
                -0.3,
                "",
                transform=ax.transAxes,
                ha="center",
                fontsize=plotting.current_style()["axes.labelsize"],
            )
        ax.set_xscale("log")
        ax.set_xlim(*DOSE_AXIS)
        ax.xaxis.set_major_formatter(plotting.PLAIN_NUMBERS)
        ax.set_yticks([0, 1], ["start", "usual"])
        ax.set_ylim(-0.6, 1.6)
        fig.legend(loc="outside lower center", ncols=4, frameon=False)
        self.fig, self.ax = fig, ax
        self._register_figure(
            fig, [self.usual, self.start, self.maximum, self.chosen, self.unit_label]
        )

    def _update(self):
        drug = drugs.get_drug(self.params["drug"])
        low, high = (drug.to_display(v) for v in drug.usual_dose.model_value)
        self.usual.set_x(low)
        self.usual.set_width(high - low)
        # Hide what a drug lacks rather than drawing NaN geometry.
        self.start.set_visible(drug.starting_dose is not None)
        if drug.starting_dose is not None:
            s_low, s_high = (drug.to_display(v) for v in drug.starting_dose.model_value)
            self.start.set_x(s_low)
            self.start.set_width(s_high - s_low)
        self.maximum.set_visible(drug.max_dose is not None)
        top = drug.to_display(drug.max_dose_ug_per_day) if drug.max_dose else np.nan
        if drug.max_dose is not None:
            self.maximum.set_xdata([top] * 2)
        dose = self.params["dose"]
        self.chosen.set_xdata([dose] * 2)
        share = f"{100 * dose / top:.0f} % of the maximum" if drug.max_dose else "no maximum known"
        self.readout.value = readout_table(
            [
                ("Class", drug.drug_class),
                ("How it works", drug.mechanism),
                ("Trial dose", _limit_text(drug.trial_dose)),
                ("Starting dose", _limit_text(drug.starting_dose)),
                ("Maintenance dose", _limit_text(drug.usual_dose)),
                ("Maximum daily dose", _limit_text(drug.max_dose)),
                ("Maximum concentration", _limit_text(drug.max_concentration)),
                ("Stable in the pump", _limit_text(drug.stability)),
                ("CSF half-life", _limit_text(drug.csf_half_life)),
                ("Hazards", drug.hazards),
                ("Chosen dose", f"{dose:.3g} {drug.dose_unit}, {share}"),
            ]
        )
        self._redraw()


class AdmixtureResult(NamedTuple):
    """
    What :meth:`AdmixturePanel.compute` returns: named, read-only, still unpackable.

    Parameters
    ----------
    program : safety.Program
        The admixture program.
    findings : tuple of Finding
        Its safety findings, most serious first.
    """

    program: object
    findings: object


class AdmixturePanel(Panel):
    """
    Admixture calculator.

    Controls: one flow rate and the concentration of each of three drugs in the same
    reservoir. Shows each drug's daily dose as a share of its maximum, and the findings.
    """

    def __init__(self):
        super().__init__()
        self.widgets = {
            "rate_ml_per_day": slider(
                widgets.FloatLogSlider,
                "Flow rate [mL/day]",
                control("Admixture.rate_ml_per_day"),
                step=0.01,
                value=0.5,
            ),
        }
        for key in ADMIXTURE:
            drug = drugs.get_drug(key)
            widget = slider(widgets.FloatLogSlider, key)
            set_log_slider(
                widget,
                controls.concentration_control(drug),
                controls.concentration_range(drug)[2],
                f"{drug.name} [{drug.concentration_unit}]",
            )
            self.widgets[key] = widget
        self._start()

    def _build_figure(self):
        fig, ax = plotting.new_figure(figsize=(8.0, 3.0))
        colours = plotting.ROLE_COLOURS
        with plotting.style_context():
            self.bars = ax.barh(
                range(len(ADMIXTURE)), [0] * len(ADMIXTURE), color=colours["nominal"]
            )
            ax.axvline(100, color=colours["alarm"], lw=3, label="maximum")
        ax.set_yticks(range(len(ADMIXTURE)), [drugs.get_drug(k).name for k in ADMIXTURE])
        ax.set_xscale("log")
        ax.set_xlim(BAR_START, 1000)
        ax.xaxis.set_major_formatter(plotting.PLAIN_NUMBERS)
        plotting.label(ax, "daily dose [% of the drug's maximum]")
        ax.legend(loc="lower right", frameon=False)
        self.fig, self.ax = fig, ax
        self._register_figure(fig, list(self.bars))

    def compute(self):
        """
        The admixture program and its findings.

        Returns
        -------
        program : helpers.safety.Program
        findings : tuple of helpers.safety.Finding
        """
        p = self.params
        program = safety.Program(
            "peristaltic",
            p["rate_ml_per_day"],
            {k: drugs.get_drug(k).from_display(p[k]) for k in ADMIXTURE},
        )
        return AdmixtureResult(program, safety.check_program(program))

    def _update(self):
        program, findings = self.compute()
        doses = program.doses_ug_per_day()
        rows = []
        for bar, key in zip(self.bars, ADMIXTURE, strict=True):
            drug = drugs.get_drug(key)
            share = 100 * doses[key] / drug.max_dose_ug_per_day
            bar.set_x(BAR_START)
            bar.set_width(max(share - BAR_START, 0.0))
            bar.set_color(plotting.ROLE_COLOURS["alarm" if share > 100 else "nominal"])
            rows.append(
                (
                    drug.name,
                    f"{drug.to_display(doses[key]):.3g} {drug.dose_unit} "
                    f"({share:.0f} % of the maximum)",
                )
            )
        self.readout.value = readout_table(rows)
        self.findings.value = findings_html(findings)
        self._redraw()


class TitrationPanel(Panel):
    """
    Titration planner.

    Controls: drug with a titration rule, origin of spasticity, start and target dose.
    Shows the fastest day-by-day schedule the rule allows, as steps.
    """

    def __init__(self, drug="baclofen"):
        super().__init__()
        self.widgets = {
            "drug": dropdown(
                "Drug", [("Baclofen", "baclofen"), ("Ziconotide", "ziconotide")], drug
            ),
            "origin": dropdown("Spasticity origin", [(o, o) for o in titration.ORIGINS], "spinal"),
            "start": slider(widgets.FloatLogSlider, "Start", base=10),
            "target": slider(widgets.FloatLogSlider, "Target", base=10),
        }
        self._start(drug)

    def _apply_drug(self, key):
        drug = drugs.get_drug(key)
        rng = controls.dose_control(drug, capped=True)
        usual = [drug.to_display(v) for v in drug.usual_dose.model_value]
        self.widgets["origin"].disabled = drug.titration_step_cerebral is None
        set_log_slider(self.widgets["start"], rng, usual[0], f"Start [{drug.dose_unit}]")
        set_log_slider(self.widgets["target"], rng, usual[1], f"Target [{drug.dose_unit}]")
        self.ax.set_ylim(0, rng.high * 1.05)
        plotting.label(self.ax, ylabel=f"daily dose [{drug.dose_unit}]")
        self._static_changed = True

    def _build_figure(self):
        fig, ax = plotting.new_figure(figsize=(8.0, 3.6))
        colours = plotting.ROLE_COLOURS
        with plotting.style_context():
            (self.steps,) = ax.step(
                [0],
                [0],
                where="post",
                color=colours["nominal"],
                marker="o",
                label="fastest schedule",
            )
            self.goal = ax.axhline(0, color=colours["refill"], ls="--", label="target")
        ax.set_xlim(0, 21)
        plotting.label(ax, "day [day]", "daily dose [-]")
        ax.legend(loc="lower right", frameon=False)
        self.fig, self.ax = fig, ax
        self._static_changed = True
        self._register_figure(fig, [self.steps, self.goal])

    def _update(self):
        p = self.params
        drug = drugs.get_drug(p["drug"])
        start, target = drug.from_display(p["start"]), drug.from_display(p["target"])
        days, doses = titration.schedule(drug, start, max(target, start), p["origin"])
        shown = drug.to_display(doses)
        self.steps.set_data(np.append(days, days[-1] + 1), np.append(shown, shown[-1]))
        self.goal.set_ydata([p["target"]] * 2)
        step = titration.next_step(drug, start, p["origin"])
        self.readout.value = readout_table(
            [
                ("Rule", step.rule),
                ("Target", f"{p['target']:.3g} {drug.dose_unit}"),
                ("Steps to the target", f"{len(days) - 1}"),
                ("Days to the target", f"{days[-1]:.1f}"),
                (
                    "First step",
                    f"{drug.to_display(start):.3g} -> {shown[min(1, len(shown) - 1)]:.3g} "
                    f"{drug.dose_unit}",
                ),
            ]
        )
        self._redraw(full=self._static_changed)
        self._static_changed = False


class ProgramReviewResult(NamedTuple):
    """
    What :meth:`ProgramReviewPanel.compute` returns: named, read-only, still unpackable.

    Parameters
    ----------
    old : safety.Program
        The program before the change.
    new : safety.Program
        The program after it.
    findings : tuple of Finding
        The findings of the change, most serious first.
    """

    old: object
    new: object
    findings: object


class ProgramReviewPanel(Panel):
    """
    Program review, as a clinician programmer's confirmation screen.

    Controls: drug; old concentration and rate; new concentration and rate; the
    concentration actually in the refilled reservoir. Shows old and new side by side, the
    daily doses as bars against the maximum, and every finding of the change.
    """

    def __init__(self, drug="morphine"):
        super().__init__()
        self.widgets = {"drug": dropdown("Drug", controls.drug_options(), drug)}
        for name in ("old_concentration", "new_concentration", "reservoir_concentration"):
            self.widgets[name] = slider(widgets.FloatLogSlider, name, base=10)
        for name, label in (("old_rate", "Old rate"), ("new_rate", "New rate")):
            self.widgets[name] = slider(
                widgets.FloatLogSlider,
                f"{label} [mL/day]",
                control("ProgramReview.rate_ml_per_day"),
                step=0.01,
                value=0.3,
            )
        self.table = widgets.HTML()
        self._start(drug)

    def _apply_drug(self, key):
        drug = drugs.get_drug(key)
        rng, default = controls.concentration_control(drug), controls.concentration_range(drug)[2]
        unit = drug.concentration_unit
        for name, label in (
            ("old_concentration", "Old conc."),
            ("new_concentration", "New conc."),
            ("reservoir_concentration", "In reservoir"),
        ):
            set_log_slider(self.widgets[name], rng, default, f"{label} [{unit}]")
        plotting.label(self.ax, f"daily dose [{drug.dose_unit}]")
        self._static_changed = True

    def _build_figure(self):
        fig, ax = plotting.new_figure(figsize=(8.0, 2.6))
        colours = plotting.ROLE_COLOURS
        with plotting.style_context():
            self.bars = ax.barh(
                [2, 1, 0], [0, 0, 0], color=[colours["limit"], colours["nominal"], colours["alarm"]]
            )
            self.maximum = ax.axvline(1, color=colours["alarm"], lw=3, label="maximum")
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(plotting.PLAIN_NUMBERS)
        ax.set_yticks([2, 1, 0], ["old", "new", "real (reservoir)"])
        plotting.label(ax, "daily dose [-]")
        ax.legend(loc="lower right", frameon=False)
        self.fig, self.ax = fig, ax
        self._static_changed = True
        self._register_figure(fig, [*self.bars, self.maximum])

    def compute(self):
        """
        Old and new programs and the findings of the change.

        Returns
        -------
        old, new : helpers.safety.Program
        findings : tuple of helpers.safety.Finding
        """
        p = self.params
        drug = drugs.get_drug(p["drug"])
        old = safety.Program(
            "peristaltic", p["old_rate"], {drug.key: drug.from_display(p["old_concentration"])}
        )
        new = safety.Program(
            "peristaltic", p["new_rate"], {drug.key: drug.from_display(p["new_concentration"])}
        )
        reservoir = {drug.key: drug.from_display(p["reservoir_concentration"])}
        return ProgramReviewResult(
            old, new, safety.check_change(old, new, reservoir_ug_per_ml=reservoir)
        )

    def _update(self):
        old, new, findings = self.compute()
        drug = drugs.get_drug(self.params["drug"])
        doses = [drug.to_display(program.doses_ug_per_day()[drug.key]) for program in (old, new)]
        real = new.rate_ml_per_day * drug.from_display(self.params["reservoir_concentration"])
        doses.append(drug.to_display(real))
        for bar, dose in zip(self.bars, doses, strict=True):
            bar.set_width(dose)
        top = drug.to_display(drug.max_dose_ug_per_day) if drug.max_dose else np.nan
        self.maximum.set_xdata([top] * 2)
        limits = [v for v in (*doses, top) if np.isfinite(v)]
        if self._static_changed or not (
            self.ax.get_xlim()[0] <= min(limits) and max(limits) <= self.ax.get_xlim()[1]
        ):
            self.ax.set_xlim(min(limits) / 3, max(limits) * 3)
            self._static_changed = True
        rows = [
            ("", "old", "new"),
            (
                "Concentration",
                f"{drug.to_display(old.concentrations_ug_per_ml[drug.key]):.3g}",
                f"{drug.to_display(new.concentrations_ug_per_ml[drug.key]):.3g} "
                f"{drug.concentration_unit}",
            ),
            ("Rate", f"{old.rate_ml_per_day:.3g}", f"{new.rate_ml_per_day:.3g} mL/day"),
            ("Daily dose", f"{doses[0]:.3g}", f"{doses[1]:.3g} {drug.dose_unit}"),
            ("Real dose (reservoir)", "", f"{doses[2]:.3g} {drug.dose_unit}"),
        ]
        body = "".join(
            "<tr>"
            + "".join(f"<td style='padding:2px 12px'>{html.escape(c)}</td>" for c in row)
            + "</tr>"
            for row in rows
        )
        self.readout.value = f"<table class='itp-readout'>{body}</table>"
        self.findings.value = findings_html(findings)
        maximum = f"; the drug's maximum is {top:.3g} {drug.dose_unit}" if np.isfinite(top) else ""
        self._words = (
            f"Daily dose bars: old program {doses[0]:.3g}, new program {doses[1]:.3g}, "
            f"really delivered from the reservoir {doses[2]:.3g} {drug.dose_unit}{maximum}."
        )
        self._redraw(full=self._static_changed)
        self._static_changed = False

    def describe(self):
        """The three daily doses against the maximum, in words."""
        return self._words
