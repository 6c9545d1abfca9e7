"""The case-file summary: one recorded evaluation and its decision on one or two printed pages.

For the case file and the multi-agency audit. It lists the answers given and the facts left
unknown (a fact sent as ``null``, and the open questions whose answers could still change the
suggestion), the suggestion and its range (at least this so far, could be up to that), what
decided it, the required safety actions, the decision(s) with reason, approver and times, and the
ruleset, version, sha256, engine version and evaluation time. The rationale is not included (it
is kept out of exports). ``CaseSummary`` is a frozen value; the HTML (print CSS, A4) is rendered
from it by one Jinja template shared by the page, the API and the CLI, and the PDF is that HTML
printed by Chromium.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from engine.errors import ThresholdsError
from engine.evaluate.suggestion import Suggestion
from engine.load.catalogue import Catalogue
from engine.model.wording import answer
from service.store.decision import Decision
from service.store.record import Recorded

TEMPLATES = Path(__file__).resolve().parents[1] / "web" / "templates"
CSS = Path(__file__).resolve().parents[1] / "web" / "static" / "summary.css"


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Answer(_Value):
    fact: str
    label: str
    answer: str


class Action(_Value):
    rule: str
    origin: str
    says: str
    actions: list[str]


class DecisionLine(_Value):
    outcome: str
    level: str | None
    direction: str
    reason_code: str | None
    status: str
    case_reference: str
    decided_by: str
    decided_at: str
    reviewed_by: str | None
    reviewed_at: str | None


class CaseSummary(_Value):
    record_id: str
    recorded_at: str
    caller: str
    authority: str
    kind: str
    statement: str
    suggested: str | None
    suggested_level: str | None
    range: str
    route: str | None = None
    """The Families First route and whether the document declares it (None: recorded before routes existed)."""
    lead: str | None = None
    decided_by_what: str
    answers: list[Answer]
    not_known: list[Answer]
    actions: list[Action]
    decisions: list[DecisionLine]
    ruleset: str
    version: str
    sha256: str
    engine_version: str
    evaluated_at: str
    document: str
    url: str


def _range(s: Suggestion) -> str:
    if s.headline is not None:  # the engine's own headline (range first) when the suggestion has one
        h = s.headline
        if h.floor == h.ceiling:
            return h.text
        return f"{h.text} (at least {h.floor.label}; could be up to {h.ceiling.label}.)"
    if s.kind != "suggestion" or s.level is None:
        return "No suggestion: use the threshold document and consult a manager."
    c = s.completeness
    if c is None or c.complete:
        return f"{s.level.id} {s.level.label} ({s.outcome_label}); no unknown answer could change it."
    top = c.highest_reachable_level
    return (f"At least {s.level.id} {s.level.label} so far; could be up to {top.id} {top.label} "
            f"({c.facts_unknown_that_matter} unknown answers matter).")


def _listed(items: Sequence[str], most: int = 6) -> str:
    shown = "; ".join(items[:most])
    return shown + (f"; and {len(items) - most} more" if len(items) > most else "")


def _what_decided(s: Suggestion) -> str:
    if s.kind != "suggestion":
        return s.reason or "No suggestion could be made."
    parts = [s.headline.decided.rstrip(".")] if s.headline is not None else []
    for origin, name in (("national", "national safety rule"), ("local", "local safety rule")):
        rules = [a.rule for a in s.required_actions if a.origin == origin]
        if rules:
            parts.append(f"{len(rules)} {name}{'s' if len(rules) > 1 else ''} ({_listed(rules)}; see the actions)")
    top = [m for m in s.matched_indicators if s.level is not None and m.level.id == s.level.id]
    if s.matched_indicators:
        shown = top or s.matched_indicators
        parts.append(f"{len(s.matched_indicators)} local indicator{'s' if len(s.matched_indicators) > 1 else ''}"
                     + (f", at this level: {_listed([m.says for m in shown], 3)}" if top else
                        f": {_listed([m.says for m in shown], 3)}"))
    if s.combinations:
        parts.append("combinations: " + _listed([c.says for c in s.combinations], 2))
    return (". ".join(p[0].upper() + p[1:] for p in parts) + ".") if parts else "Nothing known matched any rule."


def build(rec: Recorded, decisions: Sequence[Decision], cat: Catalogue | None) -> CaseSummary:
    """The summary of ``rec``; fact wording comes from the recorded ruleset version when it is loaded."""
    s = rec.suggestion
    loaded = cat.by_sha(s.ruleset.sha256) if cat is not None else None
    vocab = loaded.vocabulary if loaded is not None else None

    def line(fact: str, value: Any) -> Answer:
        if vocab is None:
            return Answer(fact=fact, label=fact, answer="not known" if value is None else str(value))
        try:
            f = vocab.fact(fact)
        except (KeyError, ThresholdsError):
            return Answer(fact=fact, label=fact, answer=str(value))
        words = "not known" if value is None else answer(vocab, fact, value)
        return Answer(fact=fact, label=f.label, answer=words)

    answers = [line(k, v) for k, v in sorted(rec.facts.items()) if v is not None]
    unknown = [line(k, None) for k, v in sorted(rec.facts.items()) if v is None]
    seen = {a.fact for a in unknown}
    unknown += [line(q.fact, None).model_copy(update={"answer": "not known; could change the suggestion"})
                for q in s.open_questions if q.fact not in seen]
    return CaseSummary(
        record_id=rec.id, recorded_at=rec.recorded_at, caller=rec.caller, authority=s.ruleset.authority, kind=s.kind,
        statement=s.statement, suggested=s.outcome_label, suggested_level=f"{s.level.id} {s.level.label}" if s.level
        else None, range=_range(s),
        route=f"{s.route.label} ({'declared by the document' if s.route.basis == 'declared' else 'derived'})"
        if s.route else None, lead=s.route.lead if s.route else None, decided_by_what=_what_decided(s),
        answers=answers, not_known=unknown,
        actions=[Action(rule=a.rule, origin=a.origin, says=a.says, actions=list(a.actions))
                 for a in s.required_actions],
        decisions=[DecisionLine(outcome=d.outcome.label, level=d.level, direction=d.direction.replace("_", " "),
                                reason_code=d.reason_code, status=d.status.replace("_", " "),
                                case_reference=d.case_reference, decided_by=d.decided_by, decided_at=d.decided_at,
                                reviewed_by=d.reviewed_by, reviewed_at=d.reviewed_at) for d in decisions],
        ruleset=s.ruleset.id, version=s.ruleset.version, sha256=s.ruleset.sha256, engine_version=s.engine_version,
        evaluated_at=s.evaluated_at, document=s.ruleset.document, url=s.ruleset.url)


def html(summary: CaseSummary, css_href: str | None = None) -> str:
    """The summary as a standalone HTML document: the print CSS linked (pages) or inlined (CLI, PDF)."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATES), autoescape=True)
    css = None if css_href else CSS.read_text(encoding="utf-8")
    return env.get_template("web/summary.html").render(c=summary, css_href=css_href, css=css)


def pdf(document: str, chromium: str = "/usr/bin/chromium") -> bytes:
    """Print the HTML to an A4 PDF with Chromium (Playwright driving the system browser)."""
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        raise ThresholdsError("PDF output needs Playwright: pip install 'thresholds[pdf]' (and Chromium at "
                              f"{chromium})") from None
    if not Path(chromium).exists():
        raise ThresholdsError(f"PDF output needs Chromium at {chromium} (Debian: apt-get install chromium)")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=[
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"])
            try:
                page = browser.new_page()
                page.set_content(document, wait_until="load")
                out: bytes = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
            finally:
                browser.close()
    except Error as e:
        raise ThresholdsError(f"Chromium could not print the summary: {str(e).splitlines()[0]}") from None
    return out
