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
from typing import Any, TypeVar

from publish.errors import PublishError

T = TypeVar("T")


def _give_back_memory() -> None:
    """Hand the memory this process freed back to the system before forking (glibc keeps
    freed memory for later, where it counts against the process): the child and this
    process then add up to less while the child works."""
    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL(None).malloc_trim(0)


def run_forked(work: Callable[[], T], what: str) -> T:
    """``work()``, run in a forked child; its errors are raised here. ``what`` names the
    work in the error when the child dies without a word (killed, out of memory)."""
    _give_back_memory()
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
    try:
        reply = reader.recv()
    except EOFError:
        reply = ("died",)
    finally:
        process.join()
        reader.close()
    if reply[0] == "done":
        return reply[1]  # type: ignore[no-any-return]
    if reply[0] == "publish-error":
        raise PublishError(*reply[1:])
    if reply[0] == "failed" and reply[1] == "KeyboardInterrupt":
        raise KeyboardInterrupt
    detail = f"{reply[1]}: {reply[2]}" if reply[0] == "failed" else f"exit {process.exitcode}"
    raise PublishError("pdf-failed", f"{what} failed ({detail})")
