"""A suggestion as plain text for terminals, reports and trainee feedback.

Leads with the warning that the council's document has been (or may have been) replaced by one
not encoded here, when it has; then the headline (the range when the result could still rise,
with the first questions, and what decided it), then the safety actions titled by what to do, then the level, then why
(matched indicators with their sources), the reported facts the document does not use, then
what to ask next, and always the "suggestion, not decision" statement
with the ruleset identity needed to reproduce the result.
"""

from __future__ import annotations

import textwrap

from engine.evaluate.suggestion import Suggestion


def _wrap(text: str, indent: str = "  ", width: int = 100) -> list[str]:
    sub = indent + "  " if indent else ""
    return textwrap.wrap(text, width=width, initial_indent=indent, subsequent_indent=sub) or [indent]


def to_text(s: Suggestion, max_questions: int = 10, ids: bool = True) -> str:
    """The suggestion as text; ``ids=False`` leaves out the rule ids a worker does not need (the
    command line's default; ``--ids`` shows them). The ruleset's id, version and sha256 always stay:
    they are what reproduces the result."""
    r = s.ruleset
    lines: list[str] = []
    add = lines.append
    if r.replaced_by is not None:  # read before anything else: the document itself may not be current
        lines += _wrap(f"WARNING: {r.replaced_by.sentence}", "")
        add(f"  <{r.replaced_by.url}>")  # never wrapped: an address split over two lines cannot be followed
        add("")
    add(f"{r.authority}: {r.document} (ruleset {r.id} {r.version})")
    add("")
    if s.kind == "no_suggestion":
        add("NO SUGGESTION")
        lines += _wrap(s.reason or "", "  ")
        add("")
        lines += _wrap(s.statement, "")
    else:
        assert s.level is not None and s.outcome is not None and s.completeness is not None
        h = s.headline
        if h is not None:
            lines += _wrap(("RANGE: " if h.kind == "range" else "RESULT: ") + h.text, "")
            rule = f" ({h.decided_rule})" if ids and h.decided_rule else ""
            lines += _wrap(f"What decided it: {h.decided}{rule}", "")
            add("")
        if s.required_actions:
            add("REQUIRED NOW (safety overrides):")
            for a in s.required_actions:
                lines += _wrap(f"! {a.title or a.says}", "  ")
                for act in a.actions:
                    lines += _wrap(f"- {act}", "    ")
                lines += _wrap((f"({a.origin} rule {a.rule}) " if ids else "") + a.says, "    ")
                for c in a.cite:
                    lines += _wrap(f"source: {c.text()}", "    ")
            add("")
        if h is not None and h.kind == "range":
            add(f"Level so far (not final): {s.level.id} {s.level.label}")
        elif h is not None and h.kind == "no_local_rules":
            add(f"Level on {r.authority}'s scale (not derived from its document): {s.level.id} {s.level.label}")
        else:
            add(f"SUGGESTED LEVEL: {s.level.id} {s.level.label}")
        add(f"Canonical outcome: {s.outcome_label}")
        if s.route is not None:
            rt = s.route
            lines += _wrap(f"Route (Families First){' so far' if h is not None and h.kind == 'range' else ''}: "
                           f"{rt.label} ({'declared by the document' if rt.basis == 'declared' else 'derived'})", "")
            lines += _wrap(f"Who leads: {rt.lead}", "")
            lines += _wrap(rt.note, "  ")
        if s.level_note:
            lines += _wrap(f"Note: {s.level_note}", "")
        add("")
        if s.matched_indicators:
            add("Why (indicators that matched):")
            for m in s.matched_indicators:
                lines += _wrap(f"- [{m.level.id}] {m.says}" + (f" ({m.id})" if ids else ""), "  ")
                lines += _wrap("because " + "; ".join(f"{f.label}: {f.answer}" for f in m.facts), "    ")
                c = m.cite
                lines += _wrap(f"source: {c.text(r.document)}", "    ")
        elif r.local_rules == "none":
            add(f"No local indicators are encoded for {r.authority}.")
        else:
            add(f"No indicator of {r.authority}'s document matched the reported facts.")
        for cb in s.combinations:
            counted = ", ".join(cb.counted) if ids else f"{len(cb.counted)} indicators counted"
            lines += _wrap(f"- combination: {cb.says} -> {cb.gives.id} ({counted})", "  ")
        if s.facts_not_used:
            lines += _wrap(f"{r.authority}'s document does not use: "
                           + "; ".join(f"{f.label} ({f.answer})" for f in s.facts_not_used), "")
        add("")
        comp = s.completeness
        add("Completeness: " + ("complete" if comp.complete else "INCOMPLETE"))
        lines += _wrap(comp.note, "  ")
        if s.open_questions:
            add("")
            add("Questions to ask (answers could raise the level or require action):")
            for q in s.open_questions[:max_questions]:
                mark = "[safety] " if q.safety else ""
                lines += _wrap(f"? {mark}{q.question} ({q.effect})", "  ")
            if len(s.open_questions) > max_questions:
                add(f"  ... and {len(s.open_questions) - max_questions} more")
        add("")
        lines += _wrap(s.statement, "")
    add(f"Ruleset sha256 {r.sha256}; engine {s.engine_version}; channels {', '.join(s.channels) or 'none'}; "
        f"evaluated {s.evaluated_at}")
    if not r.coverage_complete:
        lines += _wrap(f"Partial encoding of the source document: {r.coverage_notes}", "")
    return "\n".join(lines) + "\n"
