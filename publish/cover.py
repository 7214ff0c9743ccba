"""A cover for books that bring none: title, subtitle and author, set in the book face.

:func:`cover_image` draws a 1600 × 2560 px PNG (the size the e-book stores recommend)
with Pillow, in Linux Libertine, the face of the book itself. The design is typographic:
a field of one colour, a double rule framing it, the title large and balanced over as few
lines as fit, a small fleuron, the subtitle in italic and the author in spaced capitals at
the foot. The colour is picked from a short list of deep, print-safe colours by the title,
so different books get different covers and the same book always gets the same one:
the same book gives the same bytes.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from publish.model import Book
from publish.render.markup import smart_text
from publish.render.templates import default_styles_dir

WIDTH, HEIGHT = 1600, 2560
MARGIN = 150  # the text block's distance from the edges
TEXT_WIDTH = WIDTH - 2 * MARGIN - 60
FLEURON = "\u2767"  # rotated floral heart bullet, in Libertine


@dataclass(frozen=True)
class Palette:
    ground: tuple[int, int, int]
    ink: tuple[int, int, int]
    accent: tuple[int, int, int]


PALETTES = (
    Palette((107, 31, 42), (244, 236, 221), (217, 178, 111)),  # oxblood
    Palette((18, 65, 74), (242, 235, 221), (224, 181, 101)),  # deep teal
    Palette((29, 43, 79), (243, 238, 226), (201, 164, 92)),  # navy
    Palette((35, 65, 47), (241, 236, 220), (212, 176, 106)),  # forest
    Palette((43, 43, 46), (241, 235, 223), (208, 140, 91)),  # charcoal
    Palette((233, 223, 200), (42, 38, 34), (142, 47, 42)),  # parchment
)


@cache
def _font(style: str, size: int) -> ImageFont.FreeTypeFont:
    path = default_styles_dir() / "fonts" / f"LinLibertine_{style}.otf"
    return ImageFont.truetype(str(path), size)


def palette_for(book: Book) -> Palette:
    digest = hashlib.sha256(f"{book.title}\n{book.author}".encode()).digest()
    return PALETTES[digest[0] % len(PALETTES)]


def _width(text: str, font: ImageFont.FreeTypeFont, tracking: float = 0) -> float:
    return font.getlength(text) + tracking * max(len(text) - 1, 0)


def _balanced(words: list[str], font: ImageFont.FreeTypeFont, lines: int) -> list[str] | None:
    """``words`` in ``lines`` lines of about equal width, each within the text width."""
    n = len(words)
    if lines > n:
        return None
    space = font.getlength(" ")
    widths = [font.getlength(w) for w in words]

    def span(i: int, j: int) -> float:
        return sum(widths[i:j]) + space * (j - i - 1)

    # best[k][j]: the smallest "widest line" setting words[:j] in k lines, and where it breaks
    inf = float("inf")
    best = [[(inf, 0)] * (n + 1) for _ in range(lines + 1)]
    best[0][0] = (0.0, 0)
    for k in range(1, lines + 1):
        for j in range(k, n + 1):
            for i in range(k - 1, j):
                if best[k - 1][i][0] == inf:
                    continue
                cost = max(best[k - 1][i][0], span(i, j))
                if cost < best[k][j][0]:
                    best[k][j] = (cost, i)
    if best[lines][n][0] > TEXT_WIDTH:
        return None
    out, j = [], n
    for k in range(lines, 0, -1):
        i = best[k][j][1]
        out.append(" ".join(words[i:j]))
        j = i
    return out[::-1]


def _fit(
    text: str, style: str, sizes: range, max_lines: int
) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """The largest size at which ``text`` sets in at most ``max_lines`` balanced lines."""
    words = text.split()
    for size in sizes:
        font = _font(style, size)
        for lines in range(1, max_lines + 1):
            found = _balanced(words, font, lines)
            if found is not None:
                return found, font
    font = _font(style, sizes[-1])
    return _greedy(words, font), font


def _greedy(words: list[str], font: ImageFont.FreeTypeFont) -> list[str]:
    """Fill lines as far as they go, cutting a word that is wider than a line on its own."""
    lines: list[str] = []
    for word in words:
        while font.getlength(word) > TEXT_WIDTH and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and font.getlength(word[:cut]) > TEXT_WIDTH:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        if lines and font.getlength(f"{lines[-1]} {word}") <= TEXT_WIDTH:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _line_height(font: ImageFont.FreeTypeFont, leading: float) -> int:
    return round(font.size * leading)


def _draw_lines(
    draw: ImageDraw.ImageDraw,
    lines: list[str],
    font: ImageFont.FreeTypeFont,
    baseline: float,
    leading: float,
    fill: tuple[int, int, int],
) -> float:
    """Centred lines from the first ``baseline`` down; returns the last line's baseline."""
    step = _line_height(font, leading)
    for n, line in enumerate(lines):
        draw.text((WIDTH / 2, baseline + n * step), line, font=font, fill=fill, anchor="ms")
    return baseline + (len(lines) - 1) * step


def _tracked(
    draw: ImageDraw.ImageDraw,
    text: str,
    font: ImageFont.FreeTypeFont,
    baseline: float,
    tracking: float,
    fill: tuple[int, int, int],
) -> None:
    """Letter-spaced capitals, centred: one glyph at a time, so the spacing is even."""
    x = (WIDTH - _width(text, font, tracking)) / 2
    for char in text:
        draw.text((x, baseline), char, font=font, fill=fill, anchor="ls")
        x += font.getlength(char) + tracking


def _frame(draw: ImageDraw.ImageDraw, colour: tuple[int, int, int]) -> None:
    outer, inner = 70, 88
    draw.rectangle((outer, outer, WIDTH - outer, HEIGHT - outer), outline=colour, width=6)
    draw.rectangle((inner, inner, WIDTH - inner, HEIGHT - inner), outline=colour, width=2)


def _author_lines(author: str) -> tuple[list[str], ImageFont.FreeTypeFont, float]:
    """Spaced capitals on one line if they fit, else on two balanced lines, else smaller."""
    text = author.upper()
    words = text.split()
    for size in range(64, 30, -2):
        font = _font("R", size)
        tracking = size * 0.22
        if _width(text, font, tracking) <= TEXT_WIDTH:
            return [text], font, tracking
        if size > 52 or len(words) < 2:
            continue
        splits = [[" ".join(words[:n]), " ".join(words[n:])] for n in range(1, len(words))]
        best = min(splits, key=lambda pair: max(_width(p, font, tracking) for p in pair))
        if max(_width(p, font, tracking) for p in best) <= TEXT_WIDTH:
            return best, font, tracking
    font = _font("R", 40)
    return _greedy(words, font), font, 0.0


def draw_cover(book: Book) -> Image.Image:
    """The cover as a Pillow image (RGB, 1600 × 2560)."""
    colours = palette_for(book)
    image = Image.new("RGB", (WIDTH, HEIGHT), colours.ground)
    draw = ImageDraw.Draw(image)
    _frame(draw, colours.accent)

    title_lines, title_font = _fit(smart_text(book.title), "R", range(200, 59, -4), 4)
    sub_lines: list[str] = []
    sub_font = _font("RI", 72)
    if book.subtitle:
        sub_lines, sub_font = _fit(smart_text(book.subtitle), "RI", range(76, 39, -4), 3)

    # The title block sits with its optical centre a little above the middle of the page.
    title_step = _line_height(title_font, 1.12)
    sub_step = _line_height(sub_font, 1.3)
    title_height = title_step * (len(title_lines) - 1) + title_font.size
    ornament_gap = 200
    block = title_height + (ornament_gap + sub_step * len(sub_lines) if sub_lines else 0)
    top = max(430, round(HEIGHT * 0.43 - block / 2))
    baseline = top + title_font.size * 0.8
    last = _draw_lines(draw, title_lines, title_font, baseline, 1.12, colours.ink)

    ornament_y = last + title_font.size * 0.25 + ornament_gap / 2
    _ornament(draw, ornament_y, colours.accent)
    if sub_lines:
        _draw_lines(
            draw, sub_lines, sub_font, ornament_y + ornament_gap / 2 + sub_font.size * 0.6,
            1.3, colours.ink,
        )  # fmt: skip

    author_lines, author_font, tracking = _author_lines(smart_text(book.author))
    author_step = _line_height(author_font, 1.4)
    base = HEIGHT - 300 - author_step * (len(author_lines) - 1)
    for n, line in enumerate(author_lines):
        _tracked(draw, line, author_font, base + n * author_step, tracking, colours.ink)
    return image


def _ornament(draw: ImageDraw.ImageDraw, y: float, colour: tuple[int, int, int]) -> None:
    """A fleuron between two short rules."""
    font = _font("R", 84)
    draw.text((WIDTH / 2, y), FLEURON, font=font, fill=colour, anchor="mm")
    half = font.getlength(FLEURON) / 2 + 36
    for sign in (-1, 1):
        x0 = WIDTH / 2 + sign * half
        x1 = WIDTH / 2 + sign * (half + 170)
        draw.line((min(x0, x1), y, max(x0, x1), y), fill=colour, width=3)


def cover_image(book: Book) -> bytes:
    """The generated cover as PNG bytes; the same book always gives the same bytes."""
    return _png(book.title, book.subtitle, book.author)


@lru_cache(maxsize=8)
def _png(title: str, subtitle: str | None, author: str) -> bytes:
    """The cover depends on these three alone (a book is rebuilt often with the same)."""
    book = Book(title=title, subtitle=subtitle, author=author, language="en")
    buffer = io.BytesIO()
    draw_cover(book).save(buffer, format="PNG")
    return buffer.getvalue()


def write_cover(book: Book, path: str | Path) -> Path:
    """Write the generated cover to ``path`` (PNG) and return the path."""
    target = Path(path)
    target.write_bytes(cover_image(book))
    return target
