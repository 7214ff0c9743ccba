"""Which chapters share a WeasyPrint document: links decide some of the ends."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from publish import load_book
from publish.assembly import Part, Plan, assemble
from publish.writers import pdf_batches
from publish.writers.pdf_batches import Batch, batches

from helpers import make_book


def _plan(root: Path, links: dict[int, int], count: int = 8) -> Plan:
    """``count`` posts; ``links`` maps a post to the one it links to."""
    posts = {}
    for n in range(1, count + 1):
        link = f"See [that one](../post-{links[n]:02d}/index.md). " if n in links else ""
        posts[f"post-{n:02d}/index.md"] = (
            f'---\ntitle: "Post {n}"\ndate: 2020-01-{n:02d}\n---\n{link}Some words.\n'
        )
    return assemble(load_book(make_book(root, posts)))


def _shape(plan: Plan) -> list[list[str]]:
    return [[ch.title for ch in b.chapters] for b in batches(plan, lambda _: "")]


@pytest.fixture(autouse=True)
def _long_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf_batches, "BATCH_SPREAD", 10**6)  # else: ends by slug too


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
