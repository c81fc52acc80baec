"""The course's commands behind ``make release``, ``make workspace`` and ``make grade``.

They wrap nbgrader (configured by ``nbgrader_config.py`` at the repository's root) rather
than replace it. Run them as ``python -m customering_utils.course COMMAND``.

- ``release``: ``nbgrader generate_assignment`` for every module folder, then the module's
  lesson notebooks copied into the release unchanged (nbgrader copies every other file,
  but leaves out notebooks that are not assignments).
- ``workspace``: a learner's own copy of the released course in ``workspace/``. Files
  already there are never touched, so a learner's edits survive every run.
- ``grade``: autograde every submission in ``submitted/`` in parallel and in a sandbox,
  then feedback, ``grades/grades.csv`` and an item analysis per assignment
  (:mod:`customering_utils.grading`). ``grade --help`` lists its options.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT_GLOB = "assignment-*.ipynb"


def modules(root: Path = ROOT) -> list[str]:
    """Names of the module folders that hold an assignment, in course order.

    >>> modules()[0]
    '00-orientation'
    """
    source = root / "modules"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob(ASSIGNMENT_GLOB)))


def lessons(module: str, root: Path = ROOT) -> list[Path]:
    """The lesson notebooks of a module: every notebook that is not its assignment.

    >>> [p.name for p in lessons("00-orientation")][:1]
    ['00a-customering-and-the-asset.ipynb']
    """
    folder = root / "modules" / module
    return sorted(p for p in folder.glob("*.ipynb") if not p.match(ASSIGNMENT_GLOB))


def nbgrader(*args: str, root: Path = ROOT, check: bool = True) -> subprocess.CompletedProcess:
    """Run one nbgrader command in the course folder, with this environment's tools on PATH.

    nbgrader calls the ``alembic`` program of its own environment to set up the gradebook,
    so the environment's ``bin`` folder goes first on PATH.
    """
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root, env=env, check=check)


def release(root: Path = ROOT) -> list[Path]:
    """Generate the released version of every module; return the release folders."""
    folders = []
    for module in modules(root):
        nbgrader("generate_assignment", module, "--force", root=root)
        target = root / "release" / module
        for lesson in lessons(module, root):
            shutil.copy2(lesson, target / lesson.name)
        folders.append(target)
    return folders


def workspace(root: Path = ROOT, target: Path | None = None) -> tuple[list[Path], list[Path]]:
    """Copy the released course into ``workspace/`` without touching anything already there.

    Returns (files added, files kept as they were). A learner's edited notebook is a
    file already there, so it is kept byte for byte.
    """
    source = root / "release"
    if not source.is_dir():
        raise FileNotFoundError(f"{source}: no released course yet; run 'make release' first")
    target = root / "workspace" if target is None else target
    added, kept = [], []
    for path in sorted(source.rglob("*")):
        if path.is_dir() or ".ipynb_checkpoints" in path.parts:
            continue
        destination = target / path.relative_to(source)
        if destination.exists():
            kept.append(destination)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        added.append(destination)
    return added, kept


def submissions(root: Path = ROOT) -> dict[str, list[str]]:
    """Assignment name -> the students who submitted it, from ``submitted/<student>/<assignment>/``."""
    found: dict[str, list[str]] = {}
    folder = root / "submitted"
    if not folder.is_dir():
        return found
    for student in sorted(p for p in folder.iterdir() if p.is_dir()):
        for assignment in sorted(p for p in student.iterdir() if p.is_dir()):
            found.setdefault(assignment.name, []).append(student.name)
    return found


def grade(root: Path = ROOT, **options) -> Path:
    """Autograde every submission, write feedback, and export ``grades/grades.csv``.

    ``options`` go to :func:`customering_utils.grading.grade_cohort` (assignments, workers,
    sandbox_mode, cell_timeout, progress, echo).
    """
    from customering_utils import grading

    return grading.grade_cohort(root, **options).grades


def grade_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m customering_utils.course grade",
        description="Autograde submitted/<student>/<assignment>/ in parallel and in a sandbox, "
                    "then write feedback/, grades/grades.csv and grades/item-analysis-*.")
    parser.add_argument("assignments", nargs="*", help="assignments to grade (default: every one submitted)")
    parser.add_argument("--workers", type=int, default=None, help="kernels at once (default: one per core)")
    parser.add_argument("--sandbox", choices=["auto", "bubblewrap", "workdir"], default="auto",
                        help="where learner code runs (default: bubblewrap when it works)")
    parser.add_argument("--timeout", type=int, default=None,
                        help="seconds a cell may run (default: ExecutePreprocessor.timeout in nbgrader_config.py)")
    parser.add_argument("--feedback-only", action="store_true",
                        help="after grading by hand: feedback, grades and item analysis again, executing nothing")
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m customering_utils.course {release,workspace,grade}``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["release"]:
        for folder in release():
            print(f"released {folder.relative_to(ROOT)}")
    elif args == ["workspace"]:
        added, kept = workspace()
        print(f"workspace/: {len(added)} new file(s) added, {len(kept)} already there left untouched")
        for path in added:
            print(f"  + {path.relative_to(ROOT)}")
    elif args[:1] == ["grade"]:
        from customering_utils import grading

        options = grade_parser().parse_args(args[1:])
        if options.feedback_only:
            for path in grading.refresh_feedback(ROOT, options.assignments or None, options.workers):
                print(f"wrote {path.relative_to(ROOT)}")
            return
        if not submissions():
            print("nothing to grade: submitted/ holds no submissions (submitted/<student>/<assignment>/)")
            return
        report = grading.grade_cohort(ROOT, assignments=options.assignments or None, workers=options.workers,
                                      sandbox_mode=options.sandbox, cell_timeout=options.timeout)
        for outcome in report.outcomes:
            if outcome.reasons:
                print(outcome.line())
        print(f"graded {len(report.outcomes) - len(report.failed)} notebook(s), "
              f"{len(report.failed)} not graded, in {report.seconds:.0f} s")
        for path in [report.grades, *report.item_analysis, ROOT / "grades" / "grading-log.txt"]:
            print(f"wrote {path.relative_to(ROOT)}")
    else:
        raise SystemExit("usage: python -m customering_utils.course {release,workspace,grade [options]}")


if __name__ == "__main__":
    main()
