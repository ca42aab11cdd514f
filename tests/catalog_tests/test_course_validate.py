"""`course validate` lists every problem of every file at once, and a broken course imports nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from catalog.content.load import load_course
from catalog.models import Course, Lesson

ROOT = Path(__file__).resolve().parents[2]
M1 = "modules/01-basics"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def break_course(root: Path) -> None:
    """Make a dozen different mistakes, each in its own file."""
    _edit(root / "course.yaml", "title:", "titel:")  # unknown key (and so a missing title)
    _edit(root / M1 / "labs/fit-a-line/lab.yaml", "wall_seconds: 60", "wall_seconds: fast")  # wrong type
    _edit(
        root / M1 / "labs/fit-a-line/lab.yaml", "[noisy-line]", "[noisy-line, imagenet]"
    )  # unknown data set
    lesson1 = (root / M1 / "lessons/01-a-line.md").read_text().split("uuid: ")[1].split("\n")[0]
    _edit(root / M1 / "lessons/02-loss.md", "uuid: dd62b1c9-89c0-4b2a-9d11-4b3ee7ec3e46", f"uuid: {lesson1}")
    _edit(root / M1 / "lessons/02-loss.md", "src: figures/losses.json", "src: figures/missing.json")
    _edit(root / M1 / "quiz.yaml", "answer: The prediction at x = 0", "answer: The intercept")
    _edit(root / M1 / "quiz.yaml", "pattern: (batch |stochastic )?gradient descent", "pattern: (unclosed")
    (root / M1 / "labs/fit-a-line/checks.py").unlink()
    _edit(
        root / M1 / "labs/fit-a-line/solution.py",
        "def fit(points, steps, lr=0.1):",
        "def fit(points, steps, lr=0.1)",
    )
    (root / "modules/02-next-steps/module.yaml").write_text(
        "uuid: 62cef5cd-cafc-452b-b96a-2d2d11bc344e\ntitle: [unclosed\n"
    )
    _edit(root / "capstone/rubric.yaml", "points: 3", "points: three")
    (root / "modules/02-next-steps/notes.txt").write_text("stray file\n")


EXPECTED = [
    ("course.yaml", 3, "unknown key 'titel'"),
    ("course.yaml", 1, "missing required key 'title'"),
    (f"{M1}/labs/fit-a-line/lab.yaml", 6, "'wall_seconds' must be a whole number"),
    (f"{M1}/labs/fit-a-line/lab.yaml", None, "data set 'imagenet' is not in data/MANIFEST.yaml"),
    (f"{M1}/lessons/02-loss.md", None, "is also used by modules/01-basics/lessons/01-a-line.md"),
    (f"{M1}/lessons/02-loss.md", 16, "figure figures/missing.json not found"),
    (f"{M1}/quiz.yaml", 10, "answer 'The intercept' is not among the options"),
    (f"{M1}/quiz.yaml", 33, "'pattern' is not a valid regular expression"),
    (f"{M1}/labs/fit-a-line/checks.py", None, "missing checks.py of lab 'fit-a-line'"),
    (f"{M1}/labs/fit-a-line/solution.py", 15, "Python syntax error"),
    ("modules/02-next-steps/module.yaml", 3, "invalid YAML"),
    ("capstone/rubric.yaml", 13, "'points' must be a number"),
    ("modules/02-next-steps/notes.txt", None, "unexpected file in a module folder"),
]


def test_the_example_course_is_valid(example_dir: Path) -> None:
    loaded = load_course(example_dir)
    assert loaded.problems == []
    assert loaded.course is not None and len(loaded.course.modules) == 2


def test_every_problem_of_every_file_is_reported(example_copy: Path) -> None:
    break_course(example_copy)
    problems = load_course(example_copy).problems
    for path, line, message in EXPECTED:
        matches = [p for p in problems if p.path == path and message in p.message]
        assert matches, f"no problem {message!r} in {path}; got:\n" + "\n".join(map(str, problems))
        if line is not None:
            assert matches[0].line == line, str(matches[0])
        assert all(p.hint for p in matches), "every problem says how to fix it"
    assert len({p.path for p in problems}) >= 8


@pytest.mark.django_db
def test_command_fails_and_imports_nothing(example_copy: Path, capsys: pytest.CaptureFixture[str]) -> None:
    break_course(example_copy)
    with pytest.raises(CommandError, match=r"problem\(s\) in \d+ file\(s\)"):
        call_command("course", "validate", str(example_copy))
    err = capsys.readouterr().err
    assert (
        "modules/01-basics/quiz.yaml:10: question 1: answer 'The intercept' is not among the options" in err
    )
    assert "fix: copy the answer exactly from options" in err
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("course", "import", str(example_copy))
    assert Course.objects.count() == 0 and Lesson.objects.count() == 0


def test_exit_status_is_non_zero(example_copy: Path) -> None:
    break_course(example_copy)
    proc = subprocess.run(
        [sys.executable, "manage.py", "course", "validate", str(example_copy)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode != 0
    assert proc.stderr.count("\n    fix: ") >= 12
    ok = subprocess.run(
        [sys.executable, "manage.py", "course", "validate", "courses/example"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ok.returncode == 0, ok.stderr


def test_question_type_mistakes(example_copy: Path) -> None:
    quiz = example_copy / M1 / "quiz.yaml"
    _edit(quiz, "    answer: 4\n", "    answer: 4\n    options: [3, 4]\n")
    _edit(quiz, "type: ordering", "type: sorting")
    problems = [p.message for p in load_course(example_copy).problems]
    assert "question 3: key 'options' does not apply to a numeric question" in problems
    assert any(m.startswith("question 5: 'type' must be one of single, multiple") for m in problems)
