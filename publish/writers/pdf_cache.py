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
import hashlib
import json
import os
import re
import shutil
from dataclasses import asdict
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint

from publish.assembly import Chapter, Plan
from publish.fingerprint import environment_key as shared_environment_key
from publish.fingerprint import file_digest
from publish.render.cache import SourceKeys
from publish.writers.pdf_worker import ChapterPdf, FontUse

FORMAT = 2  # of the entries; bump when what is stored or how it is laid out changes
_FILE_URL = re.compile(r"""(?:src|href)=["'](file://[^"']+)["']""")


def environment_key(folders: list[Path], extra: str = "") -> str:
    """What every document depends on besides its posts (see the render cache's), and
    the version of WeasyPrint, which lays them out."""
    return shared_environment_key(folders, f"pdf:{FORMAT}:{weasyprint.__version__}:{extra}")


class PdfCache:
    def __init__(self, root: Path, environment: str) -> None:
        self.root = root
        self.environment = environment
        self.fonts_dir = root / "fonts"
        self.fonts_dir.mkdir(parents=True, exist_ok=True)
        self.used: set[str] = set()
        self._keys = SourceKeys(environment)

    def source_key(self, plan: Plan, chapters: list[Chapter]) -> str:
        """The key of a document of ``chapters``, from what they are made of (see
        :class:`~publish.render.cache.SourceKeys`); no Markdown needs rendering to find it."""
        return self._keys.key(plan, chapters)

    def key(self, html: str) -> str:
        sha = hashlib.sha256(self.environment.encode() + b"\0" + html.encode())
        for url in sorted(set(_FILE_URL.findall(html))):
            file_digest(sha, Path(unquote(urlsplit(url).path)))
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
