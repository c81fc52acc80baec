"""Shared fixtures: the committed data world, loaded once per test session."""

from __future__ import annotations

import pytest

from customering_utils import datasets


@pytest.fixture(scope="session")
def world() -> datasets.World:
    return datasets.load_world()


@pytest.fixture(scope="session")
def released():
    """The course released into release/ (a generated folder), as `make release` does."""
    from customering_utils import course

    return course.release()
