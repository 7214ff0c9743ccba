"""The benchmark's synthetic blogs: deterministic, and readable by publish."""

from __future__ import annotations

import sys
from pathlib import Path

from publish import load_book

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate import digest, generate


def test_same_seed_same_bytes(tmp_path: Path) -> None:
    first = generate(tmp_path / "a", 12)
    second = generate(tmp_path / "b", 12)
    assert digest(first) == digest(second)
    assert digest(generate(tmp_path / "c", 12, seed=2)) != digest(first)


def test_posts_are_shared_across_sizes(tmp_path: Path) -> None:
    small = generate(tmp_path / "small", 5)
    large = generate(tmp_path / "large", 8)
    for path in sorted((small / "posts").rglob("*.md")):
        assert path.read_bytes() == (large / path.relative_to(small)).read_bytes()


def test_publish_reads_it(tmp_path: Path) -> None:
    book = load_book(generate(tmp_path / "blog", 12))
    assert len(book.posts) == 12
    comments = [c for p in book.posts for c in p.all_comments()]
    assert comments, "some posts have comments"
    assert any(c.reply_to for c in comments), "some comments are replies"
    assert any(p.base_dir and (p.base_dir / "picture.png").is_file() for p in book.posts)
