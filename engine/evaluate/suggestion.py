"""The suggestion: the value object every interface renders.

The API, the web pages, the CLI and the BDD reports all render this one object and compute
nothing of their own. Field names avoid the word "decision": the result supports a
qualified practitioner, who decides.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.model.outcome import Outcome
from engine.model.route import Route
from engine.model.ruleset import Citation
from engine.model.vocabulary import Domain, FactValue

STATEMENT = (
    "This is a suggestion to support the professional judgement of a qualified practitioner, "
    "who makes the decision. Threshold documents are guidance, not a checklist."
)
NO_SUGGESTION = (
    "No suggestion could be made. Use the threshold document and consult a manager. "
    "If a child is in immediate danger, call the police on 999."
)


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReplacedBy(_Value):
    """The newer, unencoded document that replaces (or may replace) the ruleset's: read before anything else.

    ``sentence`` is what every surface shows first (with ``url`` beside it, as a link or an address);
    ``mark`` is how lists show the version's end. Nothing here changes the level, outcome or actions.
    """

    status: Literal["replaced", "may_be_replaced"] = Field(
        description="replaced: the partnership says so; may_be_replaced: a newer document exists, not said to "
        "replace it.")
    title: str
    publisher: str | None
    url: str
    quote: str | None = Field(description="The partnership's own words that it replaces the document, if any.")
    note: str = Field(description="What was read of it and why it is not encoded.")
    source: str = Field(description="The project's source note that records it (docs/sources/...).")
    sentence: str = Field(description="The sentence shown before everything else in a result.")
    notice: str = Field(description="The same fact without a result to check, for choosers.")
    mark: str = Field(description="The version's end as lists show it: 'replaced by X (not encoded)'.")


class RulesetRef(_Value):
    id: str
    version: str
    authority: str
    document: str
    url: str
    sha256: str
    effective_from: str | None
    effective_to: str | None
    coverage_complete: bool
    coverage_notes: str
    local_indicators: int = Field(default=0, description="How many local indicators the ruleset encodes.")
    local_rules: Literal["encoded", "none"] = Field(
        default="none", description="'none' when the ruleset encodes only the level structure: only the "
        "national safety rules can then decide anything.")
    replaced_by: ReplacedBy | None = Field(
        default=None, description="Set when the partnership has replaced (or may have replaced) this document with "
        "one not encoded here: every interface shows its sentence first. None when no replacement is known.")


class LevelRef(_Value):
    id: str
    label: str
    outcome: Outcome
    outcome_label: str


class RouteRef(_Value):
    """The Families First route of a result and who leads on it, beside the canonical outcome."""

    route: Route
    label: str
    lead: str = Field(description="Who leads on this route: the document's words, else the national role.")
    basis: Literal["declared", "derived"] = Field(
        description="declared: the (refreshed) document states this level's route; derived: read from the canonical "
        "outcome, because the document predates the reforms or a safety rule raised the result beyond its level.")
    note: str = Field(description="How the route was read, in plain words.")
    could_rise_to: Route | None = Field(
        default=None, description="A higher route the unanswered questions could still lead to (None: it cannot rise).")
    cite: list[Citation] = Field(description="Where the route and its lead role come from.")


class ReportedFact(_Value):
    fact: str
    label: str
    value: FactValue
    answer: str = Field(description="The value in plain words.")


class MatchedIndicator(_Value):
    id: str
    level: LevelRef
    domain: Domain
    says: str
    condition: str = Field(description="The indicator's condition in plain English.")
    facts: list[ReportedFact] = Field(description="The reported facts the condition read.")
    cite: Citation


class FiredCombination(_Value):
    id: str
    says: str
    gives: LevelRef
    counted: list[str] = Field(description="Ids of the matched indicators that were counted.")
    cite: Citation


class RequiredAction(_Value):
    rule: str
    origin: Literal["national", "local", "outcome"]
    title: str = Field(default="", description="The action, as the worker reads it first.")
    says: str = Field(description="Where the rule comes from and why (provenance, shown in smaller print).")
    minimum: Outcome
    actions: list[str]
    condition: str
    cite: list[Citation]


class OpenQuestion(_Value):
    fact: str
    question: str
    hint: str | None
    answers: list[str] = Field(description="The possible answers, least to most concerning.")
    safety: bool = Field(description="An answer could trigger a safety override.")
    could_raise_to: LevelRef | None = Field(description="The highest level an answer could lead to.")
    could_raise_outcome: Outcome
    via: list[str] = Field(description="Indicators, combinations or overrides it could complete.")
    can_raise: bool = Field(default=True, description="An answer could raise the level (else it could only "
                            "add required actions).")
    effect: str = Field(default="", description="What an answer could do, in plain words.")


class Completeness(_Value):
    complete: bool = Field(description="No unknown fact could change the suggestion or the actions.")
    facts_reported: int
    facts_unknown_that_matter: int
    highest_reachable: Outcome
    highest_reachable_level: LevelRef
    note: str


class Headline(_Value):
    """The first thing a worker reads: safe to act on, and saying what decided it."""

    kind: Literal["range", "level", "no_local_rules"] = Field(
        description="range: incomplete and could still rise, so the range leads, not a level; level: the "
        "level stands on what is known; no_local_rules: the council's document is not encoded beyond its levels.")
    text: str = Field(description="The headline sentence every interface shows first.")
    summary: str = Field(description="The headline without the questions: for running updates.")
    floor: Outcome = Field(description="The outcome reached so far (at least).")
    ceiling: Outcome = Field(description="The highest outcome still possible on the unknown facts.")
    decided_by: Literal["indicators", "national_rule", "local_rule", "nothing_known"]
    decided: str = Field(description="What decided the level, in plain words (the document's wording, no ids).")
    decided_rule: str | None = Field(default=None, description="The id of the rule that decided it (for rule "
                                     "authors; interfaces show it only when asked for ids).")
    ask_first: list[str] = Field(description="The first questions to ask (at most three).")


class Suggestion(_Value):
    kind: Literal["suggestion", "no_suggestion"]
    headline: Headline | None = Field(default=None, description="Read first: the range or level, what decided "
                                      "it, and the first questions.")
    statement: str
    outcome: Outcome | None = None
    outcome_label: str | None = None
    level: LevelRef | None = None
    level_note: str | None = Field(default=None, description="When the local scale does not fit exactly.")
    route: RouteRef | None = Field(default=None, description="The Families First route and who leads, beside the "
                                   "canonical outcome (None only when no suggestion could be made).")
    required_actions: list[RequiredAction] = Field(default_factory=list)
    matched_indicators: list[MatchedIndicator] = Field(default_factory=list)
    combinations: list[FiredCombination] = Field(default_factory=list)
    open_questions: list[OpenQuestion] = Field(default_factory=list)
    completeness: Completeness | None = None
    facts_not_used: list[ReportedFact] = Field(
        default_factory=list, description="Reported facts that no rule of this ruleset (national included) reads.")
    reason: str | None = Field(default=None, description="Why no suggestion could be made.")
    ruleset: RulesetRef
    engine_version: str
    channels: list[str] = Field(description="Evaluation channels that agreed on this result.")
    evaluated_at: str
