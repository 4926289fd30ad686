"""Requests per minute per client (API key, else address), over a moving one-minute window."""

from __future__ import annotations

import time
from collections import defaultdict, deque

WINDOW_S = 60.0


class RateLimiter:
    def __init__(self, clock=time.monotonic):
        self._clock = clock
        self._hits: dict[str, deque[float]] = defaultdict(deque)

    def allow(self, client: str, limit: int, cost: int = 1) -> bool:
        """Count ``cost`` requests for ``client`` unless that would pass ``limit`` in the last minute."""
        if limit < 0:
            return True
        now = self._clock()
        hits = self._hits[client]
        while hits and hits[0] <= now - WINDOW_S:
            hits.popleft()
        if len(hits) + cost > limit:
            return False
        hits.extend([now] * cost)
        return True
