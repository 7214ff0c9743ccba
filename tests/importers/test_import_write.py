"""write_content: the content format of the end-to-end issue, read back the same."""

from __future__ import annotations

from pathlib import Path

import markdown
import pytest
from importer_helpers import OTHER, SAME_BLOG, run_import

from publish.errors import Diagnostics, PublishError
from publish.model import Book, Comment
from publish.sources.config import load_config
from publish.sources.content import load_content
from publish.sources.importers import write_content

SAMPLES = [
    SAME_BLOG / "blogger-legacy.xml",
    SAME_BLOG / "blogger-takeout.atom",
    SAME_BLOG / "wordpress-1.2.xml",
    SAME_BLOG / "disqus.xml",
    SAME_BLOG / "feed.rss",
    SAME_BLOG / "feed.atom",
    SAME_BLOG / "jekyll",
    SAME_BLOG / "pages",
    OTHER / "wordpress-1.0.xml",
]


def comment_tree(comments: tuple[Comment, ...]) -> list[object]:
    return [
        (c.id, c.author, c.date, c.body.text.strip(), c.url, comment_tree(c.replies))
        for c in comments
    ]


def assert_same_book(imported: Book, read_back: Book) -> None:
    """The content folder holds the same posts and comment threads as the import."""
    assert (read_back.title, read_back.author, read_back.language) == (
        imported.title,
        imported.author,
        imported.language,
    )
    assert read_back.identifier == imported.identifier
    before = sorted(imported.posts, key=lambda p: p.slug)
    after = sorted(read_back.posts, key=lambda p: p.slug)
    assert [p.slug for p in after] == [p.slug for p in before]
    for old, new in zip(before, after, strict=True):
        assert (new.title, new.date, new.author, new.tags, new.url) == (
            old.title,
            old.date,
            old.author,
            old.tags,
            old.url,
        )
        assert new.body.text.strip() == old.body.text.strip()
        assert comment_tree(new.comments) == comment_tree(old.comments)


@pytest.mark.parametrize("source", SAMPLES, ids=lambda p: p.name)
def test_round_trip_through_the_content_format(source: Path, tmp_path: Path) -> None:
    book = run_import(source, include_pages=True).book
    write_content(book, tmp_path / "content")
    assert_same_book(book, load_content(tmp_path / "content", Diagnostics()))


def test_html_bodies_pass_through_markdown_untouched() -> None:
    book = run_import(SAME_BLOG / "wordpress-1.2.xml").book
    bodies = [p.body.text for p in book.posts]
    bodies += [c.body.text for p in book.posts for c in p.all_comments()]
    bodies.append(run_import(OTHER / "wordpress-1.0.xml").book.posts[0].body.text)
    for body in bodies:
        rendered = markdown.markdown(body, extensions=["footnotes", "tables", "fenced_code"])
        assert rendered.strip() == body.expandtabs(4).strip()


def test_layout_and_files(tmp_path: Path) -> None:
    book = run_import(SAME_BLOG / "blogger-legacy.xml").book
    dest = tmp_path / "content"
    written = write_content(book, dest)
    names = [p.relative_to(dest).as_posix() for p in written]
    assert names == [
        "book.toml",
        "posts/2021-03-04-rain-on-the-moor/index.md",
        "posts/2021-03-04-rain-on-the-moor/comments/0001.md",
        "posts/2021-03-04-rain-on-the-moor/comments/0002.md",
        "posts/2021-03-04-rain-on-the-moor/comments/0003.md",
        "posts/2021-03-04-rain-on-the-moor/comments/0004.md",
        "posts/2021-04-01-a-short-note.md",
    ]
    assert (dest / "posts/2021-03-04-rain-on-the-moor/index.md").read_text("utf-8") == (
        "---\n"
        "title: Rain on the Moor\n"
        "date: 2021-03-04 09:30:00+00:00\n"
        "author: Ada Example\n"
        "tags:\n- walks\n- weather\n"
        "url: http://fieldnotes.example.org/2021/03/rain-on-the-moor.html\n"
        "---\n\n"
        "<p>It rained all day on the moor.</p>\n\n<p>A <em>very</em> wet walk.</p>\n\n"
        "<p>In HTML, &lt;b&gt; makes text bold.</p>\n"
    )
    # Threads depth first: Bea, Ada (answering Bea), Dee (answering Ada), then Cal.
    reply = (dest / "posts/2021-03-04-rain-on-the-moor/comments/0003.md").read_text("utf-8")
    assert reply == (
        "---\nauthor: Dee\ndate: 2021-03-07 09:00:00+00:00\nid: '304'\nreply_to: '302'\n---\n\n"
        "<p>Me too.</p>\n"
    )
    config = load_config(dest / "book.toml")
    assert (config.title, config.author, config.language) == ("Field Notes", "Ada Example", "en-GB")


def test_output_is_deterministic(tmp_path: Path) -> None:
    book = run_import(SAME_BLOG / "jekyll").book
    first = write_content(book, tmp_path / "a")
    second = write_content(run_import(SAME_BLOG / "jekyll").book, tmp_path / "b")
    assert [p.relative_to(tmp_path / "a") for p in first] == [
        p.relative_to(tmp_path / "b") for p in second
    ]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes()


def test_nothing_is_overwritten_without_force(tmp_path: Path) -> None:
    book = run_import(SAME_BLOG / "blogger-legacy.xml").book
    dest = tmp_path / "content"
    write_content(book, dest)
    index = dest / "posts/2021-03-04-rain-on-the-moor/index.md"
    index.write_text("---\ntitle: Edited by hand\ndate: 2021-03-04\n---\nMine.\n", "utf-8")
    before = sorted(p.read_bytes() for p in dest.rglob("*") if p.is_file())
    with pytest.raises(PublishError) as caught:
        write_content(book, dest)
    assert caught.value.code == "exists"
    assert caught.value.file is not None and caught.value.file.name in ("index.md", "0001.md")
    assert "--force" in str(caught.value)
    assert sorted(p.read_bytes() for p in dest.rglob("*") if p.is_file()) == before


def test_force_replaces_imported_posts_but_keeps_book_toml(tmp_path: Path) -> None:
    dest = tmp_path / "content"
    write_content(run_import(SAME_BLOG / "blogger-legacy.xml").book, dest)
    (dest / "book.toml").write_text(
        'title = "My Own Title"\nauthor = "Me"\nlanguage = "en"\n', "utf-8"
    )
    stale = dest / "posts/2021-03-04-rain-on-the-moor/comments/0009.md"
    stale.write_text("---\nauthor: X\ndate: 2021-01-01\n---\nOld.\n", "utf-8")
    written = write_content(run_import(SAME_BLOG / "blogger-legacy.xml").book, dest, force=True)
    assert dest / "book.toml" not in written
    assert "My Own Title" in (dest / "book.toml").read_text("utf-8")
    assert not stale.exists()
    assert len(load_content(dest, Diagnostics()).posts[0].comments) == 2


def test_importing_another_export_adds_its_posts(tmp_path: Path) -> None:
    dest = tmp_path / "content"
    write_content(run_import(SAME_BLOG / "blogger-legacy.xml").book, dest)
    write_content(run_import(OTHER / "wordpress-1.0.xml").book, dest)
    slugs = [p.slug for p in load_content(dest, Diagnostics()).posts]
    assert slugs == [
        "2009-09-05-untitled-post-of-5-september-2009",
        "2021-03-04-rain-on-the-moor",
        "2021-04-01-a-short-note",
    ]


def test_book_toml_strings_are_escaped(tmp_path: Path) -> None:
    book = run_import(SAME_BLOG / "feed.rss").book
    tricky = Book(title='Say "hi"\\ now\x7f', author="Zoë\tX", language="en", posts=book.posts)
    write_content(tricky, tmp_path / "content")
    config = load_config(tmp_path / "content" / "book.toml")
    assert (config.title, config.author) == ('Say "hi"\\ now\x7f', "Zoë\tX")
