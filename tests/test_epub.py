"""The EPUB: EPUBCheck-clean, with metadata, navigation, chapters, threads and a cover."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree

from publish import Diagnostics, load_book, write_epub

from helpers import REPO, assert_epubcheck_clean, epub_names, epub_text, make_book

pytestmark = pytest.mark.xdist_group("epub")
OPF = "EPUB/content.opf"


@pytest.fixture(scope="module")
def default_epub(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("epub") / "book.epub"
    diagnostics = Diagnostics()
    result = write_epub(load_book(REPO / "content", diagnostics), out, diagnostics)
    assert diagnostics.warnings == []
    assert result.chapters == 4
    return out


def test_default_book_passes_epubcheck(default_epub: Path) -> None:
    assert_epubcheck_clean(default_epub)


def test_metadata(default_epub: Path) -> None:
    opf = epub_text(default_epub, OPF)
    assert "<dc:title" in opf and "Notes from a Commonplace Blog" in opf
    assert re.search(r"<dc:creator[^>]*>The publish project</dc:creator>", opf)
    assert "<dc:language>en-US</dc:language>" in opf
    assert re.search(r"<dc:identifier id=\"id\">urn:uuid:[0-9a-f-]{36}</dc:identifier>", opf)
    assert re.search(r'property="dcterms:modified">2023-11-14T22:13:20Z<', opf)  # SOURCE_DATE_EPOCH


def test_navigation_and_reading_order(default_epub: Path) -> None:
    names = epub_names(default_epub)
    assert names[0] == "mimetype"
    assert "EPUB/nav.xhtml" in names and "EPUB/toc.ncx" in names
    opf = etree.fromstring(epub_text(default_epub, OPF).encode())
    ns = {"opf": "http://www.idpf.org/2007/opf"}
    manifest = {i.get("id"): i.get("href") for i in opf.findall(".//opf:manifest/opf:item", ns)}
    spine = [manifest[i.get("idref")] for i in opf.findall(".//opf:spine/opf:itemref", ns)]
    assert spine == [
        "text/cover.xhtml",  # a cover drawn from the title when the book brings none
        "text/titlepage.xhtml",
        "text/contents.xhtml",
        *[f"text/chapter-{n:03d}.xhtml" for n in range(1, 5)],
        "text/colophon.xhtml",
    ]
    nav = epub_text(default_epub, "EPUB/nav.xhtml")
    assert "The End of the Caliphate" in nav


def test_chapter_has_post_then_threaded_comments(default_epub: Path) -> None:
    xhtml = epub_text(default_epub, "EPUB/text/chapter-003.xhtml")
    root = etree.fromstring(xhtml.encode())
    ns = {"h": "http://www.w3.org/1999/xhtml"}
    assert root.findtext(".//h:h1", namespaces=ns) == "On Keeping a Commonplace Book"

    def thread(article: etree._Element) -> object:
        author = article.findtext("h:p/h:span[@class='comment-author']", namespaces=ns)
        replies = article.findall("h:div[@class='replies']/h:article", ns)
        return (author, [thread(r) for r in replies]) if replies else author

    comments = root.findall(".//h:section[@class='comments']/h:article", ns)
    assert [thread(c) for c in comments] == [
        ("Margaret H.", [("The publish project", ["Margaret H."])]),
        ("Tomás", ["R. Okafor"]),
    ]
    assert "September 10, 2016, 2:02" in xhtml
    # the post comes before its comments, and the image is in the book
    assert xhtml.index("post-body") < xhtml.index('class="comments"')
    [img] = root.findall(".//h:img", ns)
    src = img.get("src", "")  # named by what it holds: the same in every build
    assert re.fullmatch(r"\.\./images/[0-9a-f]{10}-commonplace-page\.png", src), src
    assert img.get("alt", "").startswith("A page of a commonplace book")
    assert "EPUB/images/" + src.removeprefix("../images/") in epub_names(default_epub)


def test_links_between_posts_become_links_between_chapters(default_epub: Path) -> None:
    xhtml = epub_text(default_epub, "EPUB/text/chapter-001.xhtml")
    assert (
        'href="chapter-002.xhtml" class="xref"' in xhtml
        or 'class="xref" href="chapter-002.xhtml"' in xhtml
    )


def test_typography_in_the_epub(default_epub: Path) -> None:
    xhtml = epub_text(default_epub, "EPUB/text/chapter-004.xhtml")
    assert "“curly”" in xhtml and "’90s" in xhtml and "rock ’n’ roll" in xhtml
    assert "10–\u206012" in xhtml and "dash—like" in xhtml and "ellipsis…" in xhtml
    assert '<code>"quotes" -- and dashes</code>' in xhtml
    seed = epub_text(default_epub, "EPUB/text/chapter-002.xhtml")
    assert "“crusaders” – the separate" in seed  # a spaced hyphen is a spaced en dash
    assert "<blockquote>" in seed


def test_footnote_ids_are_unique_in_the_book(default_epub: Path) -> None:
    ids: list[str] = []
    for name in epub_names(default_epub):
        if name.endswith(".xhtml"):
            ids += re.findall(r'\sid="([^"]+)"', epub_text(default_epub, name))
    assert len(ids) == len(set(ids))


def test_cover_image(tmp_path: Path, content_copy: Path) -> None:
    from PIL import Image

    Image.new("RGB", (800, 1280), (40, 60, 90)).save(content_copy / "cover.jpg")
    toml = content_copy / "book.toml"
    toml.write_text(toml.read_text().replace("sample = true", 'sample = true\ncover = "cover.jpg"'))
    out = tmp_path / "covered.epub"
    write_epub(load_book(content_copy), out)
    opf = epub_text(out, OPF)
    assert re.search(
        r'<item [^>]*href="images/cover.jpg"[^>]*properties="cover-image"', opf
    ) or re.search(r'<item [^>]*properties="cover-image"[^>]*href="images/cover.jpg"', opf)
    assert 'itemref idref="cover"' in opf.split("<spine")[1].split("</spine>")[0].split("itemref")[
        1
    ] or (
        opf.split("<spine")[1].index('idref="cover"')
        < opf.split("<spine")[1].index('idref="titlepage"')
    )
    assert 'src="../images/cover.jpg"' in epub_text(out, "EPUB/text/cover.xhtml")
    assert_epubcheck_clean(out)


def test_a_small_book_with_html_and_odd_content_passes_epubcheck(tmp_path: Path) -> None:
    posts = {
        "2020-01-01-html.md": (
            "---\ntitle: 'HTML & <friends>'\n---\n<div><p>Para <b>bold</b><br>line"
            " <font color=red>font</font></p><table><tr><td align=left>1</td></tr></table>"
            '<img src="https://tracker.example/pixel.gif" alt=""></div>\n\n# A heading\n\nText\n'
        ),
        "2020-01-02-empty-comment/index.md": "---\ntitle: Second\n---\nSee [the first](../2020-01-01-html.md).\n",
        "2020-01-02-empty-comment/comments/a.md": "---\nauthor: X\ndate: 2020-01-03\n---\n",
    }
    root = make_book(tmp_path / "c", posts)
    diagnostics = Diagnostics()
    out = tmp_path / "odd.epub"
    write_epub(load_book(root, diagnostics), out, diagnostics)
    codes = sorted(w.code for w in diagnostics.warnings)
    assert codes == ["empty-comment", "remote-image"]
    assert_epubcheck_clean(out)
    first = epub_text(out, "EPUB/text/chapter-001.xhtml")
    assert "HTML &amp; &lt;friends&gt;" in first and "tracker.example" not in first
    assert "<h2>A heading</h2>" in first


def test_the_epubcheck_harness_sees_errors(default_epub: Path, tmp_path: Path) -> None:
    """Guard for the test harness itself: a broken EPUB must not pass."""
    import zipfile

    from helpers import run_epubcheck

    broken = tmp_path / "broken.epub"
    with zipfile.ZipFile(default_epub) as src, zipfile.ZipFile(broken, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename.endswith("chapter-001.xhtml"):
                data = data.replace(b"<p>", b"<p><blink>", 1)
            dst.writestr(info, data)
    result = run_epubcheck(broken)
    assert result.errors >= 1 and any("blink" in m for m in result.messages), result
