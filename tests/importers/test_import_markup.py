"""HTML from exports: decoded exactly once, made into block HTML, jump breaks removed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from publish.sources.importers.common import dated_title, parse_date, slugify
from publish.sources.importers.markup import autop, clean_html, shortcodes, title_text
from publish.sources.importers.textpage import parse_timestamp


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("", ""),
        ("  <br><br> ", ""),
        ("plain", "<p>plain</p>"),
        ("a &quot;b&quot; c&#39;s &nbsp;d", '<p>a "b" c\'s \xa0d</p>'),
        ("code: &lt;b&gt;bold&lt;/b&gt;", "<p>code: &lt;b&gt;bold&lt;/b&gt;</p>"),
        ("one<br /><br />two<br />three", "<p>one</p>\n\n<p>two<br>three</p>"),
        ("<p>a</p>loose <i>b</i><div>c</div>", "<p>a</p>\n\n<p>loose <i>b</i></p>\n\n<div>c</div>"),
        ("before<a name='more'></a>after", "<p>beforeafter</p>"),
        ("<p>x</p><!--more--><p>y</p>", "<p>x</p>\n\n<p>y</p>"),
        ("<p>x</p><p> </p>", "<p>x</p>"),
        ("<pre>a\n\n  b &lt;c&gt;</pre>", "<pre>a\n\n  b &lt;c&gt;</pre>"),
        ('<a name="anchor">kept</a>', '<p><a name="anchor">kept</a></p>'),
        ("<ul><li>a</li><br><li>b</li></ul>", "<ul><li>a</li><li>b</li></ul>"),
        ('x <a class="button">Go <b>now</b></a>!', "<p>x Go <b>now</b>!</p>"),
    ],
)
def test_clean_html(given: str, expected: str) -> None:
    assert clean_html(given) == expected


def test_relative_addresses_are_made_absolute() -> None:
    html = clean_html(
        '<a href="/about/">a</a> <img src="pic.jpg"> <a href="#note">n</a> '
        '<a href="mailto:x@example.org">m</a> <img src="//cdn.example.org/x.png">',
        "https://blog.example.org/2020/01/post/",
    )
    assert html == (
        '<p><a href="https://blog.example.org/about/">a</a> '
        '<img src="https://blog.example.org/2020/01/post/pic.jpg"> <a href="#note">n</a> '
        '<a href="mailto:x@example.org">m</a> <img src="https://cdn.example.org/x.png"></p>'
    )


def test_autop_keeps_pre_and_lists_whole() -> None:
    text = "One\ntwo\n\n<pre>a\n\nb</pre>\n\n<ul>\n<li>x</li>\n\n<li>y</li>\n</ul>\n\nEnd"
    assert autop(text) == (
        "<p>One<br />\ntwo</p>\n\n<pre>a\n\nb</pre>\n\n<ul>\n<li>x</li>\n\n<li>y</li>\n</ul>"
        "\n\n<p>End</p>"
    )
    assert autop("<!-- wp:paragraph -->\n<p>x</p>\n<!-- /wp:paragraph -->").startswith("<!--")


def test_shortcodes() -> None:
    text, removed = shortcodes(
        '[caption id="a" width="3"]<img src="i.jpg" /> A caption[/caption]'
        '[gallery ids="1"][embed]https://x.example/?a=1&b=2[/embed]'
    )
    assert text == (
        '<figure><img src="i.jpg" /><figcaption>A caption</figcaption></figure>'
        '<a href="https://x.example/?a=1&amp;b=2">https://x.example/?a=1&amp;b=2</a>'
    )
    assert removed == 1
    unclosed, _ = shortcodes('[caption]<a href="u"><img src="i.jpg"/> Words[/caption]')
    assert (
        unclosed
        == '<figure><a href="u"><img src="i.jpg"/></a><figcaption>Words</figcaption></figure>'
    )


def test_titles() -> None:
    assert title_text("Title <em>With</em> <b>Mark<sup>up</sup></b>") == "Title With Markup"
    assert title_text("Less <html> than it seems") == "Less <html> than it seems"
    assert title_text("  two\n   lines ") == "two lines"
    assert dated_title(datetime(2016, 7, 13)) == "Untitled post of 13 July 2016"


def test_slugs() -> None:
    assert slugify("The End of the Caliphate") == "the-end-of-the-caliphate"
    assert slugify("Café & Crème brûlée!") == "cafe-creme-brulee"
    assert slugify("!!!") == "post"
    assert len(slugify("word " * 40)) <= 60


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("2010-10-16T22:15:37.489-07:00", datetime(2010, 10, 16, 22, 15, 37, tzinfo=timezone(timedelta(hours=-7)))),
        ("2016-08-21T22:33:25.272Z", datetime(2016, 8, 21, 22, 33, 25, tzinfo=UTC)),
        ("2012-05-06 15:46:06", datetime(2012, 5, 6, 15, 46, 6)),
        ("2021-03-04 09:30:00 +0000", datetime(2021, 3, 4, 9, 30, tzinfo=UTC)),
        ("Sun, 13 May 2012 01:13:52 +0000", datetime(2012, 5, 13, 1, 13, 52, tzinfo=UTC)),
        ("0000-00-00 00:00:00", None),
        ("yesterday", None),
        ("", None),
    ],
)  # fmt: skip
def test_parse_date(given: str, expected: datetime | None) -> None:
    assert parse_date(given) == expected


def test_parse_timestamp() -> None:
    assert parse_timestamp("March 4, 2017 at 6:12 PM") == datetime(2017, 3, 4, 18, 12)
    assert parse_timestamp("4 March 2017 18:12") == datetime(2017, 3, 4, 18, 12)
    assert parse_timestamp("Thank you!") is None
