"""The generated cover: size, determinism, the design's parts, and its place in the EPUB."""

from __future__ import annotations

import dataclasses
import io
import re
from pathlib import Path

import pytest
from PIL import Image

from publish import Book, load_book
from publish.cover import HEIGHT, PALETTES, WIDTH, cover_image, draw_cover, palette_for

from helpers import REPO, assert_epubcheck_clean

pytestmark = pytest.mark.xdist_group("epub")


@pytest.fixture(scope="module")
def book() -> Book:
    return load_book(REPO / "content")


def test_size_format_and_determinism(book: Book) -> None:
    data = cover_image(book)
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (1600, 2560) == (WIDTH, HEIGHT)
    assert cover_image(book) == data  # the same book gives the same bytes
    other = cover_image(dataclasses.replace(book, subtitle="Another Subtitle"))
    assert other != data


def test_the_colour_follows_the_book(book: Book) -> None:
    assert palette_for(book) == palette_for(dataclasses.replace(book, subtitle=None))
    grounds = {palette_for(dataclasses.replace(book, title=f"Book {n}")).ground for n in range(40)}
    assert len(grounds) >= 4 and grounds <= {p.ground for p in PALETTES}


def _ink_rows(image: Image.Image, ground: tuple[int, int, int]) -> list[int]:
    """Rows (between the frames) where something other than the ground colour is drawn."""
    rows = []
    for y in range(120, HEIGHT - 120, 4):
        strip = image.crop((120, y, WIDTH - 120, y + 1))
        colours = strip.getcolors(maxcolors=4096) or []
        if any(c != ground for _, c in colours):
            rows.append(y)
    return rows


def test_title_block_in_the_upper_half_author_at_the_foot(book: Book) -> None:
    image = draw_cover(book)
    palette = palette_for(book)
    assert image.getpixel((10, 10)) == palette.ground
    assert image.getpixel((72, HEIGHT // 2)) == palette.accent  # the frame
    rows = _ink_rows(image, palette.ground)
    assert rows, "nothing drawn"
    top, bottom = rows[0], rows[-1]
    assert 400 < top < HEIGHT * 0.35  # the title starts in the upper third
    assert HEIGHT * 0.85 < bottom < HEIGHT - 200  # the author sits at the foot
    assert any(HEIGHT * 0.6 > y > HEIGHT * 0.2 for y in rows)


def test_long_titles_and_names_stay_inside_the_frame(book: Book) -> None:
    long = dataclasses.replace(
        book,
        title="Antidisestablishmentarianism and Other Floccinaucinihilipilifications: "
        "A Very Long Title Indeed, Running On and On Beyond Any Reason",
        subtitle="With a subtitle that is itself far too long for any cover, and then some more",
        author="Maximiliane Hetherington-Smythe-Fotheringay and Bartholomew Featherstonehaugh",
    )
    image = draw_cover(long)
    ground = palette_for(long).ground
    # nothing but the frame between the frame and the text block
    for x in (100, 118, WIDTH - 119, WIDTH - 101):
        column = image.crop((x, 100, x + 1, HEIGHT - 100))
        assert {c for _, c in column.getcolors(maxcolors=4096) or []} == {ground}, x


def test_drawn_at_another_size_with_bleed_the_design_is_the_same(book: Book) -> None:
    """The print cover's front: 1838 x 2775 px (6.125 x 9.25 in at 300 dpi), bleed at the
    top, bottom and fore edge (38 px). The bleed is ground; the frame and the text keep
    their places from the trim's edges, scaled."""
    size, bleed = (1838, 2775), (0, 38, 38, 38)
    image = draw_cover(book, size, bleed)
    palette = palette_for(book)
    assert image.size == size
    for box in ((0, 0, 1838, 38), (1800, 0, 1838, 2775), (0, 2737, 1838, 2775)):
        assert {c for _, c in image.crop(box).getcolors(maxcolors=4096) or []} == {palette.ground}
    scale = min(1800 / WIDTH, 2699 / HEIGHT)
    middle = 38 + 2699 // 2
    assert image.getpixel((round(72 * scale), middle)) == palette.accent  # the frame
    assert image.getpixel((1800 - round(72 * scale), middle)) == palette.accent
    assert image.getpixel((round(60 * scale), middle)) == palette.ground
    small = _ink_rows(draw_cover(book), palette.ground)
    trim = image.crop((0, 38, 1800, 2737)).resize((round(1800 / scale), 2560))
    large = _ink_rows(trim, palette.ground)
    assert abs(large[0] - small[0]) <= 8 and abs(large[-1] - small[-1]) <= 8
    assert cover_image(book, size, bleed) == cover_image(book, size, bleed)


def test_the_epub_uses_the_generated_cover(tmp_path: Path, book: Book) -> None:
    import zipfile

    from publish import write_epub

    out = tmp_path / "book.epub"
    write_epub(book, out)
    with zipfile.ZipFile(out) as z:
        assert z.read("EPUB/images/cover.png") == cover_image(book)
        assert Image.open(io.BytesIO(z.read("EPUB/images/cover.png"))).size == (1600, 2560)
        opf = z.read("EPUB/content.opf").decode()
        page = z.read("EPUB/text/cover.xhtml").decode()
    assert re.search(r'<item [^>]*href="images/cover.png"[^>]*properties="cover-image"', opf)
    assert '<meta name="cover" content="cover-image"' in opf
    assert 'src="../images/cover.png"' in page and 'alt="Cover: Notes from' in page
    assert_epubcheck_clean(out)
