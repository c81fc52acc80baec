"""Where submissions execute: Dask workers, on this machine or on a cluster.

By default :func:`grading_client` starts a ``LocalCluster`` of one single-threaded worker
process per core; given a scheduler's address (``make grade ARGS="--scheduler
tcp://host:8786"``) it uses that cluster's workers instead. Either way a worker only
executes: it receives a submission's notebook and files as data and returns the executed
notebook as data, so it needs the course's package at the same version, and neither the
course folder nor the gradebook; only the main process reads and writes those.

A worker that dies while it runs a submission (killed, out of memory) costs that
submission one attempt: Dask runs it again on another worker, and if that worker dies
too, the submission is recorded as not graded, with the reason. The local cluster is
started with :data:`SCHEDULER_SETTINGS`; start a scheduler of your own with the same
settings (the instructor guide shows how).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass

#: The scheduler's settings for grading. A submission may be on a worker that dies once,
#: so it is tried on a second worker and no more; and a worker holds one submission at a
#: time (the rest wait at the scheduler), so a worker's death counts against only the
#: submission it was running, not against others queued behind it.
SCHEDULER_SETTINGS = {"distributed.scheduler.allowed-failures": 1,
                      "distributed.scheduler.worker-saturation": 1.0}


@dataclass
class Call:
    """``function(*args)`` for a worker; ``function`` must be importable by name there."""

    function: Callable
    args: tuple
    label: str


@contextlib.contextmanager
def grading_client(workers: int, scheduler: str | None = None) -> Iterator:
    """A ``distributed.Client``: on a new local cluster of ``workers`` processes, or on ``scheduler``."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler, timeout="30s") as client:
            client.run(_quiet_worker)
            yield client
        return
    with dask.config.set(SCHEDULER_SETTINGS), \
            LocalCluster(n_workers=max(1, workers), threads_per_worker=1, processes=True,
                         dashboard_address=None, memory_limit=0, silence_logs=logging.ERROR) as cluster, \
            Client(cluster) as client:
        client.run(_quiet_worker)
        yield client


def _quiet_worker() -> None:
    """A worker's own logs stay out of the instructor's terminal; the grading log says what happened."""
    logging.getLogger("traitlets").setLevel(logging.CRITICAL)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")


def run_calls(client, calls: list[Call], lost: Callable[[Call, BaseException], object], description: str,
              progress: bool = True) -> list:
    """Run ``calls`` on the client's workers; their results, in order.

    ``lost(call, error)`` stands in for a call that did not return: its workers died (Dask's
    ``KilledWorker``) or it raised.
    """
    from distributed import as_completed
    from tqdm import tqdm

    futures = [client.submit(call.function, *call.args, key=f"{description}-{number}-{call.label}", pure=False)
               for number, call in enumerate(calls)]
    number_of = {future.key: number for number, future in enumerate(futures)}
    results: dict[int, object] = {}
    with tqdm(total=len(calls), unit="notebook", disable=not progress, dynamic_ncols=True, desc=description,
              file=sys.stderr, smoothing=0.1) as bar:
        for future in as_completed(futures):
            number = number_of[future.key]
            try:
                results[number] = future.result()
            except Exception as error:
                results[number] = lost(calls[number], error)
            future.release()
            bar.update(1)
            bar.set_postfix_str(calls[number].label, refresh=False)
    return [results[number] for number in range(len(calls))]
