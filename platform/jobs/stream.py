"""Store a run's events in batches and push each batch to the job's watchers.

The sandbox calls ``put`` from its reading thread; one flusher thread owns the database
connection, writes every point (bulk inserts), beats the job's heartbeat and notices a
cancel request.
"""

from __future__ import annotations

import json
import logging
import queue
import re
import threading
import time
from typing import Any

from django.conf import settings
from django.db import close_old_connections, connection
from django.db.models import F
from django.utils import timezone

from common.events import group_send
from jobs.models import Job, JobMetric

log = logging.getLogger(__name__)
_STOP = object()
MAX_LOG_LINES = 200
CANCEL_CHECK_SECONDS = 0.25
METRIC_NAME = re.compile(r"[A-Za-z0-9_./-]{1,64}")


class MetricStream:
    """Batch events into stored rows and ``job.metrics`` group messages."""

    def __init__(self, job: Job, cancel: threading.Event) -> None:
        self.job = job
        self.cancel = cancel
        self.started = (job.started_at or timezone.now()).timestamp()
        self._queue: queue.Queue[Any] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name=f"job-{job.pk}-stream", daemon=True)
        self.points_stored = 0

    def start(self) -> None:
        self._thread.start()

    def put(self, event: Any) -> None:
        """Accept one sandbox event (called from the sandbox's reading thread)."""
        self._queue.put(event)

    def stop(self) -> None:
        """Flush what is left and wait for the flusher to finish."""
        self._queue.put(_STOP)
        self._thread.join(timeout=60)

    # The flusher thread ------------------------------------------------------------------
    def _run(self) -> None:
        points: list[dict[str, Any]] = []
        logs: list[str] = []
        flush_every = settings.JOBS_FLUSH_SECONDS
        beat_every = settings.JOBS_HEARTBEAT_SECONDS
        last_flush = last_beat = last_cancel_check = time.monotonic()
        try:
            while True:
                timeout = (
                    max(0.0, flush_every - (time.monotonic() - last_flush)) if points or logs else beat_every
                )
                try:
                    item = self._queue.get(timeout=min(timeout, CANCEL_CHECK_SECONDS))
                except queue.Empty:
                    item = None
                if item is _STOP:
                    self._flush(points, logs)
                    break
                if item is not None:
                    self._collect(item, points, logs)
                now = time.monotonic()
                due = len(points) >= settings.JOBS_FLUSH_POINTS or now - last_flush >= flush_every
                if (points or logs) and due:
                    self._flush(points, logs)
                    points, logs = [], []
                    last_flush = now
                if now - last_beat >= beat_every:
                    self._heartbeat()
                    last_beat = now
                if now - last_cancel_check >= CANCEL_CHECK_SECONDS:
                    self._check_cancel()
                    last_cancel_check = now
        except Exception:  # noqa: BLE001 - a broken stream must not hang the run
            log.exception("metric stream of job %s failed", self.job.uuid)
        finally:
            connection.close()

    def _collect(self, event: Any, points: list[dict[str, Any]], logs: list[str]) -> None:
        data = dict(event.data)
        if event.type == "metric":
            t = data.get("t")
            elapsed = float(t) - self.started if isinstance(t, (int, float)) else time.time() - self.started
            # "at" (wall-clock time of report()) lets clients measure delivery latency.
            points.append(
                {
                    "seq": event.seq,
                    "step": data.get("step"),
                    "t": round(max(elapsed, 0.0), 3),
                    "at": t if isinstance(t, (int, float)) else None,
                    # Names become chart labels: only plain identifiers, never markup.
                    "values": {
                        k: v for k, v in (data.get("values") or {}).items() if METRIC_NAME.fullmatch(k)
                    },
                }
            )
        elif event.type == "log":
            logs.append(str(data.get("message", ""))[:2000])

    def _flush(self, points: list[dict[str, Any]], logs: list[str]) -> None:
        if not points and not logs:
            return
        close_old_connections()
        if points:
            rows = [
                JobMetric(job_id=self.job.pk, seq=p["seq"], step=p["step"], name=name, value=value, t=p["t"])
                for p in points
                for name, value in p["values"].items()
            ]
            JobMetric.objects.bulk_create(rows, batch_size=500, ignore_conflicts=True)
            last = points[-1]["seq"]
            Job.objects.filter(pk=self.job.pk).update(
                last_seq=last, metric_points=F("metric_points") + len(points), heartbeat_at=timezone.now()
            )
            self.points_stored += len(points)
            # Encoded once here, not once per viewer: a popular job has hundreds of watchers.
            text = json.dumps({"type": "metrics", "seq": last, "points": points}, separators=(",", ":"))
            group_send(self.job.group, {"type": "job.metrics", "seq": last, "text": text})
        if logs:
            group_send(self.job.group, {"type": "job.log", "lines": logs[-MAX_LOG_LINES:]})

    def _heartbeat(self) -> None:
        close_old_connections()
        Job.objects.filter(pk=self.job.pk).update(heartbeat_at=timezone.now())

    def _check_cancel(self) -> None:
        if not self.cancel.is_set() and Job.objects.filter(pk=self.job.pk, cancel_requested=True).exists():
            self.cancel.set()
