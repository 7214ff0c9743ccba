"""The read cache: posts as read, kept between builds.

A blog of a thousand posts is some twelve thousand files, each with YAML front matter to
parse; reading them is most of a rebuild. With a cache folder, :func:`load_content`
keeps every post as read (comments threaded, text XML-safe) together with the sizes and
times of its files and the warnings reading it gave. The next build reads a post again
only when one of its files changed, was added or went away; the others, and their
warnings, come from the cache. The book is the same either way.

A post's files are its Markdown file and, for a post folder, the ``.md`` files in its
``comments/`` folder: what :func:`publish.sources.content.read_post` reads. The entries
are JSON (loading one cannot run code, whoever wrote the cache folder), one line a post
in one file a content folder, and the key covers publish's own code, so a new version
reads again.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from publish.errors import Diagnostic, Diagnostics
from publish.fingerprint import PACKAGE, environment_key
from publish.model import Body, Comment, Post

FORMAT = 1  # of the entries; bump when what is stored changes
Signature = list[Any]


def _stat(path: Path) -> list[Any]:
    info = path.stat()
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def signature(entry: Path) -> Signature | None:
    """What a post was read from, as it is now: the files' sizes and times (None when
    one cannot be looked at: the post is read, and fails there with a proper error)."""
    try:
        if not entry.is_dir():
            return ["file", _stat(entry)]
        files: list[Any] = []
        missing = (FileNotFoundError, NotADirectoryError)
        with contextlib.suppress(*missing), os.scandir(entry / "comments") as found:
            for item in found:
                if item.name.endswith(".md"):
                    info = item.stat()
                    times = [info.st_mtime_ns, info.st_ctime_ns, info.st_ino]
                    files.append([item.name, info.st_size, *times])
        files.sort()
        return ["folder", _stat(entry / "index.md"), files]
    except OSError:
        return None


def _date(moment: datetime) -> str:
    return moment.isoformat()


def _name(path: Path | None) -> str | None:
    return str(path) if path is not None else None


def _path(name: str | None) -> Path | None:
    """A path as :func:`_name` wrote it; its folder is made once (a post's thirty comments
    share one), which takes half the time of making each path from the whole string."""
    if name is None:
        return None
    folder, _, leaf = name.rpartition("/")
    if os.sep != "/" or not folder or leaf in ("", ".", ".."):
        return Path(name)
    return _folder(folder) / leaf


@functools.lru_cache(maxsize=4096)
def _folder(name: str) -> Path:
    return Path(name)


def _comment_json(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.id,
        "author": comment.author,
        "date": _date(comment.date),
        "body": [comment.body.text, comment.body.format],
        "url": comment.url,
        "reply_to": comment.reply_to,
        "replies": [_comment_json(r) for r in comment.replies],
        "source": _name(comment.source),
    }


def _comment(value: dict[str, Any]) -> Comment:
    return Comment(
        id=value["id"],
        author=value["author"],
        date=datetime.fromisoformat(value["date"]),
        body=Body(*value["body"]),
        url=value["url"],
        reply_to=value["reply_to"],
        replies=tuple(_comment(r) for r in value["replies"]),
        source=_path(value["source"]),
    )


def post_json(post: Post) -> dict[str, Any]:
    """A post as JSON has it (:func:`post_from_json` gives it back, equal)."""
    return {
        "slug": post.slug,
        "title": post.title,
        "date": _date(post.date),
        "body": [post.body.text, post.body.format],
        "author": post.author,
        "tags": list(post.tags),
        "url": post.url,
        "draft": post.draft,
        "comments": [_comment_json(c) for c in post.comments],
        "source": _name(post.source),
        "base_dir": _name(post.base_dir),
    }


def post_from_json(value: dict[str, Any]) -> Post:
    return Post(
        slug=value["slug"],
        title=value["title"],
        date=datetime.fromisoformat(value["date"]),
        body=Body(*value["body"]),
        author=value["author"],
        tags=tuple(value["tags"]),
        url=value["url"],
        draft=value["draft"],
        comments=tuple(_comment(c) for c in value["comments"]),
        source=_path(value["source"]),
        base_dir=_path(value["base_dir"]),
    )


Reader = Callable[[Path, Diagnostics], Post]


class ReadCache:
    """The posts of one content folder as last read, in ``folder``; a context manager
    that writes the posts of this load as the next cache when the load succeeds.

    The file is a line of JSON (the key), then one line a post: its path, the signature
    of its files and what reading it gave, each JSON, between tabs (JSON text holds no
    tab and no line break). A line is parsed only when its post is asked for, and written
    out again as it is (at once: no second copy of the cache is held) when the post has
    not changed. Posts not asked for (removed) leave the cache.
    """

    def __init__(self, folder: str | Path, root: Path) -> None:
        name = hashlib.sha256(str(root.resolve()).encode()).hexdigest()[:16]
        self.path = Path(folder) / "read" / f"{name}.jsonl"
        self.key = environment_key([PACKAGE], f"read:{FORMAT}")
        self.lines: dict[str, tuple[str, str]] = {}  # path (JSON) -> signature, entry
        self._seen: dict[Path, Signature | None] = {}  # signatures taken by has()
        self._temp = self.path.with_suffix(f".{os.getpid()}.part")
        self._out: TextIO | None = None
        try:
            head, _, rest = self.path.read_text("utf-8").partition("\n")
            if json.loads(head).get("key") != self.key:
                return
        except (OSError, ValueError, AttributeError):
            return
        for line in rest.split("\n"):
            fields = line.split("\t")
            if len(fields) == 3:
                self.lines[fields[0]] = (fields[1], fields[2])

    def __enter__(self) -> ReadCache:
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._out = self._temp.open("w", encoding="utf-8")
            self._out.write(json.dumps({"key": self.key}) + "\n")
        return self

    def __exit__(self, kind: object, error: object, trace: object) -> None:
        if self._out is None:
            return
        with contextlib.suppress(OSError):
            self._out.close()
            if kind is None:
                self._temp.replace(self.path)
        with contextlib.suppress(OSError):
            self._temp.unlink(missing_ok=True)

    def _keep(self, name: str, signature: str, entry: str) -> None:
        if self._out is None:
            return
        try:
            self._out.write(f"{name}\t{signature}\t{entry}\n")
        except OSError:  # a full disk: no cache this time, the book all the same
            self._out.close()
            self._out = None
            with contextlib.suppress(OSError):
                self._temp.unlink(missing_ok=True)

    def has(self, entry: Path) -> bool:
        """Whether the post at ``entry`` is kept, its files as they were. Their signature
        is taken now, before anything reads them, and :meth:`read` keeps it."""
        seen = self._seen[entry] = signature(entry)
        found = self.lines.get(json.dumps(str(entry)))
        return seen is not None and found is not None and found[0] == json.dumps(seen)

    def read(self, entry: Path, diagnostics: Diagnostics, reader: Reader) -> Post:
        """The post at ``entry``: from the cache if its files are as they were, else read
        (its warnings collected apart, to be kept); its warnings reported either way."""
        seen = self._seen.pop(entry) if entry in self._seen else signature(entry)
        name = json.dumps(str(entry))
        found = self.lines.pop(name, None)
        if seen is not None and found is not None and found[0] == json.dumps(seen):
            try:
                value = json.loads(found[1])
                post = post_from_json(value["post"])
                warnings = [Diagnostic.from_json(w) for w in value["warnings"]]
            except (KeyError, TypeError, ValueError):
                pass
            else:
                self._keep(name, *found)
                diagnostics.tell(warnings)
                return post
        own = Diagnostics()
        post = reader(entry, own)
        if seen is not None:
            value = {"post": post_json(post), "warnings": [w.to_json() for w in own.warnings]}
            self._keep(name, json.dumps(seen), json.dumps(value))
        diagnostics.tell(own.warnings)
        return post
