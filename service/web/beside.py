"""Same child, two councils, on a page: a recorded referral beside another council's result.

From a triage result, a worker (or a policy officer) picks council B. The referral's facts, as
recorded, are evaluated live under the recorded version of council A and under B's version in
force, and shown side by side with the rules matched on one side only (with citations) and the
smallest change of the facts under which the two would agree (``engine.compare.two_councils``).
B's evaluation is recorded like any other; only the caller who made the record (or an admin)
can open it.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import abort, render_template, request

from engine.compare.two_councils import beside
from engine.errors import ReferralError
from service.context import services
from service.store.record import Recorded
from service.store.replay import current_facts
from service.web import bp
from service.web.decisions import _own
from service.web.form import FormError
from service.web.signin import page_requires
from service.web.triage import authorities, record

log = logging.getLogger("thresholds.service")


def _chooser(rec: Recorded, errors: list[FormError], code: int = 200, **result: Any) -> Any:
    cat = services().live.catalogue
    others = [(rid, name) for rid, name in authorities(cat) if rid != rec.suggestion.ruleset.id]
    return render_template("web/beside.html", rec=rec, rec_id=rec.id, others=others, errors=errors,
                           chosen=request.form.get("council", ""), section="web.triage_choose", **result), code


@bp.get("/records/<record_id>/beside", endpoint="record_beside_form")
@page_requires("triage")
def form(record_id: str) -> Any:
    return _chooser(_own(record_id), [])


@bp.post("/records/<record_id>/beside", endpoint="record_beside")
@page_requires("triage")
def result(record_id: str) -> Any:
    rec = _own(record_id)
    council = request.form.get("council", "")
    with services().live.using() as ev:  # choose and evaluate against one set of rulesets
        a = ev.catalogue.by_sha(rec.suggestion.ruleset.sha256)
        if a is None:
            abort(404, description=f"The version of {rec.suggestion.ruleset.authority}'s document this referral was "
                                   "evaluated under is no longer loaded, so it cannot be compared.")
        if council not in ev.catalogue.ids() or council == a.id:
            return _chooser(rec, [FormError("council", "Choose another council to compare with")], 422)
        b = ev.catalogue.select(council)
        try:
            facts = current_facts(a, rec.facts)
            two = beside(ev, a, b, facts)
        except (ReferralError, ValueError):
            abort(404, description="This record's facts cannot be read in the current vocabulary, so it cannot be "
                                   "compared.")
    recs = record([(facts, two.b)])
    if recs is None:
        return render_template("web/unrecorded.html", section="web.triage_choose"), 503
    log.info("page two councils a=%s b=%s agree=%s found=%d record=%s", a.key, b.key, two.agree,
             two.smallest_found, recs[0].id)
    return _chooser(rec, [], two=two, b_record=recs[0].id)
