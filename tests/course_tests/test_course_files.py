"""The course folder validates, imports into the database, and every lesson page renders."""

from __future__ import annotations

import pytest
import yaml
from django.test import Client
from django.urls import reverse

from catalog.models import Lesson, Status
from catalog.services import course_import, course_validate
from tests.course_tests.layout import CHECKED_MODULES, COURSE


def test_course_validates() -> None:
    problems = course_validate(path=COURSE)
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(map(str, problems))


def test_every_data_file_is_in_the_manifest() -> None:
    manifest = yaml.safe_load((COURSE / "data" / "MANIFEST.yaml").read_text(encoding="utf-8"))
    listed = {e["path"] for group in manifest.values() for e in group if e.get("path")}
    files = {
        p.relative_to(COURSE / "data").as_posix()
        for p in (COURSE / "data").rglob("*")
        if p.is_file() and p.name != "MANIFEST.yaml" and not p.name.startswith(".")
    }
    assert not files - listed, (
        f"data files without a manifest entry (source, licence): {sorted(files - listed)}"
    )


@pytest.mark.django_db
def test_course_imports_and_every_lesson_renders(client: Client, student) -> None:  # type: ignore[no-untyped-def]
    course = course_import(path=COURSE).course
    assert course.slug == "llm-masterclass"
    lessons = list(
        Lesson.objects.filter(module__course=course, module__order__in=list(CHECKED_MODULES))
        .filter(status=Status.PUBLISHED, module__status=Status.PUBLISHED)
        .select_related("module")
        .order_by("module__order", "order")
    )
    modules = {lesson.module.order for lesson in lessons}
    assert modules == set(CHECKED_MODULES), f"published lessons only in modules {sorted(modules)}"
    client.force_login(student)
    failures = []
    for lesson in lessons:
        url = reverse(
            "catalog:lesson",
            kwargs={"course_slug": course.slug, "module_key": lesson.module.slug, "lesson_key": lesson.slug},
        )
        response = client.get(url)
        if response.status_code != 200:
            failures.append(f"{url}: HTTP {response.status_code}")
        elif lesson.title not in response.content.decode():
            failures.append(f"{url}: the page does not show the title {lesson.title!r}")
    assert not failures, "lesson pages that do not render:\n" + "\n".join(failures)
