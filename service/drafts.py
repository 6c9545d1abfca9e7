"""Trying a draft revision from the service: one trial shared by the policy page and the API.

A policy officer sends a draft ruleset (``status: draft``) as text. It is validated and linted
in a private copy of the rulesets (``engine.compare.draft.placed_draft``), compared with the
authority's version in force on witness referrals (``engine.compare.comparison.compare``), and
the facts of referrals recorded under that authority are replayed under both versions
(``engine.compare.draft.recorded_impact``). The draft is compiled by a private fast-channel
evaluator: it never enters the live catalogue or the live evaluator, is never offered for
triage, and nothing is recorded. The result is a frozen value the page and the API render.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Engine

from engine.compare.comparison import RulesetComparison, compare
from engine.compare.draft import RecordedImpact, placed_draft, recorded_impact
from engine.compare.scenarios import Scenario, parse_bank
from engine.errors import ReferralError
from engine.evaluate.bulk import BulkEvaluator
from engine.lint.linter import LintGroup, LintWarning, by_kind, lint
from engine.load.catalogue import Catalogue, LoadedRuleset
from service.store.audit import scenario_bank
from service.store.replay import current_facts

MAX_DRAFT_BYTES = 200_000
"""A draft larger than this is refused with a clear message (the largest bundled ruleset is under 80 kB)."""
NOT_LIVE = ("This draft was checked and compared in a private copy of the rulesets. It is not in force, it is "
            "not offered for triage and nothing was recorded: to publish it, an administrator adds the file "
            "without 'status: draft' and reloads the rulesets.")


class DraftTrial(BaseModel):
    """What a draft would change: lint findings, witness referrals and recorded referrals."""

    model_config = ConfigDict(frozen=True, extra="forbid")
    name: str = Field(description="The name the draft's errors and findings are located by.")
    in_force: str = Field(description="The version in force it is compared with (id@version).")
    draft: str = Field(description="The draft (id@version); never loaded into the service.")
    not_live: str = NOT_LIVE
    warnings: list[LintWarning] = Field(description="The linter's findings on the draft, with line and column.")
    comparison: RulesetComparison = Field(description="The draft against the version in force, on witness referrals.")
    recorded: RecordedImpact = Field(description="Recorded referrals' facts replayed under both versions.")
    recorded_unreadable: int = Field(description="Recorded referrals whose facts the current vocabulary cannot "
                                                 "read (left out of the replay, counted here).")

    @property
    def warnings_by_kind(self) -> list[LintGroup]:
        """The findings grouped by code for the page (the API gives the flat list)."""
        return by_kind(self.warnings)


def too_large(text: str) -> str | None:
    """The message for a draft over the size bound, else None."""
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_DRAFT_BYTES:
        return f"the draft is {size:,} bytes; at most {MAX_DRAFT_BYTES:,} bytes can be tried here"
    return None


def recorded_scenarios(db: Engine, loaded: LoadedRuleset) -> tuple[list[Scenario], int]:
    """Distinct recorded referrals made under ``loaded``'s authority, in the current vocabulary;
    and how many could not be read. Raises RecordUnavailable if the record cannot be read."""
    out: list[Scenario] = []
    unreadable = 0
    for item in scenario_bank(db, loaded.id)["scenarios"]:
        try:
            facts: dict[str, Any] = current_facts(loaded, item["facts"])
            out += parse_bank([{"id": item["id"], "facts": facts}], loaded.vocabulary)
        except (ReferralError, ValueError):
            unreadable += 1
    return out, unreadable


def try_draft(cat: Catalogue, db: Engine, text: str, name: str) -> DraftTrial:
    """The trial of ``text`` against ``cat``'s version in force. Raises ``RulesetError`` (located
    problems) when the draft cannot be used, and ``RecordUnavailable`` when the record cannot be read."""
    with placed_draft(cat, text, name) as (in_force, draft):
        warnings = [w.model_copy(update={"file": name}) for w in lint(draft)]
    bulk = BulkEvaluator([in_force, draft])  # private: the live evaluator never compiles a draft
    comparison = compare(in_force, draft, bulk)
    scenarios, unreadable = recorded_scenarios(db, in_force)
    return DraftTrial(name=name, in_force=in_force.key, draft=draft.key, warnings=warnings, comparison=comparison,
                      recorded=recorded_impact(in_force, draft, scenarios, bulk), recorded_unreadable=unreadable)
