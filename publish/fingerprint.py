"""Fingerprints for the build caches: of a file as it is on disk, and of the code and
files every cached result depends on (versions, styles, templates, publish itself).

Shared by the read cache (:mod:`publish.sources.cache`), the render cache
(:mod:`publish.render.cache`) and the PDF cache (:mod:`publish.writers.pdf_cache`).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

PACKAGE = Path(__file__).resolve().parent  # publish's own code and templates


def file_digest(sha: Any, path: Path) -> None:
    """Add a file's name, size and time to ``sha`` (its absence too)."""
    try:
        stat = path.stat()
    except OSError:
        sha.update(f"{path}:missing".encode())
        return
    sha.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())


def environment_key(folders: list[Path], extra: str = "") -> str:
    """What every cached result depends on besides its own input: publish's version,
    ``extra`` (a kind, other versions) and every file under ``folders`` (stylesheets and
    fonts, templates, publish's own code)."""
    from publish import __version__  # (the package imports this module)

    sha = hashlib.sha256(f"{__version__}:{extra}".encode())
    for folder in folders:
        if folder.is_dir():
            paths = (p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
            for path in sorted(paths):
                sha.update(str(path).encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()
