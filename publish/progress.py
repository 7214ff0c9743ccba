"""A progress bar for long builds: chapters done, of total, on standard error.

It shows only when standard error is a terminal, and only once a build has run for more
than a second (short builds stay quiet). ``PUBLISH_PROGRESS=0`` turns it off, ``=1`` on.
``PUBLISH_TIMINGS=1`` prints how long each step of a build took (:class:`StepClock`).
"""

from __future__ import annotations

import os
import resource
import sys
import time
from types import TracebackType
from typing import Any

DELAY_SECONDS = 1.0


def wanted(setting: bool | None = None) -> bool:
    if setting is not None:
        return setting
    env = os.environ.get("PUBLISH_PROGRESS", "").strip().lower()
    if env in ("0", "no", "false", "off"):
        return False
    if env in ("1", "yes", "true", "on"):
        return True
    return sys.stderr.isatty()


class Progress:
    """``with Progress(total, "PDF") as bar: bar.update()`` once a chapter is done."""

    def __init__(self, total: int, label: str, enabled: bool | None = None) -> None:
        self.total = total
        self.label = label
        self.enabled = wanted(enabled) and total > 0
        self.done = 0
        self._bar: Any = None
        self._started = time.monotonic()

    def __enter__(self) -> Progress:
        self._started = time.monotonic()
        return self

    def update(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        if self._bar is None:
            if time.monotonic() - self._started < DELAY_SECONDS:
                return
            from tqdm import tqdm

            self._bar = tqdm(
                total=self.total, initial=self.done - n, desc=self.label, unit="ch",
                file=sys.stderr, leave=False, dynamic_ncols=True,
            )  # fmt: skip
        self._bar.update(n)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.close()


class StepClock:
    """``PUBLISH_TIMINGS=1``: how long each step of the ``what`` build took, and this
    process's peak memory so far (its high-water resident size), on standard error."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.enabled = os.environ.get("PUBLISH_TIMINGS", "") not in ("", "0")
        self.last = time.perf_counter()

    def mark(self, step: str) -> None:
        now = time.perf_counter()
        if self.enabled:
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"{self.what}: {step}: {now - self.last:.2f} s, peak {peak:.0f} MB", file=sys.stderr
            )
        self.last = now
