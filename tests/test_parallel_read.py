"""Posts read in worker processes: the same book, the same warnings in the same order,
and the error of the first post that fails, as a read in one process."""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path
from typing import Any

import pytest

from publish import Diagnostics, load_book
from publish.errors import PublishError
from publish.sources import parallel
from publish.sources.cache import post_from_json

from helpers import threaded_blog


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    return threaded_blog(tmp_path / "content", 8, lambda n: n % 3 == 0)


def _load(root: Path, cache: Path | None = None) -> tuple[object, list[str]]:
    diagnostics = Diagnostics()
    book = load_book(root, diagnostics, cache=cache)
    return book, [str(w) for w in diagnostics.warnings]


@pytest.fixture
def in_workers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    monkeypatch.setattr(parallel, "CHUNK", 2)
    monkeypatch.setattr(parallel, "cores", lambda: 2)


def test_the_same_book_and_warnings_as_one_process(
    blog: Path, tmp_path: Path, in_workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    pids = tmp_path / "pids"
    read = parallel._read

    def noting(entry: Path) -> tuple[object, ...]:
        with pids.open("a") as out:
            out.write(f"{os.getpid()}\n")
        return read(entry)

    monkeypatch.setattr(parallel, "_read", noting)  # in the workers: they are forked
    book, warnings = _load(blog)
    assert str(os.getpid()) not in pids.read_text().split()  # read by the workers
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel, "MIN_PARALLEL", 10**9)
        alone, alone_warnings = _load(blog)
    assert book == alone
    assert warnings == alone_warnings
    assert len(warnings) == 2  # posts 3 and 6, in the posts' order


def test_the_first_failing_post_is_the_error(blog: Path, in_workers: None) -> None:
    for n in (4, 7):
        path = blog / "posts" / f"post-{n}" / "index.md"
        path.write_text("---\ntitle: [unclosed\n---\nText.\n", "utf-8")
    with pytest.raises(PublishError) as raised:
        _load(blog)
    assert raised.value.file is not None and "post-4" in str(raised.value.file)


def test_with_the_cache_only_the_changed_posts_are_read(
    blog: Path, tmp_path: Path, in_workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first, _ = _load(blog, cache)
    (blog / "posts" / "post-5" / "index.md").write_text(
        "---\ntitle: Post 5, again\ndate: 2020-01-05\n---\nNew text.\n", "utf-8"
    )
    asked: list[list[Path]] = []
    read_ahead = parallel.read_ahead

    def counting(
        entries: list[Path], reader: parallel.Reader
    ) -> contextlib.AbstractContextManager[parallel.Reader]:
        asked.append(list(entries))
        return read_ahead(entries, reader)

    monkeypatch.setattr("publish.sources.content.read_ahead", counting)
    book, warnings = _load(blog, cache)
    assert [[entry.name for entry in entries] for entries in asked] == [["post-5"]]
    fresh, fresh_warnings = _load(blog)
    assert book == fresh and warnings == fresh_warnings
    assert book != first


def test_posts_are_handed_on_while_the_workers_still_read(
    blog: Path, tmp_path: Path, in_workers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first post reaches the caller before the others are read: each worker waits,
    before reading any post but the first, until the caller has turned the first into a
    Post (a file says so). Were the caller to wait for every post first, they would wait
    in vain (and say so)."""
    monkeypatch.setattr(parallel, "CHUNK", 1)
    first = sorted((blog / "posts").iterdir())[0]
    handed, late = tmp_path / "handed", tmp_path / "late"
    read = parallel._read

    def waiting(entry: Path) -> tuple[object, ...]:
        deadline = time.monotonic() + 10
        while entry.name != first.name and not handed.exists():
            if time.monotonic() > deadline:
                late.touch()
                break
            time.sleep(0.01)
        return read(entry)

    def handing(value: Any) -> Any:
        handed.touch()
        return post_from_json(value)

    monkeypatch.setattr(parallel, "_read", waiting)  # in the workers: they are forked
    monkeypatch.setattr("publish.sources.parallel.post_from_json", handing)  # here, as they come
    book, _ = _load(blog)
    assert not late.exists()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(parallel, "MIN_PARALLEL", 10**9)
        alone, _ = _load(blog)
    assert book == alone


@pytest.mark.parametrize(
    "name", ["/blog/posts/a/comments/0001.md", "posts/a/index.md", "index.md", "/index.md"]
)
def test_a_path_comes_back_from_the_cache_as_it_was(name: str) -> None:
    """Paths are made again from their folder (made once) and their name: the same path."""
    from publish.sources.cache import _name, _path

    again = _path(_name(Path(name)))
    assert again == Path(name) and str(again) == name and type(again) is type(Path(name))
