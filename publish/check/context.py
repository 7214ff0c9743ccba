"""What every rule of the lint sees: the book, its plan, each body as HTML, and a reporter."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import html

from publish.assembly import Plan, assemble
from publish.check.findings import CODES, Finding, Severity
from publish.model import Body, Book, Comment, Post
from publish.render.markup import markdown_to_html, sanitize


@dataclass(frozen=True)
class Text:
    """A body as the book shows it: whose it is, where it was written, its HTML tree.

    ``kind`` is the chapter's: "post", or a kind of front or back matter ("dedication",
    "foreword", ...), whose ``post`` stands for the matter's page as the book shows it;
    ``name`` what messages call it (:meth:`publish.assembly.Plan.kind_name`).
    """

    post: Post
    comment: Comment | None
    tree: html.HtmlElement
    kind: str = "post"
    name: str = "post"

    @property
    def is_matter(self) -> bool:
        return self.kind != "post"

    @property
    def source(self) -> Path | None:
        if self.comment is not None:
            return self.comment.source
        return self.post.source


@dataclass
class Context:
    book: Book
    plan: Plan = field(init=False)
    findings: list[Finding] = field(default_factory=list)
    _files: dict[Path, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.plan = assemble(self.book)

    def report(
        self,
        code: str,
        message: str,
        file: Path | None = None,
        line: int | None = None,
        severity: Severity | None = None,
    ) -> None:
        self.findings.append(Finding(code, message, severity or CODES[code][0], file, line))

    def texts(self) -> Iterator[Text]:
        """Every body in the book, in reading order: the front matter's pages (a dedication
        and an epigraph too), each post's and then its comments' (replies included), the
        back matter's."""
        for chapter in self.plan.opening + self.plan.chapters:
            post = chapter.post
            yield Text(post, None, _tree(post.body), chapter.kind, self.plan.kind_name(chapter))
            for comment in post.all_comments():
                yield Text(post, comment, _tree(comment.body))

    def file_text(self, path: Path) -> str:
        if path not in self._files:
            try:
                self._files[path] = path.read_text("utf-8", errors="replace").replace("\r\n", "\n")
            except OSError:
                self._files[path] = ""
        return self._files[path]

    def line_of(self, path: Path | None, needle: str, body_only: bool = True) -> int | None:
        """The line where ``needle`` first occurs in the file (after its front matter)."""
        if path is None or not needle:
            return None
        text = self.file_text(path)
        start = body_start(text) if body_only else 0
        at = text.find(needle, start)
        if at < 0 and body_only:
            at = text.find(needle)
        return text.count("\n", 0, at) + 1 if at >= 0 else None

    def lines(self, path: Path | None) -> Lines:
        """Lines of successive occurrences: the second lookup of a needle finds the second."""
        return Lines(self, path)

    def body_line(self, path: Path | None) -> int | None:
        """The first line of the file after its front matter."""
        if path is None:
            return None
        text = self.file_text(path)
        return text.count("\n", 0, body_start(text)) + 1


class Lines:
    def __init__(self, context: Context, path: Path | None) -> None:
        self.text = context.file_text(path) if path is not None else ""
        self.start = body_start(self.text)
        self.after: dict[str, int] = {}

    def line(self, needle: str) -> int | None:
        if not self.text or not needle:
            return None
        at = self.text.find(needle, self.after.get(needle, self.start))
        if at < 0:
            at = self.text.find(needle, self.start)
        if at < 0:
            return None
        self.after[needle] = at + len(needle)
        return self.text.count("\n", 0, at) + 1


def body_start(text: str) -> int:
    if not text.startswith("---\n"):
        return 0
    end = text.find("\n---", 3)
    return len(text) if end < 0 else min(end + 5, len(text))


def _tree(body: Body) -> html.HtmlElement:
    source = markdown_to_html(body.text) if body.format == "markdown" else body.text
    clean = sanitize(source).strip()
    tree = html.fragment_fromstring(clean or "<p></p>", create_parent="div")
    for backref in tree.find_class("footnote-backref"):  # made by Markdown, not written
        backref.drop_tree()
    return tree
