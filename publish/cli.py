"""The ``publish`` command: a thin layer over the library.

Exit status: 0 done, 1 bad input or a failed build (one line a problem), 2 bad usage.
"""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from publish import printspec
from publish.assembly import slugify
from publish.errors import Diagnostics, PublishError
from publish.model import Book
from publish.sources import load_book

DEFAULT_SOURCE = "content"


def _default_output(book: Book, suffix: str) -> Path:
    return Path("build") / f"{slugify(book.title, 60)}.{suffix}"


def _size(n: int) -> str:
    return f"{n / 1024:,.0f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MB"


SHOWN_PER_CODE = 5  # warnings of one kind printed in full; the rest are counted


def _report(diagnostics: Diagnostics) -> None:
    shown: dict[str, int] = {}
    for warning in diagnostics.warnings:
        shown[warning.code] = shown.get(warning.code, 0) + 1
        if shown[warning.code] <= SHOWN_PER_CODE:
            click.echo(str(warning), err=True)
    for code, n in shown.items():
        if n > SHOWN_PER_CODE:
            click.echo(f"... and {n - SHOWN_PER_CODE} more [{code}] warnings", err=True)
    if diagnostics.warnings:
        n = len(diagnostics.warnings)
        click.echo(f"{n} warning{'s' if n != 1 else ''}", err=True)
    for name, count in sorted(diagnostics.counters.items()):
        click.echo(f"{name}: {count}", err=True)


def _run(ctx: click.Context, action: Callable[[Diagnostics], str]) -> None:
    diagnostics = Diagnostics(strict=ctx.obj["strict"])
    try:
        message = action(diagnostics)
    except PublishError as error:
        _report(diagnostics)
        click.echo(str(error), err=True)
        ctx.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted; nothing was written", err=True)
        ctx.exit(130)
    except Exception as error:  # a bug, not bad input: say so, briefly, unless --debug
        if ctx.obj["debug"]:
            raise
        said = " ".join(str(error).split())[:300]  # one line, whatever the exception holds
        click.echo(
            f"error: internal error: {type(error).__name__}: {said} (run with --debug)", err=True
        )
        ctx.exit(1)
    _report(diagnostics)
    click.echo(message)


source_argument = click.argument(
    "source", required=False, default=DEFAULT_SOURCE, type=click.Path(path_type=Path)
)
output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the book.",
)


def build_options(verb: str, done: str) -> Callable[[Any], Any]:
    """``--workers``, ``--cache`` and ``--no-cache``, worded for what the build does."""

    def add(command: Any) -> Any:
        for option in reversed(
            [
                click.option(
                    "--workers",
                    type=click.IntRange(min=1),
                    help=f"Processes that {verb} chapters at once (default: one a core).",
                ),
                click.option(
                    "--cache",
                    type=click.Path(file_okay=False, path_type=Path),
                    default=Path("build/cache"),
                    show_default=True,
                    help=f"Keep posts as read and {done} chapters here; a rebuild"
                    " redoes only what changed.",
                ),
                click.option(
                    "--no-cache",
                    is_flag=True,
                    help=f"Read every post and {verb} every chapter, keep nothing.",
                ),
            ]
        ):
            command = option(command)
        return command

    return add


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--debug", is_flag=True, help="Show tracebacks of internal errors.")
@click.version_option(package_name="publish")
@click.pass_context
def cli(ctx: click.Context, strict: bool, debug: bool) -> None:
    """Turn a blog, its posts and their comments, into an EPUB and a print-ready PDF."""
    ctx.obj = {"strict": strict, "debug": debug}


@cli.command()
@source_argument
@output_option
@click.option(
    "--page-list", is_flag=True,
    help="Mark the print edition's pages in the EPUB (lays the PDF out once; slower).",
)  # fmt: skip
@build_options("render", "rendered")
@click.pass_context
def epub(
    ctx: click.Context,
    source: Path,
    output: Path | None,
    page_list: bool,
    workers: int | None,
    cache: Path,
    no_cache: bool,
) -> None:
    """Build an EPUB 3 from SOURCE (a content folder, default: content/)."""
    from publish.writers.epub import write_epub

    def action(diagnostics: Diagnostics) -> str:
        book = load_book(source, diagnostics, cache=None if no_cache else cache)
        breaks = None
        if page_list:
            from publish.pagination import paginate

            breaks = paginate(book, diagnostics)
        out = output or _default_output(book, "epub")
        result = write_epub(
            book, out, diagnostics, page_breaks=breaks, workers=workers,
            cache=None if no_cache else cache,
        )  # fmt: skip
        pages = f", a page list of {len(breaks)} print pages" if breaks else ""
        return f"Wrote {result.path}: {result.chapters} chapters{pages}, {_size(result.bytes)}"

    _run(ctx, action)


@cli.command()
@source_argument
@output_option
@click.option(
    "--variant", type=click.Choice(printspec.VARIANTS, case_sensitive=False),
    help="Write a PDF variant: PDF/A (archiving), PDF/X (print shops), PDF/UA (tagged).",
)  # fmt: skip
@build_options("lay out", "laid-out")
@click.option(
    "--single-document", is_flag=True,
    help="Lay the book out as one document (slower and hungrier; the reference layout).",
)  # fmt: skip
@click.pass_context
def pdf(
    ctx: click.Context,
    source: Path,
    output: Path | None,
    variant: str | None,
    workers: int | None,
    cache: Path,
    no_cache: bool,
    single_document: bool,
) -> None:
    """Build a print-ready PDF from SOURCE (a content folder, default: content/)."""
    from publish.writers.pdf import write_pdf

    def action(diagnostics: Diagnostics) -> str:
        book = load_book(source, diagnostics, cache=None if no_cache else cache)
        out = output or _default_output(book, "pdf")
        result = write_pdf(
            book, out, diagnostics, variant=variant, workers=workers,
            cache=None if no_cache or single_document else cache,
            single_document=single_document,
        )  # fmt: skip
        size = _size(result.bytes)
        kind = f" ({result.variant.upper()})" if result.variant else ""
        return (
            f"Wrote {result.path}{kind}: {result.chapters} chapters, {result.pages} pages, "
            f"inside margin {result.gutter}, {size}"
        )

    _run(ctx, action)


@cli.command()
@source_argument
@output_option
@click.option(
    "--pages", type=click.IntRange(min=1), help="The book's page count (default: lay it out)."
)
@click.option(
    "--paper", type=click.Choice(["white", "cream"]),
    help="The paper, for the spine's width (default: book.toml's [pdf] paper, or white).",
)  # fmt: skip
@click.pass_context
def cover(
    ctx: click.Context, source: Path, output: Path | None, pages: int | None, paper: str | None
) -> None:
    """Build the wrap-around cover (back, spine, front; bleed all round) as a PDF."""
    from publish.writers.wrap_cover import book_pages, write_cover_pdf

    def action(diagnostics: Diagnostics) -> str:
        book = load_book(source, diagnostics)
        count = pages or book_pages(book, diagnostics)
        out = output or Path("build") / f"{slugify(book.title, 60)}-cover.pdf"
        result = write_cover_pdf(book, out, count, paper or book.pdf.paper, diagnostics)
        return (
            f"Wrote {result.path}: {result.width:.3f} x {result.height:.3f} in for "
            f"{result.pages} pages on {result.paper} paper, spine {result.spine:.3f} in"
            f"{'' if result.spine_text else ' (no spine text under 100 pages)'}, "
            f"{_size(result.bytes)}"
        )

    _run(ctx, action)


@cli.command()
@source_argument
@click.option("--strict", "strict_here", is_flag=True, help="Count warnings as errors.")
@click.pass_context
def check(ctx: click.Context, source: Path, strict_here: bool) -> None:
    """Lint SOURCE: alt text, links, empty posts, titles, images for print, glyphs.

    Prints one line a problem (file:line: severity: message [code]). Exit status 1 when
    there are errors (with --strict, warnings too).
    """
    from publish.check import check_book

    strict = strict_here or ctx.obj["strict"]
    try:
        findings = check_book(source)
    except Exception as error:  # a bug, not bad input
        if ctx.obj["debug"]:
            raise
        click.echo(f"error: internal error: {type(error).__name__}: {error}", err=True)
        ctx.exit(1)
    for finding in findings:
        click.echo(str(finding))
    errors = sum(1 for f in findings if f.is_error)
    warnings = len(findings) - errors
    plural = {1: ""}
    click.echo(
        f"{errors} error{plural.get(errors, 's')}, {warnings} warning{plural.get(warnings, 's')}",
        err=True,
    )
    if errors or (strict and warnings):
        ctx.exit(1)


@cli.command(name="import")
@click.argument("export", type=click.Path(path_type=Path))
@click.option(
    "-o", "--output", type=click.Path(file_okay=False, path_type=Path),
    default=Path(DEFAULT_SOURCE), show_default=True, help="The content folder to write.",
)  # fmt: skip
@click.option("--force", is_flag=True, help="Replace posts that are already in the folder.")
@click.option("--pages", is_flag=True, help="Keep the blog's pages too.")
@click.option("--pingbacks", is_flag=True, help="Keep pingbacks and trackbacks as comments.")
@click.option(
    "--comments", "comments_export", type=click.Path(path_type=Path),
    help="A Disqus export whose threads go with the posts of the same address.",
)  # fmt: skip
@click.pass_context
def import_(
    ctx: click.Context,
    export: Path,
    output: Path,
    force: bool,
    pages: bool,
    pingbacks: bool,
    comments_export: Path | None,
) -> None:
    """Import a blog EXPORT (Blogger, WordPress, Disqus, Jekyll, text pages, a feed).

    Writes the content format: a book.toml (unless there is one), a folder a post with its
    comments, one file a comment. Files already there are never replaced without --force.
    """
    from publish.sources.importers import import_export, merge_comments, write_content
    from publish.sources.importers.write import write_appendices

    def action(diagnostics: Diagnostics) -> str:
        options = {"include_pages": pages, "include_pingbacks": pingbacks}
        book, report = import_export(export, diagnostics, **options)
        if comments_export is not None:
            threads, _ = import_export(comments_export, diagnostics, **options)
            book = merge_comments(book, threads, diagnostics)
        if not book.posts:
            raise PublishError("no-posts", "the export has no published posts", export)
        kept_pages = [post for post in book.posts if post.slug in set(report.pages)]
        if kept_pages:  # the blog's pages go to the back of the book, as appendices
            posts = tuple(p for p in book.posts if p not in kept_pages)
            book = dataclasses.replace(book, posts=posts)
        written = write_content(book, output, force=force) if book.posts else []
        written += write_appendices(kept_pages, output / "back", force=force)
        for counted in [k for k in diagnostics.counters if k in ("posts", "comments")]:
            del diagnostics.counters[counted]  # the report says these, and what was left out
        for counted in [k for k in diagnostics.counters if k.startswith("skipped: ")]:
            del diagnostics.counters[counted]
        return f"{report}\nWrote {len(written)} files to {output}/"

    _run(ctx, action)


_MAIN_PID = os.getpid()


def _terminated(signum: int, frame: object) -> None:
    """`kill` cleans up like Ctrl-C: the previous book stays, no temporary file is left."""
    if os.getpid() != _MAIN_PID:  # a forked worker (the PDF writer's): die as usual
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)
        return
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> Any:
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    signal.signal(signal.SIGTERM, _terminated)
    return cli.main(args=argv if argv is not None else sys.argv[1:], prog_name="publish")
