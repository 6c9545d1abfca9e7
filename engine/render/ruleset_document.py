"""A ruleset as a readable document a policy officer can check against the original.

The order follows what a checker needs: a newer document that replaced it, when there is one
(not encoded), then what was encoded and from where (source, dates, coverage, with a partial
encoding flagged first), the levels with their canonical outcomes,
responses and sources, then every indicator by domain and level in plain English with the
section it cites (linked) and any quoted wording, the combination rules, the national safety
overrides (which no local ruleset can remove) and local ones, and the lint warnings the
authors accepted with their reasons. The content is built once (:func:`ruleset_document`) and
written as Markdown or HTML by :mod:`engine.render.document`, so both forms say the same thing.
The title is the document's one ``h1``; sections are level 2.
"""

from __future__ import annotations

from engine.compare.routes import route_levels
from engine.evaluate.suggestion import STATEMENT
from engine.load.catalogue import LoadedRuleset
from engine.model.ruleset import Citation, Override
from engine.model.vocabulary import DOMAIN_LABELS, Domain
from engine.model.wording import describe
from engine.render import document as d
from engine.render.document import Bullets, Document, Heading, Item, Link, Para, Table, text


def cite(c: Citation, default_document: str) -> tuple[d.Inline, ...]:
    """A citation as linked text (:meth:`Citation.segments`, the one way a citation reads)."""
    return tuple(Link(t, url) if url else t for t, url in c.segments(default_document))


def _join(parts: list[tuple[d.Inline, ...]], sep: str = "; ") -> tuple[d.Inline, ...]:
    out: list[d.Inline] = []
    for i, p in enumerate(parts):
        if i:
            out.append(sep)
        out.extend(p)
    return tuple(out)


def ruleset_document(loaded: LoadedRuleset) -> Document:
    m = loaded.model
    info = m.ruleset
    title = f"{info.authority}: {info.document.title}"
    doc = Document(title)
    if (rep := info.document.replaced_by) is not None:  # first: the document itself may not be current
        doc.add(Para(text(rep.notice(info.authority) + " ", Link(f"Read {rep.title}", rep.url)), strong=True,
                     note=True))
    doc.add(Para(text(STATEMENT)))
    if not info.coverage.complete:
        doc.add(Para(text("Partial encoding: this is not the whole document. Read the coverage notes before "
                          "relying on a missing indicator."), strong=True, note=True))
    _about(doc, loaded)
    _levels(doc, loaded)
    _indicators(doc, loaded)
    _combinations(doc, loaded)
    _overrides(doc, loaded)
    if m.accepted_warnings:
        doc.add(Heading(2, "Accepted lint warnings", "accepted-warnings"),
                Para(text("The authors checked these linter warnings and kept the ruleset as it is, for the "
                          "reasons given.")),
                Table("Accepted lint warnings", ("Subject", "Warning", "Reason"),
                      tuple((text(a.subject), text(a.code), text(a.reason)) for a in m.accepted_warnings)))
    return doc


def _about(doc: Document, loaded: LoadedRuleset) -> None:
    m = loaded.model
    info = m.ruleset
    src = info.document
    rows: list[tuple[d.Text, ...]] = [
        (text("Authority"), text(info.authority)),
        (text("Partnership"), text(info.partnership)),
        (text("Source document"), text(Link(src.title, src.url), f" (published by {src.publisher})"
                                        if src.publisher else None)),
    ]
    if src.mirrors:
        rows.append((text("Read from"), _join([text(Link(u, u)) for u in src.mirrors], ", ")))
    rows += [
        (text("Published"), text(info.published or "not stated")),
        (text("Retrieved"), text(info.retrieved or "not stated")),
        (text("In force"), text(f"{info.effective_from or 'start date not stated'}, {rep.mark()}"
                                if (rep := info.open_end_replaced_by) is not None else
                                f"{info.effective_from or 'start date not stated'} to "
                                f"{info.effective_to or 'now (no end date)'}")),
        (text("Licence"), text(info.licence)),
        (text("Ruleset"), text(f"{info.id} version {info.version}")),
        (text("National safety module"), text(f"{loaded.national.module.id} {loaded.national.module.version}")),
        (text("Vocabulary"), text(f"{loaded.vocabulary.vocabulary.id} {loaded.vocabulary.vocabulary.version}")),
        (text("sha256"), text(loaded.sha256)),
    ]
    doc.add(Heading(2, "About this encoding", "about"), Table("Source and version", ("Item", "Value"), tuple(rows)))
    if info.summary:
        doc.add(Para(text(info.summary)))
    cov = info.coverage
    levels = ", ".join(f"{lid} {loaded.levels[lid].label}" if lid in loaded.levels else lid for lid in cov.levels)
    doc.add(Heading(2, "Coverage", "coverage"),
            Para(text("This encoding covers the whole document." if cov.complete else
                      "This encoding covers only part of the document."), strong=True),
            Bullets((Item(f"Levels whose indicators were seen: {levels or 'none'}."),
                     Item("Domains with indicators encoded: "
                          + (", ".join(DOMAIN_LABELS[x] for x in cov.domains) or "none") + "."))),
            Para(text(cov.notes)))


def _levels(doc: Document, loaded: LoadedRuleset) -> None:
    m = loaded.model
    src = m.ruleset.document.title
    doc.add(Heading(2, "Levels", "levels"),
            Para(text("Level numbers are local labels. Each level is mapped to a national canonical outcome so "
                      "that authorities can be compared.")),
            Table("Levels, their canonical outcomes, Families First routes and responses",
                  ("Level", "Canonical outcome", "Families First route (who leads)", "Response", "Timescale",
                   "Source"),
                  tuple((text(f"{lv.id} {lv.label}"), text(lv.outcome.label),
                         text(f"{rt.route.label}, {'declared by the document' if rt.basis == 'declared' else 'derived'}"
                              f" ({rt.lead})"), text(lv.response),
                         text(lv.timescale or "not stated"), cite(lv.cite, src))
                        for lv, rt in zip(m.levels, route_levels(loaded), strict=True))))
    for lv in m.levels:
        doc.add(Heading(3, f"{lv.id} {lv.label}"), Para(text(lv.description)))
        if lv.note:
            doc.add(Para(text(f"Note: {lv.note}")))


def _indicators(doc: Document, loaded: LoadedRuleset) -> None:
    m = loaded.model
    vocab = loaded.vocabulary
    src = m.ruleset.document.title
    doc.add(Heading(2, "Indicators by domain and level", "indicators"),
            Para(text(f"{len(m.indicators)} indicators. \u201cSays\u201d is the document's indicator in plain "
                      "English; \u201cMatches when\u201d is exactly what the engine tests, in the words of the "
                      "referral questions.")))
    for domain in Domain:
        inds = [i for i in m.indicators if i.domain == domain]
        if not inds:
            continue
        doc.add(Heading(3, DOMAIN_LABELS[domain]))
        for lv in m.levels:
            at = [i for i in inds if i.level == lv.id]
            if not at:
                continue
            doc.add(Heading(4, f"{lv.id} {lv.label}: {lv.outcome.label}"),
                    Table(f"{DOMAIN_LABELS[domain]}: {lv.id} {lv.label}",
                          ("Says", "Matches when", "Source", "Id"),
                          tuple((text(i.says, f" Note: {i.note}" if i.note else None), text(describe(i.when, vocab)),
                                 cite(i.cite, src), text(i.id)) for i in at)))
    empty = [lv for lv in m.levels if not any(i.level == lv.id for i in m.indicators)]
    if empty:
        doc.add(Para(text("Levels with no encoded indicator: "
                          + ", ".join(f"{lv.id} {lv.label}" for lv in empty) + ".")))


def _combinations(doc: Document, loaded: LoadedRuleset) -> None:
    m = loaded.model
    if not m.combinations:
        return
    src = m.ruleset.document.title
    doc.add(Heading(2, "Combination rules", "combinations"),
            Table("Several needs together", ("Says", "Rule", "Source"),
                  tuple((text(c.says),
                         text(f"At least {c.at_least} matched indicators at {c.of_level} or above, in at least "
                              f"{c.across_domains} domain(s), give {c.gives} "
                              f"{loaded.levels[c.gives].label if c.gives in loaded.levels else ''}".rstrip() + "."),
                         cite(c.cite, src)) for c in m.combinations)))


def _override_rows(overrides: list[Override], loaded: LoadedRuleset, src: str) -> tuple[tuple[d.Text, ...], ...]:
    return tuple((text(o.says, f" ({o.id})"), text(describe(o.when, loaded.vocabulary)), text(o.minimum.label),
                  text(" ".join(o.actions)), _join([cite(c, src) for c in o.cite]))
                 for o in overrides)


def _overrides(doc: Document, loaded: LoadedRuleset) -> None:
    m = loaded.model
    src = m.ruleset.document.title
    nat = loaded.national
    header = ("Override", "Applies when", "At least", "Required actions", "Sources")
    doc.add(Heading(2, "Safety overrides", "overrides"),
            Para(text("Overrides apply before any level: each sets a floor on the outcome and lists actions "
                      "required now. The national overrides apply under every English ruleset; a local ruleset "
                      "can add overrides but cannot remove or weaken a national one.")),
            Heading(3, f"National overrides ({nat.module.id} {nat.module.version})"),
            Table("National safety overrides", header, _override_rows(list(nat.overrides), loaded, src)))
    if nat.outcome_actions:
        doc.add(Bullets(tuple(Item(f"Whenever the suggestion reaches {oa.outcome.label}: " + " ".join(oa.actions))
                              for oa in nat.outcome_actions)))
    doc.add(Heading(3, "Local overrides"))
    if m.overrides:
        doc.add(Table("Local overrides added by this ruleset", header, _override_rows(list(m.overrides), loaded, src)))
    else:
        doc.add(Para(text("This ruleset adds no local overrides.")))


def to_markdown(loaded: LoadedRuleset) -> str:
    """The readable view as Markdown."""
    return d.to_markdown(ruleset_document(loaded))


def to_html(loaded: LoadedRuleset) -> str:
    """The readable view as a standalone, accessible, print-friendly HTML page (no scripts)."""
    return d.to_html(ruleset_document(loaded))
