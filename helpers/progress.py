"""A student's answers to the concept checks and the refill drill, kept in their own folder.

Every answer is appended to ``progress.json`` in the student's folder
(:func:`helpers.files.settings_folder`: ``~/itp-settings``, or ``$ITP_SETTINGS_DIR`` on a
shared server), written whole or not at all, so that the work survives a closed notebook
and resumes where it stopped; nothing is sent anywhere. :func:`export` writes one small
file to hand in (JSON, and CSV for a learning-management system); the instructor's
:mod:`helpers.class_summary` reads a folder of them.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path

from helpers import concepts, drill
from helpers.files import settings_folder, sweep, write_atomically

#: Marks a progress or hand-in file as ours.
FORMAT = "intrathecal-course-progress"

#: Version of the file layout.
VERSION = 1

#: The file in the student's folder that keeps their answers.
FILE_NAME = "progress.json"

#: Largest progress file read: 200 answers take about 30 KB. [byte]
MAX_BYTES = 256 * 1024

#: Kinds of answer. [-]
KINDS = ("concept", "drill")

#: Columns of the CSV hand-in, one row per answer. [-]
CSV_COLUMNS = ("student", "kind", "key", "phase", "choice", "right", "points", "when")

_STUDENT = re.compile(r"^[\w .,'-]{1,60}$")


@dataclass(frozen=True)
class Answer:
    """
    One answer.

    Parameters
    ----------
    kind : str
        ``"concept"`` or ``"drill"``. [-]
    key : str
        The concept check's key, or the drill case's ``"<seed>-<number>"``. [-]
    phase : str
        ``"pre"`` or ``"post"`` for a concept check; ``"drill"`` for a drill case. [-]
    choice : str
        The option chosen as shown (a concept check), or ``"<call>/<cause>"`` (drill). [-]
    right : bool
        Whether it was right (the call and the cause, for a drill case). [-]
    points : int
        1 or 0 for a concept check; 0-2 for a drill case. [-]
    when : str
        ISO 8601 time of the answer, to the second. [-]
    """

    kind: str
    key: str
    phase: str
    choice: str
    right: bool
    points: int
    when: str


def _now():
    return datetime.datetime.now().replace(microsecond=0).isoformat()


def _path(folder=None):
    return Path(folder if folder is not None else settings_folder()) / FILE_NAME


def check_student(name):
    """
    A student's name or number as a hand-in may carry it.

    Parameters
    ----------
    name : str
        1-60 letters, digits, spaces and ``. , ' -``. [-]

    Returns
    -------
    name : str
        The name, stripped. [-]

    Raises
    ------
    ValueError
        If the name is empty, too long or holds other characters.

    References
    ----------
    .. [1] docs/instructor_guide.md, "Running a class".
    """
    text = str(name).strip()
    if not _STUDENT.match(text):
        raise ValueError(
            "student name: 1-60 letters, digits, spaces and . , ' - (no other characters)"
        )
    return text


def load(folder=None):
    """
    The answers kept so far, oldest first (none when there is no file yet).

    Parameters
    ----------
    folder : str or pathlib.Path, optional
        The student's folder; default :func:`helpers.files.settings_folder`. [-]

    Returns
    -------
    student : str
        The name saved with the answers ("" if none yet). [-]
    answers : tuple of Answer
        [-]

    Raises
    ------
    ValueError
        If the file is too large, not ours or malformed (the message never repeats its
        contents).

    References
    ----------
    .. [1] Python documentation, ``json``.
    """
    path = _path(folder)
    if not path.exists():
        return "", ()
    return parse(path.read_bytes()[: MAX_BYTES + 1], path.name)


def parse(raw, name="file"):
    """
    Read a progress or hand-in file's bytes.

    Parameters
    ----------
    raw : bytes
        The file's content. [-]
    name : str
        The file's name, for messages. [-]

    Returns
    -------
    student : str
        [-]
    answers : tuple of Answer
        [-]

    Raises
    ------
    ValueError
        If it is larger than :data:`MAX_BYTES`, not JSON, not ours, or an answer is
        malformed; the message names the file and the problem, never its contents.

    References
    ----------
    .. [1] Python documentation, ``json``.
    """
    if len(raw) > MAX_BYTES:
        raise ValueError(f"{name}: larger than {MAX_BYTES // 1024} KB, not a progress file")
    try:
        content = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ValueError(f"{name}: not a JSON progress file") from None
    if not isinstance(content, dict) or content.get("format") != FORMAT:
        raise ValueError(f"{name}: not a progress file of this course")
    if content.get("version") != VERSION:
        raise ValueError(f"{name}: progress file version {VERSION} expected")
    student = content.get("student", "")
    if student:
        check_student(student)
    rows = content.get("answers")
    if not isinstance(rows, list):
        raise ValueError(f"{name}: no list of answers")
    return student, tuple(_answer(row, name, i) for i, row in enumerate(rows, 1))


def _answer(row, name, number):
    fields = Answer.__dataclass_fields__
    if not isinstance(row, dict) or set(row) != set(fields):
        raise ValueError(f"{name}: answer {number} does not have the fields {', '.join(fields)}")
    kinds_ok = row["kind"] in KINDS and row["phase"] in (*concepts.PHASES, "drill")
    texts_ok = all(isinstance(row[f], str) and len(row[f]) <= 200 for f in ("key", "choice"))
    numbers_ok = (
        isinstance(row["right"], bool)
        and isinstance(row["points"], int)
        and not isinstance(row["points"], bool)
        and 0 <= row["points"] <= 2
    )
    try:
        datetime.datetime.fromisoformat(row["when"])
        when_ok = True
    except (TypeError, ValueError):
        when_ok = False
    if not (kinds_ok and texts_ok and numbers_ok and when_ok):
        raise ValueError(f"{name}: answer {number} is malformed")
    return Answer(**row)


def _content(student, answers):
    return {
        "format": FORMAT,
        "version": VERSION,
        "student": student,
        "answers": [asdict(a) for a in answers],
    }


def _save(student, answers, folder=None):
    path = _path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep(path)
    write_atomically(path, json.dumps(_content(student, answers), indent=1).encode("utf-8"))


def answer_concept(key, phase, choice, folder=None):
    """
    Record the answer to a concept check, and say whether it was right.

    Parameters
    ----------
    key : str
        The question's key (:func:`helpers.concepts.questions`). [-]
    phase : str
        ``"pre"`` (before the panels) or ``"post"`` (after). [-]
    choice : int
        Index of the option chosen, as shown. [-]
    folder : str or pathlib.Path, optional
        The student's folder. [-]

    Returns
    -------
    answer : Answer
        What was saved. [-]

    Raises
    ------
    ValueError
        If the phase or choice is not allowed (nothing is saved).

    References
    ----------
    .. [1] Hake RR. Am J Phys 1998;66:64-74 (pre/post concept tests).
    """
    question = concepts.question(key)
    if phase not in concepts.PHASES:
        raise ValueError(f"phase = {phase!r}: one of {', '.join(concepts.PHASES)}")
    if isinstance(choice, bool) or not isinstance(choice, int):
        raise ValueError(
            f"choice = {choice!r}: the number of an option, 0-{len(question.options) - 1}"
        )
    if not 0 <= choice < len(question.options):
        raise ValueError(f"choice = {choice}: an option from 0 to {len(question.options) - 1}")
    right = question.is_right(choice)
    answer = Answer("concept", key, phase, question.options[choice], right, int(right), _now())
    student, answers = load(folder)
    _save(student, (*answers, answer), folder)
    return answer


def answer_drill(case, decision, cause="none", folder=None):
    """
    Record a call on a drill case, and return the drill's verdict.

    Parameters
    ----------
    case : helpers.drill.DrillCase
        The case. [-]
    decision, cause : str
        The student's call and cause (:func:`helpers.drill.judge`). [-]
    folder : str or pathlib.Path, optional
        The student's folder. [-]

    Returns
    -------
    verdict : helpers.drill.Verdict
        [-]

    Raises
    ------
    ValueError
        If the call or cause is not allowed (nothing is saved).

    References
    ----------
    .. [1] Maino P, Perez RSGM, Koetsier E. Neuromodulation 2017;20(7):733-739.
    """
    verdict = drill.judge(case, decision, cause)
    answer = Answer(
        "drill",
        case.case_id,
        "drill",
        f"{decision}/{cause}",
        verdict.points == 2,
        verdict.points,
        _now(),
    )
    student, answers = load(folder)
    _save(student, (*answers, answer), folder)
    return verdict


def set_student(name, folder=None):
    """
    Save the name or number the student hands in under.

    Parameters
    ----------
    name : str
        :func:`check_student`. [-]
    folder : str or pathlib.Path, optional
        The student's folder. [-]

    Returns
    -------
    name : str
        The name saved. [-]

    References
    ----------
    .. [1] docs/instructor_guide.md, "Running a class".
    """
    name = check_student(name)
    _, answers = load(folder)
    _save(name, answers, folder)
    return name


def export(folder=None, target=None):
    """
    Write the hand-in: ``<name>-progress.json`` and ``<name>-progress.csv``.

    Parameters
    ----------
    folder : str or pathlib.Path, optional
        The student's folder (where the answers are kept). [-]
    target : str or pathlib.Path, optional
        Where to write the two files; default the student's folder. [-]

    Returns
    -------
    paths : tuple of pathlib.Path
        The JSON and the CSV file. [-]

    Raises
    ------
    ValueError
        If no name was set (:func:`set_student`) or no answer was given yet.

    References
    ----------
    .. [1] RFC 4180, "Common Format and MIME Type for CSV Files".
    """
    student, answers = load(folder)
    if not student:
        raise ValueError("set your name or student number first (it names the hand-in)")
    if not answers:
        raise ValueError("nothing to hand in yet: answer a concept check or a drill case")
    target = Path(target if target is not None else _path(folder).parent)
    target.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^\w-]+", "_", student).strip("_") or "student"
    json_path, csv_path = target / f"{stem}-progress.json", target / f"{stem}-progress.csv"
    write_atomically(json_path, json.dumps(_content(student, answers), indent=1).encode())
    rows = io.StringIO()
    writer = csv.writer(rows)
    writer.writerow(CSV_COLUMNS)
    for a in answers:
        writer.writerow([student, a.kind, a.key, a.phase, a.choice, a.right, a.points, a.when])
    write_atomically(csv_path, rows.getvalue().encode("utf-8"))
    return json_path, csv_path


def import_handin(path, folder=None):
    """
    Bring a hand-in file's answers into the student's folder (another machine, a new hub).

    Answers already kept are not doubled; the name is taken from the file if none is set.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``<name>-progress.json`` file written by :func:`export`. [-]
    folder : str or pathlib.Path, optional
        The student's folder. [-]

    Returns
    -------
    added : int
        Answers added. [-]

    Raises
    ------
    ValueError
        If the file is not a readable hand-in (nothing changes).

    References
    ----------
    .. [1] Python documentation, ``json``.
    """
    path = Path(path)
    try:
        with path.open("rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError as err:
        raise ValueError(f"{path.name}: cannot be read ({err.strerror})") from None
    student, incoming = parse(raw, path.name)
    kept_student, kept = load(folder)
    new = [a for a in incoming if a not in set(kept)]
    _save(kept_student or student, (*kept, *new), folder)
    return len(new)
