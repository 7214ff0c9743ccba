"""Each export format, on small samples written for these tests (tests/importers_data/)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from importer_helpers import OTHER, SAME_BLOG, run_import, shape

from publish.errors import Diagnostics, PublishError
from publish.sources import load_book
from publish.sources.config import derived_identifier
from publish.sources.importers import detect_format, load_export

RAIN_THREAD: list[Any] = [("Bea", [("Ada Example", [("Dee", [])])]), ("Cal", [])]


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("blogger-legacy.xml", "blogger"),
        ("blogger-takeout.atom", "blogger"),
        ("wordpress-1.2.xml", "wordpress"),
        ("disqus.xml", "disqus"),
        ("feed.rss", "feed"),
        ("feed.atom", "feed"),
        ("jekyll", "jekyll"),
        ("pages", "textpage"),
    ],
)
def test_the_format_is_detected_from_the_content(name: str, fmt: str, tmp_path: Path) -> None:
    source = SAME_BLOG / name
    assert detect_format(source) == fmt
    if source.is_file():  # the extension plays no part
        renamed = tmp_path / "export.dat"
        renamed.write_bytes(source.read_bytes())
        assert detect_format(renamed) == fmt


def test_wxr_1_0_under_http_is_wordpress_too() -> None:
    assert detect_format(OTHER / "wordpress-1.0.xml") == "wordpress"


def test_blogger_legacy_export() -> None:
    result = run_import(SAME_BLOG / "blogger-legacy.xml")
    book, report = result.book, result.report
    # The language is the blog's BLOG_LOCALE setting (en_GB).
    assert (book.title, book.author, book.language) == ("Field Notes", "Ada Example", "en-GB")
    assert book.identifier == derived_identifier("Field Notes", "Ada Example")
    assert [p.title for p in book.posts] == ["Rain on the Moor", "A Short Note"]
    assert (report.format, report.posts, report.comments, report.replies) == ("blogger", 2, 4, 2)
    assert report.skipped == {"draft": 1, "page": 1, "comment on a page": 1, "deleted comment": 1}
    rain = result.post("Rain on the Moor")
    assert rain.slug == "2021-03-04-rain-on-the-moor"
    assert rain.date == datetime(2021, 3, 4, 9, 30, tzinfo=UTC)
    assert rain.url == "http://fieldnotes.example.org/2021/03/rain-on-the-moor.html"
    assert rain.tags == ("walks", "weather")
    assert rain.body.format == "html"
    # <br><br> ends a paragraph; the jump break is gone; &amp;lt;b&amp;gt; stays visible text.
    assert rain.body.text == (
        "<p>It rained all day on the moor.</p>\n\n<p>A <em>very</em> wet walk.</p>\n\n"
        "<p>In HTML, &lt;b&gt; makes text bold.</p>"
    )
    assert shape(rain.comments) == RAIN_THREAD
    bea = rain.comments[0]
    # Double-escaped in the export (&amp;quot;): decoded exactly once, to a quote character.
    assert bea.body.text == '<p>Lovely "wet" walk. I\'d go again.</p>'
    assert bea.url == (
        "http://fieldnotes.example.org/2021/03/rain-on-the-moor.html?showComment=1614938400000#c301"
    )
    assert rain.comments[1].body.text == "<p>Try &lt;code&gt; too.</p>"
    note = result.post("A Short Note")
    assert "<!--" not in note.body.text and not note.comments
    assert result.codes() == []


def test_blogger_takeout_export() -> None:
    result = run_import(SAME_BLOG / "blogger-takeout.atom")
    report = result.report
    assert (report.format, report.posts, report.comments, report.replies) == (
        "blogger-takeout",
        2,
        4,
        2,
    )
    assert report.skipped == {
        "draft": 1,
        "trashed post": 1,
        "page": 1,
        "comment on a page": 1,
        "spam comment": 1,
    }
    rain = result.post("Rain on the Moor")
    # blogger:filename is made absolute with the blog's address.
    assert rain.url == "http://fieldnotes.example.org/2021/03/rain-on-the-moor.html"
    assert shape(rain.comments) == RAIN_THREAD


def test_pages_only_when_asked_for() -> None:
    result = run_import(SAME_BLOG / "blogger-legacy.xml", include_pages=True)
    about = result.post("About")
    assert [c.author for c in about.comments] == ["Fay"]
    assert result.report.pages == (about.slug,)
    assert "page" not in result.report.skipped


def test_wordpress_export() -> None:
    result = run_import(SAME_BLOG / "wordpress-1.2.xml")
    book, report = result.book, result.report
    assert (book.title, book.author, book.language) == ("Field Notes", "Ada Example", "en-GB")
    assert (report.format, report.posts, report.comments, report.replies) == ("wordpress", 2, 4, 2)
    assert report.skipped == {
        "draft": 1,
        "scheduled": 1,
        "private": 1,
        "password-protected": 1,
        "comment on a left-out post": 1,
        "page": 1,
        "comment on a page": 1,
        "spam comment": 1,
        "unapproved comment": 1,
        "pingback": 1,
        "trashed comment": 1,
    }
    rain = result.post("Rain on the Moor")
    assert rain.date == datetime(2021, 3, 4, 9, 30)  # wp:post_date, the blog's own clock
    assert rain.url == "https://fieldnotes.example.org/2021/03/04/rain-on-the-moor/"
    assert shape(rain.comments) == RAIN_THREAD  # listed out of order in the file
    assert rain.comments[0].url == rain.url + "#comment-301"
    # Blank lines make paragraphs (wpautop); <!--more--> leaves no empty paragraph behind.
    note = result.post("A Short Note")
    assert note.body.text.count("<p>") == 2 and "<p></p>" not in note.body.text


def test_wordpress_pingbacks_when_asked_for() -> None:
    result = run_import(SAME_BLOG / "wordpress-1.2.xml", include_pingbacks=True)
    rain = result.post("Rain on the Moor")
    assert "Other Blog" in [c.author for c in rain.comments]
    assert "pingback" not in result.report.skipped


def test_wordpress_1_0_shortcodes_empty_title_and_orphan() -> None:
    result = run_import(OTHER / "wordpress-1.0.xml")
    (post,) = result.book.posts
    assert result.book.language == "fr-FR"  # fr_FR in the export
    assert post.title == "Untitled post of 5 September 2009"
    assert post.tags == ("old",)  # "Uncategorized" is no tag
    assert post.body.text.startswith("<p>First line<br>\nsecond line</p>")
    assert "<figcaption>The old bridge</figcaption></figure>" in post.body.text
    assert "[gallery" not in post.body.text and "[caption" not in post.body.text
    assert "<pre>keep   this\n\n   as is</pre>" in post.body.text
    # The reply whose parent is missing stays, at the top level, answering no one.
    (orphan,) = post.comments
    assert (orphan.author, orphan.reply_to) == ("Zoé", None)
    assert sorted(result.codes()) == ["empty-title", "orphan-reply"]
    assert result.report.skipped == {"other post type": 1, "trackback": 1}
    assert result.diagnostics.counters["shortcodes removed"] == 1


def test_disqus_export_on_its_own() -> None:
    result = run_import(SAME_BLOG / "disqus.xml")
    report = result.report
    assert (report.format, report.posts, report.comments) == ("disqus", 2, 5)
    assert report.skipped == {"spam comment": 1, "thread without comments": 1}
    rain = result.post("Rain on the Moor")
    assert rain.url == "http://fieldnotes.example.org/2021/03/04/rain-on-the-moor"
    assert rain.body.text == ""
    assert shape(rain.comments) == RAIN_THREAD


def test_rss_feed() -> None:
    result = run_import(SAME_BLOG / "feed.rss")
    book = result.book
    assert (book.title, book.author, book.language) == ("Field Notes", "Ada Example", "en-gb")
    assert [p.title for p in book.posts] == ["Rain on the Moor", "A Short Note"]
    rain = result.post("Rain on the Moor")
    assert rain.tags == ("walks", "weather")
    assert "<p>In HTML, &lt;b&gt; makes text bold.</p>" in rain.body.text
    assert result.report.comments == 0


def test_atom_feed() -> None:
    result = run_import(SAME_BLOG / "feed.atom")
    rain = result.post("Rain on the Moor")  # the title's <em> is markup, not text
    assert rain.body.text.startswith("<p>It rained all day on the moor.</p>")
    assert "xmlns" not in rain.body.text
    assert rain.tags == ("walks", "Weather")
    note = result.post("A Short Note")  # only <updated>, only a text <summary>
    assert note.date == datetime(2021, 4, 1, 18, 0, tzinfo=UTC)
    assert note.body.text == "<p>More on the rain. Dry today &amp; tomorrow.</p>"


def test_jekyll_site_with_staticman_comments() -> None:
    result = run_import(SAME_BLOG / "jekyll")
    book, report = result.book, result.report
    assert (book.title, book.author, book.language) == ("Field Notes", "Ada Example", "en-GB")
    assert (report.posts, report.comments, report.replies) == (2, 5, 3)
    assert report.skipped == {"draft": 1, "comment on a missing post": 1}
    rain = result.post("Rain on the Moor")
    assert rain.date == datetime(2021, 3, 4, 9, 30, tzinfo=UTC)
    assert rain.url == "https://fieldnotes.example.org/2021/03/rain-on-the-moor.html"
    assert rain.body.format == "markdown"
    assert "{% include" not in rain.body.text
    assert "`{{ page.title }}` is Liquid" in rain.body.text  # {% raw %} kept as written
    # replying_to is a position among the top-level comments sorted by file name:
    # '1' is Bea's, '2' is Cal's (Staticman nests one level only).
    assert shape(rain.comments) == [
        ("Bea", [("Ada Example", []), ("Dee", [])]),
        ("Cal", [("Jo", [])]),
    ]
    bea, cal = rain.comments
    assert bea.id == "1f2e3d40-7d00-11eb-9c5e-0123456789ab"
    assert cal.id == "comment-1615017600000"  # no _id: the file name
    assert bea.body.text == 'Lovely "wet" walk.\n\nI\'d go again.'  # \r\n normalised
    assert all(c.url is None for c in rain.all_comments())
    note = result.post("A Short Note")
    assert note.date == datetime(2021, 4, 1)  # from the file name
    assert "[the rain](https://fieldnotes.example.org/2021/03/rain-on-the-moor.html)" in (
        note.body.text
    )
    assert "[the site](https://fieldnotes.example.org/)" in note.body.text


def test_folder_of_text_pages() -> None:
    result = run_import(SAME_BLOG / "pages")
    book, report = result.book, result.report
    assert (report.format, report.posts, report.comments) == ("textpage", 2, 4)
    assert book.author == "Ada Example"  # from "Posted by"
    rain = result.post("Rain on the Moor")
    assert rain.date == datetime(2021, 3, 4)
    assert rain.tags == ("walks", "weather")
    assert rain.body.text == (
        "<p>It rained all day on the moor.</p>\n\n<p>A very wet walk.</p>\n\n"
        "<p>In HTML, &lt;b&gt; makes text bold.</p>"
    )
    assert [(c.author, c.date) for c in rain.comments] == [
        ("Bea", datetime(2021, 3, 5, 10, 0)),
        ("Ada Example", datetime(2021, 3, 5, 12, 0)),
        ("Cal", datetime(2021, 3, 6, 8, 0)),
        ("Dee", datetime(2021, 3, 7, 9, 0)),
    ]
    assert rain.comments[2].body.text == "<p>Try &lt;code&gt; too.</p>"
    note = result.post("A Short Note")
    assert note.body.text == "<p>More on the rain.</p>\n\n<p>Dry today.</p>" and not note.comments


def test_a_single_text_page_without_comments(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("July 1, 2020\n\nSummer\n\nHot.\n", encoding="utf-8")
    result = run_import(page)
    (post,) = result.book.posts
    assert (post.title, post.date, post.body.text) == (
        "Summer",
        datetime(2020, 7, 1),
        "<p>Hot.</p>",
    )
    assert result.book.title == "Summer"


def test_counts_go_to_the_diagnostics() -> None:
    result = run_import(SAME_BLOG / "wordpress-1.2.xml")
    counters = result.diagnostics.counters
    assert (counters["posts"], counters["comments"]) == (2, 4)
    assert counters["skipped: draft"] == 1
    assert counters["skipped: spam comment"] == 1


def test_report_prints_what_was_done() -> None:
    text = str(run_import(SAME_BLOG / "blogger-legacy.xml").report)
    assert "imported 2 posts and 4 comments" in text
    assert "Blogger export" in text
    assert "left out: 1 × comment on a page, 1 × deleted comment, 1 × draft, 1 × page" in text


def test_load_book_reads_an_export() -> None:
    book = load_book(SAME_BLOG / "wordpress-1.2.xml", Diagnostics())
    assert [p.title for p in book.posts] == ["Rain on the Moor", "A Short Note"]


def test_an_export_with_no_published_post_cannot_make_a_book(tmp_path: Path) -> None:
    drafts = tmp_path / "drafts.xml"
    drafts.write_text(
        '<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/"><channel>'
        "<title>T</title><item><title>D</title><wp:status>draft</wp:status>"
        "<wp:post_type>post</wp:post_type></item></channel></rss>",
        encoding="utf-8",
    )
    with pytest.raises(PublishError) as caught:
        load_export(drafts, Diagnostics())
    assert caught.value.code == "no-posts"
    assert "1 × draft" in caught.value.message


def test_a_page_whose_comment_count_disagrees(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(
        "July 1, 2020\n\nSummer\n\nHot.\n\n2 comments:\n\nAnn said...\n\nYes.\n", "utf-8"
    )
    result = run_import(page)
    assert [c.author for c in result.book.posts[0].comments] == ["Ann"]
    assert result.codes() == ["comment-count"]
    assert result.diagnostics.warnings[0].line == 7
    assert result.diagnostics.counters["undated comments (given the post's date)"] == 1
