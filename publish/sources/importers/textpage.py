"""A plain-text copy of a Blogger post page (or a folder of them, one post per ``.txt``).

The shape, as a browser's "save as text" or a copy-paste gives it::

    Wednesday, July 13, 2016          the date line
    The End of the Caliphate          the title
    ...                               the body, one paragraph per line
    1 comment:                        or "N comments:", "No comments:"
    pithom said...                    each comment: "NAME said...",
    ...                               its text,
    March 4, 2017 at 6:12 PM          and, where present, a timestamp line

Trailing page furniture (``Posted by NAME at TIME``, ``Labels: ...``, "Post a Comment",
"Newer Post", ...) is read for the author and tags, then dropped. A comment without a
timestamp gets its post's date (counted as ``undated comments``).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from publish.errors import PublishError
from publish.model import Body, Comment
from publish.sources.importers.common import Context, RawPost, Site, author_name, one_line
from publish.sources.importers.markup import text_to_html
from publish.sources.textfile import read_text

_HEADER = re.compile(r"^(?:(\d+)|No|One) comments?:?\s*$", re.I)
_SAID = re.compile(r"^(.+?)\s+said(?:\.\.\.|…|:)\s*$")
_POSTED = re.compile(r"^Posted by (.+?)(?: at (.+))?$")
_LABELS = re.compile(r"^Labels?:\s*(.+)$")
_FURNITURE = re.compile(
    r"^(?:Post a Comment|Newer Post|Older Post|Home|Reply|Delete|Replies|Share|"
    r"Email This|BlogThis!|Share to (?:X|Twitter|Facebook|Pinterest)|"
    r"Subscribe to: Post Comments \(Atom\)|Newer Post Older Post Home|"
    r"Email ThisBlogThis!.*)$",
    re.I,
)
DATE_FORMATS = ("%A, %B %d, %Y", "%B %d, %Y", "%A, %d %B %Y", "%d %B %Y", "%Y-%m-%d", "%m/%d/%Y")
TIME_FORMATS = ("%I:%M %p", "%I:%M%p", "%H:%M", "%H:%M:%S", "%I:%M:%S %p")


def parse_day(line: str) -> datetime | None:
    line = one_line(line)
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(line, fmt)
        except ValueError:
            continue
    return None


def parse_timestamp(line: str) -> datetime | None:
    """'March 4, 2017 at 6:12 PM', '4 March 2017 18:12', '3/4/2017 6:12 PM', ... or None."""
    line = one_line(line).replace(" at ", " ").replace(",", ", ").replace(",  ", ", ")
    line = re.sub(r"\s+", " ", line)
    for day in DATE_FORMATS:
        for time in TIME_FORMATS:
            try:
                return datetime.strptime(line, f"{day} {time}")
            except ValueError:
                continue
    return None


def looks_like_page(text: str) -> bool:
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines) >= 2 and parse_day(lines[0]) is not None


def read(ctx: Context) -> Site:
    if ctx.path.is_dir():
        files = sorted(p for p in ctx.path.glob("*.txt") if p.is_file())
        site = Site(title=ctx.path.resolve().name, author="")
    else:
        files = [ctx.path]
        site = Site(title="", author="")
    for path in files:
        text = read_text(path)
        if not looks_like_page(text):
            if not ctx.path.is_dir():
                raise PublishError("unknown-format", "not a Blogger page (no date line)", path, 1)
            ctx.warn("not-a-page", "not a Blogger page (no date line first); ignored", path)
            continue
        site.posts.append(read_page(text, path, ctx))
    if not ctx.path.is_dir() and site.posts:
        site.title = site.posts[0].title
    return site


def read_page(text: str, path: Path, ctx: Context) -> RawPost:
    lines = [line.rstrip() for line in text.splitlines()]
    filled = [i for i, line in enumerate(lines) if line.strip()]
    day = parse_day(lines[filled[0]])
    assert day is not None
    title = one_line(lines[filled[1]])
    header = _comments_header(lines, filled[1] + 1)
    body_lines = lines[filled[1] + 1 : header if header is not None else len(lines)]
    author, tags, body_lines = _furniture(body_lines)
    post = RawPost(
        title=title,
        date=day,
        body=Body(text_to_html("\n".join(body_lines)), "html"),
        author=author,
        tags=tags,
        source=path,
    )
    if header is not None:
        post.comments = _comments(lines[header + 1 :], post, ctx)
        match = _HEADER.match(lines[header].strip())
        expected = int(match.group(1)) if match and match.group(1) else None
        if expected is not None and expected != len(post.comments):
            ctx.warn(
                "comment-count",
                f"the page says {expected} comments but {len(post.comments)} were found",
                path,
                header + 1,
            )
    return post


def _comments_header(lines: list[str], start: int) -> int | None:
    """The line of "N comments:" (the last one followed by a comment or by nothing)."""
    for i in range(len(lines) - 1, start - 1, -1):
        if _HEADER.match(lines[i].strip()):
            rest = [line for line in lines[i + 1 :] if line.strip()]
            if not rest or _SAID.match(rest[0].strip()) or _FURNITURE.match(rest[0].strip()):
                return i
    return None


def _furniture(lines: list[str]) -> tuple[str | None, tuple[str, ...], list[str]]:
    author: str | None = None
    tags: tuple[str, ...] = ()
    while lines and (not lines[-1].strip() or _is_furniture(lines[-1])):
        line = lines.pop().strip()
        posted = _POSTED.match(line)
        labels = _LABELS.match(line)
        if posted:
            author = one_line(posted.group(1))
        elif labels:
            tags = tuple(t.strip() for t in labels.group(1).split(",") if t.strip())
    return author, tags, lines


def _is_furniture(line: str) -> bool:
    line = line.strip()
    return bool(_FURNITURE.match(line) or _POSTED.match(line) or _LABELS.match(line))


def _comments(lines: list[str], post: RawPost, ctx: Context) -> list[Comment]:
    blocks: list[tuple[str, list[str]]] = []
    for line in lines:
        said = _SAID.match(line.strip())
        if said:
            blocks.append((said.group(1), []))
        elif blocks:
            blocks[-1][1].append(line)
    comments = []
    for n, (name, block) in enumerate(blocks, start=1):
        content = [line for line in block if not _FURNITURE.match(line.strip())]
        filled = [i for i, line in enumerate(content) if line.strip()]
        moment = None
        for i in (filled[-1], filled[0]) if filled else ():
            moment = parse_timestamp(content[i])
            if moment is not None:
                del content[i]
                break
        if moment is None:
            ctx.diagnostics.count("undated comments (given the post's date)")
            moment = post.date
        comments.append(
            Comment(
                id=f"{n:04d}",
                author=author_name(name),
                date=moment,
                body=Body(text_to_html("\n".join(content)), "html"),
            )
        )
    return comments
