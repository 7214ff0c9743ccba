"""While the front matter's length is found in a child process, the builder lays out the
book's first chapters once and throws them away, so that every worker it forks finds
WeasyPrint's, Pango's and HarfBuzz's caches made (publish/writers/pdf_book.py, _warm).

It must change nothing: not the pages, not the warnings (said once, by the real render),
and not a failure (reported by the real render).
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Any

import pytest

from publish import load_book
from publish.errors import Diagnostics
from publish.render.chapters import ChapterRenderer
from publish.writers import pdf_batches, pdf_book, pdf_pool
from publish.writers.pdf import write_pdf

from helpers import make_book

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("pdf-parallel")]
EPOCH = "1700000000"
POST = "---\ntitle: {title}\ndate: 2020-01-0{n}\n---\n{body}\n"


@pytest.fixture
def blog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Five posts, a document each; a worker is replaced after every document."""
    monkeypatch.setattr(pdf_batches, "BATCH_CHAPTERS", 1)
    monkeypatch.setattr(pdf_pool, "TASKS_PER_WORKER", 1)
    posts = {
        "2020-01-01-empty.md": POST.format(title="Nothing yet", n=1, body=""),
        "2020-01-02-second.md": POST.format(title="Second", n=2, body="Some *words*. " * 40),
    }
    for n in range(3, 6):
        posts[f"2020-01-0{n}-more.md"] = POST.format(title=f"More {n}", n=n, body="More. " * 90)
    return make_book(tmp_path / "blog", posts)


@pytest.fixture
def warmed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The chapters the builder rendered to warm itself (with a renderer of its own,
    the one class of renderer only the warm-up makes), build after build."""
    calls: list[str] = []

    class Counting(ChapterRenderer):
        def render(self, chapter: Any) -> Any:
            calls.append(chapter.id)
            return super().render(chapter)

    monkeypatch.setattr(pdf_book, "ChapterRenderer", Counting)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return calls


def _build(blog: Path, out: Path, workers: int, cache: Path | None = None) -> Diagnostics:
    diagnostics = Diagnostics()
    book = load_book(blog)
    write_pdf(book, out, workers=workers, progress=False, cache=cache, diagnostics=diagnostics)
    return diagnostics


def test_warming_up_changes_nothing_and_says_each_warning_once(
    blog: Path, tmp_path: Path, warmed: list[str]
) -> None:
    parallel = _build(blog, tmp_path / "parallel.pdf", workers=2)
    assert len(warmed) == 1  # the first document's one post, in this process
    warmed.clear()
    alone = _build(blog, tmp_path / "alone.pdf", workers=1)
    assert warmed == []  # one process lays out everything: nothing to warm for
    assert (tmp_path / "parallel.pdf").read_bytes() == (tmp_path / "alone.pdf").read_bytes()
    empty = [w for w in parallel.warnings if w.code == "empty-post"]
    assert len(empty) == 1
    assert [str(w) for w in parallel.warnings] == [str(w) for w in alone.warnings]


def test_no_warming_up_when_the_front_matters_length_is_known(
    blog: Path, tmp_path: Path, warmed: list[str]
) -> None:
    cache = tmp_path / "cache"
    _build(blog, tmp_path / "first.pdf", workers=2, cache=cache)
    _build(blog, tmp_path / "again.pdf", workers=2, cache=cache)
    assert len(warmed) == 1  # the second build had no front matter to wait for


def test_no_warming_up_when_no_worker_would_be_replaced(
    blog: Path, tmp_path: Path, warmed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_pool, "TASKS_PER_WORKER", 3)  # five documents, two workers
    _build(blog, tmp_path / "book.pdf", workers=2)
    assert warmed == []


def test_a_failure_while_warming_up_is_left_to_the_real_render(
    blog: Path, tmp_path: Path, warmed: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Failing(ChapterRenderer):
        def render(self, chapter: Any) -> Any:
            raise RuntimeError("a renderer that fails")

    _build(blog, tmp_path / "plain.pdf", workers=2)
    assert len(warmed) == 1
    monkeypatch.setattr(pdf_book, "ChapterRenderer", Failing)
    _build(blog, tmp_path / "failed.pdf", workers=2)
    assert (tmp_path / "failed.pdf").read_bytes() == (tmp_path / "plain.pdf").read_bytes()


def test_an_interrupted_warm_up_ends_the_front_matters_child(
    blog: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(build: Any) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(pdf_book, "_warm", interrupted)
    with pytest.raises(KeyboardInterrupt):
        _build(blog, tmp_path / "book.pdf", workers=2)
    assert not multiprocessing.active_children()
    assert not (tmp_path / "book.pdf").exists()
