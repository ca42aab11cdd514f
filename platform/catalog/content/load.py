"""Read a course folder into dataclasses, collecting every problem of every file."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import yaml
from markdown_it import MarkdownIt

from catalog.content import formats
from catalog.content.items import CourseData, LabData, LessonData, ModuleData
from catalog.content.problems import Problem
from catalog.content.schema import SLUG, Reader
from catalog.content.yamlio import load_yaml
from catalog.models import derived_order, slug_of

NOTES = frozenset({"README.md", "CALIBRATION.md"})
LAB_FILES = ("starter.py", "solution.py", "checks.py")
MAX_FILE_BYTES = 32 * 1024 * 1024
MANIFEST = "data/MANIFEST.yaml"
MANIFEST_ENTRY_KEYS = (
    "id",
    "title",
    "source",
    "version",
    "licence",
    "attribution",
    "path",
    "sha256",
    "url",
    "notes",
)


@dataclass
class Loaded:
    """A parsed course (None when course.yaml is unusable) and everything wrong with it."""

    course: CourseData | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.course is not None and not self.problems


def ignored(path: Path) -> bool:
    """Tell whether a file is local clutter that never belongs to a course."""
    name = path.name
    return name.startswith(".") or name == "__pycache__" or name.endswith((".pyc", "~"))


def _entries(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if not ignored(p))


def _walk(folder: Path) -> Iterator[Path]:
    for entry in _entries(folder):
        if entry.is_dir():
            yield from _walk(entry)
        else:
            yield entry


class _Loader:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self.files: dict[str, bytes] = {}

    def rel(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    def add(self, path: Path | str, line: int | None, message: str, hint: str = "") -> None:
        self.problems.append(Problem(path if isinstance(path, str) else self.rel(path), line, message, hint))

    def read_text(self, path: Path) -> str | None:
        try:
            return path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            self.add(
                path, None, f"not UTF-8 text ({exc.reason} at byte {exc.start})", "save the file as UTF-8"
            )
        except OSError as exc:
            self.add(path, None, f"cannot read the file: {exc.strerror}", "check the file's permissions")
        return None

    def read_yaml(self, path: Path) -> Any:
        text = self.read_text(path)
        return None if text is None else load_yaml(text, self.rel(path), self.problems)

    def keep(self, path: Path) -> None:
        """Keep a file that is not a content item, so export writes it back."""
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            self.add(
                path,
                None,
                f"file is {size // 2**20} MiB, over the {MAX_FILE_BYTES // 2**20} MiB limit",
                "keep large data outside the course and document it in data/MANIFEST.yaml",
            )
            return
        self.files[self.rel(path)] = path.read_bytes()

    def unexpected(self, path: Path, where: str, expected: str) -> None:
        kind = "folder" if path.is_dir() else "file"
        self.add(path, None, f"unexpected {kind} in {where}", f"{where} holds {expected}; move or remove it")

    # The tree ------------------------------------------------------------------------------

    def course(self) -> CourseData | None:
        if not self.root.is_dir():
            self.add(str(self.root), None, "not a folder", "pass the path of a course folder")
            return None
        course_file = self.root / "course.yaml"
        if not course_file.is_file():
            self.add(
                "course.yaml", None, "missing course.yaml", "create course.yaml with uuid, slug and title"
            )
            course = None
        else:
            course = formats.parse_course(self.read_yaml(course_file), "course.yaml", self.problems)
        for entry in _entries(self.root):
            name = entry.name
            if name == "course.yaml":
                continue
            if name in ("data", "tools") and entry.is_dir():
                for file in _walk(entry):
                    self.keep(file)
            elif name in NOTES and entry.is_file():
                self.keep(entry)
            elif name not in ("modules", "capstone") or not entry.is_dir():
                self.unexpected(
                    entry,
                    "the course folder",
                    "course.yaml, modules/, capstone/, data/, tools/, README.md and CALIBRATION.md",
                )
        modules_dir = self.root / "modules"
        modules = []
        if modules_dir.is_dir():
            folders = [p for p in _entries(modules_dir) if p.is_dir()]
            for extra in _entries(modules_dir):
                if extra.is_file():
                    if extra.name in NOTES:
                        self.keep(extra)
                    else:
                        self.unexpected(extra, "modules/", "one folder per module")
            modules = [self.module(folder, index) for index, folder in enumerate(folders, start=1)]
        capstone_dir = self.root / "capstone"
        capstone = self.capstone(capstone_dir) if capstone_dir.is_dir() else None
        if course is None:
            return None
        course.modules = [m for m in modules if m is not None]
        course.capstone = capstone
        course.files = self.files
        return course

    def module(self, folder: Path, index: int) -> ModuleData | None:
        slug = slug_of(folder.name)
        if not SLUG.match(slug):
            self.add(
                folder,
                None,
                f"module folder name {folder.name!r} does not give a valid slug",
                "name it like 01-intro-to-ml: a number, a dash, lowercase words joined by dashes",
            )
        module_file = folder / "module.yaml"
        if not module_file.is_file():
            self.add(folder, None, "missing module.yaml", "create module.yaml with uuid and title")
            module = None
        else:
            module = formats.parse_module(
                self.read_yaml(module_file),
                self.rel(module_file),
                self.problems,
                slug=slug,
                folder=self.rel(folder),
                derived=derived_order(folder.name, index),
            )
        lessons: list[LessonData] = []
        labs: list[LabData] = []
        quiz = None
        for entry in _entries(folder):
            name = entry.name
            if name == "module.yaml":
                continue
            if name == "quiz.yaml" and entry.is_file():
                quiz = formats.parse_quiz(self.read_yaml(entry), self.rel(entry), self.problems)
            elif name == "lessons" and entry.is_dir():
                lessons = self.lessons(entry)
            elif name == "labs" and entry.is_dir():
                labs = self.labs(entry)
            elif name == "figures" and entry.is_dir():
                self.figures(entry)
            elif name in NOTES and entry.is_file():
                self.keep(entry)
            else:
                self.unexpected(
                    entry,
                    "a module folder",
                    "module.yaml, quiz.yaml, lessons/, labs/, figures/ and README.md",
                )
        if module is not None:
            module.lessons, module.labs, module.quiz = lessons, labs, quiz
            for lesson in lessons:
                self.check_figures(lesson, folder)
        return module

    def lessons(self, folder: Path) -> list[LessonData]:
        out = []
        files = [p for p in _entries(folder) if p.is_file() and p.suffix == ".md" and p.name not in NOTES]
        for entry in _entries(folder):
            if entry.name in NOTES and entry.is_file():
                self.keep(entry)
            elif entry not in files:
                self.unexpected(entry, "lessons/", "one Markdown file per lesson (NN-slug.md)")
        for index, file in enumerate(files, start=1):
            slug = slug_of(file.name)
            if not SLUG.match(slug):
                self.add(
                    file,
                    None,
                    f"lesson file name {file.name!r} does not give a valid slug",
                    "name it like 01-what-is-ml.md",
                )
            text = self.read_text(file)
            if text is not None:
                out.append(
                    formats.parse_lesson(
                        text,
                        self.rel(file),
                        self.problems,
                        slug=slug,
                        file=f"lessons/{file.name}",
                        derived=derived_order(file.name, index),
                    )
                )
        return out

    def labs(self, folder: Path) -> list[LabData]:
        out = []
        folders = [p for p in _entries(folder) if p.is_dir()]
        for entry in _entries(folder):
            if entry.is_file():
                if entry.name in NOTES:
                    self.keep(entry)
                else:
                    self.unexpected(entry, "labs/", "one folder per lab")
        for index, lab_dir in enumerate(folders, start=1):
            slug = slug_of(lab_dir.name)
            if not SLUG.match(slug):
                self.add(
                    lab_dir,
                    None,
                    f"lab folder name {lab_dir.name!r} does not give a valid slug",
                    "name it like linear-regression",
                )
            lab_file = lab_dir / "lab.yaml"
            lab = None
            if lab_file.is_file():
                lab = formats.parse_lab(
                    self.read_yaml(lab_file),
                    self.rel(lab_file),
                    self.problems,
                    slug=slug,
                    folder=f"labs/{lab_dir.name}",
                    derived=derived_order(lab_dir.name, index),
                )
            else:
                self.add(lab_dir, None, "missing lab.yaml", "create lab.yaml with uuid, title and queue")
            for name in LAB_FILES:
                path = lab_dir / name
                if not path.is_file():
                    role = {
                        "starter.py": "what the learner edits",
                        "solution.py": "the reference solution",
                        "checks.py": "the check_* functions that grade a run",
                    }[name]
                    self.add(path, None, f"missing {name} of lab {lab_dir.name!r}", f"add {name}: {role}")
                    continue
                source = self.read_text(path)
                if source is None:
                    continue
                formats.check_python(source, self.rel(path), self.problems, need_checks=name == "checks.py")
                if lab is not None:
                    setattr(lab, name[:-3], source)
            for extra in _walk(lab_dir):
                if extra.name not in (*LAB_FILES, "lab.yaml") or extra.parent != lab_dir:
                    self.keep(extra)
            if lab is not None:
                out.append(lab)
        return out

    def figures(self, folder: Path) -> None:
        for file in _walk(folder):
            self.keep(file)
            if file.suffix != ".json":
                continue
            try:
                figure = json.loads(file.read_bytes())
            except ValueError as exc:
                self.add(
                    file,
                    getattr(exc, "lineno", None),
                    f"figure is not valid JSON: {exc}",
                    "regenerate it with the script under tools/",
                )
                continue
            if not isinstance(figure, dict) or not isinstance(figure.get("data"), list):
                self.add(
                    file,
                    None,
                    'a Plotly figure must be an object with a "data" list',
                    'write {"data": [...], "layout": {...}} (plotly.io.to_json does)',
                )

    def check_figures(self, lesson: LessonData, module_dir: Path) -> None:
        path = f"{self.rel(module_dir)}/{lesson.path}"
        full = (self.root / path).read_text("utf-8")
        offset = full[: len(full) - len(lesson.body)].count("\n")
        self.problems.extend(
            figure_problems(
                lesson.body,
                module_folder=self.rel(module_dir),
                files=self.files,
                path=path,
                line_offset=offset,
            )
        )

    def capstone(self, folder: Path) -> Any:
        spec = folder / "capstone.yaml"
        capstone = None
        if spec.is_file():
            capstone = formats.parse_capstone(self.read_yaml(spec), self.rel(spec), self.problems)
        else:
            self.add(
                folder,
                None,
                "missing capstone.yaml",
                "create capstone/capstone.yaml with uuid, title and brief",
            )
        rubric_file = folder / "rubric.yaml"
        rubric = (
            formats.parse_rubric(self.read_yaml(rubric_file), self.rel(rubric_file), self.problems)
            if rubric_file.is_file()
            else None
        )
        for extra in _walk(folder):
            if extra.parent != folder or extra.name not in ("capstone.yaml", "rubric.yaml"):
                self.keep(extra)
        if capstone is not None:
            capstone.rubric = rubric
        return capstone

    # Checks across files --------------------------------------------------------------------

    def manifest_ids(self) -> set[str] | None:
        raw = self.files.get(MANIFEST)
        if raw is None:
            return None
        data = load_yaml(raw.decode("utf-8", "replace"), MANIFEST, self.problems)
        r = Reader(data, MANIFEST, self.problems, allowed=("datasets", "models"))
        ids: set[str] = set()
        for key in ("datasets", "models"):
            for i, (item, line) in enumerate(r.items(key), start=1):
                entry = Reader(
                    item, MANIFEST, self.problems, where=f"{key} {i}", allowed=MANIFEST_ENTRY_KEYS, line=line
                )
                ident = entry.text("id", required=True)
                for name in ("title", "source", "licence"):
                    entry.text(name, required=True)
                if ident in ids:
                    entry.add("id", f"id {ident!r} is listed twice", "give each data set its own id")
                ids.add(ident)
                rel = entry.text("path")
                if rel:
                    rel = rel.removeprefix("data/")
                    stored = self.files.get(f"data/{rel}")
                    if stored is None:
                        entry.add(
                            "path", f"data file data/{rel} does not exist", "add the file or fix the path"
                        )
                    else:
                        digest = entry.text("sha256")
                        if digest and hashlib.sha256(stored).hexdigest() != digest:
                            entry.add(
                                "sha256",
                                f"sha256 of data/{rel} does not match",
                                f"write sha256: {hashlib.sha256(stored).hexdigest()}",
                            )
        return ids

    def cross_checks(self, course: CourseData) -> None:
        seen: dict[str, str] = {}

        def claim(uuid: str, where: str) -> None:
            if not uuid:
                return
            if uuid in seen:
                self.add(
                    where,
                    None,
                    f"uuid {uuid} is also used by {seen[uuid]}",
                    'every item needs its own uuid: python -c "import uuid; print(uuid.uuid4())"',
                )
            else:
                seen[uuid] = where

        claim(course.uuid, "course.yaml")
        ids = self.manifest_ids()
        slugs: dict[str, str] = {}
        for m in course.modules:
            claim(m.uuid, f"{m.path}/module.yaml")
            if m.slug in slugs:
                self.add(
                    m.path,
                    None,
                    f"module slug {m.slug!r} is also used by {slugs[m.slug]}",
                    "rename one of the folders",
                )
            slugs[m.slug] = m.path
            lesson_slugs: set[str] = set()
            for lesson in m.lessons:
                claim(lesson.uuid, f"{m.path}/{lesson.path}")
                if lesson.slug in lesson_slugs:
                    self.add(
                        f"{m.path}/{lesson.path}",
                        None,
                        f"lesson slug {lesson.slug!r} is used twice in {m.path}",
                        "rename one of the files",
                    )
                lesson_slugs.add(lesson.slug)
            if m.quiz:
                claim(m.quiz.uuid, f"{m.path}/quiz.yaml")
                for q in m.quiz.questions:
                    claim(q.uuid, f"{m.path}/quiz.yaml (question {q.order})")
            for lab in m.labs:
                where = f"{m.path}/{lab.path}/lab.yaml"
                claim(lab.uuid, where)
                for ident in lab.data:
                    if ids is None:
                        self.add(
                            where,
                            None,
                            f"lab uses data {ident!r} but the course has no {MANIFEST}",
                            f"create {MANIFEST} listing {ident!r}",
                        )
                    elif ident not in ids:
                        self.add(
                            where,
                            None,
                            f"data set {ident!r} is not in {MANIFEST}",
                            f"add it to {MANIFEST}, or use one of: {', '.join(sorted(ids)) or 'none yet'}",
                        )
        if course.capstone:
            claim(course.capstone.uuid, "capstone/capstone.yaml")
            rubric = course.capstone.rubric
            if rubric:
                claim(rubric.uuid, "capstone/rubric.yaml")
                for c in rubric.criteria:
                    claim(c.uuid, f"capstone/rubric.yaml (criterion {c.order})")
                    for lv in c.levels:
                        claim(lv.uuid, f"capstone/rubric.yaml (criterion {c.order} level {lv.order})")


def figure_problems(
    body: str, *, module_folder: str, files: Any, path: str, line_offset: int = 0
) -> list[Problem]:
    """Check that every plotly block of a lesson body names a figure among files (paths)."""
    problems = []
    for token in MarkdownIt("commonmark").parse(body):
        if token.type != "fence" or token.info.strip().split(" ")[0] != "plotly":
            continue
        line = line_offset + (token.map[0] + 1 if token.map else 0)
        text = token.content.strip()
        if text.startswith("{"):
            try:
                json.loads(text)
            except ValueError as exc:
                problems.append(
                    Problem(path, line, f"inline plotly figure is not valid JSON: {exc}", "fix the JSON")
                )
            continue
        try:
            spec = yaml.safe_load(text)
        except yaml.YAMLError:
            spec = None
        src = spec.get("src") if isinstance(spec, dict) else None
        if not isinstance(src, str):
            problems.append(
                Problem(
                    path,
                    line,
                    "a plotly block needs `src: figures/NAME.json` or the figure JSON",
                    "write src: figures/NAME.json inside the block",
                )
            )
            continue
        target = (PurePosixPath(module_folder) / src).as_posix()
        if ".." in PurePosixPath(src).parts or target not in files:
            problems.append(
                Problem(
                    path,
                    line + 1,
                    f"figure {src} not found in {module_folder}/",
                    "create it under the module's figures/ folder, or fix the path",
                )
            )
    return problems


def load_course(root: Path | str) -> Loaded:
    """Parse a course folder; never stops at the first problem."""
    loader = _Loader(Path(root).resolve())
    course = loader.course()
    if course is not None:
        loader.cross_checks(course)
    problems = sorted(set(loader.problems), key=lambda p: (p.path, p.line or 0, p.message))
    return Loaded(course=course, problems=problems)
