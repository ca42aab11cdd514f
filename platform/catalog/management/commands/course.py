"""manage.py course validate|import|export: course files in and out of the database."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.content.problems import ContentError, Problem
from catalog.models import Course
from catalog.services import course_export, course_import, course_validate


class Command(BaseCommand):
    help = "Validate, import or export a course in the file format of courses/README.md."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        validate = sub.add_parser("validate", help="list every problem of every file")
        validate.add_argument("path", type=Path)
        do_import = sub.add_parser("import", help="validate, then upsert by uuid in one transaction")
        do_import.add_argument("path", type=Path)
        export = sub.add_parser("export", help="write a course back as files")
        export.add_argument("slug")
        export.add_argument("path", type=Path)
        export.add_argument(
            "--replace",
            action="store_true",
            help="remove files in PATH that are not part of the course (for exporting over a checkout)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "validate":
            problems = course_validate(path=options["path"])
            if problems:
                self._report(problems)
            self.stdout.write(self.style.SUCCESS(f"{options['path']}: no problems"))
        elif action == "import":
            started = time.monotonic()
            try:
                result = course_import(path=options["path"])
            except ContentError as exc:
                self._report(exc.problems, imported=False)
            c = result.counts
            self.stdout.write(
                self.style.SUCCESS(
                    f"imported {result.course.slug} in {time.monotonic() - started:.1f}s: "
                    f"{c.created} created, {c.updated} updated, {c.unchanged} unchanged, {c.archived} archived; "
                    f"files: {c.files_written} written, {c.files_removed} removed"
                )
            )
        else:
            course = Course.objects.filter(slug=options["slug"]).first()
            if course is None:
                raise CommandError(f"no course with slug {options['slug']!r}; import it first")
            count = course_export(course=course, path=options["path"], replace=options["replace"])
            self.stdout.write(
                self.style.SUCCESS(f"exported {course.slug} to {options['path']} ({count} files)")
            )

    def _report(self, problems: list[Problem], *, imported: bool | None = None) -> None:
        files = len({p.path for p in problems})
        for problem in problems:
            self.stderr.write(str(problem))
        tail = "; nothing was imported" if imported is False else ""
        raise CommandError(f"{len(problems)} problem(s) in {files} file(s){tail}")
