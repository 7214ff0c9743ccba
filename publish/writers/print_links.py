"""Links in print: addresses as footnotes (or endnotes), links to other posts as "see page N".

A printed link cannot be followed, so the PDF (never the EPUB) says where it leads:

- an external link (``http:``, ``https:``, ``mailto:``) gets its address in a footnote
  (``<span class="link-note">``, which print.css floats to the page's foot), or with
  ``[pdf] links = "endnotes"`` a numbered note in a list at the end of its chapter, or with
  ``"none"`` nothing; a link whose text is its address needs no note;
- a link to another post (``a.xref``) gets ``data-page-of="#<chapter id>"``, and print.css
  adds "(see page N)" with ``target-counter(attr(data-page-of url), page)``: the page where
  the linked post starts.

In the one-document build WeasyPrint resolves ``target-counter`` itself. A chaptered build
lays each chapter out apart from the one it links to, so there the rule is rewritten to
read a counter (:mod:`publish.writers.pdf_numbers`) and each link sets that counter to the
linked post's first page: as laid out already in this pass when it is (a link back to a
post some documents before), else as the pass before found it (``refs``). See
:mod:`publish.writers.print_fit` for the passes that make every number right.
"""

from __future__ import annotations

import dataclasses
import re
from collections import OrderedDict
from pathlib import Path

from lxml import html
from markupsafe import Markup, escape

from publish.assembly import Chapter, Plan
from publish.errors import Diagnostics
from publish.render.chapters import ChapterRenderer, RenderedChapter, RenderedComment
from publish.render.typography import breakable_url
from publish.writers.fetch import file_url
from publish.writers.pdf_numbers import COUNTER, override_css

# Chapters whose plain render (before their links are annotated) is kept. A document's
# chapters are rendered again when a page they link to becomes known (pdf_book), right
# after their first render: kept, they are not converted, nor warned about, twice.
KEPT_RENDERS = 64
SEE_PAGE = {"en": "see page", "de": "siehe Seite", "fr": "voir page"}
LINKS_TITLE = {"en": "Links", "de": "Links", "fr": "Liens"}
_EXTERNAL = re.compile(r"^(?:https?://|mailto:)", re.I)


def chapter_overrides(stylesheet_urls: list[str]) -> str:
    """The stylesheets' ``target-counter(..., page)`` rules, reading the counter instead,
    for what is inside chapters (the contents keep theirs in a one-document build)."""
    rules = []
    for rule in override_css(stylesheet_urls).splitlines():
        if "{" in rule and not rule.startswith("@"):
            selectors, rest = rule.split("{", 1)
            scoped = ", ".join(f".chapter {s.strip()}" for s in selectors.split(","))
            rule = f"{scoped} {{{rest}"
        rules.append(rule)
    return "\n".join(rules)


class PrintTarget:
    """Links and images inside the PDF; remembers which chapter each cross-link leads to."""

    def __init__(self, book: Path | None = None) -> None:
        self.chapter_of: dict[str, str] = {}  # href -> the linked chapter's id
        self.book = book  # the content folder: its images are named under BOOK_URL

    def chapter_href(self, chapter: Chapter, fragment: str | None) -> str:
        href = f"#{fragment or chapter.id}"
        self.chapter_of[href] = chapter.id
        return href

    def image_href(self, source: Path) -> str:
        return file_url(source, self.book)


def _plain(text: str) -> str:
    text = re.sub(r"[\u200b\u00ad\s]", "", text)  # the breaks typography adds to addresses
    return re.sub(r"^(?:https?://|mailto:)", "", text, flags=re.I).rstrip("/").lower()


@dataclasses.dataclass
class _Notes:
    chapter_id: str
    style: str
    items: list[str] = dataclasses.field(default_factory=list)


class PrintRenderer(ChapterRenderer):
    """Renders chapters for print: the chapter renderer's output, its links annotated.

    ``refs`` (chaptered builds only) maps a chapter's id to its first page as the pass
    before found it, ``live`` as this pass has laid it out so far (it wins); ``printed``
    collects, for each chapter rendered, the numbers its "see page" links print.
    """

    def __init__(
        self,
        plan: Plan,
        target: PrintTarget,
        diagnostics: Diagnostics,
        refs: dict[str, int] | None = None,
        overrides: str = "",
        live: dict[str, int] | None = None,
    ) -> None:
        """``overrides``: the stylesheets' target-counter rules rewritten to read the
        counter the links set (chaptered builds)."""
        super().__init__(plan, target, diagnostics)
        self.print_target = target
        self.refs = refs
        self.live = live if live is not None else {}
        self.overrides = overrides
        self.printed: dict[str, tuple[tuple[str, int], ...]] = {}
        self._plain: OrderedDict[str, RenderedChapter] = OrderedDict()
        language = plan.book.language.split("-")[0].lower()
        # "see page" and its number are one unit: no line breaks inside it
        self.see_page = SEE_PAGE.get(language, "p.").replace(" ", "\u00a0")
        self.links_title = LINKS_TITLE.get(language, "Links")
        self.style = plan.book.pdf.links

    def render(self, chapter: Chapter) -> RenderedChapter:
        rendered = self._plain.pop(chapter.id, None)
        if rendered is None or rendered.chapter is not chapter:
            rendered = super().render(chapter)
        self._plain[chapter.id] = rendered
        if len(self._plain) > KEPT_RENDERS:
            self._plain.popitem(last=False)
        notes = _Notes(chapter.id, self.style)
        printed: dict[str, int] = {}
        body = self._annotate(rendered.body, notes, printed)
        comments = tuple(self._comment(c, notes, printed) for c in rendered.comments)
        self.printed[chapter.id] = tuple(sorted(printed.items()))
        end = self._end_notes(notes)
        if printed and self.refs is not None and self.overrides:
            # At the chapter's end, where no :first-child rule sees it.
            end = Markup("<style>") + Markup(self.overrides) + Markup("</style>") + end
        return dataclasses.replace(rendered, body=body, comments=comments, end_notes=end)

    def _comment(
        self, comment: RenderedComment, notes: _Notes, printed: dict[str, int]
    ) -> RenderedComment:
        return dataclasses.replace(
            comment,
            body=self._annotate(comment.body, notes, printed),
            replies=[self._comment(r, notes, printed) for r in comment.replies],
        )

    def _annotate(self, body: Markup, notes: _Notes, printed: dict[str, int]) -> Markup:
        if "<a " not in body:
            return body
        root = html.fragment_fromstring(str(body), create_parent="div")
        changed = False
        for link in list(root.iter("a")):
            href = link.get("href") or ""
            classes = (link.get("class") or "").split()
            if "xref" in classes:
                chapter_id = self.print_target.chapter_of.get(href)
                if chapter_id is None:
                    continue
                link.set("data-page-of", f"#{chapter_id}")
                link.set("data-see", self.see_page)
                if self.refs is not None:
                    page = printed.get(chapter_id)
                    if page is None:
                        page = self.live.get(chapter_id) or self.refs.get(chapter_id, 0)
                        printed[chapter_id] = page
                    link.set("style", f"counter-reset: {COUNTER} {page}")
                changed = True
            elif _EXTERNAL.match(href) and notes.style != "none":
                if _plain(link.text_content()) == _plain(href):
                    continue  # the text is the address
                self._note(link, href, notes)
                changed = True
        if not changed:
            return body
        inner = (root.text or "") + "".join(
            html.tostring(child, encoding="unicode") for child in root
        )
        return Markup(inner)

    def _note(self, link: html.HtmlElement, href: str, notes: _Notes) -> None:
        address = re.sub(r"^mailto:", "", href, flags=re.I)
        if notes.style == "footnotes":
            note = html.fragment_fromstring(
                f'<span class="link-note">{breakable_url(address)}</span>'
            )
        else:
            notes.items.append(address)
            n = len(notes.items)
            note = html.fragment_fromstring(
                f'<sup class="link-ref"><a href="#{notes.chapter_id}-link-{n}" '
                f'id="{notes.chapter_id}-link-ref-{n}">{n}</a></sup>'
            )
        note.tail, link.tail = link.tail, None
        link.addnext(note)

    def _end_notes(self, notes: _Notes) -> Markup:
        if not notes.items:
            return Markup("")
        items = "".join(
            f'<li id="{notes.chapter_id}-link-{n}">{breakable_url(address)}</li>'
            for n, address in enumerate(notes.items, start=1)
        )
        title = escape(self.links_title)
        return Markup(
            f'<section class="link-notes" aria-label="{title}">'
            f'<h2 class="link-notes-title">{title}</h2><ol>{items}</ol></section>'
        )
