"""Write a course back as files: database rows -> dataclasses -> canonical file texts."""

from __future__ import annotations

import shutil
from pathlib import Path, PurePosixPath
from typing import Any

from catalog.content import formats
from catalog.content.items import (
    CapstoneData,
    CourseData,
    CriterionData,
    LabData,
    LessonData,
    LevelData,
    ModuleData,
    QuestionData,
    QuizData,
    RubricData,
)
from catalog.content.load import ignored
from catalog.models import Course, Lab, Lesson, derived_order


def _derived(names: list[str]) -> dict[str, int]:
    """Map each sibling name to the order its name implies (prefix, else position)."""
    return {name: derived_order(name, index) for index, name in enumerate(sorted(names), start=1)}


def course_files(course: CourseData) -> dict[str, bytes]:
    """Return every file of a course, path -> bytes, in canonical form."""
    out: dict[str, bytes] = dict(course.files)
    out["course.yaml"] = formats.course_yaml(course).encode()
    module_orders = _derived([PurePosixPath(m.path).name for m in course.modules])
    for m in course.modules:
        out[f"{m.path}/module.yaml"] = formats.module_yaml(
            m, derived=module_orders[PurePosixPath(m.path).name]
        ).encode()
        lesson_orders = _derived([PurePosixPath(lesson.path).name for lesson in m.lessons])
        for lesson in m.lessons:
            text = formats.lesson_text(lesson, derived=lesson_orders[PurePosixPath(lesson.path).name])
            out[f"{m.path}/{lesson.path}"] = text.encode()
        if m.quiz is not None:
            out[f"{m.path}/quiz.yaml"] = formats.quiz_yaml(m.quiz).encode()
        lab_orders = _derived([PurePosixPath(lab.path).name for lab in m.labs])
        for lab in m.labs:
            folder = f"{m.path}/{lab.path}"
            out[f"{folder}/lab.yaml"] = formats.lab_yaml(
                lab, derived=lab_orders[PurePosixPath(lab.path).name]
            ).encode()
            for name in ("starter", "solution", "checks"):
                out[f"{folder}/{name}.py"] = getattr(lab, name).encode()
    if course.capstone is not None:
        out["capstone/capstone.yaml"] = formats.capstone_yaml(course.capstone).encode()
        if course.capstone.rubric is not None:
            out["capstone/rubric.yaml"] = formats.rubric_yaml(course.capstone.rubric).encode()
    return out


def write_tree(files: dict[str, bytes], dest: Path, *, replace: bool = False) -> None:
    """Write files under dest; with replace, remove files there that are not part of the course."""
    dest.mkdir(parents=True, exist_ok=True)
    if replace:
        for path in sorted(dest.rglob("*"), reverse=True):
            if any(ignored(Path(part)) for part in path.relative_to(dest).parts):
                continue
            if path.is_file() and path.relative_to(dest).as_posix() not in files:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                shutil.rmtree(path)
    for rel, content in files.items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists() or target.read_bytes() != content:
            target.write_bytes(content)


def _common(item: Any) -> dict[str, Any]:
    return {"uuid": str(item.uuid), "status": item.status, "order": item.order}


def course_data(course: Course) -> CourseData:
    """Read a course and its live items from the database into dataclasses."""
    from capstones.models import Capstone
    from quizzes.models import Question, Quiz
    from reviews.models import Criterion, Level, Rubric

    data = CourseData(
        uuid=str(course.uuid),
        slug=course.slug,
        title=course.title,
        summary=course.summary,
        status=course.status,
    )
    data.files = {f.path: bytes(f.content) for f in course.files.all()}
    modules = list(course.modules.live().order_by("order", "id"))
    lessons = _group(Lesson.objects.live().filter(module__course=course), "module_id")
    labs = _group(Lab.objects.live().filter(module__course=course), "module_id")
    quizzes = _group(Quiz.objects.live().filter(module__course=course), "module_id")
    questions = _group(Question.objects.live().filter(quiz__module__course=course), "quiz_id")
    for m in modules:
        module = ModuleData(slug=m.slug, path=m.folder(), title=m.title, summary=m.summary, **_common(m))
        for lesson in lessons.get(m.pk, []):
            module.lessons.append(
                LessonData(
                    slug=lesson.slug,
                    path=lesson.file(),
                    title=lesson.title,
                    summary=lesson.summary,
                    body=lesson.body,
                    **_common(lesson),
                )
            )
        module.lessons.sort(key=lambda x: x.path)
        for lab in labs.get(m.pk, []):
            module.labs.append(
                LabData(
                    slug=lab.slug,
                    path=lab.folder(),
                    title=lab.title,
                    summary=lab.summary,
                    queue=lab.queue,
                    wall_seconds=lab.wall_seconds,
                    cpu_seconds=lab.cpu_seconds,
                    memory_mb=lab.memory_mb,
                    data=list(lab.data),
                    starter=lab.starter,
                    solution=lab.solution,
                    checks=lab.checks,
                    **_common(lab),
                )
            )
        module.labs.sort(key=lambda x: x.path)
        for quiz in quizzes.get(m.pk, [])[:1]:
            module.quiz = QuizData(
                title=quiz.title,
                attempts_allowed=quiz.attempts_allowed,
                scoring=quiz.scoring,
                **_common(quiz),
            )
            for q in questions.get(quiz.pk, []):
                module.quiz.questions.append(
                    QuestionData(
                        type=q.type,
                        prompt=q.prompt,
                        explanation=q.explanation,
                        points=q.points,
                        options=list(q.options),
                        answers=list(q.answers),
                        numeric_answer=q.numeric_answer,
                        tolerance=q.tolerance,
                        accepted=list(q.accepted),
                        pattern=q.pattern,
                        case_sensitive=q.case_sensitive,
                        starter=q.starter,
                        checks=q.checks,
                        **_common(q),
                    )
                )
        data.modules.append(module)
    data.modules.sort(key=lambda x: x.path)
    capstone = Capstone.objects.live().filter(course=course).order_by("order", "id").first()
    if capstone is not None:
        data.capstone = CapstoneData(
            uuid=str(capstone.uuid), title=capstone.title, brief=capstone.brief, status=capstone.status
        )
        rubric = Rubric.objects.live().filter(capstone=capstone).order_by("order", "id").first()
        if rubric is not None:
            data.capstone.rubric = RubricData(uuid=str(rubric.uuid), status=rubric.status)
            levels = _group(Level.objects.live().filter(criterion__rubric=rubric), "criterion_id")
            for c in Criterion.objects.live().filter(rubric=rubric).order_by("order", "id"):
                criterion = CriterionData(title=c.title, description=c.description, **_common(c))
                criterion.levels = [
                    LevelData(title=lv.title, points=lv.points, description=lv.description, **_common(lv))
                    for lv in levels.get(c.pk, [])
                ]
                data.capstone.rubric.criteria.append(criterion)
    return data


def _group(rows: Any, key: str) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for row in rows.order_by("order", "id"):
        out.setdefault(getattr(row, key), []).append(row)
    return out
