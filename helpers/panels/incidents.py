"""Find the error: one real incident type at a time, decided first, then its consequence."""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np

from helpers import incidents, plotting
from helpers.panels.base import Panel, dropdown, findings_html, readout_table, set_range, slider
from helpers.ranges import control

#: Lowest value drawn on the log axis: zero delivery shows on this floor. [%]
FLOOR = 0.1

#: Answer dropdown value before the student has chosen. [-]
UNDECIDED = -1


def _answer_options(case):
    return [("(choose an answer)", UNDECIDED)] + [(text, i) for i, text in enumerate(case.options)]


class IncidentPanel(Panel):
    """
    Find-the-error panel.

    Controls: the case, the student's answer, and a time cursor. Shows the order and the
    question; once an answer is chosen, the feedback, the dose leaving the catheter and
    the level at the tip over time (from the shared models), the key result, the checks
    that flag it and the habit that would have caught it.
    """

    def __init__(self, case="flex_per_hour"):
        super().__init__()
        first = incidents.get_case(case)
        self._consequences = {}
        self._xlim = None
        self.widgets = {
            "case": dropdown("Case", [(c.title, c.key) for c in incidents.CASES], case),
            "answer": dropdown("Your answer", _answer_options(first), UNDECIDED),
            "time_h": slider(
                widgets.FloatSlider, "Time [h]", control("Incident.time_h"), step=0.5, value=12.0
            ),
        }
        self._build_figure()
        self._apply_case(case)
        self._connect()

    def _reactions(self):
        return {"case": self._apply_case}

    def _apply_case(self, key):
        """New answer choices, and the time cursor ranged to the case's window."""
        case = incidents.get_case(key)
        answer = self.widgets["answer"]
        answer.options = _answer_options(case)
        answer.value = UNDECIDED
        end = float(self.consequence(key).hours[-1])
        cursor = self.widgets["time_h"]
        window = control("Incident.time_h").within(0.0, end, f"incidents.{key}: the case's window")
        set_range(cursor, window, end / 2.0)
        cursor.step = end / 100.0

    def consequence(self, key):
        """The case's consequence, computed once per panel. [-]"""
        if key not in self._consequences:
            self._consequences[key] = incidents.get_case(key).consequence()
        return self._consequences[key]

    def _build_figure(self):
        fig, ax = plotting.new_figure(figsize=(10, 4.5))
        colours = plotting.OKABE_ITO
        with plotting.style_context():
            ax.axhline(100.0, color=colours["black"], ls=":", label="intended / usual")
            (self.dose_line,) = ax.plot(
                [],
                [],
                color=colours["vermillion"],
                drawstyle="steps-post",
                label="dose leaving the catheter",
            )
            (self.csf_line,) = ax.plot(
                [], [], color=colours["blue"], lw=3, label="level in the CSF at the tip"
            )
            self.cursor = ax.axvline(
                0.0, color=colours["reddish_purple"], lw=1.5, ls="--", label="time shown"
            )
            self.hidden = ax.text(
                0.5,
                0.5,
                "Choose an answer to see what happened",
                transform=ax.transAxes,
                ha="center",
                va="center",
                fontsize="large",
            )
        ax.set_yscale("log")
        ax.set_ylim(FLOOR, 2.0e5)
        ax.legend(loc="upper right", frameon=False)
        plotting.label(ax, "time [h]", "percent of intended [%]")
        self.fig, self.ax = fig, ax
        self._register_figure(fig, [self.dose_line, self.csf_line, self.cursor, self.hidden])

    def _update(self):
        p = self.params
        case = incidents.get_case(p["case"])
        result = self.consequence(case.key)
        decided = p["answer"] != UNDECIDED
        hours = result.hours
        self.dose_line.set_data(
            hours, np.maximum(np.append(result.dose_percent(), result.dose_percent()[-1]), FLOOR)
        )
        self.csf_line.set_data(hours, np.maximum(result.csf_percent, FLOOR))
        for artist in (self.dose_line, self.csf_line):
            artist.set_visible(decided)
        self.hidden.set_visible(not decided)
        self.cursor.set_xdata([p["time_h"]] * 2)
        xlim = (0.0, float(hours[-1]))
        full = xlim != self._xlim
        if full:
            self.ax.set_xlim(*xlim)
            self._xlim = xlim
        self.readout.value = readout_table(self._rows(case, result, decided))
        self.findings.value = findings_html(result.findings) if decided else ""
        self._redraw(full=full)

    def _rows(self, case, result, decided):
        p = self.params
        rows = [("Case", case.story), ("Question", case.question)]
        if not decided:
            return [
                *rows,
                ("Answer", "choose one to see the consequence"),
                ("Time cursor", f"{p['time_h']:.1f} h"),
            ]
        right = p["answer"] == case.answer
        index = min(
            np.searchsorted(result.hours, p["time_h"], side="right") - 1, len(result.hours) - 2
        )
        at = np.interp(p["time_h"], result.hours, result.csf_percent)
        return [
            *rows,
            ("Your answer", ("Right. " if right else "Not quite. ") + case.explanation),
            ("What happened", result.key_result),
            (
                f"At {p['time_h']:.1f} h",
                f"dose {result.dose_percent()[max(index, 0)]:.0f} % of intended, "
                f"level at the tip {at:.0f} % of usual",
            ),
            ("Caught by", case.caught_by),
        ]
