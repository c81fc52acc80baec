"""The course as nbgrader sees it: one module folder = one assignment.

Only the ``assignment-*.ipynb`` notebook of a module is graded; its lesson notebooks are
copied into the release unchanged by ``python -m customering_course release``.
"""

import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

ROOT = os.path.dirname(os.path.abspath(__file__))

c.CourseDirectory.root = ROOT
c.CourseDirectory.course_id = "customering"
c.CourseDirectory.source_directory = "modules"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"
c.CourseDirectory.notebook_id = "assignment-*"
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(ROOT, "gradebook.db")
c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".pytest_cache"]

# A cell that runs longer than this is stopped and the rest of the notebook still graded.
c.ExecutePreprocessor.timeout = 120
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"

# A learner who deletes a test cell does not escape it: nbgrader puts it back from the source.
c.OverwriteCells.add_missing_cells = True

# Feedback shows each test's outcome and the learner's own code and output, never the
# text of a hidden test: see customering_course.grading.feedback.HideHiddenTests.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "customering_course.grading.feedback.HideHiddenTests",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
]

# `nbgrader export` writes one row per learner and assignment with points per exercise.
c.ExportApp.plugin_class = "customering_course.reports.ExercisePointsExport"
