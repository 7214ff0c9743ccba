"""The PDF build cache: each laid-out document (a few chapters) kept under its content's key.

The key is a hash of the document's HTML (the rendered posts and comments, the templates'
output, the options), the stylesheets and fonts it may load, the images it shows, and the
versions of publish and WeasyPrint. An entry keeps the PDF, its length and the page it
was numbered from: a document whose key and first page are unchanged is not laid out
again. After a post is edited only its document is; the ones after it too if their first
page moved (an odd/even change of length is absorbed by the blank page before the next
chapter). Entries the last build did not use are removed.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import importlib.metadata
import json
import os
import re
import shutil
from dataclasses import asdict
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import weasyprint

from publish.assembly import Chapter, Plan
from publish.writers.pdf_worker import ChapterPdf, FontUse

FORMAT = 2  # of the entries; bump when what is stored or how it is laid out changes
_FILE_URL = re.compile(r"""(?:src|href)=["'](file://[^"']+)["']""")
_REFERENCE = re.compile(r"""\]\(\s*<?([^)\s>]+)|(?:src|href)\s*=\s*["']([^"']+)["']""")


def _file_digest(sha: Any, path: Path) -> None:
    try:
        stat = path.stat()
    except OSError:
        sha.update(f"{path}:missing".encode())
        return
    sha.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())


def environment_key(folders: list[Path], extra: str = "") -> str:
    """What every document depends on besides its posts: versions, the stylesheets and
    fonts, the templates and publish's own code (which renders the posts)."""
    try:
        version = importlib.metadata.version("publish")
    except importlib.metadata.PackageNotFoundError:  # pragma: no cover - not installed
        version = "?"
    sha = hashlib.sha256(f"{FORMAT}:{version}:{weasyprint.__version__}:{extra}".encode())
    for folder in folders:
        if folder.is_dir():
            paths = (p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
            for path in sorted(paths):
                sha.update(str(path).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


class PdfCache:
    def __init__(self, root: Path, environment: str) -> None:
        self.root = root
        self.environment = environment
        self.fonts_dir = root / "fonts"
        self.fonts_dir.mkdir(parents=True, exist_ok=True)
        self.used: set[str] = set()
        self._plan: Plan | None = None
        self._plan_key = ""

    def source_key(self, plan: Plan, chapters: list[Chapter]) -> str:
        """The key of a document of ``chapters``, from what they are made of.

        Their posts and comments as read (every field), the files the posts point to,
        the book's metadata and options, and every chapter's name and place in the book
        (links between posts use them); no Markdown needs rendering to find it.
        """
        if self._plan is not plan:
            sha = hashlib.sha256(self.environment.encode())
            fields = {f.name: getattr(plan.book, f.name) for f in dataclasses.fields(plan.book)}
            fields.pop("posts")
            sha.update(repr(sorted(fields.items())).encode())
            for chapter in plan.chapters:
                post = chapter.post
                sha.update(
                    f"{chapter.id}|{chapter.file_name}|{post.slug}|{post.url}|{post.source}".encode()
                )
            self._plan, self._plan_key = plan, sha.hexdigest()
        sha = hashlib.sha256(self._plan_key.encode())
        for chapter in chapters:
            sha.update(repr(chapter).encode())
            post = chapter.post
            base = post.base_dir or (plan.book.root or Path())
            texts = [post.body.text] + [c.body.text for c in post.all_comments()]
            found = {t for text in texts for pair in _REFERENCE.findall(text) for t in pair if t}
            for target in sorted(found):
                if "://" not in target and not target.startswith(("#", "mailto:")):
                    _file_digest(sha, base / unquote(target.split("#", 1)[0].split("?", 1)[0]))
        return sha.hexdigest()

    def key(self, html: str) -> str:
        sha = hashlib.sha256(self.environment.encode() + b"\0" + html.encode())
        for url in sorted(set(_FILE_URL.findall(html))):
            _file_digest(sha, Path(unquote(urlsplit(url).path)))
        return sha.hexdigest()

    def get(self, key: str) -> tuple[ChapterPdf, tuple[str, ...]] | None:
        """The stored document and its placeholders, or None."""
        meta, pdf = self.root / f"{key}.json", self.root / f"{key}.pdf"
        try:
            data = json.loads(meta.read_text("utf-8"))
        except (OSError, ValueError):
            return None
        if not pdf.is_file():
            return None
        self.used.add(key)
        fonts = {
            name: FontUse(
                use["sha"],
                use["index"],
                {int(k): float(v) for k, v in use["widths"].items()},
                {int(k): str(v) for k, v in use["text"].items()},
            )
            for name, use in data["fonts"].items()
        }
        if any(not (self.fonts_dir / use.sha).is_file() for use in fonts.values()):
            return None
        result = ChapterPdf(
            index=int(data["index"]),
            output=pdf,
            pages=int(data["pages"]),
            start=int(data["start"]),
            chapter_starts=tuple(data["chapter_starts"]),
            part_starts={str(k): int(v) for k, v in data.get("part_starts", {}).items()},
            fonts=fonts,
            warnings=tuple(data["warnings"]),
        )
        return result, tuple(data["placeholders"])

    def put(self, key: str, result: ChapterPdf, placeholders: tuple[str, ...]) -> ChapterPdf:
        """Keep ``result``; return it as read from the cache from now on."""
        pdf, meta = self.root / f"{key}.pdf", self.root / f"{key}.json"
        temp = pdf.with_suffix(f".{os.getpid()}.part")
        shutil.copyfile(result.output, temp)
        temp.replace(pdf)
        data = asdict(result)
        data["output"] = pdf.name
        data["placeholders"] = list(placeholders)
        temp = meta.with_suffix(f".{os.getpid()}.part")
        temp.write_text(json.dumps(data, sort_keys=True), encoding="utf-8")
        temp.replace(meta)
        self.used.add(key)
        return ChapterPdf(
            result.index, pdf, result.pages, result.start, result.chapter_starts,
            result.fonts, result.warnings, result.part_starts,
        )  # fmt: skip

    def get_number(self, key: str) -> int | None:
        """A number kept under ``key`` (the front matter's length, say)."""
        try:
            value = json.loads((self.root / f"{key}.json").read_text("utf-8"))["number"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        self.used.add(key)
        return int(value)

    def put_number(self, key: str, value: int) -> None:
        (self.root / f"{key}.json").write_text(json.dumps({"number": value}), encoding="utf-8")
        self.used.add(key)

    def prune(self) -> None:
        """Remove the entries this build did not use."""
        for path in self.root.iterdir():
            if (
                path.suffix in (".pdf", ".json", ".part")
                and path.stem.split(".")[0] not in self.used
            ):
                with contextlib.suppress(OSError):
                    path.unlink()
