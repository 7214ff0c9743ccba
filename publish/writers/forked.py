"""Run one piece of work in a forked process, for its memory's sake.

A process seldom gives memory back to the system once it has used it: after joining the
pages of a 6,000-page book, the builder would stay at its high-water mark through the
next pass and every worker it forks after. Work done in a child process takes its
memory with it when the child ends. The child inherits everything (it is forked), so
nothing is sent to it; its result comes back through a pipe.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from publish.errors import PublishError

T = TypeVar("T")


def give_back_memory() -> None:
    """Hand the memory this process freed back to the system before forking (glibc keeps
    freed memory for later, where it counts against the process): the child and this
    process then add up to less while the child works."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL(None).malloc_trim(0)


def run_forked(work: Callable[[], T], what: str) -> T:
    """``work()``, run in a forked child; its errors are raised here. ``what`` names the
    work in the error when the child dies without a word (killed, out of memory)."""
    return start_forked(work, what).result()


class Forked(Generic[T]):
    """A child process at work (:func:`start_forked`); :meth:`result` waits for it."""

    def __init__(self, process: Any, reader: Any, what: str) -> None:
        self.process, self.reader, self.what = process, reader, what

    def result(self) -> T:
        """What ``work()`` returned, once the child is done; its errors raised here."""
        try:
            reply = self.reader.recv()
        except EOFError:
            reply = ("died",)
        finally:
            self.process.join()
            self.reader.close()
        if reply[0] == "done":
            return reply[1]  # type: ignore[no-any-return]
        if reply[0] == "publish-error":
            raise PublishError(*reply[1:])
        if reply[0] == "failed" and reply[1] == "KeyboardInterrupt":
            raise KeyboardInterrupt
        code = self.process.exitcode
        detail = f"{reply[1]}: {reply[2]}" if reply[0] == "failed" else f"exit {code}"
        raise PublishError("pdf-failed", f"{self.what} failed ({detail})")

    def stop(self) -> None:
        """End the child without waiting for its work (this process is failing)."""
        if self.process.is_alive():
            self.process.terminate()
        self.process.join()
        self.reader.close()


def start_forked(work: Callable[[], T], what: str) -> Forked[T]:
    """Start ``work()`` in a forked child and return at once; this process goes on with
    its own work meanwhile (see :func:`run_forked`)."""
    give_back_memory()
    ctx = multiprocessing.get_context("fork")
    reader, writer = ctx.Pipe(duplex=False)

    def child() -> None:
        # The inherited objects stay out of the child's collections: a collection that
        # walked them would write to every page holding one, and so copy the parent's
        # memory into the child's (copy on write) for nothing.
        gc.freeze()
        reply: tuple[Any, ...]
        try:
            reply = ("done", work())
        except PublishError as error:  # its own pickling loses the fields: send them
            reply = ("publish-error", error.code, error.message, error.file, error.line)
        except BaseException as error:  # every failure must reach the parent
            reply = ("failed", type(error).__name__, str(error))
        writer.send(reply)

    process = ctx.Process(target=child, name=what)
    process.start()
    writer.close()
    return Forked(process, reader, what)
