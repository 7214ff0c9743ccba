"""What an import did: posts and comments kept, and what was left out, by reason."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

# Reasons, as used in ``ImportReport.skipped`` and the ``skipped: <reason>`` diagnostics
# counters. Posts:
DRAFT = "draft"
SCHEDULED = "scheduled"
PRIVATE = "private"
PASSWORD = "password-protected"
PAGE = "page"
TRASHED_POST = "trashed post"
OTHER_TYPE = "other post type"
EMPTY_THREAD = "thread without comments"
# Comments:
SPAM = "spam comment"
TRASHED = "trashed comment"
UNAPPROVED = "unapproved comment"
DELETED = "deleted comment"
PINGBACK = "pingback"
TRACKBACK = "trackback"
ON_PAGE = "comment on a page"
ON_LEFT_OUT = "comment on a left-out post"
ON_MISSING = "comment on a missing post"

FORMAT_NAMES = {
    "blogger": "Blogger export",
    "blogger-takeout": "Blogger Takeout export",
    "wordpress": "WordPress export (WXR)",
    "disqus": "Disqus export",
    "jekyll": "Jekyll site with Staticman comments",
    "textpage": "plain-text Blogger page",
    "feed": "RSS/Atom feed",
}


@dataclass(frozen=True)
class ImportOptions:
    include_pages: bool = False  # pages become posts too (their slugs are in report.pages)
    include_pingbacks: bool = False  # keep pingbacks and trackbacks as comments


@dataclass
class ImportReport:
    """The summary of one import, for a CLI to print (``str(report)``) or a test to check."""

    source: Path
    format: str
    posts: int = 0
    comments: int = 0
    replies: int = 0  # comments that answer another comment (included in ``comments``)
    pages: tuple[str, ...] = ()  # slugs of the pages kept as posts (``include_pages``)
    skipped: dict[str, int] = field(default_factory=dict)

    def skip(self, reason: str, n: int = 1) -> None:
        if n:
            self.skipped[reason] = self.skipped.get(reason, 0) + n

    def lines(self) -> list[str]:
        kind = FORMAT_NAMES.get(self.format, self.format)
        posts = _plural(self.posts, "post")
        comments = _plural(self.comments, "comment")
        head = f"imported {posts} and {comments} from {self.source} ({kind})"
        if self.replies:
            head += f", {_plural(self.replies, 'reply', 'replies')} among them"
        if self.pages:
            head += f"; {_plural(len(self.pages), 'page')} among the posts"
        lines = [head]
        if self.skipped:
            left = ", ".join(f"{n} × {reason}" for reason, n in sorted(self.skipped.items()))
            lines.append(f"left out: {left}")
        return lines

    def __str__(self) -> str:
        return "\n".join(self.lines())


def _plural(n: int, word: str, plural: str | None = None) -> str:
    return f"{n} {word if n == 1 else plural or word + 's'}"
