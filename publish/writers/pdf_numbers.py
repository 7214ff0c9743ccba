"""Page numbers of other documents in the front matter, without laying those documents out.

The contents get their numbers from ``target-counter(attr(href url), page)`` in the book's
stylesheets. In a chaptered build the chapters are not in the front matter's document,
so each rule using ``target-counter(..., page[, style])`` is repeated with that call
replaced by ``counter(publish-page[, style])``, and each link to a chapter resets
``publish-page`` to the chapter's first page. Everything else about the rule (selector,
leaders, the other declarations) stays the book's own.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import tinycss2
from tinycss2 import ast

COUNTER = "publish-page"


def _rewrite(tokens: list[ast.Node]) -> tuple[list[ast.Node], bool]:
    """``tokens`` with every ``target-counter(…, page[, style])`` replaced; and whether any was."""
    out: list[ast.Node] = []
    changed = False
    for token in tokens:
        if isinstance(token, ast.FunctionBlock) and token.lower_name == "target-counter":
            args = [a for a in token.arguments if a.type not in ("whitespace", "comment")]
            parts: list[list[ast.Node]] = [[]]
            for arg in args:
                if isinstance(arg, ast.LiteralToken) and arg.value == ",":
                    parts.append([])
                else:
                    parts[-1].append(arg)
            name = parts[1][0] if len(parts) > 1 and parts[1] else None
            if isinstance(name, ast.IdentToken) and name.lower_value == "page":
                style = tinycss2.serialize(parts[2]) if len(parts) > 2 else ""
                text = f"counter({COUNTER}{', ' + style if style else ''})"
                out.extend(tinycss2.parse_component_value_list(text))
                changed = True
                continue
        if isinstance(token, ast.FunctionBlock):
            inner, inner_changed = _rewrite(token.arguments)
            if inner_changed:
                token = ast.FunctionBlock(token.source_line, token.source_column, token.name, inner)
                changed = True
        out.append(token)
    return out, changed


def _rules(rules: list[ast.Node]) -> list[str]:
    out = []
    for rule in rules:
        if isinstance(rule, ast.QualifiedRule):
            declarations = tinycss2.parse_declaration_list(
                rule.content, skip_whitespace=True, skip_comments=True
            )
            replaced = []
            for declaration in declarations:
                if isinstance(declaration, ast.Declaration):
                    value, changed = _rewrite(declaration.value)
                    if changed:
                        important = " !important" if declaration.important else ""
                        text = tinycss2.serialize(value).strip()
                        replaced.append(f"{declaration.name}: {text}{important};")
            if replaced:
                out.append(f"{tinycss2.serialize(rule.prelude).strip()} {{ {' '.join(replaced)} }}")
        elif isinstance(rule, ast.AtRule) and rule.lower_at_keyword == "media" and rule.content:
            inner = _rules(tinycss2.parse_rule_list(rule.content, True, True))
            if inner:
                out.append(
                    f"@media {tinycss2.serialize(rule.prelude).strip()} {{ {' '.join(inner)} }}"
                )
    return out


def override_css(stylesheet_urls: list[str]) -> str:
    """The rules of these (``file:``) stylesheets that need another document's page numbers,
    rewritten to read them from the ``publish-page`` counter."""
    out = []
    for url in stylesheet_urls:
        parts = urlsplit(url)
        if parts.scheme not in ("file", ""):
            continue
        path = Path(unquote(parts.path))
        if not path.is_file():
            continue
        rules = tinycss2.parse_stylesheet(
            path.read_text("utf-8", errors="replace"), skip_comments=True, skip_whitespace=True
        )
        out.extend(_rules(rules))
    return "\n".join(out)
