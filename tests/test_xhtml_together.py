"""A post's simple comments rewritten to XHTML in one parse
(publish.render.xhtml.to_xhtml_simple) come out exactly as each rewritten alone
(``to_xhtml``), with the same warnings, told in the comments' order."""

from __future__ import annotations

import os
import tempfile
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_joined_markdown import SIMPLE, TOKENS

from publish.assembly import Plan, assemble
from publish.errors import Diagnostics, PublishError
from publish.model import Body, Book, Comment, Post
from publish.render.chapters import ChapterRenderer
from publish.render.markup import joined_safe_html
from publish.render.xhtml import Place, to_xhtml, to_xhtml_simple
from publish.writers.print_links import PrintTarget

LINKS = [
    "See [the other post](../other/index.md) and [this one](#note).",
    "A [dead link](nowhere.md) and a [fragment](#missing).",
    "![a remote image](https://example.org/x.png) and words.",
    "# A heading {#not-an-id}\n\nAnd a paragraph.",
    "Ranges 10-12 and 1914 - 1918, the '90s, rock 'n' roll.",
]


def _plan(root: Path) -> tuple[Post, Plan]:
    posts = tuple(
        Post(
            slug=slug,
            title=slug,
            date=datetime(2020, 1, n),
            body=Body("x"),
            source=root / slug / "index.md",
            base_dir=root / slug,
        )
        for n, slug in enumerate(("post", "other"), start=1)
    )
    return posts[0], assemble(Book(title="T", author="A", language="en", posts=posts, root=root))


def _places(root: Path, count: int) -> list[Place]:
    post, plan = _plan(root)
    return [
        Place(plan, PrintTarget(), f"post-c{n}", post.base_dir, root / f"c{n}.md", Diagnostics())
        for n in range(count)
    ]


def _alone(fragment: str, place: Place) -> str | PublishError:
    try:
        return to_xhtml(fragment, place)
    except PublishError as error:  # an image not found
        return error


def _same(texts: list[str], root: Path) -> None:
    (root / "post").mkdir(exist_ok=True)
    (root / "post" / "h").write_bytes(b"an image")
    made = joined_safe_html([Body(text) for text in texts])
    chosen = sorted(made)
    together = _places(root, len(chosen))
    alone = _places(root, len(chosen))
    expected = [_alone(made[n], place) for n, place in zip(chosen, alone, strict=True)]
    failed = [error for error in expected if isinstance(error, PublishError)]
    if failed:  # the first fragment's error, as alone
        with pytest.raises(PublishError) as raised:
            to_xhtml_simple([made[n] for n in chosen], together)
        assert str(raised.value) == str(failed[0])
        return
    got = to_xhtml_simple([made[n] for n in chosen], together)
    for n, xhtml, mine, theirs, want in zip(chosen, got, together, alone, expected, strict=True):
        assert xhtml == want, texts[n]
        assert mine.diagnostics.warnings == theirs.diagnostics.warnings


def test_simple_texts_come_out_as_alone(tmp_path: Path) -> None:
    _same(SIMPLE + LINKS, tmp_path)


def test_fragments_that_do_not_parse_apart_are_rewritten_each_alone(tmp_path: Path) -> None:
    fragments = ["<p>one</p>", "</div><p>two</p><div>", "<p>three", ""]
    places = _places(tmp_path, len(fragments))
    alone = _places(tmp_path, len(fragments))
    got = to_xhtml_simple(fragments, places)
    assert got == [to_xhtml(f, p) for f, p in zip(fragments, alone, strict=True)]


@settings(max_examples=int(os.environ.get("JOIN_EXAMPLES", "300")), deadline=None)
@given(st.lists(st.lists(st.sampled_from(TOKENS), max_size=12), min_size=2, max_size=6))
def test_any_mix_comes_out_as_alone(texts: list[list[str]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        _same(["".join(tokens) for tokens in texts], Path(folder))


def _book_with(root: Path, bodies: list[str]) -> Book:
    comments = tuple(
        Comment(
            id=f"c{n}",
            author=f"reader {n}",
            date=datetime(2020, 1, 2),
            body=Body(text),
            source=root / f"c{n}.md",
        )
        for n, text in enumerate(bodies)
    )
    post = Post(
        slug="post",
        title="Post",
        date=datetime(2020, 1, 1),
        body=Body("Words."),
        source=root / "post.md",
        base_dir=root,
        comments=comments,
    )
    return Book(title="T", author="A", language="en", posts=(post,), root=root)


BODIES = [
    "A [dead link](first.md).",  # simple
    "<p>An <a href='second.md'>HTML</a> comment.</p>",  # not simple: its own way
    "",  # empty: a warning of its own
    "Another [dead link](third.md).",  # simple
]


def test_warnings_are_told_in_the_comments_order(tmp_path: Path) -> None:
    plan = assemble(_book_with(tmp_path, BODIES))
    diagnostics = Diagnostics()
    ChapterRenderer(plan, PrintTarget(), diagnostics).render(plan.chapters[0])
    told = [(w.code, w.file.name if w.file else None) for w in diagnostics.warnings]
    assert told == [
        ("dead-link", "c0.md"),
        ("dead-link", "c1.md"),
        ("empty-comment", "c2.md"),
        ("dead-link", "c3.md"),
    ]


def test_strict_stops_at_the_first_comment_s_warning(tmp_path: Path) -> None:
    plan = assemble(_book_with(tmp_path, BODIES))
    renderer = ChapterRenderer(plan, PrintTarget(), Diagnostics(strict=True))
    with pytest.raises(PublishError) as raised:
        renderer.render(plan.chapters[0])
    assert raised.value.code == "dead-link" and "first.md" in str(raised.value)


def test_a_simple_comment_s_image_error_comes_in_its_turn(tmp_path: Path) -> None:
    """An image not found is an error, said after the warnings of the comments before it."""
    bodies = ["<p>An <a href='gone.md'>HTML</a> link.</p>", "See ![x](missing.png)", "Fine."]
    plan = assemble(_book_with(tmp_path, bodies))
    diagnostics = Diagnostics()
    with pytest.raises(PublishError) as raised:
        ChapterRenderer(plan, PrintTarget(), diagnostics).render(plan.chapters[0])
    assert raised.value.code == "missing-image"
    assert [w.code for w in diagnostics.warnings] == ["dead-link"]
    strict = ChapterRenderer(plan, PrintTarget(), Diagnostics(strict=True))
    with pytest.raises(PublishError) as raised:
        strict.render(plan.chapters[0])
    assert raised.value.code == "dead-link"
