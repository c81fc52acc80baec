"""Checking what learners submitted, before anything runs.

A notebook that is missing, empty or not valid JSON is not graded (its learner is told
why); a notebook that was renamed is graded under its proper name. What the tests of an
assignment rely on (their imports, the names they read) is read from the source here too,
for the integrity check.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from customering_course import integrity
from customering_course.grading.records import Job, Outcome
from customering_course.layout import db_url, source_notebooks


def notebook_problem(path: Path) -> str | None:
    """Why a submitted notebook cannot be graded, or None when it can be read."""
    if path.stat().st_size == 0:
        return f"{path.name} is an empty file (0 bytes)"
    try:
        nb = nbformat.read(path, as_version=4)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return f"{path.name} is not a valid notebook file (not JSON: {error})"
    except Exception as error:  # nbformat's own reading errors
        return f"{path.name} is not a valid notebook file ({type(error).__name__}: {error})"
    if not isinstance(nb.get("cells"), list):
        return f"{path.name} is not a valid notebook file (it has no list of cells)"
    return None


def _grade_ids(path: Path) -> set[str]:
    with contextlib.suppress(Exception):
        nb = nbformat.read(path, as_version=4)
        return {c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells} - {None}
    return set()


def find_notebook(folder: Path, name: str, grade_ids: set[str]) -> tuple[Path | None, str | None]:
    """The file to grade as ``name.ipynb``, and a note when it is not that file.

    A learner who renamed the notebook ("assignment-01 (copy).ipynb") is graded from the
    one other notebook in the folder that carries the assignment's cells.
    """
    expected = folder / f"{name}.ipynb"
    if expected.exists():
        return expected, None
    others = sorted(p for p in folder.glob("*.ipynb") if grade_ids & _grade_ids(p))
    if len(others) == 1:
        return others[0], f"graded {others[0].name} as {name}.ipynb (the notebook was renamed)"
    found = ", ".join(p.name for p in sorted(folder.glob("*.ipynb"))) or "no notebook at all"
    return None, f"{name}.ipynb is missing from the submission (found: {found})"



def assignment_notebooks(root: Path, assignment: str) -> dict[str, set[str]]:
    """Notebook name -> its grade ids, from the gradebook (what ``generate_assignment`` saved)."""
    with Gradebook(db_url(root)) as gb:
        found = gb.find_assignment(assignment)
        return {nb.name: {c.name for c in nb.grade_cells} | {c.name for c in nb.source_cells}
                for nb in found.notebooks}


def grading_context(root: Path, assignment: str) -> tuple[dict[str, str], list[str]]:
    """The imports the tests rely on, and the names the test cells read (for the integrity check)."""
    sources, tests = [], []
    for path in source_notebooks(assignment, root):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type != "code":
                continue
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("locked"):
                sources.append(cell.source)
            if meta.get("grade") and not meta.get("solution"):
                tests.append(cell.source)
    names = set().union(*(integrity.free_names(s) for s in tests)) if tests else set()
    return integrity.import_bindings(sources), sorted(names)


def copy_submission(folder: Path, destination: Path, renamed: dict[Path, str]) -> None:
    """Copy a submission folder, without checkpoints and caches, giving renamed notebooks their names."""
    shutil.copytree(folder, destination, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for original, name in renamed.items():
        (destination / original.name).replace(destination / f"{name}.ipynb")


def check_submissions(root: Path, assignments: list[str], found: dict[str, list[str]],
                      staging: Path) -> tuple[list[Job], list[Outcome]]:
    """Check every submission of ``assignments``: the jobs to execute, and the notebooks that cannot be graded.

    Each job's files are a checked copy under ``staging``, which only this user can read.
    """
    jobs: list[Job] = []
    failed: list[Outcome] = []
    for assignment in assignments:
        notebooks = assignment_notebooks(root, assignment)
        for student in found.get(assignment, []):
            folder = root / "submitted" / student / assignment
            renamed, notes, good = {}, {}, []
            for name, grade_ids in notebooks.items():
                path, note = find_notebook(folder, name, grade_ids)
                problem = note if path is None else notebook_problem(path)
                if problem:
                    failed.append(Outcome(assignment, student, name, graded=False, reasons=[problem]))
                    continue
                if path.name != f"{name}.ipynb":
                    renamed[path] = name
                notes[name] = [note] if note else []
                good.append(name)
            if not good:
                continue
            checked = staging / "checked" / student / assignment
            copy_submission(folder, checked, renamed)
            for name in notebooks:
                if name not in good:
                    (checked / f"{name}.ipynb").unlink(missing_ok=True)
            staging.chmod(0o700)
            for name in good:
                jobs.append(Job(assignment, student, name, checked / f"{name}.ipynb",
                                staging / "executed" / student / assignment / f"{name}.ipynb",
                                checked, notes[name]))
    return jobs, failed
