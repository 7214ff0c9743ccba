"""Reading the content format: the default book, threads, drafts, options."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from publish import Diagnostics, PublishError, load_book
from publish.assembly import assemble

from helpers import REPO, make_book


def test_default_book_has_the_seed_post_and_its_comment() -> None:
    book = load_book(REPO / "content", Diagnostics(strict=True))
    seed = next(p for p in book.posts if p.title == "The End of the Caliphate")
    assert seed.date == datetime(2016, 7, 13)
    assert "rootless terrorist network" in seed.body.text
    assert "short-term increase in bombings" in seed.body.text
    [comment] = seed.comments
    assert comment.author == "pithom"
    assert "That sounds high" in comment.body.text
    assert book.sample


def test_default_book_threads_replies_under_their_parents() -> None:
    book = load_book(REPO / "content", Diagnostics(strict=True))
    post = next(p for p in book.posts if p.slug.endswith("commonplace-book"))
    assert [c.author for c in post.comments] == ["Margaret H.", "Tomás"]
    first, second = post.comments
    assert [r.author for r in first.replies] == ["The publish project"]
    assert [r.author for r in first.replies[0].replies] == ["Margaret H."]
    assert [r.author for r in second.replies] == ["R. Okafor"]
    assert post.comment_count == 5


def test_single_file_posts_take_their_date_from_the_name(tmp_path: Path) -> None:
    root = make_book(tmp_path, {"2020-02-03-hello.md": "---\ntitle: Hello\n---\nText.\n"})
    [post] = load_book(root).posts
    assert post.date == datetime(2020, 2, 3)
    assert post.slug == "2020-02-03-hello"


def test_drafts_are_left_out_and_order_can_be_reversed(tmp_path: Path) -> None:
    root = make_book(
        tmp_path,
        {
            "a.md": "---\ntitle: A\ndate: 2020-01-01\n---\nA",
            "b.md": "---\ntitle: B\ndate: 2020-01-03\n---\nB",
            "c.md": "---\ntitle: C\ndate: 2020-01-02\ndraft: true\n---\nC",
        },
        'title = "T"\nauthor = "X"\nlanguage = "en"\norder = "reverse"\n',
    )
    plan = assemble(load_book(root))
    assert [c.title for c in plan.chapters] == ["B", "A"]
    assert [c.number for c in plan.chapters] == [1, 2]


def test_replies_are_in_date_order_whatever_the_file_order(tmp_path: Path) -> None:
    post = "---\ntitle: P\ndate: 2020-01-01\n---\nBody\n"
    comments = {
        "p/index.md": post,
        "p/comments/a.md": "---\nauthor: A\ndate: 2020-01-02\n---\nroot",
        "p/comments/b.md": "---\nauthor: B\ndate: 2020-01-05\nreply_to: a\n---\nlate reply",
        "p/comments/c.md": "---\nauthor: C\ndate: 2020-01-03\nreply_to: a\n---\nearly reply",
    }
    [p] = load_book(make_book(tmp_path, comments)).posts
    assert [r.author for r in p.comments[0].replies] == ["C", "B"]


def test_identifier_is_derived_and_stable(tmp_path: Path) -> None:
    root = make_book(tmp_path, {"2020-01-01-a.md": "---\ntitle: A\n---\nx"})
    first = load_book(root).identifier
    assert first is not None and first.startswith("urn:uuid:")
    assert load_book(root).identifier == first


def test_isbn_identifier(tmp_path: Path) -> None:
    toml = 'title = "T"\nauthor = "X"\nlanguage = "en"\nidentifier = "978-3-16-148410-0"\n'
    root = make_book(tmp_path, {"2020-01-01-a.md": "---\ntitle: A\n---\nx"}, toml)
    assert load_book(root).identifier == "urn:isbn:9783161484100"


def test_pdf_options(tmp_path: Path) -> None:
    toml = (
        'title = "T"\nauthor = "X"\nlanguage = "en"\n[pdf]\ntrim = "A5"\nfont_size = "11pt"\n'
        '[pdf.margins]\ninside = "1in"\n'
    )
    book = load_book(make_book(tmp_path, {"2020-01-01-a.md": "---\ntitle: A\n---\nx"}, toml))
    assert book.pdf.trim == "148mm 210mm"
    assert book.pdf.font_size == "11pt"
    assert book.pdf.margins.inside == "1in"
    assert book.pdf.margins.outside == "0.8in"


FRONT_MATTERS = [
    'title: "A \\"quoted\\" title"\ndate: 2020-01-02 10:30\ntags: [a, b]\ndraft: false\n',
    "title: 'Plain'\ndate: 2020-01-02\nurl: https://example.com/x\nnumber: 12\n",
    "title: >\n  folded\n  text\nauthor: null\nnested: {a: [1, 2, {b: c}]}\n",
    "title: \\u00e9t\\u00e9\nempty:\nlist:\n  - one\n  - two\n",
]


@pytest.mark.parametrize("front", FRONT_MATTERS)
def test_front_matter_reads_the_same_with_and_without_libyaml(
    front: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from publish.sources import textfile

    path = tmp_path / "p.md"
    path.write_text(f"---\n{front}---\nbody\n", "utf-8")
    fast = textfile.parse_document(path)
    monkeypatch.setattr(textfile, "_FastLoader", None)
    slow = textfile.parse_document(path)
    assert fast == slow


def test_front_matter_aliases_are_refused_at_their_line_by_either_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from publish.sources import textfile

    path = tmp_path / "p.md"
    path.write_text("---\ntitle: &t x\ndate: 2020-01-01\nother: *t\n---\nbody\n", "utf-8")
    for fast in (True, False):
        if not fast:
            monkeypatch.setattr(textfile, "_FastLoader", None)
        with pytest.raises(PublishError) as raised:
            textfile.parse_document(path)
        assert raised.value.line == 4 and "aliases" in raised.value.message
