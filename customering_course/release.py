"""Releasing the course to learners, and a learner's own copy of it.

- :func:`release`: ``nbgrader generate_assignment`` for every module folder, then the
  module's lesson notebooks copied into the release unchanged (nbgrader copies every
  other file, but leaves out notebooks that are not assignments).
- :func:`workspace`: a learner's own copy of the released course in ``workspace/``, with
  the JupyterLab settings a learner needs in ``workspace/.jupyter``. Files already there
  are never touched, so a learner's edits (and settings) survive every run.
"""

from __future__ import annotations

import json
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


#: The learner's JupyterLab, through its own configuration (``make lab`` points
#: JUPYTER_CONFIG_DIR and JUPYTERLAB_SETTINGS_DIR at ``workspace/.jupyter``): nbgrader's
#: instructor panels off (creating assignments, the Formgrader, course and assignment lists
#: that need an exchange), its Validate button and menu kept; no news pop-up, no update check;
#: every cell of a lesson kept on the page once drawn, so a widget scrolled past keeps its state.
LEARNER_LAB_FILES: dict[str, dict] = {
    "jupyter_server_config.json": {"ServerApp": {"jpserver_extensions": {
        "nbgrader.server_extensions.formgrader": False,
        "nbgrader.server_extensions.course_list": False,
        "nbgrader.server_extensions.assignment_list": False,
        "nbgrader.server_extensions.validate_assignment": True,
    }}},
    "labconfig/page_config.json": {"disabledExtensions": {
        "@jupyter/nbgrader:create-assignment": True,
        "@jupyter/nbgrader:formgrader": True,
        "@jupyter/nbgrader:course-list": True,
        "@jupyter/nbgrader:assignment-list": True,
    }},
    "lab/user-settings/@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "fetchNews": "false", "checkForUpdates": False,
    },
    "lab/user-settings/@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "defer"},
}


def learner_lab_settings(folder: Path) -> list[Path]:
    """Write the learner's JupyterLab configuration into ``folder`` (``workspace/.jupyter``).

    Files already there are left alone, so a learner's own settings survive. Returns the
    files written.
    """
    written = []
    for name, content in LEARNER_LAB_FILES.items():
        path = Path(folder) / name
        if path.exists():
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


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
    added += learner_lab_settings(target / ".jupyter")
    return added, kept
