"""A copy of the example course whose lesson and quiz carry script-injection payloads."""

from __future__ import annotations

import shutil
from html.parser import HTMLParser
from pathlib import Path

from tests.support.servers import ROOT

EXAMPLE = ROOT / "courses" / "example"
PAYLOADS = [
    '<script>window.__xss = "script"; alert("script")</script>',
    "<img src=\"x\" onerror=\"window.__xss = 'onerror'; alert('onerror')\">",
    '[a link](javascript:alert("md-link"))',
    '<a href="javascript:alert(\'html-link\')" id="js-link">html link</a>',
    "<a href=\"JaVaScRiPt:alert('mixed-case')\">mixed case</a>",
    "<svg onload=\"window.__xss = 'svg'; alert('svg')\"><script>alert(\"svg-script\")</script></svg>",
    '<svg><a xlink:href="javascript:alert(\'xlink\')"><text y="20">svg link</text></a></svg>',
    "<iframe src=\"javascript:alert('iframe')\"></iframe>",
    '<div onclick="alert(\'onclick\')" style="background:url(javascript:alert(1))">click</div>',
    "<math><mi xlink:href=\"javascript:alert('math')\">x</mi></math>",
]
FORBIDDEN_TAGS = {"script", "svg", "iframe", "math", "object", "embed", "style"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in FORBIDDEN_TAGS:
            self.problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}=")
            if value and "javascript:" in "".join(value.lower().split()):
                self.problems.append(f"{tag} {name}={value}")


def live_problems(html: str) -> list[str]:
    """Return every element or attribute of an HTML fragment that could run script."""
    collector = _Collector()
    collector.feed(html)
    return collector.problems


def hostile_course(tmp_path: Path) -> Path:
    """Write the example course with payloads in a lesson body, a quiz prompt and an explanation."""
    target = tmp_path / "example"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    lesson = target / "modules" / "01-basics" / "lessons" / "01-a-line.md"
    lesson.write_text(lesson.read_text() + "\n\n" + "\n\n".join(PAYLOADS) + "\n")
    quiz = target / "modules" / "01-basics" / "quiz.yaml"
    block = "\n".join("      " + p for p in PAYLOADS)
    text = quiz.read_text().replace(
        "    explanation: At $x = 0$ the term $wx$ vanishes and the prediction is $b$; the slope is $w$.",
        "    explanation: |\n      At x = 0 the prediction is b.\n\n" + block,
    )
    assert text != quiz.read_text()
    quiz.write_text(text)
    return target
