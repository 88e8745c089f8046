"""The exercises of the notebooks: every one built from the models, judged as promised."""

import inspect
import math
import re

import pytest

from helpers import exercises, units
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
    assert exercises._shown(exercise.expected) in text
    assert exercise.shown_unit in text


def test_every_exercise_has_a_worked_solution_with_steps_and_units(exercise):
    """Notebook 00 promises the worked solution: the steps, each with its numbers and units."""
    assert exercise.worked, "no worked solution"
    assert exercise.worked.count("=") >= 1
    assert not re.search(r"\{\w*[:}]", exercise.worked), "a placeholder was not filled in"
    assert re.search(r"\d", exercise.worked)
    assert re.search(r"mL|µg|mg|cm|h\b|day|min|%|times", exercise.worked)
    assert not re.search(r"\bug\b", exercise.worked)  # µg as people write it


def _related(exercise):
    """Another unit of the same kind as the one asked, and the answer in it."""
    mine = units.typed_unit(exercise.unit)
    if mine is None or mine[0] not in exercises._RELATED:
        return None
    for other in exercises._RELATED[mine[0]]:
        factor = units.typed_unit(other)[1]
        if factor != mine[1]:
            return other, exercise.expected * mine[1] / factor
    return None


def test_the_answer_in_another_unit_of_the_same_kind_is_converted(exercise):
    related = _related(exercise)
    if related is None:
        pytest.skip(f"{exercise.unit}: no other unit of its kind")
    other, value = related
    feedback = exercise.check(f"{value:.6g} {other}")
    assert feedback.correct, feedback.message
    assert exercises._shown(exercise.expected) in feedback.message


def test_the_right_number_with_the_wrong_unit_is_not_correct_and_says_so(exercise):
    related = _related(exercise)
    if related is None:
        pytest.skip(f"{exercise.unit}: no other unit of its kind")
    other, value = related
    if math.isclose(value, exercise.expected, rel_tol=exercise.rel_tolerance):
        pytest.skip("the two units give the same number")
    feedback = exercise.check(f"{exercise.expected:.6g} {other}")
    assert not feedback.correct
    assert "unit" in feedback.message


def test_the_answer_in_the_wrong_unit_without_a_unit_names_the_slip(exercise):
    related = _related(exercise)
    if related is None:
        pytest.skip(f"{exercise.unit}: no other unit of its kind")
    other, value = related
    if any(math.isclose(value, w, rel_tol=exercise.rel_tolerance) for w, _ in exercise.mistakes):
        pytest.skip("that number is a known mistake with its own explanation")
    feedback = exercise.check(f"{value:.6g}")
    assert not feedback.correct
    assert f"answer in {units.pretty_unit(other)}" in feedback.message


def test_a_unit_of_another_kind_is_named_not_judged(exercise):
    stranger = "cm" if units.typed_unit(exercise.unit) != ("length", 1.0) else "mg"
    feedback = exercise.check(f"{exercise.expected:.6g} {stranger}")
    assert not feedback.correct
    assert "asks for" in feedback.message


def test_thousands_separators_are_read_as_the_course_writes_them(exercise):
    big = exercise.expected * 1000.0
    typed = f"{big:,.2f}"  # 1,440.00 style
    feedback = exercise.check(typed)
    assert not feedback.correct or math.isclose(big, exercise.expected)
    assert "Type a number" not in feedback.message
    assert f"{big:g}"[:3] in feedback.message.replace(",", "") or "Not quite" in feedback.message


def test_a_comma_before_three_digits_that_could_be_a_decimal_asks_which():
    exercise = exercises.bridge_volume_exercise()  # 0.46 mL
    feedback = exercises.NumericExercise("q", 1.44, "mL").check("1,440")
    assert not feedback.correct and "Did you mean 1.44 or 1,440?" in feedback.message
    assert exercise.check("0,460").correct  # a leading zero is never a thousands group


def test_the_course_example_1440_ug_per_day_reads_as_one_thousand_four_hundred_forty():
    assert units.read_number("1,440 ug/day")[0] == 1440.0
    assert units.read_number("1 440")[0] == 1440.0
    assert units.read_number("1,440.5")[0] == 1440.5
    assert units.read_number("1.440,5")[0] == 1440.5
    assert units.read_number("2,5")[0] == 2.5


def test_a_correct_answer_is_said_once():
    feedback = exercises.days_to_alarm_exercise().check("60")
    assert feedback.correct and feedback.message == "60 days."
    assert "Correct" not in feedback.message  # the widget says "Correct." once


def test_show_builds_the_widgets(exercise):
    from helpers.panels.access import AccessibilityLayer

    box = show_exercise(exercise)
    # Question, answer row, verdict, solution; and the keyboard support, hidden.
    assert len(box.children) == 5
    assert isinstance(box.children[-1], AccessibilityLayer)


def test_typing_an_answer_and_pressing_enter_gives_the_verdict(exercise):
    box = show_exercise(exercise)
    answer = box.children[1].children[0]
    verdict = box.children[2]
    answer.value = f"{exercise.expected:.6g}"  # the front end sets it on Enter
    assert "Correct" in verdict.value
