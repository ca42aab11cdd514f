"""Published content is versioned: attempts keep the revision they were made against."""

from __future__ import annotations

from pathlib import Path

import pytest

from catalog.models import ContentRevision, Course, Lab, Lesson
from catalog.services import content_publish, course_import, revision_current
from quizzes.models import Answer, Attempt, Question, Quiz

pytestmark = pytest.mark.django_db


def test_an_attempt_made_before_an_edit_still_shows_what_was_answered(course: Course, student) -> None:  # type: ignore[no-untyped-def]
    quiz = Quiz.objects.get()
    question = Question.objects.get(type="single")
    before = question.prompt
    attempt = Attempt.objects.create(user=student, quiz=quiz, quiz_revision=revision_current(quiz))
    Answer.objects.create(
        attempt=attempt,
        question=question,
        question_revision=revision_current(question),
        response={"choice": "The slope"},
    )

    question.prompt = "Which value does the bias b set?"
    question.save()
    assert question.revision == 2

    answer = Answer.objects.get(attempt=attempt)
    assert answer.prompt_seen == before
    assert answer.question_revision.revision == 1
    assert answer.question.prompt == "Which value does the bias b set?"
    later = revision_current(question)
    assert (later.revision, later.snapshot["prompt"]) == (2, "Which value does the bias b set?")
    assert ContentRevision.objects.filter(item_uuid=question.uuid).count() == 2


def test_revision_bumps_on_content_change_only(course: Course, example_copy: Path) -> None:
    lesson = Lesson.objects.get(slug="a-line")
    lesson.order = 7
    lesson.save()
    content_publish(items=Lesson.objects.filter(pk=lesson.pk), publish=False)
    lesson.refresh_from_db()
    assert (lesson.revision, lesson.status) == (1, "draft")
    lesson.body += "\nMore.\n"
    lesson.save()
    assert lesson.revision == 2

    path = example_copy / "modules/01-basics/lessons/01-a-line.md"
    path.write_text(path.read_text().replace("Every network", "Each network"))
    counts = course_import(path=example_copy).counts
    assert counts.updated == 1
    lesson.refresh_from_db()
    assert lesson.revision == 3 and "Each network" in lesson.body and lesson.status == "published"


def test_snapshots_are_created_once_and_keep_the_solution_private(course: Course) -> None:
    lab = Lab.objects.get()
    first = revision_current(lab)
    assert revision_current(lab).pk == first.pk
    assert "solution" not in first.snapshot and "starter" in first.snapshot
    assert first.snapshot["kind"] == "lab" and first.snapshot["uuid"] == str(lab.uuid)
