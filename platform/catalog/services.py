"""Writes of the catalog: import and export course files, publish, and revision snapshots."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from catalog.content.export import course_data, course_files, write_tree
from catalog.content.load import load_course
from catalog.content.problems import ContentError, Problem
from catalog.content.sync import SyncCounts, db_problems, sync_course
from catalog.coursemap import coursemap_forget
from catalog.models import ContentItem, ContentRevision, Course, Enrollment, Lesson, LessonCompletion, Status
from catalog.selectors import reading_last_lesson_id, reading_remember


@dataclass
class ImportResult:
    course: Course
    counts: SyncCounts


def course_validate(*, path: Path | str) -> list[Problem]:
    """Return every problem of a course folder (empty when it is fine); reads no database."""
    return load_course(path).problems


def course_import(*, path: Path | str) -> ImportResult:
    """Validate a course folder, then upsert it in one transaction; raise ContentError on any problem."""
    loaded = load_course(path)
    if loaded.problems or loaded.course is None:
        raise ContentError(loaded.problems or [Problem(str(path), None, "no course found", "check the path")])
    problems = db_problems(loaded.course)
    if problems:
        raise ContentError(problems)
    course, counts = sync_course(loaded.course)
    coursemap_forget()
    return ImportResult(course=course, counts=counts)


def course_export_files(*, course: Course) -> dict[str, bytes]:
    """Return the files of a course as the database holds it (path -> bytes)."""
    return course_files(course_data(course))


def course_export(*, course: Course, path: Path | str, replace: bool = False) -> int:
    """Write a course into a folder in the course file format; return the number of files."""
    files = course_export_files(course=course)
    write_tree(files, Path(path), replace=replace)
    return len(files)


def course_export_zip(*, course: Course) -> bytes:
    """Return the course files as a zip archive (one top folder named after the slug)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for rel, content in sorted(course_export_files(course=course).items()):
            archive.writestr(f"{course.slug}/{rel}", content)
    return buffer.getvalue()


def content_publish(*, items: Any, publish: bool = True) -> int:
    """Publish or unpublish items (a queryset); state is not content, so revisions stay."""
    changed = int(items.update(status=Status.PUBLISHED if publish else Status.DRAFT))
    coursemap_forget()
    return changed


def revision_current(item: ContentItem) -> ContentRevision:
    """Return the immutable snapshot of an item's current revision, creating it on first use."""
    found = ContentRevision.objects.filter(item_uuid=item.uuid, revision=item.revision).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return ContentRevision.objects.create(
                kind=item.KIND, item_uuid=item.uuid, revision=item.revision, snapshot=item.snapshot()
            )
    except IntegrityError:  # another request made it first; that one is the same content
        return ContentRevision.objects.get(item_uuid=item.uuid, revision=item.revision)


def enrollment_touch(*, user: Any, lesson: Lesson) -> None:
    """Enrol a learner on first visit and remember the lesson they are reading.

    The last lesson is cached (catalog.selectors), so reading the same lesson again writes nothing.
    """
    course_id = lesson.module.course_id
    if reading_last_lesson_id(user, course_id) == lesson.pk:
        return
    now = timezone.now()
    updated = Enrollment.objects.filter(user=user, course_id=course_id).update(
        last_lesson=lesson, last_seen_at=now
    )
    if not updated:
        try:
            with transaction.atomic():
                Enrollment.objects.create(
                    user=user, course_id=course_id, last_lesson=lesson, last_seen_at=now
                )
        except IntegrityError:  # a parallel request enrolled them first
            Enrollment.objects.filter(user=user, course_id=course_id).update(
                last_lesson=lesson, last_seen_at=now
            )
    transaction.on_commit(lambda: reading_remember(user.pk, course_id, lesson.pk))


def progress_mark_lesson_done(*, user: Any, lesson: Lesson, done: bool = True) -> bool:
    """Mark a lesson as done (or not done again) for a learner; return whether it is done now."""
    if not done:
        LessonCompletion.objects.filter(user=user, lesson=lesson).delete()
        return False
    LessonCompletion.objects.get_or_create(user=user, lesson=lesson)
    return True
