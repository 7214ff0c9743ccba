"""Deterministic synthetic blogs in publish's content format, for the benchmark.

    python benchmarks/generate.py --posts 100 --out build/bench/blog-100

Every post is generated from its own seeded RNG (seed, post number), so post 7 is the same
in the 10-, 100- and 1,000-post blogs, and the same command always writes the same bytes.
Posts have paragraphs, block quotations, lists, links (to the web and to earlier posts),
emphasis, the occasional image (small PNGs drawn with Pillow) and 0-30 comments, some of
them threaded with ``reply_to``.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import random
import re
import shutil
from datetime import date, datetime, timedelta
from pathlib import Path

_WORDS = (
    "the of and a to in is was that it for on as with his he at by this had from not but be "
    "are or which have an they one were her all she there been their has when who would more "
    "will if no out so said what up its about into than them can only other new some could "
    "time these two may then do first any my now such like our over man me even most made "
    "after also did many before must through back years where much your way well down should "
    "because each just those people how too little state good very make world still own see "
    "men work long get here between both life being under never day same another know while "
    "last might us great old year off come since against go came right used take three "
    "states himself few house use during without again place american around however home "
    "small found thought went say part once general high upon school every does got united "
    "left number course war until always away something fact though water less public put "
    "think almost hand enough far took head yet government system better set told nothing "
    "night end why called didn't eyes find going look asked later knew point next program "
    "city business give group toward young days let room president side social present given "
    "several order national possible rather second face per among form important often "
    "things looked early white case john become large big need four within felt children "
    "along saw best church ever least power development light thing seemed family interest "
    "want members mind country area others done turned although open god service problem "
    "certain kind different thus began door help means sense whole matter perhaps itself "
    "york times law human line above name example action company hands local show whether "
    "five history gave today either act feet across taken past quite anything seen having "
    "death week experience body word half really field am car words already themselves "
    "information tell together college shall money period held keep sure probably free "
    "seems real behind cannot miss political air question making office brought whose "
    "special heard major problems ago became federal moment study available known result "
    "street economic boy reason change position south board individual job areas society"
)
_NAMES = (
    "pithom Ada Basil Clio Dmitri Esther Farid Greta Hiro Ines Jonas Kalinda Lorenzo Mireille "
    "Nadia Oskar Priya Quentin Rosa Sven Tamsin Umberto Vera Wendell Ximena Yusuf Zofia"
)
WORDS = tuple(_WORDS.split())
NAMES = tuple(_NAMES.split())
SITES = ("example.org", "example.com", "example.net")
START = date(2006, 1, 3)
IMAGES = 4  # distinct pictures, shared by the posts that show one


def sentence(rng: random.Random, words: int | None = None) -> str:
    n = words or rng.randint(6, 24)
    chosen = [rng.choice(WORDS) for _ in range(n)]
    if rng.random() < 0.25:
        at = rng.randrange(n)
        chosen[at] = f"*{chosen[at]}*"
    text = " ".join(chosen)
    if n > 10 and rng.random() < 0.3:
        at = rng.randint(3, n - 3)
        parts = text.split(" ")
        parts[at] = parts[at] + ","
        text = " ".join(parts)
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def paragraph(rng: random.Random, low: int = 3, high: int = 8) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(low, high)))


def link(rng: random.Random, earlier_urls: list[str]) -> str:
    label = " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 4)))
    if earlier_urls and rng.random() < 0.4:
        return f"[{label}]({rng.choice(earlier_urls)})"
    path = "/".join(rng.choice(WORDS) for _ in range(2))
    return f"[{label}](https://{rng.choice(SITES)}/{path})"


def post_body(rng: random.Random, earlier_urls: list[str], image: str | None) -> str:
    blocks: list[str] = []
    for n in range(rng.randint(4, 14)):
        kind = rng.random()
        if kind < 0.12:
            quoted = [paragraph(rng, 2, 5) for _ in range(rng.randint(1, 3))]
            blocks.append("\n>\n".join(f"> {q}" for q in quoted))
        elif kind < 0.2:
            marker = rng.choice(("-", "1."))
            items = [sentence(rng, rng.randint(4, 14)) for _ in range(rng.randint(2, 6))]
            blocks.append("\n".join(f"{marker} {item}" for item in items))
        else:
            text = paragraph(rng)
            if rng.random() < 0.35:
                text += " See " + link(rng, earlier_urls) + "."
            blocks.append(text)
        if image and n == 1:
            blocks.append(f"![{sentence(rng, 6)[:-1]}]({image})")
    return "\n\n".join(blocks) + "\n"


def comments(rng: random.Random, posted: datetime) -> list[tuple[str, str]]:
    """(file name, text) of 0-30 comments, about a third of them replies."""
    count = min(30, int(rng.expovariate(1 / 14))) if rng.random() > 0.08 else 0
    out: list[tuple[str, str]] = []
    moment = posted
    for n in range(1, count + 1):
        moment += timedelta(minutes=rng.randint(3, 60 * 20))
        meta = [f"author: {rng.choice(NAMES)}", f"date: {moment:%Y-%m-%d %H:%M}"]
        if n > 1 and rng.random() < 0.35:
            meta.append(f'reply_to: "{rng.randint(max(1, n - 6), n - 1):04d}"')
        if rng.random() < 0.15:
            meta.append(f"url: https://{rng.choice(SITES)}/~{rng.choice(NAMES).lower()}")
        body = "\n\n".join(paragraph(rng, 1, 5) for _ in range(rng.choice((1, 1, 1, 2, 2, 3))))
        if rng.random() < 0.1:
            body = f"> {sentence(rng)}\n\n{body}"
        out.append((f"{n:04d}.md", "---\n" + "\n".join(meta) + "\n---\n" + body + "\n"))
    return out


def images() -> list[bytes]:
    """A few small, distinct PNGs (Pillow writes the same bytes for the same picture)."""
    from PIL import Image, ImageDraw

    pictures = []
    for n in range(IMAGES):
        rng = random.Random(f"image-{n}")
        picture = Image.new("RGB", (480, 300), (238, 234, 224))
        draw = ImageDraw.Draw(picture)
        for _ in range(12):
            x, y = rng.randrange(440), rng.randrange(260)
            shade = tuple(rng.randrange(60, 200) for _ in range(3))
            draw.rectangle((x, y, x + rng.randint(20, 160), y + rng.randint(10, 90)), fill=shade)
        buffer = io.BytesIO()
        picture.save(buffer, format="PNG", optimize=False)
        pictures.append(buffer.getvalue())
    return pictures


BOOK_TOML = """\
# A synthetic blog made by benchmarks/generate.py ({posts} posts, seed {seed}).
title = "A Synthetic Blog of {posts} Posts"
author = "Benchmark Writer"
language = "en"
description = "Generated text for measuring publish."
date = 2016-12-31
sample = true

[pdf]
trim = "6x9"
"""


def generate(out: Path, posts: int, seed: int = 1) -> Path:
    """Write a blog of ``posts`` posts to ``out`` (replacing what is there); return ``out``."""
    if out.exists():
        shutil.rmtree(out)
    (out / "posts").mkdir(parents=True)
    (out / "book.toml").write_text(BOOK_TOML.format(posts=posts, seed=seed), encoding="utf-8")
    pictures = images()
    urls: list[str] = []
    for number in range(posts):
        rng = random.Random(f"{seed}-{number}")
        day = START + timedelta(days=number * 3 + rng.randint(0, 2))
        title = sentence(rng, rng.randint(2, 8)).rstrip(".?!").replace("*", "")
        slug = "-".join(re.sub("[^a-z0-9]", "", w) for w in title.lower().split()[:6])
        name = f"{day.isoformat()}-{slug}"
        url = f"https://blog.example.org/{day:%Y/%m}/{slug}.html"
        picture = number % 11 == 5
        post_comments = comments(rng, datetime(day.year, day.month, day.day, 9, 0))
        front = f'---\ntitle: "{title}"\nurl: {url}\n'
        if rng.random() < 0.3:
            front += f"tags: [{rng.choice(WORDS)}, {rng.choice(WORDS)}]\n"
        text = front + "---\n" + post_body(rng, urls[-50:], "picture.png" if picture else None)
        if not post_comments and not picture and rng.random() < 0.5:
            (out / "posts" / f"{name}.md").write_text(text, encoding="utf-8")
        else:
            bundle = out / "posts" / name
            bundle.mkdir()
            (bundle / "index.md").write_text(text, encoding="utf-8")
            if picture:
                (bundle / "picture.png").write_bytes(pictures[number % IMAGES])
            if post_comments:
                (bundle / "comments").mkdir()
                for file_name, comment in post_comments:
                    (bundle / "comments" / file_name).write_text(comment, encoding="utf-8")
        urls.append(url)
    return out


def digest(folder: Path) -> str:
    """A hash of every file's path and bytes: equal digests, equal blogs."""
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return sha.hexdigest()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    generate(args.out, args.posts, args.seed)
    print(f"wrote {args.posts} posts to {args.out} ({digest(args.out)[:12]})")


if __name__ == "__main__":
    main()
