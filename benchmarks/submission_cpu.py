"""Benchmark one submission: the processor time it costs to execute assignment 00, and where it goes.

Run from the repository's root::

    .venv/bin/python benchmarks/submission_cpu.py                 # this checkout and two older ones
    .venv/bin/python benchmarks/submission_cpu.py --repeat 10 --mode workdir

For each version of the code it makes a released copy of the course, answers assignment 00
with the source's solutions, and executes that one submission ``--repeat`` times, one after
another, with the grader's own ``execute`` (sanitize, then run with the integrity probe,
in the sandbox), in a child process that does only that. It reports per submission the
wall-clock seconds and the processor seconds of the whole machine (grader, kernel,
zygote: everything), measured after one warm-up run. The versions:

1. :data:`FRESH_KERNELS` as it was: a fresh kernel per submission, the tables parsed value
   by value (both packages from that commit);
2. the same tooling with this checkout's learner package: tables parsed by the CSV
   parser and the data world parsed once per session (what the learner package alone saves);
3. this checkout: kernels forked from a warm zygote that has loaded the data world.

Older versions run from ``git archive`` copies of ``customering_course`` and
``customering_utils`` put first on ``PYTHONPATH``, so the mode is ``workdir`` by default
(bubblewrap clears the environment, and would let the kernel import this checkout's
package). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The last commit whose grader started a fresh kernel for each submission.
FRESH_KERNELS = "2ed9df4"

CHILD = r'''
import json, os, sys, time
from pathlib import Path
import nbformat, psutil
sys.path.append(ROOT)
from tests.course_copy import MODULE, NOTEBOOK, answered, make_course
from customering_course.grading import execution
from customering_course.grading.intake import grading_context
from customering_course.grading.records import Settings, Submission
from customering_course.layout import course_config

root = make_course(Path(FOLDER) / "course")
notebook = nbformat.writes(answered(root)).encode()
submission = Submission(MODULE, "learner", NOTEBOOK, {f"{NOTEBOOK}.ipynb": notebook})
config, reference = course_config(root), execution.reference_gradebook(root)
context = grading_context(root, MODULE)
settings = Settings(mode=MODE, notebook_timeout=600, cell_timeout=120)

def busy():
    times = psutil.cpu_times()
    return times.user + times.system + times.nice

execution.execute(submission, settings, config, reference, *context)  # warm-up
started, cpu = time.perf_counter(), busy()
for _ in range(REPEAT):
    outcome, _ = execution.execute(submission, settings, config, reference, *context)
    assert outcome.graded and not outcome.reasons, outcome.reasons
print(json.dumps({"wall": (time.perf_counter() - started) / REPEAT, "cpu": (busy() - cpu) / REPEAT}))
'''


def measure(label: str, mode: str, repeat: int, pythonpath: Path | None, folder: Path) -> dict[str, float]:
    folder.mkdir()
    code = (CHILD.replace("ROOT", repr(str(ROOT))).replace("FOLDER", repr(str(folder)))
            .replace("MODE", repr(mode)).replace("REPEAT", str(repeat)))
    env = dict(os.environ, CUSTOMERING_DATA=str(ROOT / "datasets"))
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, cwd=folder)
    if done.returncode != 0:
        raise RuntimeError(f"{label}: {done.stderr[-2000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"  {label:<58}{figures['wall']:6.2f} s wall  {figures['cpu']:6.2f} s of processor", flush=True)
    return figures


def archived(commit: str, packages: list[str], folder: Path) -> Path:
    folder.mkdir()
    archive = subprocess.run(["git", "archive", commit, *packages], cwd=ROOT, check=True, capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=6, help="submissions executed per version, after a warm-up")
    parser.add_argument("--mode", default="workdir", choices=["workdir", "bubblewrap"],
                        help="sandbox mode (bubblewrap measures this checkout only)")
    args = parser.parse_args()
    results: dict[str, dict[str, float]] = {}
    print(f"assignment 00, answered; {args.repeat} submissions per version, one after another; {args.mode} mode")
    with tempfile.TemporaryDirectory(prefix="customering-submission-cpu-") as tmp:
        tmp = Path(tmp)
        if args.mode == "workdir":
            old = archived(FRESH_KERNELS, ["customering_course", "customering_utils"], tmp / "old-both")
            results["fresh kernel, tables parsed value by value"] = measure(
                f"{FRESH_KERNELS}: fresh kernel, tables parsed value by value", args.mode, args.repeat, old, tmp / "a")
            tooling = archived(FRESH_KERNELS, ["customering_course"], tmp / "old-tooling")
            results["fresh kernel, this learner package"] = measure(
                f"{FRESH_KERNELS} tooling, this learner package", args.mode, args.repeat, tooling, tmp / "b")
        results["forked kernel, this checkout"] = measure(
            "this checkout: forked from the warm zygote", args.mode, args.repeat, None, tmp / "c")
    out = ROOT / "benchmarks" / "output"
    out.mkdir(exist_ok=True)
    (out / f"submission_cpu-{args.mode}.json").write_text(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
