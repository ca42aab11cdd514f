"""Benchmark the job pipeline as a learner's browser sees it; print Markdown tables.

1. Submit-to-first-point: POST /api/jobs/, then a websocket on the job; time until the first
   metric point arrives, with the warm sandbox pool on and off.
2. Delivery latency: one job reports points at 20 Hz while 1, 100 and 300 websocket clients
   watch it; latency is the client's receive time minus the time report() was called in the
   box, on the channels-redis core layer and on the pub/sub layer.

Runs the real stack: Daphne, a separate Celery worker, Redis, the bubblewrap sandbox, and a
throw-away SQLite database. Needs REDIS_URL (default redis://127.0.0.1:6379/15).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from http.cookiejar import CookieJar
from pathlib import Path

import websockets

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/15")
TMP = Path(tempfile.mkdtemp(prefix="bench-jobs-"))
DB = TMP / "bench.sqlite3"
ENV = {
    **os.environ,
    "PYTHONPATH": f"{ROOT}{os.pathsep}{ROOT / 'platform'}",
    "DJANGO_SETTINGS_MODULE": "config.settings",
    "DATABASE_URL": "",
    "SQLITE_PATH": str(DB),
    "REDIS_URL": REDIS_URL,
    "DJANGO_DEBUG": "0",
    "DJANGO_HTTPS": "0",
    "FAST_PASSWORD_HASHER": "1",
    "EMBEDDED_WORKER": "0",
    "JOBS_MAX_ACTIVE_PER_USER": "50",
    "JOBS_DAILY_QUOTA": "100000",
    "PYTHONUNBUFFERED": "1",
}
os.environ.update(
    {
        k: ENV[k]
        for k in (
            "DATABASE_URL",
            "SQLITE_PATH",
            "REDIS_URL",
            "DJANGO_SETTINGS_MODULE",
            "FAST_PASSWORD_HASHER",
            "DJANGO_HTTPS",
        )
    }
)

QUICK = """
import torch
from masterclass import report
model = torch.nn.Linear(4, 1)
opt = torch.optim.Adam(model.parameters(), lr=0.01)
x, y = torch.randn(32, 4), torch.randn(32, 1)
loss = torch.nn.functional.mse_loss(model(x), y)
opt.zero_grad()
loss.backward()
opt.step()
report(step=0, loss=loss.item())
"""
STREAM = """
import time
from masterclass import report
time.sleep({wait})  # every viewer is watching before the first point
for step in range({points}):
    report(step=step, loss=1.0 / (step + 1))
    time.sleep(0.05)
"""


def setup_database() -> tuple[str, str]:
    """Create the database, the example course and a learner; return (lab uuid, session key)."""
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from catalog.models import Lab
    from catalog.services import course_import
    from tests.factories import UserFactory

    call_command("migrate", verbosity=0)
    course_import(path=settings.COURSES_DIR.parent / "courses" / "example")
    user = UserFactory(email="bench@example.com", role="student")
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return str(Lab.objects.get(slug="fit-a-line").uuid), str(session.session_key)


def start(args: list[str], log: str, **env: str) -> subprocess.Popen[bytes]:
    handle = open(TMP / log, "wb")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(args, cwd=ROOT, env={**ENV, **env}, stdout=handle, stderr=subprocess.STDOUT)


def wait_http(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(url)


class Stack:
    """Daphne plus one Celery worker, with a given channel layer and warm pool size."""

    def __init__(self, layer: str, pool: int, port: int) -> None:
        self.layer, self.pool, self.port = layer, pool, port
        self.base = f"http://127.0.0.1:{port}"

    def __enter__(self) -> Stack:
        env = {"CHANNEL_LAYER": self.layer, "SANDBOX_POOL_SIZE": str(self.pool)}
        self.worker = start(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "workers",
                "worker",
                "-Q",
                "default,jobs.cpu",
                "-P",
                "threads",
                "-c",
                "4",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"bench-{self.port}@%h",
            ],
            f"worker-{self.port}.log",
            **env,
        )
        self.web = start(
            [
                sys.executable,
                "-m",
                "daphne",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "config.asgi:application",
            ],
            f"web-{self.port}.log",
            **env,
        )
        wait_http(f"{self.base}/healthz")
        return self

    def __exit__(self, *exc: object) -> None:
        for proc in (self.web, self.worker):
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()


def submit(base: str, session: str, lab: str, code: str) -> str:
    """POST a job as the learner; return its uuid."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    headers = {
        "Cookie": f"sessionid={session}; csrftoken=benchtoken0123456789abcdefghijkl",
        "X-CSRFToken": "benchtoken0123456789abcdefghijkl",
        "Content-Type": "application/json",
        "Referer": base + "/",
        "Origin": base,
    }
    request = urllib.request.Request(
        f"{base}/api/jobs/",
        data=json.dumps({"lab": lab, "code": code}).encode(),
        headers=headers,
        method="POST",
    )
    with opener.open(request, timeout=30) as response:
        return str(json.loads(response.read())["uuid"])


async def first_point(base: str, session: str, lab: str) -> float:
    """Seconds from submitting a job to its first metric point on a websocket."""
    started = time.perf_counter()
    job = await asyncio.to_thread(submit, base, session, lab, QUICK)
    async with websockets.connect(
        f"{base.replace('http', 'ws')}/ws/jobs/{job}/",
        origin=base,
        additional_headers={"Cookie": f"sessionid={session}"},
    ) as ws:
        while True:
            message = json.loads(await asyncio.wait_for(ws.recv(), timeout=120))
            if message.get("type") in ("backlog", "metrics") and message["points"]:
                return time.perf_counter() - started


async def watcher(
    url: str,
    base: str,
    session: str,
    latencies: list[float],
    ready: asyncio.Event,
    count: list[int],
    total: int,
    delay: float,
) -> None:
    await asyncio.sleep(delay)  # viewers arrive over a few seconds, as people open a page
    for attempt in range(3):
        try:
            ws = await websockets.connect(
                url,
                origin=base,
                additional_headers={"Cookie": f"sessionid={session}"},
                max_queue=None,
                open_timeout=30,
            )
            break
        except (OSError, websockets.WebSocketException):
            if attempt == 2:
                raise
            await asyncio.sleep(0.5)
    count[0] += 1
    if count[0] == total:
        ready.set()
    async with ws:
        while True:
            message = json.loads(await ws.recv())
            now = time.time()
            if message.get("type") == "metrics":
                latencies.extend(now - p["at"] for p in message["points"] if p.get("at"))
            if message.get("type") == "job.status" and message.get("status") not in ("queued", "running"):
                return


async def delivery(base: str, session: str, lab: str, viewers: int, points: int = 120) -> list[float]:
    """Latencies (s) from report() to each client, for one job watched by `viewers` clients."""
    # Viewers arrive over viewers * 10 ms; the job waits for them, then reports at 20 Hz.
    code = STREAM.format(points=points, wait=2.0 + viewers * 0.02)
    job = await asyncio.to_thread(submit, base, session, lab, code)
    url = f"{base.replace('http', 'ws')}/ws/jobs/{job}/"
    latencies: list[float] = []
    ready, count = asyncio.Event(), [0]
    tasks = [
        asyncio.create_task(watcher(url, base, session, latencies, ready, count, viewers, i * 0.01))
        for i in range(viewers)
    ]
    await asyncio.wait_for(asyncio.gather(*tasks), timeout=300)
    return latencies


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    lab, session = setup_database()
    rows_first, rows_delivery = [], []
    port = 18700
    with ExitStack():
        for pool, runs in ((2, 8), (0, 4)):
            port += 1
            with Stack("pubsub", pool, port) as stack:
                if pool:
                    time.sleep(20)  # let the pool fill
                samples = []
                for _ in range(runs):
                    samples.append(asyncio.run(first_point(stack.base, session, lab)))
                    time.sleep(8 if pool else 0.5)  # a warm box is replaced in the background
                rows_first.append((f"warm pool ({pool} boxes)" if pool else "pool off (cold box)", samples))
        for layer in ("core", "pubsub"):
            port += 1
            with Stack(layer, 0, port) as stack:
                for viewers in (1, 100, 300):
                    try:
                        lat = asyncio.run(delivery(stack.base, session, lab, viewers))
                        rows_delivery.append((layer, viewers, lat, ""))
                    except (TimeoutError, OSError, websockets.WebSocketException) as exc:
                        rows_delivery.append((layer, viewers, [], f"failed: {type(exc).__name__}"))
    print("\n### Submit to first point on a websocket\n")
    print("| sandbox | runs | p50 (ms) | p95 (ms) |")
    print("| --- | --- | --- | --- |")
    for name, samples in rows_first:
        print(f"| {name} | {len(samples)} | {pct(samples, 0.5):.0f} | {pct(samples, 0.95):.0f} |")
    print("\n### Delivery latency, report() to client\n")
    print("| channel layer | viewers | points received | p50 (ms) | p99 (ms) |")
    print("| --- | --- | --- | --- | --- |")
    for layer, viewers, lat, note in rows_delivery:
        if lat:
            print(f"| {layer} | {viewers} | {len(lat)} | {pct(lat, 0.5):.1f} | {pct(lat, 0.99):.1f} |")
        else:
            print(f"| {layer} | {viewers} | 0 | {note} | |")
    print(f"\nmachine: {os.cpu_count()} cores; logs in {TMP}")


if __name__ == "__main__":
    main()
