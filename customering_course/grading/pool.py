"""Worker processes for grading, kept for the whole run.

Unlike ``concurrent.futures``, a worker that dies (a learner's code cannot kill it from the
sandbox, but it can in ``workdir`` mode) loses only the task it was running, which is
reported, and is replaced; the other tasks go on.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import sys
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Task:
    """A call for a worker: ``function(*args)``; ``function`` must be importable by name."""

    function: Callable
    args: tuple
    label: str


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
    """Worker processes for grading, kept for the whole run (they start in about a second)."""

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


