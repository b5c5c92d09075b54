"""A batch's worker processes, each handed files one at a time through its own pipe.

The parent always knows which file each worker is parsing (the first it sent that
worker and has no result for), so a worker that dies — a crash inside a C library,
the kernel's out-of-memory killer — or runs past the time allowed costs that one file
only, and nothing is waited for forever. (``multiprocessing.Pool`` waits forever for
a dead worker's task; pebble's pool, tried first, can lose a dead worker's task in a
race between its threads; ``ProcessPoolExecutor`` breaks as a whole and cannot stop
one overrunning task: hence this small pool, on multiprocessing's own parts.)

A thread of the parent takes each result off its pipe as it comes, so the workers
parse on while the parent writes to the database; how far ahead they may run is
bounded by the files handed out (``depth`` a worker).

A worker says when it is ready (:data:`READY`, once it has imported what it needs):
one that dies before has begun no file, so its files go to another worker and the
death counts as one at start; workers that keep dying at start (a broken
installation) end the batch with :class:`WorkerError` instead of costing every file
two deaths.
"""

from __future__ import annotations

import collections
import contextlib
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection, wait
from typing import Any

from attrs import define, field

#: A worker that dies with its file unfinished leaves it for another worker once; a
#: file that a worker dies on twice is lost (a worker may die between files, or of
#: something else: the OOM killer takes the largest process, not the culprit).
DEATHS_PER_FILE = 2
#: Deaths of workers before they were ready, in a row, before the pool gives up
#: (they die as they start: a broken installation).
IDLE_DEATHS = 3
#: What a worker sends first, once it is ready to parse.
READY = "ready"


class WorkerError(RuntimeError):
    """The batch's worker processes cannot run (they die as they start)."""


@define(eq=False)
class Lost:
    """A file whose parse never finished: why, and as which error type."""

    path: str
    why: str
    error_type: str


@define(eq=False)
class _Worker:
    process: Any
    conn: Connection
    sent: collections.deque[str] = field(factory=collections.deque)  #: first: parsing
    #: when it started, then when the first of ``sent`` began (time.monotonic)
    since: float = field(factory=time.monotonic)
    ready: bool = False  #: it has said READY (it may have begun a file)
    timed_out: bool = False  #: killed by the parent for overrunning
    #: killed for not being ready in time (its READY may be on its way still)
    killed_unready: bool = False
    gone: bool = False  #: its death was reported (by the collecting thread)


class Workers:
    """``jobs`` processes running ``serve(conn, *args)``, which sends :data:`READY`
    once it is ready, then answers each path it receives with one result and ends on
    ``None``; see the module docstring.

    ``starting`` is entered around every process start (the first ones and those that
    replace a dead worker)."""

    def __init__(
        self, context: Any, jobs: int, serve: Callable[..., None], args: tuple,
        depth: int, timeout: float | None,
        starting: Callable[[], contextlib.AbstractContextManager[Any]],
    ) -> None:  # fmt: skip
        self._context, self._jobs, self._serve, self._args = context, jobs, serve, args
        self._depth, self._timeout, self._starting = depth, timeout, starting
        self._workers: dict[int, _Worker] = {}
        self._events: queue.SimpleQueue[tuple] = queue.SimpleQueue()
        self._stopped = False
        self._deaths: collections.Counter[str] = collections.Counter()
        self._idle_deaths = 0
        self._collector: threading.Thread | None = None

    # -- starting and stopping -------------------------------------------------------

    def start(self) -> None:
        with self._starting():
            for _ in range(self._jobs):
                self._spawn()
        self._collector = threading.Thread(target=self._collect, daemon=True,
                                           name="govreport-batch-results")  # fmt: skip
        self._collector.start()

    def _spawn(self) -> None:
        mine, theirs = self._context.Pipe()
        process = self._context.Process(target=self._serve, args=(theirs, *self._args),
                                        daemon=True)  # fmt: skip
        process.start()
        theirs.close()
        self._workers[id(process)] = _Worker(process, mine)

    def close(self) -> None:
        """Let the workers finish (they have no files left) and end them."""
        for w in list(self._workers.values()):
            with contextlib.suppress(OSError, ValueError):
                w.conn.send(None)
        self._end(grace=5.0)

    def kill(self) -> None:
        """End every worker now (an interrupt, an error in the parent)."""
        for w in list(self._workers.values()):
            w.process.kill()
        self._end(grace=0.0)

    def _end(self, grace: float) -> None:
        deadline = time.monotonic() + grace
        for w in list(self._workers.values()):
            w.process.join(max(0.0, deadline - time.monotonic()))
            if w.process.is_alive():
                w.process.kill()
                w.process.join()
        self._stopped = True
        if self._collector is not None:
            self._collector.join()
        for w in self._workers.values():
            w.conn.close()
            w.process.close()
        self._workers.clear()

    # -- handing out files and taking results ----------------------------------------

    def free(self) -> int:
        """How many more files the workers may be handed now."""
        return sum(self._depth - len(w.sent) for w in self._workers.values() if not w.gone)

    def send(self, path: str) -> None:
        """Hand ``path`` to the worker with the fewest files (``free()`` must be > 0)."""
        w = min((w for w in self._workers.values() if not w.gone), key=lambda w: len(w.sent))
        if not w.sent and w.ready:
            w.since = time.monotonic()
        w.sent.append(path)
        w.conn.send(path)

    def outstanding(self) -> int:
        return sum(len(w.sent) for w in self._workers.values())

    def results(self, again: collections.deque[str]) -> Iterator[Any]:
        """The next results as they come (each a worker's answer, or :class:`Lost`),
        after waiting at most a second for any; the files of a dead worker that must
        be parsed again go to the front of ``again``."""
        try:
            event = self._events.get(timeout=self._wait())
        except queue.Empty:
            event = None
        while event is not None:
            yield from self._handle(event, again)
            try:
                event = self._events.get_nowait()
            except queue.Empty:
                event = None
        self._overrun()

    def _wait(self) -> float:
        if not self._timeout:
            return 1.0
        now = time.monotonic()
        ends = [w.since + self._timeout - now for w in self._workers.values()
                if w.sent or not w.ready]  # fmt: skip
        return max(0.01, min([1.0, *ends]))

    def _overrun(self) -> None:
        if not self._timeout:
            return
        now = time.monotonic()
        for w in self._workers.values():
            # a file that takes too long, or a worker that does not start in that time
            if (w.sent or not w.ready) and not w.timed_out and now - w.since > self._timeout:
                w.timed_out = True
                w.killed_unready = not w.ready
                w.process.kill()  # the collecting thread reports its death

    def _handle(self, event: tuple, again: collections.deque[str]) -> Iterator[Any]:
        kind, w = event[0], event[1]
        if kind == "result" and not w.ready:  # the first message: READY
            w.ready, w.since = True, event[3]  # (its time allowed starts now)
            self._idle_deaths = 0
            return
        if kind == "result":
            w.sent.popleft()
            w.since = event[3]
            yield event[2]
            return
        # the worker died: its results before its death came first, in order
        self._workers.pop(id(w.process), None)
        w.process.join()
        code = w.process.exitcode
        w.process.close()
        started = w.ready and not w.killed_unready
        head = w.sent.popleft() if w.sent and started else None  # (else none begun)
        again.extendleft(reversed(w.sent))  # handed out, not begun: innocent
        w.sent.clear()
        with contextlib.suppress(OSError):
            w.conn.close()
        if not self._stopped:
            self._idle_deaths += not started
            if self._idle_deaths >= IDLE_DEATHS * self._jobs:
                how = f"not ready after {self._timeout:g} s" if w.timed_out else _how(code)
                raise WorkerError(
                    f"the batch's worker processes die as they start ({how}); "
                    "run `govreport parse` on one file to see why"
                )
            with self._starting():
                self._spawn()
        if head is None:
            return
        if w.timed_out:
            yield Lost(head, f"parsing it took longer than {self._timeout:g} s, so its "
                       "worker was stopped", "Timeout")  # fmt: skip
            return
        self._deaths[head] += 1
        if self._deaths[head] >= DEATHS_PER_FILE:
            yield Lost(head, f"the worker process parsing it died ({_how(code)}), "
                       f"{DEATHS_PER_FILE} times", "WorkerDied")  # fmt: skip
        else:
            again.appendleft(head)  # once more, in case it was not this file's doing

    def _collect(self) -> None:
        """(The collecting thread.) Each result as it comes, and each worker's death
        after its last result."""
        while not self._stopped:
            workers = [w for w in list(self._workers.values()) if not w.gone]
            if not workers:
                time.sleep(0.01)
                continue
            ends = {w.conn: w for w in workers} | {w.process.sentinel: w for w in workers}
            try:
                ready = wait(list(ends), timeout=0.05)
            except (OSError, ValueError):  # a connection closed meanwhile
                continue
            for obj in ready:
                w = ends[obj]
                if w.gone:
                    continue
                dead = obj is not w.conn
                try:
                    while w.conn.poll():
                        self._events.put(("result", w, w.conn.recv(), time.monotonic()))
                except (EOFError, OSError):
                    dead = True
                if dead:
                    w.gone = True
                    self._events.put(("died", w))


def _how(code: int | None) -> str:
    if code is not None and code < 0:
        with contextlib.suppress(ValueError):
            return f"signal {signal.Signals(-code).name}"
    return f"exit code {code}"
