"""Full-text search over lessons: PostgreSQL's ranked search in services mode, word matching on SQLite."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Q

from catalog.access import lessons_for_user
from catalog.models import Course, Lesson

MAX_HITS = 30
SNIPPET_CHARS = 180
_WORD = re.compile(r"\w+", re.UNICODE)


@dataclass
class Hit:
    lesson: Lesson
    snippet: str
    url: str


def _snippet(body: str, words: list[str]) -> str:
    """Return the plain text around the first query word found in a lesson body."""
    text = " ".join(re.sub(r"[#*`$>|_\\-]+", " ", body).split())
    lowered = text.lower()
    positions = [p for p in (lowered.find(w.lower()) for w in words) if p >= 0]
    start = max(0, min(positions) - SNIPPET_CHARS // 3) if positions else 0
    piece = text[start : start + SNIPPET_CHARS]
    return ("…" if start else "") + piece + ("…" if start + SNIPPET_CHARS < len(text) else "")


def lessons_search(user: Any, query: str, *, course: Course | None = None) -> list[Hit]:
    """Return the lessons the user may read that match a query, best first."""
    words = _WORD.findall(query)[:12]
    if not words:
        return []
    qs = lessons_for_user(user)
    if course is not None:
        qs = qs.filter(module__course=course)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = (
            SearchVector("title", weight="A")
            + SearchVector("summary", weight="B")
            + SearchVector("body", weight="C")
        )
        search_query = SearchQuery(" ".join(words), search_type="websearch", config="english")
        found = list(
            qs.annotate(rank=SearchRank(vector, search_query)).filter(rank__gt=0).order_by("-rank")[:MAX_HITS]
        )
    else:
        # Every word must appear somewhere; title matches rank first.
        condition = Q()
        for word in words:
            condition &= Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)
        candidates = list(qs.filter(condition)[: MAX_HITS * 4])

        def rank(lesson: Lesson) -> tuple[int, int]:
            title = lesson.title.lower()
            body = lesson.body.lower()
            return (-sum(w.lower() in title for w in words), -sum(body.count(w.lower()) for w in words))

        found = sorted(candidates, key=rank)[:MAX_HITS]
    return [
        Hit(
            lesson=lesson,
            snippet=_snippet(lesson.body, words),
            url=f"/courses/{lesson.module.course.slug}/{lesson.module.slug}/{lesson.slug}/",
        )
        for lesson in found
    ]
