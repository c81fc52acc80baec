"""Shared fixtures: the committed data world, loaded once per test session, and the release.

The suite runs on both cores (pytest-xdist, one file per worker): fixtures that write the
repository's own generated folders take a lock, so two workers never write them at once.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from customering_utils import datasets

# Figures are drawn off screen in tests, set before matplotlib is first imported, so no
# test or doctest has to switch the backend (learners copy doctests into notebooks).
os.environ.setdefault("MPLBACKEND", "Agg")
# One BLAS thread in every kernel nbval starts: the suite already runs one worker per core,
# and lessons are executed this way too (customering_course.authoring).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")


@pytest.fixture(scope="session")
def world() -> datasets.World:
    return datasets.load_world()


ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def released(testrun_uid: str) -> list[Path]:
    """The course released into release/ (a generated folder), as `make release` does.

    Once per test run, whichever worker gets there first; the others wait for it.
    """
    from customering_course import layout, release

    marker = ROOT / "release" / f".released-{testrun_uid}"
    with open(ROOT / ".release.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not marker.exists():
            for old in (ROOT / "release").glob(".released-*"):
                old.unlink()
            release.release()
            marker.touch()
    return [ROOT / "release" / module for module in layout.modules()]


def build_site(output: Path, *extra: str) -> Path:
    """Build the book into ``output`` as ``make book`` does (warnings are errors); its HTML folder."""
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    build = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--toc", str(ROOT / "book" / "_toc.yml"),
         "--path-output", str(output), "--warningiserror", "--nitpick", "--keep-going", *extra],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert build.returncode == 0, f"the book build failed or warned:\n{build.stdout[-4000:]}\n{build.stderr[-4000:]}"
    return output / "_build" / "html"


@pytest.fixture(scope="session")
def site(released, testrun_uid: str) -> Path:
    """The built site, once per test run whichever worker asks first (the others wait)."""
    output = Path(tempfile.gettempdir()) / f"customering-site-{testrun_uid}"
    failed = output / "build-failed.txt"
    with open(ROOT / ".release.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if failed.exists():
            pytest.fail(failed.read_text())
        if not (output / "_build" / "html" / "index.html").exists():
            for old in output.parent.glob("customering-site-*"):
                if old != output:  # an earlier run's site
                    shutil.rmtree(old, ignore_errors=True)
            try:
                build_site(output)
            except AssertionError as error:
                output.mkdir(parents=True, exist_ok=True)
                failed.write_text(str(error))
                raise
    return output / "_build" / "html"


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, driven by Playwright; skips the test where it is missing."""
    from browser import CHROMIUM_ARGS, INSTALL_HINT, chromium_path

    executable = chromium_path()
    if executable is None:
        pytest.skip(INSTALL_HINT)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
