"""Progress kept per student, handed in, and summarised for the class.

The class-summary test builds 30 synthetic students through the same functions a student
uses (answers saved in their own folder, then exported), with a known share right before
and after every check, and checks that the summary recovers the gain.
"""

from __future__ import annotations

import json
import os

import pytest

from helpers import class_summary, concepts, drill, progress

STUDENTS = 30
PRE_RIGHT, POST_RIGHT = 12, 24  # of 30: shares 0.4 and 0.8, gain 0.4, normalised 2/3


def _wrong_option(question, rank=0):
    """The index of a wrong option (the first or second as shown)."""
    return [i for i in range(len(question.options)) if i != question.answer][rank]


def _synthetic_class(root):
    handins = root / "handins"
    cases = drill.make_drill(5, 4)
    for s in range(STUDENTS):
        folder = root / f"student{s:02d}"
        progress.set_student(f"Student {s:02d}", folder)
        for q in concepts.questions():
            pre = q.answer if s < PRE_RIGHT else _wrong_option(q, rank=int(s % 5 == 0))
            post = q.answer if s < POST_RIGHT else _wrong_option(q)
            progress.answer_concept(q.key, "pre", pre, folder)
            progress.answer_concept(q.key, "post", post, folder)
        # Drill: the first half of the class gets every case fully right, the rest none.
        for case in cases:
            call, cause = drill.right_call(case)
            if s >= STUDENTS // 2:
                call = "as expected" if call == "investigate" else "investigate"
                cause = "none" if call == "as expected" else "fast"
            progress.answer_drill(case, call, cause, folder)
        progress.export(folder, handins)
    return handins


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    return _synthetic_class(tmp_path_factory.mktemp("class"))


def test_the_summary_recovers_a_known_gain_from_30_students(synthetic):
    summary = class_summary.summary_of_folder(synthetic)
    assert summary.students == STUDENTS and summary.refused == ()
    assert len(summary.concepts) == len(concepts.questions())
    for r in summary.concepts:
        assert (r.pre_n, r.post_n) == (STUDENTS, STUDENTS)
        assert r.pre_right == pytest.approx(PRE_RIGHT / STUDENTS)
        assert r.post_right == pytest.approx(POST_RIGHT / STUDENTS)
        assert r.gain == pytest.approx(0.4)
        assert r.normalised_gain == pytest.approx(2 / 3)
        question = concepts.question(r.key)
        assert r.common_wrong == question.options[_wrong_option(question)]
        assert r.misconception == question.misconceptions[_wrong_option(question)] != ""
    assert summary.drill_mean == pytest.approx(0.5)
    assert sorted(set(summary.drill_scores.values())) == [0.0, 1.0]


def test_the_table_and_the_command_report_it(synthetic, capsys):
    assert class_summary.main(["class_summary", str(synthetic)]) == 0
    out = capsys.readouterr().out
    assert f"{STUDENTS} hand-ins read, 0 refused." in out
    assert "| 40 % (30) | 80 % (30) | +40 points | 0.67 |" in out
    assert "Refill drill: 30 students, mean score 50 % of the points." in out


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"not json", "not a JSON progress file"),
        (b'{"format": "something else"}', "not a progress file of this course"),
        (b"[" * 100_000 + b"]" * 100_000, "not a JSON progress file"),
        (b"{}" + b" " * (progress.MAX_BYTES + 10), "larger than"),
    ],
)
def test_malformed_hand_ins_are_refused_and_counted(synthetic, tmp_path, content, reason):
    folder = tmp_path / "mixed"
    folder.mkdir()
    good = sorted(synthetic.glob("*.json"))[:3]
    for path in good:
        (folder / path.name).write_bytes(path.read_bytes())
    (folder / "broken.json").write_bytes(content)
    summary = class_summary.summary_of_folder(folder)
    assert summary.students == 3
    assert len(summary.refused) == 1 and reason in summary.refused[0][1]
    assert "mixed" not in summary.refused[0][1]  # names the file, not its contents


def test_an_answer_with_a_wrong_field_or_type_refuses_the_file(synthetic, tmp_path):
    content = json.loads(sorted(synthetic.glob("*.json"))[0].read_text())
    content["answers"][0]["points"] = 7
    (tmp_path / "bad.json").write_text(json.dumps(content))
    content["answers"][0]["points"] = 1
    content["answers"][1]["phase"] = "during"
    (tmp_path / "bad2.json").write_text(json.dumps(content))
    content["answers"][1]["phase"] = "pre"
    text = json.dumps(content).replace('"points": 1', '"points": 1e400', 1)
    (tmp_path / "bad3.json").write_text(text)
    summary = class_summary.summary_of_folder(tmp_path)
    assert summary.students == 0
    assert [r for _, r in summary.refused] == [
        "bad.json: answer 1 is malformed",
        "bad2.json: answer 2 is malformed",
        "bad3.json: answer 1 is malformed",
    ]


def test_a_second_hand_in_from_the_same_student_is_refused(synthetic, tmp_path):
    path = sorted(synthetic.glob("*.json"))[0]
    (tmp_path / "a.json").write_bytes(path.read_bytes())
    (tmp_path / "b.json").write_bytes(path.read_bytes())
    summary = class_summary.summary_of_folder(tmp_path)
    assert summary.students == 1 and "second hand-in" in summary.refused[0][1]


def test_progress_resumes_and_only_first_answers_count(tmp_path):
    q = concepts.questions(2)[0]
    progress.set_student("Ada", tmp_path)
    progress.answer_concept(q.key, "pre", _wrong_option(q), tmp_path)
    progress.answer_concept(q.key, "pre", q.answer, tmp_path)  # a second try
    student, answers = progress.load(tmp_path)  # a new session reads the same file
    assert student == "Ada" and len(answers) == 2
    summary = class_summary.summarise({"Ada": answers})
    result = next(r for r in summary.concepts if r.key == q.key)
    assert result.pre_right == 0.0  # the first answer, not the retry


def test_the_hand_in_has_json_and_csv_with_one_row_per_answer(tmp_path):
    q = concepts.questions(3)[0]
    progress.set_student("Grace H.", tmp_path)
    progress.answer_concept(q.key, "pre", q.answer, tmp_path)
    progress.answer_drill(drill.make_drill(1, 1)[0], "as expected", "none", tmp_path)
    json_path, csv_path = progress.export(tmp_path, tmp_path / "out")
    assert json_path.name == "Grace_H-progress.json"
    rows = csv_path.read_text().splitlines()
    assert rows[0] == ",".join(progress.CSV_COLUMNS) and len(rows) == 3
    assert progress.parse(json_path.read_bytes())[0] == "Grace H."
    assert oct(json_path.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask():
    mask = os.umask(0)
    os.umask(mask)
    return mask


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda f: progress.answer_concept("days_to_alarm", "during", 0, f), "phase"),
        (lambda f: progress.answer_concept("days_to_alarm", "pre", 9, f), "choice = 9"),
        (lambda f: progress.answer_concept("days_to_alarm", "pre", True, f), "choice"),
        (lambda f: progress.set_student("<script>", f), "student name"),
        (lambda f: progress.export(f), "set your name"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(tmp_path, call, match):
    with pytest.raises(ValueError, match=match):
        call(tmp_path)
    assert progress.load(tmp_path) == ("", ())


def test_the_default_folder_is_the_students_own(tmp_path, monkeypatch):
    monkeypatch.setenv("ITP_SETTINGS_DIR", str(tmp_path / "mine"))
    progress.answer_concept("days_to_alarm", "pre", 0)
    assert (tmp_path / "mine" / progress.FILE_NAME).exists()


def test_the_instructor_notebook_summarises_a_folder(synthetic, monkeypatch):
    import pathlib

    import matplotlib

    matplotlib.use("Agg")
    notebook = pathlib.Path(__file__).parents[1] / "instructor" / "class_summary.ipynb"
    cells = json.loads(notebook.read_text())["cells"]
    monkeypatch.setenv("ITP_HANDINS", str(synthetic))
    shown = []
    namespace = {"__name__": "__main__"}
    monkeypatch.setattr("IPython.display.display", lambda *items: shown.extend(items))
    for cell in cells:
        if cell["cell_type"] == "code":
            exec("".join(cell["source"]), namespace)
    assert namespace["summary"].students == STUDENTS
    assert "40 % (30)" in shown[0].data
    fig = class_summary.plot_summary(namespace["summary"])
    assert fig.axes[0].get_xlabel() == "students right [%]"
    assert len(fig.axes[0].patches) == 2 * len(concepts.questions())


def test_the_instructor_notebook_without_a_folder_says_what_to_do(tmp_path, monkeypatch):
    import pathlib

    notebook = pathlib.Path(__file__).parents[1] / "instructor" / "class_summary.ipynb"
    cells = json.loads(notebook.read_text())["cells"]
    monkeypatch.setenv("ITP_HANDINS", str(tmp_path / "missing"))
    shown = []
    monkeypatch.setattr("IPython.display.display", lambda *items: shown.extend(items))
    namespace = {"__name__": "__main__"}
    for cell in cells:
        if cell["cell_type"] == "code":
            exec("".join(cell["source"]), namespace)
    assert "not a folder of hand-ins" in shown[0].data and "set `FOLDER`" in shown[0].data


def test_a_hand_in_imported_elsewhere_restores_the_answers_once(tmp_path):
    home, elsewhere = tmp_path / "home", tmp_path / "elsewhere"
    q = concepts.questions(4)[0]
    progress.set_student("Lin", home)
    progress.answer_concept(q.key, "pre", q.answer, home)
    progress.answer_drill(drill.make_drill(2, 1)[0], "investigate", "fast", home)
    json_path, _ = progress.export(home)
    assert progress.import_handin(json_path, elsewhere) == 2
    assert progress.import_handin(json_path, elsewhere) == 0  # not doubled
    assert progress.load(elsewhere) == progress.load(home)
    (tmp_path / "junk.json").write_text("{}")
    with pytest.raises(ValueError, match=r"junk\.json: not a progress file"):
        progress.import_handin(tmp_path / "junk.json", elsewhere)
    assert progress.load(elsewhere) == progress.load(home)
