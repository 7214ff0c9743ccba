"""The floor: what any tool must do to make a book of a blog, and nothing more.

Read every post and comment (publish's reader), render all their Markdown to HTML
(Python-Markdown, as publish does), and zip the result, all in this one process (publish
reads a big blog's posts in worker processes: not here, so that the floor stays the work
itself, the same from one version of publish to the next).

    python benchmarks/floor.py CONTENT_DIR OUT.zip
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import markdown

from publish import load_book
from publish.sources import parallel

parallel.MIN_PARALLEL = sys.maxsize  # one process (see above)


def floor(content: Path, out: Path) -> int:
    book = load_book(content)
    converter = markdown.Markdown(extensions=["footnotes", "tables", "fenced_code"])
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for n, post in enumerate(book.posts):
            parts = [converter.reset().convert(post.body.text)]
            parts += [converter.reset().convert(c.body.text) for c in post.all_comments()]
            archive.writestr(f"post-{n:05d}.html", "\n".join(parts))
    return len(book.posts)


if __name__ == "__main__":
    print(floor(Path(sys.argv[1]), Path(sys.argv[2])), "posts")
