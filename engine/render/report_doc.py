"""A small document model for comparison reports, rendered as terminal text, Markdown or HTML.

Diff and variation reports are built once as a list of blocks (headings, paragraphs,
tables, lists, pictures) and rendered by the three writers here, so the terminal, the
Markdown a policy team circulates and the HTML page always carry the same content. The
HTML comes from a Jinja template (``templates/report.html``, autoescaped), the same walk the web
pages make over these blocks (service/web/templates/web/documents.html). It is self-contained
(inline styles, no scripts) and uses real table headers and captions so that it reads well with a screen reader.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass, field

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str | None = None
    """An id the contents list and summary rows link to (HTML id, Markdown anchor)."""


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Table:
    caption: str
    head: list[str]
    rows: list[list[str]]
    links: list[str | None] = field(default_factory=list)
    """Per row, the anchor its first cell links to (the row's section), or None."""


@dataclass(frozen=True)
class Item:
    text: str
    sub: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Bullets:
    items: list[Item]
    details: str | None = None
    """When set, the list is collapsible (HTML ``<details>``) under this summary line."""


@dataclass(frozen=True)
class Picture:
    src: str
    alt: str


Block = Heading | Para | Table | Bullets | Picture


@dataclass(frozen=True)
class Doc:
    title: str
    blocks: list[Block]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def anchor(key: str, prefix: str = "concern") -> str:
    """A stable id for a section (a concern's key becomes ``concern-missing-from-home``)."""
    return f"{prefix}-" + re.sub(r"[^a-z0-9]+", "-", key.lower()).strip("-")


def contents(doc: Doc) -> list[Heading]:
    """The top-level sections that carry an anchor, in order (the contents list)."""
    return [b for b in doc.blocks if isinstance(b, Heading) and b.level == 1 and b.anchor]


def _first_heading(doc: Doc) -> Heading | None:
    """The contents list goes just before it, after the lead paragraphs (which a reader must see first)."""
    return next((b for b in doc.blocks if isinstance(b, Heading)), None)


def _md_link(text: str, anchor: str | None) -> str:
    return f"[{text.replace('[', '(').replace(']', ')')}](#{anchor})" if anchor else text


def to_markdown(doc: Doc) -> str:
    out = [f"# {doc.title}", ""]
    for b in doc.blocks:
        if isinstance(b, Heading):
            if b is _first_heading(doc) and contents(doc):
                out += ["Contents:", ""] + [f"- {_md_link(h.text, h.anchor)}" for h in contents(doc)] + [""]
            out += ([f'<a id="{b.anchor}"></a>', ""] if b.anchor else []) + ["#" * (b.level + 1) + " " + b.text, ""]
        elif isinstance(b, Para):
            out += [b.text, ""]
        elif isinstance(b, Table):
            out += [f"*{b.caption}*", "", "| " + " | ".join(_md_cell(h) for h in b.head) + " |",
                    "|" + "---|" * len(b.head)]
            links = b.links or [None] * len(b.rows)
            out += ["| " + " | ".join(_md_link(_md_cell(c), links[r] if k == 0 else None) for k, c in enumerate(row))
                    + " |" for r, row in enumerate(b.rows)]
            out.append("")
        elif isinstance(b, Bullets):
            if b.details:
                out += [b.details, ""]
            for it in b.items:
                out.append(f"- {it.text}")
                out += [f"  - {s}" for s in it.sub]
            out.append("")
        else:
            out += [f"![{b.alt}]({b.src})", ""]
    return "\n".join(out)


_LINK = re.compile(r"&lt;(https?://[^\s&]+)&gt;")


def _h(text: str) -> str:
    """Escaped text with <https://...> turned into links and `code` into <code>."""
    escaped = _LINK.sub(lambda m: f'<a href="{m.group(1)}">{m.group(1)}</a>', html.escape(text))
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)


_TEMPLATES = Environment(loader=PackageLoader("engine.render", "templates"), autoescape=True,
                         trim_blocks=True, lstrip_blocks=True, undefined=StrictUndefined)
_TEMPLATES.filters["rich"] = lambda text: Markup(_h(text))
_TEMPLATES.filters["kind"] = lambda block: type(block).__name__


def to_html(doc: Doc) -> str:
    """A standalone, script-free page (engine/render/templates/report.html)."""
    return _TEMPLATES.get_template("report.html").render(doc=doc, contents=contents(doc), first=_first_heading(doc))


def _wrap(text: str, first: str, rest: str, width: int = 100) -> list[str]:
    return textwrap.wrap(text, width=width, initial_indent=first, subsequent_indent=rest,
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


def to_text(doc: Doc, width: int = 100) -> str:
    out = [*_wrap(doc.title, "", "", width), "=" * min(len(doc.title), width), ""]
    for b in doc.blocks:
        if isinstance(b, Heading):
            out += [b.text.upper() if b.level == 1 else b.text, ""] if b.level <= 2 else [b.text]
        elif isinstance(b, Para):
            out += _wrap(b.text, "", "", width) + [""]
        elif isinstance(b, Table):
            out += _table_lines(b.head, b.rows, width) + [""]
        elif isinstance(b, Bullets):
            if b.details:
                out += _wrap(b.details, "", "", width)
            for it in b.items:
                out += _wrap(it.text, "  - ", "    ", width)
                for s in it.sub:
                    out += _wrap(s, "      ", "        ", width)
            out.append("")
        else:
            out += [f"[picture: {b.src}] {b.alt}", ""]
    return "\n".join(out).rstrip() + "\n"
