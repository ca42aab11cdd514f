"""Reads of the catalog: rendered lessons (once per content revision) and the outline of a course."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath
from typing import Any

import yaml
from django.core.cache import cache

from catalog.access import lessons_for_user, modules_for_user
from catalog.models import Course, CourseFile, Enrollment, Lesson, LessonCompletion, Module
from common.markdown import render_markdown

_RENDERED: OrderedDict[str, str] = OrderedDict()
_RENDERED_MAX = 512
_RENDERED_LOCK = threading.Lock()

# A learner's ticks and last lesson are read on every lesson page; both are cached and dropped
# by catalog.signals on every write, with a time limit for writes the signals cannot see.
LEARNER_CACHE_SECONDS = 600


def render_cached(key: str, render: Callable[[], str]) -> str:
    """Return HTML rendered once per key: kept in this process, then in the shared cache."""
    with _RENDERED_LOCK:
        html = _RENDERED.get(key)
        if html is not None:
            _RENDERED.move_to_end(key)
            return html
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, timeout=None)
    with _RENDERED_LOCK:
        _RENDERED[key] = html
        while len(_RENDERED) > _RENDERED_MAX:
            _RENDERED.popitem(last=False)
    return html


def markdown_html(text: str, *, figure_loader: Any = None, scope: str = "") -> str:
    """Render a piece of course Markdown to safe HTML, once per distinct text (and figure scope)."""
    digest = hashlib.sha256(f"{scope}\0{text}".encode()).hexdigest()
    return render_cached(f"md:{digest}", lambda: render_markdown(text, figure_loader=figure_loader))


def figure_loader_for(module: Module) -> Any:
    """Return a loader that finds a lesson's figures among its course's files."""

    def load(src: str) -> str | None:
        path = PurePosixPath(module.folder()) / src
        if ".." in PurePosixPath(src).parts:
            return None
        row = CourseFile.objects.filter(course_id=module.course_id, path=path.as_posix()).first()
        return bytes(row.content).decode("utf-8") if row else None

    return load


def lesson_html(lesson: Lesson, *, figures: str | None = None) -> str:
    """Return a lesson's body as safe HTML, rendered once per content revision.

    ``figures`` is the digest of the module's files when the caller knows it (the course map
    does); otherwise it is read here, for lessons that declare a figure.
    """
    key = f"lesson:{lesson.uuid}:{lesson.revision}:{lesson.content_hash}:{_figures_stamp(lesson, figures)}"
    return render_cached(
        key, lambda: render_markdown(lesson.body, figure_loader=figure_loader_for(lesson.module))
    )


def _figures_stamp(lesson: Lesson, known: str | None) -> str:
    """Fingerprint the module's figure files, so a changed figure file renders the lesson anew."""
    if "```plotly" not in lesson.body:
        return "-"
    if known is not None:
        return known
    prefix = f"{lesson.module.folder()}/"
    return files_digest(
        CourseFile.objects.filter(course_id=lesson.module.course_id, path__startswith=prefix)
        .order_by("path")
        .values_list("sha256", flat=True)
    )


def files_digest(sha256s: Iterable[str]) -> str:
    """Fingerprint a module's files from their SHA-256 digests, in path order."""
    return hashlib.sha256("".join(sha256s).encode()).hexdigest()[:16]


def course_outline(user: Any, course: Course) -> list[tuple[Module, list[Lesson]]]:
    """Return the modules of a course with their lessons, as the user may see them."""
    modules = list(modules_for_user(user).filter(course=course).order_by("order", "id"))
    lessons: dict[int, list[Lesson]] = {}
    for lesson in lessons_for_user(user).filter(module__in=modules).order_by("order", "id"):
        lessons.setdefault(lesson.module_id, []).append(lesson)
    return [(m, lessons.get(m.pk, [])) for m in modules]


def course_manifest(course: Course) -> dict[str, list[dict[str, Any]]]:
    """Return the entries of the course's data/MANIFEST.yaml (data sets and models)."""
    row = CourseFile.objects.filter(course=course, path="data/MANIFEST.yaml").first()
    if row is None:
        return {"datasets": [], "models": []}
    loaded = yaml.safe_load(bytes(row.content).decode("utf-8")) or {}
    fields = ("id", "title", "source", "version", "licence", "attribution")
    return {
        kind: [
            {k: str(entry.get(k) or "") for k in fields}
            for entry in loaded.get(kind) or []
            if isinstance(entry, dict)
        ]
        for kind in ("datasets", "models")
    }


def _done_key(user_id: Any) -> str:
    return f"catalog:done:{user_id}"


def lessons_done_ids(user: Any) -> frozenset[int]:
    """Return the ids of the lessons this learner marked as done (in any course)."""
    key = _done_key(user.pk)
    done: frozenset[int] | None = cache.get(key)
    if done is None:
        done = frozenset(LessonCompletion.objects.filter(user=user).values_list("lesson_id", flat=True))
        cache.set(key, done, LEARNER_CACHE_SECONDS)
    return done


def lessons_done_forget(user_id: Any) -> None:
    cache.delete(_done_key(user_id))


def _reading_key(user_id: Any, course_id: Any) -> str:
    return f"catalog:reading:{user_id}:{course_id}"


def reading_last_lesson_id(user: Any, course_id: int) -> int | None:
    """Return the id of the lesson the learner last opened in a course (None when not enrolled)."""
    key = _reading_key(user.pk, course_id)
    found = cache.get(key)
    if found is None:
        found = (
            Enrollment.objects.filter(user=user, course_id=course_id)
            .values_list("last_lesson_id", flat=True)
            .first()
        )
        found = found or 0  # 0: not enrolled or nothing read yet (lesson ids start at 1)
        cache.set(key, found, LEARNER_CACHE_SECONDS)
    return found or None


def reading_remember(user_id: Any, course_id: Any, lesson_id: int) -> None:
    cache.set(_reading_key(user_id, course_id), lesson_id, LEARNER_CACHE_SECONDS)


def reading_forget(user_id: Any, course_id: Any) -> None:
    cache.delete(_reading_key(user_id, course_id))
