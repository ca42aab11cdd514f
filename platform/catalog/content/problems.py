"""What is wrong with a course's files, collected rather than raised so authors see it all."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in one file: where, what, and how to fix it."""

    path: str
    line: int | None
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        return f"{text}\n    fix: {self.hint}" if self.hint else text

    @property
    def text(self) -> str:
        """Return the message and hint as one sentence (as the admin forms show it)."""
        return f"{self.message} ({self.hint})" if self.hint else self.message


class ContentError(Exception):
    """Raised by services when course files have problems; carries all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=lambda p: (p.path, p.line or 0))
        super().__init__(f"{len(self.problems)} problem(s) in the course files")
