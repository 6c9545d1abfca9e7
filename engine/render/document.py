"""A small document model (headings, paragraphs, lists, tables, links) and its two renderings.

The readable view of a ruleset is built once as these blocks and then written out as
Markdown or as a standalone HTML page, so both say exactly the same thing. The HTML is
written for people checking a ruleset against the council's original, on screen or on paper:
``lang`` set, one ``h1`` and no skipped heading levels, tables with captions and ``th`` cells
that declare their ``scope``, links with real text, no scripts and no external assets, and a
print style that shows link addresses and keeps table rows together.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Link:
    text: str
    url: str


Inline = str | Link
Text = tuple[Inline, ...]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str | None = None


@dataclass(frozen=True)
class Para:
    text: Text
    strong: bool = False
    note: bool = False  # rendered as a highlighted notice (e.g. a partial encoding)


@dataclass(frozen=True)
class Items:
    items: tuple[Text, ...]


@dataclass(frozen=True)
class Table:
    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[Text, ...], ...]
    row_header: bool = True  # the first cell of each row names the row (th scope=row)


@dataclass
class Document:
    title: str
    blocks: list[Heading | Para | Items | Table] = field(default_factory=list)

    def add(self, *blocks: Heading | Para | Items | Table) -> None:
        self.blocks.extend(blocks)


def text(*parts: Inline | None) -> Text:
    """Inline parts, dropping empty ones."""
    return tuple(p for p in parts if p)


# --- Markdown ---------------------------------------------------------------------------------

def _md_inline(t: Text) -> str:
    out = []
    for part in t:
        if isinstance(part, Link):
            label = part.text.replace("[", "\\[").replace("]", "\\]")
            out.append(f"[{label}]({part.url.replace(')', '%29').replace(' ', '%20')})")
        else:
            out.append(part)
    return "".join(out)


def _md_cell(t: Text) -> str:
    return _md_inline(t).replace("|", "\\|").replace("\n", " ")


def to_markdown(doc: Document) -> str:
    out: list[str] = []
    for b in doc.blocks:
        if isinstance(b, Heading):
            out += ["#" * b.level + " " + b.text, ""]
        elif isinstance(b, Para):
            body = _md_inline(b.text)
            out += [f"**{body}**" if b.strong else (f"> {body}" if b.note else body), ""]
        elif isinstance(b, Items):
            out += [f"- {_md_inline(i)}" for i in b.items] + [""]
        else:
            out += [f"Table: {b.caption}", "", "| " + " | ".join(b.header) + " |",
                    "|" + "---|" * len(b.header)]
            out += ["| " + " | ".join(_md_cell(c) for c in row) + " |" for row in b.rows]
            out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


# --- HTML -------------------------------------------------------------------------------------

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:#0b0c0c;background:#fff;
line-height:1.5;max-width:72rem;margin:0 auto;padding:1rem 1.5rem}
a{color:#1d70b8}a:visited{color:#4c2c92}a:focus{outline:3px solid #fd0;background:#fd0;color:#0b0c0c}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem}
table{border-collapse:collapse;width:100%;margin:0 0 1.5rem}
caption{text-align:left;font-weight:bold;padding:.3rem 0}
th,td{border:1px solid #b1b4b6;padding:.4rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f3f2f1}
.notice{border-left:.4rem solid #d4351c;padding:.5rem 1rem;background:#fef7f7;font-weight:bold}
nav ul{columns:2}
@media print{body{max-width:none;padding:0;font-size:10.5pt}nav,.skip{display:none}
a{color:#000}a[href^="http"]::after{content:" <" attr(href) ">";font-size:.85em;word-break:break-all}
h2,h3,h4{break-after:avoid}tr,li{break-inside:avoid}thead{display:table-header-group}
.notice{border:2px solid #000;background:none}}
"""


def _h(value: str) -> str:
    return html.escape(value, quote=True)


def _html_inline(t: Text) -> str:
    out = []
    for part in t:
        if isinstance(part, Link):
            out.append(f'<a href="{_h(part.url)}">{_h(part.text)}</a>')
        else:
            out.append(_h(part))
    return "".join(out)


def to_html(doc: Document, lang: str = "en") -> str:
    """A standalone, script-free HTML page with a contents list of the level-2 sections."""
    body: list[str] = []
    contents = [b for b in doc.blocks if isinstance(b, Heading) and b.level == 2 and b.anchor]
    for b in doc.blocks:
        if isinstance(b, Heading):
            anchor = f' id="{_h(b.anchor)}"' if b.anchor else ""
            body.append(f"<h{b.level}{anchor}>{_h(b.text)}</h{b.level}>")
            if b.level == 1 and contents:
                body.append('<nav aria-label="Contents"><h2>Contents</h2><ul>' + "".join(
                    f'<li><a href="#{_h(c.anchor or "")}">{_h(c.text)}</a></li>' for c in contents) + "</ul></nav>")
        elif isinstance(b, Para):
            inner = _html_inline(b.text)
            if b.strong:
                inner = f"<strong>{inner}</strong>"
            body.append(f'<p class="notice">{inner}</p>' if b.note else f"<p>{inner}</p>")
        elif isinstance(b, Items):
            body.append("<ul>" + "".join(f"<li>{_html_inline(i)}</li>" for i in b.items) + "</ul>")
        else:
            head = "".join(f'<th scope="col">{_h(h)}</th>' for h in b.header)
            rows = []
            for row in b.rows:
                cells = []
                for i, cell in enumerate(row):
                    if i == 0 and b.row_header:
                        cells.append(f'<th scope="row">{_html_inline(cell)}</th>')
                    else:
                        cells.append(f"<td>{_html_inline(cell)}</td>")
                rows.append("<tr>" + "".join(cells) + "</tr>")
            body.append(f"<table><caption>{_h(b.caption)}</caption><thead><tr>{head}</tr></thead>"
                        f"<tbody>{''.join(rows)}</tbody></table>")
    return (f'<!DOCTYPE html>\n<html lang="{_h(lang)}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{_h(doc.title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
            '<a class="skip" href="#main">Skip to the document</a>\n<main id="main">\n'
            + "\n".join(body) + "\n</main>\n</body>\n</html>\n")
