"""While a worker waits for a page number, the builder makes the next documents ready
(publish/writers/pdf_ahead.py, used by pdf_book._chapters).

The documents must come out as they would have: in order, each rendered once unless a
page it links to became known meanwhile, and the book the same bytes.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pypdf
import pytest

from publish import load_book
from publish.writers import pdf_ahead, pdf_batches, pdf_book
from publish.writers.pdf import write_pdf
from publish.writers.pdf_ahead import Ahead
from publish.writers.pdf_worker import Numbering

from helpers import make_book, outline

WORDS = "Of the keeping of books there is no end, and much reading wearies the body. "


def test_items_come_in_order_each_made_ready_once() -> None:
    made: list[int] = []

    def ready(n: int) -> str:
        made.append(n)
        return f"ready {n}"

    ahead = Ahead(iter(range(10)), ready)
    assert ahead.next() == (0, "ready 0")
    ahead.work(lambda: True)  # up to AHEAD of them
    assert made == list(range(1 + pdf_ahead.AHEAD))
    assert [ahead.next() for _ in range(3)] == [(n, f"ready {n}") for n in (1, 2, 3)]
    calls = iter([True, False])
    ahead.work(lambda: next(calls))  # one more, then the core is busy again
    assert made == list(range(2 + pdf_ahead.AHEAD))
    rest = []
    while (item := ahead.next()) is not None:
        rest.append(item[0])
    assert rest == list(range(4, 10))
    assert made == list(range(10))
    ahead.work(lambda: True)
    assert ahead.next() is None


def test_a_worker_waiting_for_its_first_page_is_counted() -> None:
    numbering = Numbering(2, 3)
    got: list[int] = []
    waiter = threading.Thread(target=lambda: got.append(numbering.start(1, 4)))
    waiter.start()
    deadline = time.monotonic() + 10
    while numbering.waiting.value == 0 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert numbering.waiting.value == 1
    numbering.known(0, 5)  # the document before: five pages, a blank one after
    waiter.join(10)
    assert got == [9]
    assert numbering.waiting.value == 0


def _blog(root: Path, count: int) -> Path:
    posts = {}
    for n in range(1, count + 1):
        link = f"As [the post before](../post-{n - 1:02d}/index.md) said. " if n > 1 else ""
        text = link + WORDS * (30 + 17 * (n % 3))
        posts[f"post-{n:02d}/index.md"] = (
            f'---\ntitle: "Post {n}"\ndate: 2020-01-{n:02d}\n---\n{text}\n\n' + WORDS * 20
        )
    return make_book(root, posts)


@pytest.mark.slow
@pytest.mark.xdist_group("pdf-parallel")
def test_documents_made_ready_ahead_give_the_same_book(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every document made ready as soon as it can be (as if a worker always waited):
    the same bytes as none made ahead, every "see page" right, and each post rendered
    again only for a page it links to that became known meanwhile."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    monkeypatch.setattr(pdf_batches, "BATCH_CHAPTERS", 1)  # a document a post
    # The builder makes documents ready when a look at the workers finds none finished:
    # looking often makes sure it does, however quick the machine is.
    monkeypatch.setattr(pdf_book, "POLL", 0.001)
    content = _blog(tmp_path / "content", 8)
    work = Ahead.work
    rendered: list[str] = []
    task = pdf_book._task

    def counting(build: Any, batch: Any) -> Any:
        rendered.extend(chapter.id for chapter in batch.chapters)
        return task(build, batch)

    monkeypatch.setattr(pdf_book, "_task", counting)
    books = {}
    queued: list[int] = []

    def working(self: Ahead[Any, Any], idle: Any, eager: bool) -> None:
        work(self, lambda: eager)
        queued.append(len(self.queue))

    for name, eager in (("eager", True), ("never", False)):
        rendered.clear()
        monkeypatch.setattr(
            Ahead, "work", lambda self, idle, eager=eager: working(self, idle, eager)
        )
        out = tmp_path / f"{name}.pdf"
        write_pdf(load_book(content), out, workers=2, progress=False)
        books[name] = out.read_bytes()
        assert len(set(rendered)) == 8
        if name == "eager":
            assert max(queued) > 0  # some were made ready ahead
            assert len(rendered) < 16  # rendered again only when a page became known
    assert books["eager"] == books["never"]
    reader = pypdf.PdfReader(tmp_path / "eager.pdf")
    starts = {title: page for title, page in outline(reader) if title.startswith("Post ")}
    for n in range(2, 9):
        text = reader.pages[starts[f"Post {n}"] - 1].extract_text()
        assert f"see page {starts[f'Post {n - 1}']}" in " ".join(text.split()), n
