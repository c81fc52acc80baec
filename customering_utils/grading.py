"""Grading a cohort: nbgrader's autograde, in parallel, in a sandbox, with honest feedback.

:func:`grade_cohort` is what ``make grade`` runs. For each assignment it

1. **checks** every submission in ``submitted/<student>/<assignment>/``: a notebook that is
   missing, empty or not valid JSON is not graded, and its learner gets a feedback page
   that says why; a notebook that was renamed is graded under its proper name;
2. **executes** the submissions in parallel, one kernel per core, each in the sandbox of
   :mod:`customering_utils.sandbox`, through nbgrader's own sanitizing preprocessors (so
   edited and deleted test cells come back from the source) and its ``Execute``
   preprocessor, with a time limit per cell and per notebook, a cap on output, and the
   integrity check of :mod:`customering_utils.integrity`; a progress bar shows the count
   and the time left;
3. **scores** the executed notebooks with ``nbgrader autograde`` itself, minus the
   execution it already had, one at a time into the one gradebook, so the gradebook ends
   exactly as if nbgrader had graded each submission in turn;
4. writes **feedback** with ``nbgrader generate_feedback``, whose hidden tests are
   replaced by a note (:class:`HideHiddenTests`), and **exports** grades and the item
   analysis (:mod:`customering_utils.reports`).

The gradebook, the source notebooks and the other learners' files are never opened by a
learner's kernel: workers read the gradebook only, and only the main process writes it.
"""

from __future__ import annotations

import contextlib
import html
import json
import logging
import multiprocessing
import os
import queue
import shutil
import sys
import tempfile
import time
import traceback
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from time import monotonic

import nbformat
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader import utils as nbgrader_utils
from nbgrader.preprocessors import ClearHiddenTests, Execute
from traitlets import Dict, Float, Integer, List, Unicode
from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

from customering_utils import integrity, sandbox

log = logging.getLogger("customering.grading")

DEFAULT_NOTEBOOK_TIMEOUT = 900
DEFAULT_MAX_OUTPUT = 1_000_000
HIDDEN_NOTE = "# (hidden tests run here when your work is graded; they are not shown)"


@dataclass
class Job:
    """One submitted notebook to execute."""

    assignment: str
    student: str
    notebook: str
    source: Path  # the checked copy of the submission
    target: Path  # where the executed notebook goes
    files: Path  # the checked submission folder, copied into the kernel's working folder
    notes: list[str] = field(default_factory=list)  # what the check found, e.g. a renamed file


@dataclass
class Outcome:
    """What happened to one submitted notebook, for the log and the report."""

    assignment: str
    student: str
    notebook: str
    graded: bool
    reasons: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def line(self) -> str:
        status = "graded" if self.graded else "NOT GRADED"
        detail = "; ".join(self.reasons) if self.reasons else "ok"
        return f"{self.assignment} {self.student} {self.notebook}.ipynb: {status} ({detail})"


@dataclass(frozen=True)
class Settings:
    """How to execute submissions."""

    mode: str = "workdir"
    cell_timeout: int = 120
    notebook_timeout: int = DEFAULT_NOTEBOOK_TIMEOUT
    max_output: int = DEFAULT_MAX_OUTPUT
    memory: int | None = 6 * 1024**3


# --------------------------------------------------------------------------- configuration

def course_config(root: Path) -> Config:
    """The course's ``nbgrader_config.py`` as a traitlets Config."""
    return PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()


def db_url(root: Path) -> str:
    return str(course_config(root).CourseDirectory.db_url)


# --------------------------------------------------------------------------- feedback

class HideHiddenTests(ClearHiddenTests):
    """Feedback preprocessor: show each test's outcome, never a hidden test's text.

    A test cell with a hidden region loses the region's lines (a note says where they
    were), and its outputs are cut down to the error's name and message, because an
    IPython traceback quotes the lines around the one that failed.
    """

    enforce_metadata = False

    def preprocess_cell(self, cell, resources, cell_index):
        if cell.cell_type != "code" or not self._remove_hidden_test_region(cell):
            return cell, resources
        cell.source = cell.source.rstrip() + "\n" + HIDDEN_NOTE
        kept = []
        for output in cell.outputs:
            if output.output_type == "error":
                message = output.evalue or "a hidden test failed"
                kept.append(nbformat.v4.new_output(
                    "error", ename=output.ename, evalue=output.evalue,
                    traceback=[f"{output.ename}: {message}"]))
        cell.outputs = kept
        return cell, resources


# --------------------------------------------------------------------------- execution

def _error(ename: str, evalue: str) -> NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class GradingExecute(Execute):
    """nbgrader's ``Execute`` with the guards a real cohort needs.

    - a cell over ``timeout`` is interrupted (nbgrader's default); one that ignores the
      interrupt is stopped with its kernel, and the cells after it are marked as not run;
    - the notebook as a whole has ``notebook_timeout`` seconds;
    - a kernel that dies (``exit()``, ``os._exit``, out of memory) marks the cells after it
      as not run instead of failing the submission;
    - each cell keeps at most ``max_output`` characters of output;
    - the integrity probe runs before the first cell and after the last; if the tests'
      tools were tampered with, every test cell gets an error, so it scores 0.
    """

    notebook_timeout = Integer(DEFAULT_NOTEBOOK_TIMEOUT).tag(config=True)
    max_output = Integer(DEFAULT_MAX_OUTPUT).tag(config=True)
    probe_timeout = Float(60.0).tag(config=True)
    bindings = Dict().tag(config=True)
    test_names = List(Unicode()).tag(config=True)

    def preprocess(self, nb, resources=None, km=None):
        self._deadline = monotonic() + self.notebook_timeout
        self._stopped: str | None = None
        self._sizes: dict[int, int] = {}
        self._before: dict | None = None
        self.problems: list[str] = []
        self.tampering: list[str] = []
        nb, resources = super().preprocess(nb, resources, km)
        if self.tampering:
            for cell in nb.cells:
                if nbgrader_utils.is_grade(cell) and cell.cell_type == "code":
                    cell.outputs.append(_error(
                        "GradingIntegrityError",
                        "this notebook changed code the tests rely on ("
                        + "; ".join(self.tampering[:3])
                        + "), so this test's result cannot be trusted and scores 0 until "
                        "your instructor reviews it"))
        return nb, resources

    def preprocess_cell(self, cell, resources, index):
        if index == 0 and self.kc is not None:
            self._before = self._probe()
            if self._before is None:
                self.problems.append("the integrity check could not run before the first cell")
        cell, resources = super().preprocess_cell(cell, resources, index)
        if index == len(self.nb.cells) - 1 and self._stopped is None and self._before:
            after = self._probe()
            if after is None:
                self.tampering = ["the integrity check could not run after the last cell"]
            else:
                self.tampering = integrity.tampering(self._before, after)
        return cell, resources

    def _probe(self) -> dict | None:
        """Run the integrity probe in the kernel; its JSON answer, or None."""
        code = integrity.probe_code(dict(self.bindings), self.test_names)
        return self._run_hidden(code)

    def _run_hidden(self, code: str) -> dict | None:
        async def run() -> str:
            msg_id = self.kc.execute(code, store_history=False, allow_stdin=False)
            texts: list[str] = []
            deadline = monotonic() + self.probe_timeout
            while True:
                msg = await self.kc.iopub_channel.get_msg(timeout=max(0.1, deadline - monotonic()))
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "stream":
                    texts.append(msg["content"]["text"])
                elif msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    await self.kc.shell_channel.get_msg(timeout=self.probe_timeout)
                    return "".join(texts)

        try:
            text = run_sync(run)()
            return json.loads(text.strip().splitlines()[-1])
        except Exception:  # a kernel the learner broke cannot answer: that is the finding
            return None

    async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
        runnable = cell.cell_type == "code" and cell.source.strip()
        if runnable and self._stopped is None and monotonic() > self._deadline:
            self._stopped = (f"the notebook ran past its {self.notebook_timeout} s limit "
                             "before this cell; the rest was not run")
            self.problems.append(f"notebook time limit ({self.notebook_timeout} s) reached")
        if runnable and self._stopped is not None:
            cell.outputs = [_error("NotRun", self._stopped)]
            return cell
        try:
            return await super().async_execute_cell(cell, cell_index, execution_count, store_history)
        except DeadKernelError:
            self._stopped = ("the Python kernel stopped during an earlier cell (its code exited, "
                             "crashed or ran out of memory), so this cell was not run")
            self.problems.append(f"kernel stopped in cell {cell_index}")
            cell.outputs.append(_error(
                "KernelDied", "the Python kernel stopped while running this cell (the code "
                "exited, crashed or ran out of memory); the cells after it were not run"))
            return cell
        except CellTimeoutError:
            # The cell ignored the interrupt: nothing but stopping the kernel will end it.
            await self._kill_kernel()
            self._stopped = ("an earlier cell would not stop at its time limit, so the kernel "
                             "was stopped and this cell was not run")
            self.problems.append(f"cell {cell_index} ignored its interrupt; kernel stopped")
            cell.outputs.append(_error(
                "CellTimeoutError", f"this cell ran past its {self.timeout} s limit and did not "
                "stop when interrupted; the kernel was stopped and the cells after it were not run"))
            return cell

    # nbclient binds the synchronous wrapper to its own coroutine; bind it to ours.
    execute_cell = run_sync(async_execute_cell)

    async def _kill_kernel(self) -> None:
        with contextlib.suppress(Exception):
            await self.km.shutdown_kernel(now=True)

    def on_cell_executed(self, **kwargs):
        super().on_cell_executed(**kwargs)
        cell = kwargs["cell"]
        if any(o.output_type == "error" and o.ename == "CellTimeoutError" for o in cell.outputs):
            self.problems.append(f"cell {kwargs['cell_index']} stopped at the {self.timeout} s limit")

    def output(self, outs, msg, display_id, cell_index):
        content = msg["content"]
        size = len(content.get("text", "")) + sum(len(str(v)) for v in content.get("data", {}).values())
        used = self._sizes.get(cell_index, 0)
        if used + size > self.max_output:
            if used <= self.max_output:
                self._sizes[cell_index] = self.max_output + 1
                self.problems.append(f"cell {cell_index} output cut at {self.max_output:,} characters")
                outs.append(nbformat.v4.new_output(
                    "stream", name="stderr",
                    text=f"\n[output cut here: this cell printed more than {self.max_output:,} "
                         "characters; the rest was not kept]\n"))
            return None
        self._sizes[cell_index] = used + size
        return super().output(outs, msg, display_id, cell_index)


def stop_kernel(km) -> None:
    """Stop a kernel at once and release its sockets; a kernel already gone is fine."""
    async def stop() -> None:
        with contextlib.suppress(Exception):
            if await km.is_alive():
                await km.shutdown_kernel(now=True)

    run_sync(stop)()


def _sanitize_preprocessors():
    from nbgrader.preprocessors import (CheckCellMetadata, ClearOutput, DeduplicateIds,
                                        OverwriteCells, OverwriteKernelspec)

    return [ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata]


def execute(job: Job, settings: Settings, root: Path, bindings: dict[str, str],
            test_names: list[str]) -> Outcome:
    """Sanitize and execute one notebook the way ``nbgrader autograde`` does, in the sandbox."""
    started = monotonic()
    outcome = Outcome(job.assignment, job.student, job.notebook, graded=True)
    config = course_config(root)
    nb = nbformat.read(job.source, as_version=4)
    # The kernel's working folder exists only while this notebook runs and holds a copy of
    # this one submission: nothing of the course, nothing of other learners.
    with tempfile.TemporaryDirectory(prefix="cg-", ignore_cleanup_errors=True) as sockets, \
            tempfile.TemporaryDirectory(prefix="customering-work-", ignore_cleanup_errors=True) as workdir:
        _copy_submission(job.files, Path(workdir), {})
        resources = {
            "nbgrader": {"db_url": str(config.CourseDirectory.db_url), "assignment": job.assignment,
                         "notebook": job.notebook, "student": job.student},
            "metadata": {"path": workdir},
        }
        for preprocessor in _sanitize_preprocessors():
            nb, resources = preprocessor(config=config).preprocess(nb, resources)
        km = sandbox.SandboxedKernelManager(
            mode=settings.mode, workdir=workdir, socket_dir=sockets,
            readable=[str(p) for p in sandbox.readable_paths([sandbox.PACKAGE_DIR.parent / "datasets"])],
            caps={"memory": settings.memory, "file_size": sandbox.Limits().file_size},
            kernel_name=nb.metadata.get("kernelspec", {}).get("name", "python3"))
        executor = GradingExecute(
            config=config, timeout=settings.cell_timeout, notebook_timeout=settings.notebook_timeout,
            max_output=settings.max_output, bindings=bindings, test_names=test_names,
            error_on_timeout={"ename": "CellTimeoutError",
                              "evalue": f"this cell ran past its {settings.cell_timeout} s limit and was stopped",
                              "traceback": [f"CellTimeoutError: this cell ran past its "
                                            f"{settings.cell_timeout} s limit and was stopped"]})
        try:
            with nbgrader_utils.setenv(NBGRADER_EXECUTION="autograde"):
                nb, resources = executor.preprocess(nb, resources, km=km)
        except Exception as error:
            # A kernel that cannot start says why on its stderr, which the sandbox keeps.
            stderr = Path(sockets) / "kernel-stderr.txt"
            tail = stderr.read_text(errors="replace").strip().splitlines()[-3:] if stderr.exists() else []
            raise RuntimeError(f"{type(error).__name__}: {error}" + (f" (kernel: {' | '.join(tail)})" if tail else "")) from error
        finally:
            # nbclient stops only the kernels it started itself, and this one it was given.
            stop_kernel(km)
    outcome.reasons = executor.problems + [f"integrity: {t}" for t in executor.tampering]
    job.target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, job.target)
    outcome.seconds = monotonic() - started
    return outcome


# --------------------------------------------------------------------------- worker pool

@dataclass
class Task:
    """A call for a worker: ``function(*args)``; ``function`` must be importable by name."""

    function: Callable
    args: tuple
    label: str


def execute_task(job: Job, settings: Settings, root: Path, bindings: dict[str, str],
                 test_names: list[str]) -> Outcome:
    """:func:`execute`, with any failure of the grader itself turned into an outcome."""
    try:
        return execute(job, settings, root, bindings, test_names)
    except Exception as error:
        detail = traceback.format_exception_only(type(error), error)[-1].strip()
        return Outcome(job.assignment, job.student, job.notebook, graded=False,
                       reasons=[f"could not be executed: {detail}"])


def _worker(tasks, results) -> None:
    """A grading worker: runs tasks until it gets ``None``."""
    logging.getLogger("traitlets").setLevel(logging.CRITICAL)
    while True:
        item = tasks.get()
        if item is None:
            return
        number, task = item
        results.put(("start", os.getpid(), number))
        try:
            result = task.function(*task.args)
        except Exception as error:
            result = error
        results.put(("done", os.getpid(), (number, result)))


class Pool:
    """Worker processes for grading, kept for the whole run (they start in about a second).

    Unlike ``concurrent.futures``, a worker that dies (a learner's code cannot kill it from
    the sandbox, but it can in ``workdir`` mode) loses only the task it was running, which
    is reported, and is replaced; the other tasks go on.
    """

    def __init__(self, workers: int):
        self.context = multiprocessing.get_context("spawn")
        self.tasks, self.results = self.context.Queue(), self.context.Queue()
        self.size = max(1, workers)
        self.processes: list = []

    def _start(self) -> None:
        process = self.context.Process(target=_worker, args=(self.tasks, self.results), daemon=True)
        process.start()
        self.processes.append(process)

    def run(self, tasks: list[Task], lost: Callable[[Task], object], description: str,
            progress: bool = True) -> list:
        """Run ``tasks``; their results in order. ``lost(task)`` stands in for a task whose worker died."""
        from tqdm import tqdm

        while len(self.processes) < min(self.size, len(tasks)):
            self._start()
        for number, task in enumerate(tasks):
            self.tasks.put((number, task))
        results: dict[int, object] = {}
        running: dict[int, int] = {}
        bar = tqdm(total=len(tasks), unit="notebook", disable=not progress, dynamic_ncols=True,
                   desc=description, file=sys.stderr, smoothing=0.1)
        while len(results) < len(tasks):
            try:
                kind, pid, item = self.results.get(timeout=1.0)
            except queue.Empty:
                for process in [p for p in self.processes if not p.is_alive()]:
                    self.processes.remove(process)
                    number = running.pop(process.pid, None)
                    if number is not None:
                        results[number] = lost(tasks[number])
                        bar.update(1)
                    if len(results) < len(tasks):
                        self._start()
                continue
            if kind == "start":
                running[pid] = item
            else:
                number, result = item
                running.pop(pid, None)
                results[number] = result
                bar.update(1)
                bar.set_postfix_str(tasks[number].label, refresh=False)
        bar.close()
        return [results[number] for number in range(len(tasks))]

    def close(self) -> None:
        for _ in self.processes:
            self.tasks.put(None)
        for process in self.processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()


# --------------------------------------------------------------------------- checking submissions

def _notebook_problem(path: Path) -> str | None:
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


# --------------------------------------------------------------------------- the whole run

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


def assignment_notebooks(root: Path, assignment: str) -> dict[str, set[str]]:
    """Notebook name -> its grade ids, from the gradebook (what ``generate_assignment`` saved)."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url(root)) as gb:
        found = gb.find_assignment(assignment)
        return {nb.name: {c.name for c in nb.grade_cells} | {c.name for c in nb.source_cells}
                for nb in found.notebooks}


def grading_context(root: Path, assignment: str) -> tuple[dict[str, str], list[str]]:
    """The imports the tests rely on, and the names the test cells read (for the integrity check)."""
    sources, tests = [], []
    for path in sorted((root / "modules" / assignment).glob("assignment-*.ipynb")):
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


def _copy_submission(folder: Path, destination: Path, renamed: dict[Path, str]) -> None:
    shutil.copytree(folder, destination, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
    for original, name in renamed.items():
        (destination / original.name).replace(destination / f"{name}.ipynb")


def grade_cohort(root: Path, assignments: list[str] | None = None, workers: int | None = None,
                 sandbox_mode: str = "auto", cell_timeout: int | None = None,
                 notebook_timeout: int = DEFAULT_NOTEBOOK_TIMEOUT, progress: bool = True,
                 echo=print) -> Report:
    """Autograde every submission of ``assignments`` (default: all submitted), then feedback and grades.

    Returns a :class:`Report`; the grading log is also written to ``grades/grading-log.txt``.
    """
    from customering_utils import course, reports

    started = monotonic()
    root = Path(root).resolve()
    mode, why = sandbox.choose_mode(sandbox_mode)
    config = course_config(root)
    settings = Settings(mode=mode, notebook_timeout=notebook_timeout,
                        cell_timeout=cell_timeout or int(config.ExecutePreprocessor.get("timeout", 120)))
    workers = workers or os.cpu_count() or 1
    echo(f"sandbox: {mode} ({why})")
    found = course.submissions(root)
    assignments = sorted(found) if assignments is None else assignments
    unknown = [a for a in assignments if a not in course.modules(root)]
    if unknown:
        raise ValueError(f"no assignment {', '.join(unknown)} in modules/; "
                         f"the assignments are {', '.join(course.modules(root))}")

    outcomes: list[Outcome] = []
    staging = Path(tempfile.mkdtemp(prefix="customering-grading-"))
    pool: Pool | None = None
    try:
        jobs, failed, contexts = [], [], {}
        for assignment in assignments:
            notebooks = assignment_notebooks(root, assignment)
            contexts[assignment] = grading_context(root, assignment)
            for student in found.get(assignment, []):
                folder = root / "submitted" / student / assignment
                renamed, notes, good = {}, {}, []
                for name, grade_ids in notebooks.items():
                    path, note = find_notebook(folder, name, grade_ids)
                    problem = note if path is None else _notebook_problem(path)
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
                _copy_submission(folder, checked, renamed)
                for name in notebooks:
                    if name not in good:
                        (checked / f"{name}.ipynb").unlink(missing_ok=True)
                os.chmod(staging, 0o700)
                for name in good:
                    jobs.append(Job(assignment, student, name, checked / f"{name}.ipynb",
                                    staging / "executed" / student / assignment / f"{name}.ipynb",
                                    checked, notes[name]))
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
            problems = pool.run([Task(feedback, (root, assignment, s), s) for s in students],
                                lambda task: "its process was killed", "feedback", progress)
            for student, problem in zip(students, problems):
                if problem is not None:
                    echo(f"{assignment} {student}: feedback failed: {problem}")
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


def refresh_feedback(root: Path, assignments: list[str] | None = None, workers: int | None = None,
                     progress: bool = True, echo=print) -> list[Path]:
    """Feedback, ``grades/grades.csv`` and item analysis again, without executing anything.

    For after manual grading in the Formgrader: the new scores and comments reach the
    feedback pages and the export in seconds. Returns the files written.
    """
    from customering_utils import reports

    root = Path(root).resolve()
    graded = {p.name for p in (root / "autograded").glob("*/*") if p.is_dir()}
    assignments = sorted(graded) if assignments is None else assignments
    pool = Pool(workers or os.cpu_count() or 1)
    try:
        for assignment in assignments:
            students = sorted(p.parent.name for p in (root / "autograded").glob(f"*/{assignment}"))
            problems = pool.run([Task(feedback, (root, assignment, s), s) for s in students],
                                lambda task: "its process was killed", f"feedback {assignment}", progress)
            for student, problem in zip(students, problems):
                if problem is not None:
                    echo(f"{assignment} {student}: feedback failed: {problem}")
    finally:
        pool.close()
    written = [reports.export_grades(root, root / "grades" / "grades.csv")]
    for assignment in assignments:
        written += reports.item_analysis(root, assignment, root / "grades")
    return written


def score(root: Path, assignment: str, executed: Path) -> None:
    """``nbgrader autograde`` of the executed notebooks, without executing them again."""
    from nbconvert.preprocessors import ClearMetadataPreprocessor
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory
    from nbgrader.preprocessors import AssignLatePenalties, IgnorePattern, LimitOutput, SaveAutoGrades

    if not (executed / "").exists() or not any(executed.glob(f"*/{assignment}")):
        return
    config = course_config(root)
    config.CourseDirectory.submitted_directory = str(executed)
    # The workers already ran nbgrader's sanitizing preprocessors before executing.
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
    with _quiet(app), warnings.catch_warnings():
        # nbgrader's gradebook code trips SQLAlchemy's autoflush warnings; they are harmless.
        warnings.simplefilter("ignore", category=Warning)
        app.start()


@contextlib.contextmanager
def _quiet(app) -> Iterator[None]:
    """nbgrader logs every file it copies; keep warnings and errors only."""
    level = app.log.level
    app.log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        app.log.setLevel(level)


def record_failures(root: Path, failed: list[Outcome]) -> None:
    """Give a notebook that could not be graded zero on every cell, as nbgrader does for a missing one."""
    from nbgrader.api import Gradebook

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


def feedback(root: Path, assignment: str, student: str = "*") -> str | None:
    """``nbgrader generate_feedback`` for one learner's autograded submission (or all: ``*``).

    Returns None, or what went wrong.
    """
    from nbgrader.converters import GenerateFeedback
    from nbgrader.coursedir import CourseDirectory

    config = course_config(root)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    coursedir.student_id = student
    app = GenerateFeedback(coursedir=coursedir, config=config)
    app.force = True
    try:
        with _quiet(app):
            app.start()
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def write_failure_feedback(root: Path, failed: list[Outcome]) -> None:
    """A feedback page for each notebook that could not be graded, saying why and what to do."""
    for outcome in failed:
        page = root / "feedback" / outcome.student / outcome.assignment / f"{outcome.notebook}.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        reasons = "".join(f"<li>{html.escape(r)}</li>" for r in outcome.reasons)
        page.write_text(
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(outcome.notebook)}: not graded</title></head><body>\n"
            f"<h1>{html.escape(outcome.assignment)} / {html.escape(outcome.notebook)}.ipynb: "
            "not graded</h1>\n"
            f"<p>Your submission could not be graded, so it scores 0 for now:</p><ul>{reasons}</ul>\n"
            "<p>What to do: open the notebook in JupyterLab and check that it opens and runs "
            f"from top to bottom (<em>Kernel, Restart Kernel and Run All Cells</em>); keep its name "
            f"<code>{html.escape(outcome.notebook)}.ipynb</code>; then submit it again or send it to "
            "your instructor.</p>\n</body></html>\n", encoding="utf-8")


def write_log(path: Path, report: Report) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"sandbox: {report.mode} ({report.mode_reason})",
             f"{len(report.outcomes)} notebook(s), {len(report.failed)} not graded, "
             f"{report.seconds:.1f} s", ""]
    lines += [o.line() for o in report.outcomes]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
