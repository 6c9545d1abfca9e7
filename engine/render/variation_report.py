"""A variation matrix as a report (terminal text, Markdown, HTML) and as CSV.

Leads with the headline figures (scenarios, mean pairwise agreement, Fleiss' kappa), then
the pictures, the most disputed concerns with an example referral each, and the agreement
table in clustering order. Only renders the :class:`~engine.compare.variation.VariationMatrix`.
"""

from __future__ import annotations

import csv
import io

from engine.compare.structural_parts import SHORT
from engine.compare.variation import VariationMatrix
from engine.model.outcome import ORDER
from engine.render.document import (
    Block,
    Bullets,
    Document,
    Heading,
    Item,
    Para,
    Picture,
    Table,
    anchor,
    to_html,
    to_markdown,
    to_text,
)
from engine.render.heatmap import OUTCOME_CODES

SCENARIO_NOTE = ("The bundled scenarios are witness referrals: boundary cases made from the rulesets to exercise each "
                 "indicator and its cut points, not a sample of real referrals. Their counts say where the documents "
                 "differ, not how often real referrals would be affected.")



def build(m: VariationMatrix, pictures: bool = True, top: int = 10) -> Document:
    kappa = "not defined" if m.kappa is None else f"{m.kappa:.3f}"
    alpha = "not defined" if m.alpha is None else f"{m.alpha:.3f}"
    counted = sum(m.counted)
    over = (f"Over the {counted} rulesets counted" if counted < len(m.keys) else "Over all of them")
    blocks: list[Block] = [
        Para(f"{m.scenarios} scenarios evaluated under {len(m.keys)} rulesets ({', '.join(m.keys)}). "
             f"{over}: mean pairwise agreement {100 * m.mean_agreement:.1f}%; all agree on {m.unanimous} "
             f"scenario(s) ({100 * m.unanimous / max(m.scenarios, 1):.1f}%). Fleiss' kappa {kappa}; "
             f"Krippendorff's alpha (ordinal) {alpha}."),
        Para(m.coverage_note), Para(m.kappa_note), Para(m.alpha_note), Para(SCENARIO_NOTE), Para(m.statement)]
    partial = [r.authority for r in m.rulesets if not r.coverage_complete]
    if partial:
        blocks.append(Para("Partial encodings (not the whole document): " + ", ".join(partial) + "."))
    if pictures:
        blocks += [Heading(2, "Pictures", "pictures"),
                   Picture("agreement.svg", "Heatmap of pairwise agreement between rulesets, in clustering order"),
                   Picture("concerns.svg", "Heatmap of the outcome each ruleset suggests for the most disputed "
                                           "concerns")]
    shown = m.disputed[:top]
    blocks += [Heading(2, "Most disputed concerns", "disputed")]
    if shown:
        blocks.append(Table("The most disputed concerns, least agreement first",
                            ["Concern", "Scenarios with different outcomes", "Agreement", "Mean spread (steps)"],
                            [[d.label, f"{d.disagreeing} of {d.scenarios}", f"{100 * d.agreement:.0f}%",
                              f"{d.spread:.2f}"] for d in shown],
                            links=[anchor(d.concern) for d in shown]))
    for d in shown:
        blocks += [Heading(3, d.label, anchor(d.concern)),
                   Bullets([Item(f"{m.names[j]}: {SHORT[ORDER[d.example_outcomes[j]]]}") for j in m.order],
                           details=f"An example referral: {d.example_words}. What each ruleset suggests for it")]
    if not shown:
        blocks.append(Para("No concern shows any disagreement."))
    order = m.order
    blocks += [Heading(2, "Pairwise agreement (percent of scenarios with the same outcome)", "agreement"),
               Table("Rows and columns in clustering order", ["Ruleset", *[m.names[j] for j in order]],
                     [[m.names[i], *[f"{100 * m.agreement[i][j]:.0f}" for j in order]] for i in order]),
               Heading(2, "Outcomes reached", "outcomes"),
               Table("Scenarios per canonical outcome", ["Ruleset", "Indicators", "Counted",
                                                         *[OUTCOME_CODES[o] for o in ORDER]],
                     [[m.names[j], str(m.indicators[j]), "yes" if m.counted[j] else "no (sparse)",
                       *[str(x) for x in m.distribution[j]]] for j in order]),
               Para("A ruleset that encodes few indicators answers \u201cuniversal services\u201d to most scenarios, "
                    "so sparse encodings agree with each other more than their documents may."),
               Para(", ".join(f"{OUTCOME_CODES[o]} = {o.label}" for o in ORDER) + "."),
               Heading(2, "Clusters", "clusters"),
               Bullets([Item(f"{' + '.join(x.left)} with {' + '.join(x.right)}: {100 * x.agreement:.0f}% "
                             "average agreement") for x in m.merges] or [Item("Only one ruleset.")]),
               Para(f"Engine {m.engine_version}. Outcomes computed on the fast evaluation channel.")]
    return Document(title=f"Variation across {len(m.keys)} rulesets", blocks=blocks)


def render(m: VariationMatrix, fmt: str, pictures: bool = True, width: int = 100) -> str:
    """``fmt`` is 'text', 'md' or 'html'; ``width`` is the text's line width (tables wrap to fit it)."""
    doc = build(m, pictures=pictures and fmt != "text")
    return to_text(doc, width) if fmt == "text" else {"md": to_markdown, "html": to_html}[fmt](doc)


def to_csv(m: VariationMatrix) -> str:
    """One row per scenario: id, concern, then each ruleset's canonical outcome."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["scenario", "concern", *m.keys])
    for sid, concern, row in zip(m.scenario_ids, m.scenario_concerns, m.outcomes, strict=True):
        w.writerow([sid, concern, *[ORDER[r].value for r in row]])
    return buf.getvalue()
