"""What one input may cost, and the characters no book can carry.

Posts and comments are written by strangers. These limits keep one of them from making a
build take hours, run out of memory or crash deep inside a library:

- ``MAX_FILE_BYTES``: a content file (post, comment, ``book.toml``) larger than this is an
  error (``too-large``).
- ``MAX_BODY_CHARS``: a post or comment body longer than this is an error (``too-large``),
  whatever it came from (a content file or a blog export). A million characters is about
  five hundred printed pages; laying out one such comment takes WeasyPrint minutes.
- ``MAX_HTML_DEPTH``: elements nested deeper than this inside one body are unwrapped (their
  text kept) with a warning (``too-deep``): WeasyPrint lays boxes out recursively and
  fails on documents nested a few hundred levels deep. Markdown that nests too deeply for
  Python-Markdown (hundreds of lists inside each other) is set as plain text, with the
  same warning.
- ``MAX_THREAD_DEPTH``: a reply more than this many replies below the comment that starts
  its thread is an error (``thread-too-deep``). The books show threads nested only a few
  levels deep whatever their depth; this bounds the recursion in the code that walks them.
"""

from __future__ import annotations

import re

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_BODY_CHARS = 1_000_000
MAX_HTML_DEPTH = 40
MAX_THREAD_DEPTH = 500

# What XML 1.0 cannot carry: C0 controls other than tab, line feed and carriage return,
# lone surrogates (from escapes such as YAML's "\ud800") and the non-characters U+FFFE/FFFF.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` without the characters no XHTML file (and no sanitiser) can take."""
    return XML_INVALID.sub("", text)
