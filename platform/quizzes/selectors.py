"""Reads of quizzes: what a learner is shown of an attempt, kept scores, and item statistics."""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from catalog.selectors import markdown_html
from quizzes.grading import shuffled_options
from quizzes.models import Answer, Attempt, Quiz, Scoring

# Item analysis thresholds (classical test theory rules of thumb).
TOO_EASY = 0.90
TOO_HARD = 0.30
LOW_DISCRIMINATION = 0.20
GROUP_SHARE = 0.27


def question_view(answer: Answer, seed: int, *, reveal: bool) -> dict[str, Any]:
    """Return one question of an attempt as shown; right answers and explanation only when revealed."""
    snap = answer.question_revision.snapshot
    view: dict[str, Any] = {
        "uuid": snap.get("uuid"),
        "type": snap.get("type"),
        "points": float(snap.get("points") or 1),
        "prompt_html": markdown_html(str(snap.get("prompt") or "")),
        "options": shuffled_options(snap, seed),
        "starter": snap.get("starter", "") if snap.get("type") == "code" else "",
        "response": answer.response or {},
    }
    if reveal:
        view.update(
            score=answer.score,
            verdict=(answer.feedback or {}).get("verdict", "pending" if answer.score is None else ""),
            feedback=answer.feedback or {},
            explanation_html=markdown_html(str(snap.get("explanation") or "")),
            job=str(answer.job.uuid) if answer.job_id and answer.job else None,
        )
    return view


def attempt_view(attempt: Attempt) -> dict[str, Any]:
    """Return an attempt as a learner sees it (results only after submission)."""
    reveal = attempt.is_submitted
    answers = list(
        Answer.objects.filter(attempt=attempt)
        .select_related("question_revision", "job")
        .order_by("question__order", "question_id")
    )
    questions = [question_view(a, attempt.seed, reveal=reveal) for a in answers]
    return {
        "uuid": str(attempt.uuid),
        "quiz": str(attempt.quiz.uuid),
        "title": attempt.quiz.title,
        "submitted": reveal,
        "started_at": attempt.started_at,
        "submitted_at": attempt.submitted_at,
        "score": attempt.score if reveal else None,
        "max_score": attempt.max_score if reveal else sum(q["points"] for q in questions),
        "pending": reveal and any(q.get("verdict") == "pending" for q in questions),
        "questions": questions,
    }


def quiz_scores(
    quizzes: Iterable[Quiz], user_ids: Iterable[int] | None = None
) -> dict[tuple[int, int], float]:
    """Return the kept score share (0..1) per (user id, quiz id): best or last submitted attempt."""
    by_id = {q.pk: q for q in quizzes}
    rows = Attempt.objects.filter(quiz_id__in=by_id, submitted_at__isnull=False)
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    kept: dict[tuple[int, int], tuple[Any, float]] = {}
    for user_id, quiz_id, score, max_score, submitted in rows.values_list(
        "user_id", "quiz_id", "score", "max_score", "submitted_at"
    ).order_by("submitted_at"):
        share = (score or 0.0) / max_score if max_score else 0.0
        key = (user_id, quiz_id)
        if by_id[quiz_id].scoring == Scoring.LAST or key not in kept or share > kept[key][1]:
            kept[key] = (submitted, share)
    return {k: v[1] for k, v in kept.items()}


def _kept_attempts(quiz: Quiz) -> list[Attempt]:
    """Return, per learner, the submitted attempt the quiz's scoring keeps."""
    kept: dict[int, Attempt] = {}
    for attempt in Attempt.objects.filter(quiz=quiz, submitted_at__isnull=False).order_by("submitted_at"):
        share = attempt.percent or 0.0
        current = kept.get(attempt.user_id)
        if quiz.scoring == Scoring.LAST or current is None or share > (current.percent or 0.0):
            kept[attempt.user_id] = attempt
    return list(kept.values())


def question_statistics(quiz: Quiz) -> list[dict[str, Any]]:
    """Return per question: answered, mean share correct, and the upper-lower discrimination index.

    Each learner counts once, with the attempt the quiz keeps. The discrimination index is the
    mean score share of the top 27% of learners (by total) minus that of the bottom 27%.
    """
    attempts = _kept_attempts(quiz)
    totals = {a.pk: a.percent or 0.0 for a in attempts}
    ranked = sorted(totals, key=lambda pk: totals[pk])
    group = max(1, math.ceil(len(ranked) * GROUP_SHARE)) if ranked else 0
    lower, upper = set(ranked[:group]), set(ranked[-group:]) if group else set()
    shares: dict[int, dict[int, float]] = defaultdict(dict)
    prompts: dict[int, tuple[str, str, int]] = {}
    for attempt_id, question_id, score, snapshot, order in Answer.objects.filter(
        attempt_id__in=totals, score__isnull=False
    ).values_list("attempt_id", "question_id", "score", "question_revision__snapshot", "question__order"):
        points = float(snapshot.get("points") or 1)
        shares[question_id][attempt_id] = (score / points) if points else 0.0
        prompts[question_id] = (str(snapshot.get("prompt") or ""), str(snapshot.get("type") or ""), order)
    stats = []
    for question_id, per_attempt in shares.items():
        answered = len(per_attempt)
        correct = sum(per_attempt.values()) / answered
        up = [v for k, v in per_attempt.items() if k in upper]
        low = [v for k, v in per_attempt.items() if k in lower]
        discrimination = (sum(up) / len(up) - sum(low) / len(low)) if up and low and answered > 1 else None
        flags = []
        if correct >= TOO_EASY:
            flags.append("too easy")
        if correct <= TOO_HARD:
            flags.append("too hard")
        if discrimination is not None and discrimination < LOW_DISCRIMINATION:
            flags.append("low discrimination")
        prompt, kind, order = prompts[question_id]
        stats.append(
            {
                "question": question_id,
                "order": order,
                "prompt": prompt,
                "type": kind,
                "answered": answered,
                "percent_correct": round(100 * correct, 1),
                "discrimination": None if discrimination is None else round(discrimination, 2),
                "flags": flags,
            }
        )
    return sorted(stats, key=lambda s: s["order"])


def statistics_figure(stats: list[dict[str, Any]]) -> dict[str, Any]:
    """Return a Plotly figure of percent correct per question, flagged bars coloured."""
    colours = [
        "#c0392b" if "too hard" in s["flags"] else "#e67e22" if "too easy" in s["flags"] else "#2e86de"
        for s in stats
    ]
    labels = [f"Q{i + 1}" for i in range(len(stats))]
    return {
        "data": [
            {
                "type": "bar",
                "name": "% correct",
                "x": labels,
                "y": [s["percent_correct"] for s in stats],
                "marker": {"color": colours},
                "hovertext": [s["prompt"][:80] for s in stats],
            },
            {
                "type": "scatter",
                "mode": "markers",
                "name": "discrimination x 100",
                "x": labels,
                "y": [None if s["discrimination"] is None else 100 * s["discrimination"] for s in stats],
                "marker": {"symbol": "diamond", "size": 10, "color": "#222"},
            },
        ],
        "layout": {
            "height": 320,
            "yaxis": {"title": {"text": "percent"}, "range": [-100, 105]},
            "shapes": [
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": 100 * TOO_EASY,
                    "y1": 100 * TOO_EASY,
                    "line": {"dash": "dot", "color": "#e67e22"},
                },
                {
                    "type": "line",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": 100 * TOO_HARD,
                    "y1": 100 * TOO_HARD,
                    "line": {"dash": "dot", "color": "#c0392b"},
                },
            ],
            "legend": {"orientation": "h"},
        },
    }
