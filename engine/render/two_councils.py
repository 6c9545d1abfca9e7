"""The same referral under two councils, as terminal text (``thresholds evaluate --beside``).

Renders ``engine.compare.two_councils.TwoCouncils`` and computes nothing: a council's replaced
document first (when its partnership has replaced it by one not encoded), then each council's
headline (the line that is safe to act on), then the rules matched on one side only with
their citations, then the smallest change that would make the two agree.
"""

from __future__ import annotations

from engine.compare.two_councils import DifferingRule, TwoCouncils


def _rules(name: str, rules: list[DifferingRule]) -> list[str]:
    out = [f"Rules matched under {name} only:"]
    if not rules:
        return out + ["  none: every rule matched here also matched under the other council"]
    for r in rules:
        where = "; ".join(c.text() for c in r.cite)
        level = f", {r.level}" if r.level else ""
        decides = "; decides this council's outcome" if r.decisive else ""
        out.append(f"  - {r.says} ({r.kind}{level}: {r.outcome_label}{decides}). Source: {where}")
    return out


def to_text(t: TwoCouncils) -> str:
    a, b = t.a, t.b
    lines = [f"WARNING: {s.ruleset.replaced_by.sentence} <{s.ruleset.replaced_by.url}>"
             for s in (a, b) if s.ruleset.replaced_by is not None]  # read first: a document may not be current
    for s in (a, b):
        first = s.headline.text if s.headline else s.statement
        lines.append(f"{s.ruleset.authority} ({s.ruleset.id}@{s.ruleset.version}): {first}")
    for s in (a, b):
        if s.route is not None:
            lines.append(f"Families First route under {s.ruleset.authority}: {s.route.label} "
                         f"({'declared by the document' if s.route.basis == 'declared' else 'derived'}); "
                         f"led by: {s.route.lead}")
    lines.append("")
    if t.agree:
        lines.append(f"Both councils suggest the same national outcome: {a.outcome_label}.")
    elif t.searched:
        lines.append(f"The councils differ: {a.ruleset.authority} suggests {a.outcome_label}, "
                     f"{b.ruleset.authority} suggests {b.outcome_label}.")
    lines += ["", *_rules(a.ruleset.authority, t.only_a), *_rules(b.ruleset.authority, t.only_b), ""]
    lines.append(t.finding)
    for g in t.smallest:
        changes = " and ".join(f"{c.label} were '{c.after}' (now '{c.before}')" for c in g.changes)
        lines.append(f"  - If {changes}: both would suggest {g.outcome_label}.")
    lines += ["", t.not_advice]
    return "\n".join(lines) + "\n"
