"""Admission and scheduling of model work: one bounded queue per worker thread.

Every request that needs a model (plain translations, alternatives, suggestions, summaries,
chains) is a job in the queue of the thread that runs it, so one queue limit covers them all:
``submit`` raises ``QueueFull`` at once rather than letting a backlog grow.

Plain translations from concurrent requests go to the model together. Under concurrent load (the
last model call served several requests, or several are waiting), texts wait until the pending work
fills the token budget, or ``max_wait`` has passed since the oldest waiting request arrived; a lone
request goes at once. Everything gathered runs as one call of ``run`` (the engine: sentences
split, pooled, sorted by length and batched) on the worker thread, off the event loop; while the
model works, new requests gather for the next call.

No request holds the thread: a call takes the waiting requests' texts in turns (one text of each,
then the next of each, until the budget is full), so a one-sentence request is answered in the next
call even behind a list of thousands of texts, whose other texts wait for later calls. Work of a
job's own (alternatives, a summary) runs one budget's worth at a time, then goes to the back of the
queue.
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence


class QueueFull(Exception):
    """More requests are waiting than the queue holds."""

    def __init__(self, limit: int):
        super().__init__(f"{limit} requests already waiting")
        self.limit = limit


@dataclass(eq=False)
class _Job:
    items: list
    sizes: list[int]
    work: str  # what kind of work, for the metrics
    run: Callable[[list], list] | None  # None: the shared translation; else this job's own work
    arrived: float
    future: asyncio.Future = field(repr=False)
    taken: int = 0  # items handed to the model so far
    results: list = field(default_factory=list, repr=False)

    @property
    def left(self) -> int:
        return len(self.items) - self.taken


class MicroBatcher:
    """The queue of one worker thread; ``run(texts) -> translations`` is its shared translation
    (None for a thread that only runs jobs' own work)."""

    def __init__(self, run: Callable[[list[str]], list[str]] | None, executor: Executor, budget: int,
                 max_wait: float, queue_limit: int, size_of: Callable[[str], int] = lambda t: max(1, len(t) // 4),
                 on_batch: Callable[[int, int], None] | None = None, on_reject: Callable[[str], None] | None = None):
        self._run, self._executor = run, executor
        self.budget, self.max_wait, self.queue_limit = budget, max_wait, queue_limit
        self._size_of = size_of
        self._on_batch = on_batch  # (requests, texts) of each shared call
        self._on_reject = on_reject  # (work) of each request turned away
        self._queue: deque[_Job] = deque()
        self._wake = asyncio.Event()
        self._task: asyncio.Task | None = None
        self.running = 0  # texts in the model right now
        self._last_requests = 0  # requests served by the last model call

    @property
    def waiting(self) -> Counter:
        """Requests waiting, by kind of work."""
        return Counter(job.work for job in self._queue)

    async def submit(self, texts: Sequence[str], work: str = "translate",
                     run: Callable[[list[str]], list] | None = None) -> list:
        """The results of ``texts``, in order: their translations, or with ``run`` what it returns for
        them (called on the worker thread with a budget's worth of them at a time)."""
        if not texts:
            return []
        return await self._enqueue(list(texts), [self._size_of(t) for t in texts], work, run)

    async def call(self, fn: Callable[[], Any], work: str) -> Any:
        """``fn()`` on the worker thread, admitted and queued like every other request."""
        [result] = await self._enqueue([None], [1], work, lambda _: [fn()])
        return result

    async def _enqueue(self, items: list, sizes: list[int], work: str, run) -> list:
        if len(self._queue) >= self.queue_limit:
            if self._on_reject:
                self._on_reject(work)
            raise QueueFull(self.queue_limit)
        if run is None and self._run is None:
            raise RuntimeError("this queue has no shared translation")
        loop = asyncio.get_running_loop()
        if self._task is None:
            self._task = loop.create_task(self._loop())
        job = _Job(items, sizes, work, run, loop.time(), loop.create_future())
        self._queue.append(job)
        self._wake.set()
        return await job.future

    def _take(self) -> list[tuple[_Job, int]]:
        """The next model call's work, as (job, how many of its next items): the head job's own work
        alone, or every waiting shared job's texts in turns until the budget is full (the head's
        first text always). Jobs with nothing left to hand over leave the queue; a job's own work
        with more left goes to the back."""
        head = self._queue[0]
        jobs = [head] if head.run is not None else [job for job in self._queue if job.run is None]
        counts = dict.fromkeys(jobs, 0)
        active, size = list(jobs), 0
        while active:
            for job in list(active):
                index = job.taken + counts[job]
                if index == len(job.items) or (size and size + job.sizes[index] > self.budget):
                    active.remove(job)  # done for this call: finished, or its next text does not fit
                    continue
                counts[job] += 1
                size += job.sizes[index]
        for job, count in counts.items():
            job.taken += count
            if job.left == 0 or job is head and head.run is not None:
                self._queue.remove(job)
        if head.run is not None and head.left:
            self._queue.append(head)
        return [(job, count) for job, count in counts.items() if count]

    def _pending(self) -> int:
        return sum(sum(job.sizes[job.taken:]) for job in self._queue if job.run is None)

    def _drop_abandoned(self) -> None:
        for job in [job for job in self._queue if job.future.done()]:  # done: the client went away
            self._queue.remove(job)

    async def _loop(self) -> None:
        loop = asyncio.get_running_loop()
        while True:
            self._drop_abandoned()
            if not self._queue:
                self._wake.clear()
                await self._wake.wait()
                continue
            # Under load, wait for more work until the budget is full or the oldest request has waited max_wait.
            while (self._queue[0].run is None and (self._last_requests > 1 or len(self._queue) > 1)
                   and self._pending() < self.budget):
                remaining = self._queue[0].arrived + self.max_wait - loop.time()
                if remaining <= 0:
                    break
                self._wake.clear()
                try:
                    await asyncio.wait_for(self._wake.wait(), remaining)
                except asyncio.TimeoutError:
                    break
            self._drop_abandoned()
            if not self._queue:
                continue
            plan = self._take()
            items = [item for job, count in plan for item in job.items[job.taken - count:job.taken]]
            run = plan[0][0].run or self._run
            self.running = len(items)
            try:
                results = await loop.run_in_executor(self._executor, run, items)
            except Exception as exc:  # the model failed: every request of this call gets the error
                for job, _ in plan:
                    if job in self._queue:
                        self._queue.remove(job)
                    if not job.future.done():
                        job.future.set_exception(exc)
                continue
            finally:
                self.running = 0
            self._last_requests = len(plan)
            if self._on_batch and plan[0][0].run is None:
                self._on_batch(len(plan), len(items))
            start = 0
            for job, count in plan:
                job.results.extend(results[start:start + count])
                start += count
                if job.left == 0 and not job.future.done():
                    job.future.set_result(job.results)

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
            self._task = None
