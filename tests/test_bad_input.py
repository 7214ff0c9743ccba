"""Bad input: one line naming the file (and line), exit status 1, and no output file."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from publish import Diagnostics, PublishError, load_book, write_pdf
from publish.cli import cli
from publish.limits import MAX_FILE_BYTES, MAX_THREAD_DEPTH
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
    "front matter with YAML aliases (a billion laughs)": (
        {
            "p.md": "---\ntitle: T\ndate: 2020-01-01\na: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\ntags: *c\n---\nx"
        },
        "p.md:5:",
        "bad-front-matter",
    ),
    "front matter nested a thousand deep": (
        {"p.md": "---\ntitle: T\ndate: 2020-01-01\ntags: " + "[" * 5000 + "]" * 5000 + "\n---\nx"},
        "p.md:",
        "bad-front-matter",
    ),
    "a control character in front matter": (
        {"p.md": "---\ntitle: T\x01\ndate: 2020-01-01\n---\nx"},
        "p.md:2:",
        "bad-front-matter",
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
    toml = 'title = "T"\nauthor = "A"\nlanguage = "en"\n[pdf]\npaper_size = "A4"\n'
    message, _ = _fails(make_book(tmp_path / "content", {"p.md": GOOD}, toml), tmp_path)
    assert "book.toml:5:" in message and "'pdf.paper_size'" in message


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


# --- limits: one line past each, naming the file ------------------------------------------


def test_a_comment_of_five_megabytes_is_refused(tmp_path: Path) -> None:
    paragraph = "A comment that goes on and on, written to fill a book on its own. " * 20
    huge = "\n\n".join([paragraph] * (5_000_000 // len(paragraph) + 1))
    root = make_book(
        tmp_path / "content",
        {
            "p/index.md": GOOD,
            "p/comments/0001.md": f"---\nauthor: A\ndate: 2020-01-02\n---\n{huge}",
        },
    )
    message, _ = _fails(root, tmp_path)
    assert "0001.md" in message and "[too-large]" in message and "1,000,000" in message


def test_a_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    root = make_book(tmp_path / "content", {"p.md": GOOD})
    with (root / "posts" / "p.md").open("r+b") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk
    message, _ = _fails(root, tmp_path)
    assert "p.md" in message and "[too-large]" in message


def _thread(depth: int) -> dict[str, str]:
    posts = {"p/index.md": GOOD}
    for n in range(depth + 1):
        reply = f'reply_to: "c{n - 1:04d}"\n' if n else ""
        posts[f"p/comments/c{n:04d}.md"] = (
            f"---\nauthor: A{n}\ndate: 2020-01-02 {n // 60 % 24:02d}:{n % 60:02d}\n{reply}---\nHi"
        )
    return posts


def test_a_thread_deeper_than_the_limit_is_refused(tmp_path: Path) -> None:
    assert load_book(make_book(tmp_path / "ok", _thread(MAX_THREAD_DEPTH))).posts
    message, _ = _fails(make_book(tmp_path / "deep", _thread(MAX_THREAD_DEPTH + 1)), tmp_path)
    assert f"c{MAX_THREAD_DEPTH + 1:04d}.md" in message and "[thread-too-deep]" in message


def test_book_toml_nested_too_deeply(tmp_path: Path) -> None:
    toml = 'title = "T"\nauthor = "A"\nlanguage = "en"\nx = ' + "[" * 3000 + "]" * 3000 + "\n"
    message, _ = _fails(make_book(tmp_path / "content", {"p.md": GOOD}, toml), tmp_path)
    assert "book.toml" in message and "[bad-toml]" in message


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_pipe_or_device_posing_as_a_post_is_refused_without_hanging(
    kind: str, tmp_path: Path
) -> None:
    root = make_book(tmp_path / "content", {"a/index.md": GOOD, "a/comments/0001.md": GOOD})
    if kind == "fifo":
        (root / "posts" / "a" / "comments" / "0001.md").unlink()
        os.mkfifo(root / "posts" / "a" / "comments" / "0001.md")
        source = root
    else:
        source = Path("/dev/zero")  # as an export: read forever, were it read
    # In a child process, so that a regression hangs one test for a minute, not the suite.
    result = subprocess.run(
        [str(Path(sys.executable).parent / "publish"), "epub", str(source), "-o",
         str(tmp_path / "b.epub")],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert "[not-a-file]" in result.stderr and len(result.stderr.splitlines()) == 1


# --- the command line: one line a problem, a traceback only with --debug ------------------


def test_an_internal_error_is_one_line_unless_debug(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import publish.writers.epub as epub_writer

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug\nover two lines")

    monkeypatch.setattr(epub_writer, "write_epub", broken)
    root = make_book(tmp_path / "content", {"p.md": GOOD})
    result = CliRunner().invoke(cli, ["epub", str(root), "-o", str(tmp_path / "b.epub")])
    assert result.exit_code == 1 and "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "internal error" in lines[0] and "--debug" in lines[0]
    debug = CliRunner().invoke(cli, ["--debug", "epub", str(root), "-o", str(tmp_path / "b.epub")])
    assert isinstance(debug.exception, RuntimeError)


def test_ctrl_c_is_one_line_and_exit_130(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import publish.writers.epub as epub_writer

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(epub_writer, "write_epub", interrupted)
    root = make_book(tmp_path / "content", {"p.md": GOOD})
    result = CliRunner().invoke(cli, ["epub", str(root), "-o", str(tmp_path / "b.epub")])
    assert result.exit_code == 130
    assert result.output.strip() == "interrupted; nothing was written"
    assert not (tmp_path / "b.epub").exists()


@pytest.mark.parametrize(
    "args",
    [["epub", "--no-such-option"], ["pdf", "a", "b", "c"], [], ["--strict"], ["epub", "-o"]],
)
def test_bad_usage_exits_2_without_a_traceback(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code in (0, 2) if not args or args == ["--strict"] else result.exit_code == 2
    assert "Traceback" not in result.output


def test_an_image_that_cannot_be_read_is_named_where_it_is(tmp_path: Path) -> None:
    """WeasyPrint is given the book's files under a URL that does not name the folder
    (the PDF must not depend on it); its warning about a picture it cannot read names the
    file where it is, in both builds."""
    root = make_book(tmp_path / "book", {"p/index.md": GOOD + "\\n![A picture](broken.png)\\n"})
    (root / "posts" / "p" / "broken.png").write_bytes(b"not a picture at all")
    for single in (False, True):
        diagnostics = Diagnostics()
        book = load_book(root, diagnostics)
        write_pdf(book, tmp_path / "b.pdf", diagnostics, single_document=single)
        said = [w.message for w in diagnostics.warnings if w.code == "pdf-layout"]
        assert any((root / "posts" / "p" / "broken.png").resolve().as_uri() in m for m in said)
        assert not any(".publish-book" in m for m in said), said
