"""Bad input: one line naming the file (and line), exit status 1, and no output file."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from publish import PublishError, load_book
from publish.cli import cli
from publish.writers.epub import write_epub

from helpers import make_book, write

GOOD = "---\ntitle: Good\ndate: 2020-01-01\n---\nText.\n"


def _fails(root: Path, tmp_path: Path) -> tuple[str, Path]:
    """Run `publish epub` and `publish pdf`; both must fail cleanly. Return the message."""
    messages = []
    for kind in ("epub", "pdf"):
        out = tmp_path / "out" / f"book.{kind}"
        result = CliRunner().invoke(cli, [kind, str(root), "-o", str(out)])
        assert result.exit_code == 1, result.output
        assert "Traceback" not in result.output
        assert not out.exists()
        assert not list(out.parent.glob("*")) if out.parent.exists() else True
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1, result.output
        messages.append(lines[0])
    assert messages[0] == messages[1]
    return messages[0], root


CASES = {
    "missing title": ({"p.md": "---\ndate: 2020-01-01\n---\nx"}, "p.md:1:", "missing-key"),
    "bad date": ({"p.md": "---\ntitle: T\ndate: yesterday\n---\nx"}, "p.md:3:", "bad-date"),
    "broken yaml": (
        {"p.md": "---\ntitle: [unclosed\ndate: 2020-01-01\n---\nx"},
        "p.md:",
        "bad-front-matter",
    ),
    "unclosed front matter": ({"p.md": "---\ntitle: T\n"}, "p.md:1:", "bad-front-matter"),
    "reply_to names nobody": (
        {
            "p/index.md": GOOD,
            "p/comments/0001.md": "---\nauthor: A\ndate: 2020-01-02\nreply_to: ghost\n---\nHi",
        },
        "0001.md:4:",
        "bad-reply-to",
    ),
    "comment without author": (
        {"p/index.md": GOOD, "p/comments/0001.md": "---\ndate: 2020-01-02\n---\nHi"},
        "0001.md",
        "missing-key",
    ),
    "missing image": (
        {"p/index.md": GOOD + "\nSee this:\n\n![a photo](nothere.jpg)\n"},
        "index.md:9:",
        "missing-image",
    ),
    "image outside the content folder": (
        {"p/index.md": GOOD + "\n![secret](../../../../../../etc/hostname)\n"},
        "index.md:7:",
        "image-outside",
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_bad_post_or_comment(case: str, tmp_path: Path) -> None:
    posts, where, code = CASES[case]
    root = make_book(tmp_path / "content", posts)
    message, _ = _fails(root, tmp_path)
    assert where in message
    assert f"[{code}]" in message


def test_not_utf8_names_file_and_line(tmp_path: Path) -> None:
    root = make_book(tmp_path / "content", {})
    (root / "posts").mkdir()
    (root / "posts" / "p.md").write_bytes(b"---\ntitle: T\ndate: 2020-01-01\n---\ncaf\xe9\n")
    message, _ = _fails(root, tmp_path)
    assert "p.md:5:" in message and "[not-utf8]" in message


def test_unknown_book_toml_key(tmp_path: Path) -> None:
    toml = 'title = "T"\nauthor = "A"\nlanguage = "en"\ncolour = "blue"\n'
    root = make_book(tmp_path / "content", {"p.md": GOOD}, toml)
    message, _ = _fails(root, tmp_path)
    assert "book.toml:4:" in message and "'colour'" in message and "[unknown-key]" in message


def test_unknown_pdf_key(tmp_path: Path) -> None:
    toml = 'title = "T"\nauthor = "A"\nlanguage = "en"\n[pdf]\npaper = "A4"\n'
    message, _ = _fails(make_book(tmp_path / "content", {"p.md": GOOD}, toml), tmp_path)
    assert "book.toml:5:" in message and "'pdf.paper'" in message


def test_missing_required_book_key(tmp_path: Path) -> None:
    message, _ = _fails(
        make_book(tmp_path / "c", {"p.md": GOOD}, 'title = "T"\nauthor = "A"\n'), tmp_path
    )
    assert "'language' is required" in message


def test_empty_content_folder(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    message, _ = _fails(tmp_path / "empty", tmp_path)
    assert "empty" in message


def test_content_folder_without_posts(tmp_path: Path) -> None:
    root = make_book(tmp_path / "content", {})
    message, _ = _fails(root, tmp_path)
    assert "[no-posts]" in message


def test_missing_content_folder(tmp_path: Path) -> None:
    message, _ = _fails(tmp_path / "nowhere", tmp_path)
    assert "nowhere" in message


def test_failed_build_keeps_the_previous_book(tmp_path: Path) -> None:
    root = make_book(tmp_path / "content", {"p.md": GOOD})
    out = tmp_path / "book.epub"
    write_epub(load_book(root), out)
    before = out.read_bytes()
    write(root / "posts" / "q.md", "---\ntitle: Q\ndate: 2020-01-02\n---\n![x](gone.png)\n")
    with pytest.raises(PublishError):
        write_epub(load_book(root), out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["book.epub", "content"]


def test_error_carries_code_file_and_line(tmp_path: Path) -> None:
    root = make_book(tmp_path, {"p.md": "---\ntitle: T\ndate: 2020-13-45\n---\nx"})
    with pytest.raises(PublishError) as caught:
        load_book(root)
    error = caught.value
    assert (error.code, error.file, error.line) == ("bad-date", root / "posts" / "p.md", 3)
    assert str(error).startswith(f"{root / 'posts' / 'p.md'}:3: error: bad date")


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    root = make_book(
        tmp_path / "content", {"p.md": "---\ntitle: T\ndate: 2020-01-01\nmood: happy\n---\nx"}
    )
    ok = CliRunner().invoke(cli, ["epub", str(root), "-o", str(tmp_path / "a.epub")])
    assert ok.exit_code == 0 and "unknown front matter key 'mood'" in ok.output
    strict = CliRunner().invoke(
        cli, ["--strict", "epub", str(root), "-o", str(tmp_path / "b.epub")]
    )
    assert strict.exit_code == 1 and not (tmp_path / "b.epub").exists()


def test_usage_errors_exit_2() -> None:
    assert CliRunner().invoke(cli, ["frobnicate"]).exit_code == 2
