"""`publish check`: every rule on one content folder made to break them, codes, lines, exit status."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from publish import Diagnostics, load_book
from publish.assembly import assemble
from publish.check import CODES, Finding, check_book
from publish.check.glyphs import book_face_cmap, missing
from publish.check.media import inches
from publish.cli import cli
from publish.render.chapters import ChapterRenderer
from publish.writers.print_links import PrintTarget

from helpers import REPO, make_book, write

TOML = 'title = "Lint Me"\nauthor = "A. Tester"\nlanguage = "en"\n'


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("check") / "content"
    make_book(
        root,
        {
            "2020-01-01-hello/index.md": (
                "---\ntitle: Hello\n---\n"  # lines 1-3
                "First line.\n\n"  # 4
                "![](small.png)\n\n"  # 6: no alt, too small for print
                "See [the draft](../2020-01-05-draft.md) and [a ghost](../2020-02-30-ghost/).\n\n"  # 8
                "A smile 😀 and a sign 漢.\n\n"  # 10
                "![A wide photo](wide.png)\n\n"  # 12: wide enough at the text block
                "Inline ![an icon](small.png) here.\n\n"  # 14: inline, 96 dpi
                "![Missing](nothere.png) ![Remote](https://example.com/x.png)\n"  # 16
            ),
            "2020-01-02-empty.md": "---\ntitle: Empty\n---\n\n",
            "2020-01-03-hello-again.md": "---\ntitle: hello\n---\nAgain, [hello](2020-01-01-hello/).\n",
            "2020-01-05-draft.md": "---\ntitle: Draft\ndraft: true\n---\nNot yet.\n",
            "2020-01-06-talk/index.md": "---\ntitle: Talk\n---\nTalk to me.\n",
            "2020-01-06-talk/comments/1.md": "---\nauthor: Ann\ndate: 2020-01-07\n---\nHi.\n",
            "2020-01-06-talk/comments/2.md": "---\nauthor: Bob\ndate: 2020-01-08\n---\n\n",
            "2020-01-06-talk/comments/3.md": (
                "---\nauthor: Cy\ndate: 2020-01-09\nreply_to: nope\n---\nTo whom?\n"
            ),
            "2020-01-06-talk/comments/4.md": (
                "---\nauthor: Di\ndate: 2020-01-09\nreply_to: '1'\n---\nFine.\n"
            ),
        },
        TOML,
    )
    hello = root / "posts" / "2020-01-01-hello"
    Image.new("RGB", (300, 200), "white").save(hello / "small.png")
    Image.new("RGB", (1600, 900), "white").save(hello / "wide.png")
    return root


@pytest.fixture(scope="module")
def findings(broken: Path) -> list[Finding]:
    return check_book(broken)


def _at(findings: list[Finding], code: str) -> list[tuple[str, int | None]]:
    return [(f.file.name if f.file else "", f.line) for f in findings if f.code == code]


def test_every_code_is_documented_and_every_finding_has_a_known_severity(
    findings: list[Finding],
) -> None:
    for finding in findings:
        assert finding.severity in ("error", "warning")
        if finding.code in CODES:
            assert finding.severity == CODES[finding.code][0]
    # matter-title needs front or back matter (test_a_post_titled_like_a_page_of_matter),
    # part-title parts (test_a_post_titled_like_a_part)
    assert {f.code for f in findings} == set(CODES) - {
        "image-outside",
        "matter-title",
        "part-title",
    }


def test_missing_alt_text(findings: list[Finding]) -> None:
    assert _at(findings, "missing-alt") == [("index.md", 6)]


def test_links_to_posts_not_in_the_book(findings: list[Finding]) -> None:
    dead = [f for f in findings if f.code == "dead-link"]
    assert [(f.file.name if f.file else None, f.line) for f in dead] == [
        ("index.md", 8), ("index.md", 8),
    ]  # fmt: skip
    assert "the draft 'Draft', left out of the book" in dead[0].message
    assert "not a post of this book" in dead[1].message
    assert all(f.is_error for f in dead)


def test_empty_post_and_empty_comment(findings: list[Finding]) -> None:
    assert _at(findings, "empty-post") == [("2020-01-02-empty.md", 4)]
    assert _at(findings, "empty-comment") == [("2.md", 5)]


def test_duplicate_titles_ignore_case(findings: list[Finding]) -> None:
    [dup] = [f for f in findings if f.code == "duplicate-title"]
    assert dup.file is not None and dup.file.name == "2020-01-03-hello-again.md"
    assert dup.line == 2 and "2020-01-01-hello" in dup.message


def test_a_post_titled_like_a_page_of_matter(tmp_path: Path) -> None:
    """A post "Foreword" beside front/02-foreword.md is no duplicate post title (matter pages
    are not posts) but its own warning, on the post's title line, naming the page; a
    dedication's title is printed nowhere and clashes with nothing."""
    root = make_book(
        tmp_path / "c",
        {
            "2020-01-01-foreword.md": "---\ntitle: Foreword\n---\nA post about forewords.\n",
            "2020-01-02-dedication.md": "---\ntitle: Dedication\n---\nA post.\n",
            "2020-01-03-notes.md": "---\ndate: 2020-01-03\ntitle: notes.\n---\nA post.\n",
            "2020-01-04-hello.md": "---\ntitle: Hello\n---\nOnce.\n",
            "2020-01-05-hello.md": "---\ntitle: Hello\n---\nTwice.\n",
        },
        TOML,
    )
    write(root / "front" / "01-dedication.md", "---\ntitle: Dedication\n---\nFor Ann.\n")
    write(root / "front" / "02-foreword.md", "---\ntitle: Foreword\n---\nA word first.\n")
    write(root / "back" / "notes.md", "---\ntitle: Notes\n---\nAt the end.\n")
    write(root / "back" / "more.md", "---\ntitle: More\n---\nMore.\n")
    write(root / "back" / "zz-more.md", "---\ntitle: More\n---\nStill more.\n")
    found = [f for f in check_book(root) if f.code in ("duplicate-title", "matter-title")]
    assert [(f.file.name if f.file else "", f.line, f.code) for f in found] == [
        ("zz-more.md", 2, "matter-title"),
        ("2020-01-01-foreword.md", 2, "matter-title"),
        ("2020-01-03-notes.md", 3, "matter-title"),  # in the back matter, after the post
        ("2020-01-05-hello.md", 2, "duplicate-title"),
    ]
    assert found[0].message.startswith("back matter page 'More' has the title of the back")
    assert found[1].message == (
        f"post 'Foreword' has the title of the foreword {root / 'front' / '02-foreword.md'}: "
        "the contents list both under one name"
    )
    assert "the back matter page" in found[2].message and not found[1].is_error


def test_a_post_titled_like_a_part(tmp_path: Path) -> None:
    """With parts by year, a post "2015" beside the part 2015 is its own warning, on the
    post's title line, as is a page of matter the contents list; a dedication's title is
    printed nowhere, a year with no part clashes with nothing, and without parts no title
    is a part's."""
    posts = {
        "2015-03-01-spring.md": "---\ntitle: Spring\n---\nA post.\n",
        "2015-12-31-year.md": "---\ndate: 2015-12-31\ntitle: '2015'\n---\nThe year.\n",
        "2016-01-01-next.md": "---\ntitle: '2016.'\n---\nAnd the next.\n",
        "2016-06-01-later.md": "---\ntitle: '2017'\n---\nNo part of that year.\n",
    }
    toml = TOML + 'parts = "year"\n'
    root = make_book(tmp_path / "c", posts, toml)
    write(root / "front" / "01-dedication.md", "---\ntitle: '2015'\n---\nFor Ann.\n")
    write(root / "back" / "sources.md", "---\ntitle: '2016'\n---\nWhere from.\n")
    found = [f for f in check_book(root) if f.code == "part-title"]
    assert [(f.file.name if f.file else "", f.line) for f in found] == [
        ("sources.md", 2),
        ("2015-12-31-year.md", 3),
        ("2016-01-01-next.md", 2),
    ]
    assert found[0].message.startswith("back matter page '2016' has the title of the part 2016")
    assert found[1].message == (
        "post '2015' has the title of the part 2015: the contents list both under one name"
    )
    assert not any(f.is_error for f in found)
    (root / "book.toml").write_text(TOML, "utf-8")
    assert [f for f in check_book(root) if f.code == "part-title"] == []


def test_images_for_print(findings: list[Finding]) -> None:
    low = [f for f in findings if f.code == "low-resolution-image"]
    # 300 px alone in its paragraph, scaled to the 4.825 in text block (6 in less the
    # least gutter, 0.375 in, and the 0.8 in outside margin): 62 dpi; the same image
    # inline keeps its natural size, 96 dpi. The 1600 px one is fine at 332 dpi.
    assert [(f.line, f.message.split(": ")[1].split(" printed")[0]) for f in low] == [
        (6, "62 dpi"), (14, "96 dpi"),
    ]  # fmt: skip
    assert "300 dpi needs 1448 px" in low[0].message
    assert _at(findings, "missing-image") == [("index.md", 16)]
    assert _at(findings, "remote-image") == [("index.md", 16)]


def test_a_reply_whose_parent_is_missing(findings: list[Finding]) -> None:
    [orphan] = [f for f in findings if f.code == "bad-reply-to"]
    assert orphan.file is not None and orphan.file.name == "3.md" and orphan.line == 4
    assert "'nope'" in orphan.message and orphan.is_error


def test_characters_the_book_face_cannot_draw(findings: list[Finding]) -> None:
    glyphs = [f for f in findings if f.code == "missing-glyph"]
    assert [(f.line, f.message[:18]) for f in glyphs] == [
        (10, "'😀' (U+1F600 GRINN"), (10, "'漢' (U+6F22 CJK UN"),
    ]  # fmt: skip
    cmap = book_face_cmap()
    assert missing("“Curly” – dashes… ’90s ⁂ é ß œ ﬁ\u00a0\u202f", cmap) == []
    assert missing("a\u200db\ufe0f", cmap) == []  # joiners and selectors are never drawn


def test_findings_are_lines_with_file_line_severity_code(findings: list[Finding]) -> None:
    text = str(next(f for f in findings if f.code == "missing-alt"))
    assert text.endswith(
        "posts/2020-01-01-hello/index.md:6: warning: image 'small.png' has no alt text:"
        " describe it for those who cannot see it [missing-alt]"
    )
    files = [str(f.file) for f in findings]
    assert files == sorted(files)


def test_the_default_book_has_no_errors() -> None:
    found = check_book(REPO / "content")
    assert [f for f in found if f.is_error] == []
    assert {f.code for f in found} <= {"low-resolution-image"}


def test_a_loaded_book_can_be_checked_too(broken: Path) -> None:
    with pytest.raises(Exception, match="reply_to"):
        load_book(broken)
    (broken / "posts" / "2020-01-06-talk" / "comments" / "3.md").rename(broken / "orphan.bak")
    try:
        book = load_book(broken, Diagnostics())
        codes = {f.code for f in check_book(book)}
    finally:
        (broken / "orphan.bak").rename(broken / "posts" / "2020-01-06-talk" / "comments" / "3.md")
    assert "bad-reply-to" not in codes and {"missing-alt", "dead-link", "missing-glyph"} <= codes


def test_unreadable_posts_and_loader_warnings_are_findings(tmp_path: Path) -> None:
    root = make_book(
        tmp_path / "c",
        {
            "2020-01-01-ok.md": "---\ntitle: OK\ncolour: red\n---\nFine.\n",
            "2020-01-02-bad.md": "---\ntitle: Bad\ndate: yesterday\n---\nText.\n",
        },
    )
    write(root / "posts" / "notes.txt", "stray")
    found = check_book(root)
    assert [(f.code, f.severity, f.line) for f in found] == [
        ("unknown-key", "warning", 3),
        ("bad-date", "error", 3),
        ("stray-file", "warning", None),
    ]


def test_the_command_exit_status(broken: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["check", str(broken)])
    assert result.exit_code == 1
    assert "[dead-link]" in result.stdout and "[missing-alt]" in result.stdout
    root = make_book(tmp_path / "c", {"2020-01-01-a.md": "---\ntitle: A\n---\nA smile 😀.\n"})
    result = runner.invoke(cli, ["check", str(root)])
    assert result.exit_code == 0 and "[missing-glyph]" in result.stdout
    assert "0 errors, 1 warning" in result.stderr
    assert runner.invoke(cli, ["check", "--strict", str(root)]).exit_code == 1
    assert runner.invoke(cli, ["--strict", "check", str(root)]).exit_code == 1
    clean = make_book(tmp_path / "d", {"2020-01-01-a.md": "---\ntitle: A\n---\nAll good.\n"})
    result = runner.invoke(cli, ["--strict", "check", str(clean)])
    assert result.exit_code == 0 and result.stdout == ""


@pytest.fixture(scope="module")
def with_matter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A clean post, and front and back matter made to break the rules on bodies."""
    root = tmp_path_factory.mktemp("check-matter") / "content"
    posts = {
        "2020-01-01-hello.md": "---\ntitle: Hello\n---\nAll good.\n",
        "2020-01-05-draft.md": "---\ntitle: Draft\ndraft: true\n---\nNot yet.\n",
    }
    make_book(root, posts, TOML)
    matter = {
        "front/01-dedication.md": "---\ntitle: Dedication\n---\nFor Ann, 😀.\n",  # 4: glyph
        "front/02-foreword.md": (
            "---\ntitle: Foreword\n---\n"  # lines 1-3
            "A word first.\n\n"  # 4
            "![](small.png)\n\n"  # 6: no alt, too small for print (beside the file)
            "See [the post](../posts/2020-01-01-hello.md) and [a ghost](../posts/ghost.md).\n\n"  # 8
            "![Gone](gone.png) ![Far](https://example.com/far.png)\n"  # 10
        ),
        "back/01-afterword.md": "---\ntitle: Afterword\n---\n\n",  # 4: empty
        "back/02-appendix.md": (
            "---\ntitle: Sources\ncolour: red\n---\n"  # 3: unknown key
            "See [the foreword](../front/02-foreword.md) and [a draft](../posts/2020-01-05-draft.md).\n"
        ),  # 5: the link to the foreword is to a page of the book; the draft is not in it
        "back/03-notes.md": "---\ntitle: Notes\ntype: poem\n---\nVerse.\n",  # 3: bad type
    }
    for name, text in matter.items():
        write(root / name, text)
    Image.new("RGB", (300, 200), "white").save(root / "front" / "small.png")
    return root


def test_front_and_back_matter_are_checked_like_posts(with_matter: Path) -> None:
    found = check_book(with_matter)
    at = [(f.file.parent.name, f.file.name, f.line, f.code) for f in found if f.file]
    assert at == [
        ("back", "01-afterword.md", 4, "empty-post"),
        ("back", "02-appendix.md", 3, "unknown-key"),
        ("back", "02-appendix.md", 5, "dead-link"),
        ("back", "03-notes.md", 3, "bad-value"),
        ("front", "01-dedication.md", 4, "missing-glyph"),
        ("front", "02-foreword.md", 6, "missing-alt"),
        ("front", "02-foreword.md", 6, "low-resolution-image"),
        ("front", "02-foreword.md", 8, "dead-link"),
        ("front", "02-foreword.md", 10, "missing-image"),
        ("front", "02-foreword.md", 10, "remote-image"),
    ]
    messages = {(f.file.name, f.code): f.message for f in found if f.file}
    assert messages[("01-afterword.md", "empty-post")] == "afterword 'Afterword' has no text"
    assert "'../posts/ghost.md' goes nowhere" in messages[("02-foreword.md", "dead-link")]
    assert "the draft 'Draft'" in messages[("02-appendix.md", "dead-link")]
    assert "62 dpi" in messages[("02-foreword.md", "low-resolution-image")]
    assert "U+1F600" in messages[("01-dedication.md", "missing-glyph")]
    assert found[3].is_error and "'type' must be one of" in found[3].message


def test_an_empty_page_of_matter_is_named_for_what_it_is(tmp_path: Path) -> None:
    """A page of no particular kind is a front or back matter page, a foreword a foreword,
    never a "post" (nor a bare "front"), in the lint and in the build's warning alike."""
    root = make_book(tmp_path / "c", {"2020-01-01-a.md": "---\ntitle: A\n---\nText.\n"})
    write(root / "front" / "01-dedication.md", "---\ntitle: For\n---\n\n")
    write(root / "front" / "02-thanks.md", "---\ntitle: Thanks\n---\n\n")
    write(root / "back" / "afterword.md", "---\ntitle: After\n---\n\n")
    write(root / "back" / "sources.md", "---\ntitle: Sources\n---\n\n")
    expected = {
        "01-dedication.md": "dedication 'For' has no text",
        "02-thanks.md": "front matter page 'Thanks' has no text",
        "afterword.md": "afterword 'After' has no text",
        "sources.md": "back matter page 'Sources' has no text",
    }
    found = [f for f in check_book(root) if f.code == "empty-post"]
    assert {f.file.name: f.message for f in found if f.file} == expected
    diagnostics = Diagnostics()
    plan = assemble(load_book(root))
    renderer = ChapterRenderer(plan, PrintTarget(), diagnostics)
    for chapter in plan.opening + plan.chapters:
        renderer.render(chapter)
    warned = {w.file.name: w.message for w in diagnostics.warnings if w.file}
    assert warned == expected


def test_matter_is_checked_in_a_loaded_book_and_by_the_command(with_matter: Path) -> None:
    (with_matter / "back" / "03-notes.md").rename(with_matter / "notes.bak")
    try:
        book = load_book(with_matter, Diagnostics())
        codes = {(f.file.name if f.file else "", f.code) for f in check_book(book)}
    finally:
        (with_matter / "notes.bak").rename(with_matter / "back" / "03-notes.md")
    assert {("01-dedication.md", "missing-glyph"), ("02-foreword.md", "dead-link")} <= codes
    result = CliRunner().invoke(cli, ["check", str(with_matter)])
    assert result.exit_code == 1
    assert (
        f"{with_matter / 'front' / '02-foreword.md'}:6: warning: image 'small.png' has no alt"
        in result.stdout
    )
    assert "4 errors, 6 warnings" in result.stderr


def test_lengths() -> None:
    assert inches("6in") == 6 and inches("25.4mm") == 1 and inches("72pt") == 1
    assert inches("wide") is None
