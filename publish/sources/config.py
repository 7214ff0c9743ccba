"""``book.toml``: the book's metadata and options, checked key by key."""

from __future__ import annotations

import re
import tomllib
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from publish import printspec
from publish.errors import PublishError
from publish.model import Margins, Order, Parts, PdfOptions
from publish.sources.textfile import read_text

REQUIRED = ("title", "author", "language")
OPTIONAL = (
    "subtitle",
    "publisher",
    "description",
    "date",
    "identifier",
    "cover",
    "order",
    "comments",
    "sample",
    "pdf",
    "back_cover",
    "parts",
)
PDF_KEYS = ("trim", "margins", "font_size", "bleed", "crop_marks", "variant", "links", "paper")
CHOICES = {
    "links": ("footnotes", "endnotes", "none"),
    "paper": tuple(printspec.PAPER_IN_PER_PAGE),
    "variant": printspec.VARIANTS,
}
MARGIN_KEYS = ("top", "bottom", "inside", "outside")

# Trim sizes by name (width height). Dimensions may also be given, as "6in 9in" or "148mm 210mm".
TRIMS = {
    "5x8": "5in 8in",
    "5.25x8": "5.25in 8in",
    "5.5x8.5": "5.5in 8.5in",
    "6x9": "6in 9in",
    "a5": "148mm 210mm",
    "royal": "156mm 234mm",
    "letter": "8.5in 11in",
}
_LENGTH = r"\d+(?:\.\d+)?(?:in|mm|cm|pt)"
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_ISBN = re.compile(r"^(?:ISBN[- ]?(?:1[03])?:? ?)?([0-9][0-9 -]{8,15}[0-9Xx])$")


@dataclass(frozen=True)
class BookConfig:
    path: Path
    title: str
    author: str
    language: str
    identifier: str
    subtitle: str | None = None
    publisher: str | None = None
    description: str | None = None
    date: date | None = None
    cover: Path | None = None
    order: Order = "chronological"
    comments: bool = True
    sample: bool = False
    pdf: PdfOptions = field(default_factory=PdfOptions)
    back_cover: str | None = None
    parts: Parts = "none"


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf"^\s*(?:{re.escape(key)}\s*=|\[\s*{re.escape(key)}\s*\])", re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


class _Checker:
    def __init__(self, path: Path, text: str) -> None:
        self.path, self.text = path, text

    def fail(self, code: str, message: str, key: str | None = None) -> PublishError:
        return PublishError(code, message, self.path, _line_of(self.text, key) if key else None)

    def unknown(self, table: dict[str, Any], allowed: tuple[str, ...], prefix: str = "") -> None:
        for key in table:
            if key not in allowed:
                known = ", ".join(allowed)
                raise self.fail("unknown-key", f"unknown key '{prefix}{key}' (known: {known})", key)

    def string(self, table: dict[str, Any], key: str, required: bool = False) -> str | None:
        value = table.get(key)
        if value is None:
            if required:
                raise self.fail("missing-key", f"'{key}' is required in book.toml")
            return None
        if not isinstance(value, str) or not value.strip():
            raise self.fail("bad-value", f"'{key}' must be a non-empty string", key)
        return value.strip()


def _isbn_ok(digits: str) -> bool:
    if len(digits) == 10:
        total = sum((10 - i) * (10 if c in "Xx" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if len(digits) == 13 and digits.isdigit():
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


def derived_identifier(title: str, author: str) -> str:
    """The book's identifier when none is given: a UUID URN stable for a title and author."""
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, f'publish:{title}|{author}')}"


def _identifier(check: _Checker, given: str | None, title: str, author: str) -> str:
    if given is None:
        return derived_identifier(title, author)
    match = _ISBN.match(given)
    if match:
        digits = re.sub(r"[ -]", "", match.group(1))
        if not _isbn_ok(digits):
            raise check.fail("bad-isbn", f"'{given}' is not a valid ISBN", "identifier")
        return f"urn:isbn:{digits}"
    return given


def _pdf_options(check: _Checker, table: object) -> PdfOptions:
    if table is None:
        return PdfOptions()
    if not isinstance(table, dict):
        raise check.fail("bad-value", "'pdf' must be a table ([pdf])", "pdf")
    check.unknown(table, PDF_KEYS, "pdf.")
    defaults = PdfOptions()
    trim = check.string(table, "trim") or "6x9"
    size = TRIMS.get(trim.lower().replace(" ", "").replace("×", "x"))
    if size is None:
        if not re.fullmatch(rf"{_LENGTH}\s+{_LENGTH}", trim):
            names = ", ".join(TRIMS)
            raise check.fail(
                "bad-value",
                f"pdf.trim '{trim}': use a name ({names}) or 'W H' like '6in 9in'",
                "trim",
            )
        size = trim
    margins = table.get("margins", {})
    if not isinstance(margins, dict):
        raise check.fail("bad-value", "'pdf.margins' must be a table", "margins")
    check.unknown(margins, MARGIN_KEYS, "pdf.margins.")
    for key, value in margins.items():
        if not isinstance(value, str) or not re.fullmatch(_LENGTH, value):
            raise check.fail("bad-value", f"pdf.margins.{key} must be a length like '0.75in'", key)
    font_size = check.string(table, "font_size") or defaults.font_size
    if not re.fullmatch(r"\d+(?:\.\d+)?pt", font_size):
        raise check.fail("bad-value", "pdf.font_size must be in points, like '10.5pt'", "font_size")
    for flag in ("bleed", "crop_marks"):
        if not isinstance(table.get(flag, False), bool):
            raise check.fail("bad-value", f"pdf.{flag} must be true or false", flag)
    bleed = bool(table.get("bleed", False))
    chosen: dict[str, Any] = {}
    for key, allowed in CHOICES.items():
        value = table.get(key)
        if value is not None and (not isinstance(value, str) or value.lower() not in allowed):
            raise check.fail("bad-value", f"pdf.{key} must be one of: {', '.join(allowed)}", key)
        if value is not None:
            chosen[key] = value.lower()
    margins = {**vars(Margins()), **margins}
    _check_margins(check, margins, bleed)
    return PdfOptions(
        trim=size,
        margins=Margins(**margins),
        font_size=font_size,
        bleed=bleed,
        crop_marks=bool(table.get("crop_marks", False)),
        **chosen,
    )


def _check_margins(check: _Checker, margins: dict[str, str | None], bleed: bool) -> None:
    """Top, bottom and outside margins at least 0.25 in (0.375 in with bleed)."""
    least = printspec.MIN_OUTSIDE_BLEED_IN if bleed else printspec.MIN_OUTSIDE_IN
    for key in ("top", "bottom", "outside"):
        value = margins[key]
        if value is not None and printspec.inches(value) < least - 1e-9:
            with_bleed = " with bleed" if bleed else ""
            raise check.fail(
                "bad-value",
                f"pdf.margins.{key} {value} is too small: print needs at least {least:g}in"
                f"{with_bleed}",
                key,
            )


def load_config(path: Path) -> BookConfig:
    text = read_text(path)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise PublishError(
            "bad-toml", f"not valid TOML: {exc}", path, int(line.group(1)) if line else None
        ) from exc
    except RecursionError as exc:  # tomllib recurses into arrays and tables: [[[[...
        raise PublishError("bad-toml", "not valid TOML: nested too deeply", path) from exc
    check = _Checker(path, text)
    check.unknown(data, REQUIRED + OPTIONAL)
    title = check.string(data, "title", required=True) or ""
    author = check.string(data, "author", required=True) or ""
    language = check.string(data, "language", required=True) or ""
    if not _LANGUAGE.match(language):
        raise check.fail(
            "bad-value", f"'{language}' is not a language tag like 'en' or 'en-GB'", "language"
        )
    order = data.get("order", "chronological")
    if order not in ("chronological", "reverse"):
        raise check.fail("bad-value", "'order' must be 'chronological' or 'reverse'", "order")
    for flag in ("comments", "sample"):
        if not isinstance(data.get(flag, True), bool):
            raise check.fail("bad-value", f"'{flag}' must be true or false", flag)
    when = data.get("date")
    if isinstance(when, datetime):
        when = when.date()
    if when is not None and not isinstance(when, date):
        raise check.fail("bad-date", "'date' must be a TOML date like 2024-05-01", "date")
    cover = check.string(data, "cover")
    cover_path = None
    if cover is not None:
        cover_path = (path.parent / cover).resolve()
        if not cover_path.is_relative_to(path.parent.resolve()) or not cover_path.is_file():
            raise check.fail(
                "missing-file", f"cover image '{cover}' not found in the content folder", "cover"
            )
    parts = data.get("parts", "none")
    if parts not in ("none", "year"):
        raise check.fail("bad-value", "'parts' must be 'year' or 'none'", "parts")
    return BookConfig(
        path=path,
        title=title,
        author=author,
        language=language,
        identifier=_identifier(check, check.string(data, "identifier"), title, author),
        subtitle=check.string(data, "subtitle"),
        publisher=check.string(data, "publisher"),
        description=check.string(data, "description"),
        date=when,
        cover=cover_path,
        order=order,
        comments=data.get("comments", True),
        sample=data.get("sample", False),
        pdf=_pdf_options(check, data.get("pdf")),
        back_cover=check.string(data, "back_cover"),
        parts=parts,
    )
