"""Which chapters share a WeasyPrint document: its length decides, and links some ends."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from publish import load_book
from publish.assembly import Part, Plan, assemble
from publish.writers import pdf_batches
from publish.writers.pdf_batches import Batch, batches

from helpers import make_book


def _plan(
    root: Path, links: dict[int, int], count: int = 8, words: dict[int, int] | None = None
) -> Plan:
    """``count`` posts; ``links`` maps a post to the one it links to; ``words``, a post to
    how many words it has (two unless said)."""
    posts = {}
    for n in range(1, count + 1):
        link = f"See [that one](../post-{links[n]:02d}/index.md). " if n in links else ""
        text = " ".join(["Some", *["words"] * ((words or {}).get(n, 2) - 1)])
        posts[f"post-{n:02d}/index.md"] = (
            f'---\ntitle: "Post {n}"\ndate: 2020-01-{n:02d}\n---\n{link}{text}.\n'
        )
    return assemble(load_book(make_book(root, posts)))


def _shape(plan: Plan) -> list[list[str]]:
    return [[ch.title for ch in b.chapters] for b in batches(plan, lambda _: "")]


def test_without_links_one_document(tmp_path: Path) -> None:
    assert _shape(_plan(tmp_path, {})) == [[f"Post {n}" for n in range(1, 9)]]


def test_a_post_linked_to_shortly_after_opens_a_document(tmp_path: Path) -> None:
    """Post 5 links to post 2: post 2 opens a document (its page is that document's
    first), and the document ends before post 5 (which links into it)."""
    plan = _plan(tmp_path, {5: 2})
    shape = _shape(plan)
    assert shape == [
        ["Post 1"],
        ["Post 2", "Post 3", "Post 4"],
        [f"Post {n}" for n in (5, 6, 7, 8)],
    ]
    opened = [b.opener.title if b.opener else None for b in batches(plan, str)]
    assert opened == ["Post 1", "Post 2", "Post 5"]


def test_a_post_linked_to_from_far_after_does_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_batches, "NEAR", 2)
    assert _shape(_plan(tmp_path, {8: 2})) == [
        [f"Post {n}" for n in range(1, 8)],  # ends before post 8, which links into it
        ["Post 8"],
    ]


def test_a_document_that_opens_with_a_part_title_has_no_opener(tmp_path: Path) -> None:
    plan = _plan(tmp_path, {})
    first = dataclasses.replace(plan.chapters[0], part=Part("part-1", "One", 1))
    assert Batch(0, (first, *plan.chapters[1:]), "").opener is None
    assert Batch(0, plan.chapters, "").opener is plan.chapters[0]


def test_the_limits_still_end_documents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_batches, "BATCH_CHAPTERS", 3)
    assert [len(b) for b in _shape(_plan(tmp_path, {}))] == [3, 3, 2]


def test_a_document_ends_once_it_is_long_enough(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Posts of 100, 500, 100, 100, 100, 700, 100 and 100 words (6 characters each): with
    a limit of 3,000 characters, a document ends at the post that takes it past the
    limit, so the documents are about as long as each other, whatever their posts."""
    monkeypatch.setattr(pdf_batches, "BATCH_CHARACTERS", 3000)
    sizes = {1: 100, 2: 500, 3: 100, 4: 100, 5: 100, 6: 700, 7: 100, 8: 100}
    plan = _plan(tmp_path, {}, words=sizes)
    assert [len(b) for b in _shape(plan)] == [2, 4, 2]
    lengths = [sum(map(pdf_batches._size, b.chapters)) for b in batches(plan, str)]
    assert all(length >= 3000 for length in lengths[:-1]), lengths


def test_an_edit_that_keeps_a_post_s_length_moves_no_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_batches, "BATCH_CHARACTERS", 1000)
    sizes = {n: 40 + 30 * (n % 3) for n in range(1, 21)}
    before = _shape(_plan(tmp_path / "before", {}, 20, sizes))
    post = _plan(tmp_path / "after", {}, 20, sizes).chapters[6].post.source
    assert post is not None
    text = post.read_text("utf-8")
    post.write_text(text.replace("Some words", "Some sdrow"), "utf-8")
    assert _shape(assemble(load_book(tmp_path / "after"))) == before
    assert len(before) > 3
