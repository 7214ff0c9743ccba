"""Read many posts at once, in worker processes.

A blog of a thousand posts is twelve thousand files whose front matter is parsed one by
one: two seconds in one process, with the other cores idle. The posts to read are shared
out among processes forked from this one; each sends back what it read (the post as the
read cache stores it, and its warnings) or the error it met. The results are then taken
in the order of the posts, as a serial read would: warnings come out in the same order,
and the error reported is that of the first post that fails.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from publish.errors import Diagnostic, Diagnostics, PublishError
from publish.model import Post
from publish.processes import can_fork, chunks, cores, forked_map
from publish.sources.cache import post_from_json, post_json

MIN_PARALLEL = 200  # posts to read: fewer are read here, not worth the processes
CHUNK = 25  # posts a worker reads before it hands them back

Reader = Callable[[Path, Diagnostics], Post]
_reader: Reader | None = None  # for the workers (forked: inherited, never sent)


def _read(entry: Path) -> tuple[Any, ...]:
    """In a worker: what reading one post gave, as plain values."""
    assert _reader is not None
    own = Diagnostics()
    try:
        post = _reader(entry, own)
    except PublishError as error:  # its own pickling loses the fields: send them
        return ("error", error.code, error.message, error.file, error.line)
    return ("post", post_json(post), [w.to_json() for w in own.warnings])


def _read_chunk(entries: list[Path]) -> list[tuple[Any, ...]]:
    return [_read(entry) for entry in entries]


@contextlib.contextmanager
def read_ahead(entries: list[Path], reader: Reader) -> Iterator[Reader]:
    """A reader that gives the posts at ``entries`` as read in worker processes (when
    they are many and the machine has cores to spare; else it reads them itself), for
    the length of the ``with`` block. Ask it for them in order: a post's warnings, or its
    error, come when it is asked for. It waits only for the posts asked for, so what the
    caller does with each post (turning it back into a Post, keeping it in the read
    cache) goes on while the workers read the next ones."""
    global _reader
    done: dict[Path, tuple[Any, ...]] = {}

    def read(entry: Path, diagnostics: Diagnostics) -> Post:
        while entry not in done and (arrived := next(pending, None)) is not None:
            done.update(zip(*arrived, strict=True))
        result = done.pop(entry, None)
        if result is None:
            return reader(entry, diagnostics)
        if result[0] == "error":
            raise PublishError(*result[1:])
        diagnostics.tell(Diagnostic.from_json(value) for value in result[2])
        return post_from_json(result[1])

    pending: Iterator[tuple[list[Path], list[tuple[Any, ...]]]] = iter(())
    if len(entries) < MIN_PARALLEL or cores() < 2 or not can_fork():
        yield read
        return
    _reader = reader
    try:
        with forked_map(_read_chunk, chunks(entries, CHUNK), cores()) as results:
            pending = zip(chunks(entries, CHUNK), results, strict=True)
            yield read
            for _ in pending:  # any the caller did not ask for: taken, so the pool closes
                pass
    finally:
        _reader = None
