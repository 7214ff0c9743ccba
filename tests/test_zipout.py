"""The EPUB's zip writer: entries deflated ahead of time, read back by zipfile."""

from __future__ import annotations

import io
import zipfile

import pytest

from publish.errors import PublishError
from publish.writers import zipout
from publish.writers.zipout import ZipWriter, pack, unpack

STAMP = (2023, 11, 14, 22, 13, 20)


def test_entries_read_back_as_written() -> None:
    text = ("<p>Café — “quoted”</p>\n" * 500).encode()
    out = io.BytesIO()
    with ZipWriter(out, STAMP) as zip_out:
        zip_out.add("mimetype", b"application/epub+zip", stored=True)
        zip_out.add("EPUB/content.opf", b"<package/>")
        zip_out.add_packed("EPUB/text/chapter-001.xhtml", pack(text))
        zip_out.add("EPUB/text/café.xhtml", b"<html/>")
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as read:
        assert read.testzip() is None
        assert read.namelist() == [
            "mimetype",
            "EPUB/content.opf",
            "EPUB/text/chapter-001.xhtml",
            "EPUB/text/café.xhtml",
        ]
        first = read.infolist()[0]
        assert first.compress_type == zipfile.ZIP_STORED  # as EPUB asks, and first
        assert read.read("mimetype") == b"application/epub+zip"
        assert read.read("EPUB/text/chapter-001.xhtml") == text
        chapter = read.getinfo("EPUB/text/chapter-001.xhtml")
        assert chapter.compress_type == zipfile.ZIP_DEFLATED
        assert chapter.compress_size < len(text) // 10
        assert chapter.date_time == (2023, 11, 14, 22, 13, 20)
        assert chapter.external_attr >> 16 == 0o100644
    assert out.getvalue()[30:38] == b"mimetype"  # its name right after the first header


def test_the_same_entries_give_the_same_bytes() -> None:
    def made() -> bytes:
        out = io.BytesIO()
        with ZipWriter(out, STAMP) as zip_out:
            zip_out.add("a.txt", b"x" * 1000)
            zip_out.add_packed("b.txt", pack(b"y" * 1000))
        return out.getvalue()

    assert made() == made()


def test_pack_round_trips() -> None:
    data = bytes(range(256)) * 40
    assert unpack(pack(data)) == data


def test_a_zip_too_large_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zipout, "_LIMIT", 100)
    with pytest.raises(PublishError) as raised:
        ZipWriter(io.BytesIO(), STAMP).add("big.txt", b"z" * 200, stored=True)
    assert raised.value.code == "epub-too-large"
