"""A ruleset as a readable document a policy officer can check against the original.

Levels with their canonical outcomes and responses, indicators by domain and level in plain
English with their citations, the national overrides and the coverage notes. Markdown is
the primary form; HTML is produced from the same structure.
"""

from __future__ import annotations

import html

from engine.catalogue import LoadedRuleset
from engine.ruleset import Citation
from engine.vocabulary import DOMAIN_LABELS, Domain
from engine.wording import describe


def cite_text(c: Citation, default_document: str) -> str:
    parts = [c.document or default_document, c.section]
    text = ", ".join(parts)
    if c.url:
        text += f" <{c.url}>"
    if c.mirror:
        text += f" (read from mirror <{c.mirror}>)"
    return text


def to_markdown(loaded: LoadedRuleset) -> str:
    m = loaded.model
    info = m.ruleset
    vocab = loaded.vocabulary
    doc = info.document.title
    out: list[str] = []
    w = out.append
    w(f"# {info.authority}: {doc}")
    w("")
    w(f"- Ruleset: `{info.id}` version `{info.version}` (sha256 `{loaded.sha256}`)")
    w(f"- Partnership: {info.partnership}")
    w(f"- Source: <{info.document.url}>" + "".join(f", mirror <{u}>" for u in info.document.mirrors))
    w(f"- Published: {info.published or 'not stated'}; retrieved: {info.retrieved or 'not stated'}")
    w(f"- In force: {info.effective_from or 'date not stated'} to {info.effective_to or 'now'}")
    w(f"- Licence: {info.licence}")
    w(f"- National safety module: `{loaded.national.module.id}` {loaded.national.module.version}; "
      f"vocabulary `{vocab.vocabulary.id}` {vocab.vocabulary.version}")
    if info.summary:
        w("")
        w(info.summary)
    w("")
    w("## Coverage")
    w("")
    w("This encoding covers the whole document." if info.coverage.complete else
       "**Partial encoding: this is not the whole document.**")
    w(f"Levels seen: {', '.join(info.coverage.levels) or 'none'}. "
      f"Domains encoded: {', '.join(DOMAIN_LABELS[d] for d in info.coverage.domains) or 'none'}.")
    w("")
    w(info.coverage.notes)
    w("")
    w("## Levels")
    w("")
    w("| Level | Label | Canonical outcome | Response |")
    w("|---|---|---|---|")
    for lv in m.levels:
        resp = lv.response + (f" Timescale: {lv.timescale}." if lv.timescale else "")
        w(f"| {lv.id} | {lv.label} | {lv.outcome.label} | {_cell(resp)} |")
    for lv in m.levels:
        w("")
        w(f"### {lv.id}: {lv.label}")
        w("")
        w(lv.description)
        if lv.note:
            w("")
            w(f"Note: {lv.note}")
        w("")
        w(f"Source: {cite_text(lv.cite, doc)}")
    w("")
    w("## Indicators by domain and level")
    for domain in Domain:
        inds = [i for i in m.indicators if i.domain == domain]
        if not inds:
            continue
        w("")
        w(f"### {DOMAIN_LABELS[domain]}")
        for lv in m.levels:
            at = [i for i in inds if i.level == lv.id]
            if not at:
                continue
            w("")
            w(f"#### {lv.id} {lv.label} ({lv.outcome.label})")
            w("")
            for i in at:
                w(f"- **{i.says}** (`{i.id}`)")
                w(f"  - When: {describe(i.when, vocab)}")
                w(f"  - Source: {cite_text(i.cite, doc)}")
                if i.cite.quote:
                    w(f"  - Wording: \u201c{i.cite.quote}\u201d")
                if i.note:
                    w(f"  - Note: {i.note}")
    empty = [lv for lv in m.levels if not any(i.level == lv.id for i in m.indicators)]
    if empty:
        w("")
        w("Levels with no encoded indicator: " + ", ".join(f"{lv.id} {lv.label}" for lv in empty) + ".")
    if m.combinations:
        w("")
        w("## Combination rules")
        w("")
        for c in m.combinations:
            w(f"- **{c.says}** (`{c.id}`): at least {c.at_least} matched indicators at {c.of_level} or above, "
              f"in at least {c.across_domains} domain(s), give {c.gives}. Source: {cite_text(c.cite, doc)}")
    w("")
    w("## Safety overrides (apply before any level)")
    for ov, origin in loaded.overrides:
        w("")
        w(f"### {ov.says} (`{ov.id}`, {origin})")
        w("")
        w(f"- When: {describe(ov.when, vocab)}")
        w(f"- At least: {ov.minimum.label}")
        for a in ov.actions:
            w(f"- Action: {a}")
        for ref in ov.cite:
            w(f"- Source: {cite_text(ref, doc)}")
    for oa in loaded.national.outcome_actions:
        w("")
        w(f"Whenever the suggestion reaches {oa.outcome.label}: " + " ".join(oa.actions))
    if m.accepted_warnings:
        w("")
        w("## Accepted lint warnings")
        w("")
        for aw in m.accepted_warnings:
            w(f"- `{aw.code}` on {aw.subject}: {aw.reason}")
    w("")
    w("_Every suggestion made from this ruleset supports a qualified practitioner, who decides._")
    return "\n".join(out) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_html(loaded: LoadedRuleset) -> str:
    """A standalone HTML page of the same document (no scripts, no external assets)."""
    md = to_markdown(loaded)
    body: list[str] = []
    in_list = 0
    table_rows: list[str] = []
    for line in md.splitlines():
        if line.startswith("|"):
            if line.startswith("|---"):
                continue
            cells = [html.escape(c.strip()) for c in line.strip("|").split(" | ")]
            tag = "th" if not table_rows else "td"
            table_rows.append("<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>")
            continue
        if table_rows:
            body.append("<table>" + "".join(table_rows) + "</table>")
            table_rows = []
        depth = (len(line) - len(line.lstrip(" "))) // 2 + 1 if line.lstrip().startswith("- ") else 0
        while in_list > depth:
            body.append("</ul>")
            in_list -= 1
        while in_list < depth:
            body.append("<ul>")
            in_list += 1
        text = _inline(line.lstrip()[2:] if depth else line)
        if depth:
            body.append(f"<li>{text}</li>")
        elif line.startswith("#"):
            n = len(line) - len(line.lstrip("#"))
            body.append(f"<h{n}>{_inline(line[n:].strip())}</h{n}>")
        elif line.strip():
            body.append(f"<p>{text}</p>")
    while in_list:
        body.append("</ul>")
        in_list -= 1
    title = html.escape(f"{loaded.model.ruleset.authority}: {loaded.model.ruleset.document.title}")
    return ("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{title}</title><style>body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;"
            "line-height:1.5}table{border-collapse:collapse}td,th{border:1px solid #888;padding:.3rem;"
            "text-align:left;vertical-align:top}</style></head><body>" + "\n".join(body) + "</body></html>\n")


def _inline(text: str) -> str:
    import re

    t = html.escape(text, quote=False)
    t = re.sub(r"\*\*(.+?)\*\*", r"<strong>\1</strong>", t)
    t = re.sub(r"`(.+?)`", r"<code>\1</code>", t)
    t = re.sub(r"&lt;(https?://[^&\s]+)&gt;", lambda m: f'<a href="{m.group(1)}">{m.group(1)}</a>', t)
    return re.sub(r"_(Every .+?)_$", r"<em>\1</em>", t)
