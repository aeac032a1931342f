"""Train tasks generated ahead of the resets that take them, in a background thread.

Building a train case costs 2-5 ms (drug_interaction: a patient, a medication list and every rule checked against it)
and used to run inside ``reset``, on the env's step path; the seed system's train reset was a dict lookup over a fixed
list (issue 16, target 6). A :class:`TrainTaskBuffer` draws the stream positions from its own seeded generator and
builds the next ``size`` tasks in a daemon thread, so a reset takes a finished task whenever the env has been waiting
(on the policy, between steps) long enough for the thread to build it. The thread shares the GIL: with no wait
between steps it only moves the cost, it does not remove it.

The order of tasks is a pure function of the generator's seed, whatever the thread's timing.
"""

from __future__ import annotations

import queue
import threading

import numpy as np

from healthgym.mcp_servers.domain import DomainSpec, train_stream
from healthgym.schemas import Task, Tier

TRAIN_INDEX_RANGE = 1_000_000
"""Train episodes start at a stream index drawn below this; case ids carry the index in a bounded field."""


def draw_train_task(spec: DomainSpec, train_seed: int, tier: Tier | None, rng: np.random.Generator) -> Task:
    """A train task at a stream position drawn from ``rng`` (the first of ``tier`` from there)."""
    start = int(rng.integers(0, TRAIN_INDEX_RANGE))
    return next(t for t in train_stream(spec, train_seed, start) if tier in (None, t.tier))


class TrainTaskBuffer:
    """The next ``size`` train tasks of a domain, built ahead in a daemon thread.

    Args:
        spec: the domain.
        train_seed: the train stream's seed.
        tier: only tasks of this tier (None: both).
        rng: draws each task's start index in the stream (the env's ``np_random``'s child).
        size: tasks built ahead; the thread waits when that many are ready.
    """

    def __init__(self, spec: DomainSpec, train_seed: int, tier: Tier | None, rng: np.random.Generator, size: int):
        if size < 1:
            raise ValueError(f"size must be >= 1, got {size}")
        self._spec, self._train_seed, self._tier, self._rng = spec, train_seed, tier, rng
        self._ready: queue.Queue[Task | BaseException] = queue.Queue(maxsize=size)
        self._failed: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._fill, name=f"healthgym-train-{spec.name}", daemon=True)
        self._thread.start()

    def _fill(self) -> None:
        while not self._stop.is_set():
            try:
                item: Task | BaseException = draw_train_task(self._spec, self._train_seed, self._tier, self._rng)
            except BaseException as err:  # handed to the reset that would have taken this task
                item = err
            while not self._stop.is_set():
                try:
                    self._ready.put(item, timeout=0.1)
                    break
                except queue.Full:
                    continue
            if isinstance(item, BaseException):
                return

    def take(self) -> Task:
        """The next task (waits while the thread builds it); re-raises what building it raised, then and on every
        later call."""
        if self._failed is not None:
            raise self._failed
        item = self._ready.get()
        if isinstance(item, BaseException):
            self._failed = item
            raise item
        return item

    def close(self) -> None:
        """Stop the thread (it finishes the task it is building)."""
        self._stop.set()
        self._thread.join(timeout=5)
