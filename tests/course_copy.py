"""A throwaway copy of the course to grade, and assignment 00 answered as a learner would.

The grading tests and the Formgrader's browser test each grade submissions in a copy of
their own, never in the repository's submitted/, autograded/ or gradebook.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat

from customering_course import release
from tests.wrong_answers import WRONG_ANSWERS

ROOT = Path(__file__).resolve().parents[1]
MODULE = "00-orientation"
NOTEBOOK = "assignment-00"
SOURCE = nbformat.read(ROOT / "modules" / MODULE / f"{NOTEBOOK}.ipynb", as_version=4)
#: What the learner of :func:`answered` writes in the one written answer of assignment 00.
WRITTEN_ANSWER = "A written answer about the value of the base."


def make_course(folder: Path, cell_timeout: int | None = None) -> Path:
    """The course's modules and nbgrader configuration copied to ``folder``, and released there."""
    folder.mkdir(parents=True)
    config = (ROOT / "nbgrader_config.py").read_text()
    if cell_timeout is not None:
        config += f"\nc.ExecutePreprocessor.timeout = {cell_timeout}\nc.Execute.timeout = {cell_timeout}\n"
    (folder / "nbgrader_config.py").write_text(config)
    shutil.copytree(ROOT / "modules", folder / "modules", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    release.release(folder)
    return folder


def _strip(source: str) -> str:
    return "\n".join(line for line in source.splitlines() if "### BEGIN SOLUTION" not in line
                     and "### END SOLUTION" not in line)


def released_notebook(root: Path):
    return nbformat.read(root / "release" / MODULE / f"{NOTEBOOK}.ipynb", as_version=4)


def answered(root: Path, wrong: bool = False):
    """The released notebook with every exercise answered: the source's solution, or the first
    plausible wrong answer of tests/wrong_answers.py (which its test is known to reject)."""
    nb = released_notebook(root)
    solutions = {c.metadata["nbgrader"]["grade_id"]: _strip(c.source) for c in SOURCE.cells
                 if c.metadata.get("nbgrader", {}).get("solution") and c.cell_type == "code"}
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in solutions:
            cell.source = solutions[grade_id]
            if wrong and grade_id in WRONG_ANSWERS[NOTEBOOK]:
                cell.source = WRONG_ANSWERS[NOTEBOOK][grade_id][0][1]
        elif grade_id == "a00-ex8-answer":
            cell.source = WRITTEN_ANSWER
    return nb
