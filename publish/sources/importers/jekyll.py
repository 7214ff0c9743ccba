"""A Jekyll site with Staticman comments.

Posts are ``_posts/**/YYYY-MM-DD-slug.md`` (Markdown with Liquid); their comments are
``_data/comments/<slug>/*.yml``, one file per comment. Staticman's ``replying_to`` is not an
id: it is the 1-based position of the parent among the post's *top-level* comments sorted by
file name. Liquid is resolved as far as a book needs: ``{% raw %}`` keeps its content as
written, ``{% post_url %}`` becomes the other post's address (so the renderer can make it a
chapter link), ``{{ site.url }}`` the site's; other tags are dropped (and counted).
"""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from publish.errors import PublishError
from publish.model import Body, Comment
from publish.sources.importers import report as why
from publish.sources.importers.common import (
    Context,
    RawPost,
    Site,
    author_name,
    one_line,
    parse_date,
)
from publish.sources.importers.liquid import POST_NAME, absolute_links, day, expand, liquid
from publish.sources.textfile import as_datetime, read_text

_EXTENSIONS = (".md", ".markdown", ".mkd", ".html")
PERMALINKS = (
    "/:categories/:title/",
    "/:categories/:year/:month/:day/:title.html",
    "/:categories/:year/:month/:day/:title/",
    "/:year/:month/:day/:title.html",
    "/:year/:month/:day/:title/",
    "/:year/:month/:title.html",
    "/:year/:month/:title/",
    "/:title/",
    "/:title.html",
    "/:categories/:title.html",
)


def site_root(path: Path) -> Path | None:
    """The Jekyll source folder at or just below ``path`` (the one holding ``_posts``)."""
    for candidate in (path, path / "src", path / "site", path / "docs"):
        if (candidate / "_posts").is_dir():
            return candidate
    for candidate in sorted(path.glob("*/_posts")):
        if candidate.is_dir():
            return candidate.parent
    return None


MAX_YAML_NODES = 50_000  # a comment or front matter is a few dozen; aliases can multiply


def _yaml(text: str, path: Path, first_line: int = 1) -> Any:
    """Safe YAML, aliases allowed (Jekyll front matter uses them) but not a "billion laughs".

    The loaded value is walked, aliases followed, and refused past ``MAX_YAML_NODES``: what
    is returned is small however it is read or printed.
    """
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = first_line + mark.line if mark is not None else first_line
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PublishError("bad-yaml", f"not valid YAML: {problem}", path, line) from exc
    except RecursionError as exc:
        raise PublishError("bad-yaml", "YAML nests too deeply", path, first_line) from exc
    stack, seen = [data], 0
    while stack:
        value = stack.pop()
        seen += 1
        if seen > MAX_YAML_NODES:
            raise PublishError(
                "bad-yaml", "YAML too large once its aliases are followed", path, first_line
            )
        if isinstance(value, dict):
            stack.extend(value.keys())
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return data


def _yaml_file(path: Path) -> Any:
    return _yaml(read_text(path), path)


def front_matter(path: Path) -> tuple[dict[str, Any], str]:
    """A Jekyll page's front matter (a mapping) and its body."""
    text = read_text(path)
    if not text.startswith("---\n"):
        return {}, text
    end = text.find("\n---", 3)
    while end != -1 and text[end + 4 : end + 5] not in ("", "\n"):
        end = text.find("\n---", end + 4)
    if end == -1:
        raise PublishError("bad-front-matter", "front matter has no closing '---' line", path, 1)
    meta = _yaml(text[4 : end + 1], path, first_line=2)
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise PublishError("bad-front-matter", "front matter must be a mapping", path, 2)
    return {str(k): v for k, v in meta.items()}, text[end + 4 :].removeprefix("\n")


def _config(root: Path) -> dict[str, Any]:
    for folder in (root, root.parent):
        for name in ("_config.yml", "_config.yaml"):
            if (folder / name).is_file():
                data = _yaml_file(folder / name)
                return data if isinstance(data, dict) else {}
    return {}


def _site_url(root: Path, config: dict[str, Any]) -> str:
    url = str(config.get("url") or "").rstrip("/")
    base = str(config.get("baseurl") or "").strip("/")
    if not url:
        staticman = root.parent / "staticman.yml"
        staticman = staticman if staticman.is_file() else root / "staticman.yml"
        if staticman.is_file():
            data = _yaml_file(staticman)
            origins = (
                data.get("comments", {}).get("allowedOrigins") if isinstance(data, dict) else None
            )
            if isinstance(origins, list) and origins:
                url = "https://" + str(origins[0]).strip("/")
    return url + ("/" + base if base else "")


class _Entry:
    def __init__(self, path: Path, posts_dir: Path, ctx: Context) -> None:
        match = POST_NAME.match(path.stem)
        assert match is not None
        self.path = path
        self.meta, self.body = front_matter(path)
        self.name = path.stem
        self.slug = match.group(4)
        meta = self.meta
        self.date = _meta_date(meta.get("date")) or day(match)
        folders = [p for p in path.parent.relative_to(posts_dir).parts if p]
        self.categories = _words(meta.get("categories", meta.get("category"))) or folders

    def expand(self, pattern: str) -> str:
        return expand(pattern, self.date, self.slug, self.categories)


def _meta_date(value: object) -> datetime | None:
    """A date from YAML: a date or datetime, or text like '2021-03-04 09:30:00 +0000'."""
    if isinstance(value, str):
        return parse_date(value)
    moment = as_datetime(value)
    return moment.replace(microsecond=0) if moment else None


def _words(value: object) -> list[str]:
    if isinstance(value, str):
        return value.split()
    if isinstance(value, list):
        return [str(v) for v in value if v is not None]
    return []


def read(ctx: Context) -> Site:
    root = site_root(ctx.path)
    if root is None:
        raise PublishError("unknown-format", "not a Jekyll site (no _posts folder)", ctx.path)
    config = _config(root)
    site_url = _site_url(root, config)
    author = config.get("author")
    site = Site(
        title=one_line(str(config.get("title") or "")) or ctx.path.resolve().name,
        author=one_line(str(author.get("name") if isinstance(author, dict) else author or "")),
        language=str(config.get("lang") or config.get("locale") or "") or None,
        url=site_url or None,
    )
    posts_dir = root / "_posts"
    entries = [
        _Entry(p, posts_dir, ctx)
        for p in sorted(posts_dir.rglob("*"))
        if p.suffix in _EXTENSIONS and POST_NAME.match(p.stem) and p.is_file()
    ]
    drafts = root / "_drafts"
    if drafts.is_dir():
        ctx.skip(why.DRAFT, sum(1 for p in drafts.rglob("*") if p.suffix in _EXTENSIONS))
    comments_dir = root / "_data" / "comments"
    comments = {e.slug: _read_comments(comments_dir / e.slug, site_url, ctx) for e in entries}
    pattern = _permalink(config, entries, comments)
    urls = {e.name: _url(e, pattern, site_url) for e in entries}
    now = datetime.now(UTC).replace(tzinfo=None)
    for entry in entries:
        meta = entry.meta
        reason = None
        if meta.get("published") is False or meta.get("draft") is True:
            reason = why.DRAFT
        elif entry.date.replace(tzinfo=None) > now:
            reason = why.SCHEDULED
        if reason:
            ctx.skip(reason)
            ctx.skip(why.ON_LEFT_OUT, len(comments[entry.slug]))
            continue
        post_author = meta.get("author")
        if isinstance(post_author, dict):
            post_author = post_author.get("name")
        site.posts.append(
            RawPost(
                title=one_line(str(meta.get("title") or "")),
                date=entry.date,
                body=Body(liquid(entry.body, urls, pattern, site_url, ctx)),
                author=one_line(str(post_author or "")) or site.author or None,
                tags=tuple(_words(meta.get("tags"))),
                url=urls[entry.name],
                comments=[dataclasses.replace(c, url=None) for c in comments[entry.slug]],
                source=entry.path,
            )
        )
    known = {e.slug for e in entries}
    if comments_dir.is_dir():
        for folder in sorted(p for p in comments_dir.iterdir() if p.is_dir()):
            if folder.name not in known:
                ctx.skip(why.ON_MISSING, len(_comment_files(folder)))
    return site


def _permalink(
    config: dict[str, Any], entries: list[_Entry], comments: dict[str, list[Comment]]
) -> str:
    """The site's permalink pattern: from _config.yml, else the one Staticman's _parent shows."""
    if config.get("permalink"):
        return str(config["permalink"])
    parents = {e.name: c[0].url for e in entries for c in [comments[e.slug]] if c and c[0].url}
    for pattern in PERMALINKS:
        if parents and all(
            e.expand(pattern) == parents.get(e.name) for e in entries if e.name in parents
        ):
            return pattern
    return "date"


def _url(entry: _Entry, pattern: str, site_url: str) -> str:
    own = entry.meta.get("permalink")
    path = str(own) if own else entry.expand(pattern)
    return site_url + path if site_url else path


def _comment_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yml", ".yaml") and p.is_file())


def _read_comments(folder: Path, site_url: str, ctx: Context) -> list[Comment]:
    """A post's Staticman comments; ``url`` carries ``_parent`` until the post URL is known."""
    records = []
    for path in _comment_files(folder):
        data = _yaml_file(path)
        if not isinstance(data, dict):
            raise PublishError("bad-yaml", "a comment file must be a mapping of fields", path, 1)
        records.append((path, data))
    top_level = [
        str(d.get("_id") or p.stem)
        for p, d in records
        if not str(d.get("replying_to") or "").strip()
    ]
    comments = []
    for path, data in records:
        number = str(data.get("_id") or path.stem)
        position = str(data.get("replying_to") or "").strip()
        reply_to = None
        if position:
            index = int(position) if position.isdigit() else 0
            reply_to = top_level[index - 1] if 0 < index <= len(top_level) else f"#{position}"
        message = str(data.get("message") or "").replace("\r\n", "\n").strip()
        message = absolute_links(message, site_url)
        comments.append(
            Comment(
                id=number,
                author=author_name(str(data.get("name") or "")),
                date=_comment_date(data, path, ctx),
                body=Body(message),
                url=str(data.get("_parent")) if data.get("_parent") else None,
                reply_to=reply_to,
                source=path,
            )
        )
    return comments


def _comment_date(data: dict[str, Any], path: Path, ctx: Context) -> datetime:
    moment = _meta_date(data.get("date"))
    stamp = data.get("timestamp") or path.stem.rsplit("-", 1)[-1]
    if moment is None and str(stamp).isdigit():
        seconds = int(stamp) / (1000 if int(stamp) > 10**11 else 1)
        moment = datetime.fromtimestamp(int(seconds), UTC)
    if moment is None:
        ctx.warn("bad-date", "comment has no date; dated 1 January 1970", path)
        return datetime(1970, 1, 1)
    return moment.replace(microsecond=0)
