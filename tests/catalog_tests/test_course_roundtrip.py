"""Files -> database -> files is lossless; imports are idempotent; removed items are archived."""

from __future__ import annotations

import re
import shutil
import time
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command

from accounts.models import User
from catalog.content.load import ignored
from catalog.content.problems import ContentError
from catalog.models import Course, CourseFile, Lab, Lesson, Module
from catalog.services import course_export, course_import, revision_current
from quizzes.models import Attempt, Question, Quiz

pytestmark = pytest.mark.django_db
M1 = "modules/01-basics"


def tree(root: Path) -> dict[str, bytes]:
    return {
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(ignored(Path(part)) for part in p.relative_to(root).parts)
    }


def test_import_then_export_reproduces_the_files(example_dir: Path, tmp_path: Path) -> None:
    call_command("course", "import", str(example_dir))
    call_command("course", "export", "example", str(tmp_path / "out"))
    exported, original = tree(tmp_path / "out"), tree(example_dir)
    assert sorted(exported) == sorted(original)
    for path, content in original.items():
        assert exported[path] == content, f"{path} differs after the round trip"


def test_import_twice_changes_nothing(example_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = course_import(path=example_dir).counts
    assert first.created == 23 and first.updated == first.archived == 0
    stamps = {
        row["uuid"]: (row["updated_at"], row["revision"])
        for row in Lesson.objects.values("uuid", "updated_at", "revision")
    }
    call_command("course", "import", str(example_dir))
    out = capsys.readouterr().out
    assert "0 created, 0 updated, 23 unchanged, 0 archived; files: 0 written, 0 removed" in out
    assert stamps == {
        row["uuid"]: (row["updated_at"], row["revision"])
        for row in Lesson.objects.values("uuid", "updated_at", "revision")
    }


def test_counts_and_structure(course: Course) -> None:
    assert [m.slug for m in course.modules.order_by("order")] == ["basics", "next-steps"]
    assert Lesson.objects.filter(module__course=course).count() == 4
    assert Lesson.objects.get(slug="outlook").status == "draft"
    quiz = Quiz.objects.get(module__slug="basics")
    assert [q.type for q in quiz.questions.order_by("order")] == [
        "single",
        "multiple",
        "numeric",
        "text",
        "ordering",
        "code",
    ]
    assert Question.objects.get(type="numeric").numeric_answer == 4
    lab = Lab.objects.get()
    assert (lab.queue, lab.wall_seconds, lab.data) == ("cpu", 60, ["noisy-line"])
    assert "grad_w" in lab.solution and "check_line_found" in lab.checks
    assert set(CourseFile.objects.values_list("path", flat=True)) >= {
        "README.md",
        "data/MANIFEST.yaml",
        "data/points.csv",
        f"{M1}/figures/losses.json",
        f"{M1}/labs/fit-a-line/README.md",
    }
    rubric = course.capstones.get().rubrics.get()
    assert rubric.max_points == 5


def test_removed_items_are_archived_and_history_kept(example_copy: Path) -> None:
    course_import(path=example_copy)
    student = User.objects.create_user("s@example.com", "pw")
    quiz = Quiz.objects.get()
    Attempt.objects.create(user=student, quiz=quiz, quiz_revision=revision_current(quiz))
    (example_copy / M1 / "quiz.yaml").unlink()
    (example_copy / "modules/02-next-steps/lessons/02-outlook.md").unlink()
    counts = course_import(path=example_copy).counts
    assert counts.archived == 1 + 6 + 1  # the quiz, its six questions, one lesson
    quiz.refresh_from_db()
    assert quiz.archived_at is not None and Attempt.objects.filter(quiz=quiz).exists()
    assert Lesson.objects.get(slug="outlook").archived_at is not None
    # Put them back: the same rows come back to life, nothing is duplicated.
    shutil.copy(Path(__file__).resolve().parents[2] / "courses/example" / M1 / "quiz.yaml", example_copy / M1)
    counts = course_import(path=example_copy).counts
    assert counts.created == 0 and counts.updated == 7
    assert Quiz.objects.get().archived_at is None


def test_renaming_or_moving_a_folder_keeps_the_item(example_copy: Path) -> None:
    course_import(path=example_copy)
    module_pk = Module.objects.get(slug="basics").pk
    lesson_pk = Lesson.objects.get(slug="loss").pk
    (example_copy / M1).rename(example_copy / "modules/01-fitting-a-line")
    (example_copy / "modules/01-fitting-a-line/lessons/02-loss.md").rename(
        example_copy / "modules/02-next-steps/lessons/03-loss-functions.md"
    )
    (example_copy / "modules/02-next-steps/figures").mkdir()
    shutil.move(
        example_copy / "modules/01-fitting-a-line/figures/losses.json",
        example_copy / "modules/02-next-steps/figures/losses.json",
    )
    counts = course_import(path=example_copy).counts
    assert counts.created == 0 and counts.archived == 0
    module = Module.objects.get(pk=module_pk)
    assert (module.slug, module.path) == ("fitting-a-line", "modules/01-fitting-a-line")
    lesson = Lesson.objects.get(pk=lesson_pk)
    assert (lesson.module.slug, lesson.slug, lesson.revision) == ("next-steps", "loss-functions", 1)


def test_an_edit_in_the_database_appears_in_the_export(course: Course, tmp_path: Path) -> None:
    lesson = Lesson.objects.get(slug="a-line")
    lesson.body = lesson.body + "\nAn added paragraph.\n"
    lesson.title = "A line: the first model"
    lesson.save()
    question = Question.objects.get(type="single")
    question.options = [*question.options, "The variance"]
    question.save()
    course_export(course=course, path=tmp_path)
    text = (tmp_path / M1 / "lessons/01-a-line.md").read_text()
    assert "title: 'A line: the first model'\n" in text and text.endswith("\nAn added paragraph.\n")
    assert (
        "options: [The slope, The prediction at x = 0, The loss, The variance]"
        in (tmp_path / M1 / "quiz.yaml").read_text()
    )
    # The export is itself a valid course that imports back to the same content.
    assert course_import(path=tmp_path).counts.updated == 0


def test_export_replace_removes_stale_files(course: Course, tmp_path: Path) -> None:
    (tmp_path / "modules/09-old/lessons").mkdir(parents=True)
    (tmp_path / "modules/09-old/lessons/01-gone.md").write_text("old")
    (tmp_path / ".git").mkdir()
    course_export(course=course, path=tmp_path, replace=True)
    assert not (tmp_path / "modules/09-old").exists() and (tmp_path / ".git").exists()


def test_a_slug_taken_by_another_course_is_refused(example_copy: Path, course: Course) -> None:
    text = (example_copy / "course.yaml").read_text()
    (example_copy / "course.yaml").write_text(re.sub(r"uuid: .*", f"uuid: {uuid.uuid4()}", text, count=1))
    with pytest.raises(ContentError) as info:
        course_import(path=example_copy)
    assert "slug 'example' is already used by course 'Example course'" in info.value.problems[0].message


def test_five_modules_import_in_seconds(example_copy: Path) -> None:
    source = example_copy / M1
    for n in range(3, 6):
        target = example_copy / f"modules/0{n}-copy-{n}"
        shutil.copytree(source, target)
        for path in target.rglob("*"):
            if path.suffix in (".yaml", ".md"):
                path.write_text(
                    re.sub(r"uuid: [0-9a-f-]{36}", lambda _: f"uuid: {uuid.uuid4()}", path.read_text())
                )
    started = time.monotonic()
    counts = course_import(path=example_copy).counts
    assert counts.created == 23 + 3 * 11
    assert time.monotonic() - started < 5
