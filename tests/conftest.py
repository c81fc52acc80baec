"""Shared fixtures: the committed data world, loaded once per test session, and the release.

The suite runs on both cores (pytest-xdist, one file per worker): fixtures that write the
repository's own generated folders take a lock, so two workers never write them at once.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from customering_utils import datasets

# Figures are drawn off screen in tests, set before matplotlib is first imported, so no
# test or doctest has to switch the backend (learners copy doctests into notebooks).
os.environ.setdefault("MPLBACKEND", "Agg")


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
