"""Property-based: arbitrary text and HTML as post and comment bodies.

Whatever the body, a build either succeeds with a well-formed book holding no script or
handler, or fails with a PublishError: never anything else. Many examples are rendered to
an EPUB and every XHTML file parsed as XML; a few whole books go through EPUBCheck and the
PDF writer. ``PUBLISH_PROPERTY_EXAMPLES`` sets how many (``make fuzz`` runs many more).
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, assume, given, settings
from hypothesis import strategies as st
from lxml import etree

from publish import Diagnostics, PublishError, write_epub, write_pdf
from publish.limits import xml_safe, xml_safe_book
from publish.model import Body, BodyFormat, Book, Comment, Post
from publish.render.markup import ALLOWED_TAGS
from publish.sources.config import derived_identifier

from helpers import assert_epubcheck_clean

pytestmark = pytest.mark.xdist_group("property")
EXAMPLES = int(os.environ.get("PUBLISH_PROPERTY_EXAMPLES", "40"))
XHTML = "{http://www.w3.org/1999/xhtml}"
FORBIDDEN = {"script", "style", "iframe", "object", "embed", "form", "input", "button", "svg",
             "math", "base", "meta", "link", "template", "noscript", "font"}  # fmt: skip

TAGS = sorted(ALLOWED_TAGS | FORBIDDEN | {"html", "body", "head", "title", "marquee", "x-y"})
ATTRIBUTES = ["onclick", "onerror", "style", "href", "src", "id", "class", "title", "lang",
              "dir", "srcset", "width", "height", "colspan", "rowspan", "span", "value",
              "start", "type", "reversed", "scope", "datetime", "hreflang", "xmlns"]  # fmt: skip
REMOTE_URLS = ["javascript:alert(1)", "http://127.0.0.1:9/x.png", "#a", "#", "", "mailto:a@b",
               "data:text/html,<script>x</script>", "vbscript:x", "file:///etc/passwd",
               "//127.0.0.1:9/x", "https://example.org/a b"]  # fmt: skip
MARKDOWN = ["\n\n", "\n", "# ", "## ", "> ", "- ", "1. ", "* ", "**", "_", "`", "```\n", "~~~",
            "[x](", ")", "![a](", "|a|b|\n|-|-|\n|1|2|\n", "[^1]", "\n\n[^1]: a note\n",
            "{: #id .c onclick=x }", "    ", "---", "\\", "<http://example.org>", "Term\n: Def\n",
            "\n*[HTML]: Hyper\n", "&", "&amp;", "&#0;", "&#xD800;", "&bogus;", "<!-- c -->",
            "<![CDATA[x]]>", "<br>", "</p>", "<", ">", '"', "'", "--", "...", "'90s"]  # fmt: skip

# Any character at all: controls, lone surrogates, non-characters, right-to-left, astral.
any_text = st.text(st.characters(exclude_categories=()), max_size=20)


def urls(relative: bool) -> st.SearchStrategy[str]:
    chosen = st.sampled_from(REMOTE_URLS)
    return st.one_of(chosen, st.text(max_size=12)) if relative else chosen


def attributes(relative: bool) -> st.SearchStrategy[str]:
    """Attributes with any values; without relative images, ``src`` is a remote address."""
    names = st.sampled_from(ATTRIBUTES if relative else [a for a in ATTRIBUTES if a != "src"])
    value = st.one_of(urls(relative), any_text, st.sampled_from(["1", "-3", "rtl", "x", "en"]))
    src = st.tuples(st.just("src"), urls(relative))
    pair = st.one_of(st.tuples(names, value), src).map(
        lambda kv: f' {kv[0]}="{kv[1].replace(chr(34), "&quot;")}"'
    )
    return st.lists(pair, max_size=3).map("".join)


def html(relative: bool) -> st.SearchStrategy[str]:
    leaf = st.one_of(any_text, st.sampled_from(MARKDOWN))

    def tagged(children: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.builds(
            lambda tag, attrs, kids, close: (
                f"<{tag}{attrs}>{''.join(kids)}" + (f"</{tag}>" if close else "")
            ),
            st.sampled_from(TAGS),
            attributes(relative),
            st.lists(children, max_size=4),
            st.booleans(),
        )

    return st.recursive(leaf, tagged, max_leaves=20)


def bodies(relative: bool = True) -> st.SearchStrategy[Body]:
    """Bodies of HTML and Markdown; ``relative=False``: no image that would need a file."""
    markdown = st.sampled_from(MARKDOWN if relative else [m for m in MARKDOWN if m != "![a]("])
    text = st.lists(st.one_of(html(relative), markdown), max_size=6).map("".join)
    fmt: st.SearchStrategy[BodyFormat] = st.sampled_from(["markdown", "html"])
    return st.builds(Body, text, fmt)


def make_book(posts: list[tuple[str, Body, list[Body]]]) -> Book:
    """Posts with a thread each (a comment, a reply to it, ...), the way load_book gives them."""
    start = datetime(2020, 1, 1)
    built = []
    for n, (title, body, comments) in enumerate(posts):
        thread: tuple[Comment, ...] = ()
        for m, text in reversed(list(enumerate(comments))):
            thread = (Comment(id=f"c{m}", author=f"Author {m} {title[:10]}",
                              date=start + timedelta(days=n, hours=m), body=text,
                              replies=thread),)  # fmt: skip
        built.append(Post(slug=f"post-{n}", title=xml_safe(title).strip() or "Untitled",
                          date=start + timedelta(days=n), body=body, comments=thread))  # fmt: skip
    return xml_safe_book(Book(title="Property", author="Hypothesis", language="en",
                              posts=tuple(built),
                              identifier=derived_identifier("Property", "Hypothesis")))  # fmt: skip


def check_epub(path: Path) -> None:
    """Every XHTML file is well-formed XML, with no script, handler or active link."""
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if not name.endswith((".xhtml", ".opf", ".ncx")):
                continue
            root = etree.fromstring(z.read(name))  # raises if not well-formed
            for el in root.iter():
                if not isinstance(el.tag, str):
                    continue
                tag = el.tag.removeprefix(XHTML)
                head = any(a.tag == f"{XHTML}head" for a in el.iterancestors())
                assert head or tag not in FORBIDDEN, f"{name}: <{tag}>"
                for attr, value in el.attrib.items():
                    assert isinstance(attr, str) and isinstance(value, str)  # stubs: or bytes
                    assert not attr.lower().startswith("on") and attr != "style", (name, attr)
                    if attr in ("href", "src", "cite", "action", "poster"):
                        low = value.strip().lower()
                        assert not low.startswith(("javascript:", "vbscript:", "data:")), value


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(title=any_text, post=bodies(), comments=st.lists(bodies(), max_size=3))
def test_any_body_builds_a_well_formed_epub_or_fails_clearly(
    title: str, post: Body, comments: list[Body]
) -> None:
    book = make_book([(title, post, comments)])
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "book.epub"
        try:
            write_epub(book, out, Diagnostics())
        except PublishError as error:
            assert error.code and str(error)
            assert not out.exists()
            return
        check_epub(out)


# Whole books through EPUBCheck and WeasyPrint: few, and not shrunk (each try takes seconds).
@settings(max_examples=max(1, EXAMPLES // 40), deadline=None,
          phases=[Phase.explicit, Phase.reuse, Phase.generate],
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])  # fmt: skip
@given(
    posts=st.lists(
        st.tuples(any_text, bodies(relative=False), st.lists(bodies(relative=False), max_size=3)),
        min_size=3,
        max_size=5,
    )
)
def test_books_of_arbitrary_bodies_pass_epubcheck_and_print(
    posts: list[tuple[str, Body, list[Body]]],
) -> None:
    book = make_book(posts)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            epub = write_epub(book, Path(tmp) / "book.epub", Diagnostics())
        except PublishError as error:  # broken HTML can still make an <img> of a local file
            assert error.code == "missing-image", error
            assume(False)
        check_epub(epub.path)
        assert_epubcheck_clean(epub.path)
        pdf = write_pdf(book, Path(tmp) / "book.pdf", Diagnostics())
        assert pdf.pages > len(posts)
