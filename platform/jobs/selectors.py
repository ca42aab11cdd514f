"""Reads of the job pipeline: metric backlog (min/max bucketed when long), run history."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.conf import settings

from jobs.models import Job, JobMetric


def bucket_min_max(points: list[tuple[int, float | None]], max_points: int) -> list[tuple[int, float | None]]:
    """Keep every spike: split a series into buckets and keep each bucket's min and max."""
    if len(points) <= max_points or max_points < 4:
        return points
    buckets = max_points // 2
    size = len(points) / buckets
    kept: list[tuple[int, float | None]] = []
    for b in range(buckets):
        chunk = points[int(b * size) : int((b + 1) * size)]
        if not chunk:
            continue
        finite = [p for p in chunk if p[1] is not None]
        if not finite:
            kept.append(chunk[0])
            continue
        low = min(finite, key=lambda p: p[1])  # type: ignore[arg-type,return-value]
        high = max(finite, key=lambda p: p[1])  # type: ignore[arg-type,return-value]
        kept.extend(sorted({low, high}, key=lambda p: p[0]))
    return kept


def job_metric_points(job: Job, *, after: int = 0, max_points: int | None = None) -> dict[str, Any]:
    """Return a job's stored points after a sequence number, grouped by event, bucketed per metric."""
    limit = max_points or settings.JOBS_BACKLOG_MAX_POINTS
    rows = (
        JobMetric.objects.filter(job=job, seq__gt=after)
        .order_by("seq")
        .values_list("seq", "step", "t", "name", "value")
    )
    series: dict[str, list[tuple[int, float | None]]] = defaultdict(list)
    meta: dict[int, tuple[int | None, float]] = {}
    for seq, step, t, name, value in rows.iterator(chunk_size=5000):
        series[name].append((seq, value))
        meta[seq] = (step, t)
    downsampled = False
    by_seq: dict[int, dict[str, float | None]] = defaultdict(dict)
    for name, values in series.items():
        kept = bucket_min_max(values, limit)
        downsampled = downsampled or len(kept) < len(values)
        for seq, value in kept:
            by_seq[seq][name] = value
    points = [
        {"seq": seq, "step": meta[seq][0], "t": meta[seq][1], "values": by_seq[seq]} for seq in sorted(by_seq)
    ]
    last = max(meta) if meta else after
    return {"seq": last, "points": points, "downsampled": downsampled}


def lab_run_history(user: Any, lab: Any, limit: int = 10) -> list[Job]:
    """Return the user's latest runs of a lab, newest first."""
    return list(Job.objects.filter(user=user, lab=lab).order_by("-created_at")[:limit])


def job_queue_position(job: Job) -> int | None:
    """Return how many queued jobs of the same queue wait ahead of this one."""
    if job.status != "queued":
        return None
    return Job.objects.filter(queue=job.queue, status="queued", created_at__lt=job.created_at).count()
