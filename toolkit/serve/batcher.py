"""Cross-request micro-batching: texts from concurrent requests go to the model together.

Under concurrent load (the last model call served several requests, or several are waiting), a
request's texts wait until the pending work fills the token budget, or ``max_wait`` has passed
since the oldest waiting request arrived; a lone request goes at once. Everything gathered runs as
one call of ``run``
(the engine: sentences split, pooled, sorted by length and batched) on the pair's worker thread,
off the event loop. While the model works, new requests gather for the next call. The queue is
bounded: ``submit`` raises ``QueueFull`` at once rather than letting a backlog grow.
"""

from __future__ import annotations

import asyncio
from collections import deque
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Callable, Sequence


class QueueFull(Exception):
    """More requests are waiting than the queue holds."""

    def __init__(self, limit: int):
        super().__init__(f"{limit} requests already waiting")
        self.limit = limit


@dataclass
class _Job:
    texts: list[str]
    size: int
    arrived: float
    future: asyncio.Future = field(repr=False)


class MicroBatcher:
    """Gathers texts across requests for one model; ``run(texts) -> translations`` does the work."""

    def __init__(self, run: Callable[[list[str]], list[str]], executor: Executor, budget: int, max_wait: float,
                 queue_limit: int, size_of: Callable[[str], int] = lambda t: max(1, len(t) // 4),
                 on_batch: Callable[[int, int], None] | None = None):
        self._run, self._executor = run, executor
        self.budget, self.max_wait, self.queue_limit = budget, max_wait, queue_limit
        self._size_of = size_of
        self._on_batch = on_batch  # (requests, texts) of each call
        self._queue: deque[_Job] = deque()
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self.running = 0  # texts in the model right now
        self._last_requests = 0  # requests served by the last model call

    @property
    def waiting(self) -> int:
        return len(self._queue)

    async def submit(self, texts: Sequence[str]) -> list[str]:
        """The translations of ``texts``, in order, once a micro-batch holding them has run."""
        if not texts:
            return []
        if len(self._queue) >= self.queue_limit:
            raise QueueFull(self.queue_limit)
        loop = asyncio.get_running_loop()
        if self._task is None:
            self._task = loop.create_task(self._loop())
        job = _Job(list(texts), sum(self._size_of(t) for t in texts), loop.time(), loop.create_future())
        self._queue.append(job)
        self._wake.set()
        return await job.future

    def _take(self) -> list[_Job]:
        """The oldest waiting jobs that fit the budget (always at least one)."""
        first = self._queue.popleft()
        jobs, size = [first], first.size
        while self._queue and size + self._queue[0].size <= self.budget:
            job = self._queue.popleft()
            jobs.append(job)
            size += job.size
        return jobs

    def _pending(self) -> int:
        return sum(job.size for job in self._queue)

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            if not self._queue:
                self._wake.clear()
                await self._wake.wait()
            # Under load, wait for more work until the budget is full or the oldest request has waited max_wait.
            while (self._last_requests > 1 or len(self._queue) > 1) and self._pending() < self.budget:
                remaining = self._queue[0].arrived + self.max_wait - loop.time()
                if remaining <= 0:
                    break
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), remaining)
                except asyncio.TimeoutError:
                    break
            jobs = [job for job in self._take() if not job.future.done()]  # done: the client went away
            if not jobs:
                continue
            texts = [t for job in jobs for t in job.texts]
            self.running = len(texts)
            try:
                results = await loop.run_in_executor(self._executor, self._run, texts)
            except Exception as exc:  # the model failed: every request of this batch gets the error
                for job in jobs:
                    if not job.future.done():
                        job.future.set_exception(exc)
                continue
            finally:
                self.running = 0
            self._last_requests = len(jobs)
            if self._on_batch:
                self._on_batch(len(jobs), len(texts))
            start = 0
            for job in jobs:
                if not job.future.done():
                    job.future.set_result(results[start:start + len(job.texts)])
                start += len(job.texts)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
