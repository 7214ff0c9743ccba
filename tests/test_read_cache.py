"""The read cache: posts as read, kept between builds; only changed posts are read again.

A book loaded with the cache equals the book loaded without it, warnings included, after
every kind of change: a post or comment edited, a comment added, a post removed.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from publish import Diagnostics, load_book
from publish.errors import PublishError
from publish.sources import content as content_module

from helpers import threaded_blog


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    return threaded_blog(tmp_path / "content", 5, lambda n: n == 2)


def _load(root: Path, cache: Path | None) -> tuple[object, list[str]]:
    diagnostics = Diagnostics()
    book = load_book(root, diagnostics, cache=cache)
    return book, [str(w) for w in diagnostics.warnings]


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The posts read from their files (not found in the cache), by folder name."""
    names: list[str] = []
    read_post = content_module.read_post

    def counting(entry: Path, *args: object, **kwargs: object) -> object:
        names.append(entry.name)
        return read_post(entry, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(content_module, "read_post", counting)
    return names


def test_a_cached_load_is_the_same_book_with_the_same_warnings(
    blog: Path, tmp_path: Path, reads: list[str]
) -> None:
    plain = _load(blog, None)
    cache = tmp_path / "cache"
    first = _load(blog, cache)
    reads.clear()
    second = _load(blog, cache)
    assert reads == []  # nothing read again
    assert plain == first == second
    assert any("mood" in w for w in second[1])
    assert repr(plain[0]) == repr(second[0])  # dates, paths and threads as read


def test_only_changed_posts_are_read_again(blog: Path, tmp_path: Path, reads: list[str]) -> None:
    cache = tmp_path / "cache"
    _load(blog, cache)
    comment = blog / "posts" / "post-4" / "comments" / "0002.md"
    comment.write_text(comment.read_text().replace("Comment 2.", "Comment two, edited."))
    (blog / "posts" / "post-3" / "comments" / "0009.md").write_text(
        "---\nauthor: Late\ndate: 2020-03-01\n---\nA new comment.\n"
    )
    single = blog / "posts" / "single.md"
    single.write_text(single.read_text().replace("One file.", "One file, edited."))
    reads.clear()
    book, _ = _load(blog, cache)
    assert sorted(reads) == ["post-3", "post-4", "single.md"]
    assert book == _load(blog, None)[0]


def test_removed_posts_leave_the_cache(blog: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _load(blog, cache)
    for path in (blog / "posts" / "post-5").rglob("*"):
        if path.is_file():
            path.unlink()
    for path in sorted((blog / "posts" / "post-5").rglob("*"), reverse=True):
        path.rmdir()
    (blog / "posts" / "post-5").rmdir()
    _load(blog, cache)
    (stored,) = (cache / "read").iterdir()
    head, *lines = stored.read_text().splitlines()
    paths = [json.loads(line.split("\t")[0]) for line in lines]
    assert json.loads(head)["key"] and len(paths) == 5
    assert not any("post-5" in path for path in paths)


def test_a_bad_post_is_not_kept_and_fails_again(blog: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _load(blog, cache)
    post = blog / "posts" / "post-3" / "index.md"
    post.write_text("---\ntitle: Post 3\ndate: yesterday\n---\nText.\n")
    for _ in range(2):
        with pytest.raises(PublishError) as raised:
            _load(blog, cache)
        assert raised.value.code == "bad-date" and raised.value.file == post


def test_a_damaged_cache_is_read_past(blog: Path, tmp_path: Path, reads: list[str]) -> None:
    cache = tmp_path / "cache"
    _load(blog, cache)
    (stored,) = (cache / "read").iterdir()
    stored.write_text('{"key": "not this one"')
    reads.clear()
    assert _load(blog, cache) == _load(blog, None)
    assert len(reads) == 12  # all six read, twice


def test_strict_turns_a_cached_warning_into_an_error(blog: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _load(blog, cache)
    with pytest.raises(PublishError) as raised:
        load_book(blog, Diagnostics(strict=True), cache=cache)
    assert raised.value.code == "unknown-key"
