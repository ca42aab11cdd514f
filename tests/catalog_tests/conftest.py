"""Fixtures for the catalog tests: the example course, imported or copied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from catalog.models import Course
from catalog.services import course_import

EXAMPLE = Path(__file__).resolve().parents[2] / "courses" / "example"


@pytest.fixture
def example_dir() -> Path:
    return EXAMPLE


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    """A scratch copy of the example course that a test may change."""
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return target


@pytest.fixture
def course(db) -> Course:  # type: ignore[no-untyped-def]
    """The example course, imported."""
    return course_import(path=EXAMPLE).course
