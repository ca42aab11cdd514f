"""Events sent from a worker thread reach the server loop's in-memory layer promptly and in full."""

from __future__ import annotations

import asyncio
import statistics
import threading
import time

from channels.layers import InMemoryChannelLayer

from common import events


def run_in_fresh_loop(factory):  # type: ignore[no-untyped-def]
    """Run a coroutine in a new loop on its own thread, as a server's loop would run."""
    box: dict = {}

    def target() -> None:
        try:
            box["result"] = asyncio.run(factory())
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test thread
            box["error"] = exc

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if "error" in box:
        raise box["error"]
    return box.get("result")


def test_worker_thread_events_are_handed_to_the_server_loop(settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    layer = InMemoryChannelLayer(capacity=10_000)
    monkeypatch.setattr(events, "get_channel_layer", lambda: layer)
    count = 1500
    latencies: list[float] = []

    async def main() -> None:
        events.register_server_loop(asyncio.get_running_loop())
        channel = await layer.new_channel()
        await layer.group_add("job-test", channel)

        def worker() -> None:
            # A paced stream (a training loop's batches), then a burst that must arrive whole.
            for seq in range(count):
                events.group_send(
                    "job-test", {"type": "job.metrics", "seq": seq, "sent": time.perf_counter()}
                )
                if seq < count - 500:
                    time.sleep(0.002)

        thread = threading.Thread(target=worker)
        thread.start()
        seen = []
        for _ in range(count):
            message = await asyncio.wait_for(layer.receive(channel), timeout=5)
            latencies.append(time.perf_counter() - message["sent"])
            seen.append(message["seq"])
        thread.join()
        assert seen == list(range(count)), "events were lost or reordered"

    run_in_fresh_loop(main)
    paced = latencies[: count - 500]
    p50 = statistics.median(paced)
    p99 = sorted(paced)[int(0.99 * len(paced)) - 1]
    print(
        f"hand-off latency over {len(paced)} paced events: p50 {p50 * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms"
    )
    assert p50 < 0.01, f"p50 hand-off latency {p50 * 1000:.1f} ms"
    assert p99 < 0.1, f"p99 hand-off latency {p99 * 1000:.1f} ms"


def test_send_from_the_loop_thread_itself_is_scheduled(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    layer = InMemoryChannelLayer()
    monkeypatch.setattr(events, "get_channel_layer", lambda: layer)

    async def main() -> dict:
        events.register_server_loop(asyncio.get_running_loop())
        channel = await layer.new_channel()
        await layer.group_add("g", channel)
        events.group_send("g", {"type": "x", "n": 1})
        return await asyncio.wait_for(layer.receive(channel), timeout=2)

    assert run_in_fresh_loop(main)["n"] == 1
