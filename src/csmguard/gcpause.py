"""Pausing Python's cyclic garbage collector while many small, acyclic objects are built."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Pause the cyclic collector for the block, then restore its previous state.

    Building hundreds of thousands of small objects that hold no reference cycles (findings, detections)
    triggers a collection every few hundred allocations, each re-walking the growing heap: up to half of
    the time of such a build. Reference counting still frees everything; the pause is process-wide, so
    keep the block to the build itself.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
