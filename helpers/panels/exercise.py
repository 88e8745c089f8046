"""An exercise on screen: the question, an answer box, Check and Show solution, the verdict."""

from __future__ import annotations

import html

import ipywidgets as widgets

from helpers import plotting
from helpers.panels.access import AccessibilityLayer


def show_exercise(exercise):
    """
    The exercise as widgets: question, answer box, check and solution buttons, feedback.

    Parameters
    ----------
    exercise : helpers.exercises.NumericExercise
        The question and how to judge it.

    Returns
    -------
    box : ipywidgets.VBox
        Question, answer row, verdict and solution; pressing Enter in the box checks too.
    """
    box = widgets.Text(
        placeholder=f"answer in {exercise.shown_unit}",
        description="Answer",
        continuous_update=False,
    )
    button = widgets.Button(description="Check", button_style="primary")
    reveal = widgets.Button(description="Show solution", tooltip="after you have tried")
    verdict = widgets.HTML()
    shown = widgets.HTML()

    def on_reveal(_):
        shown.value = f"<i>{html.escape(exercise.solution())}</i>"

    def on_check(_):
        feedback = exercise.check(box.value)
        colour = plotting.text_colour("#009E73" if feedback.correct else "#D55E00")
        mark = "Correct" if feedback.correct else "Try again"
        verdict.value = (
            f"<span style='color:{colour}'><b>{mark}.</b></span> {html.escape(feedback.message)}"
        )

    button.on_click(on_check)
    reveal.on_click(on_reveal)
    box.observe(on_check, "value")  # Enter or leaving the box (on_submit is deprecated)
    # The keyboard support (focus ring, names) also where a notebook has no panel.
    return widgets.VBox(
        [
            widgets.HTML(exercise.question),
            widgets.HBox([box, button, reveal]),
            verdict,
            shown,
            AccessibilityLayer(),
        ]
    )
