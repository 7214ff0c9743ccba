"""The benchmark's table and ratios format what they are given."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.table import Row, markdown_table, ratios


def _rows() -> list[Row]:
    return [
        Row(100, "EPUB", "floor", 1.0, 50, None, 1000),
        Row(100, "EPUB", "publish", 1.5, 80, None, 2000),
        Row(100, "EPUB", "pandoc", 9.0, 400, None, 3000),
        Row(100, "PDF", "publish", 10.0, 300, 600, 2 * 1024 * 1024, 18.0),
        Row(100, "PDF", "pandoc+WeasyPrint", 50.0, 900, 580, 2 * 1024 * 1024, 58.0),
        Row(100, "PDF", "publish, rebuild after a 1-post edit", 0.5, 200, 600, 2 * 1024 * 1024),
        Row(100, "EPUB", "publish, rebuild after a 1-post edit", 0.25, 60, None, 2000),
    ]


def test_table_has_a_line_a_build() -> None:
    table = markdown_table(_rows()).splitlines()
    assert len(table) == 2 + 7
    assert table[0].startswith("| posts | output | tool | wall s | CPU s | peak MB | pages")
    assert "| 100 | PDF | publish | 10.00 | 18.00 | 300 | 600 | 60.0 | 2.00 |" in table
    assert "| 100 | EPUB | floor | 1.00 |  | 50 |  |  | 0.00 |" in table  # an older run's row


def test_ratios() -> None:
    line = ratios(_rows()).splitlines()[-1]
    cells = [c.strip() for c in line.strip("|").split("|")]
    assert cells == [
        "100",
        "1.50×",
        "6.00×",
        "0.20×",
        "5.17×",
        "0.30×",
        "0.33×",
        "1.00×",
        "600/580",
        "0.25",
        "0.05×",
    ]


def test_a_run_keeps_the_notes_written_about_earlier_runs() -> None:
    from benchmarks.table import NOTES, results_text

    rows = _rows()
    table, summary = markdown_table(rows), ratios(rows)
    fresh = results_text([10], "2026-01-01 00:00 UTC", ["- CPU: x"], table, summary, "")
    assert fresh.startswith("# Benchmark results") and NOTES not in fresh
    notes = f"{NOTES}\n\nWhat the 00:39 run showed.\n\n### History\n\n| a |\n"
    again = results_text([10], "2026-01-02 00:00 UTC", ["- CPU: y"], table, summary, fresh + notes)
    assert again.count("# Benchmark results") == 1 and again.count("## Builds") == 1
    assert "2026-01-02" in again and "2026-01-01" not in again and "- CPU: y" in again
    assert again.endswith(notes) and "may not be the\none above" in again
    third = results_text([10], "2026-01-03 00:00 UTC", ["- CPU: z"], table, summary, again)
    assert third.count("may not be the") == 1 and third.endswith(notes)
