"""EPUB chapters rendered in worker processes and kept in the render cache: the same book.

A book of a dozen posts (comments, an image, links between posts, content that draws
warnings) is built serially, with two workers, and again from the cache; the files are
byte for byte the same, and so are the warnings, in the same order.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from publish import Diagnostics, load_book, write_epub
from publish.render import pool
from publish.sources import content as content_module

from helpers import assert_epubcheck_clean, epub_names, epub_text, make_book

pytestmark = pytest.mark.xdist_group("epub-parallel")
EPOCH = "1700000000"


def _blog(root: Path) -> Path:
    posts: dict[str, str] = {}
    for n in range(1, 13):
        day = f"2020-01-{n:02d}"
        link = f"See [the one before](../post-{n - 1:02d}/index.md)." if n > 1 else ""
        posts[f"post-{n:02d}/index.md"] = (
            f'---\ntitle: "Post {n}: \\"quoted\\" -- dashed"\ndate: {day}\n---\n'
            f"It's the {n}th post... {link}\n\n<script>alert(1)</script>\n"
        )
        for c in range(1, 1 + n % 4):
            reply = f'reply_to: "{c - 1:04d}"\n' if c > 1 else ""
            body = f"Comment {c} on post {n}, 'quoted'."
            if (n, c) == (6, 2):
                body += " ![A picture far away](https://example.com/far.png)"
            posts[f"post-{n:02d}/comments/{c:04d}.md"] = (
                f"---\nauthor: Reader {c}\ndate: {day} 10:0{c}\n{reply}---\n{body}\n"
            )
    posts["post-03/index.md"] += "\n![A red square](red.png)\n"
    posts["post-04/index.md"] += "\n![The same square again](../post-03/red.png)\n"
    root = make_book(root, posts)
    Image.new("RGB", (40, 40), "red").save(root / "posts" / "post-03" / "red.png")
    return root


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    return _blog(tmp_path / "content")


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Hand out two chapters at a time to workers, for however few chapters (their
    cache keys too)."""
    monkeypatch.setattr(pool, "CHUNK", 2)
    monkeypatch.setattr(pool, "MIN_PARALLEL", 1)
    monkeypatch.setattr(pool, "KEYS_CHUNK", 2)
    monkeypatch.setattr(pool, "MIN_PARALLEL_KEYS", 1)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The titles of the chapters rendered (not taken from the cache), in order."""
    titles: list[str] = []
    record = pool.record

    def counting(renderer: object, chapter: object, *more: object) -> object:
        titles.append(chapter.post.title)  # type: ignore[attr-defined]
        return record(renderer, chapter, *more)  # type: ignore[arg-type]

    monkeypatch.setattr(pool, "record", counting)
    return titles


def _build(content: Path, out: Path, **options: object) -> list[str]:
    diagnostics = Diagnostics()
    write_epub(load_book(content, diagnostics), out, diagnostics, **options)  # type: ignore[arg-type]
    return [str(w) for w in diagnostics.warnings] + [json.dumps(diagnostics.counters)]


def test_workers_and_cache_give_the_same_book(
    blog: Path, tmp_path: Path, parallel: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    serial = _build(blog, tmp_path / "serial.epub", workers=1)
    two = _build(blog, tmp_path / "two.epub", workers=2)
    cache = tmp_path / "cache"
    filled = _build(blog, tmp_path / "filled.epub", workers=2, cache=cache)
    cached = _build(blog, tmp_path / "cached.epub", workers=2, cache=cache)
    assert any("far.png" in w for w in serial)  # the remote picture is reported
    assert any("sanitiser" in w for w in serial)  # and the script counted
    assert serial == two == filled == cached
    data = (tmp_path / "serial.epub").read_bytes()
    for name in ("two", "filled", "cached"):
        assert (tmp_path / f"{name}.epub").read_bytes() == data, name
    assert_epubcheck_clean(tmp_path / "cached.epub")
    # one image file for the picture both posts show, under a name from what it holds
    images = [n for n in epub_names(tmp_path / "cached.epub") if n.startswith("EPUB/images/")]
    assert len([n for n in images if "red" in n]) == 1


def test_a_rebuild_renders_only_the_edited_post(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rendered: list[str]
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    cache = tmp_path / "cache"
    _build(blog, tmp_path / "first.epub", cache=cache)
    post = blog / "posts" / "post-12" / "index.md"  # the last: no other post links to it
    post.write_text(post.read_text().replace("12th post", "twelfth post, edited"))
    rendered.clear()
    _build(blog, tmp_path / "second.epub", workers=1, cache=cache)
    assert rendered == ['Post 12: "quoted" -- dashed']
    assert "twelfth post, edited" in epub_text(tmp_path / "second.epub", _chapter(12))
    fresh = tmp_path / "fresh.epub"
    _build(blog, fresh, workers=1)
    assert (tmp_path / "second.epub").read_bytes() == fresh.read_bytes()


def test_the_cache_follows_a_changed_image_and_forgets_removed_posts(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    cache = tmp_path / "cache"
    _build(blog, tmp_path / "first.epub", cache=cache)
    Image.new("RGB", (40, 40), "blue").save(blog / "posts" / "post-03" / "red.png")
    shutil.rmtree(blog / "posts" / "post-12")
    _build(blog, tmp_path / "second.epub", cache=cache)
    fresh = tmp_path / "fresh.epub"
    _build(blog, fresh)
    assert (tmp_path / "second.epub").read_bytes() == fresh.read_bytes()
    assert len(list(cache.rglob("*.record"))) == 11  # post 12's entry is gone


def test_a_bad_post_fails_the_same_in_a_worker(
    blog: Path, tmp_path: Path, parallel: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from publish.errors import PublishError
    from publish.limits import MAX_BODY_CHARS

    post = blog / "posts" / "post-09" / "index.md"
    post.write_text(post.read_text() + "x" * (MAX_BODY_CHARS + 1))
    with pytest.raises(PublishError) as raised:
        _build(blog, tmp_path / "bad.epub", workers=2)
    assert raised.value.code == "too-large" and raised.value.file == post
    assert not (tmp_path / "bad.epub").exists()


def _chapter(n: int) -> str:
    return f"EPUB/text/chapter-{n:03d}.xhtml"


def test_a_cached_chapter_drops_a_link_whose_target_went_away(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Post two is unchanged and cached, with its finished document; post one loses the
    section it links to, so that link must now point at post one's start."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = make_book(
        tmp_path / "content",
        {
            "post-01/index.md": "---\ntitle: One\ndate: 2020-01-01\n---\nA.\n\n## Part {#sec}\n",
            "post-02/index.md": (
                "---\ntitle: Two\ndate: 2020-01-02\n---\nSee [it](../post-01/index.md#sec).\n"
            ),
        },
    )
    cache = tmp_path / "cache"
    _build(root, tmp_path / "first.epub", cache=cache)
    assert 'href="chapter-001.xhtml#ch-001-post-01-sec"' in epub_text(
        tmp_path / "first.epub", _chapter(2)
    )
    one = root / "posts" / "post-01" / "index.md"
    one.write_text(one.read_text().replace(" {#sec}", ""))
    _build(root, tmp_path / "second.epub", cache=cache)
    page = epub_text(tmp_path / "second.epub", _chapter(2))
    assert 'href="chapter-001.xhtml"' in page and "#ch-001-post-01-sec" not in page
    _build(root, tmp_path / "fresh.epub")
    assert (tmp_path / "second.epub").read_bytes() == (tmp_path / "fresh.epub").read_bytes()


def test_the_generated_cover_is_drawn_once_and_kept(
    blog: Path, tmp_path: Path, parallel: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Drawn here while the workers render (``meanwhile``), kept in the render cache."""
    from publish.cover import cover_image
    from publish.writers import epub as epub_writer

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    drawn: list[str] = []
    draw = cover_image  # as publish.writers.epub has it

    def counting(book: object, *args: object) -> bytes:
        drawn.append(book.title)  # type: ignore[attr-defined]
        return draw(book, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(epub_writer, "cover_image", counting)
    cache = tmp_path / "cache"
    _build(blog, tmp_path / "first.epub", cache=cache)
    _build(blog, tmp_path / "second.epub", cache=cache)
    assert len(drawn) == 1
    assert (tmp_path / "first.epub").read_bytes() == (tmp_path / "second.epub").read_bytes()
    toml = blog / "book.toml"
    toml.write_text(toml.read_text() + 'subtitle = "A New Subtitle"\n')
    _build(blog, tmp_path / "third.epub", cache=cache)
    assert len(drawn) == 2  # the cover shows the subtitle: drawn again
    assert len(list(cache.rglob("*.png"))) == 1  # and the old cover's file is gone


def _cli_build(content: Path, out: Path, cache: Path) -> list[str]:
    """A build as the CLI makes it: the read cache and the render cache both in use."""
    diagnostics = Diagnostics()
    write_epub(load_book(content, diagnostics, cache=cache), out, diagnostics, cache=cache)
    return [str(w) for w in diagnostics.warnings] + [json.dumps(diagnostics.counters)]


def test_the_caches_do_not_depend_on_how_the_folder_is_spelled(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rendered: list[str]
) -> None:
    """``content``, ``./content/`` and the absolute path are one book to the caches: a
    build under one spelling reads and renders nothing again under another, prunes none
    of the other's entries, and names the files in its warnings the same way."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    monkeypatch.chdir(tmp_path)
    cache = tmp_path / "cache"
    first = _cli_build(Path("content"), tmp_path / "first.epub", cache)
    stored = sorted(p.name for p in cache.rglob("*"))
    rendered.clear()
    read: list[Path] = []
    monkeypatch.setattr(content_module, "read_post", lambda entry, *a: read.append(entry))
    for n, spelling in enumerate([blog, Path("./content/"), cache / ".." / "content"]):
        again = _cli_build(spelling, tmp_path / f"again-{n}.epub", cache)
        assert (rendered, read) == ([], []), spelling
        assert again == first
        assert (tmp_path / f"again-{n}.epub").read_bytes() == (tmp_path / "first.epub").read_bytes()
        assert sorted(p.name for p in cache.rglob("*")) == stored
    assert any(w.startswith("content/posts/post-06/comments/") for w in first)


def test_the_next_days_rebuild_renders_nothing_again_unless_a_chapter_shows_the_day(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rendered: list[str]
) -> None:
    """The colophon shows the build's day; the chapters do not, so a rebuild the next day
    keeps them all. A chapter template of the book's own that shows the day makes every
    chapter again, with the new day."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    _build(blog, tmp_path / "first.epub", workers=1, cache=cache)
    assert len(rendered) == 12
    rendered.clear()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 86400))  # the next day
    _build(blog, tmp_path / "next.epub", workers=1, cache=cache)
    assert rendered == []
    _build(blog, tmp_path / "fresh.epub", workers=1)
    assert (tmp_path / "next.epub").read_bytes() == (tmp_path / "fresh.epub").read_bytes()
    partial = Path(pool.__file__).parent.parent / "templates" / "partials" / "chapter.html.j2"
    own = blog / "templates" / "partials" / "chapter.html.j2"
    own.parent.mkdir(parents=True)
    own.write_text(partial.read_text() + '<p class="made">{{ book.built_text }}</p>\n')
    _build(blog, tmp_path / "own.epub", workers=1, cache=cache)
    rendered.clear()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(EPOCH) + 2 * 86400))
    _build(blog, tmp_path / "own-next.epub", workers=1, cache=cache)
    assert len(rendered) == 12
    assert "November 16, 2023" in epub_text(tmp_path / "own-next.epub", _chapter(1))


def test_the_cache_keys_made_in_workers_are_the_keys_made_here(
    blog: Path, tmp_path: Path, parallel: None
) -> None:
    from publish.assembly import assemble
    from publish.render.cache import render_cache

    book = load_book(blog)
    plan = assemble(book)
    here = pool._keys(render_cache(book, tmp_path / "a", "epub", ""), plan, plan.chapters, 1)
    there = pool._keys(render_cache(book, tmp_path / "b", "epub", ""), plan, plan.chapters, 2)
    assert len(here) == len(plan.chapters) > 2 * pool.KEYS_CHUNK
    assert here == there
    assert len(set(here)) == len(here)
