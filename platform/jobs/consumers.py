"""Live job streams: backlog first, then every batch as the worker stores it."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from jobs import fanout
from jobs.access import job_find_for_user
from jobs.models import Job
from jobs.selectors import job_metric_points, job_queue_position
from jobs.services import job_status_payload


@database_sync_to_async
def _find(user: Any, key: str) -> Job | None:
    return job_find_for_user(user, key)


@database_sync_to_async
def _backlog(job_pk: int, after: int) -> tuple[dict[str, Any], dict[str, Any]]:
    job = Job.objects.select_related("lab").get(pk=job_pk)
    status = job_status_payload(job)
    status["queue_position"] = job_queue_position(job)
    return job_metric_points(job, after=after), status


class JobStreamConsumer(AsyncJsonWebsocketConsumer):
    """Stream one job to a viewer the job page's access rule admits (others: close 4404)."""

    group: str | None = None
    # No channel of its own: the process's fan-out (jobs.fanout) holds the one subscription
    # per job, so three hundred viewers cost one subscription, not three hundred.
    channel_layer_alias = "jobs-fanout-only"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Live batches wait here while a backlog is being sent, so the client never sees a
        # newer point before the older ones it needs.
        self.held: list[str] | None = []

    async def connect(self) -> None:
        user = self.scope.get("user")
        key = self.scope["url_route"]["kwargs"]["job_uuid"]
        job = await _find(user, key) if user is not None else None
        if job is None:
            await self.close(code=4404)
            return
        self.job_pk = job.pk
        self.group = job.group
        # Join before reading the backlog: a batch stored meanwhile arrives twice at worst,
        # and the client drops it by its sequence number, so nothing falls in a gap.
        await fanout.join(self.group, self)
        await self.accept()
        await self._send_backlog(after=0)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "resume":
            after = content.get("after")
            if isinstance(after, int) and after >= 0:
                await self._send_backlog(after=after)

    async def _send_backlog(self, *, after: int) -> None:
        if self.held is None:
            self.held = []
        backlog, status = await _backlog(self.job_pk, after)
        await self.send_json({"type": "backlog", "after": after, **backlog})
        await self.send_json(status)
        held, self.held = self.held, None
        for text in held:
            await self.send(text_data=text)

    async def deliver(self, text: str) -> None:
        """Send one live message (called by the process's fan-out for this job)."""
        if self.held is not None:
            self.held.append(text)
        else:
            await self.send(text_data=text)

    async def disconnect(self, code: int) -> None:
        if self.group:
            await fanout.leave(self.group, self)
