"""The benchmark's table and ratios (kept apart from the running, so tests can check them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Row:
    posts: int
    kind: str  # "EPUB" or "PDF"
    tool: str  # "publish", "floor", "pandoc", "pandoc+WeasyPrint"
    seconds: float
    peak_mb: float
    pages: int | None
    bytes: int
    # Processor time of the whole process tree (user and system): what the work cost,
    # whatever the cores did meanwhile. None in rows of runs made before it was measured.
    cpu_seconds: float | None = None

    @property
    def pages_per_second(self) -> float | None:
        return self.pages / self.seconds if self.pages and self.seconds > 0 else None

    @property
    def cpu_per_page(self) -> float | None:
        return self.cpu_seconds / self.pages if self.pages and self.cpu_seconds else None

    def cells(self) -> list[str]:
        pps = self.pages_per_second
        return [
            str(self.posts),
            self.kind,
            self.tool,
            f"{self.seconds:.2f}",
            "" if self.cpu_seconds is None else f"{self.cpu_seconds:.2f}",
            f"{self.peak_mb:.0f}",
            "" if self.pages is None else str(self.pages),
            "" if pps is None else f"{pps:.1f}",
            f"{self.bytes / 1024 / 1024:.2f}",
        ]

    def line(self) -> str:
        return " | ".join(self.cells())


HEADER = ["posts", "output", "tool", "wall s", "CPU s", "peak MB", "pages", "pages/s", "file MB"]


def markdown_table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
    lines += ["| " + " | ".join(row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def _find(rows: list[Row], posts: int, kind: str, tool: str) -> Row | None:
    return next((r for r in rows if (r.posts, r.kind, r.tool) == (posts, kind, tool)), None)


def _x(value: float) -> str:
    return f"{value:.2f}×"


def ratios(rows: list[Row]) -> str:
    """publish against the floor and the peers, one line a blog size."""
    header = [
        "posts",
        "EPUB time publish/floor",
        "EPUB speed-up over pandoc",
        "EPUB memory publish/pandoc",
        "PDF pages/s publish/WeasyPrint",
        "PDF CPU a page publish/WeasyPrint",
        "PDF memory publish/WeasyPrint",
        "PDF size publish/WeasyPrint",
        "PDF pages publish/WeasyPrint",
        "EPUB rebuild s",
        "PDF rebuild/full build",
    ]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for posts in sorted({r.posts for r in rows}):
        floor = _find(rows, posts, "EPUB", "floor")
        epub = _find(rows, posts, "EPUB", "publish")
        pandoc = _find(rows, posts, "EPUB", "pandoc")
        pdf = _find(rows, posts, "PDF", "publish")
        weasy = _find(rows, posts, "PDF", "pandoc+WeasyPrint")
        cells = [str(posts)]
        cells.append(_x(epub.seconds / floor.seconds) if epub and floor else "")
        cells.append(_x(pandoc.seconds / epub.seconds) if epub and pandoc else "")
        cells.append(
            _x(epub.peak_mb / pandoc.peak_mb) if epub and pandoc and pandoc.peak_mb else ""
        )
        if pdf and weasy and pdf.pages_per_second and weasy.pages_per_second:
            cells.append(_x(pdf.pages_per_second / weasy.pages_per_second))
        else:
            cells.append("")
        if pdf and weasy and pdf.cpu_per_page and weasy.cpu_per_page:
            cells.append(_x(pdf.cpu_per_page / weasy.cpu_per_page))
        else:
            cells.append("")
        cells.append(_x(pdf.peak_mb / weasy.peak_mb) if pdf and weasy and weasy.peak_mb else "")
        cells.append(_x(pdf.bytes / weasy.bytes) if pdf and weasy else "")
        cells.append(f"{pdf.pages}/{weasy.pages}" if pdf and weasy else "")
        epub_rebuild = _find(rows, posts, "EPUB", "publish, rebuild after a 1-post edit")
        cells.append(f"{epub_rebuild.seconds:.2f}" if epub_rebuild else "")
        rebuild = _find(rows, posts, "PDF", "publish, rebuild after a 1-post edit")
        cells.append(_x(rebuild.seconds / pdf.seconds) if rebuild and pdf else "")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# RESULTS.md: what a run writes (the machine, the builds, the ratios), then the notes
# written by hand about the runs, from this heading on, kept as they were.
NOTES = "## Reading these numbers"


def results_text(
    sizes: list[int], when: str, machine: list[str], table: str, summary: str, before: str
) -> str:
    """RESULTS.md for a run; ``before``, the file as it was ("" for none): its notes are
    kept below the new tables, after a line that says they are older."""
    text = [
        "# Benchmark results",
        "",
        f"`make bench` (sizes {', '.join(map(str, sizes))}), {when}.",
        "",
        "## Machine",
        "",
        *machine,
        "",
        "## Builds",
        "",
        "Wall time, processor time (user and system, of the whole process tree) and peak",
        "memory (PSS summed over the build's process tree) of each build.",
        "",
        table,
        "",
        "## Ratios",
        "",
        summary,
        "",
    ]
    at = before.find(f"\n{NOTES}\n")
    if at >= 0:
        text += [
            "The notes below were written about the runs they name, which may not be the",
            "one above: `make bench` keeps them as they were.",
            "",
            before[at + 1 :].rstrip("\n"),
            "",
        ]
    return "\n".join(text)
