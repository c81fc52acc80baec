"""Grading on Dask: a worker killed mid-submission, and a cluster started by hand.

- On the local cluster ``make grade`` starts, a watcher kills the worker that is running
  one learner's submission, once; and the worker running another's, every time. The first
  learner is graded in full on the second try; the second is recorded as not graded, with
  the reason; every other learner's points are exactly right.
- A scheduler and two workers started with the ``dask scheduler`` / ``dask worker``
  commands, as the instructor guide shows, in a folder that holds nothing of the course:
  ``grade_cohort(..., scheduler=address)`` grades a small cohort on them with the same
  scores as the local run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pandas as pd
import psutil
import pytest

from customering_course import sandbox
from customering_course.grading.cohort import grade_cohort
from tests.course_copy import MODULE, NOTEBOOK, SOURCE, answered, make_course

pytestmark = pytest.mark.slow

TESTS = {c.metadata["nbgrader"]["grade_id"]: c.metadata["nbgrader"]["points"] for c in SOURCE.cells
         if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"}
AUTOGRADED = sum(points for grade_id, points in TESTS.items() if grade_id.endswith("-tests"))
#: A file in a submission that tells the watcher to kill the worker running it: once, or every time.
KILL_ONCE, KILL_ALWAYS = "kill-my-worker-once.txt", "kill-my-worker-always.txt"
#: Long enough for the watcher to see the kernel, short enough for the 10 s cell limit.
PAUSE = "import time\ntime.sleep(6)"


def _submit(root: Path, student: str, nb, extra_file: str | None = None) -> None:
    folder = root / "submitted" / student / MODULE
    folder.mkdir(parents=True)
    nbformat.write(nb, folder / f"{NOTEBOOK}.ipynb")
    if extra_file:
        (folder / extra_file).write_text("for the test's watcher")


def _paused(root: Path):
    nb = answered(root)
    nb.cells.insert(3, nbformat.v4.new_code_cell(PAUSE))
    return nb


def _cohort(folder: Path) -> Path:
    root = make_course(folder, cell_timeout=10)
    for student in ("steady-1", "steady-2", "steady-3"):
        _submit(root, student, answered(root))
    _submit(root, "wrong", answered(root, wrong=True))
    return root


class WorkerKiller:
    """Kills the worker process whose kernel works in a folder holding a kill file."""

    def __init__(self) -> None:
        self.killed: list[tuple[str, int]] = []
        self._seen: set[int] = set()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> WorkerKiller:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _watch(self) -> None:
        me = psutil.Process()
        while not self._stop.wait(0.1):
            for worker in me.children():  # the local cluster's workers are this process's children
                if worker.pid in {pid for _, pid in self.killed}:
                    continue  # already killed: its sandbox's processes may linger for a moment
                try:
                    descendants = worker.children(recursive=True)
                except psutil.Error:
                    continue
                for process in descendants:
                    if process.pid in self._seen:
                        continue
                    try:
                        # The kernel's working folder, as the kernel sees it, even inside bubblewrap.
                        files = set(os.listdir(f"/proc/{process.pid}/cwd"))
                    except OSError:
                        continue
                    once = KILL_ONCE in files and not any(kind == KILL_ONCE for kind, _ in self.killed)
                    if once or KILL_ALWAYS in files:
                        self._seen.add(process.pid)
                        self.killed.append((KILL_ONCE if once else KILL_ALWAYS, worker.pid))
                        os.kill(worker.pid, signal.SIGKILL)
                        break


def _points(root: Path) -> pd.DataFrame:
    grades = pd.read_csv(root / "grades" / "grades.csv")
    return grades[grades["assignment"] == MODULE].set_index("student_id")


def test_a_killed_worker_costs_one_attempt_and_a_twice_killed_submission_is_not_graded(tmp_path):
    root = _cohort(tmp_path / "course")
    _submit(root, "killed-once", _paused(root), KILL_ONCE)
    _submit(root, "killed-always", _paused(root), KILL_ALWAYS)
    with WorkerKiller() as killer:
        report = grade_cohort(root, workers=2, progress=False, echo=lambda *_: None)
    assert [kind for kind, _ in killer.killed].count(KILL_ONCE) == 1, killer.killed
    assert [kind for kind, _ in killer.killed].count(KILL_ALWAYS) == 2, \
        f"the twice-killed submission should have been tried on exactly two workers: {killer.killed}"
    points = _points(root)
    for student in ("steady-1", "steady-2", "steady-3", "killed-once"):
        assert points.loc[student, "score"] == AUTOGRADED, f"{student}: {points.loc[student].to_dict()}"
    assert points.loc["wrong", "score"] == 0
    outcome = {o.student: o for o in report.outcomes}
    assert outcome["killed-once"].graded
    lost = outcome["killed-always"]
    assert not lost.graded and points.loc["killed-always", "score"] == 0
    assert "worker died" in " ".join(lost.reasons), lost.reasons
    log = (root / "grades" / "grading-log.txt").read_text()
    assert "killed-always assignment-00.ipynb: NOT GRADED (its grading worker died" in log, log
    page = (root / "feedback" / "killed-always" / MODULE / f"{NOTEBOOK}.html").read_text()
    assert "worker died" in page
    assert not [p for p in psutil.Process().children(recursive=True) if "ipykernel" in " ".join(p.cmdline())], \
        "a kernel was left running"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def cluster(tmp_path):
    """A scheduler and a worker process with two single-threaded workers, started as the guide shows."""
    address = f"tcp://127.0.0.1:{_free_port()}"
    elsewhere = tmp_path / "worker-machine"  # nothing of the course in the workers' folder
    elsewhere.mkdir()
    env = dict(os.environ, DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES="1",
               DASK_DISTRIBUTED__SCHEDULER__WORKER_SATURATION="1.0",
               PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    dask = [str(Path(sys.executable).parent / "dask")]
    log = open(tmp_path / "cluster.log", "wb")  # noqa: SIM115 - closed below
    scheduler = subprocess.Popen([*dask, "scheduler", "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                                  "--no-dashboard"], cwd=elsewhere, env=env, stdout=log, stderr=log)
    workers = subprocess.Popen([*dask, "worker", address, "--nworkers", "2", "--nthreads", "1",
                                "--memory-limit", "0", "--no-dashboard"], cwd=elsewhere, env=env,
                               stdout=log, stderr=log)
    try:
        from distributed import Client

        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=120)
        yield address
    finally:
        for process in (workers, scheduler):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()


def test_a_cluster_started_by_hand_grades_as_the_local_one_does(tmp_path, cluster):
    root = _cohort(tmp_path / "course")
    messages: list[str] = []
    report = grade_cohort(root, progress=False, echo=messages.append, scheduler=cluster)
    assert f"on the cluster at {cluster}" in " ".join(messages), messages
    assert not report.failed, [o.line() for o in report.failed]
    points = _points(root)
    assert [points.loc[s, "score"] for s in ("steady-1", "steady-2", "steady-3", "wrong")] == \
        [AUTOGRADED] * 3 + [0]
    assert report.mode == sandbox.choose_mode()[0]
