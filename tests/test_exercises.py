"""The exercises of the notebooks: every one built from the models, judged as promised."""

import inspect
import math

import pytest

from helpers import exercises
from helpers.panels import show_exercise

EXERCISES = sorted(
    name
    for name, function in inspect.getmembers(exercises, inspect.isfunction)
    if name.endswith("_exercise") and function.__module__ == exercises.__name__
)


@pytest.fixture(params=EXERCISES)
def exercise(request):
    return getattr(exercises, request.param)()


def test_there_is_an_exercise_for_every_numbered_notebook_topic():
    assert len(EXERCISES) >= 18


def test_expected_answer_is_finite_and_has_a_unit(exercise):
    assert math.isfinite(exercise.expected)
    assert exercise.unit
    assert exercise.question


def test_the_expected_answer_is_correct_also_with_its_unit_typed(exercise):
    assert exercise.check(f"{exercise.expected:.6g}").correct
    assert exercise.check(f"{exercise.expected:.6g} {exercise.unit}").correct


def test_an_answer_within_the_tolerance_is_correct_and_beyond_it_is_not(exercise):
    inside = exercise.expected * (1 + 0.5 * exercise.rel_tolerance)
    outside = exercise.expected * (1 + 3 * exercise.rel_tolerance) + 1e-9
    assert exercise.check(repr(inside)).correct
    feedback = exercise.check(repr(outside))
    assert not feedback.correct
    assert "too high" in feedback.message or "Not quite" in feedback.message


def test_each_known_mistake_gets_its_own_explanation(exercise):
    for wrong, explanation in exercise.mistakes:
        if math.isclose(wrong, exercise.expected, rel_tol=exercise.rel_tolerance):
            continue  # a mistake that happens to give the right number
        feedback = exercise.check(repr(wrong))
        assert not feedback.correct
        assert explanation in feedback.message


@pytest.mark.parametrize("typed", ["", "abc", "about a week", "   "])
def test_text_without_a_number_asks_for_a_number(exercise, typed):
    feedback = exercise.check(typed)
    assert not feedback.correct
    assert "Type a number" in feedback.message


def test_a_comma_is_read_as_the_decimal_point(exercise):
    typed = f"{exercise.expected:.6f}".replace(".", ",")
    assert exercise.check(typed).correct


def test_solution_names_the_answer_and_its_unit(exercise):
    text = exercise.solution()
    assert f"{exercise.expected:.3g}" in text
    assert exercise.unit in text


def test_show_builds_the_widgets(exercise):
    box = show_exercise(exercise)
    assert len(box.children) == 4


def test_typing_an_answer_and_pressing_enter_gives_the_verdict(exercise):
    box = show_exercise(exercise)
    answer = box.children[1].children[0]
    verdict = box.children[2]
    answer.value = f"{exercise.expected:.6g}"  # the front end sets it on Enter
    assert "Correct" in verdict.value
