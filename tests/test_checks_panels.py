"""The concept checks, drill and hand-in on screen, driven from Python."""

from __future__ import annotations

import pytest

from helpers import concepts, drill, progress
from helpers.panels.checks import ConceptCheck, DrillPanel, show_checks, show_handin


def test_a_pre_check_saves_without_giving_the_answer_away(tmp_path):
    q = concepts.questions(2)[0]
    check = ConceptCheck(q.key, "pre", tmp_path)
    assert check.answer() is None and "Choose" in check.feedback.value
    check.choices.value = q.answer
    saved = check.answer()
    assert saved.right and saved.phase == "pre"
    assert "after the panels" in check.feedback.value
    assert q.options[q.answer] not in check.feedback.value


def test_a_wrong_post_answer_names_the_right_one_and_the_misconception(tmp_path):
    q = concepts.questions(3)[0]
    wrong = next(i for i in range(len(q.options)) if i != q.answer)
    check = ConceptCheck(q.key, "post", tmp_path)
    check.choices.value = wrong
    check.answer()
    assert "Not quite." in check.feedback.value
    assert q.misconceptions[wrong].split("(")[0].strip()[:20] in check.feedback.value
    assert progress.load(tmp_path)[1][-1].right is False


def test_every_notebook_shows_its_checks(tmp_path):
    for notebook in concepts.NOTEBOOKS:
        box = show_checks(notebook, "pre", tmp_path)
        assert len(box.checks) == len(concepts.questions(notebook))


def test_the_drill_judges_saves_and_keeps_score(tmp_path):
    panel = DrillPanel(seed=3, folder=tmp_path)
    case = panel.cases[0]
    call, cause = drill.right_call(case)
    panel.decision.value, panel.cause.value = call, cause
    verdict = panel.answer()
    assert verdict.points == 2 and panel.submit.disabled
    assert "Score so far: 2 of 2 points" in panel.score.value
    panel.advance()
    assert panel.index == 1 and not panel.submit.disabled and panel.verdict.value == ""
    panel.seed.value = 4
    assert panel.cases == drill.make_drill(4) and panel.index == 0
    assert progress.load(tmp_path)[1][0].key == case.case_id


def test_the_handin_writes_files_or_says_why_not(tmp_path):
    box = show_handin(tmp_path)
    name, button = box.children[0].children
    message = box.children[2]
    name.value = "Ada"
    button.click()
    assert "Not saved" in message.value and "nothing to hand in" in message.value
    progress.answer_concept(concepts.questions(1)[0].key, "pre", 0, tmp_path)
    button.click()
    assert "Ada-progress.json" in message.value and "Ada-progress.csv" in message.value


def test_an_unknown_phase_is_refused():
    with pytest.raises(ValueError, match="phase"):
        ConceptCheck("days_to_alarm", "during")


def test_a_hand_in_is_brought_back_from_the_page(tmp_path):
    progress.set_student("Ada", tmp_path / "a")
    progress.answer_concept(concepts.questions(1)[0].key, "pre", 0, tmp_path / "a")
    json_path, _ = progress.export(tmp_path / "a")
    box = show_handin(tmp_path / "b")
    source, bring = box.children[1].children
    source.value = str(json_path)
    bring.click()
    assert "1 answer brought back" in box.children[2].value
    source.value = str(tmp_path / "missing.json")
    bring.click()
    assert "cannot be read" in box.children[2].value
