"""A cover for books that bring none: title, subtitle and author, set in the book face.

:func:`cover_image` draws a 1600 × 2560 px PNG (the size the e-book stores recommend),
or one of any other size (the front of the print cover, at the printer's resolution), with
Pillow, in Linux Libertine, the face of the book itself. The design is typographic:
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
from typing import TYPE_CHECKING

from publish.model import Book
from publish.render.markup import smart_text
from publish.render.templates import default_styles_dir

if TYPE_CHECKING:  # Pillow is imported where a cover is drawn: a rebuild draws none
    from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 1600, 2560  # the e-book's cover, and the design's units
MARGIN = 150  # the text block's distance from the edges
FLEURON = "\u2767"  # rotated floral heart bullet, in Libertine


@dataclass(frozen=True)
class Canvas:
    """Where the design goes in an image: its trim area, in pixels.

    The design is measured in units of the 1600 × 2560 cover, ``scale`` pixels each; a
    canvas of another shape is at least that many units each way (the layout is never
    tighter than the e-book's), the frame and the text keeping their distance from its
    edges. Bleed (the image beyond ``left``/``top``/``width``/``height``) is ground only.
    """

    left: int
    top: int
    width: int
    height: int

    @property
    def scale(self) -> float:
        return min(self.width / WIDTH, self.height / HEIGHT)

    def u(self, units: float) -> float:
        """Design units in pixels."""
        return units * self.scale

    def size(self, units: int) -> int:
        """A type size in design units, in whole pixels."""
        return max(1, round(units * self.scale))

    @property
    def centre(self) -> float:
        return self.left + self.width / 2

    @property
    def text_width(self) -> float:
        return self.width - self.u(2 * MARGIN + 60)


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
    from PIL import ImageFont

    return ImageFont.truetype(str(path), size)


def palette_for(book: Book) -> Palette:
    digest = hashlib.sha256(f"{book.title}\n{book.author}".encode()).digest()
    return PALETTES[digest[0] % len(PALETTES)]


def _width(text: str, font: ImageFont.FreeTypeFont, tracking: float = 0) -> float:
    return font.getlength(text) + tracking * max(len(text) - 1, 0)


def _balanced(
    words: list[str], font: ImageFont.FreeTypeFont, lines: int, text_width: float
) -> list[str] | None:
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
    if best[lines][n][0] > text_width:
        return None
    out, j = [], n
    for k in range(lines, 0, -1):
        i = best[k][j][1]
        out.append(" ".join(words[i:j]))
        j = i
    return out[::-1]


def _fit(
    text: str, style: str, sizes: range, max_lines: int, canvas: Canvas
) -> tuple[list[str], ImageFont.FreeTypeFont]:
    """The largest size (of ``sizes``, in design units) at which ``text`` sets in at most
    ``max_lines`` balanced lines."""
    words = text.split()
    for size in sizes:
        font = _font(style, canvas.size(size))
        for lines in range(1, max_lines + 1):
            found = _balanced(words, font, lines, canvas.text_width)
            if found is not None:
                return found, font
    font = _font(style, canvas.size(sizes[-1]))
    return _greedy(words, font, canvas.text_width), font


def _greedy(words: list[str], font: ImageFont.FreeTypeFont, text_width: float) -> list[str]:
    """Fill lines as far as they go, cutting a word that is wider than a line on its own."""
    lines: list[str] = []
    for word in words:
        while font.getlength(word) > text_width and len(word) > 1:
            cut = len(word) - 1
            while cut > 1 and font.getlength(word[:cut]) > text_width:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        if lines and font.getlength(f"{lines[-1]} {word}") <= text_width:
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
    centre: float,
) -> float:
    """Centred lines from the first ``baseline`` down; returns the last line's baseline."""
    step = _line_height(font, leading)
    for n, line in enumerate(lines):
        draw.text((centre, baseline + n * step), line, font=font, fill=fill, anchor="ms")
    return baseline + (len(lines) - 1) * step


def _tracked(
    draw: ImageDraw.ImageDraw,
    text: str,
    font: ImageFont.FreeTypeFont,
    baseline: float,
    tracking: float,
    fill: tuple[int, int, int],
    centre: float,
) -> None:
    """Letter-spaced capitals, centred: one glyph at a time, so the spacing is even."""
    x = centre - _width(text, font, tracking) / 2
    for char in text:
        draw.text((x, baseline), char, font=font, fill=fill, anchor="ls")
        x += font.getlength(char) + tracking


def _frame(draw: ImageDraw.ImageDraw, colour: tuple[int, int, int], canvas: Canvas) -> None:
    right, bottom = canvas.left + canvas.width, canvas.top + canvas.height
    for inset, width in ((70, 6), (88, 2)):
        d = canvas.u(inset)
        draw.rectangle(
            (canvas.left + d, canvas.top + d, right - d, bottom - d),
            outline=colour,
            width=canvas.size(width),
        )


def _author_lines(author: str, canvas: Canvas) -> tuple[list[str], ImageFont.FreeTypeFont, float]:
    """Spaced capitals on one line if they fit, else on two balanced lines, else smaller."""
    text = author.upper()
    words = text.split()
    limit = canvas.text_width
    for size in range(64, 30, -2):
        font = _font("R", canvas.size(size))
        tracking = canvas.u(size * 0.22)
        if _width(text, font, tracking) <= limit:
            return [text], font, tracking
        if size > 52 or len(words) < 2:
            continue
        splits = [[" ".join(words[:n]), " ".join(words[n:])] for n in range(1, len(words))]
        best = min(splits, key=lambda pair: max(_width(p, font, tracking) for p in pair))
        if max(_width(p, font, tracking) for p in best) <= limit:
            return best, font, tracking
    font = _font("R", canvas.size(40))
    return _greedy(words, font, limit), font, 0.0


Bleed = tuple[int, int, int, int]  # pixels beyond the trim: left, top, right, bottom


def draw_cover(
    book: Book, size: tuple[int, int] = (WIDTH, HEIGHT), bleed: Bleed = (0, 0, 0, 0)
) -> Image.Image:
    """The cover as a Pillow image (RGB), ``size`` pixels (by default 1600 × 2560, the
    e-book's); ``bleed`` of them on each side are beyond the trim, ground only.

    The design is the same at every size (see :class:`Canvas`): a print cover is drawn
    at the printer's resolution, not scaled up from the e-book's.
    """
    left, top_bleed, right, bottom = bleed
    canvas = Canvas(left, top_bleed, size[0] - left - right, size[1] - top_bleed - bottom)
    if canvas.width < 1 or canvas.height < 1:
        raise ValueError(f"no room for a cover in {size[0]} x {size[1]} px less {bleed}")
    colours = palette_for(book)
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, colours.ground)
    draw = ImageDraw.Draw(image)
    _frame(draw, colours.accent, canvas)
    centre = canvas.centre

    title_lines, title_font = _fit(smart_text(book.title), "R", range(200, 59, -4), 4, canvas)
    sub_lines: list[str] = []
    sub_font = _font("RI", canvas.size(72))
    if book.subtitle:
        sub_lines, sub_font = _fit(smart_text(book.subtitle), "RI", range(76, 39, -4), 3, canvas)

    # The title block sits with its optical centre a little above the middle of the page.
    title_step = _line_height(title_font, 1.12)
    sub_step = _line_height(sub_font, 1.3)
    title_height = title_step * (len(title_lines) - 1) + title_font.size
    ornament_gap = canvas.u(200)
    block = title_height + (ornament_gap + sub_step * len(sub_lines) if sub_lines else 0)
    top = canvas.top + max(canvas.u(430), round(canvas.height * 0.43 - block / 2))
    baseline = top + title_font.size * 0.8
    last = _draw_lines(draw, title_lines, title_font, baseline, 1.12, colours.ink, centre)

    ornament_y = last + title_font.size * 0.25 + ornament_gap / 2
    _ornament(draw, ornament_y, colours.accent, canvas)
    if sub_lines:
        _draw_lines(
            draw, sub_lines, sub_font, ornament_y + ornament_gap / 2 + sub_font.size * 0.6,
            1.3, colours.ink, centre,
        )  # fmt: skip

    author_lines, author_font, tracking = _author_lines(smart_text(book.author), canvas)
    author_step = _line_height(author_font, 1.4)
    base = canvas.top + canvas.height - canvas.u(300) - author_step * (len(author_lines) - 1)
    for n, line in enumerate(author_lines):
        _tracked(draw, line, author_font, base + n * author_step, tracking, colours.ink, centre)
    return image


def _ornament(
    draw: ImageDraw.ImageDraw, y: float, colour: tuple[int, int, int], canvas: Canvas
) -> None:
    """A fleuron between two short rules."""
    font = _font("R", canvas.size(84))
    centre = canvas.centre
    draw.text((centre, y), FLEURON, font=font, fill=colour, anchor="mm")
    half = font.getlength(FLEURON) / 2 + canvas.u(36)
    for sign in (-1, 1):
        x0 = centre + sign * half
        x1 = centre + sign * (half + canvas.u(170))
        draw.line((min(x0, x1), y, max(x0, x1), y), fill=colour, width=canvas.size(3))


def cover_image(
    book: Book, size: tuple[int, int] = (WIDTH, HEIGHT), bleed: Bleed = (0, 0, 0, 0)
) -> bytes:
    """The generated cover as PNG bytes (see :func:`draw_cover`); the same book always
    gives the same bytes."""
    return _png(book.title, book.subtitle, book.author, size, bleed)


@lru_cache(maxsize=8)
def _png(
    title: str, subtitle: str | None, author: str, size: tuple[int, int], bleed: Bleed
) -> bytes:
    """The cover depends on these alone (a book is rebuilt often with the same)."""
    book = Book(title=title, subtitle=subtitle, author=author, language="en")
    buffer = io.BytesIO()
    draw_cover(book, size, bleed).save(buffer, format="PNG")
    return buffer.getvalue()


def write_cover(book: Book, path: str | Path) -> Path:
    """Write the generated cover to ``path`` (PNG) and return the path."""
    target = Path(path)
    target.write_bytes(cover_image(book))
    return target
