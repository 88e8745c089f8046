"""Concept checks and the refill drill on screen; answers kept in the student's own folder.

:func:`show_checks` asks a notebook's concept checks, before its panels ("what do you
expect?", no verdict yet) or after them (the verdict, and why each tempting wrong answer
is wrong). :class:`DrillPanel` runs the refill-reconciliation drill. :func:`show_handin`
sets the student's name and writes the hand-in. Every answer goes to
:mod:`helpers.progress`; nothing leaves the machine. The rules and the numbers are in
:mod:`helpers.concepts` and :mod:`helpers.drill`; nothing here decides what is right.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from helpers import concepts, drill, plotting, progress
from helpers.panels.access import AccessibilityLayer

_RIGHT, _WRONG = "#009E73", "#D55E00"  # Okabe-Ito green and vermillion; words say it too


def _mark(right, words):
    colour = plotting.text_colour(_RIGHT if right else _WRONG)
    return f"<span style='color:{colour}'><b>{html.escape(words)}</b></span>"


def _error(err):
    return f"<span role='alert'>{_mark(False, 'Not saved:')} {html.escape(str(err))}</span>"


class ConceptCheck:
    """
    One concept check: the question, its options, Answer, and what the answer means.

    Parameters
    ----------
    key : str
        The question (:func:`helpers.concepts.question`). [-]
    phase : str
        ``"pre"`` (before the panels: saved, no verdict) or ``"post"`` (verdict and why). [-]
    folder : str or pathlib.Path, optional
        The student's folder (default :func:`helpers.files.settings_folder`). [-]
    """

    def __init__(self, key, phase, folder=None):
        if phase not in concepts.PHASES:
            raise ValueError(f"phase = {phase!r}: one of {', '.join(concepts.PHASES)}")
        self.question = concepts.question(key)
        self.phase, self.folder = phase, folder
        self.choices = widgets.RadioButtons(
            options=[(text, i) for i, text in enumerate(self.question.options)],
            value=None,
            description="",
            layout=widgets.Layout(width="auto", max_width="100%"),
        )
        self.button = widgets.Button(description="Answer", button_style="primary")
        self.feedback = widgets.HTML()
        self.button.on_click(lambda _: self.answer())
        heading = "Before the panels: what do you expect?" if phase == "pre" else "After the panels"
        self.box = widgets.VBox(
            [
                widgets.HTML(
                    f"<p><b>{heading}</b> {html.escape(self.question.text)}</p>",
                ),
                self.choices,
                self.button,
                self.feedback,
            ]
        )

    def answer(self):
        """Save the chosen option and show what it means; returns the saved answer or None."""
        if self.choices.value is None:
            self.feedback.value = "Choose an option first."
            return None
        try:
            saved = progress.answer_concept(
                self.question.key, self.phase, self.choices.value, self.folder
            )
        except (OSError, ValueError) as err:
            self.feedback.value = _error(err)
            return None
        if self.phase == "pre":
            self.feedback.value = (
                "Saved. You will meet this question again after the panels, with the answer."
            )
            return saved
        right = self.question.options[self.question.answer]
        if saved.right:
            words = f"{_mark(True, 'Right.')} {html.escape(right)}."
        else:
            why = self.question.misconceptions[self.choices.value]
            words = (
                f"{_mark(False, 'Not quite.')} The answer is: {html.escape(right)}. "
                f"The option chosen is tempting when {html.escape(why)}."
            )
        self.feedback.value = (
            f"<span role='status'>{words} (Notebook section: "
            f"{html.escape(self.question.section)}.)</span>"
        )
        return saved


def show_checks(notebook, phase, folder=None):
    """
    A notebook's concept checks, one under the other.

    Parameters
    ----------
    notebook : int
        1-9. [-]
    phase : str
        ``"pre"`` or ``"post"``. [-]
    folder : str or pathlib.Path, optional
        The student's folder. [-]

    Returns
    -------
    box : ipywidgets.VBox
        The checks; ``box.checks`` holds the :class:`ConceptCheck` objects. [-]

    References
    ----------
    .. [1] Hake RR. Am J Phys 1998;66:64-74 (pre/post concept tests).
    """
    checks = [ConceptCheck(q.key, phase, folder) for q in concepts.questions(notebook)]
    box = widgets.VBox([c.box for c in checks] + [AccessibilityLayer()])
    box.checks = checks
    return box


class DrillPanel:
    """
    The refill-reconciliation drill: one case at a time, the call, the cause, the verdict.

    Parameters
    ----------
    seed : int, default 1
        The drill's seed (a new seed, new cases). [-]
    folder : str or pathlib.Path, optional
        The student's folder. [-]
    """

    def __init__(self, seed=1, folder=None):
        self.folder = folder
        self.seed = widgets.BoundedIntText(
            value=seed,
            min=0,
            max=10**6,
            description="Drill number",
            style={"description_width": "initial"},
        )
        self.case_text = widgets.HTML()
        self.decision = widgets.ToggleButtons(
            options=list(drill.DECISIONS), value=None, description="Your call"
        )
        self.cause = widgets.Dropdown(
            options=[(words, key) for key, words in drill.causes().items()],
            value="none",
            description="Likely cause",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="auto", max_width="100%"),
        )
        self.submit = widgets.Button(description="Submit", button_style="primary")
        self.next = widgets.Button(description="Next case")
        self.verdict = widgets.HTML()
        self.score = widgets.HTML()
        self.submit.on_click(lambda _: self.answer())
        self.next.on_click(lambda _: self.advance())
        self.seed.observe(lambda _: self.restart(), "value")
        self.box = widgets.VBox(
            [
                self.seed,
                self.case_text,
                self.decision,
                self.cause,
                widgets.HBox([self.submit, self.next]),
                self.verdict,
                self.score,
                AccessibilityLayer(),
            ]
        )
        self.restart()

    def restart(self):
        """Draw the cases of the current drill number and show the first."""
        self.cases = drill.make_drill(int(self.seed.value))
        self.index, self.points = 0, []
        self._show()

    def _show(self):
        case = self.cases[self.index]
        clue = f" The patient: “{html.escape(case.clue)}”" if case.clue else ""
        self.case_text.value = (
            f"<p><b>Case {case.number} of {len(self.cases)}.</b> {html.escape(case.pump_name)}, "
            f"{case.reservoir_ml:g} mL reservoir (±{case.accuracy_percent:g} %). Filled with "
            f"{case.fill_volume_ml:g} mL, {case.rate_ml_per_day:g} mL/day, {case.days} days "
            f"ago. Residual withdrawn today: <b>{case.measured_ml:.1f} mL</b>.{clue}</p>"
        )
        self.decision.value, self.cause.value, self.verdict.value = None, "none", ""
        self.submit.disabled = False

    def answer(self):
        """Judge and save the call on the current case; returns the verdict or None."""
        if self.decision.value is None:
            self.verdict.value = "Choose as expected or investigate first."
            return None
        try:
            verdict = progress.answer_drill(
                self.cases[self.index], self.decision.value, self.cause.value, self.folder
            )
        except (OSError, ValueError) as err:
            self.verdict.value = _error(err)
            return None
        self.points.append(verdict.points)
        head = {2: "Right call and cause.", 1: "Right call, another cause.", 0: "Not the call."}
        self.verdict.value = (
            f"<span role='status'>{_mark(verdict.points == 2, head[verdict.points])} "
            f"{html.escape(verdict.explanation)}</span>"
        )
        self.submit.disabled = True
        self.score.value = (
            f"Score so far: {sum(self.points)} of {2 * len(self.points)} points "
            f"({len(self.points)} of {len(self.cases)} cases)."
        )
        return verdict

    def advance(self):
        """Show the next case (the first again after the last)."""
        self.index = (self.index + 1) % len(self.cases)
        self._show()

    def show(self):
        """The drill's widgets, for a notebook cell."""
        return self.box


def show_handin(folder=None):
    """
    Name field and "Write hand-in files": the student's answers as JSON and CSV.

    Parameters
    ----------
    folder : str or pathlib.Path, optional
        The student's folder. [-]

    Returns
    -------
    box : ipywidgets.VBox
        [-]

    References
    ----------
    .. [1] RFC 4180, "Common Format and MIME Type for CSV Files".
    """
    student, _ = progress.load(folder)
    name = widgets.Text(
        value=student, description="Your name or number", style={"description_width": "initial"}
    )
    button = widgets.Button(description="Write hand-in files")
    message = widgets.HTML()

    def write(_):
        try:
            progress.set_student(name.value, folder)
            paths = progress.export(folder)
        except (OSError, ValueError) as err:
            message.value = _error(err)
            return
        message.value = "Written: " + ", ".join(html.escape(str(p)) for p in paths)

    source = widgets.Text(
        placeholder="path of a <name>-progress.json",
        description="Bring back a hand-in",
        style={"description_width": "initial"},
    )
    bring = widgets.Button(description="Import answers")

    def bring_back(_):
        try:
            added = progress.import_handin(source.value.strip(), folder)
        except ValueError as err:
            message.value = _error(err)
            return
        message.value = f"{added} answer{'' if added == 1 else 's'} brought back into your folder."

    button.on_click(write)
    bring.on_click(bring_back)
    return widgets.VBox(
        [widgets.HBox([name, button]), widgets.HBox([source, bring]), message, AccessibilityLayer()]
    )


def show_competency_map():
    """
    The course's competencies, with the notebooks and checks that serve each, as a table.

    Returns
    -------
    table : ipywidgets.HTML
        [-]

    References
    ----------
    .. [1] Chaiban G et al. North American Neuromodulation Society educational curriculum
       for intrathecal drug delivery systems implantation and management.
       Neuromodulation 2023;26(6):1208-1217.
    """
    rows = "".join(
        f"<tr><td>{html.escape(words)}</td><td>{', '.join(f'{n:02d}' for n in notebooks)}"
        f"{', 08 (refill drill)' if key == 'care_troubleshooting' else ''}</td>"
        f"<td>{count}</td><td>{exercises}</td></tr>"
        for key, words, notebooks, count, exercises in concepts.competency_map()
    )
    source = html.escape(concepts.competencies()["source"])
    return widgets.HTML(
        "<table class='itp-readout'><caption>Competencies this course serves</caption>"
        "<tr><th scope='col'>Competency</th><th scope='col'>Notebooks</th>"
        "<th scope='col'>Concept checks</th><th scope='col'>Exercises</th></tr>"
        f"{rows}</table><p><small>{source}</small></p>"
    )
