"""Plain dataclasses for a course read from files or from the database (no Django here)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class QuestionData:
    uuid: str
    type: str
    prompt: str
    explanation: str = ""
    points: float = 1.0
    options: list[str] = field(default_factory=list)
    answers: list[str] = field(default_factory=list)
    numeric_answer: float | None = None
    tolerance: float | None = None
    accepted: list[str] = field(default_factory=list)
    pattern: str = ""
    case_sensitive: bool = False
    starter: str = ""
    checks: str = ""
    status: str = "published"
    order: int = 1


@dataclass
class QuizData:
    uuid: str
    title: str
    attempts_allowed: int = 0
    scoring: str = "best"
    status: str = "published"
    order: int = 1
    questions: list[QuestionData] = field(default_factory=list)


@dataclass
class LessonData:
    uuid: str
    slug: str
    path: str  # relative to the module folder
    title: str
    summary: str = ""
    body: str = ""
    status: str = "published"
    order: int = 1


@dataclass
class LabData:
    uuid: str
    slug: str
    path: str  # relative to the module folder
    title: str
    summary: str = ""
    queue: str = "cpu"
    wall_seconds: int = 300
    cpu_seconds: int = 600
    memory_mb: int = 2048
    data: list[str] = field(default_factory=list)
    starter: str = ""
    solution: str = ""
    checks: str = ""
    status: str = "published"
    order: int = 1


@dataclass
class ModuleData:
    uuid: str
    slug: str
    path: str  # relative to the course folder
    title: str
    summary: str = ""
    status: str = "published"
    order: int = 1
    lessons: list[LessonData] = field(default_factory=list)
    quiz: QuizData | None = None
    labs: list[LabData] = field(default_factory=list)


@dataclass
class LevelData:
    uuid: str
    title: str
    points: float
    description: str = ""
    status: str = "published"
    order: int = 1


@dataclass
class CriterionData:
    uuid: str
    title: str
    description: str = ""
    status: str = "published"
    order: int = 1
    levels: list[LevelData] = field(default_factory=list)


@dataclass
class RubricData:
    uuid: str
    status: str = "published"
    criteria: list[CriterionData] = field(default_factory=list)


@dataclass
class CapstoneData:
    uuid: str
    title: str
    brief: str = ""
    status: str = "published"
    rubric: RubricData | None = None


@dataclass
class CourseData:
    uuid: str
    slug: str
    title: str
    summary: str = ""
    status: str = "published"
    modules: list[ModuleData] = field(default_factory=list)
    capstone: CapstoneData | None = None
    # Every other file (figures, lab helpers, data, tools, READMEs): path -> bytes.
    files: dict[str, bytes] = field(default_factory=dict)
