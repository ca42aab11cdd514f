"""Each file kind both ways: parse a mapping into a dataclass, and write the canonical text."""

from __future__ import annotations

from typing import Any

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
from catalog.content.problems import Problem
from catalog.content.schema import SLUG, Reader, check_pattern, check_python
from catalog.content.yamlio import dump_yaml, flow, load_yaml, split_front_matter

COURSE_KEYS = ("uuid", "slug", "title", "summary", "status")
MODULE_KEYS = ("uuid", "title", "summary", "order", "status")
LESSON_KEYS = ("uuid", "title", "summary", "order", "status")
QUIZ_KEYS = ("uuid", "title", "attempts_allowed", "scoring", "status", "questions")
QUESTION_COMMON = ("uuid", "type", "prompt", "explanation", "points", "status")
QUESTION_KEYS = {
    "single": ("options", "answer"),
    "multiple": ("options", "answers"),
    "numeric": ("answer", "tolerance"),
    "text": ("accepted", "pattern", "case_sensitive"),
    "ordering": ("items",),
    "code": ("starter", "checks"),
}
LAB_KEYS = ("uuid", "title", "summary", "queue", "limits", "data", "order", "status")
LIMIT_KEYS = ("wall_seconds", "cpu_seconds", "memory_mb")
LIMIT_DEFAULTS = {"wall_seconds": 300, "cpu_seconds": 600, "memory_mb": 2048}
CAPSTONE_KEYS = ("uuid", "title", "brief", "status")
RUBRIC_KEYS = ("uuid", "status", "criteria")
CRITERION_KEYS = ("uuid", "title", "description", "status", "levels")
LEVEL_KEYS = ("uuid", "title", "points", "description", "status")


def _order(reader: Reader, derived: int) -> int:
    return reader.integer("order", default=derived, minimum=0) if reader.has("order") else derived


# Parsing ----------------------------------------------------------------------------------


def parse_course(data: Any, path: str, problems: list[Problem]) -> CourseData:
    r = Reader(data, path, problems, allowed=COURSE_KEYS)
    slug = r.text("slug", required=True)
    if slug and not SLUG.match(slug):
        r.add(
            "slug",
            f"slug {slug!r} may hold only lowercase letters, digits and dashes",
            "write it like `llm-masterclass`",
        )
    return CourseData(
        uuid=r.uuid(),
        slug=slug,
        title=r.text("title", required=True),
        summary=r.text("summary"),
        status=r.status(),
    )


def parse_module(
    data: Any, path: str, problems: list[Problem], *, slug: str, folder: str, derived: int
) -> ModuleData:
    r = Reader(data, path, problems, allowed=MODULE_KEYS)
    return ModuleData(
        uuid=r.uuid(),
        slug=slug,
        path=folder,
        title=r.text("title", required=True),
        summary=r.text("summary"),
        status=r.status(),
        order=_order(r, derived),
    )


def parse_lesson(
    text: str, path: str, problems: list[Problem], *, slug: str, file: str, derived: int
) -> LessonData:
    front, body = split_front_matter(text)
    if front is None:
        problems.append(
            Problem(
                path,
                1,
                "a lesson starts with YAML front matter between '---' lines",
                "begin the file with ---, uuid: ..., title: ..., then ---",
            )
        )
        return LessonData(uuid="", slug=slug, path=file, title="", body=text, order=derived)
    data = load_yaml(front, path, problems, line_offset=1)
    r = Reader(data, path, problems, allowed=LESSON_KEYS, line=1)
    return LessonData(
        uuid=r.uuid(),
        slug=slug,
        path=file,
        title=r.text("title", required=True),
        summary=r.text("summary"),
        body=body,
        status=r.status(),
        order=_order(r, derived),
    )


def parse_question(
    data: Any, path: str, problems: list[Problem], *, index: int, line: int | None, where: str | None = None
) -> QuestionData:
    where = f"question {index}" if where is None else where
    kind = data.get("type") if isinstance(data, dict) else None
    allowed = QUESTION_COMMON + (QUESTION_KEYS.get(kind, ()) if isinstance(kind, str) else ())
    misplaced: tuple[str, ...] = ()
    if isinstance(data, dict) and kind in QUESTION_KEYS:
        misplaced = tuple(
            k for k in data if k not in allowed and any(k in ks for ks in QUESTION_KEYS.values())
        )
        lines = getattr(data, "key_lines", {})
        for key in misplaced:
            prefix = f"{where}: " if where else ""
            problems.append(
                Problem(
                    path,
                    lines.get(key, line),
                    f"{prefix}key '{key}' does not apply to a {kind} question",
                    f"{kind} questions use: {', '.join(QUESTION_KEYS[kind])}",
                )
            )
    r = Reader(data, path, problems, where=where, allowed=allowed + misplaced, line=line)
    q = QuestionData(
        uuid=r.uuid(),
        type=r.choice("type", tuple(QUESTION_KEYS)),
        prompt=r.text("prompt", required=True),
        explanation=r.text("explanation"),
        status=r.status(),
        order=index,
        points=r.number("points", default=1.0, minimum=0) or 0.0,
    )
    if not r.ok:
        return q
    if q.type in ("single", "multiple"):
        q.options = r.texts("options", required=True, min_items=2)
        if q.type == "single":
            answer = r.text("answer", required=True)
            q.answers = [answer] if r.has("answer") else []
        else:
            q.answers = r.texts("answers", required=True, min_items=1)
        for answer in q.answers:
            if q.options and answer not in q.options:
                key = "answer" if q.type == "single" else "answers"
                r.add(
                    key,
                    f"answer {answer!r} is not among the options",
                    f"copy the answer exactly from options: {', '.join(q.options)}",
                )
    elif q.type == "numeric":
        q.numeric_answer = r.number("answer", required=True)
        q.tolerance = r.number("tolerance", minimum=0)
    elif q.type == "text":
        q.accepted = r.texts("accepted")
        q.pattern = r.text("pattern")
        q.case_sensitive = r.boolean("case_sensitive", default=False)
        if q.pattern:
            check_pattern(r, "pattern", q.pattern)
        if not q.accepted and not q.pattern:
            r.add(None, "a text question needs 'accepted' answers or a 'pattern'", "add `accepted: [answer]`")
    elif q.type == "ordering":
        q.options = r.texts("items", required=True, min_items=2)
    elif q.type == "code":
        q.starter = r.text("starter")
        q.checks = r.text("checks", required=True)
        if q.starter:
            check_python(
                q.starter,
                path,
                problems,
                line_offset=r.line("starter") or 0,
                where=f"{where} starter".strip(),
            )
        if q.checks:
            check_python(
                q.checks,
                path,
                problems,
                line_offset=r.line("checks") or 0,
                where=f"{where} checks".strip(),
                need_checks=True,
            )
    return q


def parse_quiz(data: Any, path: str, problems: list[Problem]) -> QuizData:
    r = Reader(data, path, problems, allowed=QUIZ_KEYS)
    quiz = QuizData(
        uuid=r.uuid(),
        title=r.text("title", required=True),
        attempts_allowed=r.integer("attempts_allowed", default=0),
        scoring=r.choice("scoring", ("best", "last"), default="best"),
        status=r.status(),
    )
    items = r.items("questions", required=True)
    if r.ok and r.has("questions") and not items:
        r.add("questions", "a quiz needs at least one question", "add items under `questions:`")
    quiz.questions = [
        parse_question(item, path, problems, index=i, line=line)
        for i, (item, line) in enumerate(items, start=1)
    ]
    return quiz


def parse_lab(
    data: Any, path: str, problems: list[Problem], *, slug: str, folder: str, derived: int
) -> LabData:
    r = Reader(data, path, problems, allowed=LAB_KEYS)
    lab = LabData(
        uuid=r.uuid(),
        slug=slug,
        path=folder,
        title=r.text("title", required=True),
        summary=r.text("summary"),
        queue=r.choice("queue", ("cpu", "gpu"), default="cpu"),
        data=r.texts("data"),
        status=r.status(),
        order=_order(r, derived),
    )
    if r.has("limits"):
        limits = Reader(
            r.raw("limits"), path, problems, where="limits", allowed=LIMIT_KEYS, line=r.line("limits")
        )
        for key in LIMIT_KEYS:
            setattr(lab, key, limits.integer(key, default=LIMIT_DEFAULTS[key], minimum=1))
    return lab


def parse_capstone(data: Any, path: str, problems: list[Problem]) -> CapstoneData:
    r = Reader(data, path, problems, allowed=CAPSTONE_KEYS)
    return CapstoneData(
        uuid=r.uuid(),
        title=r.text("title", required=True),
        brief=r.text("brief", required=True),
        status=r.status(),
    )


def parse_rubric(data: Any, path: str, problems: list[Problem]) -> RubricData:
    r = Reader(data, path, problems, allowed=RUBRIC_KEYS)
    rubric = RubricData(uuid=r.uuid(), status=r.status())
    for i, (item, line) in enumerate(r.items("criteria", required=True), start=1):
        c = Reader(item, path, problems, where=f"criterion {i}", allowed=CRITERION_KEYS, line=line)
        criterion = CriterionData(
            uuid=c.uuid(),
            title=c.text("title", required=True),
            description=c.text("description"),
            status=c.status(),
            order=i,
        )
        for j, (level_item, level_line) in enumerate(c.items("levels", required=True), start=1):
            lv = Reader(
                level_item,
                path,
                problems,
                where=f"criterion {i} level {j}",
                allowed=LEVEL_KEYS,
                line=level_line,
            )
            criterion.levels.append(
                LevelData(
                    uuid=lv.uuid(),
                    title=lv.text("title", required=True),
                    points=lv.number("points", required=True, minimum=0) or 0.0,
                    description=lv.text("description"),
                    status=lv.status(),
                    order=j,
                )
            )
        rubric.criteria.append(criterion)
    return rubric


# Writing ----------------------------------------------------------------------------------


def _tail(out: dict[str, Any], *, status: str, order: int | None = None, derived: int | None = None) -> None:
    if order is not None and order != derived:
        out["order"] = order
    if status != "published":
        out["status"] = status


def course_yaml(c: CourseData) -> str:
    out: dict[str, Any] = {"uuid": c.uuid, "slug": c.slug, "title": c.title}
    if c.summary:
        out["summary"] = c.summary
    _tail(out, status=c.status)
    return dump_yaml(out)


def module_yaml(m: ModuleData, *, derived: int) -> str:
    out: dict[str, Any] = {"uuid": m.uuid, "title": m.title}
    if m.summary:
        out["summary"] = m.summary
    _tail(out, status=m.status, order=m.order, derived=derived)
    return dump_yaml(out)


def lesson_text(lesson: LessonData, *, derived: int) -> str:
    out: dict[str, Any] = {"uuid": lesson.uuid, "title": lesson.title}
    if lesson.summary:
        out["summary"] = lesson.summary
    _tail(out, status=lesson.status, order=lesson.order, derived=derived)
    return f"---\n{dump_yaml(out)}---\n{lesson.body}"


def question_mapping(q: QuestionData) -> dict[str, Any]:
    out: dict[str, Any] = {"uuid": q.uuid, "type": q.type, "prompt": q.prompt}
    if q.type == "single":
        out["options"] = flow(q.options)
        out["answer"] = q.answers[0] if q.answers else ""
    elif q.type == "multiple":
        out["options"] = flow(q.options)
        out["answers"] = flow(q.answers)
    elif q.type == "numeric":
        out["answer"] = q.numeric_answer
        if q.tolerance is not None:
            out["tolerance"] = q.tolerance
    elif q.type == "text":
        if q.accepted:
            out["accepted"] = flow(q.accepted)
        if q.pattern:
            out["pattern"] = q.pattern
        if q.case_sensitive:
            out["case_sensitive"] = True
    elif q.type == "ordering":
        out["items"] = flow(q.options)
    elif q.type == "code":
        if q.starter:
            out["starter"] = q.starter
        out["checks"] = q.checks
    if q.explanation:
        out["explanation"] = q.explanation
    if q.points != 1:
        out["points"] = q.points
    _tail(out, status=q.status)
    return out


def quiz_yaml(quiz: QuizData) -> str:
    out: dict[str, Any] = {
        "uuid": quiz.uuid,
        "title": quiz.title,
        "attempts_allowed": quiz.attempts_allowed,
        "scoring": quiz.scoring,
    }
    _tail(out, status=quiz.status)
    out["questions"] = [question_mapping(q) for q in quiz.questions]
    return dump_yaml(out)


def lab_mapping(lab: LabData, *, derived: int | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"uuid": lab.uuid, "title": lab.title}
    if lab.summary:
        out["summary"] = lab.summary
    out["queue"] = lab.queue
    out["limits"] = {k: getattr(lab, k) for k in LIMIT_KEYS}
    out["data"] = flow(lab.data)
    _tail(out, status=lab.status, order=lab.order, derived=derived if derived is not None else lab.order)
    return out


def lab_yaml(lab: LabData, *, derived: int) -> str:
    return dump_yaml(lab_mapping(lab, derived=derived))


def capstone_yaml(c: CapstoneData) -> str:
    out: dict[str, Any] = {"uuid": c.uuid, "title": c.title, "brief": c.brief}
    _tail(out, status=c.status)
    return dump_yaml(out)


def rubric_yaml(rubric: RubricData) -> str:
    out: dict[str, Any] = {"uuid": rubric.uuid}
    _tail(out, status=rubric.status)
    criteria = []
    for c in rubric.criteria:
        item: dict[str, Any] = {"uuid": c.uuid, "title": c.title}
        if c.description:
            item["description"] = c.description
        _tail(item, status=c.status)
        levels = []
        for lv in c.levels:
            level: dict[str, Any] = {"uuid": lv.uuid, "title": lv.title, "points": lv.points}
            if lv.description:
                level["description"] = lv.description
            _tail(level, status=lv.status)
            levels.append(level)
        item["levels"] = levels
        criteria.append(item)
    out["criteria"] = criteria
    return dump_yaml(out)
