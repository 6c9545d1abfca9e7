"""The one document model (headings, paragraphs, lists, tables, pictures, links) and its three renderings.

Every readable document the engine writes (a ruleset's readable view, the diff of two rulesets, the
variation report, the definitions manual) is built once as these frozen blocks and then written as
terminal text, Markdown or HTML, so every form says exactly the same thing. The web pages walk the same blocks
(service/web/templates/web/documents.html). One heading rule holds everywhere: the document's title
is its only level-1 heading (the ``h1``), and a block ``Heading``'s ``level`` is its HTML level (2 for
a top-level section), so headings start at ``h1`` and never skip a level. The contents list (the
anchored level-2 sections) goes just before the first section heading, after the lead paragraphs,
which a reader must see first.

The HTML comes from an autoescaped Jinja template (``templates/document.html``) and the Markdown from
another (``templates/document.md``); the terminal text stays in Python, because it fits tables and
wraps lines to a width. The HTML page has ``lang`` set, one
``h1``, tables with captions and ``th`` cells that declare their ``scope``, links with real text, no
scripts and no external assets, and a print style that shows link addresses and keeps table rows
together. In plain strings, ``<https://...>`` becomes a link and ```code``` becomes code.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup


@dataclass(frozen=True)
class Link:
    text: str
    url: str


Inline = str | Link
Text = str | tuple[Inline, ...]
"""A plain string, or inline parts (strings and links)."""


@dataclass(frozen=True)
class Heading:
    level: int
    """The HTML heading level: 2 for a top-level section (the title is the one level 1)."""
    text: str
    anchor: str | None = None
    """An id the contents list and summary rows link to (HTML id, Markdown anchor)."""


@dataclass(frozen=True)
class Para:
    text: Text
    strong: bool = False
    note: bool = False
    """Rendered as a highlighted notice (e.g. a partial encoding)."""


@dataclass(frozen=True)
class Table:
    caption: str
    header: Sequence[str]
    rows: Sequence[Sequence[Text]]
    links: Sequence[str | None] = ()
    """Per row, the anchor its first cell links to (the row's section), or None."""
    row_header: bool = True
    """The first cell of each row names the row (``th scope=row``)."""


@dataclass(frozen=True)
class Item:
    text: Text
    sub: Sequence[Text] = ()


@dataclass(frozen=True)
class Bullets:
    items: Sequence[Item]
    details: str | None = None
    """When set, the list is collapsible (HTML ``<details>``) under this summary line."""


@dataclass(frozen=True)
class Picture:
    src: str
    alt: str


Block = Heading | Para | Table | Bullets | Picture


@dataclass(frozen=True)
class Document:
    title: str
    blocks: list[Block] = field(default_factory=list)

    def add(self, *blocks: Block) -> None:
        self.blocks.extend(blocks)


def text(*parts: Inline | None) -> tuple[Inline, ...]:
    """Inline parts, dropping empty ones."""
    return tuple(p for p in parts if p)


def parts(t: Text) -> tuple[Inline, ...]:
    """A text's inline parts (a plain string is one part)."""
    return (t,) if isinstance(t, str) else t


def anchor(key: str, prefix: str = "concern") -> str:
    """A stable id for a section (a concern's key becomes ``concern-missing-from-home``)."""
    return f"{prefix}-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def contents(doc: Document) -> list[Heading]:
    """The top-level sections that carry an anchor, in order (the contents list)."""
    return [b for b in doc.blocks if isinstance(b, Heading) and b.level == 2 and b.anchor]


def first_heading(doc: Document) -> Heading | None:
    """The contents list goes just before it, after the lead paragraphs (which a reader must see first)."""
    return next((b for b in doc.blocks if isinstance(b, Heading)), None)


# --- Markdown (inline parts; the layout is templates/document.md) ------------------------------

def _md_inline(t: Text) -> str:
    out = []
    for part in parts(t):
        if isinstance(part, Link):
            label = part.text.replace("[", "\\[").replace("]", "\\]")
            out.append(f"[{label}]({part.url.replace(')', '%29').replace(' ', '%20')})")
        else:
            out.append(part)
    return "".join(out)


def _md_cell(t: Text) -> str:
    return _md_inline(t).replace("|", "\\|").replace("\n", " ")


def _md_link(label: str, to: str | None) -> str:
    return f"[{label.replace('[', '(').replace(']', ')')}](#{to})" if to else label


# --- HTML -------------------------------------------------------------------------------------

_LINK = re.compile(r"&lt;(https?://[^\s&]+)&gt;")


def rich(value: str, link_class: str = "") -> Markup:
    """Escaped text with <https://...> turned into links (of ``link_class``) and `code` into <code>."""
    cls = f' class="{link_class}"' if link_class else ""
    escaped = _LINK.sub(lambda m: f'<a{cls} href="{m.group(1)}">{m.group(1)}</a>', html.escape(value, quote=True))
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped))  # noqa: S704 - escaped above


_TEMPLATES = Environment(loader=PackageLoader("engine.render", "templates"), autoescape=True,
                         trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined)
_TEMPLATES.filters["rich"] = rich
_TEMPLATES.filters["kind"] = lambda block: type(block).__name__
_TEMPLATES.filters["parts"] = parts
_TEMPLATES.filters["url"] = lambda url: Markup(html.escape(url, quote=True))  # noqa: S704 - escaped
_MARKDOWN = Environment(loader=PackageLoader("engine.render", "templates"), autoescape=False,  # noqa: S701 - Markdown
                        trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True, undefined=StrictUndefined)
_MARKDOWN.filters.update(kind=lambda block: type(block).__name__, md=_md_inline, md_cell=_md_cell, md_link=_md_link)


def to_markdown(doc: Document) -> str:
    """The document as Markdown (engine/render/templates/document.md)."""
    page = _MARKDOWN.get_template("document.md").render(doc=doc, contents=contents(doc), first=first_heading(doc))
    return page.rstrip("\n") + "\n"


def to_html(doc: Document) -> str:
    """A standalone, script-free page in British English (engine/render/templates/document.html)."""
    return _TEMPLATES.get_template("document.html").render(doc=doc, contents=contents(doc), first=first_heading(doc))


# --- Terminal text ----------------------------------------------------------------------------

def _plain(t: Text) -> str:
    return "".join(f"{p.text} <{p.url}>" if isinstance(p, Link) and p.url != p.text
                   else (p.text if isinstance(p, Link) else p) for p in parts(t))


def _wrap(value: str, first: str, rest: str, width: int = 100) -> list[str]:
    return textwrap.wrap(value, width=width, initial_indent=first, subsequent_indent=rest,
                         break_on_hyphens=False) or [first]


_GAP = 2
_MIN_COLUMN = 8


def _column_widths(natural: list[int], width: int) -> list[int]:
    """Each column's natural width, or, when the row would be wider than ``width``, a fair share of it.

    Columns narrower than their share keep their width; what they leave is shared among the
    wider ones, whose cells then wrap onto more lines (a cell is never cut).
    """
    room = max(width - _GAP * (len(natural) - 1), _MIN_COLUMN * len(natural))
    if sum(natural) <= room:
        return natural
    widths = list(natural)
    wide = sorted(range(len(natural)), key=lambda k: natural[k])
    left = room
    while wide:
        share = max(left // len(wide), _MIN_COLUMN)
        k = wide[0]
        if natural[k] <= share:
            left -= natural[k]
            wide.pop(0)
            continue
        for k in wide:
            widths[k] = share
        break
    return widths


def _table_lines(head: list[str], rows: list[list[str]], width: int) -> list[str]:
    """A table as text lines: columns fitted to ``width``, long cells wrapped onto further lines, never cut."""
    natural = [max(len(r[k]) for r in [head, *rows]) for k in range(len(head))]
    widths = _column_widths(natural, width)
    out: list[str] = []
    for row in [head, ["-" * w for w in widths], *rows]:
        cells = [textwrap.wrap(c, width=widths[k], break_on_hyphens=False) or [""] for k, c in enumerate(row)]
        for n in range(max(len(c) for c in cells)):
            out.append((" " * _GAP).join((c[n] if n < len(c) else "").ljust(widths[k])
                                         for k, c in enumerate(cells)).rstrip())
    return out


def to_text(doc: Document, width: int = 100) -> str:
    out = [*_wrap(doc.title, "", "", width), "=" * min(len(doc.title), width), ""]
    for b in doc.blocks:
        if isinstance(b, Heading):
            out += [b.text.upper() if b.level == 2 else b.text, ""] if b.level <= 3 else [b.text]
        elif isinstance(b, Para):
            out += _wrap(_plain(b.text), "", "", width) + [""]
        elif isinstance(b, Table):
            out += _table_lines(list(b.header), [[_plain(c) for c in row] for row in b.rows], width) + [""]
        elif isinstance(b, Bullets):
            if b.details:
                out += _wrap(b.details, "", "", width)
            for it in b.items:
                out += _wrap(_plain(it.text), "  - ", "    ", width)
                for s in it.sub:
                    out += _wrap(_plain(s), "      ", "        ", width)
            out.append("")
        else:
            out += [f"[picture: {b.src}] {b.alt}", ""]
    return "\n".join(out).rstrip() + "\n"
