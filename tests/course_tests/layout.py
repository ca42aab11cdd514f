"""Helpers of the course checks: where the LLM Masterclass keeps its parts; the sandbox guard."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COURSE = ROOT / "courses" / "llm-masterclass"
OUTLINE = COURSE / "tools" / "outline.md"
# Modules whose lessons, quizzes and labs these tests hold to the outline; grow it as modules land.
CHECKED_MODULES = range(1, 6)


def module_dirs() -> list[Path]:
    """Return the folders of the checked modules that exist, in order."""
    found = []
    for number in CHECKED_MODULES:
        found += sorted(p for p in (COURSE / "modules").glob(f"{number:02d}-*") if p.is_dir())
    return found


def lab_dirs() -> list[Path]:
    """Return every lab folder of the checked modules, found on disk at collection time."""
    return [lab for module in module_dirs() for lab in sorted((module / "labs").glob("*/")) if lab.is_dir()]


def lab_id(lab: Path) -> str:
    return f"{lab.parents[1].name.split('-')[0]}/{lab.name}"


def lesson_files() -> list[Path]:
    return [f for module in module_dirs() for f in sorted((module / "lessons").glob("*.md"))]


def normalize_heading(text: str) -> str:
    """Compare headings as a reader would: no emphasis or code marks, one space, any case."""
    text = re.sub(r"[*_`]+", "", text)
    text = text.replace("\u2019", "'")
    return re.sub(r"\s+", " ", text).strip().casefold()


def bubblewrap_or_skip() -> None:
    """Skip when the real sandbox cannot run here; in CI that is a failure instead."""
    from sandbox import detect_backend

    detection = detect_backend()
    if not detection.isolated:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the labs in the real sandbox: {detection.reason}")
        pytest.skip(detection.reason)
