"""The JSON-lines event protocol spoken on the box's event file descriptor.

The program in the box writes one JSON object per line (see ``harness/masterclass.py``).
The host reads with a bound on every line: a line longer than the bound, a line that is not
JSON, or an object without a known ``type`` is counted as malformed and skipped, never
trusted and never fatal.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

EVENT_FD = 3  # where the box's program finds its event pipe
KNOWN_TYPES = frozenset({"metric", "log", "artifact", "ready", "result"})
EventCallback = Callable[["Event"], None]


@dataclass(frozen=True)
class Event:
    """One event from a run: ``type`` is metric, log, artifact, or result (sent last)."""

    seq: int
    type: str
    data: Mapping[str, Any] = field(default_factory=dict)
    received: float = field(default_factory=time.monotonic)

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "type": self.type, **self.data}


def _clean_metric(data: dict[str, Any]) -> dict[str, Any] | None:
    values = data.get("values")
    step = data.get("step")
    if not isinstance(values, dict) or not (step is None or isinstance(step, int)):
        return None
    clean: dict[str, float | None] = {}
    for name, value in values.items():
        if not isinstance(name, str) or len(name) > 64:
            return None
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            clean[name] = None
        elif isinstance(value, (int, float)) and not isinstance(value, bool):
            clean[name] = float(value)
        else:
            return None
    return {"step": step, "values": clean, "t": data.get("t")}


def parse_line(line: bytes) -> dict[str, Any] | None:
    """Return the event encoded by one line, or None when it is malformed."""
    try:
        data = json.loads(line)
    except (ValueError, RecursionError):
        return None
    if not isinstance(data, dict) or data.get("type") not in KNOWN_TYPES:
        return None
    kind = data["type"]
    if kind == "metric":
        clean = _clean_metric(data)
        return None if clean is None else {"type": kind, **clean}
    if kind == "log":
        message = data.get("message")
        return {"type": kind, "message": message[:2000]} if isinstance(message, str) else None
    if kind == "artifact":
        name, size = data.get("name"), data.get("size")
        if isinstance(name, str) and "/" not in name and isinstance(size, int):
            return {"type": kind, "name": name[:255], "size": size}
        return None
    if kind == "ready":
        return {"type": kind}
    return None  # "result" is the host's to send, never the program's


class LineSplitter:
    """Split a byte stream into lines, dropping (and counting) any line over the bound."""

    def __init__(self, max_line: int) -> None:
        self.max_line = max_line
        self._buffer = bytearray()
        self._skipping = False
        self.oversized = 0

    def feed(self, chunk: bytes) -> Iterator[bytes]:
        """Yield every complete line that fits the bound."""
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end < 0:
                break
            piece = chunk[start:end]
            start = end + 1
            if self._skipping:
                self._skipping = False
                self._buffer.clear()
                continue
            if len(self._buffer) + len(piece) > self.max_line:
                self.oversized += 1
                self._buffer.clear()
                continue
            self._buffer += piece
            line = bytes(self._buffer)
            self._buffer.clear()
            if line.strip():
                yield line
        rest = chunk[start:]
        if not self._skipping:
            if len(self._buffer) + len(rest) > self.max_line:
                self.oversized += 1
                self._skipping = True
                self._buffer.clear()
            else:
                self._buffer += rest


class EventReader:
    """Turn raw bytes from the event pipe into Events, counting what was malformed."""

    def __init__(self, on_event: EventCallback | None, *, max_line: int, max_events: int) -> None:
        self._on_event = on_event
        self._splitter = LineSplitter(max_line)
        self.max_events = max_events
        self.events: list[dict[str, Any]] = []
        self.invalid = 0
        self.dropped = 0
        self.seq = 0
        self.callback_errors = 0

    @property
    def malformed(self) -> int:
        return self.invalid + self._splitter.oversized

    def feed(self, chunk: bytes) -> None:
        for line in self._splitter.feed(chunk):
            data = parse_line(line)
            if data is None:
                self.invalid += 1
            elif data["type"] == "ready":
                continue
            elif len(self.events) >= self.max_events:
                self.dropped += 1
            else:
                self.events.append(data)
                self.emit(data["type"], {k: v for k, v in data.items() if k != "type"})

    def emit(self, kind: str, data: dict[str, Any]) -> None:
        """Hand one event to the callback; a failing callback never stops the run."""
        self.seq += 1
        if self._on_event is not None:
            try:
                self._on_event(Event(self.seq, kind, MappingProxyType(data)))
            except Exception:  # noqa: BLE001 - the job system's trouble must not kill the run
                self.callback_errors += 1

    def dump(self) -> bytes:
        """Return the valid events as JSON lines, for the grader."""
        return b"".join(json.dumps(e).encode() + b"\n" for e in self.events)
