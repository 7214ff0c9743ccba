"""Whether WeasyPrint's code is the code a replacement of it was written from.

publish replaces a few of WeasyPrint 70's functions with faster ones that do the same
work (:mod:`weasy_text`, :mod:`weasy_percent`). Each keeps the SHA-256 of the source it
does the work of, and is put in place only when this WeasyPrint's source hashes the same:
another WeasyPrint keeps its own functions.
"""

from __future__ import annotations

import hashlib
import inspect
from typing import Any


def digest(*functions: Any) -> str:
    """SHA-256 of the functions' source, one after the other."""
    text = "".join(inspect.getsource(function) for function in functions)
    return hashlib.sha256(text.encode()).hexdigest()


def matches(expected: str, *functions: Any) -> bool:
    """Whether the functions' source hashes to ``expected`` (not when it cannot be read)."""
    try:
        return digest(*functions) == expected
    except (OSError, TypeError):  # no source to read
        return False
