"""Write a book atomically: the whole file appears at once, or nothing changes.

The book is written inside a private temporary folder next to the target,
``.<book>.<pid>.<random>.part/``, and renamed over the target only when complete (a rename
within one file system is atomic), so a failed or interrupted build (an error, Ctrl-C)
leaves the previous book as it was and removes its temporary folder. A writer's own
temporary files (a PDF library saving "atomically" beside its output) land in that folder
too. A build killed outright (``SIGKILL``, a power cut) cannot clean up after itself: the
next build into the same folder removes what a process that no longer runs left behind.
Two builds into the same file at once each write their own temporary folder; the book is
whichever finished last, whole.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

from publish.errors import PublishError

# Errors of the disk, not of the book: reported as a failed write, not as a bug.
_DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO, errno.EACCES}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    return True


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink()


def temp_pattern(target: Path) -> re.Pattern[str]:
    """The names of ``target``'s temporary folders (group 1: the writing process's id)."""
    return re.compile(rf"^\.{re.escape(target.name)}\.(\d+)\.[0-9a-f]+\.part$")


def sweep_stale(target: Path) -> list[Path]:
    """Remove temporary folders of ``target`` left by processes that no longer run."""
    pattern = temp_pattern(target)
    removed = []
    with contextlib.suppress(OSError):
        for entry in target.parent.iterdir():
            match = pattern.match(entry.name)
            if match is None:
                continue
            pid = int(match.group(1))
            if pid != os.getpid() and not _alive(pid):
                _remove(entry)
                removed.append(entry)
    return removed


@contextlib.contextmanager
def atomic_output(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path to write to; it becomes ``target`` only if the block succeeds."""
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise PublishError(
            "unwritable", f"cannot create folder: {exc.strerror}", target.parent
        ) from exc
    if target.is_dir():
        raise PublishError("unwritable", "cannot write the book: a folder has that name", target)
    sweep_stale(target)
    folder = target.parent / f".{target.name}.{os.getpid()}.{secrets.token_hex(6)}.part"
    try:
        folder.mkdir(mode=0o700)
    except OSError as exc:
        raise PublishError("unwritable", f"cannot write the book: {exc.strerror}", target) from exc
    try:
        temp = folder / target.name
        yield temp
        temp.chmod(0o644)
        temp.replace(target)
    except OSError as exc:
        if exc.errno in _DISK_ERRORS:
            raise PublishError(
                "unwritable", f"cannot write the book: {exc.strerror}", target
            ) from exc
        raise
    finally:
        _remove(folder)
