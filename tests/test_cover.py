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


def test_the_epub_uses_the_generated_cover(tmp_path: Path, book: Book) -> None:
    import zipfile

    from publish import write_epub

    out = tmp_path / "book.epub"
    write_epub(book, out)
    with zipfile.ZipFile(out) as z:
        assert z.read("EPUB/images/cover.png") == cover_image(book)
        opf = z.read("EPUB/content.opf").decode()
        page = z.read("EPUB/text/cover.xhtml").decode()
    assert re.search(r'<item [^>]*href="images/cover.png"[^>]*properties="cover-image"', opf)
    assert '<meta name="cover" content="cover-image"' in opf
    assert 'src="../images/cover.png"' in page and 'alt="Cover: Notes from' in page
    assert_epubcheck_clean(out)
