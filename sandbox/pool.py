"""Keep a few boxes started and warmed up, so a run starts without paying for imports."""

from __future__ import annotations

import contextlib
import logging
import os
import select
import threading
import time
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sandbox.backends.base import Box

log = logging.getLogger(__name__)


def wait_ready(box: Box, timeout: float) -> bool:
    """Read the box's ``ready`` line (and nothing after it) within timeout seconds."""
    deadline = time.monotonic() + timeout
    seen = b""
    while not seen.endswith(b"\n"):
        left = deadline - time.monotonic()
        if left <= 0 or not select.select([box.event_fd], [], [], left)[0]:
            return False
        byte = os.read(box.event_fd, 1)
        if not byte or len(seen) > 64:
            return False
        seen += byte
    return b'"ready"' in seen


class WarmPool:
    """Hold up to ``size`` warm boxes; each serves one run and is replaced in the background."""

    def __init__(self, size: int, make: Callable[[], Box], *, ready_timeout: float = 120.0) -> None:
        self.size = size
        self._make = make
        self._ready_timeout = ready_timeout
        self._boxes: deque[Box] = deque()
        self._cond = threading.Condition()
        self._closed = False
        self.failures = 0
        self._thread = threading.Thread(target=self._fill, name="sandbox-warm-pool", daemon=True)
        if size > 0:
            self._thread.start()

    def _fill(self) -> None:
        while True:
            with self._cond:
                while not self._closed and len(self._boxes) >= self.size:
                    self._cond.wait()
                if self._closed:
                    return
            try:
                box = self._make()
            except Exception:  # noqa: BLE001 - keep the worker serving cold boxes
                log.exception("could not start a warm box")
                self.failures += 1
                time.sleep(min(30.0, 0.5 * 2 ** min(self.failures, 6)))
                continue
            if not wait_ready(box, self._ready_timeout):
                log.warning("a warm box did not get ready; discarding it")
                self._discard(box)
                self.failures += 1
                time.sleep(min(30.0, 0.5 * 2 ** min(self.failures, 6)))
                continue
            self.failures = 0
            with self._cond:
                if self._closed:
                    self._discard(box)
                    return
                self._boxes.append(box)
                self._cond.notify_all()

    @staticmethod
    def _discard(box: Box) -> None:
        with contextlib.suppress(Exception):
            box.close()

    def take(self) -> Box | None:
        """Return a ready box, or None when none is ready right now."""
        with self._cond:
            while self._boxes:
                box = self._boxes.popleft()
                self._cond.notify_all()
                if box.alive():
                    return box
                self._discard(box)
        return None

    def ready(self) -> int:
        with self._cond:
            return len(self._boxes)

    def wait_until_ready(self, count: int = 1, timeout: float = 120.0) -> bool:
        """Block until ``count`` boxes are ready (for benchmarks and tests)."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while len(self._boxes) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._cond.wait(left)
        return True

    def close(self) -> None:
        with self._cond:
            self._closed = True
            boxes = list(self._boxes)
            self._boxes.clear()
            self._cond.notify_all()
        for box in boxes:
            self._discard(box)
        if self._thread.is_alive():
            self._thread.join(timeout=self._ready_timeout)
