"""Benchmark autograding a cohort: ``make grade`` against its previous versions, nbgrader alone and the floor.

Run from the repository's root::

    .venv/bin/python benchmarks/grade_cohort.py                      # N=200, assignment 00
    .venv/bin/python benchmarks/grade_cohort.py --n 200 1000          # one cohort size after another
    .venv/bin/python benchmarks/grade_cohort.py --n 20 --assignment 01-individualization

It makes a throwaway copy of the course (``nbgrader_config.py`` and ``modules/``),
releases it, and writes N synthetic submissions of one assignment: each learner has an
ability drawn from a Beta(4, 2) distribution and answers each exercise with the source's
solution with that probability, leaving the released stub otherwise (seeded, so every run
grades the same cohort). Then it times, on that same cohort:

1. ``make grade``: :func:`customering_course.grading.cohort.grade_cohort`, which is what the
   command runs: checks, parallel sandboxed execution on a local Dask cluster in kernels
   forked from a warm zygote, scoring into the gradebook, feedback, export and item
   analysis;
2. ``make grade`` as it was with a fresh kernel per submission on Dask, from the commit
   :data:`FRESH_KERNELS` of this repository, on a second copy;
3. ``make grade`` as it was before Dask (its own process pool, fresh kernels), from the
   commit :data:`BEFORE_DASK`, on a third copy;
4. ``make grade`` against a cluster of two workers started with ``dask scheduler`` and
   ``dask worker`` (``--scheduler``), on a fourth copy;
5. plain ``nbgrader autograde ASSIGNMENT`` on a fifth copy: one submission at a time, no
   sandbox, no feedback;
6. the floor: the same N notebooks as graded (nbgrader's autograded copies from step 1,
   hidden tests included, outputs cleared) executed one after another with nbclient
   alone, a fresh kernel each, no nbgrader and no sandbox. Divided by the number of cores,
   it is the best a parallel grader that starts a fresh kernel per submission could do.

Runs 2 and 3 take only the tooling (``customering_course``) from the older commit: the
learner's package, and so the data loading the notebooks do, is this checkout's in every
run.

Each run happens in a child process; its peak memory is the largest sum of the resident
memory of that process and all its descendants (kernels, workers, the scheduler),
sampled every half second. It prints seconds per submission and peak memory for each,
and the ratio of ``make grade`` to the floor divided by the cores, and writes them to
``benchmarks/output/grade_cohort.json``. Prints figures; asserts nothing (these are not
timed tests).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
#: The last commit whose ``make grade`` ran submissions on its own process pool.
BEFORE_DASK = "6f0e8c7"
#: The last commit whose ``make grade`` started a fresh kernel for each submission (on Dask).
FRESH_KERNELS = "2ed9df4"


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


def measured(command: list[str], cwd: Path | None = None, env: dict | None = None,
             beside: list[subprocess.Popen] = ()) -> tuple[float, float]:
    """Seconds a child process runs, and the peak resident memory (MiB) of it and its descendants
    (and of the ``beside`` processes and theirs: a cluster it grades on)."""
    import psutil

    started = time.perf_counter()
    # stderr to a file, not a pipe: nbgrader logs more than a pipe holds, and would wait for a reader.
    with tempfile.TemporaryFile() as errors:
        child = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=errors)
        roots = [psutil.Process(p.pid) for p in (child, *beside)]
        peak = 0
        while child.poll() is None:
            total = 0
            for root in roots:
                try:
                    family = [root, *root.children(recursive=True)]
                except psutil.Error:
                    continue
                for process in family:
                    with contextlib.suppress(psutil.Error):
                        total += process.memory_info().rss
            peak = max(peak, total)
            time.sleep(0.5)
        seconds = time.perf_counter() - started
        errors.seek(0)
        tail = errors.read().decode(errors="replace")[-2000:]
    if child.returncode != 0:
        raise RuntimeError(f"{command[:4]} failed: {tail}")
    return seconds, peak / 2**20


def _environment() -> dict[str, str]:
    return dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")


def make_grade(course_root: Path, assignment: str, *options: str) -> list[str]:
    """The command ``make grade`` runs, on ``course_root``."""
    return [sys.executable, "-m", "customering_course", "--root", str(course_root), "grade", assignment, *options]


def make_grade_at(commit: str, course_root: Path, assignment: str, folder: Path) -> list[str]:
    """``make grade`` as it was at ``commit``: that commit's tooling, this environment."""
    archive = subprocess.run(["git", "archive", commit, "customering_course"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    folder.mkdir()
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    code = (f"import sys; sys.path.insert(0, {str(folder)!r}); from customering_course.cli import main; "
            f"main(['--root', {str(course_root)!r}, 'grade', {assignment!r}])")
    return [sys.executable, "-c", code]


@contextlib.contextmanager
def two_worker_cluster(folder: Path):
    """A scheduler and two single-threaded workers, started as the instructor guide shows."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = dict(_environment(), DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="1",
               DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION="1.0")
    dask = str(Path(sys.executable).parent / "dask")
    folder.mkdir()
    processes = [subprocess.Popen([dask, "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
                                  cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    address = f"tcp://127.0.0.1:{port}"
    processes.append(subprocess.Popen([dask, "worker", address, "--nworkers", "2", "--nthreads", "1",
                                       "--memory-limit", "0", "--no-dashboard"], cwd=folder, env=env,
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    try:
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address, processes
    finally:
        for process in reversed(processes):
            process.terminate()
            process.wait(timeout=60)


def nbgrader_autograde(assignment: str) -> list[str]:
    return [sys.executable, "-m", "nbgrader", "autograde", assignment, "--force"]


def floor(notebooks: list[Path], workdir: Path) -> None:
    """Execute each notebook with nbclient alone, one after another, each in a fresh kernel."""
    from nbclient import NotebookClient

    graded = [nbformat.read(path, as_version=4) for path in notebooks]
    for nb in graded:
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
    for nb in graded:
        NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=True,
                       resources={"metadata": {"path": str(workdir)}}).execute()


def one_size(n: int, assignment: str, skip: set[str], tmp: Path) -> dict[str, object]:
    """Every run on one cohort of ``n``; seconds, seconds per submission and peak MiB of each."""
    cores = os.cpu_count() or 1
    rows: dict[str, object] = {}

    def report(name: str, seconds: float, peak: float) -> None:
        rows[name] = {"seconds": round(seconds, 1), "per_submission": round(seconds / n, 3),
                      "peak_mib": round(peak)}
        print(f"  {name:<26}{seconds:8.1f} s  {seconds / n:6.2f} s/submission  peak {peak:7.0f} MiB", flush=True)

    def cohort(name: str) -> Path:
        course = make_course(tmp / f"{name}-{n}")
        synthetic_submissions(course, assignment, n)
        return course

    print(f"{n} synthetic submissions of {assignment}; {cores} cores", flush=True)
    graded = None  # a course whose autograded notebooks the floor executes again
    if "ours" not in skip:
        graded = cohort("dask")
        report("make grade", *measured(make_grade(graded, assignment), env=_environment()))
    for key, name, commit in (("fresh", "make grade, fresh kernels", FRESH_KERNELS),
                              ("before", "make grade before Dask", BEFORE_DASK)):
        if key not in skip:
            course = cohort(key)
            report(name, *measured(make_grade_at(commit, course, assignment, tmp / f"tooling-{key}-{n}"),
                                   env=_environment()))
    if "cluster" not in skip:
        course = cohort("cluster")
        with two_worker_cluster(tmp / f"scheduler-and-workers-{n}") as (address, processes):
            report("make grade, 2-worker cluster", *measured(make_grade(course, assignment, "--scheduler", address),
                                                            env=_environment(), beside=processes))
    if "nbgrader" not in skip:
        course = cohort("nbgrader")
        report("nbgrader autograde", *measured(nbgrader_autograde(assignment), cwd=course, env=_environment()))
        graded = graded or course
    if "floor" not in skip and graded is not None:
        workdir = tmp / f"floor-{n}"
        workdir.mkdir()
        notebooks = sorted((graded / "autograded").glob(f"*/{assignment}/*.ipynb"))
        listing = tmp / f"floor-{n}.json"
        listing.write_text(json.dumps([str(p) for p in notebooks]))
        seconds, peak = measured([sys.executable, __file__, "--floor", str(listing), str(workdir)], env=_environment())
        report("nbclient floor", seconds, peak)
        rows["floor_over_cores_per_submission"] = round(seconds / n / cores, 3)
        print(f"  nbclient floor / {cores} cores:        {seconds / n / cores:6.2f} s/submission", flush=True)
        if "make grade" in rows:
            rows["make_grade_over_floor_per_core"] = round(rows["make grade"]["seconds"] / (seconds / cores), 3)
            print(f"  make grade / that = {rows['make_grade_over_floor_per_core']:.2f}", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[200], help="submissions in each cohort")
    parser.add_argument("--assignment", default="00-orientation")
    parser.add_argument("--skip", nargs="*", default=[], choices=["ours", "fresh", "before", "cluster", "nbgrader", "floor"],
                        help="runs to leave out")
    parser.add_argument("--floor", nargs=2, metavar=("LISTING", "WORKDIR"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.floor:  # the floor's own child process
        floor([Path(p) for p in json.loads(Path(args.floor[0]).read_text())], Path(args.floor[1]))
        return
    results: dict[str, object] = {"assignment": args.assignment, "cores": os.cpu_count() or 1,
                                  "python": platform.python_version(), "date": time.strftime("%Y-%m-%d"),
                                  "fresh_kernels": FRESH_KERNELS, "before_dask": BEFORE_DASK, "sizes": {}}
    with tempfile.TemporaryDirectory(prefix="customering-grade-bench-") as tmp:
        for n in args.n:
            results["sizes"][str(n)] = one_size(n, args.assignment, set(args.skip), Path(tmp))
    out = ROOT / "benchmarks" / "output"
    out.mkdir(exist_ok=True)
    name = f"grade_cohort-n{'-'.join(map(str, args.n))}" + "".join(f"-no-{key}" for key in sorted(args.skip))
    (out / f"{name}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
