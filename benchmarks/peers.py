"""The peers' input: a synthetic blog as one Markdown file for pandoc.

Posts become level-1 sections (title, date, text), comments level-3 headings under a
level-2 "Comments" heading, replies as nested block quotations are not attempted: a
reply is a comment like the others, in reading order. Images get absolute paths.
Preparing this is not timed; pandoc's own work is.
"""

from __future__ import annotations

import re
from pathlib import Path

from publish import load_book
from publish.model import Post

_IMAGE = re.compile(r"(!\[[^\]]*\]\()([^)\s]+)(\))")
STYLES = Path(__file__).resolve().parent / "peers"


def _absolute_images(text: str, post: Post) -> str:
    base = post.base_dir
    if base is None:
        return text

    def fix(match: re.Match[str]) -> str:
        target = match.group(2)
        if "://" in target:
            return match.group(0)
        return match.group(1) + (base / target).resolve().as_posix() + match.group(3)

    return _IMAGE.sub(fix, text)


def blog_markdown(content: Path, out: Path) -> Path:
    """Write ``content`` as one Markdown file (with a YAML title block) to ``out``."""
    book = load_book(content)
    lines = [
        "---",
        f'title: "{book.title}"',
        f'author: "{book.author}"',
        f"lang: {book.language}",
        "---",
        "",
    ]
    for post in sorted(book.posts, key=lambda p: (p.date.replace(tzinfo=None), p.slug)):
        lines += [
            f"# {post.title}",
            "",
            f"*{post.date:%B %d, %Y}*",
            "",
            _absolute_images(post.body.text, post),
            "",
        ]
        comments = list(post.all_comments())
        if comments:
            lines += [f"## {len(comments)} comments", ""]
            for comment in comments:
                lines += [
                    f"### {comment.author} · {comment.date:%B %d, %Y %H:%M}",
                    "",
                    comment.body.text,
                    "",
                ]
    out.write_text("\n".join(lines), encoding="utf-8")
    return out
