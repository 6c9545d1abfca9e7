"""Compare: the same referral under several councils side by side, differences highlighted.

Local level numbers are labels, not a shared scale, so the rows that say whether councils
differ compare canonical outcomes and required actions, never level numbers. Each column is a
live, cross-checked evaluation recorded like the API's /compare.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask import render_template, request

from engine.evaluate.across import across_councils
from engine.evaluate.suggestion import Suggestion
from engine.load.catalogue import LoadedRuleset
from service.context import services
from service.web import bp
from service.web.form import FormError, Posted, parse, parse_date, sections
from service.web.signin import page_requires
from service.web.triage import authorities, date_answer, record

log = logging.getLogger("thresholds.service")


@dataclass(frozen=True)
class Row:
    """One line of the side-by-side table: a cell per council and whether they differ."""

    label: str
    cells: tuple[str, ...]
    differs: bool


def rows(results: list[tuple[LoadedRuleset, Suggestion]]) -> list[Row]:
    def row(label: str, cells: list[str], key: list[object] | None = None) -> Row:
        return Row(label, tuple(cells), len({repr(k) for k in (key if key is not None else cells)}) > 1)

    sug = [s for _, s in results]
    return [
        row("National outcome", [s.outcome_label or "No suggestion" for s in sug], [s.outcome for s in sug]),
        row("Local level", [f"{s.level.id}: {s.level.label}" if s.level else "None" for s in sug],
            [s.outcome for s in sug]),
        row("Families First route", [s.route.label if s.route else "None" for s in sug],
            [s.route.route if s.route else None for s in sug]),
        row("Who leads", [s.route.lead if s.route else "None" for s in sug]),
        row("Required safety actions", ["; ".join(a.says for a in s.required_actions) or "None" for s in sug],
            [sorted(act for a in s.required_actions for act in a.actions) for s in sug]),
        row("Matched indicators", [f"{len(s.matched_indicators)}: " + "; ".join(m.says for m in s.matched_indicators)
                                   if s.matched_indicators else "None" for s in sug],
            [len(s.matched_indicators) > 0 for s in sug]),
        row("Complete", ["Yes" if s.completeness and s.completeness.complete else "No" for s in sug]),
        row("Questions that could change it", [str(len(s.open_questions)) for s in sug]),
    ]


def _page(cat_ids: list[tuple[str, str]], posted: Posted | None, errors: list[FormError], code: int = 200) -> Any:
    vocab = services().live.catalogue.vocabulary
    return render_template("web/compare_form.html", authorities=cat_ids, sections=sections(vocab), posted=posted,
                           errors=errors, chosen=request.form.getlist("rulesets"), date=date_answer(request.form),
                           section="web.compare_form"), code


@bp.get("/compare", endpoint="compare_form")
@page_requires("triage")
def compare_form() -> Any:
    return _page(authorities(services().live.catalogue), None, [])


@bp.post("/compare", endpoint="compare_result")
@page_requires("triage")
def compare_result() -> Any:
    cat = services().live.catalogue
    names = authorities(cat)
    chosen = [r for r in request.form.getlist("rulesets") if r in cat.ids()]
    posted = parse(cat.vocabulary, sections(cat.vocabulary), request.form)
    errors = list(posted.errors)
    day, problem = parse_date(date_answer(request.form), "as_of")
    if len(chosen) < 2:
        errors.insert(0, FormError("rulesets", "Select at least two councils to compare"))
    if problem:
        errors.insert(1 if len(chosen) < 2 else 0, problem)
    if errors:
        return _page(names, posted, errors, 422)
    with services().live.using() as ev:  # choose and evaluate against one set of rulesets
        across = across_councils(ev, posted.facts, chosen, day, strict=False)
    if across.not_in_force:
        return _page(names, posted, [FormError("as_of-day", f"No version of {dict(names)[rid]}'s document was in "
                                                            "force on that date") for rid in across.not_in_force], 422)
    results = list(across.results)
    recs = record([(posted.facts, s) for _, s in results])
    if recs is None:
        return render_template("web/unrecorded.html", section="web.compare_form"), 503
    log.info("page compare rulesets=%d records=%d", len(results), len(recs))
    return render_template("web/compare_result.html", results=results, rows=rows(results), recs=recs,
                           answered=len(posted.facts), section="web.compare_form")
