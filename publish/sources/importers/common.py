"""What every importer shares: the import context, raw posts, dates, slugs, the finish.

An importer reads its format into :class:`RawPost` records (each with a flat list of
comments naming the comment they answer), counting what it leaves out on the context's
report. :func:`finish` then does what is the same for every format: dated titles for empty
ones, unique slugs, threads (orphans kept at the top level, with a warning), date order
and the counts.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from pathlib import Path

from publish.errors import Diagnostics
from publish.model import Body, Comment, Post, sort_key
from publish.sources.importers.report import ImportOptions, ImportReport
from publish.sources.threads import build_threads


@dataclass
class Context:
    """Where an import reports to: warnings and counters, the report, the options."""

    path: Path
    diagnostics: Diagnostics
    report: ImportReport
    options: ImportOptions = field(default_factory=ImportOptions)

    def warn(
        self, code: str, message: str, file: Path | None = None, line: int | None = None
    ) -> None:
        self.diagnostics.warn(code, message, file or self.path, line)

    def skip(self, reason: str, n: int = 1) -> None:
        self.report.skip(reason, n)


@dataclass
class RawPost:
    """A post as read from an export, before titles, slugs and threads are settled."""

    title: str
    date: datetime
    body: Body
    author: str | None = None
    tags: tuple[str, ...] = ()
    url: str | None = None
    comments: list[Comment] = field(default_factory=list)
    is_page: bool = False
    source: Path | None = None  # the file it came from, for warnings (default: the export)
    line: int | None = None


@dataclass
class Site:
    """A blog as an importer read it: its metadata and its posts."""

    title: str
    author: str
    url: str | None = None
    language: str | None = None
    posts: list[RawPost] = field(default_factory=list)


def finish(raw_posts: list[RawPost], ctx: Context) -> tuple[Post, ...]:
    """Posts in date order with unique slugs and threaded comments; counts what was kept."""
    posts: list[Post] = []
    used: set[str] = set()
    pages: list[str] = []
    for raw in sorted(raw_posts, key=lambda r: (sort_key(r.date), r.title, r.url or "")):
        title = raw.title
        if not title:
            title = dated_title(raw.date)
            where = f" ({raw.url})" if raw.url else ""
            ctx.warn("empty-title", f"a post has no title{where}; called it '{title}'", raw.source)
        slug = unique_slug(f"{raw.date:%Y-%m-%d}-{slugify(title)}", used)
        if raw.is_page:
            pages.append(slug)

        def orphan(comment: Comment, raw: RawPost = raw, title: str = title) -> None:
            ctx.warn(
                "orphan-reply",
                f"comment {comment.id} by {comment.author} on '{title}' answers comment "
                f"{comment.reply_to}, which is missing or left out; kept at the top level",
                comment.source or raw.source,
            )

        flat = _unique_ids(raw.comments)
        threads = build_threads(flat, orphan)
        threads = tuple(_without_missing_parent(c, {x.id for x in flat}) for c in threads)
        post = Post(
            slug=slug,
            title=title,
            date=raw.date,
            body=raw.body,
            author=raw.author or None,
            tags=raw.tags,
            url=raw.url or None,
            comments=threads,
        )
        posts.append(post)
        ctx.report.comments += post.comment_count
        ctx.report.replies += sum(1 for c in post.all_comments() if c.reply_to is not None)
    ctx.report.posts += len(posts)
    ctx.report.pages += tuple(pages)
    return tuple(posts)


def _unique_ids(comments: list[Comment]) -> list[Comment]:
    seen: set[str] = set()
    fixed = []
    for comment in comments:
        if comment.id in seen:
            comment = dataclasses.replace(comment, id=unique_slug(comment.id, seen, sep="."))
        seen.add(comment.id)
        fixed.append(comment)
    return fixed


def _without_missing_parent(comment: Comment, ids: set[str]) -> Comment:
    """An orphan kept at the top level answers no one any more (so files round-trip)."""
    if comment.reply_to is not None and comment.reply_to not in ids:
        return dataclasses.replace(comment, reply_to=None)
    return comment


def unique_slug(slug: str, used: set[str], sep: str = "-") -> str:
    candidate, n = slug, 2
    while candidate in used:
        candidate, n = f"{slug}{sep}{n}", n + 1
    used.add(candidate)
    return candidate


def slugify(text: str, limit: int = 60) -> str:
    """ASCII, lower case, hyphens; 'post' when nothing is left."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > limit:
        slug = slug[:limit].rsplit("-", 1)[0] if "-" in slug[:limit] else slug[:limit]
    return slug or "post"


def dated_title(moment: date) -> str:
    return f"Untitled post of {moment.day} {moment:%B %Y}"


def one_line(text: str | None) -> str:
    """Whitespace (newlines from re-indented exports among it) collapsed to single spaces."""
    return " ".join((text or "").split())


def author_name(text: str | None, default: str = "Anonymous") -> str:
    return one_line(text) or default


_ISO = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*"
    r"(Z|[+-]\d{2}:?\d{2})?$",
    re.I,
)


def parse_date(value: str | None) -> datetime | None:
    """ISO 8601 (as in Atom, WXR, Disqus, Staticman) or RFC 822 (as in RSS), to the second."""
    text = (value or "").strip()
    if not text or text.startswith("0000-00-00"):
        return None
    match = _ISO.match(text)
    if match:
        year, month, day, hour, minute, second, zone = match.groups()
        try:
            moment = datetime(
                int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0)
            )
        except ValueError:
            return None
        if zone:
            moment = moment.replace(tzinfo=_zone(zone))
        return moment
    try:
        moment = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    return moment.replace(microsecond=0)


def _zone(text: str) -> timezone:
    if text.upper() == "Z":
        return UTC
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    offset = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return UTC if not offset else timezone(sign * offset)
