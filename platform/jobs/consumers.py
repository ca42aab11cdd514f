"""Live job streams: backlog first, then every batch as the worker stores it."""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

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
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._send_backlog(after=0)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "resume":
            after = content.get("after")
            if isinstance(after, int) and after >= 0:
                await self._send_backlog(after=after)

    async def _send_backlog(self, *, after: int) -> None:
        backlog, status = await _backlog(self.job_pk, after)
        await self.send_json({"type": "backlog", "after": after, **backlog})
        await self.send_json(status)

    async def disconnect(self, code: int) -> None:
        if self.group:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def job_metrics(self, event: dict[str, Any]) -> None:
        await self.send(text_data=event["text"])

    async def job_status(self, event: dict[str, Any]) -> None:
        await self.send_json(event)

    async def job_log(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "log", "lines": event["lines"]})
