"""Where the course's files are, and the course as nbgrader sees it.

Every other module of the tooling reads the course's layout from here, and this module
imports nothing of the tooling, so the tooling's modules import one way only (an
import-linter contract in ``pyproject.toml`` checks it).

The course root holds ``nbgrader_config.py``, ``modules/<module>/`` (lessons and the
source assignment), and the generated folders ``release/``, ``submitted/``,
``autograded/``, ``feedback/``, ``grades/`` and ``workspace/``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader

#: The repository this tooling came with; every function takes another root for a copy.
ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENT_GLOB = "assignment-*.ipynb"
CONFIG_FILE = "nbgrader_config.py"


def modules(root: Path = ROOT) -> list[str]:
    """Names of the module folders that hold an assignment, in course order.

    >>> modules()[0]
    '00-orientation'
    """
    source = Path(root) / "modules"
    return sorted(p.name for p in source.iterdir() if p.is_dir() and any(p.glob(ASSIGNMENT_GLOB)))


def source_notebooks(module: str, root: Path = ROOT) -> list[Path]:
    """The nbgrader source notebook(s) of a module: its ``assignment-*.ipynb``.

    >>> [p.name for p in source_notebooks("00-orientation")]
    ['assignment-00.ipynb']
    """
    return sorted((Path(root) / "modules" / module).glob(ASSIGNMENT_GLOB))


def lessons(module: str, root: Path = ROOT) -> list[Path]:
    """The lesson notebooks of a module: every notebook that is not its assignment.

    >>> [p.name for p in lessons("00-orientation")][:1]
    ['00a-customering-and-the-asset.ipynb']
    """
    folder = Path(root) / "modules" / module
    return sorted(p for p in folder.glob("*.ipynb") if not p.match(ASSIGNMENT_GLOB))


def submissions(root: Path = ROOT) -> dict[str, list[str]]:
    """Assignment name -> the students who submitted it, from ``submitted/<student>/<assignment>/``."""
    found: dict[str, list[str]] = {}
    folder = Path(root) / "submitted"
    if not folder.is_dir():
        return found
    for student in sorted(p for p in folder.iterdir() if p.is_dir()):
        for assignment in sorted(p for p in student.iterdir() if p.is_dir()):
            found.setdefault(assignment.name, []).append(student.name)
    return found


def course_config(root: Path = ROOT) -> Config:
    """The course's ``nbgrader_config.py`` as a traitlets Config."""
    if not (Path(root) / CONFIG_FILE).is_file():
        raise FileNotFoundError(f"{Path(root) / CONFIG_FILE}: no nbgrader configuration; "
                                "expected the course root (the folder holding modules/)")
    return PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()


def db_url(root: Path = ROOT) -> str:
    """The gradebook's database URL, from the course's configuration."""
    return str(course_config(root).CourseDirectory.db_url)


def nbgrader(*args: str, root: Path = ROOT, check: bool = True) -> subprocess.CompletedProcess:
    """Run one nbgrader command in the course folder, with this environment's tools on PATH.

    nbgrader calls the ``alembic`` program of its own environment to set up the gradebook,
    so the environment's ``bin`` folder goes first on PATH.
    """
    env = dict(os.environ, PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}")
    return subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=root, env=env, check=check)


@contextlib.contextmanager
def quiet(app) -> Iterator[None]:
    """nbgrader's applications log every file they copy; keep warnings and errors only."""
    level = app.log.level
    app.log.setLevel(logging.WARNING)
    try:
        yield
    finally:
        app.log.setLevel(level)
