"""What ``publish check`` reports: findings with a stable code, a severity, a file and a line."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]

# Every code the lint reports, its severity and what it means. Codes are stable: scripts,
# docs and tests rely on them. Errors make `publish check` exit with 1; warnings only
# under --strict. Problems that stop a build (bad front matter, a missing image, ...) are
# errors under the code the build itself uses.
CODES: dict[str, tuple[Severity, str]] = {
    "bad-reply-to": ("error", "a comment answers a comment the post does not have"),
    "dead-link": ("error", "a link to a post that is not in the book (missing or a draft)"),
    "missing-image": ("error", "an image file that does not exist"),
    "image-outside": ("error", "an image outside the content folder"),
    "missing-alt": ("warning", "an image without alt text (no text alternative)"),
    "remote-image": ("warning", "a remote image, left out of the book"),
    "low-resolution-image": ("warning", "an image under 300 dpi at its printed width"),
    "empty-post": ("warning", "a post (or a page of front or back matter) with no text"),
    "empty-comment": ("warning", "a comment with no text"),
    "duplicate-title": ("warning", "two posts of the book with the same title"),
    "matter-title": (
        "warning",
        "a post, or a page of front or back matter, with the title of a page of front or back"
        " matter listed in the contents",
    ),
    "part-title": (
        "warning",
        "a post, or a page of front or back matter listed in the contents, with the title of a"
        ' part (parts = "year")',
    ),
    "missing-glyph": ("warning", "a character the book face (Linux Libertine) cannot draw"),
}


def _where(file: Path | None, line: int | None) -> str:
    if file is None:
        return ""
    return f"{file}:{line}: " if line else f"{file}: "


@dataclass(frozen=True)
class Finding:
    """One problem: ``str(finding)`` is the line ``publish check`` prints."""

    code: str
    message: str
    severity: Severity
    file: Path | None = None
    line: int | None = None

    def __str__(self) -> str:
        return f"{_where(self.file, self.line)}{self.severity}: {self.message} [{self.code}]"

    @property
    def is_error(self) -> bool:
        return self.severity == "error"
