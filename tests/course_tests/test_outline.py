"""Every topic and bullet of the outline is taught; every module has a real quiz and figures."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from catalog.content.yamlio import split_front_matter
from tests.course_tests.layout import CHECKED_MODULES, COURSE, OUTLINE, normalize_heading

MODULE_LINE = re.compile(r"^#{1,6}\s*\**\s*Module\s+(\d+)\s*:\s*(.+?)\s*\**\s*$")
TOPIC_LINE = re.compile(r"^(\d+)\.\s+(.+?)\s*$")
BULLET_LINE = re.compile(r"^\s+[-*+]\s+(.+?)\s*$")
MIN_QUESTIONS = 10
MIN_QUESTION_TYPES = 3


@dataclass
class Topic:
    number: int
    title: str
    bullets: list[str] = field(default_factory=list)


@dataclass
class OutlineModule:
    number: int
    title: str
    topics: list[Topic] = field(default_factory=list)


def parse_outline(text: str) -> dict[int, OutlineModule]:
    """Read the outline's modules, numbered topics and their bullets."""
    modules: dict[int, OutlineModule] = {}
    current: OutlineModule | None = None
    for line in text.splitlines():
        if match := MODULE_LINE.match(line):
            current = modules.setdefault(int(match[1]), OutlineModule(int(match[1]), match[2]))
        elif current is not None and (match := TOPIC_LINE.match(line)):
            current.topics.append(Topic(int(match[1]), match[2].strip("* ")))
        elif current is not None and current.topics and (match := BULLET_LINE.match(line)):
            current.topics[-1].bullets.append(match[1])
    return modules


def lesson_headings(path: Path) -> list[str]:
    """Return the text of the lesson's level-2 headings (code blocks and front matter skipped)."""
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    tokens = MarkdownIt("commonmark").parse(body)
    return [
        tokens[i + 1].content
        for i, token in enumerate(tokens)
        if token.type == "heading_open" and token.tag == "h2"
    ]


def plotly_blocks(path: Path) -> list[str]:
    _, body = split_front_matter(path.read_text(encoding="utf-8"))
    return [
        t.content
        for t in MarkdownIt("commonmark").parse(body)
        if t.type == "fence" and t.info.strip().split(" ")[0] == "plotly"
    ]


@pytest.fixture(scope="module")
def outline() -> dict[int, OutlineModule]:
    return parse_outline(OUTLINE.read_text(encoding="utf-8"))


def test_outline_parses(outline: dict[int, OutlineModule]) -> None:
    assert sorted(outline) == list(range(1, 11)), f"modules found in the outline: {sorted(outline)}"
    assert all(m.topics and all(t.bullets for t in m.topics) for m in outline.values())
    assert outline[1].topics[0].bullets[:2] == [
        "Definitions and core concepts",
        "Supervised vs. Unsupervised Learning",
    ]


@pytest.mark.parametrize("number", CHECKED_MODULES)
def test_module_folder_exists(number: int, outline: dict[int, OutlineModule]) -> None:
    found = sorted((COURSE / "modules").glob(f"{number:02d}-*/module.yaml"))
    assert len(found) == 1, (
        f"module {number} ({outline[number].title}) needs one modules/{number:02d}-*/ folder"
    )


def test_every_topic_and_bullet_has_its_lesson_and_heading(
    module_dir: Path, outline: dict[int, OutlineModule]
) -> None:
    number = int(module_dir.name.split("-")[0])
    missing: list[str] = []
    for topic in outline[number].topics:
        lessons = sorted((module_dir / "lessons").glob(f"{topic.number:02d}-*.md"))
        if len(lessons) != 1:
            missing.append(
                f"topic {number}.{topic.number} {topic.title!r}: no lessons/{topic.number:02d}-*.md"
            )
            continue
        headings = {normalize_heading(h) for h in lesson_headings(lessons[0])}
        for bullet in topic.bullets:
            if normalize_heading(bullet) not in headings:
                missing.append(f"{lessons[0].relative_to(COURSE)}: no '## {bullet}' heading")
    assert not missing, "the outline is not fully taught:\n" + "\n".join(missing)


def test_quiz_is_substantial(module_dir: Path) -> None:
    path = module_dir / "quiz.yaml"
    assert path.is_file(), f"{module_dir.name} has no quiz.yaml"
    questions = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("questions") or []
    problems = []
    if len(questions) < MIN_QUESTIONS:
        problems.append(f"{len(questions)} questions, at least {MIN_QUESTIONS} wanted")
    types = {q.get("type") for q in questions}
    if len(types) < MIN_QUESTION_TYPES:
        problems.append(f"question types {sorted(map(str, types))}, at least {MIN_QUESTION_TYPES} wanted")
    for i, q in enumerate(questions, start=1):
        if not str(q.get("explanation") or "").strip():
            problems.append(f"question {i} ({q.get('type')}) has no explanation")
    assert not problems, f"{path.relative_to(COURSE)}:\n" + "\n".join(problems)


def test_lesson_has_a_chart(lesson_file: Path) -> None:
    blocks = plotly_blocks(lesson_file)
    assert blocks, f"{lesson_file.relative_to(COURSE)} has no ```plotly block"
    module_dir = lesson_file.parents[1]
    for block in blocks:
        source = block.strip()
        if source.startswith("src:"):
            figure = module_dir / source.removeprefix("src:").strip()
            assert figure.is_file(), (
                f"{lesson_file.relative_to(COURSE)}: {figure.relative_to(COURSE)} is missing"
            )
            data = json.loads(figure.read_text(encoding="utf-8"))
        else:
            data = json.loads(source)
        assert isinstance(data, dict) and "data" in data, f"{lesson_file.name}: not a Plotly figure"
