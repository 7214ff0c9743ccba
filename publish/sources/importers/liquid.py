"""Jekyll's Liquid, as far as a book needs it, and its permalinks.

``{% raw %}`` keeps its content as written; ``{% post_url %}`` becomes the other post's
address (so the renderer can make it a chapter link); ``{% link %}`` its path;
``{{ site.url }}`` the site's address; ``{% figure %}`` its content and caption. Other
tags and ``{{ ... }}`` outputs are dropped, and counted. Root-relative links and images
are then made absolute with the site's address (fenced code is left alone).
"""

from __future__ import annotations

import re
from datetime import datetime

from publish.sources.importers.common import Context

POST_NAME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$")
NAMED_PERMALINKS = {
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "none": "/:categories/:title:output_ext",
}


def expand(pattern: str, moment: datetime, slug: str, categories: list[str]) -> str:
    """A post's path from a Jekyll permalink pattern."""
    pattern = NAMED_PERMALINKS.get(pattern, pattern)
    values = {
        ":categories": "/".join(c.lower().replace(" ", "-") for c in categories),
        ":year": f"{moment:%Y}",
        ":month": f"{moment:%m}",
        ":day": f"{moment:%d}",
        ":y_day": f"{moment:%j}",
        ":title": slug,
        ":slug": slug,
        ":output_ext": ".html",
    }
    for key in sorted(values, key=len, reverse=True):
        pattern = pattern.replace(key, values[key])
    return re.sub(r"/+", "/", "/" + pattern)


def day(match: re.Match[str]) -> datetime:
    return datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)))


_RAW = re.compile(r"\{%-?\s*raw\s*-?%\}(.*?)\{%-?\s*endraw\s*-?%\}", re.S)
_POST_URL = re.compile(r"\{%-?\s*post_url\s+(\S+)\s*-?%\}")
_LINK = re.compile(r"\{%-?\s*link\s+(\S+)\s*-?%\}")
_FIGURE = re.compile(r"\{%-?\s*figure\b(.*?)-?%\}(.*?)\{%-?\s*endfigure\s*-?%\}", re.S)
_SITE_URL = re.compile(r"\{\{-?\s*site\.(url|baseurl)\s*-?\}\}")
_TAG = re.compile(r"\{%.*?%\}|\{\{.*?\}\}", re.S)
_KEPT = re.compile(r"\x00(\d+)\x00")
_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.S | re.M)
_ROOT_LINK = re.compile(
    r"(\]\(\s*<?|\b(?:src|href)\s*=\s*[\"']|^ {0,3}\[[^\]]+\]:\s*<?)/(?![/\s])", re.M
)
_TAG_LINE = re.compile(r"^[ \t]*(?:\{%.*?%\}|\{\{.*?\}\})[ \t]*\n", re.M)


def liquid(text: str, urls: dict[str, str], pattern: str, site_url: str, ctx: Context) -> str:
    """Resolve the Liquid a book needs; drop (and count) the rest."""
    kept: list[str] = []

    def protect(match: re.Match[str]) -> str:
        kept.append(match.group(1))
        return f"\x00{len(kept) - 1}\x00"

    def post_url(match: re.Match[str]) -> str:
        name = match.group(1).rsplit("/", 1)[-1]
        if name in urls:
            return urls[name]
        other = POST_NAME.match(name)
        if other is None:
            return match.group(1)
        folders = [c for c in match.group(1).strip("/").split("/")[:-1] if c]
        moment = day(other)
        return site_url + expand(pattern, moment, other.group(4), folders)

    def protect_fence(match: re.Match[str]) -> str:
        kept.append(match.group(0))
        return f"\x00{len(kept) - 1}\x00"

    def figure(match: re.Match[str]) -> str:
        caption = re.search(r'caption:\s*"([^"]*)"', match.group(1))
        body = match.group(2).strip()
        return f"{body}\n\n*{caption.group(1)}*" if caption else body

    text = _RAW.sub(protect, text)
    text = _POST_URL.sub(post_url, text)
    text = _LINK.sub(lambda m: m.group(1), text)
    text = _FIGURE.sub(figure, text)
    text = _SITE_URL.sub(lambda m: site_url if m.group(1) == "url" else "", text)
    text, whole_lines = _TAG_LINE.subn("", text)
    text, removed = _TAG.subn("", text)
    removed += whole_lines
    if removed:
        ctx.diagnostics.count("Liquid tags removed", removed)
    text = absolute_links(_FENCE.sub(protect_fence, text), site_url)
    while _KEPT.search(text):  # a fence may hold a raw block: restore until none is left
        text = _KEPT.sub(lambda m: kept[int(m.group(1))], text)
    return text.strip() + "\n"


def absolute_links(text: str, site_url: str) -> str:
    """Root-relative links and images (``/assets/x.png``) made absolute with the site's address.

    Outside the site they point nowhere; absolute, a link to another post is recognised by
    its address (a chapter link) and an image is at least a remote one.
    """
    if not site_url:
        return text
    return _ROOT_LINK.sub(lambda m: m.group(1) + site_url.rstrip("/") + "/", text)
