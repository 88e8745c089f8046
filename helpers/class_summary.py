"""What the class learned: a folder of hand-ins summarised per concept, for the instructor.

Each student hands in the file :func:`helpers.progress.export` wrote. This module reads a
folder of them, refuses malformed files with a reason (and counts them), and reports per
concept check: how many answered before and after the panels, the share right each time,
the learning gain (post minus pre) and the normalised gain (Hake 1998: the gain divided by
what was left to gain), and the most common wrong answer with the misconception behind it;
and for the refill drill, each student's score. Only a student's first answer to a check
in each phase counts: a check is a first attempt, not a quiz retaken until right.

Run ``python -m helpers.class_summary FOLDER`` for a table, or use notebook 10.
"""

from __future__ import annotations

import collections
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path

from helpers import concepts, progress


@dataclass(frozen=True)
class ConceptResult:
    """
    One concept check across the class.

    Parameters
    ----------
    key, concept : str
        The check's key and the concept it tests. [-]
    notebook : int
        The notebook that teaches it. [-]
    pre_n, post_n : int
        Students who answered before and after the panels. [-]
    pre_right, post_right : float or None
        Share right before and after (``None`` when nobody answered). [-]
    gain : float or None
        ``post_right - pre_right``. [-]
    normalised_gain : float or None
        ``gain / (1 - pre_right)``; ``None`` when nothing was left to gain. [-]
    common_wrong : str
        The wrong option chosen most often (either phase), "" if none. [-]
    misconception : str
        Why that option tempts, from the question's data. [-]
    """

    key: str
    concept: str
    notebook: int
    pre_n: int
    post_n: int
    pre_right: float | None
    post_right: float | None
    gain: float | None
    normalised_gain: float | None
    common_wrong: str
    misconception: str


@dataclass(frozen=True)
class Summary:
    """
    The class summary.

    Parameters
    ----------
    students : int
        Hand-ins read. [-]
    refused : tuple of (str, str)
        Files refused: name and reason. [-]
    concepts : tuple of ConceptResult
        Per concept check, in the course's order. [-]
    drill_scores : dict
        Per student with drill answers: share of the drill's points earned (0-1). [-]
    """

    students: int
    refused: tuple
    concepts: tuple
    drill_scores: dict

    @property
    def drill_mean(self):
        """Mean share of the drill's points over the students who did it, or ``None``. [-]"""
        return statistics.fmean(self.drill_scores.values()) if self.drill_scores else None


def read_folder(folder):
    """
    Every hand-in in a folder (``*.json``), and the files refused with their reasons.

    Parameters
    ----------
    folder : str or pathlib.Path
        The folder of hand-ins. [-]

    Returns
    -------
    handins : dict
        ``{student: answers}``. [-]
    refused : tuple of (str, str)
        ``(file name, reason)`` for each file not read, including a second file for a
        student already read. [-]

    Raises
    ------
    ValueError
        If ``folder`` is not a folder.

    References
    ----------
    .. [1] Python documentation, ``pathlib.Path.glob``.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise ValueError(f"folder = {str(folder)!r}: not a folder of hand-ins")
    handins, refused = {}, []
    for path in sorted(folder.glob("*.json")):
        try:
            with path.open("rb") as fh:
                student, answers = progress.parse(fh.read(progress.MAX_BYTES + 1), path.name)
        except (OSError, ValueError) as err:
            refused.append((path.name, str(err)))
            continue
        if not student:
            refused.append((path.name, f"{path.name}: no student name"))
        elif student in handins:
            refused.append((path.name, f"{path.name}: a second hand-in from {student}"))
        else:
            handins[student] = answers
    return handins, tuple(refused)


def _first(answers, kind, phase):
    seen = {}
    for a in answers:
        if a.kind == kind and a.phase == phase and a.key not in seen:
            seen[a.key] = a
    return seen


def summarise(handins, refused=()):
    """
    Per concept: answers, share right before and after, gain, the common wrong answer.

    Parameters
    ----------
    handins : dict
        ``{student: answers}`` (:func:`read_folder`). [-]
    refused : tuple, optional
        Files refused, carried into the summary. [-]

    Returns
    -------
    summary : Summary
        [-]

    References
    ----------
    .. [1] Hake RR. Interactive-engagement versus traditional methods: a six-thousand-student
       survey of mechanics test data for introductory physics courses. Am J Phys
       1998;66:64-74 (normalised gain).
    """
    results = []
    for question in concepts.questions():
        shares, wrong = {}, collections.Counter()
        counts = {}
        for phase in concepts.PHASES:
            firsts = [_first(a, "concept", phase).get(question.key) for a in handins.values()]
            firsts = [f for f in firsts if f is not None]
            counts[phase] = len(firsts)
            shares[phase] = sum(f.right for f in firsts) / len(firsts) if firsts else None
            wrong.update(f.choice for f in firsts if not f.right)
        pre, post = shares["pre"], shares["post"]
        gain = post - pre if pre is not None and post is not None else None
        normalised = gain / (1 - pre) if gain is not None and pre < 1 else None
        common = wrong.most_common(1)[0][0] if wrong else ""
        reason = ""
        if common in question.options:
            reason = question.misconceptions[question.options.index(common)]
        results.append(
            ConceptResult(
                question.key,
                question.concept,
                question.notebook,
                counts["pre"],
                counts["post"],
                pre,
                post,
                gain,
                normalised,
                common,
                reason,
            )
        )
    drill_scores = {}
    for student, answers in handins.items():
        cases = _first(answers, "drill", "drill")
        if cases:
            drill_scores[student] = sum(a.points for a in cases.values()) / (2 * len(cases))
    return Summary(len(handins), tuple(refused), tuple(results), drill_scores)


def summary_of_folder(folder):
    """
    :func:`summarise` of :func:`read_folder`.

    Parameters
    ----------
    folder : str or pathlib.Path
        The folder of hand-ins. [-]

    Returns
    -------
    summary : Summary
        [-]

    References
    ----------
    .. [1] Hake RR. Am J Phys 1998;66:64-74.
    """
    handins, refused = read_folder(folder)
    return summarise(handins, refused)


def _percent(share):
    return "-" if share is None else f"{100 * share:.0f} %"


def table(summary):
    """
    The summary as a Markdown table, with the refused files listed under it.

    Parameters
    ----------
    summary : Summary
        [-]

    Returns
    -------
    text : str
        [-]

    References
    ----------
    .. [1] Hake RR. Am J Phys 1998;66:64-74.
    """
    lines = [
        f"{summary.students} hand-ins read, {len(summary.refused)} refused.",
        "",
        "| nb | concept | pre (n) | post (n) | gain | normalised gain | most common wrong answer |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in summary.concepts:
        gain = "-" if r.gain is None else f"{100 * r.gain:+.0f} points"
        normalised = "-" if r.normalised_gain is None else f"{r.normalised_gain:.2f}"
        wrong = f"{r.common_wrong} ({r.misconception})" if r.common_wrong else "-"
        lines.append(
            f"| {r.notebook:02d} | {r.concept} | {_percent(r.pre_right)} ({r.pre_n}) | "
            f"{_percent(r.post_right)} ({r.post_n}) | {gain} | {normalised} | {wrong} |"
        )
    if summary.drill_scores:
        lines += [
            "",
            f"Refill drill: {len(summary.drill_scores)} students, mean score "
            f"{_percent(summary.drill_mean)} of the points.",
        ]
    if summary.refused:
        lines += ["", "Refused files:"] + [f"- {reason}" for _, reason in summary.refused]
    return "\n".join(lines)


def main(argv=None):
    """
    ``python -m helpers.class_summary FOLDER``: print the table; exit 2 on a bad folder.

    Parameters
    ----------
    argv : list of str, optional
        The command line (default :data:`sys.argv`). [-]

    Returns
    -------
    status : int
        0, or 2 when the folder cannot be read. [-]

    References
    ----------
    .. [1] Python documentation, ``sys.argv``.
    """
    argv = sys.argv if argv is None else argv
    if len(argv) != 2:
        print("usage: python -m helpers.class_summary FOLDER_OF_HAND_INS", file=sys.stderr)
        return 2
    try:
        print(table(summary_of_folder(argv[1])))
    except ValueError as err:
        print(err, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())


def plot_summary(summary):
    """
    Share right before and after the panels, per concept check, for a projector.

    Parameters
    ----------
    summary : Summary
        [-]

    Returns
    -------
    fig : matplotlib.figure.Figure
        Horizontal bars, one pair per check (before: plain sky blue; after: hatched blue),
        in the course's order; the x axis in percent. [-]

    References
    ----------
    .. [1] Okabe M, Ito K. Color Universal Design (CUD): how to make figures and
       presentations that are friendly to colorblind people, 2008.
    """
    import numpy as np
    from matplotlib.figure import Figure

    from helpers import plotting

    rows = [r for r in summary.concepts if r.pre_right is not None or r.post_right is not None]
    fig = Figure(figsize=(12, max(3.0, 0.42 * len(rows) + 1.5)), layout="constrained")
    ax = fig.add_subplot()
    y = np.arange(len(rows))[::-1]
    pre = [100 * (r.pre_right or 0) for r in rows]
    post = [100 * (r.post_right or 0) for r in rows]
    colours = plotting.OKABE_ITO
    ax.barh(y + 0.2, pre, height=0.4, color=colours["sky_blue"], label="before the panels")
    ax.barh(
        y - 0.2,
        post,
        height=0.4,
        color=colours["blue"],
        hatch="//",
        edgecolor="white",
        label="after the panels",
    )
    ax.set_yticks(y, [f"{r.notebook:02d} {r.concept[:48]}" for r in rows], fontsize=11)
    ax.set_xlim(0, 100)
    ax.set_xlabel("students right [%]", fontsize=14)
    ax.set_title(f"What {summary.students} students answered", fontsize=16)
    ax.legend(loc="lower right", fontsize=12)
    return fig
