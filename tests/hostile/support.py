"""What the hostile-content tests share: a loopback listener, the book, and output readers.

The listener is the test that nothing is fetched: hostile content points at its port, and
any connection at all (HTTP or not) is recorded. It listens on 127.0.0.1 only, for a
bounded time, and stops by itself.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

import pypdfium2 as pdfium
from PIL import Image, PngImagePlugin
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

HERE = Path(__file__).resolve().parent
CONTENT = HERE / "content"
EXPORTS = HERE / "exports"
CANARY = "CANARY-7f3a9c-do-not-publish"  # the text of the secret outside the book
PHOTO_SIZE = (3, 2)  # the one image inside the book
SECRET_SIZE = (7, 5)  # the image outside it
THREAD_DEPTH = 200
TEXT_SUFFIXES = {".md", ".toml", ".css", ".atom", ".xml", ".rss", ".html", ".j2"}


@dataclass
class Listener:
    """A TCP listener on 127.0.0.1 that records every connection; stops after ``lifetime``."""

    lifetime: float = 600.0
    connections: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(16)
        self._socket.settimeout(0.1)
        self.port: int = self._socket.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        deadline = time.monotonic() + self.lifetime
        while not self._stop.is_set() and time.monotonic() < deadline:
            try:
                conn, _ = self._socket.accept()
            except TimeoutError:
                continue
            except OSError:
                break
            with conn:
                conn.settimeout(0.5)
                try:
                    first = conn.recv(200).decode("latin-1").splitlines()[:1]
                except OSError:
                    first = []
                self.connections.append(first[0] if first else "(connection, nothing sent)")
        self._socket.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def __enter__(self) -> Listener:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def make_outside(folder: Path) -> Path:
    """A folder outside the book with a secret text and a secret image (both hold CANARY)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "secret.txt").write_text(f"{CANARY}\n", encoding="utf-8")
    (folder / "secret.css").write_text(f'body::after {{ content: "{CANARY}" }}\n', "utf-8")
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", CANARY)
    Image.new("RGB", SECRET_SIZE, (200, 0, 0)).save(folder / "secret.png", pnginfo=info)
    return folder


def instantiate(source: Path, dest: Path, port: int, outside: Path) -> Path:
    """Copy ``source`` to ``dest``, putting the listener's port and the outside folder in."""
    shutil.copytree(source, dest)
    for path in dest.rglob("*"):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            text = path.read_text("utf-8")
            text = text.replace("@PORT@", str(port)).replace("@OUTSIDE@", str(outside))
            path.write_text(text, "utf-8")
    return dest


def hostile_book(dest: Path, port: int, outside: Path) -> Path:
    """The hostile content folder, ready to build: with its image and a deep thread."""
    root = instantiate(CONTENT, dest, port, outside)
    Image.new("RGB", PHOTO_SIZE, (0, 90, 200)).save(
        root / "posts" / "2020-01-02-fetching" / "photo.png"
    )
    add_deep_thread(root / "posts" / "2020-01-07-deep-thread", THREAD_DEPTH)
    return root


def add_deep_thread(post: Path, depth: int) -> None:
    """A post whose single thread is ``depth`` replies deep (each answers the one before)."""
    (post / "comments").mkdir(parents=True)
    (post / "index.md").write_text(
        f"---\ntitle: A thread {depth} replies deep\n---\nQZ61 The argument goes on.\n", "utf-8"
    )
    for n in range(depth + 1):
        reply = f'reply_to: "c{n - 1:04d}"\n' if n else ""
        hour, minute = divmod(n, 60)
        body = f"QZ62 the last word, {depth} replies down." if n == depth else f"Reply {n}."
        (post / "comments" / f"c{n:04d}.md").write_text(
            f"---\nauthor: Person {n % 7}\ndate: 2020-02-{1 + hour // 24:02d} "
            f"{hour % 24:02d}:{minute:02d}\n{reply}---\n{body}\n",
            "utf-8",
        )


# --- reading what a build wrote --------------------------------------------------------


def epub_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


@dataclass
class PdfParts:
    """Everything in a PDF a test may look for: names, strings, stream data, images, text."""

    names: set[str] = field(default_factory=set)
    strings: list[str] = field(default_factory=list)
    streams: list[bytes] = field(default_factory=list)
    images: list[tuple[int, int]] = field(default_factory=list)
    text: str = ""


def pdf_parts(path: Path) -> PdfParts:
    """Walk every object reachable from the trailer (no recursion: PDFs can be deep)."""
    reader = PdfReader(path)
    parts = PdfParts()
    seen: set[int] = set()
    todo: list[object] = [reader.trailer]
    while todo:
        obj = todo.pop()
        if isinstance(obj, IndirectObject):
            if obj.idnum in seen:
                continue
            seen.add(obj.idnum)
            todo.append(obj.get_object())
            continue
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                parts.names.add(str(key))
                todo.append(value)
            if isinstance(obj, StreamObject):
                try:
                    parts.streams.append(obj.get_data())
                except Exception:  # a filter pypdf cannot undo (images): keep the raw bytes
                    parts.streams.append(obj._data)
                if obj.get("/Subtype") == "/Image":
                    width, height = obj["/Width"], obj["/Height"]
                    assert isinstance(width, int) and isinstance(height, int)
                    parts.images.append((width, height))
        elif isinstance(obj, ArrayObject):
            todo.extend(obj)
        elif isinstance(obj, str):
            parts.strings.append(str(obj))
        elif isinstance(obj, bytes):
            parts.strings.append(obj.decode("latin-1"))
    parts.text = pdf_text(path)
    return parts


def pdf_text(path: Path) -> str:
    """The PDF's text, by PDFium (pypdf misreads the custom CMaps WeasyPrint writes)."""
    document = pdfium.PdfDocument(path)
    try:
        return "\n".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


# Tags no output file may hold, anywhere (text that shows them is escaped: "&lt;script").
ACTIVE_TAGS = re.compile(
    rb"<(script|iframe|object|embed|form|input|button|applet|frame|frameset)\b"
    rb"|<meta[^>]+http-equiv|<base\b",
    re.I,
)
# PDF actions that run or launch something, or send data somewhere.
ACTIVE_PDF_NAMES = {
    "/JS",
    "/JavaScript",
    "/Launch",
    "/SubmitForm",
    "/ImportData",
    "/RichMedia",
    "/AA",
    "/OpenAction",
    "/GoToR",
    "/EmbeddedFile",
}
