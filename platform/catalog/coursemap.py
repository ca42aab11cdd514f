"""The reading map of a course (modules, lessons in order, quizzes, labs), kept in memory per version.

Lesson pages are the busiest pages of the site. Instead of rebuilding the outline with a dozen
queries per request, each process keeps the map of a course for learners and for authors, keyed by
a stamp of the course's state: one aggregate query (counts, last update, published and live items,
course files). The stamp is shared through the cache: any write to the course's content drops it
(signals in catalog.signals, plus the bulk writes of import and publish), so an edit, a publish or
an archive shows on the next request; a write the signals cannot see (another process without a
shared cache, a raw UPDATE) shows within STAMP_SECONDS.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.http import Http404

from catalog.access import lessons_for_user, modules_for_user
from catalog.models import Course, CourseFile, Lab, Lesson, Module, Status
from catalog.selectors import files_digest
from common.transactions import now_and_after_commit

_MAPS: OrderedDict[tuple[Any, ...], CourseMap] = OrderedDict()
_MAPS_MAX = 64
_LOCK = threading.Lock()
STAMP_SECONDS = 2

_ITEM_STATE = (
    "COUNT(*), MAX(t.updated_at), SUM(CASE WHEN t.status = 'published' THEN t.id ELSE 0 END), "
    "SUM(CASE WHEN t.archived_at IS NULL THEN t.id ELSE 0 END)"
)
_COURSE_ID = "(SELECT id FROM catalog_course WHERE slug = %s)"
_FINGERPRINT_SQL = " UNION ALL ".join(
    [
        "SELECT 'course', id, updated_at, CASE WHEN status = 'published' THEN 1 ELSE 0 END, "
        "CASE WHEN archived_at IS NULL THEN 1 ELSE 0 END FROM catalog_course WHERE slug = %s",
        f"SELECT 'module', {_ITEM_STATE} FROM catalog_module t WHERE t.course_id = {_COURSE_ID}",
        f"SELECT 'lesson', {_ITEM_STATE} FROM catalog_lesson t JOIN catalog_module m ON m.id = t.module_id "
        f"WHERE m.course_id = {_COURSE_ID}",
        f"SELECT 'quiz', {_ITEM_STATE} FROM quizzes_quiz t JOIN catalog_module m ON m.id = t.module_id "
        f"WHERE m.course_id = {_COURSE_ID}",
        f"SELECT 'lab', {_ITEM_STATE} FROM catalog_lab t JOIN catalog_module m ON m.id = t.module_id "
        f"WHERE m.course_id = {_COURSE_ID}",
        f"SELECT 'files', COUNT(*), MAX(updated_at), SUM(size), MAX(id) FROM catalog_coursefile "
        f"WHERE course_id = {_COURSE_ID}",
    ]
)


@dataclass
class CourseMap:
    course: Course
    modules: list[Module]
    lessons: list[Lesson]  # reading order
    quizzes: dict[int, list[Any]] = field(default_factory=dict)  # module id -> quizzes
    labs: dict[int, list[Lab]] = field(default_factory=dict)  # module id -> labs
    figures: dict[int, str] = field(default_factory=dict)  # module id -> digest of its files
    parts: dict[tuple[Any, ...], Any] = field(default_factory=dict)  # rendered page parts (lesson_page)

    def lesson(self, module_key: str, lesson_key: str) -> Lesson:
        """Return a lesson by module and lesson slug or uuid, else raise Http404."""
        for lesson in self.lessons:
            module = lesson.module
            if module_key in (module.slug, str(module.uuid)) and lesson_key in (
                lesson.slug,
                str(lesson.uuid),
            ):
                return lesson
        raise Http404("no such lesson")


def _stamp_key(slug: str) -> str:
    return f"coursemap:stamp:{slug}"


def _fingerprint(slug: str) -> tuple[Any, ...]:
    key = _stamp_key(slug)
    stamp: tuple[Any, ...] | None = cache.get(key)
    if stamp is None:
        with connection.cursor() as cursor:
            cursor.execute(_FINGERPRINT_SQL, [slug] * 6)
            stamp = tuple(tuple(row) for row in cursor.fetchall())
        cache.set(key, stamp, STAMP_SECONDS)
    return stamp


def coursemap_forget() -> None:
    """Drop the stamps of all courses now and once the current transaction commits."""
    keys = [_stamp_key(slug) for slug in Course.objects.values_list("slug", flat=True)]
    now_and_after_commit(lambda: cache.delete_many(keys))


def _build(user: Any, course: Course, author: bool) -> CourseMap:
    from quizzes.access import quizzes_for_user

    modules = list(modules_for_user(user).filter(course=course).order_by("order", "id"))
    lessons = list(
        lessons_for_user(user)
        .filter(module__in=modules)
        .order_by("module__order", "module_id", "order", "id")
    )
    labs = Lab.objects.live().filter(module__in=modules).defer("starter", "solution", "checks")
    labs = labs if author else labs.filter(status=Status.PUBLISHED)
    cmap = CourseMap(course=course, modules=modules, lessons=lessons)
    for quiz in quizzes_for_user(user).filter(module__in=modules).order_by("order", "id"):
        cmap.quizzes.setdefault(quiz.module_id, []).append(quiz)
    for lab in labs.order_by("order", "id"):
        cmap.labs.setdefault(lab.module_id, []).append(lab)
    files = list(CourseFile.objects.filter(course=course).order_by("path").values_list("path", "sha256"))
    for module in modules:
        prefix = f"{module.folder()}/"
        cmap.figures[module.pk] = files_digest(sha for path, sha in files if path.startswith(prefix))
    return cmap


def course_map_for_user(user: Any, course_slug: str) -> CourseMap:
    """Return the map of a course as the user may read it (fresh on any change), else raise Http404."""
    from catalog.access import can_author

    author = can_author(user)
    stamp = _fingerprint(course_slug)
    course_row = next((row for row in stamp if row[0] == "course"), None)
    if course_row is None or not course_row[4] or not (author or course_row[3]):
        raise Http404("no such course")
    key = (course_slug, author, stamp)
    with _LOCK:
        found = _MAPS.get(key)
        if found is not None:
            _MAPS.move_to_end(key)
            return found
    course = Course.objects.get(pk=course_row[1])
    built = _build(user, course, author)
    with _LOCK:
        _MAPS[key] = built
        while len(_MAPS) > _MAPS_MAX:
            _MAPS.popitem(last=False)
    return built
