"""Worker processes: how many to start, and a map over processes forked from this one.

Forked workers start at once and inherit what this process holds (the book, the
renderer), so nothing but small arguments is sent to them. The start method exists on
Linux and macOS; elsewhere callers do the work here.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

T = TypeVar("T")


def cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def chunks(items: list[T], size: int) -> Iterator[list[T]]:
    """``items`` a few at a time: what a worker does before it hands results back."""
    for at in range(0, len(items), size):
        yield items[at : at + size]


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


@contextlib.contextmanager
def forked_map(
    function: Callable[[Any], Any], items: Iterable[Any], workers: int
) -> Iterator[Iterator[Any]]:
    """``function`` over ``items`` in ``workers`` forked processes, results in order.

    The workers finish and leave when the results are all taken (closing the pool, not
    terminating it: terminating idle workers once left one waiting on the task queue's
    lock, a hang); they are stopped at once when the caller fails or is interrupted.
    """
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        yield pool.imap(function, items)
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
