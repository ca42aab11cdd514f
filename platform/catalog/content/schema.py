"""Typed reading of parsed YAML mappings, with every problem recorded (file, line, fix)."""

from __future__ import annotations

import ast
import difflib
import re
import uuid as uuid_lib
from collections.abc import Iterable
from typing import Any

from catalog.content.problems import Problem
from catalog.content.yamlio import INVALID

STATUSES = ("published", "draft")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_MISSING = object()


def _type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if value is None:
        return "nothing (null)"
    return "text"


class Reader:
    """Read the keys of one mapping, checking names and types, collecting problems."""

    def __init__(
        self,
        data: Any,
        path: str,
        problems: list[Problem],
        *,
        where: str = "",
        allowed: Iterable[str] = (),
        line: int | None = None,
    ) -> None:
        self.path, self.problems, self.where = path, problems, where
        self.allowed = list(allowed)
        self.ok = isinstance(data, dict)
        self.data: dict[Any, Any] = data if isinstance(data, dict) else {}
        self.line_no = getattr(data, "line", None) or line
        # A file whose YAML did not parse already has its problem; say nothing more about it.
        self.silent = data is INVALID
        if self.silent:
            return
        if not self.ok:
            self.add(
                None,
                f"expected a mapping of keys ({', '.join(self.allowed)}), found {_type_name(data)}",
                "write one `key: value` per line",
            )
            return
        for key, line in getattr(data, "duplicates", []):
            self.problems.append(
                Problem(path, line, self._where(f"key '{key}' appears twice"), "keep one of them")
            )
        for key in data:
            if key not in self.allowed:
                close = difflib.get_close_matches(str(key), self.allowed, n=1)
                hint = f"did you mean '{close[0]}'? " if close else ""
                self.add(key, f"unknown key '{key}'", f"{hint}allowed keys: {', '.join(self.allowed)}")

    def _where(self, message: str) -> str:
        return f"{self.where}: {message}" if self.where else message

    def line(self, key: Any = None) -> int | None:
        lines = getattr(self.data, "key_lines", {})
        return lines.get(key, self.line_no) if key is not None else self.line_no

    def add(self, key: Any, message: str, hint: str = "") -> None:
        """Record a problem about one key (or the whole mapping when key is None)."""
        if self.silent:
            return
        self.problems.append(Problem(self.path, self.line(key), self._where(message), hint))

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str) -> Any:
        return self.data.get(key, _MISSING)

    def text(self, key: str, *, required: bool = False, default: str = "") -> str:
        value = self.raw(key)
        if value is _MISSING or value is None:
            if required:
                self.add(None, f"missing required key '{key}'", f"add `{key}: ...`")
            return default
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.add(key, f"'{key}' must be text, found {_type_name(value)}", "quote the value")
            return default
        if required and not str(value).strip():
            self.add(key, f"'{key}' is empty", f"give the {key} a value")
        return str(value)

    def integer(self, key: str, *, default: int, minimum: int = 0) -> int:
        value = self.raw(key)
        if value is _MISSING:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            self.add(
                key, f"'{key}' must be a whole number, found {_type_name(value)}", f"write `{key}: {default}`"
            )
            return default
        if value < minimum:
            self.add(key, f"'{key}' must be at least {minimum}, found {value}", f"use a number >= {minimum}")
            return default
        return value

    def number(
        self, key: str, *, default: float | None = None, required: bool = False, minimum: float | None = None
    ) -> float | None:
        value = self.raw(key)
        if value is _MISSING or value is None:
            if required:
                self.add(None, f"missing required key '{key}'", f"add `{key}: <number>`")
            return default
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.add(
                key, f"'{key}' must be a number, found {_type_name(value)}", f"write `{key}: 1.5` (no quotes)"
            )
            return default
        if minimum is not None and value < minimum:
            self.add(
                key, f"'{key}' must be at least {minimum:g}, found {value}", f"use a number >= {minimum:g}"
            )
            return default
        return float(value)

    def boolean(self, key: str, *, default: bool) -> bool:
        value = self.raw(key)
        if value is _MISSING:
            return default
        if not isinstance(value, bool):
            self.add(key, f"'{key}' must be true or false, found {_type_name(value)}", f"write `{key}: true`")
            return default
        return value

    def choice(self, key: str, choices: Iterable[str], *, default: str | None = None) -> str:
        options = list(choices)
        value = self.raw(key)
        if value is _MISSING and default is not None:
            return default
        if value is _MISSING:
            self.add(None, f"missing required key '{key}'", f"add `{key}: ` one of {', '.join(options)}")
            return options[0]
        if value not in options:
            self.add(
                key,
                f"'{key}' must be one of {', '.join(options)}, found {value!r}",
                f"write `{key}: {options[0]}`",
            )
            return default or options[0]
        return str(value)

    def status(self) -> str:
        return self.choice("status", STATUSES, default="published")

    def texts(self, key: str, *, required: bool = False, min_items: int = 0) -> list[str]:
        value = self.raw(key)
        if value is _MISSING or value is None:
            if required:
                self.add(None, f"missing required key '{key}'", f"add `{key}: [first, second]`")
            return []
        if not isinstance(value, list):
            self.add(
                key, f"'{key}' must be a list, found {_type_name(value)}", f"write `{key}: [first, second]`"
            )
            return []
        out: list[str] = []
        lines = getattr(value, "item_lines", [])
        for index, item in enumerate(value):
            if isinstance(item, bool) or not isinstance(item, str | int | float):
                line = lines[index] if index < len(lines) else self.line(key)
                self.problems.append(
                    Problem(
                        self.path,
                        line,
                        self._where(f"item {index + 1} of '{key}' must be text, found {_type_name(item)}"),
                        "quote the item",
                    )
                )
                continue
            out.append(str(item))
        if len(out) < min_items:
            self.add(key, f"'{key}' needs at least {min_items} items, found {len(out)}", "add more items")
        if len(set(out)) != len(out):
            dupes = sorted({x for x in out if out.count(x) > 1})
            self.add(
                key,
                f"'{key}' lists {', '.join(repr(d) for d in dupes)} more than once",
                "keep each item once",
            )
        return out

    def uuid(self, key: str = "uuid") -> str:
        value = self.raw(key)
        if value is _MISSING or value is None:
            self.add(
                None,
                f"missing required key '{key}'",
                'add `uuid: ...`, generated with python -c "import uuid; print(uuid.uuid4())"',
            )
            return ""
        try:
            return str(uuid_lib.UUID(str(value)))
        except ValueError:
            self.add(
                key,
                f"'{key}' is not a valid UUID: {value!r}",
                'generate one with python -c "import uuid; print(uuid.uuid4())"',
            )
            return ""

    def items(self, key: str, *, required: bool = False) -> list[tuple[Any, int | None]]:
        """Return the items of a list of mappings with their lines."""
        value = self.raw(key)
        if value is _MISSING or value is None:
            if required:
                self.add(None, f"missing required key '{key}'", f"add a `{key}:` list")
            return []
        if not isinstance(value, list):
            self.add(
                key,
                f"'{key}' must be a list, found {_type_name(value)}",
                f"start each item of {key} with '- '",
            )
            return []
        lines = getattr(value, "item_lines", [])
        return [(item, lines[i] if i < len(lines) else self.line(key)) for i, item in enumerate(value)]


def check_python(
    source: str,
    path: str,
    problems: list[Problem],
    *,
    line_offset: int = 0,
    where: str = "",
    need_checks: bool = False,
) -> None:
    """Report a syntax error in Python source, and a checks file without check_* functions."""
    prefix = f"{where}: " if where else ""
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        line = (exc.lineno or 0) + line_offset or None
        problems.append(
            Problem(
                path,
                line,
                f"{prefix}Python syntax error: {exc.msg}",
                "fix the code so that `python -m py_compile` accepts it",
            )
        )
        return
    if need_checks:
        names = [n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("check_")]
        if not names:
            problems.append(
                Problem(
                    path,
                    line_offset or None,
                    f"{prefix}no check_* function found",
                    "define at least one `def check_something(run):` that raises AssertionError",
                )
            )


def check_pattern(reader: Reader, key: str, pattern: str) -> None:
    try:
        re.compile(pattern)
    except re.error as exc:
        reader.add(key, f"'{key}' is not a valid regular expression: {exc}", "fix or quote the pattern")
