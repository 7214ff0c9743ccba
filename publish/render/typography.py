"""Typography on rendered XHTML: non-breaking spaces, and addresses that break well.

Runs after smart quotes and dashes (``markup.typography``), on the XHTML of a post or a
comment, and on titles. Code (``pre``, ``code``, ``kbd``, ``samp``) is left alone.

- **Non-breaking spaces** where English typographers put them (only for books in English):
  between initials and after them (``J. R. R. Tolkien``), after honorifics (``Dr. Jones``),
  between a reference abbreviation and its number (``p. 12``, ``No. 5``, ``§ 3``).
- **Number ranges** (``10–12``) keep their dash with the second number: a word joiner
  (U+2060) follows the dash, in every language.
- **Addresses** (``https://…``, ``www.…``) are wrapped in ``<span class="url">`` and get
  break opportunities where the Chicago Manual of Style breaks a URL: after ``//``, before
  ``/ . , - _ ~ ? # %``, before and after ``= &``. The style sheets keep them from being
  hyphenated, so a long address wraps without a hyphen that was never in it and without
  running into the margin. The opportunities are zero-width spaces (U+200B), not
  ``<wbr/>``: WeasyPrint ignores ``<wbr/>`` inside an inline element such as a link.
  (The link's ``href`` is untouched; only its visible text carries them.)
"""

from __future__ import annotations

import re

NBSP = "\u00a0"
BREAK = "\u200b"  # zero-width space: a line may break here
_CODE = ("pre", "code", "kbd", "samp")
_TAG = re.compile(r"(<[^>]*>)")
_CODE_OPEN = re.compile(r"^<(pre|code|kbd|samp)\b[^>]*(?<!/)>$")
_CODE_CLOSE = re.compile(r"^</(pre|code|kbd|samp)\s*>$")
_URL_OPEN_ELEMENT = re.compile(r'^<span class="url"')
_IMAGE_PARAGRAPH = re.compile(r"<p((?:\s+(?!class=)[\w:-]+=\"[^\"]*\")*)>(\s*<img\b[^>]*/>\s*)</p>")

# English: initials, honorifics, and reference abbreviations before numbers.
_INITIAL = re.compile(r"(?<![\w.])([A-Z]\.) (?=[A-Z])")
_HONORIFICS = r"Mr|Mrs|Ms|Mx|Dr|Prof|Rev|St|Mt|Messrs|Mme|Mlle|Capt|Col|Gen|Lt|Sgt|Hon|Fr|Sr"
_HONORIFIC = re.compile(rf"\b({_HONORIFICS})\. (?=[A-Z])")
_REFERENCES = (
    r"p|pp|No|no|Nos|nos|vol|Vol|vols|ch|Ch|chap|fig|Fig|figs|sec|Sec|art|Art|col|cols|"
    r"ed|n|nn|op|Op"
)
_REFERENCE = re.compile(rf"\b({_REFERENCES})\. (?=\d)")
_SECTION = re.compile(r"([§¶]) (?=\d)")
# A range of numbers (pages 10–12, 1914–1918) is not broken after its dash, in any language.
JOINER = "\u2060"  # word joiner: no line break here
_RANGE = re.compile(r"(?<=\d)([–—])(?=\d)")

# An address in running text: a scheme or www., then anything up to a space or a tag.
_URL = re.compile(r"(?:\bhttps?://|\bwww\.)[^\s<>\"]+[^\s<>\".,;:!?)\]’”]")
_URL_TOKEN = re.compile(r"&[#a-zA-Z0-9]+;|//|.", re.S)
_BREAK_BEFORE = set("/.,-_~?#%")
_BREAK_AROUND = {"=", "&amp;", "&"}

# Whether dressing can change anything, looked for once in the whole XHTML, tags included.
# Text between tags is bounded by ">" and "<", which the patterns treat as they treat the
# ends of a text: a pattern that matches in some text matches at the same place in the
# whole, so where none matches in the whole, no text changes. Initials, honorifics and
# references all end in ". " before a capital or a digit: found by that (a fast search
# for a literal), then by what comes before it (initials and honorifics before a
# capital, references before a digit, as their own patterns have it).
_DOT_SPACE = re.compile(r"\. (?=[A-Z\d])")
# Initials and honorifics come before a capital, references before a digit.
_BEFORE_CAPITAL = re.compile(rf"(?:(?<![\w.])[A-Z]|\b(?:{_HONORIFICS}))\Z")
_BEFORE_DIGIT = re.compile(rf"\b(?:{_REFERENCES})\Z")


# Only where a match starts in text, not inside a tag (a link's address, a title): a
# match in some text starts in text. The XHTML is lxml's, which writes no "<" or ">" in
# an attribute's value: a place is inside a tag when the last "<" before it is after
# the last ">".


def _in_text(xhtml: str, at: int) -> bool:
    return xhtml.rfind(">", 0, at) >= xhtml.rfind("<", 0, at)


def _any_in_text(pattern: re.Pattern[str], xhtml: str) -> bool:
    return any(_in_text(xhtml, found.start()) for found in pattern.finditer(xhtml))


def _may_change(xhtml: str, english: bool) -> bool:
    if english:
        for found in _DOT_SPACE.finditer(xhtml):
            at = found.start()
            before = _BEFORE_CAPITAL if "A" <= xhtml[at + 2] <= "Z" else _BEFORE_DIGIT
            if before.search(xhtml, max(at - 10, 0), at) and _in_text(xhtml, at):
                return True
        if ("§ " in xhtml or "¶ " in xhtml) and _any_in_text(_SECTION, xhtml):
            return True
    if ("–" in xhtml or "—" in xhtml) and _any_in_text(_RANGE, xhtml):
        return True
    return ("http" in xhtml or "www." in xhtml) and _any_in_text(_URL, xhtml)


def is_english(language: str) -> bool:
    return language.split("-")[0].lower() == "en"


def nonbreaking(text: str) -> str:
    """English non-breaking spaces in plain text (or in the text between tags)."""
    if ". " in text:  # what initials, honorifics and references all need
        text = _INITIAL.sub(rf"\1{NBSP}", text)
        text = _HONORIFIC.sub(rf"\1.{NBSP}", text)
        text = _REFERENCE.sub(rf"\1.{NBSP}", text)
    if "§ " in text or "¶ " in text:
        text = _SECTION.sub(rf"\1{NBSP}", text)
    return text


def breakable_url(url: str) -> str:
    """An escaped address with zero-width spaces where it may break, in a ``span.url``."""
    tokens = _URL_TOKEN.findall(url)
    out: list[str] = []
    scheme_done = False
    for n, token in enumerate(tokens):
        if n == 0:
            out.append(token)
            continue
        previous = tokens[n - 1]
        if token == "//" and not scheme_done:
            scheme_done = True
            out.append(token + BREAK)
            continue
        breaks = token in _BREAK_AROUND or previous in _BREAK_AROUND or token in _BREAK_BEFORE
        if breaks and not out[-1].endswith(BREAK):
            out.append(BREAK)
        out.append(token)
    return '<span class="url">' + "".join(out) + "</span>"


def _dress_text(text: str, english: bool, in_url: bool) -> str:
    if english:
        text = nonbreaking(text)
    if "–" in text or "—" in text:
        text = _RANGE.sub(rf"\1{JOINER}", text)
    if in_url or ("http" not in text and "www." not in text):
        return text
    return _URL.sub(lambda m: breakable_url(m.group(0)), text)


def mark_image_paragraphs(xhtml: str) -> str:
    """``<p class="image">`` for a paragraph that holds one image and nothing else."""
    if "<img" not in xhtml:
        return xhtml
    return _IMAGE_PARAGRAPH.sub(r'<p class="image"\1>\2</p>', xhtml)


def dress(xhtml: str, language: str) -> str:
    """Non-breaking spaces (English), breakable addresses, image paragraphs marked."""
    xhtml = mark_image_paragraphs(xhtml)
    english = is_english(language)
    return dress_text(xhtml, english) if _may_change(xhtml, english) else xhtml


def dress_text(xhtml: str, english: bool) -> str:
    """The text between the tags dressed (code left alone), wherever it may need it."""
    parts = _TAG.split(xhtml)
    code = 0
    url = 0
    for n, part in enumerate(parts):
        if not part:
            continue
        if part.startswith("<"):
            if _CODE_OPEN.match(part):
                code += 1
            elif _CODE_CLOSE.match(part):
                code = max(code - 1, 0)
            elif _URL_OPEN_ELEMENT.match(part):
                url += 1
            elif url and part == "</span>":
                url -= 1
            continue
        if not code:
            parts[n] = _dress_text(part, english, bool(url))
    return "".join(parts)


def dress_title(title: str, language: str) -> str:
    """A plain-text title with English non-breaking spaces (it stays plain text)."""
    return nonbreaking(title) if is_english(language) else title
