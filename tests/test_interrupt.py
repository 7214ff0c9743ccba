"""Interrupted builds leave the previous book as it was, and no half-written file.

In-process: a writer step raises (KeyboardInterrupt, an error) before, during and after
writing. Out of process (tests/hostile/driver.py): a real ``publish`` is stopped at a point
and sent SIGINT (Ctrl-C) or SIGKILL. Ctrl-C (and ``kill``, SIGTERM) cleans up at once; after SIGKILL only the
private temporary folder can remain, and the next build into the folder removes it. Two
builds into the same file at once both finish, and the file is a whole book.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

import publish.writers.epub
import publish.writers.pdf
from publish import PublishError, load_book, write_epub, write_pdf
from publish.writers.output import atomic_output, sweep_stale, temp_pattern

from helpers import make_book

pytestmark = pytest.mark.xdist_group("interrupt")
DRIVER = Path(__file__).parent / "hostile" / "driver.py"
POSTS = {
    "2020-01-01-first.md": "---\ntitle: First\n---\nThe first post.\n",
    "2020-01-02-second/index.md": "---\ntitle: Second\n---\nThe second post.\n",
    "2020-01-02-second/comments/0001.md": "---\nauthor: A\ndate: 2020-01-03\n---\nA comment.\n",
}


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return make_book(tmp_path / "content", POSTS)


def _previous(book: Path, out: Path, kind: str) -> bytes:
    """Build the book once: the 'previous' book that interruptions must leave alone."""
    writer = write_epub if kind == "epub" else write_pdf
    writer(load_book(book), out)
    # A changed post, so that a finished second build would differ from the first.
    (book / "posts" / "2020-01-01-first.md").write_text(
        "---\ntitle: First, changed\n---\nChanged.\n", "utf-8"
    )
    return out.read_bytes()


def _only_the_book(out: Path) -> None:
    assert sorted(p.name for p in out.parent.iterdir()) == [out.name]


# --- in process ----------------------------------------------------------------------------


class Boom(Exception):
    pass


STOPS: list[tuple[str, type[BaseException] | BaseException, str]] = [
    ("epub", KeyboardInterrupt, "before"),
    ("epub", KeyboardInterrupt, "writing"),
    ("epub", KeyboardInterrupt, "written"),
    ("epub", Boom, "writing"),
    ("epub", PublishError("x", "y"), "written"),
    ("pdf", KeyboardInterrupt, "writing"),
    ("pdf", Boom, "written"),
]


@pytest.mark.parametrize(("kind", "stop", "point"), STOPS)
def test_a_build_stopped_in_process_leaves_the_previous_book(
    kind: str,
    stop: type[BaseException] | BaseException,
    point: str,
    book: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    out = tmp_path / "out" / f"book.{kind}"
    before = _previous(book, out, kind)
    module = publish.writers.epub if kind == "epub" else publish.writers.pdf

    @contextlib.contextmanager
    def stopping(target: str | Path) -> Iterator[Path]:
        if point == "before":
            raise stop
        with atomic_output(target) as temp:
            if point == "writing":
                temp.write_bytes(b"half a book")
                raise stop
            yield temp
            assert temp.stat().st_size > 1000
            raise stop

    monkeypatch.setattr(module, "atomic_output", stopping)
    writer = write_epub if kind == "epub" else write_pdf
    with pytest.raises(BaseException) as caught:
        writer(load_book(book), out)
    assert caught.type in (KeyboardInterrupt, Boom, PublishError)
    assert out.read_bytes() == before
    _only_the_book(out)


def test_an_unwritable_folder_is_a_clear_error(book: Path, tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o500)
    with pytest.raises(PublishError) as caught:
        write_epub(load_book(book), folder / "book.epub")
    assert caught.value.code == "unwritable"


def test_a_folder_where_the_book_should_go_is_a_clear_error(book: Path, tmp_path: Path) -> None:
    (tmp_path / "book.epub").mkdir()
    with pytest.raises(PublishError) as caught:
        write_epub(load_book(book), tmp_path / "book.epub")
    assert caught.value.code == "unwritable"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.epub", "content"]


def test_stale_temporary_folders_of_dead_processes_are_swept(tmp_path: Path) -> None:
    target = tmp_path / "book.pdf"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    stale = tmp_path / f".book.pdf.{int(dead.stdout)}.0123456789ab.part"
    alive = tmp_path / f".book.pdf.{os.getppid()}.0123456789ab.part"
    other = tmp_path / ".other.pdf.1.0123456789ab.part"
    for folder in (stale, alive, other):
        folder.mkdir()
        (folder / "book.pdf").write_bytes(b"half")
    assert temp_pattern(target).match(stale.name)
    assert sweep_stale(target) == [stale]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([alive.name, other.name])


# --- out of process: SIGINT and SIGKILL ----------------------------------------------------


def _start(
    kind: str, book: Path, out: Path, point: str, pause: float, temp: Path | None = None
) -> subprocess.Popen[str]:
    """The driver, with ``temp`` (when given) as its temporary folder: WeasyPrint's font
    folders go there, and whatever a killed build cannot remove."""
    env = {**os.environ, "TMPDIR": str(temp)} if temp is not None else None
    return subprocess.Popen(
        [sys.executable, str(DRIVER), kind, str(book), str(out), point, str(pause)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
    )  # fmt: skip


def _wait_for(proc: subprocess.Popen[str], point: str) -> None:
    assert proc.stdout is not None
    line = proc.stdout.readline()  # the driver prints this line, then sleeps
    assert line.strip() == f"AT {point}", (line, proc.stderr.read() if proc.stderr else "")


CASES = [
    ("epub", "render", signal.SIGINT),
    ("epub", "writing", signal.SIGINT),
    ("epub", "written", signal.SIGINT),
    ("epub", "render", signal.SIGKILL),
    ("epub", "writing", signal.SIGKILL),
    ("epub", "written", signal.SIGKILL),
    ("epub", "written", signal.SIGTERM),
    ("pdf", "writing", signal.SIGINT),
    ("pdf", "written", signal.SIGKILL),
]


@pytest.mark.parametrize(
    ("kind", "point", "sig"), CASES, ids=[f"{k}-{p}-{s.name}" for k, p, s in CASES]
)
def test_a_build_killed_at_a_point_leaves_the_previous_book(
    kind: str, point: str, sig: signal.Signals, book: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / f"book.{kind}"
    before = _previous(book, out, kind)
    temp = tmp_path / "temp"
    temp.mkdir()
    proc = _start(kind, book, out, point, pause=60, temp=temp)
    try:
        _wait_for(proc, point)
        proc.send_signal(sig)
        _, stderr = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert out.read_bytes() == before
    if sig in (signal.SIGINT, signal.SIGTERM):  # `kill` cleans up like Ctrl-C
        assert proc.returncode == 130 and "interrupted; nothing was written" in stderr
        _only_the_book(out)
        assert not list(temp.iterdir())  # nor anything in the temporary folder
        return
    assert proc.returncode == -signal.SIGKILL
    # Killed outright, a process cannot clean up: at most its private temporary folder
    # is left, never a file in the book's place; the next build removes it.
    left = [p for p in out.parent.iterdir() if p != out]
    assert all(temp_pattern(out).match(p.name) and p.is_dir() for p in left), left
    assert (point == "render") == (left == [])
    writer = write_epub if kind == "epub" else write_pdf
    writer(load_book(book), out)
    _only_the_book(out)
    assert out.read_bytes() != before


# --- two builds at once --------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["epub", "pdf"])
def test_two_builds_into_the_same_file_at_once_both_finish(
    kind: str, book: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out" / f"book.{kind}"
    # Each holds its finished book a second before renaming it: they overlap for sure.
    procs = [_start(kind, book, out, "written", pause=1.0) for _ in range(2)]
    for proc in procs:
        _, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, stderr
    _only_the_book(out)
    if kind == "epub":  # whole: every member reads back (EPUBCheck is run elsewhere)
        with zipfile.ZipFile(out) as z:
            assert z.testzip() is None and z.namelist()[0] == "mimetype"
            assert any(n.endswith("chapter-002.xhtml") for n in z.namelist())
    else:
        assert len(PdfReader(out).pages) > 2
