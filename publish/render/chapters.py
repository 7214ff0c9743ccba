"""Render each chapter's post and comments into what the templates show."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from markupsafe import Markup

from publish.assembly import Chapter, Plan
from publish.errors import Diagnostics
from publish.model import MATTER_KINDS, Body, Comment
from publish.render.dates import date_and_time, iso, long_date
from publish.render.markup import joined_safe_html, running_title, smart_text, to_safe_html
from publish.render.typography import dress, dress_title
from publish.render.xhtml import Place, Target, to_xhtml, to_xhtml_simple

MAX_NEST = 4  # replies deeper than this are set at this level, and say whom they answer


@dataclass(frozen=True)
class RenderedComment:
    id: str
    author: str
    date_text: str
    date_iso: str
    body: Markup
    depth: int  # in the thread: 0 for a top-level comment
    replying_to: str | None  # the parent's author, shown where nesting stops at MAX_NEST
    url: str | None
    replies: list[RenderedComment] = field(default_factory=list)  # as shown: nested to MAX_NEST


@dataclass(frozen=True)
class RenderedChapter:
    chapter: Chapter
    id: str
    number: int
    title: str
    running_title: str
    date_text: str
    date_iso: str
    author: str | None
    body: Markup
    comments: tuple[RenderedComment, ...]  # top level; replies nest inside
    comment_count: int
    url: str | None
    end_notes: Markup = field(default_factory=Markup)  # print: link notes, as endnotes

    @property
    def epub_type(self) -> str:
        """``chapter`` for a post, the kind of front or back matter otherwise."""
        return MATTER_KINDS.get(self.chapter.kind, ("chapter", None))[0]

    @property
    def role(self) -> str | None:
        return MATTER_KINDS.get(self.chapter.kind, ("chapter", "doc-chapter"))[1]


def _threads(comments: tuple[Comment, ...]) -> Iterator[tuple[Comment, int, Comment | None]]:
    """Depth-first, without recursion (threads can be hundreds of replies deep)."""
    stack: list[tuple[Comment, int, Comment | None]] = [(c, 0, None) for c in reversed(comments)]
    while stack:
        comment, depth, parent = stack.pop()
        yield comment, depth, parent
        stack.extend((r, depth + 1, comment) for r in reversed(comment.replies))


class ChapterRenderer:
    """Renders the chapters of one plan for one target (EPUB or PDF)."""

    def __init__(self, plan: Plan, target: Target, diagnostics: Diagnostics) -> None:
        self.plan = plan
        self.target = target
        self.diagnostics = diagnostics
        self.language = plan.book.language

    def _place(
        self,
        chapter: Chapter,
        prefix: str,
        comment: Comment | None,
        diagnostics: Diagnostics | None = None,
    ) -> Place:
        post = chapter.post
        return Place(
            plan=self.plan,
            target=self.target,
            id_prefix=prefix,
            base_dir=post.base_dir,
            source=comment.source if comment and comment.source else post.source,
            diagnostics=self.diagnostics if diagnostics is None else diagnostics,
        )

    def _html(
        self,
        body: Body,
        chapter: Chapter,
        prefix: str,
        comment: Comment | None,
        safe: str | None = None,
    ) -> Markup:
        """``body`` as the chapter shows it; ``safe``, its sanitised HTML if made already."""
        place = self._place(chapter, prefix, comment)
        if safe is None:
            safe = to_safe_html(body, self.diagnostics, place.source)
        return Markup(dress(to_xhtml(safe, place), self.language))

    def _simple_comments(
        self, chapter: Chapter, threads: list[tuple[Comment, int, Comment | None]]
    ) -> dict[int, tuple[Markup, Diagnostics] | str]:
        """The comments (by index in ``threads``) whose bodies are simple Markdown
        (:func:`joined_safe_html`), converted and sanitised together, and rewritten
        together: each with the warnings it gave (a link that leads nowhere...), to be
        told in its turn. One with an image, which may be an error (not found), is
        given as its sanitised HTML, to be rewritten in its turn."""
        made = joined_safe_html([comment.body for comment, _, _ in threads])
        chosen = [n for n in sorted(made) if "<img" not in made[n]]
        places = [
            self._place(chapter, f"{chapter.id}-c{n + 1}", threads[n][0], Diagnostics())
            for n in chosen
        ]
        xhtml = to_xhtml_simple([made[n] for n in chosen], places) if chosen else []
        shown: dict[int, tuple[Markup, Diagnostics] | str] = dict(made)
        for n, x, place in zip(chosen, xhtml, places, strict=True):
            shown[n] = (Markup(dress(x, self.language)), place.diagnostics)
        return shown

    def _comments(self, chapter: Chapter) -> tuple[RenderedComment, ...]:
        """Threads as shown: nested up to MAX_NEST levels, deeper replies flat at that level."""
        roots: list[RenderedComment] = []
        path: list[RenderedComment] = []  # the comment shown at each level, on the way down
        threads = list(_threads(chapter.post.comments))
        made = self._simple_comments(chapter, threads)
        for n, (comment, depth, parent) in enumerate(threads, start=1):
            prefix = f"{chapter.id}-c{n}"
            if comment.body.is_empty():
                self.diagnostics.warn(
                    "empty-comment", f"comment by {comment.author} is empty", comment.source
                )
            done = made.get(n - 1)
            if isinstance(done, tuple):
                shown_body, told = done
                self.diagnostics.tell(told.warnings, told.counters)
            else:
                shown_body = self._html(comment.body, chapter, prefix, comment, done)
            shown = RenderedComment(
                id=prefix,
                author=comment.author,
                date_text=date_and_time(comment.date, self.language),
                date_iso=iso(comment.date),
                body=shown_body,
                depth=depth,
                replying_to=parent.author if parent is not None and depth > MAX_NEST else None,
                url=comment.url,
            )
            level = min(depth, MAX_NEST)
            (path[level - 1].replies if level else roots).append(shown)
            del path[level:]
            path.append(shown)
        return tuple(roots)

    def render(self, chapter: Chapter) -> RenderedChapter:
        post = chapter.post
        if post.body.is_empty():
            what = self.plan.kind_name(chapter)  # "post", "foreword", "back matter page", ...
            self.diagnostics.warn("empty-post", f"{what} '{post.title}' has no text", post.source)
        return RenderedChapter(
            chapter=chapter,
            id=chapter.id,
            number=chapter.number,
            title=dress_title(smart_text(post.title), self.language),
            running_title=running_title(dress_title(smart_text(post.title), self.language)),
            date_text=long_date(post.date, self.language),
            date_iso=iso(post.date),
            author=post.author,
            body=self._html(post.body, chapter, chapter.id, None),
            comments=self._comments(chapter),
            comment_count=post.comment_count,
            url=post.url,
        )

    def render_all(self) -> list[RenderedChapter]:
        from publish.render.links import prune_dead_fragments

        return prune_dead_fragments([self.render(chapter) for chapter in self.plan.chapters])
