"""A comparison of two rulesets as a report: terminal text, Markdown or HTML.

Leads with what a policy team asks first (which concerns get a different answer, with a
referral that shows it and both explanations), then the structure side by side. Only
renders the :class:`~engine.compare.comparison.RulesetComparison` value; it computes nothing of its own.
"""

from __future__ import annotations

from collections.abc import Mapping

from engine.compare.comparison import RulesetComparison
from engine.compare.routes import RouteComparison, RouteLevel
from engine.compare.semantic import SideResult, WitnessResult
from engine.compare.structural_parts import SHORT
from engine.model.vocabulary import FactValue
from engine.render.document import (
    Block,
    Bullets,
    Document,
    Heading,
    Item,
    Para,
    Table,
    anchor,
    to_html,
    to_markdown,
    to_text,
)


def _facts(facts: Mapping[str, FactValue]) -> str:
    return ", ".join(f"{k} = {str(v).lower() if isinstance(v, bool) else v}" for k, v in facts.items()) or "no facts"


def _referral(c: RulesetComparison, r: WitnessResult) -> str:
    words = c.referral_words.get(r.witness.id) or ", ".join(
        f"{k} = {str(v).lower() if isinstance(v, bool) else v}" for k, v in r.witness.facts.items())
    return f"an example referral: {words or 'nothing reported'}"



def _examples(n: int) -> str:
    return (f"{n} example referral{'s' if n != 1 else ''} (boundary cases made to show the difference, not a count of "
            "real referrals)")


def _side(name: str, s: SideResult, cites: bool, ids: bool = True) -> str:
    """One side's result; without ``cites`` or ``ids`` (the plain text default) a rule is named by its words."""
    why = "; ".join(
        f"{x.kind}" + (f" {x.id}" if cites or ids else "") + (f" \u201c{x.says}\u201d" if cites or not ids else "")
        + (f" at {x.level}" if x.level and x.kind != "override" else "")
        + (f" ({x.cite.text()})" if x.cite and cites else "")
        for x in s.reasons) or "no indicator matched"
    return f"{name}: {SHORT[s.outcome]} \u2014 level {s.level.id} {s.level.label} \u2014 because {why}"


def _steps(n: int) -> str:
    return f"{abs(n)} step{'s' if abs(n) != 1 else ''} {'higher' if n > 0 else 'lower'}"


BOUNDARY_NOTE = ("Witness referrals are boundary cases made from the two rulesets (to exercise each indicator and "
                 "its cut points), not a sample of real referrals: their counts say where the documents differ, not "
                 "how often real referrals would be affected. For that, try a draft with recorded referrals "
                 "(thresholds diff --draft FILE --records BANK).")


def build(c: RulesetComparison, limit: int | None = None, cites: bool = True, ids: bool = True) -> Document:
    st, se = c.structural, c.semantic
    an, bn = st.a_name, st.b_name
    blocks: list[Block] = [Para(c.encoding_note)] if c.encoding_note else []
    blocks += [
        Para(f"{an}: {st.a.document} (ruleset `{st.a.id}` version `{st.a.version}`, sha256 `{st.a.sha256[:12]}`). "
             f"{bn}: {st.b.document} (ruleset `{st.b.id}` version `{st.b.version}`, sha256 `{st.b.sha256[:12]}`)."),
        Para(c.statement)]
    if c.identical:
        blocks.append(Para(f"No differences: the two rulesets give every witness referral the same outcome for the "
                           f"same reasons, and their structure is the same. {se.coverage}"))
    for ref in (st.a, st.b) if st.a.sha256 != st.b.sha256 else (st.a,):
        if not ref.coverage_complete:
            blocks.append(Para(f"Partial encoding of {ref.authority}'s document: {ref.coverage_notes}"))
    blocks += [Heading(2, "Referrals that get a different outcome", "different-outcomes"),
               Para(f"{se.differing} of {se.witnesses_tried} witness referrals get a different canonical outcome. "
                    + se.coverage),
               Para(BOUNDARY_NOTE)]
    if c.classified:
        blocks += [Table("Why the outcomes differ: concerns (and example referrals) by class",
                         ["Class", "Concerns", "Example referrals"],
                         [[k.label, str(k.concerns), str(k.referrals)] for k in c.class_counts]),
                   Bullets([Item(f"{k.label}: {k.meaning}.") for k in c.class_counts])]
    if se.groups:
        kinds = {k.concern: k for k in c.classified}
        blocks.append(Table("Concerns with referrals that get a different outcome, largest difference first",
                            ["Concern", "Example referrals", "Largest difference (steps)", "Encoded by", "Class"],
                            [[g.label, str(len(g.results)), str(g.largest),
                              "both" if g.encoded_a and g.encoded_b else (an if g.encoded_a else bn),
                              kinds[g.concern].class_short if g.concern in kinds else ""]
                             for g in se.groups],
                            links=[anchor(g.concern) for g in se.groups]))
    kinds = {k.concern: k for k in c.classified}
    for g in se.groups:
        shown = g.results if limit is None else g.results[:limit]
        missing = [n for n, ok in ((an, g.encoded_a), (bn, g.encoded_b)) if not ok]
        blocks.append(Heading(3, f"{g.label}: {len(g.results)} example referral(s), up to {g.largest} step(s) apart"
                              + (f" (no indicator on this concern in {' or '.join(missing)})" if missing else ""),
                              anchor(g.concern)))
        if g.concern in kinds:
            blocks.append(Para(f"{kinds[g.concern].class_label[:1].upper()}{kinds[g.concern].class_label[1:]}. "
                               f"{kinds[g.concern].basis}"))
        items = [Item(f"{_referral(c, r)}: {bn} is {_steps(r.difference)} on the national scale",
                      [_side(an, r.a, cites, ids), _side(bn, r.b, cites, ids)]) for r in shown]
        if len(shown) < len(g.results):
            items.append(Item(f"... and {len(g.results) - len(shown)} more (see the Markdown or JSON report)"))
        blocks.append(Bullets(items, details=_examples(len(g.results))))
    if c.routes is not None:
        blocks += _routes(c.routes, an, bn, limit, c.referral_words)
    if se.versions:
        blocks += [Heading(2, "Same outcome, different reasons", "same-outcome"),
                   Para(f"{len(se.reason_changes)} witness referral(s) keep their outcome but are explained "
                        "differently (matched indicators, combinations, overrides or citations).")]
        shown = se.reason_changes if limit is None else se.reason_changes[:limit * 3]
        blocks.append(Bullets([Item(f"{_referral(c, r)}: {'; '.join(r.changed)}",
                                    [_side(an, r.a, cites, ids), _side(bn, r.b, cites, ids)]) for r in shown],
                              details=_examples(len(se.reason_changes))))
    blocks += [Heading(2, "Levels on the national scale", "levels"),
               Table("Each side's local levels by canonical outcome", ["Canonical outcome", an, bn],
                     [[row.outcome_label, ", ".join(f"{lv.id} {lv.label}" for lv in row.a) or "(none)",
                       ", ".join(f"{lv.id} {lv.label}" for lv in row.b) or "(none)"] for row in st.levels])]
    if st.level_changes:
        blocks.append(Bullets([Item(x.summary) for x in st.level_changes]))
    n_concerns = len(st.concerns)
    blocks += [Heading(2, "Indicators, matched through the shared vocabulary", "indicators"),
               Para(f"{n_concerns} concern(s) differ: {st.count('outcome')} placed at a different canonical outcome, "
                    f"{st.count('threshold')} with a different qualifier threshold, {st.count('condition')} with a "
                    f"different condition, {st.count('only_a')} only in {an}, {st.count('only_b')} only in {bn}"
                    + (f", {st.count('citation')} with a changed citation" if st.same_authority else "") + ".")]
    for cc in st.concerns:
        blocks += [Heading(3, cc.label),
                   Bullets([Item(f"[{', '.join(ch.kinds)}] {ch.summary}") for ch in cc.changes])]
    for title, parts in (("Combination rules", st.combinations), ("Local safety overrides", st.overrides)):
        if parts:
            blocks += [Heading(2, title), Bullets([Item(p.summary) for p in parts])]
    if not st.national_same:
        blocks.append(Para("The two rulesets were loaded with different national modules or vocabularies."))
    if st.metadata:
        blocks += [Heading(2, "Document details"),
                   Table("Changed document details", ["Detail", an, bn],
                         [[f.field, f.a or "(not stated)", f.b or "(not stated)"] for f in st.metadata])]
    blocks.append(Para(f"Engine {c.engine_version}. Outcomes computed on the fast evaluation channel."))
    return Document(title=f"Comparing {an} with {bn}", blocks=blocks)


def _route_levels(levels: list[RouteLevel]) -> str:
    return ", ".join(f"{lv.id} {lv.label} ({'declared' if lv.basis == 'declared' else 'derived'})"
                     for lv in levels) or "(none)"


def _routes(r: RouteComparison, an: str, bn: str, limit: int | None, words: Mapping[str, str]) -> list[Block]:
    """The Families First route view: levels by route, then the referrals that take a different route."""
    blocks: list[Block] = [Heading(2, "On the Families First route scale", "routes"), Para(r.statement),
                           Para(r.summary),
                           Table("Each side's local levels by Families First route (who leads: the national role "
                                 "unless the document names one)", ["Route", an, bn],
                                 [[row.label, _route_levels(row.a), _route_levels(row.b)] for row in r.levels])]
    if r.groups:
        blocks.append(Table("Concerns whose referrals take a different route, largest difference first",
                            ["Concern", "Referrals", "Largest difference (routes)", "Encoded by"],
                            [[g.label, str(len(g.shifts)), str(g.largest),
                              "both" if g.encoded_a and g.encoded_b else (an if g.encoded_a else bn)]
                             for g in r.groups]))
    for g in r.groups:
        shown = g.shifts if limit is None else g.shifts[:limit]
        items = [Item(f"an example referral: {words.get(x.witness.id) or _facts(x.witness.facts)}: "
                      f"{an} {x.a_route.label} "
                      f"(level {x.a_level}, {SHORT[x.a_outcome]}); {bn} {x.b_route.label} (level {x.b_level}, "
                      f"{SHORT[x.b_outcome]})") for x in shown]
        if len(shown) < len(g.shifts):
            items.append(Item(f"... and {len(g.shifts) - len(shown)} more (see the Markdown or JSON report)"))
        blocks += [Heading(3, f"Route: {g.label}, {len(g.shifts)} example referral(s), up to {g.largest} route(s) "
                              "apart"), Bullets(items, details=_examples(len(g.shifts)))]
    return blocks


def render(c: RulesetComparison, fmt: str, limit: int | None = None, width: int = 100, ids: bool = True) -> str:
    """``fmt`` is 'text', 'md' or 'html'; ``width`` is the text's line width (tables wrap to fit it); text
    without ``ids`` names each rule by its words, not its id (Markdown and HTML give both, with citations)."""
    doc = build(c, limit=limit if fmt == "text" else None, cites=fmt != "text", ids=ids)
    return to_text(doc, width) if fmt == "text" else {"md": to_markdown, "html": to_html}[fmt](doc)
