"""The executors the chaptered PDF writer hands its documents to."""

from __future__ import annotations

import concurrent.futures as futures
import gc
from typing import Any

TASKS_PER_WORKER = 8  # documents a worker process lays out before a fresh one takes over


class Inline(futures.Executor):
    """An executor that runs each call at once, in this process (one worker)."""

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> futures.Future[Any]:
        future: futures.Future[Any] = futures.Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future


def _start(init: tuple[Any, ...]) -> None:
    """In a worker as it starts: what it inherited stays out of its collections (a worker
    that replaces another is forked from the builder as it is then, with objects made
    since the pool began), then the worker's own initializer."""
    gc.freeze()
    init[0](*init[1:])


class ForkPool(futures.Executor):
    """Worker processes forked from this one, each replaced after a few documents.

    WeasyPrint's memory creeps up from one document to the next in a long-lived process;
    a fresh process (forked, so it starts at once) keeps every worker near the size of
    one document. concurrent.futures cannot recycle forked workers; multiprocessing can.
    """

    def __init__(self, ctx: Any, workers: int, init: tuple[Any, ...]) -> None:
        """``init``: each worker's initializer and its arguments."""
        # The book's objects, made before the fork, are left out of the workers' garbage
        # collections: collecting would touch every one of them and so copy the pages
        # they sit on into each worker (the book, a hundred megabytes, once per worker).
        gc.freeze()
        self.pool = ctx.Pool(
            workers, initializer=_start, initargs=(init,), maxtasksperchild=TASKS_PER_WORKER
        )

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> futures.Future[Any]:
        future: futures.Future[Any] = futures.Future()

        def done(value: Any) -> None:
            if future.set_running_or_notify_cancel():
                future.set_result(value)

        def failed(error: BaseException) -> None:
            if future.set_running_or_notify_cancel():
                future.set_exception(error)

        self.pool.apply_async(fn, args, kwargs, callback=done, error_callback=failed)
        return future

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if cancel_futures or not wait:
            self.pool.terminate()
        else:
            self.pool.close()
        self.pool.join()
        gc.unfreeze()

    def __exit__(self, kind: Any, error: Any, trace: Any) -> None:
        self.shutdown(wait=kind is None, cancel_futures=kind is not None)
