"""One blog exported from several platforms gives the same chapters, comments and threads."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from importer_helpers import SAME_BLOG, run_import

from publish.errors import Diagnostics
from publish.model import Book, Comment
from publish.sources.importers import merge_comments
from publish.sources.importers.markup import plain_text

THREADED = ["blogger-legacy.xml", "blogger-takeout.atom", "wordpress-1.2.xml"]


def _thread(comments: tuple[Comment, ...]) -> list[object]:
    return [
        (c.author, c.date.replace(tzinfo=None), plain_text(c.body.text), _thread(c.replies))
        for c in comments
    ]


def _chapters(book: Book) -> list[object]:
    return [
        (p.slug, p.title, p.date.replace(tzinfo=None), plain_text(p.body.text), _thread(p.comments))
        for p in book.posts
    ]


@pytest.mark.parametrize("name", THREADED[1:])
def test_blogger_and_wordpress_exports_make_the_same_book(name: str) -> None:
    reference = run_import(SAME_BLOG / THREADED[0]).book
    other = run_import(SAME_BLOG / name).book
    assert _chapters(other) == _chapters(reference)
    assert (other.title, other.author) == (reference.title, reference.author)


def test_text_pages_give_the_same_chapters_and_comments() -> None:
    """A page saved as text keeps who said what and when, but not the nesting."""

    def flat(book: Book) -> list[tuple[str, str, str, list[tuple[datetime, str, str]]]]:
        return [
            (
                p.slug,
                p.title,
                plain_text(p.body.text),
                sorted(
                    (c.date.replace(tzinfo=None), c.author, plain_text(c.body.text))
                    for c in p.all_comments()
                ),
            )
            for p in book.posts
        ]

    reference = flat(run_import(SAME_BLOG / "blogger-legacy.xml").book)
    pages = flat(run_import(SAME_BLOG / "pages").book)
    assert [p[:2] for p in pages] == [p[:2] for p in reference]
    assert [p[3] for p in pages] == [p[3] for p in reference]
    assert pages[0][2] == reference[0][2].replace("A very", "A very")  # same words
    assert (
        pages[0][2]
        == "It rained all day on the moor. A very wet walk. In HTML, <b> makes text bold."
    )


def test_disqus_comments_merge_into_the_posts_of_a_feed() -> None:
    feed = run_import(SAME_BLOG / "feed.rss").book
    disqus = run_import(SAME_BLOG / "disqus.xml").book
    diagnostics = Diagnostics()
    merged = merge_comments(feed, disqus, diagnostics)
    wordpress = run_import(SAME_BLOG / "wordpress-1.2.xml").book
    # http vs https and a trailing slash do not stop the thread finding its post.
    assert [_thread(p.comments) for p in merged.posts] == [
        _thread(p.comments) for p in wordpress.posts
    ]
    assert [w.code for w in diagnostics.warnings] == ["unmatched-thread"]
    assert diagnostics.counters["comments merged"] == 4
    assert diagnostics.counters["skipped: comment on a missing post"] == 1


def test_merged_comment_ids_do_not_clash(tmp_path: Path) -> None:
    wordpress = run_import(SAME_BLOG / "wordpress-1.2.xml").book
    disqus = run_import(SAME_BLOG / "disqus.xml").book
    merged = merge_comments(wordpress, disqus, Diagnostics())
    rain = merged.posts[0]
    ids = [c.id for c in rain.all_comments()]
    assert len(ids) == len(set(ids)) == 8
    assert "disqus-301" in ids
