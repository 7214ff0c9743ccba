"""Rendering: threads as shown, typography, links and ids (no book written)."""

from __future__ import annotations

from pathlib import Path

from lxml import etree

from publish import Diagnostics, load_book
from publish.assembly import assemble
from publish.render.chapters import MAX_NEST, ChapterRenderer, RenderedComment
from publish.writers.print_links import PrintTarget

from helpers import make_book


def _render(root: Path) -> list:  # type: ignore[type-arg]
    return ChapterRenderer(assemble(load_book(root)), PrintTarget(), Diagnostics()).render_all()


def test_deep_threads_nest_to_a_limit_then_say_whom_they_answer(tmp_path: Path) -> None:
    posts = {"2020-01-01-p/index.md": "---\ntitle: P\n---\nBody"}
    for n in range(1, 11):
        reply = f"reply_to: c{n - 1}\n" if n > 1 else ""
        posts[f"2020-01-01-p/comments/c{n}.md"] = (
            f"---\nid: c{n}\nauthor: Person {n}\ndate: 2020-01-{n + 1:02d}\n{reply}---\nSay {n}"
        )
    [chapter] = _render(make_book(tmp_path, posts))
    assert chapter.comment_count == 10
    levels: list[list[RenderedComment]] = []
    shown: list[RenderedComment] = list(chapter.comments)
    while shown:
        levels.append(shown)
        shown = [r for c in shown for r in c.replies]
    assert len(levels) == MAX_NEST + 1
    deepest = levels[-1]
    assert [c.author for c in deepest] == [f"Person {n}" for n in range(MAX_NEST + 1, 11)]
    assert deepest[0].replying_to is None
    assert [c.replying_to for c in deepest[1:]] == [f"Person {n}" for n in range(MAX_NEST + 1, 10)]


def test_body_is_well_formed_xhtml_with_book_unique_ids(tmp_path: Path) -> None:
    posts = {
        "2020-01-01-a.md": "---\ntitle: A\n---\nText[^1] <b>bold<i>bad nesting</b></i>\n\n[^1]: Note.",
        "2020-01-02-b.md": "---\ntitle: B\n---\nMore[^1]\n\n[^1]: Another note.",
    }
    chapters = _render(make_book(tmp_path, posts))
    ids: list[str] = []
    for chapter in chapters:
        tree = etree.fromstring(f"<div>{chapter.body}</div>".encode())
        ids += [id_ for el in tree.iter() if (id_ := el.get("id"))]
    assert len(ids) == len(set(ids)) == 4


def test_titles_get_typography_and_stay_text(tmp_path: Path) -> None:
    posts = {"2020-01-01-a.md": "---\ntitle: '\"Quoted\" -- and <b>not bold</b>'\n---\nx"}
    [chapter] = _render(make_book(tmp_path, posts))
    assert chapter.title == "“Quoted” – and <b>not bold</b>"


def test_links_to_posts_by_url_path_and_file(tmp_path: Path) -> None:
    posts = {
        "2020-01-01-a/index.md": "---\ntitle: A\nurl: https://blog.example/2020/a.html\n---\nA",
        "2020-01-02-b.md": (
            "---\ntitle: B\n---\n[by url](http://blog.example/2020/a.html) "
            "[by folder](2020-01-01-a/) [by file](2020-01-01-a/index.md) "
            "[outside](https://elsewhere.example/) [nowhere](missing.md)"
        ),
    }
    diagnostics = Diagnostics()
    plan = assemble(load_book(make_book(tmp_path, posts)))
    b = ChapterRenderer(plan, PrintTarget(), diagnostics).render(plan.chapters[1])
    assert str(b.body).count(f'href="#{plan.chapters[0].id}"') == 3
    assert 'href="https://elsewhere.example/"' in b.body
    assert "missing.md" not in b.body and ">nowhere<" in b.body
    assert [w.code for w in diagnostics.warnings] == ["dead-link"]


def test_broken_lists_from_exports_become_valid_markup(tmp_path: Path) -> None:
    body = (
        "<dl><dt>Term without definition</dt></dl>"
        "<dl><dt>Good</dt><dd>Definition</dd></dl>"
        "<ul><p>a paragraph straight in a list</p><li>item</li></ul>"
    )
    posts = {"2020-01-01-a.md": f"---\ntitle: A\n---\n{body}\n"}
    [chapter] = _render(make_book(tmp_path, posts))
    tree = etree.fromstring(f"<div>{chapter.body}</div>".encode())
    [dl] = tree.findall(".//dl")
    assert [c.tag for c in dl] == ["dt", "dd"]
    assert "Term without definition" in etree.tostring(tree, encoding="unicode")
    [ul] = tree.findall(".//ul")
    assert [c.tag for c in ul] == ["li", "li"]


def test_a_link_to_an_anchor_another_post_lacks_points_at_that_post(tmp_path: Path) -> None:
    posts = {
        "2020-01-01-a.md": "---\ntitle: A\n---\n<h2 id='here'>Here</h2>\n\nText",
        "2020-01-02-b.md": (
            "---\ntitle: B\n---\n[good](2020-01-01-a.md#here) [gone](2020-01-01-a.md#not-there)"
        ),
    }
    a, b = _render(make_book(tmp_path, posts))
    assert f'href="#{a.id}-here"' in b.body
    assert f'href="#{a.id}"' in b.body


def test_a_converter_stopped_half_way_is_not_used_again() -> None:
    import pytest

    from publish.render import markup

    first = markup.converter_for("anything")
    original = first.convert

    def explode(source: str) -> str:
        first.convert = original  # type: ignore[method-assign]
        raise RecursionError

    first.convert = explode  # type: ignore[method-assign]
    with pytest.raises(markup.TooDeep):
        markup.markdown_to_html("anything")
    assert markup.converter_for("anything") is not first
    assert markup.markdown_to_html("Fish & chips") == "<p>Fish &amp; chips</p>"
