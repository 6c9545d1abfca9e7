"""A small document model for comparison reports, rendered as terminal text, Markdown or HTML.

Diff and variation reports are built once as a list of blocks (headings, paragraphs,
tables, lists, pictures) and rendered by the three writers here, so the terminal, the
Markdown a policy team circulates and the HTML page always carry the same content. The
HTML is self-contained (inline styles, no scripts) and uses real table headers and
captions so that it reads well with a screen reader.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Heading:
    level: int
    text: str


@dataclass(frozen=True)
class Para:
    text: str


@dataclass(frozen=True)
class Table:
    caption: str
    head: list[str]
    rows: list[list[str]]


@dataclass(frozen=True)
class Item:
    text: str
    sub: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Bullets:
    items: list[Item]


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


def to_markdown(doc: Doc) -> str:
    out = [f"# {doc.title}", ""]
    for b in doc.blocks:
        if isinstance(b, Heading):
            out += ["#" * (b.level + 1) + " " + b.text, ""]
        elif isinstance(b, Para):
            out += [b.text, ""]
        elif isinstance(b, Table):
            out += [f"*{b.caption}*", "", "| " + " | ".join(_md_cell(h) for h in b.head) + " |",
                    "|" + "---|" * len(b.head)]
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b.rows]
            out.append("")
        elif isinstance(b, Bullets):
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


def to_html(doc: Doc) -> str:
    out = ['<!DOCTYPE html>', '<html lang="en-GB">', '<head><meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>{html.escape(doc.title)}</title>",
           "<style>body{font-family:Arial,Helvetica,sans-serif;max-width:70rem;margin:2rem auto;padding:0 1rem;"
           "color:#0b0c0c;line-height:1.45}table{border-collapse:collapse;margin:1rem 0}th,td{border:1px solid "
           "#b1b4b6;padding:.3rem .5rem;text-align:left;vertical-align:top}caption{text-align:left;"
           "font-weight:bold;padding:.3rem 0}th{background:#f3f2f1}img{max-width:100%;height:auto}"
           "a{color:#1d70b8}</style></head>", "<body>", "<main>", f"<h1>{html.escape(doc.title)}</h1>"]
    for b in doc.blocks:
        if isinstance(b, Heading):
            n = min(b.level + 1, 6)
            out.append(f"<h{n}>{_h(b.text)}</h{n}>")
        elif isinstance(b, Para):
            out.append(f"<p>{_h(b.text)}</p>")
        elif isinstance(b, Table):
            out.append(f"<table><caption>{_h(b.caption)}</caption><thead><tr>"
                       + "".join(f'<th scope="col">{_h(h)}</th>' for h in b.head) + "</tr></thead><tbody>")
            for row in b.rows:
                out.append("<tr>" + "".join(f'<th scope="row">{_h(c)}</th>' if k == 0 else f"<td>{_h(c)}</td>"
                                            for k, c in enumerate(row)) + "</tr>")
            out.append("</tbody></table>")
        elif isinstance(b, Bullets):
            out.append("<ul>")
            for it in b.items:
                sub = "".join(f"<li>{_h(s)}</li>" for s in it.sub)
                out.append(f"<li>{_h(it.text)}" + (f"<ul>{sub}</ul>" if sub else "") + "</li>")
            out.append("</ul>")
        else:
            out.append(f'<p><img src="{html.escape(b.src)}" alt="{html.escape(b.alt)}"></p>')
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


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
            for it in b.items:
                out += _wrap(it.text, "  - ", "    ", width)
                for s in it.sub:
                    out += _wrap(s, "      ", "        ", width)
            out.append("")
        else:
            out += [f"[picture: {b.src}] {b.alt}", ""]
    return "\n".join(out).rstrip() + "\n"
