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
from publish.writers import pdf_book
from publish.writers.pdf import write_pdf

from helpers import make_book

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("pdf-parallel")]
EPOCH = "1700000000"
POST = "---\ntitle: {title}\ndate: 2020-01-0{n}\n---\n{body}\n"


@pytest.fixture
def blog(tmp_path: Path) -> Path:
    posts = {
        "2020-01-01-empty.md": POST.format(title="Nothing yet", n=1, body=""),
        "2020-01-02-second.md": POST.format(title="Second", n=2, body="Some *words*. " * 40),
        "2020-01-03-third.md": POST.format(title="Third", n=3, body="More words here. " * 60),
    }
    return make_book(tmp_path / "blog", posts)


@pytest.fixture
def warmed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many documents the builder laid out to warm itself, build by build."""
    calls: list[int] = []
    original = pdf_book._warm

    def counting(build: Any) -> None:
        calls.append(build.workers)
        original(build)

    monkeypatch.setattr(pdf_book, "_warm", counting)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return calls


def _build(blog: Path, out: Path, workers: int, cache: Path | None = None) -> Diagnostics:
    diagnostics = Diagnostics()
    book = load_book(blog)
    write_pdf(book, out, workers=workers, progress=False, cache=cache, diagnostics=diagnostics)
    return diagnostics


def test_warming_up_changes_nothing_and_says_each_warning_once(
    blog: Path, tmp_path: Path, warmed: list[int]
) -> None:
    parallel = _build(blog, tmp_path / "parallel.pdf", workers=2)
    assert warmed == [2]
    alone = _build(blog, tmp_path / "alone.pdf", workers=1)
    assert warmed == [2]  # one process lays out everything: nothing to warm for
    assert (tmp_path / "parallel.pdf").read_bytes() == (tmp_path / "alone.pdf").read_bytes()
    empty = [w for w in parallel.warnings if w.code == "empty-post"]
    assert len(empty) == 1
    assert [str(w) for w in parallel.warnings] == [str(w) for w in alone.warnings]


def test_no_warming_up_when_the_front_matters_length_is_known(
    blog: Path, tmp_path: Path, warmed: list[int]
) -> None:
    cache = tmp_path / "cache"
    _build(blog, tmp_path / "first.pdf", workers=2, cache=cache)
    _build(blog, tmp_path / "again.pdf", workers=2, cache=cache)
    assert warmed == [2]  # the second build had no front matter to wait for


def test_a_failure_while_warming_up_is_left_to_the_real_render(
    blog: Path, tmp_path: Path, warmed: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Failing(ChapterRenderer):
        def render(self, chapter: Any) -> Any:
            raise RuntimeError("a renderer that fails")

    _build(blog, tmp_path / "plain.pdf", workers=2)
    monkeypatch.setattr(pdf_book, "ChapterRenderer", Failing)
    _build(blog, tmp_path / "failed.pdf", workers=2)
    assert warmed == [2, 2]
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
