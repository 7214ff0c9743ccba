"""The progress bar: off when standard error is no terminal, on after a second."""

from __future__ import annotations

import io

import pytest

from publish.progress import Progress, wanted


def test_off_unless_a_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PUBLISH_PROGRESS", raising=False)
    monkeypatch.setattr("sys.stderr", io.StringIO())
    assert not wanted()
    monkeypatch.setenv("PUBLISH_PROGRESS", "1")
    assert wanted()
    monkeypatch.setenv("PUBLISH_PROGRESS", "0")
    assert not wanted(None)
    assert wanted(True)


def test_shows_only_after_a_second(monkeypatch: pytest.MonkeyPatch) -> None:
    err = io.StringIO()
    monkeypatch.setattr("sys.stderr", err)
    now = [100.0]
    monkeypatch.setattr("publish.progress.time.monotonic", lambda: now[0])
    with Progress(10, "PDF", enabled=True) as bar:
        bar.update(2)
        assert err.getvalue() == ""  # quick builds stay quiet
        now[0] += 1.5
        bar.update(3)
        assert "PDF:" in err.getvalue() and "/10" in err.getvalue()
        assert bar._bar.n == 5
    assert bar.done == 5
