"""The ruleset linter: mistakes a valid ruleset can still contain, as warnings.

``validate`` rejects files the engine cannot use; the linter finds files that load but
probably do not say what the authors meant: an indicator no referral can match, one that can
never decide the level because a higher one always matches with it, two indicators with the
same condition, a concern of the vocabulary nobody encoded, a level with no indicator, a
citation a reader cannot follow, a condition that a *worse* answer can switch off (which
breaks the promise that reporting more never lowers the suggestion), a document marked replaced
that is still open-ended (so it is selected as in force).

Authors who have checked a warning and keep the ruleset as it is record it under
``accepted_warnings`` (code, subject, reason); the linter then reports it as accepted with
that reason, and reports an acceptance that no longer matches anything (``stale-acceptance``)
so the list cannot rot. Findings are value objects; the CLI and pages only render them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from pydantic import BaseModel, ConfigDict

from engine.errors import Problem, ThresholdsError
from engine.lint.fact_space import FactSpace, implies, monotonicity_breaks, satisfiable
from engine.load.catalogue import LoadedRuleset
from engine.load.yamlfile import PathKey, load_file
from engine.model.condition import Condition, condition_key, fact_tests, facts_of
from engine.model.outcome import Outcome
from engine.model.ruleset import Citation, NationalModule, Ruleset
from engine.model.vocabulary import IntegerFact, Vocabulary
from engine.model.wording import describe_test

Severity = Literal["warning", "info"]

CODES: dict[str, str] = {
    "never-fires": "an indicator, combination or local override no referral can match",
    "same-condition": "two indicators with exactly the same (or an equivalent) condition",
    "subsumed": "a lower-level indicator that can never decide the level: a higher one always matches with it",
    "no-rule-for-concern": "a vocabulary concern no indicator or local override reads",
    "empty-level": "a level with no indicator",
    "citation-without-url": "a citation with no url a reader can follow",
    "non-monotone": "a condition that a worse answer can switch off",
    "stale-acceptance": "an accepted warning that no longer occurs",
    "uncovered-outcome": "a canonical outcome no level of the ruleset maps to",
    "never-decisive": "a combination rule or indicator that cannot change any result: its level is always "
                      "already reached whenever it fires",
    "replaced-open-ended": "a document marked replaced (document.replaced_by) that still has no effective_to, so it "
                           "is selected as in force today",
}
"""Every warning code and what it means (the CLI and docs list them from here)."""


class LintWarning(BaseModel):
    """One finding about one subject (an indicator, level, combination, override or concern)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    code: str
    subject: str
    message: str
    severity: Severity = "warning"
    file: str | None = None
    line: int | None = None
    column: int | None = None
    accepted: bool = False
    reason: str | None = None

    @property
    def blocking(self) -> bool:
        """A warning nobody has accepted: what ``--strict`` and the bundled-ruleset test fail on."""
        return self.severity == "warning" and not self.accepted

    @property
    def where(self) -> str:
        if self.file is None:
            return "<ruleset>"
        return self.file if self.line is None else f"{self.file}:{self.line}:{self.column}"

    def acceptance(self) -> str:
        """The ``accepted_warnings`` entry that would accept this warning (reason to be written)."""
        return f"{{code: {self.code}, subject: {self.subject}, reason: \"...\"}}"

    def __str__(self) -> str:
        kind = "accepted" if self.accepted else self.severity
        tail = f" (accepted: {self.reason})" if self.accepted else ""
        return f"{self.where}: {kind} [{self.code}] {self.subject}: {self.message}{tail}"


_Raw = tuple[str, str, str, Severity, PathKey | None]
"""code, subject, message, severity, path in the file."""


@dataclass(frozen=True)
class LintGroup:
    """The findings of one kind (code), for a reader facing many at once.

    A draft of Kent gives some 70 "no rule for concern" findings beside one that matters; listed
    one by one, the one is lost. Grouped, the kinds still blocking (warnings nobody accepted) come
    first, then the others, each kind with its meaning and how many.
    """

    code: str
    meaning: str
    findings: tuple[LintWarning, ...]

    @property
    def blocking(self) -> int:
        """How many of the kind are warnings nobody has accepted."""
        return sum(w.blocking for w in self.findings)


def by_kind(warnings: Sequence[LintWarning]) -> list[LintGroup]:
    """The findings grouped by code: kinds with blocking warnings first, then the most numerous."""
    codes: dict[str, list[LintWarning]] = {}
    for w in warnings:
        codes.setdefault(w.code, []).append(w)
    groups = [LintGroup(code, CODES.get(code, code), tuple(ws)) for code, ws in codes.items()]
    return sorted(groups, key=lambda g: (g.blocking == 0, -len(g.findings), g.code))


def _own_conditions(loaded: LoadedRuleset) -> list[Condition]:
    """The conditions of the council's own rules (its indicators and local overrides, not national ones)."""
    return [r.when for r in loaded.rules if r.kind != "override"]


def lint(loaded: LoadedRuleset) -> list[LintWarning]:
    """Every finding for one loaded ruleset version, accepted ones marked, stale acceptances added."""
    m = loaded.model
    space = FactSpace(loaded.vocabulary, _own_conditions(loaded))
    raw: list[_Raw] = []
    checks: list[Callable[[LoadedRuleset, FactSpace], list[_Raw]]] = [
        _never_fires, _same_or_subsumed, _no_rule_for_concern, _empty_levels, _citations, _non_monotone,
        _uncovered_outcomes, _never_decisive, _replaced_open_ended]
    for check in checks:
        raw.extend(check(loaded, space))
    position = _positions(loaded.path)
    accepted = {(a.code, a.subject): a for a in m.accepted_warnings}
    used: set[tuple[str, str]] = set()
    out: list[LintWarning] = []
    for code, subject, message, severity, path in raw:
        acc = accepted.get((code, subject))
        if acc is not None:
            used.add((code, subject))
        out.append(LintWarning(code=code, subject=subject, message=message, severity=severity,
                               accepted=acc is not None, reason=acc.reason if acc else None,
                               file=loaded.path, line=position(path)[0], column=position(path)[1]))
    for i, a in enumerate(m.accepted_warnings):
        if (a.code, a.subject) not in used:
            why = "no such warning code" if a.code not in CODES else "that warning no longer occurs"
            out.append(LintWarning(
                code="stale-acceptance", subject=f"{a.code}:{a.subject}",
                message=f"accepted_warnings lists [{a.code}] {a.subject}, but {why}: remove the entry "
                        "(or fix its code or subject)", file=loaded.path,
                line=position(("accepted_warnings", i))[0], column=position(("accepted_warnings", i))[1]))
    return out


def _positions(path: str) -> Callable[[PathKey | None], tuple[int | None, int | None]]:
    """Map a path in the data to line and column (none if the file cannot be re-read)."""
    try:
        located = load_file(path)
    except ThresholdsError:
        located = None

    def at(key: PathKey | None) -> tuple[int | None, int | None]:
        if located is None or key is None:
            return None, None
        return located.position(key)

    return at


# --- the checks ---------------------------------------------------------------------------

def _never_fires(loaded: LoadedRuleset, space: FactSpace) -> list[_Raw]:
    m = loaded.model
    out: list[_Raw] = []
    rules = [("indicators", i, ind.id, ind.when) for i, ind in enumerate(m.indicators)]
    rules += [("overrides", i, ov.id, ov.when) for i, ov in enumerate(m.overrides)]
    for section, i, rid, cond in rules:
        if satisfiable(cond, space) is False:
            what = "indicator" if section == "indicators" else "local override"
            out.append(("never-fires", rid,
                        f"{what} '{rid}' can never match: no combination of answers satisfies its condition "
                        "(look for contradictory tests such as 'is: true' and 'is: false' on one fact, or a "
                        "number outside the fact's range)", "warning", (section, i, "when")))
    index = loaded.level_index
    for i, comb in enumerate(m.combinations):
        counted = [ind for ind in m.indicators if index.get(ind.level, -1) >= index.get(comb.of_level, 0)]
        domains = {ind.domain for ind in counted}
        if len(counted) < comb.at_least or len(domains) < comb.across_domains:
            out.append(("never-fires", comb.id,
                        f"combination '{comb.id}' needs {comb.at_least} indicators in {comb.across_domains} "
                        f"domain(s) at {comb.of_level} or above, but the ruleset has only {len(counted)} such "
                        f"indicators in {len(domains)} domain(s)", "warning", ("combinations", i)))
    return out


def _same_or_subsumed(loaded: LoadedRuleset, space: FactSpace) -> list[_Raw]:
    m = loaded.model
    index = loaded.level_index
    inds = list(enumerate(m.indicators))
    keys = [condition_key(ind.when) for ind in m.indicators]
    out: list[_Raw] = []
    same_reported: set[str] = set()
    for a_pos, a in inds:
        for b_pos, b in inds[a_pos + 1:]:
            if keys[a_pos] == keys[b_pos] or (
                    implies(a.when, b.when, space) and implies(b.when, a.when, space)):
                low, high = (a, b) if index[a.level] <= index[b.level] else (b, a)
                pos = a_pos if low is a else b_pos
                same_reported.add(low.id)
                where = "at the same level" if low.level == high.level else \
                    f"at a higher level ({high.level}), so '{low.id}' ({low.level}) can never decide the level"
                out.append(("same-condition", low.id,
                            f"'{low.id}' and '{high.id}' have the same condition {where}; check the source: "
                            "usually the higher level needs a worse qualifier", "warning",
                            ("indicators", pos, "when")))
    for a_pos, a in inds:
        if a.id in same_reported:
            continue
        higher = [b for _, b in inds if index[b.level] > index[a.level] and implies(a.when, b.when, space)]
        if higher:
            names = ", ".join(f"'{b.id}' ({b.level})" for b in higher[:3]) + (" ..." if len(higher) > 3 else "")
            out.append(("subsumed", a.id,
                        f"'{a.id}' ({a.level}) can never decide the level: every referral it matches also "
                        f"matches {names}, so the higher level wins. Usually the qualifiers are the wrong way "
                        "round (the higher level should need the worse answer, e.g. L2 'at_least: occasional' "
                        "and L3 'at_least: regular'); it still counts towards combination rules",
                        "warning", ("indicators", a_pos, "when")))
    return out


def _no_rule_for_concern(loaded: LoadedRuleset, space: FactSpace) -> list[_Raw]:
    m, vocab = loaded.model, loaded.vocabulary
    covered = {vocab.fact(f).concern for cond in _own_conditions(loaded) for f in facts_of(cond)}
    national: dict[str, list[str]] = {}
    for ov in loaded.national.overrides:
        for f in facts_of(ov.when):
            national.setdefault(vocab.fact(f).concern, []).append(ov.id)
    out: list[_Raw] = []
    for concern, fact_ids in vocab.concerns().items():
        facts = [vocab.fact(f) for f in fact_ids]
        if concern in covered or all(isinstance(f, IntegerFact) and f.worse == "none" for f in facts):
            continue  # encoded, or a context fact (such as age) that no document lists as a need
        labels = "; ".join(f.label for f in facts)
        base = f"no indicator or local override reads concern '{concern}' ({labels})"
        if concern in national:
            nat = ", ".join(dict.fromkeys(national[concern]))
            out.append(("no-rule-for-concern", concern,
                        f"{base}; it is covered only by national override(s) {nat}, which set a floor but give "
                        "no local level", "info", None))
        elif not m.ruleset.coverage.complete:
            out.append(("no-rule-for-concern", concern,
                        f"{base}; the encoding is partial (coverage.complete: false), so this may be a part of "
                        "the document that was not seen", "info", None))
        else:
            out.append(("no-rule-for-concern", concern,
                        f"{base}, although coverage.complete says the whole document is encoded: add the "
                        "document's indicator, or accept this warning saying the document does not cover it",
                        "warning", None))
    return out


def _empty_levels(loaded: LoadedRuleset, space: FactSpace) -> list[_Raw]:
    m = loaded.model
    used = {ind.level for ind in m.indicators} | {c.gives for c in m.combinations}
    out: list[_Raw] = []
    for i, lv in enumerate(m.levels):
        if lv.id in used:
            continue
        if i == 0 and lv.outcome == Outcome.universal:
            out.append(("empty-level", lv.id, f"level {lv.id} ({lv.label}) has no indicator; as the lowest "
                        "level it is the suggestion when nothing else matches", "info", ("levels", i, "id")))
            continue
        seen = "the source's indicators for it were not seen (coverage.levels omits it)" \
            if lv.id not in m.ruleset.coverage.levels else "coverage.levels says the source showed it"
        out.append(("empty-level", lv.id,
                    f"level {lv.id} ({lv.label}) has no indicator or combination, so no referral can be placed "
                    f"there except by an override floor; {seen}. Never invent indicators: if the source gives "
                    "none, accept this warning with that reason", "warning", ("levels", i, "id")))
    return out


def _replaced_open_ended(loaded: LoadedRuleset, space: FactSpace) -> list[_Raw]:
    """A document its partnership says is replaced, still open-ended: say why, or give its last day."""
    info = loaded.model.ruleset
    rep = info.document.replaced_by
    if rep is None or rep.status != "replaced" or info.effective_to is not None:
        return []
    return [("replaced-open-ended", "replaced_by",
             f"the document is marked replaced by '{rep.title}' but has no effective_to, so it is still selected "
             "as in force today (every result says first that it has been replaced): give its last day in force "
             "if the sources state it, or accept this warning saying why not", "warning",
             ("ruleset", "document", "replaced_by", "status"))]


_FLOORS = {
    Outcome.child_protection: "reasonable cause to suspect significant harm (a national floor)",
    Outcome.immediate_protection: "immediate danger and the other national immediate-protection rules",
}


def _uncovered_outcomes(loaded: LoadedRuleset, space: FactSpace) -> list[_Raw]:
    """Which canonical outcomes no level maps to, above all the statutory ones.

    A ruleset whose highest level is "child in need" still meets referrals that national rules
    place at child protection or immediate protection; they are above every local level, and an
    author should know which outcomes have no local level (info: documents with fewer levels
    than the national scale are common and not wrong).
    """
    m = loaded.model
    covered = {lv.outcome for lv in m.levels}
    top = max(m.levels, key=lambda lv: lv.outcome.rank)
    out: list[_Raw] = []
    for outcome in Outcome:
        if outcome in covered:
            continue
        if outcome > top.outcome:
            why = f"; referrals that reach it ({_FLOORS[outcome]}) are above every level here, " \
                  f"the highest being {top.id} ({top.label}, {top.outcome.value})" if outcome in _FLOORS else \
                  f"; it is above every level here, the highest being {top.id} ({top.label})"
        else:
            why = "; no local level sits there"
        out.append(("uncovered-outcome", outcome.value,
                    f"no level maps to the canonical outcome {outcome.value} ({outcome.label}){why}", "info",
                    ("levels",)))
    return out


def _citations(loaded: LoadedRuleset, space: FactSpace) -> list[_Raw]:
    m = loaded.model
    items: list[tuple[str, str, Citation, PathKey]] = []
    items += [("level", lv.id, lv.cite, ("levels", i, "cite")) for i, lv in enumerate(m.levels)]
    items += [("indicator", x.id, x.cite, ("indicators", i, "cite")) for i, x in enumerate(m.indicators)]
    items += [("combination", x.id, x.cite, ("combinations", i, "cite")) for i, x in enumerate(m.combinations)]
    for i, ov in enumerate(m.overrides):
        items += [("override", ov.id, c, ("overrides", i, "cite", j)) for j, c in enumerate(ov.cite)]
    out: list[_Raw] = []
    reported: set[str] = set()
    for what, ident, cite, path in items:
        if cite.url is None and ident not in reported:
            reported.add(ident)
            extra = f" (it names only the mirror {cite.mirror}: add the original's address as url)" \
                if cite.mirror else ""
            out.append(("citation-without-url", ident,
                        f"the citation of {what} '{ident}' ({cite.section}) has no url, so a reader cannot follow "
                        f"it to the source{extra}", "warning", path))
    return out


def _non_monotone(loaded: LoadedRuleset, space: FactSpace) -> list[_Raw]:
    m, vocab = loaded.model, loaded.vocabulary
    rules = [("indicators", i, x.id, x.when) for i, x in enumerate(m.indicators)]
    rules += [("overrides", i, x.id, x.when) for i, x in enumerate(m.overrides)]
    out: list[_Raw] = []
    for section, i, rid, cond in rules:
        broken = monotonicity_breaks(cond, space)
        if not broken:
            continue
        tests = "; ".join(dict.fromkeys(describe_test(t, vocab) for t in fact_tests(cond) if t.fact in broken))
        facts = ", ".join(f"'{f}'" for f in broken)
        out.append(("non-monotone", rid,
                    f"'{rid}' stops matching when {facts} gets a worse answer (tests: {tests}), so reporting a "
                    "worse concern could lower the suggestion; use at_least / is: true on the concerning side, "
                    "or put the exception in a separate, higher indicator", "warning", (section, i, "when")))
    return out


def orphan_facts(vocab_path: str, vocab: Vocabulary, national: NationalModule,
                 rulesets: Sequence[Ruleset]) -> list[Problem]:
    """Vocabulary facts no rule reads and that are not declared ``context_only`` (and the reverse).

    A fact nobody reads would be asked and change nothing, and a result could then be called
    complete: every fact is read by the national module or at least one ruleset, or says why
    it is only context. A ``context_only`` fact that a rule now reads is reported too, so the
    declaration cannot go stale.
    """
    read: set[str] = set()
    for ov in national.overrides:
        read.update(facts_of(ov.when))
    for rs in rulesets:
        for ind in rs.indicators:
            read.update(facts_of(ind.when))
        for lo in rs.overrides:
            read.update(facts_of(lo.when))
    located = load_file(vocab_path)
    out: list[Problem] = []
    for i, f in enumerate(vocab.facts):
        if f.id not in read and f.context_only is None:
            out.append(located.problem(("facts", i, "id"), f"orphan fact '{f.id}': no rule of the national module or "
                                       "of any bundled ruleset reads it; add a rule that reads it or declare "
                                       "`context_only` with the reason"))
        elif f.id in read and f.context_only is not None:
            out.append(located.problem(("facts", i, "context_only"), f"fact '{f.id}' is declared context_only but "
                                       "a rule reads it; remove `context_only`"))
    return out


def _never_decisive(loaded: LoadedRuleset, space: FactSpace) -> list[_Raw]:
    """Rules whose level is always already reached whenever they fire (the suggestion never changes).

    A combination counts matched indicators at ``of_level`` or above; if every indicator it can
    count is itself at ``gives`` or above, the level it gives is reached by any one of them before
    the count is met. An indicator whose every match also triggers a national override whose floor
    is at or above the indicator's outcome never changes the outcome either (it still names the
    local level and the source, so it is reported for a look, not as an error).
    (Indicators made redundant by a higher indicator are the ``subsumed`` warning.)
    """
    m = loaded.model
    index = loaded.level_index
    out: list[_Raw] = []
    for i, comb in enumerate(m.combinations):
        counted = [ind for ind in m.indicators if index.get(ind.level, -1) >= index.get(comb.of_level, 0)]
        if counted and all(index[ind.level] >= index[comb.gives] for ind in counted):
            out.append(("never-decisive", comb.id,
                        f"combination '{comb.id}' gives {comb.gives}, but every indicator it can count (at "
                        f"{comb.of_level} or above) is already at {comb.gives} or higher, so whenever "
                        f"{comb.at_least} of them match the level is already {comb.gives}: it can never change "
                        f"a result. Encode the lower-level needs it is meant to count (at {comb.of_level}), or "
                        "accept with the reason", "warning", ("combinations", i)))
    order = list(type(m.levels[0].outcome))
    for i, ind in enumerate(m.indicators):
        outcome = order.index(m.levels[index[ind.level]].outcome)
        floors = [ov for ov in loaded.national.overrides
                  if order.index(ov.minimum) >= outcome and implies(ind.when, ov.when, space)]
        if floors:
            out.append(("never-decisive", ind.id,
                        f"indicator '{ind.id}' ({ind.level}) never changes the outcome: every referral it matches "
                        f"also meets national override '{floors[0].id}', whose floor ({floors[0].minimum.value}) is "
                        f"at or above {m.levels[index[ind.level]].outcome.value}; it still names the local level "
                        "and source", "info", ("indicators", i, "when")))
    return out
