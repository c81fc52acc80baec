"""For the course's authors: lessons executed in place, as they are committed.

Lessons are committed executed, and ``make test`` checks with nbval that their stored
outputs are exactly what their code prints. After changing a lesson (or the package code
it calls), run it again from a fresh kernel, top to bottom, with nbclient, keeping the
widgets' state so the site and JupyterLab can draw them:
``python -m customering_course execute modules/01-individualization/01a-*.ipynb``.
"""

from __future__ import annotations

import os
from pathlib import Path
from time import monotonic

import nbformat
from nbclient import NotebookClient

from customering_course.layout import ROOT, lessons, modules


def all_lessons(root: Path = ROOT) -> list[Path]:
    """Every lesson notebook of the course, in course order."""
    return [path for module in modules(root) for path in lessons(module, root)]


def execute_lesson(path: Path, timeout: int = 600) -> float:
    """Run one lesson from a fresh kernel, top to bottom, and save it with its outputs; the seconds it took.

    Figures render as PNG at the same size every run (the lessons set it themselves) and
    matplotlib's backend is the notebook's own, as a learner's is.
    """
    path = Path(path).resolve()
    nb = nbformat.read(path, as_version=4)
    started = monotonic()
    # One BLAS thread, as in make test's kernels: two cores shared by two workers (and the
    # same order of floating-point sums every run).
    env = {"PYDEVD_DISABLE_FILE_VALIDATION": "1", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1"}
    previous = {name: os.environ.get(name) for name in env}
    os.environ.update(env)
    try:
        # No timing metadata: a re-run that prints the same outputs leaves the same file.
        NotebookClient(nb, timeout=timeout, kernel_name="python3", store_widget_state=True, record_timing=False,
                       resources={"metadata": {"path": str(path.parent)}}).execute()
    finally:
        for name, value in previous.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    seconds = monotonic() - started
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nbformat.write(nb, path)
    return seconds
