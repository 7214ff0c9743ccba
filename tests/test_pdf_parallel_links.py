"""A link back to a post still being laid out waits for its page: one pass, right numbers.

Each post is its own document and links to the post before it, which a worker is laying
out at the same moment. Guessing that post's first page would print a wrong "see page"
number and cost a second pass; the build waits for it instead.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pypdf
import pytest

from publish import load_book
from publish.errors import Diagnostics
from publish.render.chapters import ChapterRenderer
from publish.writers import pdf, pdf_batches, pdf_book, pdf_worker
from publish.writers.pdf import write_pdf
from publish.writers.print_links import PrintRenderer

from helpers import count_forked, make_book, outline

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("pdf-parallel")]
WORDS = "Of the keeping of books there is no end, and much reading wearies the body. "


def _blog(root: Path, count: int) -> Path:
    posts = {}
    for n in range(1, count + 1):
        link = f"As [the post before](../post-{n - 1:02d}/index.md) said. " if n > 1 else ""
        text = link + WORDS * (30 + 17 * (n % 3))  # two to three pages, unlike the guess
        posts[f"post-{n:02d}/index.md"] = (
            f'---\ntitle: "Post {n}"\ndate: 2020-01-{n:02d}\n---\n{text}\n\n' + WORDS * 20
        )
    return make_book(root, posts)


def _eight_posts_in_one_pass(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Eight posts, each linking to the one before, laid out in one pass, every "see
    page" number right."""
    passes: list[int] = []
    original = pdf._write_chaptered

    def counting(*args: Any, **kwargs: Any) -> Any:
        passes.append(1)
        return original(*args, **kwargs)

    monkeypatch.setattr(pdf, "_write_chaptered", counting)
    out = tmp_path / "book.pdf"
    write_pdf(load_book(_blog(tmp_path / "content", 8)), out, workers=2, cache=tmp_path / "c")
    assert len(passes) == 1
    reader = pypdf.PdfReader(out)
    starts = {title: page for title, page in outline(reader) if title.startswith("Post ")}
    for n in range(2, 9):
        text = reader.pages[starts[f"Post {n}"] - 1].extract_text()
        found = re.search(r"see\s+page\s+(\d+)", text)
        assert found is not None, text
        assert int(found.group(1)) == starts[f"Post {n - 1}"], n


def test_a_link_back_into_a_document_being_laid_out_waits_for_its_page(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_batches, "BATCH_CHAPTERS", 1)  # a document a post
    _eight_posts_in_one_pass(tmp_path, monkeypatch)


def test_a_pass_that_is_not_kept_is_not_joined(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A link forward cannot know its page in the first pass: a second pass follows,
    and the first one is laid out only (its front matter and its join left out)."""
    content = _blog(tmp_path / "content", 4)
    first = content / "posts" / "post-01" / "index.md"
    text = first.read_text("utf-8")
    first.write_text(text.replace(WORDS, "See [the last](../post-04/index.md). " + WORDS, 1))
    forked = count_forked(monkeypatch)
    out = tmp_path / "book.pdf"
    write_pdf(load_book(content), out, workers=2, cache=tmp_path / "c")
    assert forked.count("joining the pages") == 1
    assert forked.count("laying out the front matter") <= 2  # its length, then the front
    reader = pypdf.PdfReader(out)
    starts = {title: page for title, page in outline(reader) if title.startswith("Post ")}
    text = reader.pages[starts["Post 1"] - 1].extract_text()
    found = re.search(r"see\s+page\s+(\d+)", text)
    assert found is not None, text
    assert int(found.group(1)) == starts["Post 4"]


def test_a_second_pass_lays_out_only_the_documents_whose_numbers_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pass that follows a link forward finds every other document in the cache
    (what each links to is kept even when the first pass was not written)."""
    monkeypatch.setattr(pdf_batches, "BATCH_CHAPTERS", 1)  # a document a post
    content = _blog(tmp_path / "content", 4)
    first = content / "posts" / "post-01" / "index.md"
    text = first.read_text("utf-8")
    first.write_text(text.replace(WORDS, "See [the last](../post-04/index.md). " + WORDS, 1))
    laid_out: list[int] = []
    original = pdf_worker.render

    def counting(task: Any, *args: Any, **kwargs: Any) -> Any:
        laid_out.append(task.index)
        return original(task, *args, **kwargs)

    monkeypatch.setattr(pdf_book, "render", counting)  # one worker: in this process
    write_pdf(load_book(content), tmp_path / "book.pdf", workers=1, cache=tmp_path / "c")
    assert sorted(laid_out) == [0, 0, 1, 2, 3], str(laid_out)  # post 1's, again


def test_a_post_linking_to_one_before_it_starts_a_document_of_its_own(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Posts that would share a document end it before a post linking into it: the
    linked post's page is known before the linking one is laid out, and one pass does."""
    _eight_posts_in_one_pass(tmp_path, monkeypatch)


def test_a_document_rendered_again_for_its_links_is_converted_and_warned_about_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the page a document links to becomes known after its posts were rendered,
    its links are rendered again, not its posts: each post's warning is said once."""
    monkeypatch.setattr(pdf_batches, "BATCH_CHAPTERS", 1)  # a document a post
    content = _blog(tmp_path / "content", 6)
    for post in sorted((content / "posts").glob("*/index.md")):
        text = post.read_text("utf-8")
        post.write_text(text + "\n\n![A picture](https://example.com/far.png)\n", "utf-8")
    converted: list[str] = []
    original = ChapterRenderer.render

    def counting(self: ChapterRenderer, chapter: Any) -> Any:
        if isinstance(self, PrintRenderer):
            converted.append(chapter.id)
        return original(self, chapter)

    monkeypatch.setattr(ChapterRenderer, "render", counting)
    again: list[int] = []
    task = pdf_book._task

    def tasks(build: Any, batch: Any) -> Any:
        again.append(batch.index)
        return task(build, batch)

    monkeypatch.setattr(pdf_book, "_task", tasks)
    diagnostics = Diagnostics()
    write_pdf(load_book(content), tmp_path / "book.pdf", diagnostics, workers=2, progress=False)
    assert len(again) > len(set(again))  # some documents waited for a page, then again
    assert sorted(converted) == sorted(set(converted))  # but no post was converted twice
    remote = [w for w in diagnostics.warnings if w.code == "remote-image"]
    assert len(remote) == 6
