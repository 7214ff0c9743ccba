"""No network and no file outside the book, ever: the PDF's URL fetcher, the book's own
stylesheets, symbolic links, ``..`` escapes, and XML exports with entities (XXE, billion
laughs, external DTDs, XInclude). A loopback listener that the hostile input points at must
see no connection; a secret outside the book must appear in no output and no message.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from hostile.support import CANARY, EXPORTS, Listener, instantiate, make_outside, pdf_text

from publish import Diagnostics, PublishError, load_book, write_epub, write_pdf
from publish.cli import cli
from publish.writers.fetch import BOOK_URL, LocalOnlyFetcher, file_url

from helpers import make_book, write

pytestmark = pytest.mark.xdist_group("hostile")
POST = "---\ntitle: A post\ndate: 2020-01-01\n---\nQZ01 The text.\n"


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    with Listener(lifetime=600) as listening:
        yield listening
        assert listening.connections == [], "something connected to the loopback listener"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    return make_outside(tmp_path / "outside")


def _cli_fails(args: list[str], code: str) -> str:
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.output, result.output
    assert f"[{code}]" in lines[0], lines[0]
    assert CANARY not in result.output
    return lines[0]


# --- the PDF's URL fetcher ---------------------------------------------------------------


def test_the_fetcher_serves_files_of_the_book_only(
    tmp_path: Path, outside: Path, listener: Listener
) -> None:
    book = make_book(tmp_path / "book", {"p.md": POST})
    write(book / "styles" / "ok.css", "p {}")
    (book / "styles" / "out.css").symlink_to(outside / "secret.css")
    (book / "posts" / "linked-folder").symlink_to(outside, target_is_directory=True)
    fetcher = LocalOnlyFetcher([book])
    assert fetcher.fetch((book / "styles" / "ok.css").as_uri()).read() == b"p {}"
    port = listener.port
    refused = [
        f"http://127.0.0.1:{port}/x.css",
        f"https://127.0.0.1:{port}/x.css",
        f"ftp://127.0.0.1:{port}/x.css",
        f"//127.0.0.1:{port}/x.css",
        "data:text/css,p{}",
        (outside / "secret.css").as_uri(),
        f"file://localhost{outside}/secret.css",
        f"file://127.0.0.1{outside}/secret.css",
        (book / "styles").as_uri() + "/../../outside/secret.css",
        (book / "styles").as_uri() + "/%2e%2e/%2e%2e/outside/secret.css",
        (book / "styles" / "out.css").as_uri(),
        (book / "posts" / "linked-folder" / "secret.css").as_uri(),
        (book / "styles").as_uri(),  # a folder
        "file:///etc/passwd",
        "file:///dev/zero",
    ]
    for url in refused:
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    assert fetcher.refused == refused
    assert listener.connections == []


def test_the_book_url_stands_for_the_content_folder_and_nothing_beyond(
    tmp_path: Path, outside: Path
) -> None:
    """BOOK_URL names the content folder's files without saying where it is; ``..``
    (plain or escaped) and symbolic links still cannot lead out of it."""
    book = make_book(tmp_path / "book", {"p.md": POST})
    write(book / "styles" / "ok.css", "p {}")
    (book / "posts" / "linked-folder").symlink_to(outside, target_is_directory=True)
    fetcher = LocalOnlyFetcher([book], book)
    url = file_url((book / "styles" / "ok.css").resolve(), book.resolve())
    assert url == BOOK_URL + "styles/ok.css"
    response = fetcher.fetch(url)
    assert response.read() == b"p {}" and response.url == url  # relative ones stay under it
    refused = [
        BOOK_URL + "../outside/secret.css",
        BOOK_URL + "%2e%2e/outside/secret.css",
        BOOK_URL + "styles/../../outside/secret.css",
        BOOK_URL + "posts/linked-folder/secret.css",
        BOOK_URL + "styles",  # a folder
    ]
    for url in refused:
        with pytest.raises(ValueError, match="refused"):
            fetcher.fetch(url)
    with pytest.raises(ValueError, match="refused"):  # without a book, no such folder
        LocalOnlyFetcher([book]).fetch(BOOK_URL + "styles/ok.css")


def test_the_books_own_stylesheets_fetch_nothing_and_read_nothing_outside(
    tmp_path: Path, outside: Path, listener: Listener
) -> None:
    root = make_book(tmp_path / "book", {"2020-01-01-a.md": POST})
    port, secret = listener.port, outside
    write(root / "styles" / "extra.css", (
        f'@import url("http://127.0.0.1:{port}/import.css");\n'
        f'@import "file://{secret}/secret.css";\n'
        '@import "../../outside/secret.css";\n'
        f"@font-face {{ font-family: X; src: url(http://127.0.0.1:{port}/font.woff) }}\n"
        f"body {{ font-family: X; background: url(http://127.0.0.1:{port}/bg.png) }}\n"
        f"p {{ background-image: url(file://{secret}/secret.png) }}\n"
        "h1 { background-image: url(../../outside/secret.png) }\n"
    ))  # fmt: skip
    diagnostics = Diagnostics()
    pdf = write_pdf(load_book(root, diagnostics), tmp_path / "b.pdf", diagnostics)
    text = pdf_text(pdf.path)
    assert "QZ01" in text and CANARY not in text  # secret.css would print the canary
    assert CANARY.encode() not in pdf.path.read_bytes()
    refused = " ".join(w.message for w in diagnostics.warnings if w.code == "pdf-layout")
    assert f"127.0.0.1:{port}/import.css" in refused and "secret.png" in refused
    assert listener.connections == []


# --- symbolic links and escapes ----------------------------------------------------------


@pytest.mark.parametrize(
    "link",
    ["posts/2020-01-02-b.md", "posts/2020-01-01-a/photo.png", "styles/extra.css",
     "templates/partials/chapter.html.j2", "posts/2020-01-01-a/comments"],
)  # fmt: skip
def test_a_symbolic_link_out_of_the_content_folder_is_refused(
    link: str, tmp_path: Path, outside: Path
) -> None:
    root = make_book(tmp_path / "book", {"2020-01-01-a/index.md": POST + "\n![p](photo.png)\n"})
    target = {
        ".md": outside / "secret.txt",
        ".png": outside / "secret.png",
        ".css": outside / "secret.css",
        ".j2": outside / "secret.txt",
        "": outside,
    }[Path(link).suffix]
    (root / link).parent.mkdir(parents=True, exist_ok=True)
    (root / link).symlink_to(target)
    if not link.endswith(".png"):
        shutil.copy(outside / "secret.png", root / "posts" / "2020-01-01-a" / "photo.png")
    for kind in ("epub", "pdf"):
        line = _cli_fails([kind, str(root), "-o", str(tmp_path / f"b.{kind}")], "link-outside")
        assert link in line
        assert not (tmp_path / f"b.{kind}").exists()


def test_a_symbolic_link_inside_the_content_folder_is_fine(tmp_path: Path) -> None:
    root = make_book(tmp_path / "book", {"2020-01-01-a.md": POST})
    (root / "posts" / "2020-01-02-b.md").symlink_to(root / "posts" / "2020-01-01-a.md")
    assert len(load_book(root).posts) == 2


@pytest.mark.parametrize(
    "src",
    ["../../outside/secret.png", "..%2f..%2foutside%2fsecret.png", "@OUTSIDE@/secret.png",
     "./../../outside/secret.png"],
)  # fmt: skip
def test_an_image_escaping_the_content_folder_is_refused(
    src: str, tmp_path: Path, outside: Path
) -> None:
    src = src.replace("@OUTSIDE@", str(outside))
    root = make_book(tmp_path / "book", {"2020-01-01-a.md": POST + f"\n![secret]({src})\n"})
    with pytest.raises(PublishError) as caught:
        write_epub(load_book(root), tmp_path / "b.epub")
    assert caught.value.code == "image-outside"
    assert not (tmp_path / "b.epub").exists()


# --- XML exports -------------------------------------------------------------------------


@pytest.fixture
def exports(tmp_path: Path, outside: Path, listener: Listener) -> Path:
    return instantiate(EXPORTS, tmp_path / "exports", listener.port, outside)


ENTITY_EXPORTS = [
    "blogger-xxe.atom",
    "blogger-parameter-entity.atom",
    "wordpress-billion-laughs.xml",
    "wordpress-xxe.xml",
    "disqus-xxe.xml",
    "feed-xxe.rss",
]


@pytest.mark.parametrize("name", ENTITY_EXPORTS)
def test_an_export_that_declares_entities_is_a_clear_error(
    name: str, exports: Path, tmp_path: Path, listener: Listener
) -> None:
    line = _cli_fails(["epub", str(exports / name), "-o", str(tmp_path / "b.epub")], "unsafe-xml")
    assert name in line and "DOCTYPE" in line
    assert not (tmp_path / "b.epub").exists()
    assert listener.connections == []


def test_entities_are_refused_in_any_encoding_and_any_size(
    exports: Path, tmp_path: Path, listener: Listener
) -> None:
    xxe = (exports / "blogger-xxe.atom").read_text("utf-8")
    variants = {
        "utf-8-bom.atom": b"\xef\xbb\xbf" + xxe.encode(),
        "utf-16.atom": xxe.replace("UTF-8", "UTF-16").encode("utf-16"),
        "utf-16le.atom": xxe.replace("UTF-8", "UTF-16").encode("utf-16-le"),
        "utf-32.atom": xxe.replace("UTF-8", "UTF-32").encode("utf-32"),
        "lower-case.atom": xxe.replace("<!DOCTYPE", "<!doctype").replace("<!ENTITY", "<!entity")
        .encode(),
        "quadratic.atom": xxe.replace(
            '<!ENTITY remote SYSTEM "', f'<!ENTITY big "{"x" * 50_000}"><!ENTITY unused "'
        ).replace("The secret: &secret;", "&big;" * 20_000).encode(),
    }  # fmt: skip
    for name, data in variants.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(PublishError) as caught:
            load_book(tmp_path / name, Diagnostics())
        assert caught.value.code in ("unsafe-xml", "not-utf8", "unknown-format"), name
        assert CANARY not in str(caught.value)
    assert listener.connections == []


@pytest.mark.parametrize("name", ["blogger-external-dtd.atom", "blogger-xinclude.atom"])
def test_an_external_dtd_or_xinclude_is_neither_fetched_nor_read(
    name: str, exports: Path, tmp_path: Path, listener: Listener
) -> None:
    diagnostics = Diagnostics()
    book = load_book(exports / name, diagnostics)
    assert CANARY not in repr(book)
    result = write_epub(book, tmp_path / "b.epub", diagnostics)
    assert CANARY.encode() not in result.path.read_bytes()
    assert "QZ9" in repr(book)  # the text around what was not expanded is kept
    assert listener.connections == []


def test_no_proxy_setting_makes_a_build_reach_out(
    tmp_path: Path, outside: Path, listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Point every proxy at the listener: a fetch that went anywhere would land there.
    proxy = f"http://127.0.0.1:{listener.port}"
    for var in ("http_proxy", "https_proxy", "HTTP_PROXY", "HTTPS_PROXY", "all_proxy"):
        monkeypatch.setenv(var, proxy)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.delenv("NO_PROXY", raising=False)
    post = POST + '\n<img src="http://example.org/x.png" alt="x">\n'
    root = make_book(tmp_path / "book", {"2020-01-01-a.md": post})
    write(root / "styles" / "extra.css", '@import "https://example.org/x.css";\n')
    write_pdf(load_book(root, Diagnostics()), tmp_path / "b.pdf", Diagnostics())
    assert listener.connections == []
    assert os.environ["http_proxy"] == proxy
