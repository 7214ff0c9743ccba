"""One error type for everything the user can get wrong, and a collector for warnings.

Every problem carries a stable ``code`` (for docs, tests and ``--strict``), the file it
was found in and, where known, the line. ``str(error)`` is the one line the CLI prints:

    content/posts/x/index.md:3: error: bad date 'yesterday' [bad-date]
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


def _where(file: Path | str | None, line: int | None) -> str:
    if file is None:
        return ""
    return f"{file}:{line}: " if line else f"{file}: "


class PublishError(Exception):
    """Bad input or a failed build. ``code`` is stable; ``file`` and ``line`` say where."""

    def __init__(
        self,
        code: str,
        message: str,
        file: Path | str | None = None,
        line: int | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.file = Path(file) if file is not None else None
        self.line = line

    def __str__(self) -> str:
        return f"{_where(self.file, self.line)}error: {self.message} [{self.code}]"


class PublishWarning(UserWarning):
    """Issued through :mod:`warnings` when no :class:`Diagnostics` collects them."""


@dataclass(frozen=True)
class Diagnostic:
    code: str
    message: str
    file: Path | None = None
    line: int | None = None

    def __str__(self) -> str:
        return f"{_where(self.file, self.line)}warning: {self.message} [{self.code}]"

    def to_json(self) -> list[Any]:
        """``[code, message, file, line]``, as the build caches keep it."""
        file = str(self.file) if self.file is not None else None
        return [self.code, self.message, file, self.line]

    @classmethod
    def from_json(cls, value: list[Any]) -> Diagnostic:
        code, message, file, line = value
        return cls(code, message, Path(file) if file is not None else None, line)


@dataclass
class Diagnostics:
    """Collects warnings during a build. With ``strict``, the first warning is an error."""

    strict: bool = False
    warnings: list[Diagnostic] = field(default_factory=list)
    counters: dict[str, int] = field(default_factory=dict)

    def warn(
        self,
        code: str,
        message: str,
        file: Path | str | None = None,
        line: int | None = None,
    ) -> None:
        path = Path(file) if file is not None else None
        if self.strict:
            raise PublishError(code, f"{message} (a warning, an error under --strict)", path, line)
        self.warnings.append(Diagnostic(code, message, path, line))

    def count(self, name: str, n: int = 1) -> None:
        """Count something worth reporting in the build summary (e.g. removed HTML)."""
        self.counters[name] = self.counters.get(name, 0) + n

    def tell(
        self, warnings: Iterable[Diagnostic], counters: Mapping[str, int] | None = None
    ) -> None:
        """Warnings and counts gathered elsewhere (a worker, a cache, a collector of
        their own), told here in their order: each as :meth:`warn` tells it."""
        for warning in warnings:
            self.warn(warning.code, warning.message, warning.file, warning.line)
        for name, n in (counters or {}).items():
            self.count(name, n)


class _WarningsModuleDiagnostics(Diagnostics):
    """The default for library callers who pass none: warnings go to :mod:`warnings`."""

    def warn(
        self,
        code: str,
        message: str,
        file: Path | str | None = None,
        line: int | None = None,
    ) -> None:
        super().warn(code, message, file, line)
        warnings.warn(str(self.warnings[-1]), PublishWarning, stacklevel=3)


def default_diagnostics(diagnostics: Diagnostics | None) -> Diagnostics:
    return diagnostics if diagnostics is not None else _WarningsModuleDiagnostics()
