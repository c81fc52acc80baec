"""Scores into the gradebook: ``nbgrader autograde`` of notebooks already executed.

Only the main process writes the gradebook, one submission after another, so it ends
exactly as if nbgrader had graded each submission in turn.
"""

from __future__ import annotations

import warnings
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader.api import Gradebook
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import AssignLatePenalties, IgnorePattern, LimitOutput, SaveAutoGrades

from customering_course.grading.records import Outcome
from customering_course.layout import course_config, db_url, quiet


def score(root: Path, assignment: str, executed: Path) -> None:
    """``nbgrader autograde`` of the executed notebooks, without executing them again."""
    if not (executed / "").exists() or not any(executed.glob(f"*/{assignment}")):
        return
    config = course_config(root)
    config.CourseDirectory.submitted_directory = str(executed)
    # The workers already ran nbgrader's sanitizing preprocessors, CheckCellMetadata among
    # them, and executing a notebook cannot change its cells' metadata.
    config.Autograde.sanitize_preprocessors = []
    config.Autograde.autograde_preprocessors = [IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                                                SaveAutoGrades, AssignLatePenalties]
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    app = Autograde(coursedir=coursedir, config=config)
    app.force = True
    app.create_student = True
    with quiet(app), warnings.catch_warnings():
        # nbgrader's gradebook code trips SQLAlchemy's autoflush warnings; they are harmless.
        warnings.simplefilter("ignore", category=Warning)
        app.start()


def record_failures(root: Path, failed: list[Outcome]) -> None:
    """Give a notebook that could not be graded zero on every cell, as nbgrader does for a missing one."""
    if not failed:
        return
    with Gradebook(db_url(root)) as gb:
        for outcome in failed:
            gb.update_or_create_student(outcome.student)
            gb.update_or_create_submission(outcome.assignment, outcome.student)
            notebook = gb.find_submission_notebook(outcome.notebook, outcome.assignment, outcome.student)
            for grade in notebook.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = False
            gb.db.commit()
