"""Fuzzing the importers: mutated versions of the sample exports (tests/importers_data).

Every importer (Blogger legacy and Takeout, WordPress WXR 1.0 and 1.2, Disqus, feeds, text
pages, Jekyll) reads bytes that were cut, repeated, spliced with markup, entities, stray
bytes and broken dates. The import (and rendering what it read) either succeeds or fails
with a PublishError: never any other exception. ``PUBLISH_FUZZ_EXAMPLES`` sets the number of
mutants per sample: a smoke run in ``make test``, thousands in ``make fuzz``.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from publish import Diagnostics, PublishError
from publish.assembly import assemble
from publish.render.chapters import ChapterRenderer
from publish.sources.importers import import_export
from publish.writers.epub import EpubTarget

pytestmark = pytest.mark.xdist_group("fuzz")
EXAMPLES = int(os.environ.get("PUBLISH_FUZZ_EXAMPLES", "12"))
DATA = Path(__file__).parent / "importers_data"
SAMPLES = [
    "same-blog/blogger-legacy.xml",
    "same-blog/blogger-takeout.atom",
    "same-blog/wordpress-1.2.xml",
    "other/wordpress-1.0.xml",
    "same-blog/disqus.xml",
    "same-blog/feed.atom",
    "same-blog/feed.rss",
    "same-blog/pages/rain-on-the-moor.txt",
    "same-blog/jekyll/_posts/2021-03-04-rain-on-the-moor.md",
    "same-blog/jekyll/_data/comments/rain-on-the-moor/comment-1614945600000.yml",
]
# Pieces that exports are made of, and that break them.
SPLICES = [b"<", b">", b"&", b"&amp;", b"&lt;", b"&#0;", b"&#xD800;", b"&#x110000;", b"&nbsp;",
           b"&undefined;", b"]]>", b"<![CDATA[", b"<!--", b"-->", b'"', b"'", b"\x00", b"\xff",
           b"\xef\xbb\xbf", b"\xc3", b"<!DOCTYPE x>", b'<!DOCTYPE x [<!ENTITY a "b">]>', b"&a;",
           b"<?xml version='1.0'?>", b"<entry>", b"</entry>", b"<item>", b"</item>",
           b"<wp:comment>", b"</wp:comment>", b"<post>", b"</post>", b"<thread>",
           b'<thr:in-reply-to ref="tag:x"/>', b"<wp:comment_parent>1</wp:comment_parent>",
           b"9999-99-99", b"T25:61:00Z", b"0000-00-00 00:00:00", b"\n", b"\r\n", b"---\n",
           b": ", b"- ", b"{", b"[", b"*a", b"&a [", b"!!python/object:os.system", b"%",
           b"<script>alert(1)</script>", b'<img src="file:///etc/passwd">', b"\t" * 9,
           b"reply_to: ", b"replying_to_uid: ", b"July 1, 2020"]  # fmt: skip


@st.composite
def mutants(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with one to eight random cuts, repeats, splices, byte flips or a truncation."""
    for _ in range(draw(st.integers(1, 8))):
        n = len(data)
        i = draw(st.integers(0, n))
        j = draw(st.integers(i, min(n, i + 400)))
        kind = draw(st.sampled_from(["delete", "repeat", "splice", "bytes", "flip", "cut"]))
        if kind == "delete":
            data = data[:i] + data[j:]
        elif kind == "repeat":
            data = data[:j] + data[i:j] * draw(st.integers(1, 3)) + data[j:]
        elif kind == "splice":
            data = data[:i] + draw(st.sampled_from(SPLICES)) + data[i:]
        elif kind == "bytes":
            data = data[:i] + draw(st.binary(min_size=1, max_size=8)) + data[i:]
        elif kind == "flip" and i < n:
            data = data[:i] + bytes([draw(st.integers(0, 255))]) + data[i + 1 :]
        elif kind == "cut":
            data = data[:i]
    return data


def import_and_render(path: Path) -> None:
    """The import, and rendering every chapter it made: a PublishError at worst."""
    diagnostics = Diagnostics()
    try:
        book, _ = import_export(path, diagnostics)
        ChapterRenderer(assemble(book), EpubTarget(), diagnostics).render_all()
    except PublishError as error:
        assert error.code and str(error)


def _fuzz(sample: str) -> None:
    source = DATA / sample
    jekyll = "jekyll/" in sample
    original = source.read_bytes()

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 50,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(data=mutants(original))
    def run(data: bytes) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            if jekyll:  # mutate one file of a copy of the site; import the site
                site = Path(tmp) / "jekyll"
                shutil.copytree(DATA / "same-blog" / "jekyll", site)
                (site / sample.split("jekyll/", 1)[1]).write_bytes(data)
                import_and_render(site)
            else:
                path = Path(tmp) / source.name
                path.write_bytes(data)
                import_and_render(path)

    run()


@pytest.mark.parametrize("sample", SAMPLES)
def test_a_mutated_export_imports_or_fails_clearly(sample: str) -> None:
    _fuzz(sample)


def test_the_samples_themselves_import() -> None:
    for sample in SAMPLES:
        source = DATA / sample
        path = DATA / "same-blog" / "jekyll" if "jekyll/" in sample else source
        book, _ = import_export(path, Diagnostics())
        assert book.posts, sample


@pytest.mark.parametrize("where", ["namespace", "attribute", "text", "raw bytes"])
def test_what_recover_mode_lets_through_is_mended(where: str, tmp_path: Path) -> None:
    # Found by this fuzzer: libxml2's recover mode passed these to lxml undecodable.
    feed = (DATA / "same-blog" / "feed.atom").read_bytes()
    broken = {
        "namespace": feed.replace(b'xmlns="http://www.w3.org/2005/Atom"',
                                  b'xmlns="&#xD800;http://www.w3.org/2005/Atom"'),
        "attribute": feed.replace(b'xml:lang="en-GB"', b'xml:lang="e&#xD800;n-GB"'),
        "text": feed.replace(b"<title>Field Notes</title>", b"<title>Field &#0;Notes</title>"),
        "raw bytes": feed.replace(b"<title>Field Notes</title>", b"<title>Field \xed\xa0\x80</title>"),
    }[where]  # fmt: skip
    assert broken != feed
    path = tmp_path / "feed.atom"
    path.write_bytes(broken)
    import_and_render(path)
