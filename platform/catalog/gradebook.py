"""The instructor gradebook: learners x items (lessons read, quiz scores, lab scores), and its CSV."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Count, F, FloatField, Max
from django.db.models.functions import Cast

from catalog.models import Course, Enrollment, Lab, Lesson, LessonCompletion, Module, Status


@dataclass
class Column:
    key: str
    title: str
    kind: str  # lessons | quiz | lab
    module: Module


@dataclass
class Gradebook:
    course: Course
    modules: list[Module]
    columns: list[Column]
    # One row per learner: (user id, email, name, {column key: value}, total percent)
    rows: list[tuple[int, str, str, dict[str, float | None], float]] = field(default_factory=list)


def gradebook_build(*, course: Course, module: Module | None = None) -> Gradebook:
    """Return every learner of a course with their lessons read, kept quiz scores and best lab scores."""
    from jobs.models import Job
    from quizzes.models import Attempt, Quiz
    from quizzes.selectors import quiz_scores

    modules = list(
        Module.objects.live().filter(course=course, status=Status.PUBLISHED).order_by("order", "id")
    )
    if module is not None:
        modules = [m for m in modules if m.pk == module.pk]
    lessons = list(Lesson.objects.published().filter(module__in=modules).values_list("id", "module_id"))
    quizzes = list(Quiz.objects.published().filter(module__in=modules).order_by("order", "id"))
    labs = list(Lab.objects.published().filter(module__in=modules).order_by("order", "id"))
    lessons_per_module: dict[int, int] = defaultdict(int)
    for _, module_id in lessons:
        lessons_per_module[module_id] += 1
    columns: list[Column] = []
    by_module_quizzes = defaultdict(list)
    by_module_labs = defaultdict(list)
    for q in quizzes:
        by_module_quizzes[q.module_id].append(q)
    for lab in labs:
        by_module_labs[lab.module_id].append(lab)
    for m in modules:
        if lessons_per_module[m.pk]:
            columns.append(Column(f"lessons-{m.pk}", f"{m.title}: lessons read", "lessons", m))
        columns += [Column(f"quiz-{q.pk}", q.title, "quiz", m) for q in by_module_quizzes[m.pk]]
        columns += [Column(f"lab-{lab.pk}", lab.title, "lab", m) for lab in by_module_labs[m.pk]]

    values: dict[int, dict[str, float | None]] = defaultdict(dict)
    for (user_id, quiz_id), share in quiz_scores(quizzes).items():
        values[user_id][f"quiz-{quiz_id}"] = round(100 * share, 1)
    best_runs = (
        Job.objects.filter(lab__in=labs, max_score__gt=0)
        .values("user_id", "lab_id")
        .annotate(best=Max(Cast(F("score"), FloatField()) / F("max_score")))
    )
    for row in best_runs:
        values[row["user_id"]][f"lab-{row['lab_id']}"] = round(100 * (row["best"] or 0.0), 1)
    read = (
        LessonCompletion.objects.filter(lesson_id__in=[pk for pk, _ in lessons])
        .values("user_id", "lesson__module_id")
        .annotate(n=Count("id"))
    )
    for row in read:
        module_id = row["lesson__module_id"]
        values[row["user_id"]][f"lessons-{module_id}"] = round(
            100 * row["n"] / lessons_per_module[module_id], 1
        )

    learner_ids = set(values) | set(
        Enrollment.objects.filter(course=course).values_list("user_id", flat=True)
    )
    learner_ids |= set(Attempt.objects.filter(quiz__in=quizzes).values_list("user_id", flat=True))
    users = get_user_model().objects.filter(pk__in=learner_ids).order_by("email")
    book = Gradebook(course=course, modules=modules, columns=columns)
    for user_id, email, name in users.values_list("id", "email", "display_name"):
        cells = {c.key: values[user_id].get(c.key) for c in columns}
        total = round(sum(v or 0.0 for v in cells.values()) / len(columns), 1) if columns else 0.0
        book.rows.append((user_id, email, name, cells, total))
    return book


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # Spreadsheets run text that starts like a formula; quote it so a name cannot become one.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def gradebook_csv(book: Gradebook) -> str:
    """Return the gradebook as CSV text: one row per learner, percent per item, and the total."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["email", "name", *[_cell(c.title) for c in book.columns], "total"])
    for _, email, name, cells, total in book.rows:
        writer.writerow([_cell(email), _cell(name), *[_cell(cells[c.key]) for c in book.columns], total])
    return out.getvalue()


def gradebook_dict(book: Gradebook) -> dict[str, Any]:
    """Return the gradebook as plain JSON values (for the API)."""
    return {
        "course": book.course.slug,
        "columns": [
            {"key": c.key, "title": c.title, "kind": c.kind, "module": str(c.module.uuid)}
            for c in book.columns
        ],
        "rows": [
            {"user": user_id, "email": email, "name": name, "cells": cells, "total": total}
            for user_id, email, name, cells, total in book.rows
        ],
    }
