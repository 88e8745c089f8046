"""Dosing-program panels: a 24-hour designer, patient boluses, pump mechanisms, and events."""

from __future__ import annotations

from typing import NamedTuple

import ipywidgets as widgets
import numpy as np

from helpers import (
    boluses,
    catheter,
    data,
    drugs,
    events,
    mechanisms,
    plotting,
    programs,
    pump,
    safety,
    spine,
    units,
)
from helpers.panels import controls
from helpers.panels.base import (
    Panel,
    dropdown,
    findings_html,
    range_drug_sliders,
    readout_table,
    slider,
)
from helpers.ranges import control
from helpers.units import pretty_unit

#: Clock hours of one day at the program grid, for plots. [h]
HOURS = np.arange(programs.MINUTES_PER_DAY + 1) / units.MINUTES_PER_HOUR

#: Top of the designer's rate axis; boluses and unit traps run off the top. [%]
RATE_AXIS_PERCENT = 400.0

#: Top of the designer's cumulative axis. [%]
TOTAL_AXIS_PERCENT = 250.0

#: What the designer's night step unit choices do to the value entered. [-]
ENTRY = {"day": 1.0, "hour": units.HOURS_PER_DAY}


def _clock(hours):
    hours %= units.HOURS_PER_DAY
    return f"{int(hours):02d}:{round(hours % 1 * 60):02d}"


def _to_minute(hours):
    """A slider's clock time rounded to the program grid's whole minute. [h]"""
    return round(hours * units.MINUTES_PER_HOUR) / units.MINUTES_PER_HOUR


def _step(values):
    """Values per minute as a step line over :data:`HOURS` (repeat the last)."""
    return np.append(values, values[-1])


def _assumption_note(*keys):
    """Names of teaching assumptions among ``programs`` data keys, for a readout row."""
    assumed = [k for k in keys if not data.lookup("programs", k).verified]
    return ", ".join(k.replace("_", " ") for k in assumed)


class ProgramResult(NamedTuple):
    """
    What :meth:`ProgramDesignerPanel.compute` returns: named, read-only, still unpackable.

    Parameters
    ----------
    drug : Drug
        The drug in the pump.
    delivery : programs.Delivery
        The program's output, minute by minute.
    day_rate : float
        The day step's rate [mL/day].
    bolus : float
        Each periodic bolus [ug].
    findings : tuple of Finding
        The program's findings, most serious first.
    """

    drug: object
    delivery: object
    day_rate: object
    bolus: object
    findings: object


class ProgramDesignerPanel(Panel):
    """
    24-hour program designer.

    Controls: drug, concentration, prescribed daily total, a night step (start, length,
    rate as a percentage of the day rate, and the unit it was entered in), and periodic
    boluses (number, share of the daily total, duration). Shows the dose rate over the
    day and the cumulative dose against the prescription, the day's total, and warnings.
    """

    def __init__(self, drug="baclofen"):
        super().__init__()
        self.pump_model = pump.get_pump("peristaltic")
        self.widgets = {
            "drug": dropdown("Drug", controls.drug_options(), drug),
            "concentration": slider(widgets.FloatLogSlider, "Concentration", base=10),
            "dose": slider(widgets.FloatLogSlider, "Prescribed total", base=10),
            "night_start_h": slider(
                widgets.FloatSlider,
                "Night step starts [h]",
                control("ProgramDesigner.night_start_h"),
                step=0.5,
                value=22,
            ),
            "night_hours": slider(
                widgets.FloatSlider,
                "Night step length [h]",
                control("ProgramDesigner.night_hours"),
                step=0.5,
                value=8,
            ),
            "night_percent": slider(
                widgets.FloatSlider,
                "Night rate [% of day rate]",
                control("ProgramDesigner.night_percent"),
                step=5.0,
                value=150.0,
            ),
            "night_entry": dropdown(
                "Night rate entered",
                [("per day (as meant)", "day"), ("per hour (the trap)", "hour")],
                "day",
            ),
            "boluses_per_day": slider(
                widgets.IntSlider,
                "Periodic boluses per day",
                control("ProgramDesigner.boluses_per_day"),
                value=0,
            ),
            "bolus_percent": slider(
                widgets.FloatSlider,
                "Share as boluses [%]",
                control("ProgramDesigner.bolus_percent"),
                step=5.0,
                value=40.0,
            ),
            "bolus_minutes": slider(
                widgets.IntSlider,
                "Bolus duration [min]",
                control("ProgramDesigner.bolus_minutes"),
                value=15,
            ),
        }
        range_drug_sliders(self.widgets, drugs.get_drug(drug))
        self.widgets["dose"].description = pretty_unit(
            f"Prescribed total [{drugs.get_drug(drug).dose_unit}]"
        )
        self._start()

    def _apply_drug(self, key):
        drug = drugs.get_drug(key)
        range_drug_sliders(self.widgets, drug)
        self.widgets["dose"].description = pretty_unit(f"Prescribed total [{drug.dose_unit}]")

    def _build_figure(self):
        fig, (rate_ax, total_ax) = plotting.new_figure(2, 1, sharex=True)
        colours = plotting.ROLE_COLOURS
        zeros = np.zeros_like(HOURS)
        with plotting.style_context():
            (self.rate_line,) = rate_ax.plot(
                HOURS, zeros, color=colours["nominal"], label="programmed", drawstyle="steps-post"
            )
            rate_ax.axhline(
                100.0, color=colours["alarm"], ls="--", label="prescribed, spread evenly"
            )
            (self.total_line,) = total_ax.plot(HOURS, zeros, color=colours["nominal"])
            total_ax.plot(HOURS, 100.0 * HOURS / HOURS[-1], color=colours["alarm"], ls="--")
            self.total_text = total_ax.text(
                0.01, 0.95, "", transform=total_ax.transAxes, va="top", ha="left"
            )
        rate_ax.set_xlim(0.0, 24.0)
        rate_ax.set_xticks(np.arange(0, 25, 3))
        rate_ax.set_ylim(0.0, RATE_AXIS_PERCENT)
        total_ax.set_ylim(0.0, TOTAL_AXIS_PERCENT)
        plotting.label(rate_ax, None, "dose rate\n[% of average]")
        plotting.label(total_ax, "clock time [h]", "dose so far\n[% of day]")
        rate_ax.legend(loc="upper left", frameon=False)
        self.fig, self.rate_ax, self.total_ax = fig, rate_ax, total_ax
        self._register_figure(
            fig,
            [self.rate_line, self.total_line, self.total_text],
        )

    def compute(self):
        """
        The program for the current controls.

        Returns
        -------
        drug : helpers.drugs.Drug
        delivery : helpers.programs.Delivery
            One day of the program. [-]
        day_rate_ug_per_day : float
            Rate of the day step, set so the program meets the prescription as meant. [ug/day]
        bolus_ug : float
            Drug in each periodic bolus. [ug]
        findings : tuple of helpers.safety.Finding
        """
        p = self.params
        drug = drugs.get_drug(p["drug"])
        concentration = drug.from_display(p["concentration"])
        prescribed = drug.from_display(p["dose"])
        share = p["bolus_percent"] / 100.0 if p["boluses_per_day"] else 0.0
        night_h, ratio = _to_minute(p["night_hours"]), p["night_percent"] / 100.0
        # Day rate d: d (24 - h) / 24 + ratio d h / 24 = (1 - share) * prescription.
        weight = (units.HOURS_PER_DAY - night_h + ratio * night_h) / units.HOURS_PER_DAY
        day_rate = (1.0 - share) * prescribed / weight
        night_rate = ratio * day_rate * ENTRY[p["night_entry"]]
        steps = [(0.0, day_rate)]
        if night_h > 0:
            start = _to_minute(p["night_start_h"])
            end = (start + night_h) % units.HOURS_PER_DAY
            steps = [(end, day_rate), (start, night_rate)]
        base = programs.flexible(steps, concentration)
        bolus = share * prescribed / p["boluses_per_day"] if share else 0.0
        delivery = programs.periodic(
            base,
            bolus,
            p["boluses_per_day"],
            p["bolus_minutes"],
            first_h=_to_minute(p["night_start_h"]),
        )
        findings = safety.delivery_findings(drug, self.pump_model, delivery, prescribed)
        return ProgramResult(drug, delivery, day_rate, bolus, findings)

    def _update(self):
        p = self.params
        drug, delivery, day_rate, bolus, findings = self.compute()
        self.widgets["bolus_percent"].disabled = p["boluses_per_day"] == 0
        self.widgets["bolus_minutes"].disabled = p["boluses_per_day"] == 0
        for name in ("night_start_h", "night_percent", "night_entry"):
            self.widgets[name].disabled = p["night_hours"] == 0
        prescribed = drug.from_display(p["dose"])
        # Both axes in percent of the prescription: fixed, whatever the drug and dose.
        percent_rate = 100.0 * delivery.dose_ug_per_day / prescribed
        cumulative = 100.0 * delivery.volume_ml() * delivery.concentration_ug_per_ml / prescribed
        self.rate_line.set_ydata(_step(percent_rate))
        self.total_line.set_ydata(cumulative)
        total = drug.to_display(cumulative[-1] * prescribed / 100.0)
        self.total_text.set_text(
            f"day total {total:.3g} {pretty_unit(drug.mass_unit)} ({cumulative[-1]:.0f} % of the "
            f"prescription), {delivery.daily_volume_ml()[0]:.3g} mL from the reservoir"
        )
        self.readout.value = readout_table(self._rows(drug, delivery, day_rate, bolus))
        self.findings.value = findings_html(findings)
        self._redraw()

    def _rows(self, drug, delivery, day_rate, bolus):
        p = self.params
        unit = drug.dose_unit
        rates = delivery.rate_ml_per_day
        rows = [("Day rate", f"{drug.to_display(day_rate):.3g} {unit}")]
        if p["night_hours"] > 0:
            start = p["night_start_h"]
            entered = drug.to_display(day_rate) * p["night_percent"] / 100.0
            suffix = unit if p["night_entry"] == "day" else f"{drug.mass_unit}/h (!)"
            rows.append(
                (
                    "Night step",
                    f"{_clock(start)}-{_clock(start + p['night_hours'])}, "
                    f"{entered:.3g} entered as {suffix}",
                )
            )
        if bolus:
            rows.append(
                (
                    "Periodic boluses",
                    f"{p['boluses_per_day']} x {drug.to_display(bolus):.3g} {drug.mass_unit} "
                    f"over {p['bolus_minutes']} min",
                )
            )
        total = float(delivery.daily_totals_ug()[0])
        rows += [
            ("Pump rate", f"{rates.min():.3g} to {rates.max():.3g} mL/day"),
            (
                "Day total",
                f"{drug.to_display(total):.3g} {unit} against {p['dose']:.3g} prescribed",
            ),
            ("Reservoir use", f"{delivery.daily_volume_ml()[0]:.3g} mL/day"),
        ]
        return rows


#: Days of patient demand simulated. [day]
DEMAND_DAYS = 14

#: Time axis of the reservoir plot. [day]
RESERVOIR_DAYS = np.linspace(0.0, 180.0, 181)


class PatientBolusPanel(Panel):
    """
    Patient-controlled boluses over two weeks.

    Controls: pump and reservoir, daily dose and concentration (morphine), bolus size,
    lockout, maximum per 24 h, mean presses per day and the patient (random seed). Shows
    every press over two weeks by day and clock time (given, refused by the lockout,
    refused by the daily maximum) and the reservoir emptying under three assumptions,
    with the refill dates they give.
    """

    def __init__(self, pump_choice="valve_gated:20", seed=1):
        super().__init__()
        self.drug = drugs.get_drug("morphine")
        line = catheter.get_catheter("valve_gated")
        self.dead_volume_ml = catheter.dead_volume_ml(
            line.supplied_length.model_value,
            line.volume_per_length.model_value,
            line.pump_path_volume.model_value,
        )
        self.widgets = {
            "pump": dropdown("Pump", controls.programmable_pump_options(), pump_choice),
            "concentration": slider(widgets.FloatLogSlider, "Concentration", base=10),
            "dose": slider(widgets.FloatLogSlider, "Daily dose", base=10),
            "bolus_percent": slider(
                widgets.FloatSlider,
                "Bolus [% of daily dose]",
                control("PatientBolus.bolus_percent"),
                step=1.0,
                value=data.lookup("programs", "bolus_dose_share").value,
            ),
            "lockout_min": slider(
                widgets.IntSlider,
                "Lockout [min]",
                control("PatientBolus.lockout_min"),
                step=10,
                value=int(data.lookup("programs", "bolus_lockout").value),
            ),
            "max_per_day": slider(
                widgets.IntSlider,
                "Most boluses per 24 h",
                control("PatientBolus.max_per_day"),
                value=int(data.lookup("programs", "bolus_max_per_day").value),
            ),
            "presses_per_day": slider(
                widgets.FloatSlider,
                "Presses per day (mean)",
                control("PatientBolus.presses_per_day"),
                step=0.5,
                value=data.lookup("programs", "demand_presses_per_day").value,
            ),
            "seed": slider(
                widgets.IntSlider, "Patient (random seed)", control("PatientBolus.seed"), value=seed
            ),
        }
        range_drug_sliders(self.widgets, self.drug)
        self.widgets["dose"].description = pretty_unit(f"Daily dose [{self.drug.dose_unit}]")
        self._start()

    def _build_figure(self):
        fig, (press_ax, res_ax) = plotting.new_figure(1, 2, width_ratios=(3, 2))
        colours = plotting.OKABE_ITO
        wake, sleep = (
            units.days_to_hours(h) for h in data.lookup("programs", "waking_hours").model_value
        )
        with plotting.style_context():
            press_ax.axhspan(0.0, wake, color="0.9", zorder=0)
            press_ax.axhspan(sleep, 24.0, color="0.9", zorder=0, label="night")
            empty = np.empty((0, 2))
            self.given = press_ax.scatter(
                empty[:, 0],
                empty[:, 1],
                marker="o",
                s=60,
                color=colours["bluish_green"],
                label="bolus given",
            )
            self.lockout = press_ax.scatter(
                empty[:, 0],
                empty[:, 1],
                marker="x",
                s=60,
                color=colours["orange"],
                label="refused: lockout",
            )
            self.cap = press_ax.scatter(
                empty[:, 0],
                empty[:, 1],
                marker="^",
                s=60,
                color=colours["vermillion"],
                label="refused: daily maximum",
            )
            nan = np.full_like(RESERVOIR_DAYS, np.nan)
            self.lines = {}
            for key, colour, style, text in (
                ("no_boluses", colours["blue"], "-", "program alone"),
                ("demand", colours["bluish_green"], "-.", "simulated presses"),
                ("all_allowed", colours["vermillion"], "--", "every allowed bolus"),
            ):
                (self.lines[key],) = res_ax.plot(
                    RESERVOIR_DAYS, nan, color=colour, ls=style, label=text
                )
            self.alarm = res_ax.axhline(0.0, color=colours["black"], ls=":", label="alarm")
        press_ax.set_xlim(0.0, DEMAND_DAYS)
        press_ax.set_ylim(0.0, 24.0)
        press_ax.set_yticks(np.arange(0, 25, 6))
        plotting.label(press_ax, "day [day]", "clock time [h]")
        press_ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncols=2, frameon=False)
        res_ax.set_xlim(0.0, RESERVOIR_DAYS[-1])
        res_ax.set_ylim(0.0, 42.0)
        plotting.label(res_ax, "days since refill [day]", "reservoir [mL]")
        res_ax.legend(loc="upper right", frameon=False)
        self.fig = fig
        self._register_figure(
            fig, [self.given, self.lockout, self.cap, *self.lines.values(), self.alarm]
        )

    def compute(self):
        """
        Two weeks of demand for the current controls.

        Returns
        -------
        result : dict
            ``bolus`` (PatientBolus), ``presses`` (Presses), ``base`` and ``delivery``
            (Delivery), ``estimate`` (RefillEstimate), ``tip`` (LineTransport),
            ``pump_model``, ``fill_ml``, ``findings``.
        """
        p = self.params
        drug = self.drug
        model, fill = controls.parse_pump_choice(p["pump"])
        concentration = drug.from_display(p["concentration"])
        dose = drug.from_display(p["dose"])
        bolus = boluses.PatientBolus(
            dose * p["bolus_percent"] / 100.0,
            int(data.lookup("programs", "bolus_duration").value),
            p["lockout_min"],
            p["max_per_day"],
        )
        base = programs.continuous(dose, concentration, DEMAND_DAYS)
        pressed = boluses.demand(
            DEMAND_DAYS,
            p["presses_per_day"],
            data.lookup("programs", "demand_day_share").model_value,
            p["seed"],
        )
        presses = boluses.apply_rules(pressed, bolus)
        delivery = boluses.with_patient_boluses(base, bolus, presses)
        estimate = boluses.refill_estimate(fill, model.alarm_volume_ml, base, bolus, delivery)
        tip = programs.dose_at_tip(delivery, self.dead_volume_ml)
        findings = list(safety.rate_findings(model, float(delivery.rate_ml_per_day.max())))
        worst = dose + bolus.max_per_day * bolus.dose_ug
        findings += safety.drug_limit_findings(drug, concentration, worst)
        findings += safety.daily_cap_findings(int(presses.refused_cap.sum()))
        order = list(safety.sort_findings(findings))
        return {
            "bolus": bolus,
            "presses": presses,
            "base": base,
            "delivery": delivery,
            "estimate": estimate,
            "tip": tip,
            "pump_model": model,
            "fill_ml": fill,
            "findings": tuple(order),
        }

    def _update(self):
        r = self.compute()
        presses = r["presses"]
        days = presses.press_days
        points = np.column_stack([np.floor(days) + 0.5, units.days_to_hours(days % 1.0)])
        self.given.set_offsets(points[presses.given])
        self.lockout.set_offsets(points[presses.refused_lockout])
        self.cap.set_offsets(points[presses.refused_cap])
        fill, alarm = r["fill_ml"], r["pump_model"].alarm_volume_ml
        estimate = r["estimate"]
        for key, line in self.lines.items():
            to_alarm = getattr(estimate, f"{key}_days")
            rate = (fill - alarm) / to_alarm
            line.set_ydata(np.maximum(fill - rate * RESERVOIR_DAYS, 0.0))
        self.alarm.set_ydata([alarm] * 2)
        self.readout.value = readout_table(self._rows(r))
        self.findings.value = findings_html(r["findings"])
        self._redraw()

    def _rows(self, r):
        drug, presses, bolus = self.drug, r["presses"], r["bolus"]
        unit = drug.mass_unit
        estimate = r["estimate"]
        base_daily = r["base"].daily_totals_ug()
        daily = r["delivery"].daily_totals_ug()
        tip_daily = np.diff(r["tip"].delivered_ug[:: programs.MINUTES_PER_DAY])
        return [
            (
                "Each bolus",
                f"{drug.to_display(bolus.dose_ug):.3g} {unit} over {bolus.duration_min} min",
            ),
            (
                "Presses in 14 days",
                f"{presses.press_days.size}: {int(presses.given.sum())} given, "
                f"{int(presses.refused_lockout.sum())} refused by the {bolus.lockout_min}-min "
                f"lockout, {int(presses.refused_cap.sum())} by the maximum of {bolus.max_per_day}",
            ),
            (
                "Extra dose from boluses",
                f"mean {drug.to_display((daily - base_daily).mean()):.3g} {unit}/day, "
                f"most {drug.to_display((daily - base_daily).max()):.3g} {unit}/day",
            ),
            ("Largest day at the catheter tip", f"{drug.to_display(tip_daily.max()):.3g} {unit}"),
            ("Refill due, program alone", f"day {estimate.no_boluses_days:.0f}"),
            (
                "Refill due, every bolus used",
                f"day {estimate.all_allowed_days:.0f} (controller's date)",
            ),
            ("Refill due, these presses", f"day {estimate.demand_days:.0f}"),
            (
                "Teaching assumptions",
                _assumption_note("bolus_duration", "demand_day_share", "waking_hours"),
            ),
        ]


#: Window of the mechanism comparison, at one-minute steps. [day]
MECHANISM_DAYS = 6.0 / units.HOURS_PER_DAY


class MechanismResult(NamedTuple):
    """
    What :meth:`MechanismPanel.compute` returns: named, read-only, still unpackable.

    Parameters
    ----------
    valve : programs.Delivery
        The valve-gated pump's strokes.
    interval : float
        Minutes between strokes [min].
    tip_percent : float
        CSF level at T11 against smooth delivery [%].
    """

    valve: object
    interval: object
    tip_percent: object


class MechanismPanel(Panel):
    """
    Three pump mechanisms delivering the same daily dose.

    Controls: drug (for its CSF clearance), flow rate, and the valve-gated pump's stroke
    volume. Shows six hours of pump output (smooth for peristaltic and gas-driven, pulses
    for valve-gated) and the concentration in the CSF at the catheter tip for pulses
    against smooth delivery.
    """

    def __init__(self, drug="morphine"):
        super().__init__()
        stroke_ul = data.lookup("programs", "micro_bolus_volume").value
        self.widgets = {
            "drug": dropdown("Drug", controls.drug_options(), drug),
            "rate_ml_per_day": slider(
                widgets.FloatLogSlider,
                "Flow rate [mL/day]",
                control("Mechanism.rate_ml_per_day"),
                step=0.01,
                value=0.25,
            ),
            "stroke_ul": slider(
                widgets.FloatSlider,
                "Valve stroke volume [uL]",
                control("Mechanism.stroke_ul"),
                step=0.5,
                value=stroke_ul,
            ),
        }
        self._start()

    def _build_figure(self):
        fig, (out_ax, tip_ax) = plotting.new_figure(2, 1, sharex=True)
        colours = plotting.OKABE_ITO
        steps = round(MECHANISM_DAYS * programs.MINUTES_PER_DAY)
        self.hours = np.arange(steps + 1) / units.MINUTES_PER_HOUR
        nan = np.full_like(self.hours, np.nan)
        with plotting.style_context():
            (self.valve_line,) = out_ax.plot(
                self.hours,
                nan,
                color=colours["vermillion"],
                drawstyle="steps-post",
                label="valve-gated (pulses)",
            )
            (self.smooth_line,) = out_ax.plot(
                self.hours, nan, color=colours["blue"], lw=3, label="peristaltic, gas-driven"
            )
            (self.valve_tip,) = tip_ax.plot(self.hours, nan, color=colours["vermillion"])
            self.smooth_tip = tip_ax.axhline(100.0, color=colours["blue"], lw=3)
        out_ax.set_xlim(0.0, self.hours[-1])
        out_ax.set_yscale("symlog", linthresh=1.0)
        out_ax.set_ylim(0.0, 2.0e3)
        out_ax.legend(loc="upper right", frameon=False)
        plotting.label(out_ax, None, "pump output\n[uL/h]")
        tip_ax.set_ylim(0.0, 400.0)
        plotting.label(tip_ax, "time [h]", "CSF at the tip\n[% of smooth]")
        self.fig = fig
        self._register_figure(fig, [self.valve_line, self.smooth_line, self.valve_tip])

    def compute(self):
        """
        Returns
        -------
        valve : helpers.programs.Delivery
        interval_min : float
        tip_percent : numpy.ndarray
            CSF concentration at the tip under valve pulses, as % of the steady level of
            smooth delivery. [%]
        """
        p = self.params
        stroke_ml = p["stroke_ul"] / units.UL_PER_ML
        valve = mechanisms.valve_gated(p["rate_ml_per_day"], 1.0, MECHANISM_DAYS, stroke_ml)
        interval = mechanisms.actuation_interval_min(p["rate_ml_per_day"], stroke_ml)
        spread = programs.csf_at_tip(valve, p["drug"])
        smooth = spine.steady_state(
            "T11",
            p["rate_ml_per_day"],
            spine.human_dispersion(),
            spine.clearance_per_day(p["drug"]),
            p["rate_ml_per_day"],
            spread.geometry,
        )[spread.geometry.cell("T11")]
        return MechanismResult(valve, interval, 100.0 * spread.at_level("T11") / smooth)

    def _update(self):
        p = self.params
        valve, interval, tip = self.compute()
        ul_per_h = units.ml_per_day_to_ul_per_h(valve.rate_ml_per_day)
        self.valve_line.set_ydata(_step(ul_per_h))
        self.smooth_line.set_ydata(
            np.full_like(self.hours, units.ml_per_day_to_ul_per_h(p["rate_ml_per_day"]))
        )
        self.valve_tip.set_ydata(tip)
        delivered = valve.volume_ml()[-1] / (p["rate_ml_per_day"] * MECHANISM_DAYS)
        settled = tip[len(tip) // 2 :]
        self.readout.value = readout_table(
            [
                ("Valve actuation", f"one every {interval:.3g} min ({1440 / interval:.0f} a day)"),
                ("Each pulse", f"{p['stroke_ul']:.3g} uL in one minute"),
                ("Delivered in 6 h", f"{100 * delivered:.1f} % of the programmed volume"),
                (
                    "Ripple at the tip",
                    f"{settled.min():.0f} % to {settled.max():.0f} % of smooth delivery "
                    f"({drugs.get_drug(p['drug']).name.lower()})",
                ),
                ("Teaching assumptions", _assumption_note("micro_bolus_volume")),
            ]
        )
        self._redraw()


#: Window of the event panel. [day]
EVENT_DAYS = 2.0

#: Minutes averaged into one step of the CSF simulation of the event panel. [min]
EVENT_BLOCK = 10

SCENARIOS = (
    ("Fever day (gas-driven pump)", "fever"),
    ("Flight (gas-driven pump)", "flight"),
    ("MRI scan (peristaltic pump)", "mri"),
    ("MRI scan (valve-gated pump, emptied first)", "mri_valve_emptied"),
    ("MRI scan (valve-gated pump, not emptied)", "mri_valve_full"),
)

#: Reservoir volume of a valve-gated pump at the scan, unless set. [mL]
MRI_RESIDUAL_ML = 10.0

#: Controls that apply to each scenario; the others are disabled.
EVENT_ASSUMPTIONS = {
    "fever": ("gas_reference_temperature", "gas_temperature_sensitivity"),
    "flight": ("gas_altitude_sensitivity",),
    "mri": ("mri_scan_duration",),
    "mri_valve_emptied": ("mri_scan_duration",),
    "mri_valve_full": ("mri_scan_duration",),
}

EVENT_CONTROLS = {
    "fever": ("peak_degc", "fever_hours", "temperature_sensitivity"),
    "flight": ("cabin_altitude_m", "flight_hours", "altitude_sensitivity"),
    "mri": ("restart_delay_h",),
    "mri_valve_emptied": ("restart_delay_h",),
    "mri_valve_full": ("restart_delay_h", "residual_ml"),
}


class EventsResult(NamedTuple):
    """
    What :meth:`EventsPanel.compute` returns: named, read-only, still unpackable.

    Parameters
    ----------
    nominal : programs.Delivery
        Delivery without the event.
    delivery : programs.Delivery
        Delivery with the event.
    tip_percent : numpy.ndarray
        CSF level at T11 against the usual level [%].
    findings : tuple of Finding
        The event's findings, most serious first.
    """

    nominal: object
    delivery: object
    tip_percent: object
    findings: object


class EventsPanel(Panel):
    """
    Events that change delivery: a fever or a flight with a gas-driven pump, an MRI scan
    with a peristaltic pump.

    Controls: scenario, drug, fever peak and length, cabin altitude and flight time, the
    assumed sensitivities, the MRI restart delay. Shows two days of delivery against the
    labelled rate, and the concentration at the catheter tip.
    """

    def __init__(self, scenario="fever", drug="baclofen"):
        super().__init__()
        cabin = data.lookup("programs", "cabin_altitude_max").value
        low_delay = data.lookup("programs", "mri_restart_delay").value[0]
        self.widgets = {
            "scenario": dropdown("Event", SCENARIOS, scenario),
            "drug": dropdown("Drug", controls.drug_options(), drug),
            "peak_degc": slider(
                widgets.FloatSlider,
                "Fever peak [degC]",
                control("Events.peak_degc"),
                step=0.1,
                value=39.5,
            ),
            "fever_hours": slider(
                widgets.FloatSlider,
                "Fever lasts [h]",
                control("Events.fever_hours"),
                step=1.0,
                value=12.0,
            ),
            "cabin_altitude_m": slider(
                widgets.FloatSlider,
                "Cabin altitude [m]",
                control("Events.cabin_altitude_m"),
                step=cabin / 20,
                value=cabin,
            ),
            "flight_hours": slider(
                widgets.FloatSlider,
                "Flight time [h]",
                control("Events.flight_hours"),
                step=0.5,
                value=10.0,
            ),
            "temperature_sensitivity": slider(
                widgets.FloatSlider,
                "Sensitivity [%/degC]",
                control("Events.temperature_sensitivity"),
                step=1.0,
                value=data.lookup("programs", "gas_temperature_sensitivity").value,
            ),
            "altitude_sensitivity": slider(
                widgets.FloatSlider,
                "Sensitivity [%/km]",
                control("Events.altitude_sensitivity"),
                step=1.0,
                value=data.lookup("programs", "gas_altitude_sensitivity").value,
            ),
            "restart_delay_h": slider(
                widgets.FloatSlider,
                "MRI restart delay [h]",
                control("Events.restart_delay_h"),
                step=0.5,
                value=low_delay,
            ),
            "residual_ml": slider(
                widgets.FloatSlider,
                "Reservoir at scan [mL]",
                control("Events.residual_ml"),
                step=0.5,
                value=MRI_RESIDUAL_ML,
            ),
        }
        self._start()

    def _build_figure(self):
        fig, (rate_ax, tip_ax) = plotting.new_figure(2, 1, sharex=True)
        colours = plotting.OKABE_ITO
        self.hours = HOURS_2 = np.arange(int(EVENT_DAYS * programs.MINUTES_PER_DAY) + 1) / 60.0
        block_hours = np.arange(int(EVENT_DAYS * programs.MINUTES_PER_DAY / EVENT_BLOCK) + 1)
        self.block_hours = block_hours * EVENT_BLOCK / units.MINUTES_PER_HOUR
        nan = np.full_like(HOURS_2, np.nan)
        with plotting.style_context():
            rate_ax.axhline(100.0, color=colours["black"], ls=":", label="labelled rate")
            (self.rate_line,) = rate_ax.plot(
                HOURS_2,
                nan,
                color=colours["vermillion"],
                drawstyle="steps-post",
                label="delivered",
            )
            tip_ax.axhline(100.0, color=colours["black"], ls=":")
            (self.tip_line,) = tip_ax.plot(
                self.block_hours, np.full_like(self.block_hours, np.nan), color=colours["blue"]
            )
            self.title = rate_ax.set_title(" ", loc="left")
        rate_ax.set_xlim(0.0, units.days_to_hours(EVENT_DAYS))
        rate_ax.set_xticks(np.arange(0, 49, 6))
        rate_ax.set_ylim(0.0, 200.0)
        tip_ax.set_ylim(0.0, 200.0)
        rate_ax.legend(loc="lower right", frameon=False)
        plotting.label(rate_ax, None, "pump flow\n[% of labelled]")
        plotting.label(tip_ax, "time [h]", "CSF at the tip\n[% of usual]")
        self.fig = fig
        self._register_figure(fig, [self.rate_line, self.tip_line, self.title])

    def compute(self):
        """
        Returns
        -------
        nominal, delivery : helpers.programs.Delivery
            Labelled and actual delivery over two days. [-]
        tip_percent : numpy.ndarray
            CSF concentration at the tip, per 10-min step, as % of the usual level. [%]
        findings : list of helpers.safety.Finding
        """
        p = self.params
        drug = drugs.get_drug(p["drug"])
        scenario = p["scenario"]
        rate = controls.TYPICAL_RATE_ML_PER_DAY
        concentration = drug.from_display(controls.dose_range(drug)[2]) / rate
        nominal = programs.continuous(rate * concentration, concentration, EVENT_DAYS)
        steps = len(nominal.rate_ml_per_day)
        reference = data.lookup("programs", "gas_reference_temperature").value
        temperature, altitude = np.full(steps, reference), np.zeros(steps)
        findings = []
        if scenario == "fever":
            temperature = events.fever(EVENT_DAYS, p["peak_degc"], 8.0, p["fever_hours"])
        if scenario == "flight":
            altitude = events.flight(EVENT_DAYS, p["cabin_altitude_m"], 8.0, p["flight_hours"])
        scan_h = units.days_to_hours(data.lookup("programs", "mri_scan_duration").model_value)
        if scenario == "mri":
            delivery = events.mri(nominal, 8.0, scan_h, p["restart_delay_h"])
        elif scenario.startswith("mri_valve"):
            delivery = events.mri_valve_gated(
                nominal,
                8.0,
                scan_h,
                p["restart_delay_h"],
                emptied=scenario == "mri_valve_emptied",
                residual_ml=p["residual_ml"],
            )
        else:
            delivery = mechanisms.gas_driven(
                rate,
                concentration,
                temperature,
                altitude,
                temperature_sensitivity_percent=p["temperature_sensitivity"],
                altitude_sensitivity_percent=p["altitude_sensitivity"],
            )
        usual = programs.csf_at_tip(nominal, drug.key, block_min=EVENT_BLOCK).at_level("T11")
        tip = programs.csf_at_tip(delivery, drug.key, block_min=EVENT_BLOCK).at_level("T11")
        findings = self._findings(drug, scenario, delivery, nominal)
        return EventsResult(nominal, delivery, 100.0 * tip / usual, findings)

    def _findings(self, drug, scenario, delivery, nominal):
        p = self.params
        extra = delivery.volume_ml()[-1] / nominal.volume_ml()[-1] - 1.0
        if scenario == "fever":
            return list(safety.fever_findings(p["peak_degc"], extra))
        if scenario == "flight":
            return list(safety.flight_findings(extra))
        stopped = units.days_to_hours(
            np.count_nonzero(delivery.rate_ml_per_day == 0) * programs.STEP_DAYS
        )
        pump_key = "peristaltic" if scenario == "mri" else "valve_gated"
        return list(
            safety.mri_findings(
                pump_key,
                drug,
                stopped,
                emptied=scenario != "mri_valve_full",
                residual_ml=p["residual_ml"],
                concentration_ug_per_ml=delivery.concentration_ug_per_ml,
                dose_ug_per_day=nominal.daily_totals_ug()[0],
            )
        )

    def _update(self):
        p = self.params
        for name in (
            "peak_degc",
            "fever_hours",
            "temperature_sensitivity",
            "cabin_altitude_m",
            "flight_hours",
            "altitude_sensitivity",
            "restart_delay_h",
            "residual_ml",
        ):
            self.widgets[name].disabled = name not in EVENT_CONTROLS[p["scenario"]]
        nominal, delivery, tip, findings = self.compute()
        drug = drugs.get_drug(p["drug"])
        percent = 100.0 * delivery.rate_ml_per_day / nominal.rate_ml_per_day
        # A discharge is millions of per cent: drawn to the top of the axis, named in the title.
        self.rate_line.set_ydata(_step(np.minimum(percent, 199.0)))
        self.tip_line.set_ydata(np.minimum(tip, 199.0))
        label = dict(SCENARIOS)
        names = {v: k for k, v in label.items()}
        off_scale = " (off the scale above 200 %)" if percent.max() > 200.0 else ""
        self.title.set_text(names[p["scenario"]] + off_scale)
        extra_ug = (
            delivery.volume_ml()[-1] - nominal.volume_ml()[-1]
        ) * delivery.concentration_ug_per_ml
        daily = nominal.daily_totals_ug()[0]
        self.readout.value = readout_table(
            [
                ("Event", names[p["scenario"]]),
                ("Usual dose", f"{drug.to_display(daily):.3g} {drug.dose_unit}"),
                (
                    "Change over two days",
                    f"{drug.to_display(extra_ug):+.3g} {drug.mass_unit} "
                    f"({100 * extra_ug / daily:+.0f} % of a day's dose)",
                ),
                ("Flow range", f"{percent.min():.0f} % to {percent.max():.0f} % of labelled"),
                ("CSF at the tip", f"{tip.min():.0f} % to {tip.max():.0f} % of usual"),
                (
                    "Teaching assumptions",
                    _assumption_note(*EVENT_ASSUMPTIONS[p["scenario"]]),
                ),
            ]
        )
        self.findings.value = findings_html(findings)
        self._redraw()
