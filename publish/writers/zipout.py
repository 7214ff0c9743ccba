"""The EPUB's zip file, written with entries that were deflated ahead of time.

Compressing a thousand chapters' XHTML is a quarter of a rebuild when done here, once
more every build. So each chapter's document is deflated where it is made (in a render
worker) and kept so in the render cache (:func:`pack`), and the zip takes those bytes
as they are. ``zipfile`` cannot: it compresses whatever it writes. The format written
here is the plain one (no Zip64, no data descriptors, no extra fields), which is all an
EPUB needs and what every reader reads; the same entries give the same bytes (fixed
timestamps and attributes), so books are reproducible.
"""

from __future__ import annotations

import struct
import zlib
from dataclasses import dataclass
from types import TracebackType
from typing import BinaryIO

from publish.errors import PublishError

LEVEL = 6  # zlib's default, as zipfile's
_SIZES = struct.Struct("<II")  # a packed entry's CRC-32 and size, before its deflated bytes
_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_STORED, _DEFLATED = 0, 8
_VERSION = 20  # 2.0: deflate
_MADE_BY = (3 << 8) | _VERSION  # on Unix, so the permissions below mean what they say
_ATTRIBUTES = 0o100644 << 16  # a regular file, rw-r--r--
_LIMIT = 0xFFFFFFFF


def pack(data: bytes) -> bytes:
    """``data`` deflated for a zip entry, with its CRC-32 and size ahead of it."""
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)
    deflated = compressor.compress(data) + compressor.flush()
    return _SIZES.pack(zlib.crc32(data), len(data)) + deflated


def unpack(packed: bytes) -> bytes:
    """The data :func:`pack` was given."""
    return zlib.decompress(packed[_SIZES.size :], -15)


@dataclass(frozen=True)
class _Entry:
    name: bytes
    method: int
    crc: int
    size: int
    compressed: int
    offset: int


class ZipWriter:
    """Entries written in the order given, all with the same timestamp."""

    def __init__(self, out: BinaryIO, date_time: tuple[int, int, int, int, int, int]) -> None:
        year, month, day, hour, minute, second = date_time
        self.out = out
        self.date = (max(year, 1980) - 1980) << 9 | month << 5 | day
        self.time = hour << 11 | minute << 5 | second // 2
        self.entries: list[_Entry] = []
        self.offset = 0

    def add(self, name: str, data: bytes, *, stored: bool = False) -> None:
        """An entry, deflated (or ``stored``: the EPUB's ``mimetype``)."""
        if stored:
            self._write(name, _STORED, zlib.crc32(data), len(data), data)
        else:
            self.add_packed(name, pack(data))

    def add_packed(self, name: str, packed: bytes) -> None:
        """An entry made by :func:`pack`."""
        crc, size = _SIZES.unpack_from(packed)
        self._write(name, _DEFLATED, crc, size, memoryview(packed)[_SIZES.size :])

    def _write(self, name: str, method: int, crc: int, size: int, data: bytes | memoryview) -> None:
        encoded = name.encode("utf-8")
        if max(size, len(data), self.offset) >= _LIMIT or len(self.entries) >= 0xFFFF:
            raise PublishError("epub-too-large", f"the EPUB is too large for a zip file ({name})")
        entry = _Entry(encoded, method, crc, size, len(data), self.offset)
        header = _LOCAL.pack(
            0x04034B50, _VERSION, self._flags(encoded), method, self.time, self.date,
            crc, len(data), size, len(encoded), 0,
        )  # fmt: skip
        self.out.write(header)
        self.out.write(encoded)
        self.out.write(data)
        self.offset += len(header) + len(encoded) + len(data)
        self.entries.append(entry)

    @staticmethod
    def _flags(name: bytes) -> int:
        return 0 if name.isascii() else 0x800  # bit 11: the name is UTF-8

    def close(self) -> None:
        """The central directory and its end record."""
        start = self.offset
        for entry in self.entries:
            record = _CENTRAL.pack(
                0x02014B50, _MADE_BY, _VERSION, self._flags(entry.name), entry.method,
                self.time, self.date, entry.crc, entry.compressed, entry.size,
                len(entry.name), 0, 0, 0, 0, _ATTRIBUTES, entry.offset,
            )  # fmt: skip
            self.out.write(record)
            self.out.write(entry.name)
            self.offset += len(record) + len(entry.name)
        count = len(self.entries)
        self.out.write(_END.pack(0x06054B50, 0, 0, count, count, self.offset - start, start, 0))

    def __enter__(self) -> ZipWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
