"""Grading a cohort: nbgrader's autograde, in parallel, in a sandbox, with honest feedback.

:func:`grade_cohort` is what ``make grade`` runs. For each assignment it

1. **checks** every submission in ``submitted/<student>/<assignment>/``
   (:mod:`~customering_course.grading.intake`);
2. **executes** the submissions in parallel on Dask workers, one kernel at a time per
   worker, each forked for one submission from the worker's warm zygote in the sandbox
   (:mod:`~customering_course.grading.forked_kernels`): a local cluster with a worker per
   core, or an existing cluster
   (:mod:`~customering_course.grading.execution`, :mod:`~customering_course.grading.cluster`),
   with a progress bar that shows the count and the time left; a submission whose worker
   dies is tried once more on another;
3. **scores** the executed notebooks with ``nbgrader autograde`` itself, minus the
   execution it already had, into the one gradebook
   (:mod:`~customering_course.grading.scoring`);
4. writes **feedback** without hidden tests (:mod:`~customering_course.grading.feedback`)
   and **exports** grades and the item analysis (:mod:`customering_course.reports`).

The gradebook, the source notebooks and the other learners' files are never opened by a
learner's kernel, nor by a worker: a worker gets one submission and the assignments' cells
as data, and only the main process reads and writes the gradebook.
"""

from __future__ import annotations

import multiprocessing
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic

from customering_course import reports, sandbox
from customering_course.grading.cluster import Call, grading_client, run_calls
from customering_course.grading.execution import execute_task, reference_gradebook
from customering_course.grading.feedback import feedback, write_failure_feedback
from customering_course.grading.intake import check_submissions, grading_context
from customering_course.grading.records import DEFAULT_NOTEBOOK_TIMEOUT, Job, Outcome, Settings, Submission
from customering_course.grading.scoring import record_failures, score
from customering_course.layout import course_config, modules, submissions


@dataclass
class Report:
    """What a grading run did."""

    mode: str
    mode_reason: str
    outcomes: list[Outcome]
    grades: Path
    seconds: float
    item_analysis: list[Path] = field(default_factory=list)

    @property
    def failed(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.graded]


def grade_cohort(root: Path, assignments: list[str] | None = None, workers: int | None = None,
                 sandbox_mode: str = "auto", cell_timeout: int | None = None,
                 notebook_timeout: int = DEFAULT_NOTEBOOK_TIMEOUT, progress: bool = True,
                 echo: Callable[[str], object] = print, scheduler: str | None = None) -> Report:
    """Autograde every submission of ``assignments`` (default: all submitted), then feedback and grades.

    Submissions execute on a local Dask cluster of ``workers`` processes (default: one per
    core), or on the workers of the cluster whose ``scheduler`` address is given. Returns a
    :class:`Report`; the grading log is also written to ``grades/grading-log.txt``.
    """
    started = monotonic()
    root = Path(root).resolve()
    mode, why = sandbox.choose_mode(sandbox_mode)
    config = course_config(root)
    settings = Settings(mode=mode, notebook_timeout=notebook_timeout,
                        cell_timeout=cell_timeout or int(config.ExecutePreprocessor.get("timeout", 120)))
    workers = workers or os.cpu_count() or 1
    echo(f"sandbox: {mode} ({why})")
    found = submissions(root)
    assignments = sorted(found) if assignments is None else assignments
    unknown = [a for a in assignments if a not in modules(root)]
    if unknown:
        raise ValueError(f"no assignment {', '.join(unknown)} in modules/; "
                         f"the assignments are {', '.join(modules(root))}")

    outcomes: list[Outcome] = []
    staging = Path(tempfile.mkdtemp(prefix="customering-grading-"))
    try:
        jobs, failed = check_submissions(root, assignments, found, staging)
        contexts = {assignment: grading_context(root, assignment) for assignment in assignments}
        where = f"the cluster at {scheduler}" if scheduler else f"{min(workers, max(1, len(jobs)))} local worker(s)"
        echo(f"grading {len(jobs)} notebook(s) on {where}; {len(failed)} submission file(s) cannot be graded")
        phase = monotonic()
        results = _execute(jobs, settings, config, reference_gradebook(root), contexts, workers, scheduler,
                           progress) if jobs else []
        echo(f"executed in {monotonic() - phase:.1f} s")
        executed = []
        for job, (outcome, notebook) in zip(jobs, results, strict=True):
            outcome.reasons = job.notes + outcome.reasons
            executed.append(outcome)
            if notebook is None:
                failed.append(outcome)
                continue
            job.target.parent.mkdir(parents=True, exist_ok=True)
            job.target.write_text(notebook, encoding="utf-8")
            stamp = root / "submitted" / outcome.student / outcome.assignment / "timestamp.txt"
            if stamp.exists():
                shutil.copy2(stamp, job.target.parent)
        outcomes = failed + [o for o in executed if o.graded]
        with _feedback_processes(workers) as processes:
            for assignment in assignments:
                phase = monotonic()
                score(root, assignment, staging / "executed")
                record_failures(root, [o for o in failed if o.assignment == assignment])
                echo(f"{assignment}: scores recorded in the gradebook in {monotonic() - phase:.1f} s")
                phase = monotonic()
                students = sorted({o.student for o in executed if o.graded and o.assignment == assignment})
                _feedback(processes, workers, root, assignment, students, "feedback", progress, echo)
                write_failure_feedback(root, [o for o in failed if o.assignment == assignment])
                echo(f"{assignment}: feedback written in {monotonic() - phase:.1f} s")
    finally:
        shutil.rmtree(staging, ignore_errors=True)

    grades = reports.export_grades(root, root / "grades" / "grades.csv")
    analysis = [reports.item_analysis(root, a, root / "grades") for a in assignments]
    report = Report(mode, why, sorted(outcomes, key=lambda o: (o.assignment, o.student)), grades,
                    monotonic() - started, [p for pair in analysis for p in pair])
    write_log(root / "grades" / "grading-log.txt", report)
    return report


def _execute(jobs: list[Job], settings: Settings, config, reference: bytes,
             contexts: dict[str, tuple[dict[str, str], list[str]]], workers: int, scheduler: str | None,
             progress: bool) -> list[tuple[Outcome, str | None]]:
    """Each job executed on a Dask worker: its outcome and executed notebook (None if it was not graded)."""
    with grading_client(min(workers, len(jobs)), scheduler) as client:
        # A task, not scattered data: if every worker holding it dies, Dask makes it again.
        shared = client.submit(_same, reference, key="reference-gradebook", pure=False)
        calls = [Call(execute_task, (Submission.of(job), settings, config, shared, *contexts[job.assignment]),
                      job.student) for job in jobs]
        return run_calls(client, calls, _lost, "executing", progress)


def _same(value: bytes) -> bytes:
    return value


def _lost(call: Call, error: BaseException) -> tuple[Outcome, None]:
    submission = call.args[0]
    if type(error).__name__ == "KilledWorker":
        reason = ("its grading worker died while running it, and so did the worker that tried it again "
                  "(killed, or out of memory)")
    else:
        reason = f"the grader failed: {type(error).__name__}: {error}"
    return Outcome(submission.assignment, submission.student, submission.notebook, graded=False,
                   reasons=[reason]), None


def _feedback_processes(workers: int) -> ProcessPoolExecutor:
    """Processes for writing feedback pages on this machine, where the gradebook is."""
    return ProcessPoolExecutor(max_workers=max(1, workers), mp_context=multiprocessing.get_context("spawn"))


def _feedback(processes: ProcessPoolExecutor, workers: int, root: Path, assignment: str, students: list[str],
              description: str, progress: bool, echo: Callable[[str], object]) -> None:
    from tqdm import tqdm

    # A few learners per nbgrader run: its templates are compiled once per run, and the
    # progress bar still moves every few pages.
    size = max(1, min(25, -(-len(students) // (4 * workers))))
    groups = [students[i:i + size] for i in range(0, len(students), size)]
    pages = processes.map(feedback, [root] * len(groups), [assignment] * len(groups), groups)
    with tqdm(total=len(students), unit="notebook", disable=not progress, dynamic_ncols=True, desc=description,
              file=sys.stderr) as bar:
        for group, problem in zip(groups, pages, strict=True):
            bar.update(len(group))
            bar.set_postfix_str(group[-1], refresh=False)
            if problem is not None:
                missing = [s for s in group if not any((root / "feedback" / s / assignment).glob("*.html"))]
                echo(f"{assignment} {', '.join(missing or group)}: feedback failed: {problem}")


def refresh_feedback(root: Path, assignments: list[str] | None = None, workers: int | None = None,
                     progress: bool = True, echo: Callable[[str], object] = print) -> list[Path]:
    """Feedback, ``grades/grades.csv`` and item analysis again, without executing anything.

    For after manual grading in the Formgrader: the new scores and comments reach the
    feedback pages and the export in seconds. Returns the files written.
    """
    root = Path(root).resolve()
    graded = {p.name for p in (root / "autograded").glob("*/*") if p.is_dir()}
    assignments = sorted(graded) if assignments is None else assignments
    workers = workers or os.cpu_count() or 1
    with _feedback_processes(workers) as processes:
        for assignment in assignments:
            students = sorted(p.parent.name for p in (root / "autograded").glob(f"*/{assignment}"))
            _feedback(processes, workers, root, assignment, students, f"feedback {assignment}", progress, echo)
    written = [reports.export_grades(root, root / "grades" / "grades.csv")]
    for assignment in assignments:
        written += reports.item_analysis(root, assignment, root / "grades")
    return written


def write_log(path: Path, report: Report) -> None:
    """The grading log: the sandbox mode, the counts, and one line per notebook."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"sandbox: {report.mode} ({report.mode_reason})",
             f"{len(report.outcomes)} notebook(s), {len(report.failed)} not graded, "
             f"{report.seconds:.1f} s", ""]
    lines += [o.line() for o in report.outcomes]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
