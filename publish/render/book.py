"""What every template sees of the book: its metadata, dressed for display, and labels."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import UTC, datetime

from publish.model import Book
from publish.render.dates import long_date
from publish.render.markup import running_title, smart_text

LABELS = {
    "en": {
        "contents": "Contents",
        "comments": "Comments",
        "comment_one": "1 comment",
        "comment_many": "{n} comments",
        "replying_to": "replying to",
        "colophon": "Colophon",
        "published_by": "Published by",
        "built": "This edition was made on",
        "identifier": "Identifier",
        "title_page": "Title page",
        "cover": "Cover",
        "by": "by",
        "sample": "Sample content",
        "original": "First published at",
        "notes": "Notes",
        "landmarks": "Landmarks",
        "pages": "Pages",
        "cover_alt": "Cover: {title}, by {author}",
    },
    "de": {
        "contents": "Inhalt",
        "comments": "Kommentare",
        "comment_one": "1 Kommentar",
        "comment_many": "{n} Kommentare",
        "replying_to": "als Antwort an",
        "colophon": "Impressum",
        "published_by": "Verlag",
        "built": "Diese Ausgabe entstand am",
        "identifier": "Kennung",
        "title_page": "Titelseite",
        "cover": "Umschlag",
        "by": "von",
        "sample": "Beispielinhalt",
        "original": "Zuerst erschienen unter",
        "notes": "Anmerkungen",
        "landmarks": "Orientierungspunkte",
        "pages": "Seiten",
        "cover_alt": "Umschlag: {title}, von {author}",
    },
    "fr": {
        "contents": "Table des matières",
        "comments": "Commentaires",
        "comment_one": "1 commentaire",
        "comment_many": "{n} commentaires",
        "replying_to": "en réponse à",
        "colophon": "Colophon",
        "published_by": "Éditeur",
        "built": "Édition réalisée le",
        "identifier": "Identifiant",
        "title_page": "Page de titre",
        "cover": "Couverture",
        "by": "par",
        "sample": "Contenu d’exemple",
        "original": "Publié d’abord sur",
        "notes": "Notes",
        "landmarks": "Repères",
        "pages": "Pages",
        "cover_alt": "Couverture : {title}, par {author}",
    },
}


def labels_for(language: str) -> dict[str, str]:
    return {**LABELS["en"], **LABELS.get(language.split("-")[0].lower(), {})}


def build_moment() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set, so builds can be reproduced byte for byte."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC).replace(microsecond=0)


@dataclass(frozen=True)
class BookView:
    title: str
    subtitle: str | None
    author: str
    publisher: str | None
    description: str | None
    identifier: str
    language: str
    date_text: str | None
    built: datetime
    built_text: str
    running_title: str
    sample: bool


def book_view(book: Book, built: datetime) -> BookView:
    title = smart_text(book.title)
    return BookView(
        title=title,
        subtitle=smart_text(book.subtitle) if book.subtitle else None,
        author=book.author,
        publisher=book.publisher,
        description=book.description,
        identifier=book.identifier or "",
        language=book.language,
        date_text=long_date(book.date, book.language) if book.date else None,
        built=built,
        built_text=long_date(built, book.language),
        running_title=running_title(title, 40),
        sample=book.sample,
    )
