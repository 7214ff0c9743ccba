"""Run ``publish KIND SOURCE -o OUT`` and stop at a given point, for the interrupt tests.

    python driver.py KIND SOURCE OUT POINT SECONDS

At POINT (``render``: while chapters are rendered, before any file exists; ``writing``: a
partial book in the temporary file; ``written``: the whole book in the temporary file, not
yet renamed into place) it prints ``AT POINT`` and sleeps SECONDS (the test sends its signal
then, or lets it run on), then carries on. Anything else as POINT: no stop.
"""

from __future__ import annotations

import contextlib
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import publish.render.chapters
import publish.writers.epub
import publish.writers.pdf
from publish.cli import main
from publish.writers.output import atomic_output


def _pause(point: str, seconds: float) -> None:
    print(f"AT {point}", flush=True)
    time.sleep(seconds)


def install(point: str, seconds: float) -> None:
    if point == "render":
        original: Callable[..., Any] = publish.render.chapters.ChapterRenderer.render
        paused: list[bool] = []

        def render(self: Any, chapter: Any) -> Any:
            if not paused:  # the first chapter, in every kind of build
                paused.append(True)
                _pause(point, seconds)
            return original(self, chapter)

        publish.render.chapters.ChapterRenderer.render = render  # type: ignore[method-assign]
    elif point in ("writing", "written"):

        @contextlib.contextmanager
        def held(target: str | Path) -> Iterator[Path]:
            with atomic_output(target) as temp:
                if point == "writing":
                    temp.write_bytes(b"PK\x03\x04 half a book")
                    _pause(point, seconds)
                yield temp
                if point == "written":
                    _pause(point, seconds)

        publish.writers.epub.atomic_output = held  # type: ignore[attr-defined]
        publish.writers.pdf.atomic_output = held  # type: ignore[attr-defined]


if __name__ == "__main__":
    # As from a terminal: a test suite started in the background of a script inherits
    # SIGINT ignored (POSIX shells do that to background jobs), and so would this.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    kind, source, out, where, pause = sys.argv[1:6]
    install(where, float(pause))
    sys.exit(main([kind, source, "-o", out]))
