"""The sanitiser's allow-list, what it counts, and the limits on one body (no books built)."""

from __future__ import annotations

import dataclasses
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from lxml import etree

from publish import Diagnostics, PublishError, load_book, write_epub
from publish.assembly import assemble
from publish.limits import MAX_BODY_CHARS, MAX_HTML_DEPTH, MAX_THREAD_DEPTH, xml_safe, xml_safe_book
from publish.model import Body, Book, Comment, Post
from publish.render.markup import (
    REMOVED_ATTRIBUTES,
    REMOVED_ELEMENTS,
    count_removed,
    sanitize,
    to_safe_html,
)
from publish.render.xhtml import Place, to_xhtml
from publish.writers.print_links import PrintTarget

from helpers import write


def safe(text: str, fmt: str = "markdown") -> str:
    return to_safe_html(Body(text, "html" if fmt == "html" else "markdown"), Diagnostics())


REMOVED = {
    "script": ("<script>alert(1)</script>QZ", "alert"),
    "script src": ('<script src="http://x/y.js"></script>QZ', "y.js"),
    "style element": ("<style>p{display:none}</style>QZ", "display"),
    "style attribute": ('<p style="display:none">QZ</p>', "style"),
    "event handler": ('<p onclick="alert(1)" onmouseover="x()">QZ</p>', "on"),
    "javascript link": ('<a href="javascript:alert(1)">QZ</a>', "javascript"),
    "javascript link, mixed case and spaces": ('<a href="  JaVaScRiPt:alert(1)">QZ</a>', "alert"),
    "javascript link, entity-encoded": ('<a href="&#106;avascript:alert(1)">QZ</a>', "alert"),
    "vbscript link": ('<a href="vbscript:msgbox(1)">QZ</a>', "vbscript"),
    "data link": ('<a href="data:text/html,<script>alert(1)</script>">QZ</a>', "data:"),
    "data image": ('<img src="data:image/png;base64,iVBORw0KGgo=" alt="QZ">', "data:"),
    "iframe": ('<iframe src="http://x/">fallback</iframe>QZ', "iframe"),
    "object": ('<object data="http://x/">fallback</object>QZ', "object"),
    "embed": ('<embed src="http://x/">QZ', "embed"),
    "form": ('<form action="http://x/"><input name="a"><button>go</button></form>QZ', "form"),
    "svg": ('<svg onload="alert(1)"><script>alert(2)</script></svg>QZ', "svg"),
    "math": ('<math><mi xlink:href="javascript:alert(1)">m</mi></math>QZ', "math"),
    "meta refresh": ('<meta http-equiv="refresh" content="0;url=http://x/">QZ', "refresh"),
    "base": ('<base href="http://x/">QZ', "base"),
    "link": ('<link rel="stylesheet" href="http://x/s.css">QZ', "s.css"),
    "srcset": ('<img src="a.png" srcset="http://x/b.png 2x" alt="QZ">', "srcset"),
    "template": ("<template><script>alert(1)</script></template>QZ", "template"),
    "comment": ("<!-- <script>alert(1)</script> -->QZ", "alert"),
    "split tag": ("<scr<script>ipt>alert(1)</script>QZ", "<script"),
    "markdown javascript link": ("[QZ](javascript:alert(1))", "javascript"),
    "markdown attribute list": ('QZ\n{: onclick="alert(1)" style="color:red" }', "onclick"),
}


@pytest.mark.parametrize("case", REMOVED, ids=list(REMOVED))
def test_the_allow_list_removes(case: str) -> None:
    html, gone = REMOVED[case]
    out = safe(html)
    assert gone.lower() not in out.lower(), out
    assert "QZ" in out  # what is text stays


@pytest.mark.parametrize(
    ("html", "kept"),
    [
        ("<font color=red>QZ font</font>", "QZ font"),
        ("<center><marquee>QZ moving</marquee></center>", "QZ moving"),
        ("<custom-element data-x=1>QZ custom</custom-element>", "QZ custom"),
        ("<details><summary>QZ summary</summary>QZ details</details>", "QZ details"),
        ("<video>QZ video fallback</video>", "QZ video fallback"),
    ],
)
def test_unknown_elements_are_unwrapped_with_their_text_kept(html: str, kept: str) -> None:
    out = safe(html, "html")
    assert kept in out
    assert "<font" not in out and "<custom" not in out and "<video" not in out


def test_what_is_allowed_stays() -> None:
    html = (
        '<p id="a" lang="de" dir="ltr" title="t">P <a href="https://example.org/" '
        'hreflang="en">link</a> <a href="mailto:x@example.org">mail</a> <img src="p.png" '
        'alt="alt" width="10" height="20"> <abbr title="x">ab</abbr> <time datetime="2020-01-01">'
        'then</time></p><table><tr><td colspan="2">c</td></tr></table><ol start="3"><li>i</li></ol>'
    )
    out = safe(html, "html")
    for kept in ('href="https://example.org/"', 'href="mailto:x@example.org"', 'src="p.png"',
                 'colspan="2"', 'start="3"', 'lang="de"', 'datetime="2020-01-01"'):  # fmt: skip
        assert kept in out, kept


@pytest.mark.parametrize(
    ("html", "elements", "attributes"),
    [
        ("plain text, nothing to remove", 0, 0),
        ("<p>kept <b>bold</b></p>", 0, 0),
        ("hello <script>alert(1)</script> world", 1, 0),
        ('<p onclick="x" onmouseover="y">t</p>', 0, 2),
        ('<a href="javascript:x">l</a>', 0, 1),
        ('<font color="red" size="2">f</font>', 1, 2),
        ("<svg><circle/><script>x</script></svg>t", 3, 0),
        ('<style>p{}</style><p style="display:none">hid</p>', 1, 1),
        ("<table><tr><td>1</td></tr></table>", 0, 0),  # an implied tbody is not a removal
        ("<p><div>x</div></p>", 0, 0),  # nor is a paragraph closed early
        ("<!-- a comment -->text", 0, 0),
    ],
)
def test_what_the_sanitiser_removed_is_counted_exactly(
    html: str, elements: int, attributes: int
) -> None:
    diagnostics = Diagnostics()
    count_removed(html, sanitize(html), diagnostics)
    assert diagnostics.counters.get(REMOVED_ELEMENTS, 0) == elements
    assert diagnostics.counters.get(REMOVED_ATTRIBUTES, 0) == attributes


def test_counts_add_up_over_a_book() -> None:
    diagnostics = Diagnostics()
    for _ in range(3):
        to_safe_html(Body("<script>x</script><p onclick=y>t</p>"), diagnostics)
    assert diagnostics.counters == {REMOVED_ELEMENTS: 3, REMOVED_ATTRIBUTES: 3}


# --- characters and limits ---------------------------------------------------------------


def test_characters_xml_cannot_carry_are_dropped() -> None:
    text = "a\x00b\x01c\x08d\x0be\x0cf\x1fg\ud800h\udfffi\ufffej\uffffk\tl\nm"
    assert xml_safe(text) == "abcdefghijk\tl\nm"
    out = safe(f"<p title='\x01x\ud800'>QZ {text}</p>")
    etree.fromstring(f"<div>{out}</div>".encode())  # well-formed once made XHTML-safe
    assert "QZ abcdefghijk" in out and "\ud800" not in out


def test_a_body_at_the_limit_is_read_and_one_past_it_is_an_error(tmp_path: Path) -> None:
    words = "word " * (MAX_BODY_CHARS // 5)
    assert len(safe(words[:MAX_BODY_CHARS])) >= MAX_BODY_CHARS - 10
    source = tmp_path / "c.md"
    with pytest.raises(PublishError) as caught:
        to_safe_html(Body(words[:MAX_BODY_CHARS] + "x"), Diagnostics(), source)
    assert caught.value.code == "too-large" and caught.value.file == source
    assert f"{MAX_BODY_CHARS:,}" in str(caught.value)


def _place(diagnostics: Diagnostics, tmp_path: Path) -> Place:
    post = Post(slug="p", title="P", date=datetime(2020, 1, 1), body=Body("x"),
                source=tmp_path / "p.md", base_dir=tmp_path)  # fmt: skip
    plan = assemble(Book(title="T", author="A", language="en", posts=(post,), root=tmp_path))
    return Place(plan, PrintTarget(), "p", tmp_path, tmp_path / "p.md", diagnostics)


def _depth(root: etree._Element) -> int:
    return max(sum(1 for _ in el.iterancestors()) for el in root.iter())


@pytest.mark.parametrize(
    "html",
    [
        "<div>" * 1000 + "QZ bottom" + "</div>" * 1000,
        "<table><tr><td>" * 100 + "QZ bottom" + "</td></tr></table>" * 100,
        "<b><i>" * 600 + "QZ bottom" + "</i></b>" * 600,
        "<ul><li>" * 300 + "QZ bottom<br>line" + "</li></ul>" * 300,
    ],
    ids=["divs", "tables", "inline", "lists"],
)
def test_html_nested_too_deeply_is_flattened_with_its_text_kept(html: str, tmp_path: Path) -> None:
    diagnostics = Diagnostics()
    out = to_xhtml(safe(html, "html"), _place(diagnostics, tmp_path))
    root = etree.fromstring(f"<div>{out}</div>".encode())
    assert "QZ bottom" in "".join(t for t in root.itertext() if isinstance(t, str))
    assert _depth(root) <= MAX_HTML_DEPTH
    assert [w.code for w in diagnostics.warnings] == ["too-deep"]


@pytest.mark.parametrize("levels", [MAX_HTML_DEPTH - 1, MAX_HTML_DEPTH, MAX_HTML_DEPTH + 1])
def test_html_exactly_as_deep_as_allowed_is_kept(levels: int, tmp_path: Path) -> None:
    """The limit's edge: MAX_HTML_DEPTH levels are kept as they are, one more is not."""
    html = "<div>" * levels + "QZ bottom" + "</div>" * levels
    diagnostics = Diagnostics()
    out = to_xhtml(html, _place(diagnostics, tmp_path))
    root = etree.fromstring(f"<div>{out}</div>".encode())
    assert _depth(root) == min(levels, MAX_HTML_DEPTH)
    assert [w.code for w in diagnostics.warnings] == (
        ["too-deep"] if levels > MAX_HTML_DEPTH else []
    )


def test_markdown_nested_too_deeply_is_set_as_plain_text(tmp_path: Path) -> None:
    lists = "".join("    " * i + f"- level {i}\n" for i in range(300))
    diagnostics = Diagnostics()
    out = to_safe_html(Body("QZ before\n\n" + lists), diagnostics, tmp_path / "c.md")
    assert "QZ before" in out and "level 299" in out
    [warning] = diagnostics.warnings
    assert (warning.code, warning.file) == ("too-deep", tmp_path / "c.md")


def test_every_text_of_a_loaded_book_is_xml_safe_whatever_its_source(tmp_path: Path) -> None:
    # A Jekyll site (the importers' own YAML) with escapes for characters XML cannot carry.
    site = tmp_path / "site"
    write(site / "_posts" / "2020-01-01-hello.md",
          '---\ntitle: "Hi \\x01 there \\ud800"\nauthor: "A\\x02"\ntags: ["t\\x07"]\n---\n'
          "Body \x01 text.\n")  # fmt: skip
    write(site / "_data" / "comments" / "hello" / "comment-1.yml",
          'name: "Ev\\x03e"\nmessage: "x \\x04 y"\ndate: 2020-01-02\n')  # fmt: skip
    book = load_book(site, Diagnostics())
    (post,) = book.posts
    assert (post.title, post.author, post.tags) == ("Hi  there ", "A", ("t",))
    assert [c.author for c in post.all_comments()] == ["Eve"]
    out = write_epub(book, tmp_path / "b.epub", Diagnostics()).path
    with zipfile.ZipFile(out) as z:
        for name in z.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                etree.fromstring(z.read(name))


def test_cleaning_a_book_keeps_what_is_clean_and_copes_with_deep_threads() -> None:
    when = datetime(2020, 1, 1)
    reply: Comment | None = None
    for n in range(MAX_THREAD_DEPTH, -1, -1):  # built from the bottom up
        reply = Comment(id=f"c{n}", author=f"A{n}", date=when, body=Body("x"),
                        replies=(reply,) if reply else ())  # fmt: skip
    assert reply is not None
    post = Post(slug="p", title="P", date=when, body=Body("ok"), comments=(reply,))
    book = Book(title="T", author="A", language="en", posts=(post,))
    assert xml_safe_book(book) is book
    bottom = dataclasses.replace(reply, author="bad\x01")
    dirty = dataclasses.replace(book, posts=(dataclasses.replace(post, comments=(bottom,)),))
    assert xml_safe_book(dirty).posts[0].comments[0].author == "bad"


def test_the_build_summary_says_what_the_sanitiser_removed(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from publish.cli import cli

    post = '---\ntitle: T\ndate: 2020-01-01\n---\nText <script>x()</script> <b onclick="y">b</b>\n'
    write(tmp_path / "c" / "book.toml", 'title = "T"\nauthor = "A"\nlanguage = "en"\n')
    write(tmp_path / "c" / "posts" / "p.md", post)
    result = CliRunner().invoke(cli, ["epub", str(tmp_path / "c"), "-o", str(tmp_path / "b.epub")])
    assert result.exit_code == 0, result.output
    assert f"{REMOVED_ELEMENTS}: 1" in result.output
    assert f"{REMOVED_ATTRIBUTES}: 1" in result.output
