"""Feedback a learner can read: every test's outcome, never a hidden test's text.

:class:`HideHiddenTests` is set in ``nbgrader_config.py``, so even a plain
``nbgrader generate_feedback`` hides the hidden tests. A notebook that could not be graded
gets a page of its own that says why and what to do.
"""

from __future__ import annotations

import html
from pathlib import Path

import nbformat
from nbgrader.converters import GenerateFeedback
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import ClearHiddenTests

from customering_course.grading.records import Outcome
from customering_course.layout import course_config, quiet

HIDDEN_NOTE = "# (hidden tests run here when your work is graded; they are not shown)"


class HideHiddenTests(ClearHiddenTests):
    """Feedback preprocessor: show each test's outcome, never a hidden test's text.

    A test cell with a hidden region loses the region's lines (a note says where they
    were), and its outputs are cut down to the error's name and message, because an
    IPython traceback quotes the lines around the one that failed.
    """

    enforce_metadata = False

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code" or not self._remove_hidden_test_region(cell):
            return cell, resources
        cell.source = cell.source.rstrip() + "\n" + HIDDEN_NOTE
        kept = []
        for output in cell.outputs:
            if output.output_type == "error":
                message = output.evalue or "a hidden test failed"
                kept.append(nbformat.v4.new_output(
                    "error", ename=output.ename, evalue=output.evalue,
                    traceback=[f"{output.ename}: {message}"]))
        cell.outputs = kept
        return cell, resources


def feedback(root: Path, assignment: str, students: str | list[str] = "*") -> str | None:
    """``nbgrader generate_feedback`` for some learners' autograded submissions (or all: ``"*"``).

    A list of learners is done by one nbgrader run (its HTML templates compiled once), told
    to leave out everybody else. Returns None, or what went wrong.
    """
    config = course_config(root)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    if isinstance(students, str):
        coursedir.student_id = students
    elif len(students) == 1 or any("," in student for student in students):
        # nbgrader reads the learners to leave out as one comma-separated text
        problems = [feedback(root, assignment, student) for student in students]
        return "; ".join(p for p in problems if p) or None
    else:
        chosen = set(students)
        everyone = (p.parent.name for p in (root / "autograded").glob(f"*/{assignment}"))
        coursedir.student_id = "*"
        coursedir.student_id_exclude = ",".join(sorted(s for s in everyone if s not in chosen))
    app = GenerateFeedback(coursedir=coursedir, config=config)
    app.force = True
    try:
        with quiet(app):
            app.start()
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def write_failure_feedback(root: Path, failed: list[Outcome]) -> None:
    """A feedback page for each notebook that could not be graded, saying why and what to do."""
    for outcome in failed:
        page = root / "feedback" / outcome.student / outcome.assignment / f"{outcome.notebook}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in outcome.reasons)
        page.write_text(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(outcome.notebook)}: not graded</title></head><body>\n"
            f"<h1>{html.escape(outcome.assignment)} / {html.escape(outcome.notebook)}.ipynb: "
            "not graded</h1>\n"
            f"<p>Your submission could not be graded, so it scores 0 for now:</p><ul>{reasons}</ul>\n"
            "<p>What to do: open the notebook in JupyterLab and check that it opens and runs "
            f"from top to bottom (<em>Kernel, Restart Kernel and Run All Cells</em>); keep its name "
            f"<code>{html.escape(outcome.notebook)}.ipynb</code>; then submit it again or send it to "
            "your instructor.</p>\n</body></html>\n", encoding="utf-8")

