"""publish: turn a blog, its posts and the conversations under them, into books.

from publish import load_book, write_epub, write_pdf

book = load_book("content")
write_epub(book, "build/book.epub")
write_pdf(book, "build/book.pdf")
"""

from typing import TYPE_CHECKING, Any

from publish.errors import Diagnostic, Diagnostics, PublishError, PublishWarning
from publish.model import Body, Book, Comment, Post
from publish.sources import load_book
from publish.writers.epub import write_epub

if TYPE_CHECKING:
    from publish.writers.pdf import write_pdf


def __getattr__(name: str) -> Any:
    """``write_pdf`` on first use: WeasyPrint takes most of a second to import, and an
    EPUB build (or a script that only reads a blog) does not need it."""
    if name == "write_pdf":
        from publish.writers.pdf import write_pdf

        return write_pdf
    raise AttributeError(f"module 'publish' has no attribute {name!r}")


__all__ = [
    "Body",
    "Book",
    "Comment",
    "Diagnostic",
    "Diagnostics",
    "Post",
    "PublishError",
    "PublishWarning",
    "load_book",
    "write_epub",
    "write_pdf",
]
__version__ = "0.1.0"
