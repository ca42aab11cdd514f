"""Reads of learner progress: the course map with ticks, per-module progress, the dashboard overview."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import F

from catalog.access import courses_for_user, lessons_for_user, modules_for_user
from catalog.models import Course, Enrollment, Lab, Lesson, LessonCompletion, Module, Status


@dataclass
class ModuleProgress:
    module: Module
    lessons: list[tuple[Lesson, bool]] = field(default_factory=list)
    quizzes: list[tuple[Any, float | None]] = field(default_factory=list)
    labs: list[tuple[Lab, bool]] = field(default_factory=list)

    @property
    def lessons_done(self) -> int:
        return sum(1 for _, done in self.lessons if done)

    @property
    def labs_passed(self) -> int:
        return sum(1 for _, passed in self.labs if passed)

    @property
    def quiz_percent(self) -> float | None:
        """Mean kept quiz score of the module in percent; None when no quiz was submitted."""
        scores = [s for _, s in self.quizzes if s is not None]
        return round(100 * sum(scores) / len(self.quizzes), 1) if scores else None

    @property
    def items(self) -> tuple[int, int]:
        """Return (finished, total) items: lessons done, quizzes submitted, labs passed."""
        done = self.lessons_done + sum(1 for _, s in self.quizzes if s is not None) + self.labs_passed
        return done, len(self.lessons) + len(self.quizzes) + len(self.labs)


@dataclass
class CourseProgress:
    course: Course
    modules: list[ModuleProgress]

    @property
    def percent(self) -> int:
        done = sum(m.items[0] for m in self.modules)
        total = sum(m.items[1] for m in self.modules)
        return round(100 * done / total) if total else 0


def _published(qs: Any, viewer: Any) -> Any:
    from catalog.access import can_author

    return qs if can_author(viewer) else qs.filter(status=Status.PUBLISHED)


def lessons_done(user: Any, lessons: Any) -> set[int]:
    """Return the ids of the given lessons the user marked as done."""
    return set(
        LessonCompletion.objects.filter(user=user, lesson__in=lessons).values_list("lesson_id", flat=True)
    )


def labs_passed(user: Any, labs: Any) -> set[int]:
    """Return the ids of the given labs where one of the user's runs earned every check point."""
    from jobs.models import Job

    return set(
        Job.objects.filter(user=user, lab__in=labs, max_score__gt=0, score__gte=F("max_score"))
        .values_list("lab_id", flat=True)
        .distinct()
    )


def course_progress(
    viewer: Any, learner: Any, course: Course, module: Module | None = None
) -> CourseProgress:
    """Return a learner's progress in a course (or one module), as the viewer may see the course."""
    from quizzes.access import quizzes_for_user
    from quizzes.selectors import quiz_scores

    modules = list(modules_for_user(viewer).filter(course=course).order_by("order", "id"))
    if module is not None:
        modules = [m for m in modules if m.pk == module.pk]
    lessons = list(lessons_for_user(viewer).filter(module__in=modules).order_by("order", "id"))
    quizzes = list(quizzes_for_user(viewer).filter(module__in=modules).order_by("order", "id"))
    labs = list(_published(Lab.objects.live().filter(module__in=modules), viewer).order_by("order", "id"))
    done = lessons_done(learner, lessons)
    passed = labs_passed(learner, labs)
    scores = quiz_scores(quizzes, [learner.pk])
    by_module = {m.pk: ModuleProgress(module=m) for m in modules}
    for lesson in lessons:
        by_module[lesson.module_id].lessons.append((lesson, lesson.pk in done))
    for quiz in quizzes:
        by_module[quiz.module_id].quizzes.append((quiz, scores.get((learner.pk, quiz.pk))))
    for lab in labs:
        by_module[lab.module_id].labs.append((lab, lab.pk in passed))
    return CourseProgress(course=course, modules=list(by_module.values()))


def progress_figure(progress: CourseProgress) -> dict[str, Any]:
    """Return a Plotly figure: per module, percent of lessons read, quiz score and labs passed."""

    def pct(part: int, whole: int) -> float | None:
        return round(100 * part / whole, 1) if whole else None

    names = [m.module.title for m in progress.modules]
    return {
        "data": [
            {
                "type": "bar",
                "name": "Lessons read",
                "x": names,
                "y": [pct(m.lessons_done, len(m.lessons)) for m in progress.modules],
            },
            {
                "type": "bar",
                "name": "Quiz score",
                "x": names,
                "y": [m.quiz_percent for m in progress.modules],
            },
            {
                "type": "bar",
                "name": "Labs passed",
                "x": names,
                "y": [pct(m.labs_passed, len(m.labs)) for m in progress.modules],
            },
        ],
        "layout": {
            "barmode": "group",
            "height": 340,
            "yaxis": {"title": {"text": "percent"}, "range": [0, 100]},
            "legend": {"orientation": "h"},
        },
    }


def student_overview(user: Any) -> list[dict[str, Any]]:
    """Return the learner's courses with progress and where to continue, most recent first."""
    enrollments = {
        e.course_id: e for e in Enrollment.objects.filter(user=user).select_related("last_lesson__module")
    }
    courses = sorted(
        courses_for_user(user),
        key=lambda c: (
            c.pk not in enrollments,
            -(enrollments[c.pk].last_seen_at.timestamp() if c.pk in enrollments else 0),
        ),
    )
    overview = []
    for course in courses:
        progress = course_progress(user, user, course)
        enrollment = enrollments.get(course.pk)
        resume = enrollment.last_lesson if enrollment else None
        if resume is None or not resume.is_published:
            resume = next((lesson for m in progress.modules for lesson, done in m.lessons if not done), None)
        overview.append(
            {
                "course": course,
                "percent": progress.percent,
                "resume": resume,
                "started": enrollment is not None,
            }
        )
    return overview
