"""Releasing the course to learners, and a learner's own copy of it.

- :func:`release`: ``nbgrader generate_assignment`` for every module folder, then the
  module's lesson notebooks copied into the release unchanged (nbgrader copies every
  other file, but leaves out notebooks that are not assignments).
- :func:`workspace`: a learner's own copy of the released course in ``workspace/``. Files
  already there are never touched, so a learner's edits survive every run.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from customering_course.layout import ROOT, lessons, modules, nbgrader


def release(root: Path = ROOT) -> list[Path]:
    """Generate the released version of every module; return the release folders."""
    folders = []
    for module in modules(root):
        nbgrader("generate_assignment", module, "--force", root=root)
        target = Path(root) / "release" / module
        for lesson in lessons(module, root):
            shutil.copy2(lesson, target / lesson.name)
        folders.append(target)
    return folders


def workspace(root: Path = ROOT, target: Path | None = None) -> tuple[list[Path], list[Path]]:
    """Copy the released course into ``workspace/`` without touching anything already there.

    Returns (files added, files kept as they were). A learner's edited notebook is a
    file already there, so it is kept byte for byte.
    """
    source = Path(root) / "release"
    if not source.is_dir():
        raise FileNotFoundError(f"{source}: no released course yet; run 'make release' first")
    target = Path(root) / "workspace" if target is None else target
    added, kept = [], []
    for path in sorted(source.rglob("*")):
        if path.is_dir() or ".ipynb_checkpoints" in path.parts:
            continue
        destination = target / path.relative_to(source)
        if destination.exists():
            kept.append(destination)
            continue
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, destination)
        added.append(destination)
    return added, kept
