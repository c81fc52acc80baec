"""Benchmark autograding a cohort: ``make grade`` against nbgrader alone and the floor.

Run from the repository's root::

    .venv/bin/python benchmarks/grade_cohort.py                      # N=200, assignment 00
    .venv/bin/python benchmarks/grade_cohort.py --n 20 --assignment 01-individualization

It makes a throwaway copy of the course (``nbgrader_config.py`` and ``modules/``),
releases it, and writes N synthetic submissions of one assignment: each learner has an
ability drawn from a Beta(4, 2) distribution and answers each exercise with the source's
solution with that probability, leaving the released stub otherwise (seeded, so every run
grades the same cohort). Then it times, on that same cohort:

1. ``make grade``: :func:`customering_course.grading.cohort.grade_cohort`, which is what the
   command runs: checks, parallel sandboxed execution, scoring into the gradebook,
   feedback, export and item analysis;
2. plain ``nbgrader autograde ASSIGNMENT`` on a second copy: one submission at a time, no
   sandbox, no feedback;
3. the floor: the same N notebooks as graded (nbgrader's autograded copies from step 1,
   hidden tests included, outputs cleared) executed one after another with nbclient
   alone, a fresh kernel each, no nbgrader and no sandbox. Divided by the number of cores,
   it is the best any parallel grader could do.

It prints seconds per submission for each and the ratio of ``make grade`` to the floor
divided by the cores, and writes them to ``benchmarks/output/grade_cohort.json``.
Prints figures; asserts nothing (these are not timed tests).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def make_course(folder: Path) -> Path:
    """A released copy of the course in ``folder``."""
    from customering_course import release

    folder.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    shutil.copytree(ROOT / "modules", folder / "modules", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    with open(os.devnull, "w") as quiet:
        stderr = sys.stderr
        sys.stderr = quiet
        try:
            release.release(folder)
        finally:
            sys.stderr = stderr
    return folder


def synthetic_submissions(course_root: Path, assignment: str, n: int, seed: int = 2026) -> list[Path]:
    """Write ``n`` submissions of ``assignment`` to ``course_root/submitted``; return their notebooks."""
    rng = np.random.default_rng(seed)
    source = next((course_root / "modules" / assignment).glob("assignment-*.ipynb"))
    solutions = {c.metadata["nbgrader"]["grade_id"]: c.source
                 for c in nbformat.read(source, as_version=4).cells
                 if c.metadata.get("nbgrader", {}).get("solution")}
    released = course_root / "release" / assignment / source.name
    paths = []
    for i in range(n):
        ability = rng.beta(4, 2)
        nb = nbformat.read(released, as_version=4)
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if cell.metadata.get("nbgrader", {}).get("solution") and rng.random() < ability:
                cell.source = _strip_markers(solutions[grade_id])
        target = course_root / "submitted" / f"learner{i:03d}" / assignment / source.name
        target.parent.mkdir(parents=True)
        nbformat.write(nb, target)
        (target.parent / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
        paths.append(target)
    return paths


def _strip_markers(source: str) -> str:
    return "\n".join(line for line in source.splitlines() if "### BEGIN SOLUTION" not in line
                     and "### END SOLUTION" not in line)


def time_make_grade(course_root: Path, assignment: str) -> float:
    from customering_course.grading import cohort

    started = time.perf_counter()
    report = cohort.grade_cohort(course_root, assignments=[assignment], echo=lambda *a: None)
    seconds = time.perf_counter() - started
    print(f"  make grade: sandbox {report.mode}, {len(report.outcomes)} notebooks, "
          f"{len(report.failed)} not graded", flush=True)
    return seconds


def time_nbgrader(course_root: Path, assignment: str) -> float:
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"],
                   cwd=course_root, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def time_floor(notebooks: list[Path], workdir: Path) -> float:
    """Execute each notebook with nbclient alone, one after another, each in a fresh kernel."""
    from nbclient import NotebookClient

    graded = [nbformat.read(path, as_version=4) for path in notebooks]
    for nb in graded:
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
    started = time.perf_counter()
    for nb in graded:
        NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(workdir)}}).execute()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=200, help="submissions in the cohort")
    parser.add_argument("--assignment", default="00-orientation")
    parser.add_argument("--skip-nbgrader", action="store_true", help="leave out plain nbgrader autograde")
    args = parser.parse_args()
    cores = os.cpu_count() or 1
    results: dict[str, object] = {"n": args.n, "assignment": args.assignment, "cores": cores,
                                  "python": platform.python_version(), "date": time.strftime("%Y-%m-%d")}
    with tempfile.TemporaryDirectory(prefix="customering-grade-bench-") as tmp:
        ours = make_course(Path(tmp) / "ours")
        synthetic_submissions(ours, args.assignment, args.n)
        print(f"{args.n} synthetic submissions of {args.assignment}; {cores} cores", flush=True)

        seconds = time_make_grade(ours, args.assignment)
        results["make_grade_s"] = seconds
        print(f"make grade:          {seconds:8.1f} s  {seconds / args.n:6.2f} s/submission", flush=True)

        if not args.skip_nbgrader:
            plain = make_course(Path(tmp) / "plain")
            synthetic_submissions(plain, args.assignment, args.n)
            seconds = time_nbgrader(plain, args.assignment)
            results["nbgrader_autograde_s"] = seconds
            print(f"nbgrader autograde:  {seconds:8.1f} s  {seconds / args.n:6.2f} s/submission", flush=True)

        workdir = Path(tmp) / "floor"
        workdir.mkdir()
        seconds = time_floor(sorted((ours / "autograded").glob(f"*/{args.assignment}/*.ipynb")), workdir)
        results["floor_s"] = seconds
        print(f"nbclient floor:      {seconds:8.1f} s  {seconds / args.n:6.2f} s/submission"
              f"  ({seconds / args.n / cores:.2f} s/submission over {cores} cores)", flush=True)

    ratio = results["make_grade_s"] / (results["floor_s"] / cores)
    results["make_grade_over_floor_per_core"] = ratio
    print(f"make grade / (floor / cores) = {ratio:.2f}  (aim: 1.5 or less)")
    out = ROOT / "benchmarks" / "output"
    out.mkdir(exist_ok=True)
    (out / "grade_cohort.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
