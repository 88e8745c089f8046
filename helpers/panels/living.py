"""Living with a pump: the trial, one patient's years, and a cohort's spread of outcomes."""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import numpy as np
from matplotlib.patches import Rectangle

from helpers import cohort as cohort_model
from helpers import data, drugs, plotting, safety, units
from helpers.panels import controls
from helpers.panels.base import Panel, dropdown, findings_html, readout_table, slider
from helpers.ranges import control

#: Marker and colour of each event kind on the timeline, and its lane label; every kind
#: has its own marker shape, so colour never tells two kinds apart alone.
EVENT_STYLE = {
    "titration": ("^", plotting.OKABE_ITO["sky_blue"], "titration step"),
    "refill": ("|", plotting.OKABE_ITO["bluish_green"], "refill"),
    "late_refill": ("x", plotting.OKABE_ITO["orange"], "late refill"),
    "alarm": ("v", plotting.OKABE_ITO["orange"], "low-reservoir alarm"),
    "empty": ("X", plotting.OKABE_ITO["vermillion"], "reservoir empty"),
    "battery_alarm": ("<", plotting.OKABE_ITO["reddish_purple"], "replacement alarm"),
    "replacement": ("s", plotting.OKABE_ITO["reddish_purple"], "pump replaced"),
    "mri": ("o", plotting.OKABE_ITO["sky_blue"], "MRI scan"),
    "catheter": ("D", plotting.OKABE_ITO["black"], "catheter problem"),
    "pump": ("d", plotting.OKABE_ITO["blue"], "pump problem"),
    "infection": ("P", plotting.OKABE_ITO["vermillion"], "infection"),
    "granuloma": ("*", plotting.OKABE_ITO["black"], "granuloma"),
}

#: Lanes of the event row, top to bottom.
LANES = (
    ("visits", ("titration", "refill", "late_refill")),
    ("alarms", ("alarm", "empty")),
    ("battery", ("battery_alarm", "replacement")),
    ("MRI", ("mri",)),
    ("problems", ("catheter", "pump", "infection", "granuloma")),
)


#: Height of the cost axis per year followed. [1000 USD/year]
COST_PER_YEAR_AXIS = 20.0


def _years_slider(value=10):
    return slider(widgets.IntSlider, "Years followed", control("Years.years"), value=value)


def _policy_widgets(seed):
    return {
        "titration_start": slider(
            widgets.FloatSlider,
            "Start at [% of dose]",
            control("Policy.titration_start"),
            step=5.0,
            value=data.lookup("journey", "titration_start").value,
        ),
        "escalation": slider(
            widgets.FloatSlider,
            "Dose increase [%/year]",
            control("Policy.escalation"),
            step=1.0,
            value=round(data.lookup("journey", "baclofen_escalation").value),
        ),
        "margin_days": slider(
            widgets.FloatSlider,
            "Refill before alarm [day]",
            control("Policy.margin_days"),
            step=1.0,
            value=data.lookup("practice", "refill_margin").value,
        ),
        "late_percent": slider(
            widgets.FloatSlider,
            "Late visits [%]",
            control("Policy.late_percent"),
            step=1.0,
            value=data.lookup("journey", "late_visit_chance").value,
        ),
        "seed": slider(
            widgets.IntSlider, "Patient (random seed)", control("Policy.seed"), value=seed
        ),
    }


def _settings(p, years):
    """
    Journey settings from a panel's controls: the drug's middle usual dose at 0.3 mL/day,
    reached by titration from the chosen start.
    """
    drug = drugs.get_drug(p["drug"])
    model, reservoir = controls.parse_pump_choice(p["pump"])
    dose = drug.from_display(controls.dose_range(drug)[2])
    return drug, cohort_model.Settings(
        drug_key=drug.key,
        dose_ug_per_day=dose,
        concentration_ug_per_ml=dose / controls.TYPICAL_RATE_ML_PER_DAY,
        pump_key=model.key,
        reservoir_ml=reservoir,
        years=years,
        escalation_percent_per_year=p["escalation"],
        margin_days=p["margin_days"],
        late_visit_percent=p["late_percent"],
        titration_start_percent=p["titration_start"],
    )


class TimelineResult(NamedTuple):
    """
    What :meth:`TimelinePanel.compute` returns: named, read-only, still unpackable.

    Parameters
    ----------
    drug : Drug
        The drug in the pump.
    journey : cohort.Journey
        One patient's years, day by day.
    """

    drug: object
    journey: object


class TimelinePanel(Panel):
    """
    One patient's years on one timeline.

    Controls: drug, pump, years, the titration start, yearly dose increase, how many days
    before the alarm refills are planned, the share of late visits, and the patient (seed).
    Lanes: daily dose programmed and delivered, reservoir volume, events (titration steps,
    refills, alarms, battery, MRI, complications), cumulative cost against oral medicine.
    """

    def __init__(self, drug="baclofen", seed=7):
        super().__init__()
        self._limits = None
        self.widgets = {
            "drug": dropdown("Drug", controls.drug_options(), drug),
            "pump": dropdown("Pump", controls.programmable_pump_options(), "peristaltic:20"),
            "years": _years_slider(),
            **_policy_widgets(seed),
        }
        self._start()
        plotting.freeze_layout(self.fig)

    def _build_figure(self):
        fig, axes = plotting.new_figure(4, 1, sharex=True, figsize=(10, 7))
        dose_ax, res_ax, event_ax, cost_ax = axes
        colours = plotting.OKABE_ITO
        empty = np.empty((0, 2))
        with plotting.style_context():
            dose_ax.set_yscale("log")
            (self.dose_line,) = dose_ax.plot([], [], color=colours["blue"], label="programmed")
            (self.delivered_line,) = dose_ax.plot(
                [], [], color=colours["vermillion"], lw=1, label="delivered"
            )
            (self.res_line,) = res_ax.plot([], [], color=colours["blue"], lw=1)
            self.alarm_line = res_ax.axhline(0.0, color=colours["vermillion"], ls="--")
            self.scatters = {}
            for kind, (marker, colour, text) in EVENT_STYLE.items():
                self.scatters[kind] = event_ax.scatter(
                    empty[:, 0], empty[:, 1], marker=marker, color=colour, s=60, label=text
                )
            (self.cost_line,) = cost_ax.plot([], [], color=colours["blue"], label="pump")
            (self.oral_line,) = cost_ax.plot(
                [], [], color=colours["orange"], ls="--", label="oral medicine"
            )
        dose_ax.legend(loc="upper left", frameon=False, ncols=2)
        event_ax.set_ylim(-0.5, len(LANES) - 0.5)
        event_ax.set_yticks(range(len(LANES)), [name for name, _ in reversed(LANES)])
        event_ax.legend(
            loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize="small"
        )
        cost_ax.legend(loc="upper left", frameon=False)
        self.fig, self.axes = fig, axes
        self._register_figure(
            fig,
            [
                self.dose_line,
                self.delivered_line,
                self.res_line,
                self.alarm_line,
                *self.scatters.values(),
                self.cost_line,
                self.oral_line,
            ],
        )

    def compute(self):
        """
        Returns
        -------
        drug : helpers.drugs.Drug
        journey : helpers.cohort.Journey
        """
        drug, settings = _settings(self.params, self.params["years"])
        return TimelineResult(drug, cohort_model.patient(settings, self.params["seed"]))

    def _update(self):
        drug, path = self.compute()
        p = self.params
        years = path.day / units.DAYS_PER_YEAR
        shown = drug.to_display(path.dose_ug_per_day)
        self.dose_line.set_data(years, shown)
        delivered = drug.to_display(path.delivered_ug_per_day)
        # Days without delivery leave gaps in the log-scale line.
        self.delivered_line.set_data(years, np.where(delivered > 0, delivered, np.nan))
        self.res_line.set_data(years, path.reservoir_ml)
        model, reservoir = controls.parse_pump_choice(p["pump"])
        self.alarm_line.set_ydata([model.alarm_volume_ml] * 2)
        lane = {kind: len(LANES) - 1 - i for i, (_, kinds) in enumerate(LANES) for kind in kinds}
        for kind, scatter in self.scatters.items():
            when = path.event_days(kind) / units.DAYS_PER_YEAR
            scatter.set_offsets(np.column_stack([when, np.full_like(when, lane[kind])]))
        self.cost_line.set_data(years, path.cost_usd / 1000.0)
        self.oral_line.set_data(years, path.oral_cost_usd / 1000.0)
        planned = drug.to_display(path.cohort.settings.dose_ug_per_day)
        limits = (p["years"], drug.dose_unit, planned, reservoir)
        full = limits != self._limits
        if full:
            self._apply_limits(limits)
        self.readout.value = readout_table(self._rows(drug, path))
        self.findings.value = findings_html(self._findings(drug, path))
        self._redraw(full=full)

    def _apply_limits(self, limits):
        years, unit, planned, reservoir = limits
        dose_ax, res_ax, event_ax, cost_ax = self.axes
        dose_ax.set_xlim(0.0, years)
        # Fixed for a drug: from below the lowest titration start to the largest escalation.
        top = (1.0 + self.widgets["escalation"].max / 100.0) ** self.widgets["years"].max
        bottom = self.widgets["titration_start"].min / 100.0 / 1.5
        dose_ax.set_ylim(planned * bottom, planned * top)
        res_ax.set_ylim(0.0, reservoir * 1.05)
        cost_ax.set_ylim(0.0, plotting.round_ceiling(COST_PER_YEAR_AXIS * (years + 1)))
        plotting.label(dose_ax, None, f"dose [{unit}]")
        dose_ax.yaxis.set_major_formatter(plotting.PLAIN_NUMBERS)
        plotting.label(res_ax, None, "reservoir [mL]")
        plotting.label(event_ax, None, None)
        plotting.label(cost_ax, "years since implant [year]", "cost [1000 USD]")
        self._limits = limits

    def _rows(self, drug, path):
        cohort = path.cohort
        plan = cohort.titration
        days_without = float(np.sum(path.delivered_ug_per_day == 0.0))
        years = path.day[-1] / units.DAYS_PER_YEAR
        problems = ", ".join(
            f"{int(cohort.complications((k,))[0])} {k}" for k in cohort_model.COMPLICATIONS
        )
        return [
            (
                "Titration",
                f"{drug.to_display(plan.doses_ug_per_day[0]):.3g} to "
                f"{drug.to_display(plan.doses_ug_per_day[-1]):.3g} {drug.dose_unit} in "
                f"{len(plan.start_days) - 1} steps over {plan.end_day:.0f} days "
                f"({plan.description})",
            ),
            (
                "Dose after titration",
                f"{drug.to_display(plan.doses_ug_per_day[-1]):.3g} to "
                f"{drug.to_display(path.dose_ug_per_day[-1]):.3g} {drug.dose_unit}",
            ),
            (
                "Refills",
                f"{int(cohort.refills()[0])} ({int(np.sum(cohort.late[0]))} late), "
                f"{cohort.refills_per_year()[0]:.1f} a year",
            ),
            ("Reservoir ran empty", f"{int(cohort.empty_episodes()[0])} times"),
            ("Days with no drug", f"{days_without:.0f}"),
            (
                "Battery",
                f"{int(np.sum(np.isfinite(cohort.replacement_days[0])))} replacement(s)",
            ),
            ("MRI scans", f"{int(np.sum(np.isfinite(cohort.mri_days[0])))}"),
            ("Complications", problems),
            (
                "Cost per year (illustrative)",
                f"pump {path.cost_usd[-1] / years:,.0f} USD, "
                f"oral {path.oral_cost_usd[-1] / years:,.0f} USD",
            ),
        ]

    def _findings(self, drug, path):
        findings = []
        findings.extend(safety.empty_reservoir_findings(drug, int(path.cohort.empty_episodes()[0])))
        return findings


#: Yearly grid of the cohort plots. [year]
COHORT_YEARS = np.linspace(0.0, 12.0, 49)
#: Bins of the refills-per-year histogram; the last one holds 19 or more. [1/year]
REFILL_BINS = np.arange(21.0)


class CohortResult(NamedTuple):
    """
    What :meth:`CohortPanel.compute` returns: named, read-only, still unpackable.

    Parameters
    ----------
    drug : Drug
        The drug in the pump.
    cohort : cohort.Cohort
        The simulated patients.
    """

    drug: object
    cohort: object


class CohortPanel(Panel):
    """
    A cohort's spread of outcomes.

    Controls: drug, pump, number of patients, years, titration start, yearly dose increase,
    refill margin, late visits, seed. Shows the share still free of complications over the
    years (with the analytic exponential), the cumulative cost per patient (median and
    10-90 % band) against oral medicine, and the spread of refills per year.
    """

    def __init__(self, drug="morphine", seed=1):
        super().__init__()
        self.progress = widgets.FloatProgress(value=0.0, min=0.0, max=1.0, description="Cohort")
        self.widgets = {
            "drug": dropdown("Drug", controls.drug_options(), drug),
            "pump": dropdown("Pump", controls.programmable_pump_options(), "peristaltic:20"),
            "patients": slider(
                widgets.IntSlider, "Patients", control("Cohort.patients"), step=100, value=200
            ),
            "years": _years_slider(),
            **_policy_widgets(seed),
        }
        self._start()

    def show(self):
        """The panel with a progress bar above the plots."""
        box = super().show()
        box.children = (box.children[0], self.progress, *box.children[1:])
        return box

    def _build_figure(self):
        fig, (free_ax, cost_ax, refill_ax) = plotting.new_figure(1, 3, figsize=(12, 4))
        colours = plotting.OKABE_ITO
        nan = np.full_like(COHORT_YEARS, np.nan)
        with plotting.style_context():
            (self.free_line,) = free_ax.plot(
                COHORT_YEARS, nan, color=colours["blue"], drawstyle="steps-post", label="simulated"
            )
            (self.free_model,) = free_ax.plot(
                COHORT_YEARS, nan, color=colours["black"], ls="--", label="exp(-rate x t)"
            )
            self.band = cost_ax.fill_between(
                COHORT_YEARS, nan, nan, color=colours["sky_blue"], alpha=0.4, label="10-90 %"
            )
            (self.cost_median,) = cost_ax.plot(
                COHORT_YEARS, nan, color=colours["blue"], label="median"
            )
            (self.oral_line,) = cost_ax.plot(
                COHORT_YEARS, nan, color=colours["orange"], ls="--", label="oral medicine"
            )
            # One step patch for the whole histogram: one path to draw per update.
            self.refill_histogram = refill_ax.stairs(
                np.zeros(len(REFILL_BINS) - 1),
                REFILL_BINS,
                fill=True,
                color=colours["bluish_green"],
                edgecolor="white",
            )
        free_ax.set_xlim(0.0, COHORT_YEARS[-1])
        free_ax.set_ylim(0.0, 100.0)
        free_ax.legend(loc="lower left", frameon=False)
        plotting.label(free_ax, "years [year]", "free of complications [%]")
        cost_ax.set_xlim(0.0, COHORT_YEARS[-1])
        cost_ax.set_ylim(0.0, 200.0)
        cost_ax.legend(loc="upper left", frameon=False)
        plotting.label(cost_ax, "years [year]", "cost per patient [1000 USD]")
        refill_ax.set_xlim(0.0, 20.0)
        refill_ax.set_ylim(0.0, 100.0)
        plotting.label(refill_ax, "refills per year [1/year]", "patients [%]")
        # What the cohort is, on the figure itself (screenshots, projector): above all three
        # plots, with room kept for it by the layout. It changes only with the drug and the
        # pump (menus), so it is drawn with the background and a change redraws everything;
        # the slider moves stay fast (the number of patients is in the readouts).
        self.title = fig.suptitle(" ", fontsize=plotting.current_style()["axes.titlesize"])
        self.fig = fig
        self._register_figure(
            fig,
            [
                self.free_line,
                self.free_model,
                self.band,
                self.cost_median,
                self.oral_line,
                self.refill_histogram,
            ],
        )

    def compute(self):
        """
        Returns
        -------
        drug : helpers.drugs.Drug
        cohort : helpers.cohort.Cohort
        """
        p = self.params
        drug, settings = _settings(p, p["years"])
        self.progress.value = 0.0
        cohort = cohort_model.simulate_cohort(
            settings,
            p["patients"],
            p["seed"],
            progress=lambda fraction: setattr(self.progress, "value", fraction),
        )
        return CohortResult(drug, cohort)

    def _update(self):
        drug, cohort = self.compute()
        years = self.params["years"]
        inside = COHORT_YEARS <= years
        days = COHORT_YEARS * units.DAYS_PER_YEAR
        first = cohort.first_complication_days()
        free = 100.0 * np.mean(first[:, None] > days[None, :], axis=0)
        rate = sum(cohort_model.complication_rates_per_day(drug.key).values())
        self.free_line.set_ydata(np.where(inside, free, np.nan))
        self.free_model.set_ydata(np.where(inside, 100.0 * np.exp(-rate * days), np.nan))
        costs = cohort_model.cost_at(cohort, days) / 1000.0
        low, median, high = np.percentile(costs, [10, 50, 90], axis=0)
        self.band.set_data(
            COHORT_YEARS, np.where(inside, low, np.nan), np.where(inside, high, np.nan)
        )
        self.cost_median.set_ydata(np.where(inside, median, np.nan))
        oral = data.lookup("journey", "oral_cost_per_day").model_value * days / 1000.0
        self.oral_line.set_ydata(np.where(inside, oral, np.nan))
        counts, _ = np.histogram(
            np.clip(cohort.refills_per_year(), 0, REFILL_BINS[-1] - 0.01), bins=REFILL_BINS
        )
        self.refill_histogram.set_data(100.0 * counts / cohort.patients)
        dose = drug.to_display(cohort.settings.dose_ug_per_day)
        title = (
            f"Simulated patients on {drug.name.lower()} {dose:.3g} {drug.dose_unit}, "
            f"{cohort.settings.reservoir_ml:g} mL pump"
        )
        changed = title != self.title.get_text()
        self.title.set_text(title)
        self.readout.value = readout_table(self._rows(drug, cohort, free))
        self._redraw(full=changed)

    def _rows(self, drug, cohort, free):
        n = cohort.patients
        share = cohort.relief.mean()
        half_width = 1.96 * np.sqrt(share * (1 - share) / n)
        bolash = data.lookup("outcomes", "cost_per_day")
        years = self.params["years"]
        plan = cohort.titration
        return [
            ("Patients", f"{n} on {drug.name.lower()}, {years} years"),
            (
                "Titration",
                f"from {drug.to_display(plan.doses_ug_per_day[0]):.3g} {drug.dose_unit}: "
                f"{cohort.titration_visits()} visits over {plan.end_day:.0f} days",
            ),
            (
                "At least 50 % relief",
                f"{100 * share:.0f} % (95 % CI {100 * (share - half_width):.0f}-"
                f"{100 * (share + half_width):.0f} %)",
            ),
            (
                "Free of complications at the end",
                f"{free[np.searchsorted(COHORT_YEARS, years)]:.0f} %",
            ),
            ("Refills per year (median)", f"{np.median(cohort.refills_per_year()):.1f}"),
            (
                "Reservoir ran empty",
                f"{cohort.empty_episodes().sum() / (n * years):.2f} times per patient-year",
            ),
            (
                "Cost per day (median, illustrative)",
                f"{np.median(cohort.cost_per_day_usd()):.1f} USD; published median "
                f"{bolash.value:g} USD",
            ),
        ]


class TrialPanel(Panel):
    """
    The trial: is the pain relief enough to implant?

    Controls: pain before and after the trial dose (0-10 scale). Shows both as bars with
    the 50 % line, the relief, and the verdict.
    """

    def __init__(self):
        super().__init__()
        self.widgets = {
            "baseline": slider(
                widgets.FloatSlider,
                "Pain before [0-10]",
                control("Trial.baseline"),
                step=0.5,
                value=8.0,
            ),
            "after": slider(
                widgets.FloatSlider,
                "Pain after trial [0-10]",
                control("Trial.after"),
                step=0.5,
                value=3.5,
            ),
        }
        fig, ax = plotting.new_figure(figsize=(6, 4))
        colours = plotting.OKABE_ITO
        with plotting.style_context():
            self.bars = [
                ax.add_patch(Rectangle((x - 0.3, 0.0), 0.6, 0.0, color=c))
                for x, c in ((0, colours["vermillion"]), (1, colours["blue"]))
            ]
            (self.threshold,) = ax.plot(
                [-0.5, 1.5],
                [np.nan, np.nan],
                color=colours["black"],
                ls="--",
                label="50 % of before",
            )
        ax.set_xlim(-0.5, 1.5)
        ax.set_ylim(0.0, 10.0)
        ax.set_xticks([0, 1], ["before", "after the trial dose"])
        ax.legend(loc="upper right", frameon=False)
        plotting.label(ax, None, "pain score [0-10]")
        self.fig = fig
        self._register_figure(fig, [*self.bars, self.threshold])
        self._connect()

    def compute(self):
        """Relief as a percentage of the pain before the trial. [%]"""
        p = self.params
        return 100.0 * (p["baseline"] - p["after"]) / p["baseline"]

    def _update(self):
        p = self.params
        relief = self.compute()
        self.bars[0].set_height(p["baseline"])
        self.bars[1].set_height(p["after"])
        self.threshold.set_ydata([p["baseline"] / 2.0] * 2)
        needed = data.lookup("outcomes", "trial_success")
        positive = relief >= needed.value
        verdict = "positive: implantation can be discussed" if positive else "not enough relief"
        self.readout.value = readout_table(
            [
                ("Relief", f"{relief:.0f} %"),
                ("Trial", f"{verdict} (needs at least {needed.value:g} %)"),
            ]
        )
        self.findings.value = (
            "" if positive else findings_html(safety.trial_findings(max(relief, 0.0)))
        )
        self._redraw()
