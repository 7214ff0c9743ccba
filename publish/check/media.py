"""Rules on links and images: links to posts not in the book, alt text, image files, dpi."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote

from lxml import html
from PIL import Image

from publish import printspec
from publish.check.context import Context, Text

PRINT_DPI = 300
CSS_PX_PER_IN = 96  # an image's natural size, unless scaled to the text block
MAX_HEIGHT_IN = 6.0  # print.css: `img { max-height: 6in }` (a tall image is set narrower)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)
_LENGTH = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(in|mm|cm|pt|px)\s*$")
_PER_INCH = {"in": 1.0, "mm": 25.4, "cm": 2.54, "pt": 72.0, "px": 96.0}


def inches(length: str) -> float | None:
    match = _LENGTH.match(length)
    return float(match.group(1)) / _PER_INCH[match.group(2)] if match else None


def text_block_width(context: Context) -> float | None:
    """The PDF's text block width in inches: the trim width less the inside and outside margins."""
    pdf = context.book.pdf
    parts = pdf.trim.split()
    width = inches(parts[0]) if parts else None
    # Unset, the gutter grows with the page count: its least (the widest block) is the worst case.
    inside = inches(pdf.margins.inside or printspec.gutter(0, None))
    outside = inches(pdf.margins.outside)
    if width is None or inside is None or outside is None or width <= inside + outside:
        return None
    return width - inside - outside


def _draft_for(context: Context, href: str, base: Path | None) -> str | None:
    """The title of a draft post that a relative link points at, if it does."""
    if base is None:
        return None
    target = (base / unquote(href.split("#", 1)[0].split("?", 1)[0])).resolve()
    for post in context.book.posts:
        src = post.source
        if not post.draft or src is None:
            continue
        if target == src.resolve() or (src.name == "index.md" and target == src.parent.resolve()):
            return post.title
    return None


def check_links(context: Context) -> None:
    for text in context.texts():
        lines = context.lines(text.source)
        base = text.post.base_dir
        for link in text.tree.iter("a"):
            href = (link.get("href") or "").strip()
            if not href or href.startswith(("#", "//")) or _SCHEME.match(href):
                continue
            if context.plan.chapter_for_link(href, base) is not None:
                continue
            draft = _draft_for(context, href, base)
            why = (
                f"the draft '{draft}', left out of the book" if draft else "not a post of this book"
            )
            context.report(
                "dead-link",
                f"link to '{href[:120]}' goes nowhere in the book: {why}",
                text.source,
                lines.line(href),
            )


def _is_block(img: html.HtmlElement) -> bool:
    """Whether print scales the image to the text block (book.css, ``@media print``).

    An image in a figure, at the top level of a body, or alone in its paragraph (which
    the renderer marks ``p.image``) is scaled; an image among words keeps its size.
    """
    parent = img.getparent()
    if parent is None or parent.tag == "figure" or parent.getparent() is None:
        return True
    alone = len(parent) == 1 and not (parent.text or "").strip() and not (img.tail or "").strip()
    return parent.tag == "p" and alone


def _resolve(context: Context, text: Text, src: str, line: int | None) -> Path | None:
    root = context.book.root
    base = text.post.base_dir or root
    if base is None or root is None:
        return None
    path = (base / unquote(src.split("#", 1)[0].split("?", 1)[0])).resolve()
    if not path.is_relative_to(root.resolve()):
        context.report(
            "image-outside", f"image '{src}' is outside the content folder", text.source, line
        )
        return None
    if not path.is_file():
        context.report("missing-image", f"image '{src}' not found", text.source, line)
        return None
    return path


def _resolution(
    context: Context, text: Text, img: html.HtmlElement, path: Path, block: float, line: int | None
) -> None:
    if path.suffix.lower() == ".svg":
        return
    try:
        with Image.open(path) as image:
            pixels, tall = image.width, image.height
    except (OSError, ValueError, Image.DecompressionBombError):
        return
    shown = min(block, MAX_HEIGHT_IN * pixels / max(tall, 1))
    if not _is_block(img):  # its own size: the width attribute, or its pixels at 96 a inch
        given = img.get("width", "")
        natural = int(given) if given.isdigit() and int(given) > 0 else pixels
        shown = min(shown, natural / CSS_PX_PER_IN)
    dpi = pixels / shown
    if dpi >= PRINT_DPI - 0.5:
        return
    needed = round(shown * PRINT_DPI)
    src = img.get("src") or ""
    context.report(
        "low-resolution-image",
        f"image '{src}' is {pixels} px wide: {dpi:.0f} dpi printed {shown:.2f} in wide;"
        f" {PRINT_DPI} dpi needs {needed} px",
        text.source,
        line,
    )


def check_images(context: Context) -> None:
    block = text_block_width(context)
    for text in context.texts():
        lines = context.lines(text.source)
        for img in text.tree.iter("img"):
            src = (img.get("src") or "").strip()
            line = lines.line(src) if src else None
            if not (img.get("alt") or "").strip():
                context.report(
                    "missing-alt",
                    f"image '{src[:120]}' has no alt text: describe it for those who cannot see it",
                    text.source,
                    line,
                )
            if not src:
                continue
            if _SCHEME.match(src) or src.startswith("//"):
                context.report(
                    "remote-image",
                    f"remote image '{src[:120]}' is left out of the book",
                    text.source,
                    line,
                )
                continue
            path = _resolve(context, text, src, line)
            if path is not None and block is not None:
                _resolution(context, text, img, path, block, line)
