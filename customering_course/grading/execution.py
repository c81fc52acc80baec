"""Executing one submission the way ``nbgrader autograde`` does, in the sandbox, with guards.

:func:`execute` runs on a grading worker (:mod:`~customering_course.grading.cluster`). It
runs nbgrader's own sanitizing preprocessors (so edited and deleted test cells come back
from the source, and hidden tests are added) against a :func:`reference_gradebook` that
holds the assignments' cells and no learner; then :class:`GradingExecute`, nbgrader's
``Execute`` with a time limit per cell and per notebook, a cap on output, and the
integrity check of :mod:`customering_course.integrity`, in a kernel that the worker's
zygote forks for this submission alone, in the sandbox of :mod:`customering_course.sandbox`
(:mod:`~customering_course.grading.forked_kernels`). It gets the submission and the course's configuration
as data and returns the executed notebook as text, so it needs no file of the course.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import sqlite3
import tempfile
import traceback
from pathlib import Path
from time import monotonic

import nbformat
from jupyter_core.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader import utils as nbgrader_utils
from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    Execute,
    OverwriteCells,
    OverwriteKernelspec,
)
from traitlets import Dict, Float, Integer, List, Unicode
from traitlets.config import Config

from customering_course import integrity, sandbox
from customering_course.grading.forked_kernels import ForkedKernelManager, worker_zygote
from customering_course.grading.records import DEFAULT_MAX_OUTPUT, DEFAULT_NOTEBOOK_TIMEOUT, Outcome, Settings, Submission
from customering_course.layout import db_url

#: What ``nbgrader autograde`` runs over a submission before executing it.
SANITIZE = (ClearOutput, DeduplicateIds, OverwriteKernelspec, OverwriteCells, CheckCellMetadata)


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

#: The tables of a gradebook that hold learners' work; a reference gradebook has none of it.
LEARNER_TABLES = ("comment", "grade", "submitted_notebook", "submitted_assignment", "student")


def reference_gradebook(root: Path) -> bytes:
    """The course's gradebook without a learner in it: the assignments, their notebooks and cells.

    It is what nbgrader's sanitizing preprocessors read to restore a test cell a learner
    edited or deleted, so a worker can sanitize with it and never sees anyone's grades."""
    url = db_url(root)
    if not url.startswith("sqlite:///"):
        raise ValueError(f"c.CourseDirectory.db_url is {url!r}; grading expects the gradebook in an SQLite "
                         "file (sqlite:///path/to/gradebook.db), as nbgrader_config.py sets it")
    with tempfile.TemporaryDirectory(prefix="customering-reference-") as folder:
        copy = Path(folder) / "reference.db"
        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as source, \
                contextlib.closing(sqlite3.connect(copy)) as target:
            source.backup(target)
            for table in LEARNER_TABLES:
                target.execute(f"DELETE FROM {table}")  # noqa: S608 - the names are constants
            target.commit()
            target.execute("VACUUM")
        return copy.read_bytes()


_references: dict[str, Path] = {}


def _reference_url(reference: bytes) -> str:
    """A database URL for ``reference``, written once per worker process and deleted when it ends."""
    digest = hashlib.sha256(reference).hexdigest()[:16]
    if digest not in _references:
        handle, name = tempfile.mkstemp(prefix=f"customering-reference-{digest}-", suffix=".db")
        with os.fdopen(handle, "wb") as file:
            file.write(reference)
        _references[digest] = Path(name)
        atexit.register(Path(name).unlink, missing_ok=True)
    return f"sqlite:///{_references[digest]}"


def execute(submission: Submission, settings: Settings, config: Config, reference: bytes,
            bindings: dict[str, str], test_names: list[str]) -> tuple[Outcome, str]:
    """Sanitize and execute one notebook the way ``nbgrader autograde`` does, in the sandbox.

    ``config`` is the course's nbgrader configuration and ``reference`` its
    :func:`reference_gradebook`. Returns the outcome and the executed notebook (JSON text)."""
    started = monotonic()
    outcome = Outcome(submission.assignment, submission.student, submission.notebook, graded=True)
    nb = nbformat.reads(submission.files[f"{submission.notebook}.ipynb"].decode("utf-8"), as_version=4)
    # The kernel's working folder holds a copy of this one submission while it runs, and
    # nothing of it afterwards: nothing of the course, nothing of other learners.
    zygote = worker_zygote(settings.mode, {"memory": settings.memory, "file_size": sandbox.Limits().file_size},
                           integrity.watched_modules())
    with zygote.kernel_folders(submission.files) as folders:
        resources = {
            "nbgrader": {"db_url": _reference_url(reference), "assignment": submission.assignment,
                         "notebook": submission.notebook, "student": submission.student},
            "metadata": {"path": str(folders.workdir)},
        }
        for preprocessor in SANITIZE:
            nb, resources = preprocessor(config=config).preprocess(nb, resources)
        km = ForkedKernelManager(zygote, folders,
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
            stderr = folders.sockets / "kernel-stderr.txt"
            tail = stderr.read_text(errors="replace").strip().splitlines()[-3:] if stderr.exists() else []
            raise RuntimeError(f"{type(error).__name__}: {error}" + (f" (kernel: {' | '.join(tail)})" if tail else "")) from error
        finally:
            # nbclient stops only the kernels it started itself, and this one it was given.
            stop_kernel(km)
    outcome.reasons = executor.problems + [f"integrity: {t}" for t in executor.tampering]
    outcome.seconds = monotonic() - started
    return outcome, nbformat.writes(nb)


def execute_task(submission: Submission, settings: Settings, config: Config, reference: bytes,
                 bindings: dict[str, str], test_names: list[str]) -> tuple[Outcome, str | None]:
    """:func:`execute`, with any failure of the grader itself turned into an outcome (and no notebook)."""
    try:
        return execute(submission, settings, config, reference, bindings, test_names)
    except Exception as error:
        detail = traceback.format_exception_only(type(error), error)[-1].strip()
        return Outcome(submission.assignment, submission.student, submission.notebook, graded=False,
                       reasons=[f"could not be executed: {detail}"]), None
