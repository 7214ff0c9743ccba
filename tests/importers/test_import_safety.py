"""Parsing is safe (no DTDs, entities or network) and lenient where exports are broken."""

from __future__ import annotations

from pathlib import Path

import pytest
from importer_helpers import OTHER, run_import

from publish.errors import PublishError
from publish.sources.importers import detect_format


@pytest.mark.parametrize("name", ["entities.xml", "external-entity.xml"])
def test_entity_declarations_are_refused(name: str) -> None:
    with pytest.raises(PublishError) as caught:
        run_import(OTHER / name)
    error = caught.value
    assert error.code == "unsafe-xml"
    assert error.file == OTHER / name and error.line == 2
    assert "DOCTYPE" in str(error)


def test_an_entity_reference_in_content_is_never_expanded(tmp_path: Path) -> None:
    # No DOCTYPE, so nothing declares &secret;: recover mode keeps the reference as text.
    export = tmp_path / "feed.xml"
    export.write_text(
        '<rss version="2.0"><channel><title>T</title><item><title>A</title>'
        "<pubDate>Mon, 06 May 2019 10:00:00 GMT</pubDate>"
        "<description>x &secret; y</description></item></channel></rss>",
        encoding="utf-8",
    )
    result = run_import(export)
    (post,) = result.book.posts
    assert post.body.text == "<p>x &amp;secret; y</p>"
    assert "xml-recovered" in result.codes()


def test_an_undeclared_prefix_is_declared_and_the_counts_stay_right() -> None:
    result = run_import(OTHER / "undeclared-prefix.xml")
    assert result.codes() == ["xml-namespace"]
    assert result.diagnostics.warnings[0].line == 13
    assert (result.report.posts, result.report.skipped) == (1, {"draft": 1})
    (post,) = result.book.posts
    assert post.title == "Published"  # re-indented text is collapsed
    assert result.book.title == "Hand Edited" and result.book.author == "Max Sample"


def test_broken_xml_is_recovered_with_a_warning() -> None:
    result = run_import(OTHER / "broken.xml")
    assert result.codes()[0] == "xml-recovered"
    assert "Survivor" in [p.title for p in result.book.posts]


@pytest.mark.parametrize("name", ["not-an-export.html", "shopping-list.txt"])
def test_unknown_formats_are_a_clear_error(name: str) -> None:
    with pytest.raises(PublishError) as caught:
        detect_format(OTHER / name)
    assert caught.value.code == "unknown-format"
    assert caught.value.file == OTHER / name


def test_a_folder_that_is_no_export(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text("hello", encoding="utf-8")
    with pytest.raises(PublishError) as caught:
        detect_format(tmp_path)
    assert caught.value.code == "unknown-format"


def test_a_missing_path() -> None:
    with pytest.raises(PublishError) as caught:
        run_import(OTHER / "nowhere.xml")
    assert caught.value.code == "no-content"


def test_a_text_page_that_is_not_utf8(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_bytes("July 1, 2020\n\nCaf\xe9\n".encode("latin-1"))
    with pytest.raises(PublishError) as caught:
        run_import(page)
    assert caught.value.code == "not-utf8" and caught.value.line == 3


def test_bad_staticman_yaml_names_the_file(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_posts" / "2020-01-01-hello.md").write_text("---\ntitle: Hi\n---\nHi.\n", "utf-8")
    comments = site / "_data" / "comments" / "hello"
    comments.mkdir(parents=True)
    bad = comments / "comment-1.yml"
    bad.write_text("name: A\nmessage: [unclosed\n", encoding="utf-8")
    with pytest.raises(PublishError) as caught:
        run_import(site)
    assert (caught.value.code, caught.value.file) == ("bad-yaml", bad)
    assert caught.value.line is not None


def test_yaml_aliases_are_read_but_a_billion_laughs_is_refused(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    post = site / "_posts" / "2020-01-01-hello.md"
    post.write_text("---\ntitle: Hi\nimage: {path: &i /x.png, feature: *i}\n---\nHi.\n", "utf-8")
    comments = site / "_data" / "comments" / "hello"
    comments.mkdir(parents=True)
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for n in range(1, 9):
        refs = ", ".join([f"*{chr(96 + n)}"] * 9)
        lines.append(f"{chr(97 + n)}: &{chr(97 + n)} [{refs}]")
    bomb = comments / "comment-1.yml"
    bomb.write_text("\n".join([*lines, "name: Bomb", "message: *i"]) + "\n", "utf-8")
    with pytest.raises(PublishError) as caught:
        run_import(site)
    assert (caught.value.code, caught.value.file) == ("bad-yaml", bomb)
    assert "too large" in caught.value.message
    bomb.unlink()
    assert run_import(site).book.posts[0].title == "Hi"
