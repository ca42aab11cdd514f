"""Check and grade answers against a question snapshot; pure functions, no database.

A response is a small JSON object whose key depends on the question type:

| type     | response                      | score                                                   |
|----------|-------------------------------|---------------------------------------------------------|
| single   | ``{"choice": "option"}``      | all points when it is the right option                  |
| multiple | ``{"choices": ["a", "b"]}``   | ``max(0, right - wrong) / number of right`` x points    |
| numeric  | ``{"value": "4.17"}``         | all points when within the absolute tolerance           |
| text     | ``{"text": "backprop"}``      | all points for an accepted answer or a pattern match    |
| ordering | ``{"order": ["a", "b"]}``     | all points for the exact order                          |
| code     | ``{"code": "def f(): ..."}``  | the share of check points the run earned (see services) |

``response_clean`` turns what a learner sent into that form or raises ``AnswerInvalid`` with
a message to show; grading never sees a malformed response.
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass, field
from typing import Any

MAX_TEXT_CHARS = 500
MAX_NUMBER_CHARS = 64
MAX_CODE_BYTES = 100_000
# Float noise must not turn an answer exactly at the tolerance edge into a wrong one.
EDGE_SLACK = 1e-9


class AnswerInvalid(ValueError):
    """An answer that cannot be graded as sent; the message tells the learner what to fix."""


@dataclass
class Grade:
    score: float
    max_score: float
    feedback: dict[str, Any] = field(default_factory=dict)

    @property
    def verdict(self) -> str:
        if self.score >= self.max_score:
            return "correct"
        return "partial" if self.score > 0 else "incorrect"


def _text(value: Any, what: str, limit: int = MAX_TEXT_CHARS) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise AnswerInvalid(f"{what} must be text.")
    if len(value) > limit:
        raise AnswerInvalid(f"{what} is {len(value):,} characters long; the limit is {limit:,}.")
    return value


def _options(snapshot: dict[str, Any]) -> list[str]:
    return [str(o) for o in snapshot.get("options") or []]


def response_clean(snapshot: dict[str, Any], response: Any) -> dict[str, Any]:
    """Return the canonical form of a response, or raise AnswerInvalid (empty answers included)."""
    if not isinstance(response, dict):
        raise AnswerInvalid('The answer is malformed: send an object such as {"choice": ...}.')
    kind = snapshot.get("type")
    options = _options(snapshot)
    if kind == "single":
        choice = _text(response.get("choice"), "The choice")
        if not choice:
            raise AnswerInvalid("Choose one option.")
        if choice not in options:
            raise AnswerInvalid("That choice is not one of the options.")
        return {"choice": choice}
    if kind == "multiple":
        choices = response.get("choices")
        if not isinstance(choices, list) or not all(isinstance(c, str) for c in choices):
            raise AnswerInvalid("The choices must be a list of options.")
        if not choices:
            raise AnswerInvalid("Choose at least one option.")
        if len(set(choices)) != len(choices) or any(c not in options for c in choices):
            raise AnswerInvalid("Each choice must be one of the options, chosen once.")
        return {"choices": [o for o in options if o in choices]}
    if kind == "numeric":
        raw = response.get("value")
        if isinstance(raw, bool):
            raise AnswerInvalid("Enter a number, for example 4.17.")
        if isinstance(raw, int | float):
            raw = repr(raw)
        text = _text(raw, "The number", MAX_NUMBER_CHARS).strip().replace(" ", "")
        if not text:
            raise AnswerInvalid("Enter a number.")
        try:
            value = float(text)
        except ValueError:
            raise AnswerInvalid(f"“{text}” is not a number: write it like 4.17 or -1e-3.") from None
        if not math.isfinite(value):
            raise AnswerInvalid("Enter a finite number.")
        return {"value": text}
    if kind == "text":
        text = _text(response.get("text"), "The answer").strip()
        if not text:
            raise AnswerInvalid("Write an answer.")
        return {"text": text}
    if kind == "ordering":
        order = response.get("order")
        if not isinstance(order, list) or not all(isinstance(i, str) for i in order):
            raise AnswerInvalid("The order must be a list of the items.")
        if sorted(order) != sorted(options):
            raise AnswerInvalid("Put every item in the list exactly once.")
        return {"order": order}
    if kind == "code":
        code = response.get("code")
        if not isinstance(code, str) or not code.strip():
            raise AnswerInvalid("Write your code first.")
        if len(code.encode()) > MAX_CODE_BYTES:
            raise AnswerInvalid(f"The code is longer than {MAX_CODE_BYTES:,} bytes.")
        if "\x00" in code:
            raise AnswerInvalid("The code contains a NUL character.")
        return {"code": code}
    raise AnswerInvalid(f"Unknown question type {kind!r}.")


def _normalize(text: str, case_sensitive: bool) -> str:
    text = " ".join(text.split())
    return text if case_sensitive else text.casefold()


def text_matches(snapshot: dict[str, Any], text: str) -> bool:
    """Tell whether a short text answer is accepted (a listed answer or a full pattern match)."""
    case_sensitive = bool(snapshot.get("case_sensitive"))
    wanted = _normalize(text, case_sensitive)
    if any(_normalize(str(a), case_sensitive) == wanted for a in snapshot.get("accepted") or []):
        return True
    pattern = snapshot.get("pattern") or ""
    if pattern:
        flags = 0 if case_sensitive else re.IGNORECASE
        return re.fullmatch(pattern, " ".join(text.split()), flags) is not None
    return False


def numeric_matches(snapshot: dict[str, Any], value: float) -> bool:
    """Tell whether a number lies within the absolute tolerance of the answer (edges included)."""
    answer = float(snapshot.get("numeric_answer") or 0.0)
    tolerance = float(snapshot.get("tolerance") or 0.0)
    slack = EDGE_SLACK * max(1.0, abs(answer), tolerance)
    return abs(value - answer) <= tolerance + slack


def multiple_credit(snapshot: dict[str, Any], choices: list[str]) -> float:
    """Return the share of credit of a multiple-select answer: max(0, right - wrong) / #right."""
    right_options = set(snapshot.get("answers") or [])
    if not right_options:
        return 0.0
    right = sum(1 for c in choices if c in right_options)
    wrong = len(choices) - right
    return max(0, right - wrong) / len(right_options)


def grade(snapshot: dict[str, Any], response: dict[str, Any]) -> Grade:
    """Grade a cleaned response (not code: its run grades it) and say what was right."""
    points = float(snapshot.get("points") or 1.0)
    kind = snapshot.get("type")
    share = 0.0
    feedback: dict[str, Any] = {}
    if kind == "single":
        share = 1.0 if response["choice"] in (snapshot.get("answers") or []) else 0.0
        feedback["right"] = list(snapshot.get("answers") or [])
    elif kind == "multiple":
        share = multiple_credit(snapshot, response["choices"])
        feedback["right"] = list(snapshot.get("answers") or [])
    elif kind == "numeric":
        share = 1.0 if numeric_matches(snapshot, float(response["value"])) else 0.0
        feedback["right"] = [snapshot.get("numeric_answer")]
        feedback["tolerance"] = snapshot.get("tolerance") or 0.0
    elif kind == "text":
        share = 1.0 if text_matches(snapshot, response["text"]) else 0.0
        feedback["right"] = list(snapshot.get("accepted") or []) or [snapshot.get("pattern")]
    elif kind == "ordering":
        share = 1.0 if response["order"] == _options(snapshot) else 0.0
        feedback["right"] = _options(snapshot)
    score = round(points * share, 6)
    result = Grade(score=score, max_score=points, feedback=feedback)
    result.feedback["verdict"] = result.verdict
    return result


def shuffled_options(snapshot: dict[str, Any], seed: int) -> list[str]:
    """Return the options (or ordering items) in the order one attempt shows them."""
    options = _options(snapshot)
    if snapshot.get("type") not in ("single", "multiple", "ordering") or len(options) < 2:
        return options
    shuffled = options[:]
    random.Random(f"{seed}:{snapshot.get('uuid')}").shuffle(shuffled)
    if snapshot.get("type") == "ordering" and shuffled == options:
        # Showing the items already in order would give the answer away.
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled
