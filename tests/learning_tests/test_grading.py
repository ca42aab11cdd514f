"""Grading of every question type, on snapshots, with edges: tolerance, partial credit, malformed input."""

from __future__ import annotations

from typing import Any

import pytest

from quizzes.grading import AnswerInvalid, grade, response_clean, shuffled_options

SINGLE = {"uuid": "s", "type": "single", "options": ["a", "b", "c"], "answers": ["b"], "points": 1}
MULTIPLE = {
    "uuid": "m",
    "type": "multiple",
    "options": ["a", "b", "c", "d"],
    "answers": ["a", "c"],
    "points": 2,
}
NUMERIC = {"uuid": "n", "type": "numeric", "numeric_answer": 4.17, "tolerance": 0.01, "points": 1}
EXACT = {"uuid": "e", "type": "numeric", "numeric_answer": 0.1, "tolerance": None, "points": 1}
TEXT = {
    "uuid": "t",
    "type": "text",
    "accepted": ["backpropagation", "backprop"],
    "pattern": "back-?prop(agation)?",
    "case_sensitive": False,
    "points": 1,
}
CASED = {
    "uuid": "c",
    "type": "text",
    "accepted": ["ReLU"],
    "pattern": "",
    "case_sensitive": True,
    "points": 1,
}
ORDERING = {"uuid": "o", "type": "ordering", "options": ["one", "two", "three", "four"], "points": 1}
CODE = {"uuid": "k", "type": "code", "starter": "", "checks": "", "points": 1}


def score(snapshot: dict[str, Any], response: dict[str, Any]) -> float:
    return grade(snapshot, response_clean(snapshot, response)).score


def test_single() -> None:
    assert score(SINGLE, {"choice": "b"}) == 1
    assert score(SINGLE, {"choice": "a"}) == 0


@pytest.mark.parametrize(
    ("choices", "expected"),
    [
        (["a", "c"], 2.0),  # all right
        (["a"], 1.0),  # half the right options
        (["a", "b"], 0.0),  # one right, one wrong cancel
        (["a", "c", "b"], 1.0),  # two right minus one wrong, of two
        (["b", "d"], 0.0),  # never below zero
        (["a", "b", "c", "d"], 0.0),  # choosing everything earns nothing
    ],
)
def test_multiple_partial_credit(choices: list[str], expected: float) -> None:
    assert score(MULTIPLE, {"choices": choices}) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("value", "right"),
    [
        ("4.17", True),
        ("4.16", True),
        ("4.18", True),  # the edges are inside
        ("4.159", False),
        ("4.181", False),  # just outside
        ("4.1800001", False),
        (" 4.175 ", True),
        ("4.17e0", True),
        (4.17, True),
        ("-4.17", False),
    ],
)
def test_numeric_tolerance_edges(value: Any, right: bool) -> None:
    assert score(NUMERIC, {"value": value}) == (1 if right else 0)


def test_numeric_without_tolerance_is_exact_up_to_float_noise() -> None:
    assert score(EXACT, {"value": "0.1"}) == 1
    assert score(EXACT, {"value": str(0.1 + 0.2 - 0.2)}) == 1  # 0.10000000000000003
    assert score(EXACT, {"value": "0.1001"}) == 0


@pytest.mark.parametrize(
    ("text", "right"),
    [
        ("backprop", True),
        ("  BackPropagation ", True),
        ("back-prop", True),
        ("back prop", False),
        ("backpropagation through time", False),
        ("gradient", False),
    ],
)
def test_text_accepted_and_pattern(text: str, right: bool) -> None:
    assert score(TEXT, {"text": text}) == (1 if right else 0)


def test_text_case_sensitive() -> None:
    assert score(CASED, {"text": "ReLU"}) == 1
    assert score(CASED, {"text": "relu"}) == 0


def test_ordering_is_all_or_nothing() -> None:
    assert score(ORDERING, {"order": ["one", "two", "three", "four"]}) == 1
    assert score(ORDERING, {"order": ["two", "one", "three", "four"]}) == 0


@pytest.mark.parametrize(
    ("snapshot", "response", "message"),
    [
        (SINGLE, None, "malformed"),
        (SINGLE, [], "malformed"),
        (SINGLE, {}, "Choose one option"),
        (SINGLE, {"choice": 1}, "must be text"),
        (SINGLE, {"choice": "z"}, "not one of the options"),
        (MULTIPLE, {"choices": ["a", "a"]}, "chosen once"),
        (MULTIPLE, {"choices": [1]}, "list"),
        (MULTIPLE, {}, "list"),
        (NUMERIC, {"value": True}, "Enter a number"),
        (NUMERIC, {"value": "4,17"}, "is not a number"),
        (NUMERIC, {"value": "inf"}, "finite"),
        (NUMERIC, {"value": "1" * 65}, "limit is 64"),
        (TEXT, {"text": ""}, "Write an answer"),
        (TEXT, {"text": "b" * 501}, "limit is 500"),
        (ORDERING, {"order": ["one", "two", "three"]}, "exactly once"),
        (ORDERING, {"order": ["one", "one", "three", "four"]}, "exactly once"),
        (ORDERING, {"order": "one,two"}, "list"),
        (CODE, {"code": "   "}, "Write your code"),
        (CODE, {"code": "x" * 100_001}, "longer than"),
        (CODE, {"code": "print(1)\x00"}, "NUL"),
        ({"type": "essay"}, {}, "Unknown question type"),
    ],
)
def test_malformed_and_empty_answers_have_clear_messages(
    snapshot: dict[str, Any], response: Any, message: str
) -> None:
    with pytest.raises(AnswerInvalid, match=message):
        response_clean(snapshot, response)


def test_shuffle_is_stable_per_seed_and_never_shows_the_order() -> None:
    assert shuffled_options(MULTIPLE, 7) == shuffled_options(MULTIPLE, 7)
    assert sorted(shuffled_options(MULTIPLE, 7)) == MULTIPLE["options"]
    assert len({tuple(shuffled_options(MULTIPLE, seed)) for seed in range(40)}) > 5
    assert all(shuffled_options(ORDERING, seed) != ORDERING["options"] for seed in range(200))
