"""Grades out of nbgrader's gradebook: one row per learner and assignment, and item analysis.

- :func:`exercise_scores` reads the gradebook into a table with one row per learner and
  assignment and one column of points per exercise (``ex1``, ``ex2``, ...).
- :class:`ExercisePointsExport` is an nbgrader export plugin, so that plain
  ``nbgrader export`` writes the same table (``nbgrader_config.py`` selects it).
- :func:`item_analysis` shows where a class struggled: each exercise's mean score and the
  share of learners with full marks, and a histogram of totals, as a CSV and a PNG.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
from nbgrader.api import Gradebook
from nbgrader.plugins import ExportPlugin

from customering_course.layout import db_url

EXERCISE = re.compile(r"-(ex\d+)-")
ID_COLUMNS = ["assignment", "student_id", "submitted", "timestamp"]
TOTAL_COLUMNS = ["score", "max_score", "needs_manual_grade"]


def exercise_of(grade_id: str) -> str:
    """The exercise a graded cell belongs to, from its grade id.

    >>> exercise_of("a01-ex4-tests"), exercise_of("a00-ex8-answer")
    ('ex4', 'ex8')
    """
    found = EXERCISE.search(grade_id)
    if found is None:
        raise ValueError(f"grade id {grade_id!r} does not name its exercise as '-exN-'")
    return found.group(1)


def _exercise_order(columns) -> list[str]:
    return sorted(columns, key=lambda name: int(name[2:]))


def exercise_scores(gradebook) -> pd.DataFrame:
    """One row per learner and assignment, with the points of each exercise.

    Learners who did not submit an assignment get a row with ``submitted`` False and
    zero points, so a missing submission is visible rather than silently absent.
    ``needs_manual_grade`` is True while a written answer still waits for the instructor.
    """
    rows = []
    students = sorted(s.id for s in gradebook.students)
    for assignment in sorted(gradebook.assignments, key=lambda a: a.name):
        maxima: dict[str, float] = {}
        for notebook in assignment.notebooks:
            for cell in notebook.grade_cells:
                label = exercise_of(cell.name)
                maxima[label] = maxima.get(label, 0.0) + cell.max_score
        for student in students:
            row: dict = {"assignment": assignment.name, "student_id": student, "submitted": False,
                         "timestamp": None, **{label: 0.0 for label in maxima}, "score": 0.0,
                         "max_score": sum(maxima.values()), "needs_manual_grade": False}
            try:
                submission = gradebook.find_submission(assignment.name, student)
            except Exception:  # nbgrader's MissingEntry: the learner did not submit
                rows.append(row)
                continue
            row.update(submitted=True, timestamp=submission.timestamp,
                       needs_manual_grade=bool(submission.needs_manual_grade),
                       score=float(submission.score))
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    row[exercise_of(grade.name)] += float(grade.score)
            rows.append(row)
    table = pd.DataFrame(rows)
    if table.empty:
        return pd.DataFrame(columns=ID_COLUMNS + TOTAL_COLUMNS)
    exercises = _exercise_order(c for c in table.columns if c.startswith("ex"))
    return table[ID_COLUMNS + exercises + TOTAL_COLUMNS]


def export_grades(root: Path, path: Path) -> Path:
    """Write :func:`exercise_scores` of the course's gradebook to ``path`` (CSV)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with Gradebook(db_url(root)) as gradebook:
        exercise_scores(gradebook).to_csv(path, index=False)
    return path


class ExercisePointsExport(ExportPlugin):
    """``nbgrader export`` plugin: one row per learner and assignment, points per exercise."""

    def export(self, gradebook) -> None:
        table = exercise_scores(gradebook)
        if self.assignment:
            table = table[table["assignment"].isin(self.assignment)]
        if self.student:
            table = table[table["student_id"].isin([str(s) for s in self.student])]
        destination = self.to or "grades.csv"
        table.to_csv(destination, index=False)
        self.log.info("Wrote %d rows to %s", len(table), destination)


def item_table(grades: pd.DataFrame, maxima: dict[str, float]) -> pd.DataFrame:
    """Each exercise's mean score and share of learners with full marks (submitted work only).

    >>> grades = pd.DataFrame({"ex1": [2.0, 2.0, 0.0, 1.0], "ex2": [3.0, 0.0, 0.0, 0.0]})
    >>> item_table(grades, {"ex1": 2.0, "ex2": 3.0})[["mean_score", "full_marks_share"]]
              mean_score  full_marks_share
    exercise
    ex1             1.25              0.50
    ex2             0.75              0.25
    """
    rows = []
    for label, points in maxima.items():
        scores = grades[label].astype(float)
        rows.append({"exercise": label, "points": points, "learners": len(scores),
                     "mean_score": scores.mean(), "mean_share": scores.mean() / points,
                     "full_marks_share": (scores >= points - 1e-9).mean()})
    return pd.DataFrame(rows).set_index("exercise")


def item_analysis(root: Path, assignment: str, folder: Path) -> tuple[Path, Path]:
    """Write ``item-analysis-<assignment>.csv`` and ``.png`` to ``folder``; return both paths.

    Written answers still waiting for manual grading count as 0 until they are graded;
    the CSV's ``awaiting_manual`` column says how many learners that is.
    """
    # A Figure of its own, not pyplot: no global backend or figure state is touched.
    from matplotlib.figure import Figure

    with Gradebook(db_url(root)) as gradebook:
        maxima: dict[str, float] = {}
        for notebook in gradebook.find_assignment(assignment).notebooks:
            for cell in notebook.grade_cells:
                maxima[exercise_of(cell.name)] = maxima.get(exercise_of(cell.name), 0.0) + cell.max_score
        table = exercise_scores(gradebook)
    maxima = {label: maxima[label] for label in _exercise_order(maxima)}
    submitted = table[(table["assignment"] == assignment) & table["submitted"]]
    items = item_table(submitted, maxima)
    items["awaiting_manual"] = int(submitted["needs_manual_grade"].sum())
    folder.mkdir(parents=True, exist_ok=True)
    csv_path = folder / f"item-analysis-{assignment}.csv"
    items.round(4).to_csv(csv_path)

    fig = Figure(figsize=(11, 4.2))
    left, right = fig.subplots(1, 2)
    x = range(len(items))
    left.bar([i - 0.2 for i in x], items["mean_share"] * 100, width=0.4, label="mean score")
    left.bar([i + 0.2 for i in x], items["full_marks_share"] * 100, width=0.4, label="learners with full marks")
    left.set_xticks(list(x), [f"{e}\n({p:g} pts)" for e, p in zip(items.index, items["points"], strict=True)])
    left.set_ylim(0, 100)
    left.set_ylabel("% of the exercise's points / % of learners")
    left.set_title(f"{assignment}: exercises ({len(submitted)} learners)")
    left.legend(loc="upper right", fontsize=8)
    total = sum(maxima.values())
    right.hist(submitted["score"], bins=[b - 0.5 for b in range(int(total) + 2)], color="tab:gray",
               edgecolor="white")
    right.set_xlabel(f"total score (points out of {total:g})")
    right.set_ylabel("learners")
    right.set_title("distribution of totals")
    fig.tight_layout()
    png_path = folder / f"item-analysis-{assignment}.png"
    fig.savefig(png_path, dpi=110)
    return csv_path, png_path
