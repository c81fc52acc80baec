"""Grading a cohort: nbgrader's autograde, in parallel, in a sandbox, with honest feedback.

:func:`grade_cohort` is what ``make grade`` runs. For each assignment it

1. **checks** every submission in ``submitted/<student>/<assignment>/``
   (:mod:`~customering_course.grading.intake`);
2. **executes** the submissions in parallel, one kernel per core, each in the sandbox
   (:mod:`~customering_course.grading.execution`, :mod:`~customering_course.grading.pool`),
   with a progress bar that shows the count and the time left;
3. **scores** the executed notebooks with ``nbgrader autograde`` itself, minus the
   execution it already had, into the one gradebook
   (:mod:`~customering_course.grading.scoring`);
4. writes **feedback** without hidden tests (:mod:`~customering_course.grading.feedback`)
   and **exports** grades and the item analysis (:mod:`customering_course.reports`).

The gradebook, the source notebooks and the other learners' files are never opened by a
learner's kernel: workers read the gradebook only, and only the main process writes it.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic

from customering_course import reports, sandbox
from customering_course.grading.execution import execute_task
from customering_course.grading.feedback import feedback, write_failure_feedback
from customering_course.grading.intake import check_submissions, grading_context
from customering_course.grading.pool import Pool, Task
from customering_course.grading.records import DEFAULT_NOTEBOOK_TIMEOUT, Outcome, Settings
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
                 echo: Callable[[str], object] = print) -> Report:
    """Autograde every submission of ``assignments`` (default: all submitted), then feedback and grades.

    Returns a :class:`Report`; the grading log is also written to ``grades/grading-log.txt``.
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
    pool: Pool | None = None
    try:
        jobs, failed = check_submissions(root, assignments, found, staging)
        contexts = {assignment: grading_context(root, assignment) for assignment in assignments}
        echo(f"grading {len(jobs)} notebook(s) on {min(workers, max(1, len(jobs)))} worker(s); "
             f"{len(failed)} submission file(s) cannot be graded")
        phase = monotonic()
        pool = Pool(min(workers, max(1, len(jobs))))
        tasks = [Task(execute_task, (job, settings, root, *contexts[job.assignment]),
                      f"{job.student}") for job in jobs]

        def killed(task: Task) -> Outcome:
            job = task.args[0]
            return Outcome(job.assignment, job.student, job.notebook, graded=False,
                           reasons=["its grading process was killed while it ran"])

        executed = pool.run(tasks, killed, "executing", progress)
        echo(f"executed in {monotonic() - phase:.1f} s")
        notes = {(j.assignment, j.student, j.notebook): j.notes for j in jobs}
        for outcome in executed:
            outcome.reasons = notes[(outcome.assignment, outcome.student, outcome.notebook)] + outcome.reasons
        outcomes = failed + executed
        for outcome in executed:
            if outcome.graded:
                stamp = root / "submitted" / outcome.student / outcome.assignment / "timestamp.txt"
                if stamp.exists():
                    shutil.copy2(stamp, staging / "executed" / outcome.student / outcome.assignment)
            else:
                failed.append(outcome)
        for assignment in assignments:
            phase = monotonic()
            score(root, assignment, staging / "executed")
            record_failures(root, [o for o in failed if o.assignment == assignment])
            echo(f"{assignment}: scores recorded in the gradebook in {monotonic() - phase:.1f} s")
            phase = monotonic()
            students = sorted({o.student for o in executed if o.graded and o.assignment == assignment})
            _feedback(pool, root, assignment, students, "feedback", progress, echo)
            write_failure_feedback(root, [o for o in failed if o.assignment == assignment])
            echo(f"{assignment}: feedback written in {monotonic() - phase:.1f} s")
    finally:
        if pool is not None:
            pool.close()
        shutil.rmtree(staging, ignore_errors=True)

    grades = reports.export_grades(root, root / "grades" / "grades.csv")
    analysis = [reports.item_analysis(root, a, root / "grades") for a in assignments]
    report = Report(mode, why, sorted(outcomes, key=lambda o: (o.assignment, o.student)), grades,
                    monotonic() - started, [p for pair in analysis for p in pair])
    write_log(root / "grades" / "grading-log.txt", report)
    return report


def _feedback(pool: Pool, root: Path, assignment: str, students: list[str], description: str,
              progress: bool, echo: Callable[[str], object]) -> None:
    problems = pool.run([Task(feedback, (root, assignment, s), s) for s in students],
                        lambda task: "its process was killed", description, progress)
    for student, problem in zip(students, problems, strict=True):
        if problem is not None:
            echo(f"{assignment} {student}: feedback failed: {problem}")


def refresh_feedback(root: Path, assignments: list[str] | None = None, workers: int | None = None,
                     progress: bool = True, echo: Callable[[str], object] = print) -> list[Path]:
    """Feedback, ``grades/grades.csv`` and item analysis again, without executing anything.

    For after manual grading in the Formgrader: the new scores and comments reach the
    feedback pages and the export in seconds. Returns the files written.
    """
    root = Path(root).resolve()
    graded = {p.name for p in (root / "autograded").glob("*/*") if p.is_dir()}
    assignments = sorted(graded) if assignments is None else assignments
    pool = Pool(workers or os.cpu_count() or 1)
    try:
        for assignment in assignments:
            students = sorted(p.parent.name for p in (root / "autograded").glob(f"*/{assignment}"))
            _feedback(pool, root, assignment, students, f"feedback {assignment}", progress, echo)
    finally:
        pool.close()
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
