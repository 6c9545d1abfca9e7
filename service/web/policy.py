"""Policy pages: the encoded threshold documents, the diff of two rulesets, and where councils vary.

Each page renders an engine value object: the readable view (``engine.render.ruleset_document.ruleset_document``),
the ruleset comparison (``engine.compare.comparison.compare`` built into blocks by ``engine.render.diff_report``)
and the variation matrix (``engine.compare.variation``, built by ``engine.render.variation_report``; the
heatmaps are HTML tables with the figure in every cell, because the CSP allows no inline styles
and a table reads better with a screen reader than a picture). Diff and variation run on the
fast channel over witness referrals only: no real child's referral is involved, nothing is
recorded.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import abort, render_template, request
from markupsafe import Markup

from engine.compare.comparison import compare
from engine.compare.scenarios import from_witnesses
from engine.compare.variation import variation_matrix
from engine.compare.witness import witness_bank
from engine.errors import UnknownRulesetError
from engine.evaluate.bulk import BulkEvaluator
from engine.evaluate.decision import replaced_by_ref
from engine.load.catalogue import Catalogue, LoadedRuleset
from engine.model.outcome import ORDER
from engine.render import diff_report, variation_report
from engine.render.document import rich
from engine.render.heatmap import OUTCOME_CODES
from engine.render.heatmap import labels as heatmap_labels
from engine.render.ruleset_document import ruleset_document
from service.context import services
from service.web import bp
from service.web.form import FormError
from service.web.signin import page_requires

log = logging.getLogger("thresholds.service")


@bp.app_template_filter("web_kind")
def kind(block: object) -> str:
    """The block's class name, so one template can walk the engine's document model."""
    return type(block).__name__


@bp.app_template_filter("web_report_text")
def report_text(text: str) -> Markup:
    """Document text as HTML: escaped, with <https://...> as links and `code` as code (engine.render.document.rich)."""
    return rich(text, "govuk-link")


def _specs(cat: Catalogue) -> list[tuple[str, str]]:
    """(id@version, label) for every loaded version, newest first within each authority."""
    out = []
    for rid in cat.ids():
        for lr in reversed(cat.versions(rid)):
            out.append((f"{rid}@{lr.version}", f"{lr.model.ruleset.authority}, version {lr.version}"))
    return out


def _pick(cat: Catalogue, spec: str) -> LoadedRuleset | None:
    try:
        return cat.select(spec)
    except UnknownRulesetError:
        return None


@bp.get("/policy", endpoint="policy_index")
@page_requires("policy")
def index() -> Any:
    cat = services().live.catalogue
    rows = [(rid, list(reversed(cat.versions(rid)))) for rid in cat.ids()]
    in_force = {cat.select(rid).key for rid in cat.ids()}
    # an open-ended version whose partnership has (or may have) replaced it: marked so, not "In force"
    replaced = {lr.key: replaced_by_ref(lr.model.ruleset) for _, versions in rows for lr in versions
                if lr.model.ruleset.open_end_replaced_by is not None}
    return render_template("web/policy_index.html", rows=rows, in_force=in_force, replaced=replaced,
                           section="web.policy_index")


@bp.get("/policy/rulesets/<ruleset_id>/<version>", endpoint="policy_ruleset")
@page_requires("policy")
def ruleset(ruleset_id: str, version: str) -> Any:
    try:
        loaded = services().live.catalogue.select(ruleset_id, version=version)
    except UnknownRulesetError:
        abort(404, description=f"There is no threshold document '{ruleset_id}' version '{version}' in this service.")
    from engine.load.sources import account_for

    accounting = account_for(loaded, services().live.catalogue.versions(ruleset_id))
    return render_template("web/policy_ruleset.html", doc=ruleset_document(loaded), loaded=loaded,
                           accounting=accounting, section="web.policy_index")


@bp.get("/policy/diff", endpoint="policy_diff")
@page_requires("policy")
def diff() -> Any:
    cat = services().live.catalogue
    specs = _specs(cat)
    a_spec, b_spec = request.args.get("a", ""), request.args.get("b", "")
    errors: list[FormError] = []
    report = None
    if "a" in request.args or "b" in request.args:
        with services().live.using() as ev:  # choose and evaluate against one set of rulesets
            a, b = _pick(ev.catalogue, a_spec), _pick(ev.catalogue, b_spec)
            if a is None:
                errors.append(FormError("a", "Select the first ruleset"))
            if b is None:
                errors.append(FormError("b", "Select the second ruleset"))
            if a is not None and b is not None:
                if a.key == b.key:
                    errors.append(FormError("b", "Select a different ruleset to compare with the first"))
                else:
                    result = compare(a, b, BulkEvaluator(source=ev.compiled))
                    report = diff_report.build(result)
                    log.info("page diff a=%s b=%s differing=%d", a.key, b.key, result.semantic.differing)
    return render_template("web/policy_diff.html", specs=specs, a=a_spec, b=b_spec, errors=errors, report=report,
                           section="web.policy_index"), 422 if errors else 200


@bp.get("/policy/variation", endpoint="policy_variation")
@page_requires("policy")
def variation() -> Any:
    with services().live.using() as ev:
        chosen = ev.catalogue.current()
        bulk = BulkEvaluator(source=ev.compiled)
        m = variation_matrix(chosen, from_witnesses(witness_bank(chosen, bulk)), bulk)
    report = variation_report.build(m, pictures=False)
    marked = heatmap_labels(m)
    names = [marked[i] for i in m.order]
    agreement = [[(round(100 * m.agreement[i][j]), min(5, int(6 * m.agreement[i][j]))) for j in m.order]
                 for i in m.order]
    disputed = [d for d in m.disputed if d.disagreeing][:15]
    concerns = [(d, [ORDER[d.example_outcomes[j]] for j in m.order]) for d in disputed]
    log.info("page variation rulesets=%d scenarios=%d", len(chosen), m.scenarios)
    return render_template("web/policy_variation.html", m=m, report=report, names=names, agreement=agreement,
                           concerns=concerns, codes=OUTCOME_CODES, order=ORDER, section="web.policy_index")
