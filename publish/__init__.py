"""publish: turn a blog, its posts and the conversations under them, into books.

from publish import load_book, write_epub, write_pdf

book = load_book("content")
write_epub(book, "build/book.epub")
write_pdf(book, "build/book.pdf")
"""

from publish.errors import Diagnostic, Diagnostics, PublishError, PublishWarning
from publish.model import Body, Book, Comment, Post
from publish.sources import load_book
from publish.writers.epub import write_epub
from publish.writers.pdf import write_pdf

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
