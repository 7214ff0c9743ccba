"""make bench: publish against pandoc and WeasyPrint on the same synthetic blogs.

    python benchmarks/run.py [--sizes 10,100,1000] [--out benchmarks/RESULTS.md]

Sizes default to 10 and 100 posts; ``BENCH_SIZES=10,100,1000`` (or ``--sizes``) adds the
1,000-post blog, which takes many minutes (the single WeasyPrint run alone is the longest).
Every build is its own process tree; its wall time and its peak memory are measured from
outside, memory as the sum over the tree of each process's proportional set size (PSS:
shared pages counted once, split between the processes that share them), sampled up to
20 times a second: less often when a sample costs more (see ``SAMPLER_SHARE``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

import psutil

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from benchmarks.generate import digest, generate  # noqa: E402
from benchmarks.peers import STYLES, blog_markdown  # noqa: E402
from benchmarks.table import Row, markdown_table, ratios, results_text  # noqa: E402

BIN = Path(sys.executable).parent
WORK = REPO / "build" / "bench"
SAMPLE_SECONDS = 0.05  # between samples of memory, at least
# A sample reads every process's memory map from the kernel: some 2 ms a process of a few
# hundred megabytes, with all of the machine's processes listed to find the tree. A build
# that keeps both cores busy (publish's workers) pays for it in time; a build on one core
# (a single WeasyPrint run) does not, the sampler running on the other. So the sampler
# waits long enough to take at most this share of one core: the same small cost for all.
SAMPLER_SHARE = 0.02


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_mb: float
    output: Path
    cpu_seconds: float  # user and system, of every process of the tree


def _children_cpu() -> float:
    """Processor time of the children this process has waited for, and of theirs: a
    build waits for its workers, so its own takes theirs in."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _tree_memory(root: psutil.Process) -> float:
    total = 0
    try:
        processes = [root, *root.children(recursive=True)]
    except psutil.Error:
        return 0.0
    for process in processes:
        try:
            info = process.memory_full_info()
            total += getattr(info, "pss", info.rss)
        except psutil.Error:
            continue
    return total / 1024 / 1024


def measure(command: list[str], output: Path, env: dict[str, str] | None = None) -> Measured:
    """Run ``command``; its wall time and the peak memory of its whole process tree."""
    output.unlink(missing_ok=True)
    # Its output goes to files, not pipes: a pipe nobody reads while it runs fills up
    # and stops a build that writes much (warnings) for good.
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        cpu = _children_cpu()
        process = subprocess.Popen(
            command, stdout=out, stderr=err, env={**os.environ, **(env or {})}
        )
        watched = psutil.Process(process.pid)
        peak = 0.0
        while process.poll() is None:
            cost = time.process_time()
            peak = max(peak, _tree_memory(watched))
            cost = time.process_time() - cost
            # (returns as soon as the build ends: its time is not rounded up)
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=max(SAMPLE_SECONDS, cost / SAMPLER_SHARE))
        seconds = time.perf_counter() - started
        cpu = _children_cpu() - cpu
        if process.returncode != 0 or not output.exists():
            out.seek(0)
            err.seek(0)
            said = out.read().decode()[-2000:] + "\n" + err.read().decode()[-2000:]
            raise SystemExit(f"failed: {' '.join(command)}\n{said}")
    return Measured(seconds, peak, output, cpu)


def pages(pdf: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(pdf).pages)


def ensure_pandoc() -> str | None:
    found = shutil.which("pandoc")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("pandoc is missing: installing it with apt-get", flush=True)
        subprocess.run(["apt-get", "update", "-qq"], check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "pandoc"], check=False)
        return shutil.which("pandoc")
    print("pandoc is missing and cannot be installed here (not root, or no apt-get):")
    print("the peers' rows are left out")
    return None


def blog(posts: int) -> Path:
    """The synthetic blog of ``posts`` posts, generated once and reused while unchanged."""
    folder = WORK / f"blog-{posts}"
    stamp = WORK / f"blog-{posts}.digest"
    if not (folder.is_dir() and stamp.is_file() and stamp.read_text() == digest(folder)):
        generate(folder, posts)
        stamp.write_text(digest(folder))
    return folder


# The EPUB builds (the floor, publish's from scratch, pandoc's) are quick: each is run this
# many times and the fastest kept (pandoc's own processor time for the same book has
# moved from 37 to 52 s between runs). The PDF builds, minutes long, run this many times
# each, publish's and the peer's in turn (the same 1,000-post PDF has taken 339 s of
# processor time in one run and 427 s in another).
EPUB_RUNS = 3
PDF_RUNS = int(os.environ.get("BENCH_PDF_RUNS", "2"))
PEERS = ("pandoc", "pandoc+WeasyPrint")  # slow; the floor is measured every run (seconds)
REBUILD = """
import sys
from pathlib import Path
from publish import load_book
from publish.writers.pdf import write_pdf
write_pdf(load_book(sys.argv[1], cache=sys.argv[3]), sys.argv[2], cache=sys.argv[3], progress=False)
"""


def _edit_one_post(content: Path, word: int = 2) -> None:
    """Change one word of the middle post (same length: a typo fixed): the first from
    ``word`` on that reads otherwise backwards, so that edits from words further on each
    make a text no build has seen."""
    posts = sorted((content / "posts").iterdir())
    post = posts[len(posts) // 2]
    path = post / "index.md" if post.is_dir() else post
    text = path.read_text("utf-8")
    at = text.index("\n---\n", 4) + 5
    words = text[at:].split(" ")
    n = next(n for n in range(word, len(words)) if words[n][::-1] != words[n])
    words[n] = words[n][::-1]
    path.write_text(text[:at] + " ".join(words), "utf-8")


def bench_size(posts: int, pandoc: str | None, reuse: str = "") -> list[Row]:
    """Every build of one blog size; with ``reuse="peers"``, the peers' rows of an
    earlier run on the same blog are taken again (they do not change with publish; the
    floor, quick, is measured again, so that publish/floor compares one moment's machine);
    with ``reuse="all"`` every row is (to write one table from runs made apart)."""
    content = blog(posts)
    out = WORK / f"out-{posts}"
    out.mkdir(parents=True, exist_ok=True)
    stored_path = out / "rows.json"
    blog_digest = (WORK / f"blog-{posts}.digest").read_text()
    stored: dict[str, dict[str, object]] = {}
    if stored_path.is_file():
        data = json.loads(stored_path.read_text())
        if data.get("digest") == blog_digest:
            stored = data["rows"]
    env = {"SOURCE_DATE_EPOCH": "1700000000", "PUBLISH_PROGRESS": "0"}
    rows: list[Row] = []
    print(f"\n{posts} posts", flush=True)

    def stored_row(tool: str, kind: str) -> Row | None:
        """The row of an earlier run, when ``reuse`` asks for it."""
        name = f"{kind} {tool}"
        if (reuse == "all" or (reuse == "peers" and tool in PEERS)) and name in stored:
            row = Row(**stored[name])  # type: ignore[arg-type]
            print("  " + row.line() + "  (from an earlier run)", flush=True)
            return row
        return None

    def record(tool: str, kind: str, runs: list[Measured], output: Path) -> None:
        """The fastest run's time and processor time, the highest peak of memory."""
        fastest = min(runs, key=lambda m: m.seconds)
        count = pages(output) if output.suffix == ".pdf" else None
        size = output.stat().st_size
        peak = max(m.peak_mb for m in runs)
        row = Row(posts, kind, tool, fastest.seconds, peak, count, size, fastest.cpu_seconds)
        each = ", ".join(f"{m.seconds:.2f}" for m in runs)
        print("  " + row.line() + (f"  (fastest of {each} s)" if len(runs) > 1 else ""), flush=True)
        stored[f"{kind} {tool}"] = asdict(row)
        stored_path.write_text(json.dumps({"digest": blog_digest, "rows": stored}, indent=1))
        rows.append(row)

    def run(
        tool: str, kind: str, command: list[str], output: Path, times: int = 1,
        before: Callable[[], None] | None = None,
    ) -> None:  # fmt: skip
        """Measure a build ``times`` times (``before`` each)."""
        row = stored_row(tool, kind)
        if row is not None:
            rows.append(row)
            return
        runs = []
        for _ in range(times):
            if before is not None:
                before()
            runs.append(measure(command, output, env))
        record(tool, kind, runs, output)

    run(
        "floor",
        "EPUB",
        [sys.executable, str(HERE / "floor.py"), str(content), str(out / "floor.zip")],
        out / "floor.zip",
        EPUB_RUNS,
    )
    # Each output: a full build that also fills its build cache (as the command line does
    # by default), then a rebuild of the same blog after one post is edited.
    edited = out / "edited"
    if edited.exists():
        shutil.rmtree(edited)
    shutil.copytree(content, edited)
    cache = out / "cache"

    def no_cache() -> None:
        if cache.exists():
            shutil.rmtree(cache)

    def no_pdf_cache() -> None:  # the posts as read stay, as the EPUB build left them
        if (cache / "pdf").exists():
            shutil.rmtree(cache / "pdf")

    epub = [str(BIN / "publish"), "epub", str(edited), "-o", str(out / "publish.epub")]
    epub += ["--cache", str(cache)]
    rebuild = [sys.executable, "-c", REBUILD, str(edited), str(out / "publish.pdf"), str(cache)]
    run("publish", "EPUB", epub, out / "publish.epub", EPUB_RUNS, no_cache)
    source = blog_markdown(content, out / "blog.md") if pandoc else None
    peer_pdf = ["sh", "-c", _peer_pdf_script(pandoc, source, out)] if pandoc and source else None
    # The PDF builds, publish's and the peer's, in turn: a slow spell of the machine then
    # falls on both alike, and the fastest of each is kept.
    publish_row = stored_row("publish", "PDF")
    peer_row = stored_row("pandoc+WeasyPrint", "PDF") if peer_pdf else None
    publish_runs: list[Measured] = []
    peer_runs: list[Measured] = []
    for _ in range(PDF_RUNS):
        if publish_row is None:
            no_pdf_cache()
            publish_runs.append(measure(rebuild, out / "publish.pdf", env))
        if peer_pdf and peer_row is None:
            peer_runs.append(measure(peer_pdf, out / "weasyprint.pdf", env))
    if publish_row is not None:
        rows.append(publish_row)
    else:
        record("publish", "PDF", publish_runs, out / "publish.pdf")  # its cache left filled
    # The EPUB rebuild, as its full build, is the fastest of three: each after another
    # edit of the same post (a word further on), so each has one post to render again.
    edits = iter(range(2, 2 + EPUB_RUNS * 2, 2))
    rebuilt = "publish, rebuild after a 1-post edit"
    run(
        rebuilt, "EPUB", epub, out / "publish.epub", EPUB_RUNS,
        lambda: _edit_one_post(edited, next(edits)),
    )  # fmt: skip
    run(rebuilt, "PDF", rebuild, out / "publish.pdf")
    if pandoc and source:
        run(
            "pandoc",
            "EPUB",
            [pandoc, str(source), "--toc", "--toc-depth=1", "-o", str(out / "pandoc.epub")],
            out / "pandoc.epub",
            EPUB_RUNS,
        )
        if peer_row is not None:
            rows.append(peer_row)
        else:
            record("pandoc+WeasyPrint", "PDF", peer_runs, out / "weasyprint.pdf")
    return rows


def _peer_pdf_script(pandoc: str, source: Path, out: Path) -> str:
    """pandoc's HTML of the blog, with publish's print stylesheets, through one WeasyPrint
    run (passing the stylesheets matters: pandoc's own screen styles would win)."""
    css = [
        REPO / "styles" / "book.css",
        REPO / "styles" / "print.css",
        STYLES / "pandoc-print.css",
    ]
    html = out / "pandoc.html"
    return (
        f"{pandoc} {source} -s --toc --toc-depth=1 --section-divs -o {html} "
        + " ".join(f"--css {p.as_uri()}" for p in css)
        + f" && {BIN / 'weasyprint'} {html} {out / 'weasyprint.pdf'}"
    )


def stored_rows(posts: int) -> list[Row]:
    path = WORK / f"out-{posts}" / "rows.json"
    if not path.is_file():
        return []
    return [Row(**row) for row in json.loads(path.read_text())["rows"].values()]


def machine(pandoc: str | None) -> list[str]:
    import weasyprint

    cpu = platform.processor() or "?"
    info = Path("/proc/cpuinfo")
    if info.is_file():
        for line in info.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    pandoc_version = "not installed"
    if pandoc:
        pandoc_version = subprocess.run(
            [pandoc, "--version"], capture_output=True, text=True
        ).stdout.split("\n")[0]
    return [
        f"- CPU: {cpu}; {os.cpu_count()} cores (nproc {len(os.sched_getaffinity(0))})",
        f"- memory: {psutil.virtual_memory().total / 1024**3:.1f} GiB",
        f"- Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}",
        f"- {pandoc_version}",
        f"- {platform.platform()}",
        "- load average (1, 5, 15 min) when the table was written: "
        + ", ".join(f"{x:.2f}" for x in os.getloadavg())
        + " (other work on the machine slows every row alike, not the ratios so much)",
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=os.environ.get("BENCH_SIZES", "10,100"))
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--reuse",
        choices=["peers", "all"],
        default="",
        help="take the peers' (or all) rows of an earlier run on the same blog",
    )
    parser.add_argument(
        "--table-only", action="store_true", help="run nothing: the table of the rows stored"
    )
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    pandoc = shutil.which("pandoc") if args.table_only else ensure_pandoc()
    if args.table_only:
        rows = [row for size in sizes for row in stored_rows(size)]
    else:
        rows = [row for size in sizes for row in bench_size(size, pandoc, args.reuse)]
    table = markdown_table(rows)
    summary = ratios(rows)
    print("\n" + table + "\n\n" + summary)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    before = args.out.read_text(encoding="utf-8") if args.out.is_file() else ""
    text = results_text(sizes, when, machine(pandoc), table, summary, before)
    args.out.write_text(text, encoding="utf-8")
    print(f"\nwrote {args.out}")


if __name__ == "__main__":
    main()
