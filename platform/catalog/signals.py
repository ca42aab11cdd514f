"""Keep the catalog's cached reads (course stamps, lessons done, last lesson read) in step with writes."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_delete, post_save

from catalog.coursemap import coursemap_forget
from catalog.models import Course, CourseFile, Enrollment, Lab, Lesson, LessonCompletion, Module
from catalog.selectors import lessons_done_forget, reading_forget
from common.transactions import now_and_after_commit


def _content_written(sender: Any, **kwargs: Any) -> None:
    coursemap_forget()


def _completion_written(sender: Any, instance: LessonCompletion, **kwargs: Any) -> None:
    user_id = instance.user_id
    now_and_after_commit(lambda: lessons_done_forget(user_id))


def _enrollment_written(sender: Any, instance: Enrollment, **kwargs: Any) -> None:
    user_id, course_id = instance.user_id, instance.course_id
    now_and_after_commit(lambda: reading_forget(user_id, course_id))


def connect() -> None:
    from quizzes.models import Quiz

    for model in (Course, Module, Lesson, Lab, CourseFile, Quiz):
        post_save.connect(_content_written, sender=model, dispatch_uid=f"catalog-stamp-save-{model.__name__}")
        post_delete.connect(
            _content_written, sender=model, dispatch_uid=f"catalog-stamp-del-{model.__name__}"
        )
    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(_completion_written, sender=LessonCompletion, dispatch_uid=f"catalog-done-{name}")
        signal.connect(_enrollment_written, sender=Enrollment, dispatch_uid=f"catalog-reading-{name}")
