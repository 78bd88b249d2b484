"""Heavy work of requests (receiving uploads, register imports, scans) kept off the event loop and bounded:
one running piece per user and a few for the whole server; more is refused with a clear 429 page."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import gc
import threading
from collections.abc import Callable
from typing import TypeVar

from anyio import CapacityLimiter, to_thread

T = TypeVar("T")


class Busy(Exception):
    """Refused: the user already runs something (``per_user``), or the server is at its limit."""

    def __init__(self, per_user: bool, limit: int) -> None:
        super().__init__("busy_user" if per_user else "busy_server")
        self.key = "busy_user" if per_user else "busy_server"
        self.limit = limit


class Slot:
    """One claimed place; ``release`` gives it back (once, however often it is called)."""

    def __init__(self, owner: WorkSlots, user: str) -> None:
        self._owner = owner
        self.user = user
        self._released = False
        self._lock = threading.Lock()

    def release(self) -> None:
        """Give the place back."""
        with self._lock:
            if self._released:
                return
            self._released = True
        self._owner._give_back(self.user)


class WorkSlots:
    """Counts heavy work per user and in total; thread-safe (jobs release from worker threads)."""

    def __init__(self, per_user: int, total: int) -> None:
        self.per_user = per_user
        self.total = total
        self._lock = threading.Lock()
        self._running: dict[str, int] = {}

    def claim(self, user: str) -> Slot:
        """A place for ``user``'s next piece of work, or ``Busy``."""
        with self._lock:
            mine = self._running.get(user, 0)
            if mine >= self.per_user:
                raise Busy(True, self.per_user)
            if sum(self._running.values()) >= self.total:
                raise Busy(False, self.total)
            self._running[user] = mine + 1
        return Slot(self, user)

    def held(self, user: str) -> int:
        """How many places ``user`` holds."""
        with self._lock:
            return self._running.get(user, 0)

    def running(self) -> int:
        """How many places are taken."""
        with self._lock:
            return sum(self._running.values())

    def _give_back(self, user: str) -> None:
        with self._lock:
            left = self._running.get(user, 0) - 1
            if left > 0:
                self._running[user] = left
            else:
                self._running.pop(user, None)


async def run_blocking(limiter: CapacityLimiter, work: Callable[..., T], *args: object) -> T:
    """``work(*args)`` in a worker thread under ``limiter`` (not the request handlers' own limit), so the
    event loop keeps answering while it runs."""
    return await to_thread.run_sync(work, *args, limiter=limiter)


async def in_thread(work: Callable[..., T], *args: object) -> T:
    """``work(*args)`` in one of the request handlers' threads: for the database and rendering work of an
    ``async`` handler, which would otherwise stall every other request while it runs."""
    return await to_thread.run_sync(work, *args)


@functools.cache
def _libc() -> ctypes.CDLL | None:
    name = ctypes.util.find_library("c")
    return ctypes.CDLL(name) if name else None


def release_memory() -> None:
    """After a big job: collect garbage and ask glibc to hand freed arenas back to the system (worker
    threads' arenas otherwise keep the peak of the biggest input for the life of the process)."""
    gc.collect()
    trim = getattr(_libc(), "malloc_trim", None)
    if trim is not None:
        trim(0)
