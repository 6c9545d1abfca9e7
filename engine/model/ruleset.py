"""The ruleset model: one authority's threshold document, as data.

These pydantic models are the single source of truth for ruleset files: the loader validates
against them, the committed JSON Schema (``rulesets/schema/``) is generated from them, and
every renderer reads them. Dates are strings (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``)
because documents often state only a month or a year, and the YAML loader never turns them
into ``date`` objects behind our back.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from engine.model.condition import Condition
from engine.model.outcome import Outcome
from engine.model.route import LevelRoute
from engine.model.vocabulary import Domain

ID = r"^[a-z0-9][a-z0-9-]{0,79}$"
LEVEL_ID = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,15}$"
PARTIAL_DATE = r"^\d{4}(-\d{2}(-\d{2})?)?$"
FULL_DATE = r"^\d{4}-\d{2}-\d{2}$"
URL = r"^https?://\S+$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Citation(_Strict):
    """Where an indicator, level or override comes from."""

    document: str | None = Field(
        default=None, description="Document title; the ruleset's document when omitted."
    )
    section: str = Field(min_length=1, description="Section, heading, level or page of the source.")
    url: str | None = Field(default=None, pattern=URL, description="The source's own address.")
    mirror: str | None = Field(
        default=None, pattern=URL, description="The copy it was read from, when not the original."
    )
    quote: str | None = Field(default=None, description="Short wording where the wording matters.")

    def segments(self, default_document: str | None = None) -> tuple[tuple[str, str | None], ...]:
        """The one way a citation reads, as (text, address or None) pieces for renderers to link.

        ``Document, Section (read from a mirror): "quote"``: the section links to the source and
        "a mirror" to the copy read; a section with no address says so. Every surface (pages,
        Markdown and HTML documents, terminal text, diff summaries) writes citations from this.
        """
        doc = self.document or default_document
        out: list[tuple[str, str | None]] = [(f"{doc}, ", None)] if doc else []
        out.append((self.section, self.url) if self.url else (f"{self.section} (no address given)", None))
        if self.mirror:
            out += [(" (read from ", None), ("a mirror", self.mirror), (")", None)]
        if self.quote:
            out.append((f": \u201c{self.quote}\u201d", None))
        return tuple(out)

    def text(self, default_document: str | None = None) -> str:
        """:meth:`segments` as plain text, each address in angle brackets after its words."""
        return "".join(t + (f" <{url}>" if url else "") for t, url in self.segments(default_document))


class Replacement(_Strict):
    """A newer document of the same partnership that replaces this one and that is NOT encoded.

    Named ``replaced_by`` (not ``superseded_by``) because ``supersedes`` already links two *encoded*
    versions of one authority; this points outside the bundle, at a document whose levels or
    indicators could not be read, so no version exists for it and none may be invented. ``status``
    says how sure the sources are: ``replaced`` when the partnership itself says so, and
    ``may_be_replaced`` when the sources only show a newer document without saying that it replaces
    this one. Every result from such a version says so first (a worker must not act on a replaced
    document without knowing); it never changes the suggested level, outcome or safety actions.
    """

    status: Literal["replaced", "may_be_replaced"] = Field(
        description="replaced: the partnership says the newer document replaces this one; may_be_replaced: the "
        "sources show a newer document but do not say it replaces this one.")
    title: str = Field(min_length=1, description="The newer document's title, as the sources give it.")
    publisher: str | None = Field(default=None, min_length=1, description="Who publishes it (the partnership).")
    url: str = Field(pattern=URL, description="Where the newer document is published.")
    quote: str | None = Field(default=None, min_length=1,
                              description="The partnership's own words that it replaces this document, if any.")
    note: str = Field(min_length=1, description="What was read of it and why it is not encoded, in plain words.")
    source: str = Field(pattern=r"^docs/sources/[a-z0-9-]+\.md( §\d+(\.\d+)*)?$",
                        description="The project's source note that records it, e.g. "
                        "'docs/sources/threshold-indicators-2026.md §16'.")

    def words(self) -> str:
        """'has been replaced by' or 'may have been replaced by': the verb every surface uses."""
        return "has been replaced by" if self.status == "replaced" else "may have been replaced by"

    def naming(self) -> str:
        """The newer document as named in sentences: its title, with its publisher in brackets."""
        return self.title + (f" ({self.publisher})" if self.publisher else "")

    def notice(self, authority: str) -> str:
        """What a chooser says before a council is picked: the fact, without a result to check."""
        return f"{authority}'s threshold document {self.words()} {self.naming()}, which is not encoded here."

    def sentence(self, authority: str) -> str:
        """The one sentence a result shows before anything else (its address is shown beside it)."""
        return self.notice(authority).removesuffix(".") + ": check this suggestion against it."

    def mark(self) -> str:
        """How lists show the version's end: 'replaced by X (not encoded)' instead of 'to now'."""
        return f"{self.words().removeprefix('has been ')} {self.title} (not encoded)"


class SourceDocument(_Strict):
    title: str = Field(min_length=1)
    url: str = Field(pattern=URL)
    mirrors: list[str] = Field(default_factory=list)
    publisher: str | None = None
    replaced_by: Replacement | None = Field(
        default=None, description="A newer document of the partnership, not encoded, that replaces (or may "
        "replace) this one. Every result from this version says so first.")


class Coverage(_Strict):
    """What the source showed, so nobody mistakes a partial encoding for the whole document."""

    complete: bool = Field(description="True only if every indicator of the document is encoded.")
    levels: list[str] = Field(description="Levels whose indicators were seen (fully or partly).")
    domains: list[Domain] = Field(description="Assessment Framework domains with indicators encoded.")
    notes: str = Field(min_length=1, description="What is missing or truncated, in plain words.")


class RulesetInfo(_Strict):
    id: str = Field(pattern=ID, description="Authority id, e.g. 'kent'.")
    version: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")
    authority: str = Field(min_length=1)
    partnership: str = Field(min_length=1)
    jurisdiction: Literal["england"]
    document: SourceDocument
    published: str | None = Field(default=None, pattern=PARTIAL_DATE)
    retrieved: str | None = Field(default=None, pattern=PARTIAL_DATE)
    effective_from: str | None = Field(
        default=None, pattern=FULL_DATE, description="First day in force; unknown when omitted."
    )
    effective_to: str | None = Field(
        default=None, pattern=FULL_DATE, description="Last day in force; still in force when omitted."
    )
    supersedes: str | None = Field(
        default=None,
        description="The version of this authority that this one replaces; orders versions whose "
        "effective dates the source does not state.",
    )
    licence: str = Field(min_length=1)
    coverage: Coverage
    summary: str | None = None
    status: Literal["published", "draft"] = Field(
        default="published",
        description="'draft': a revision being tried. Never in force, never offered for triage, never in "
        "the default variation; only named explicitly by the policy tools (thresholds diff --draft).",
    )

    @property
    def open_end_replaced_by(self) -> Replacement | None:
        """The newer, unencoded document that stands for this version's end: set when the version has no
        ``effective_to`` and its partnership has (or may have) replaced it. Lists and the readable
        document show its ``mark()`` instead of "to now"."""
        rep = self.document.replaced_by
        return rep if rep is not None and self.effective_to is None else None


class Level(_Strict):
    id: str = Field(pattern=LEVEL_ID)
    label: str = Field(min_length=1)
    outcome: Outcome
    description: str = Field(min_length=1)
    response: str = Field(min_length=1, description="Who responds and how.")
    timescale: str | None = None
    note: str | None = Field(default=None, description="e.g. where a level spans two outcomes.")
    also_covers: Outcome | None = Field(
        default=None,
        description="A higher canonical outcome this level's services also provide, where the document "
        "says so (Kent Level 3 includes child in need services). A safety floor at that outcome is then "
        "placed at this level rather than the next one up.",
    )
    route: LevelRoute | None = Field(
        default=None,
        description="Families First route and lead role, as a refreshed document states them (declare it on every "
        "level or none). Omitted in legacy documents: the route is then derived from the canonical outcome.",
    )
    cite: Citation


class Indicator(_Strict):
    id: str = Field(pattern=ID)
    level: str = Field(pattern=LEVEL_ID)
    domain: Domain
    says: str = Field(min_length=1, description="Plain-English summary, faithful to the source.")
    when: Condition
    cite: Citation
    note: str | None = None


class Combination(_Strict):
    """Several needs together indicate a higher level, where the document says so."""

    id: str = Field(pattern=ID)
    says: str = Field(min_length=1)
    at_least: int = Field(ge=2, le=50, description="How many matched indicators are needed.")
    of_level: str = Field(pattern=LEVEL_ID, description="Counting indicators at this level or above.")
    across_domains: int = Field(default=1, ge=1, le=4, description="In at least this many domains.")
    gives: str = Field(pattern=LEVEL_ID)
    cite: Citation


class Override(_Strict):
    """A safety rule that pre-empts scoring: a floor on the outcome plus required actions."""

    id: str = Field(pattern=ID)
    title: str | None = Field(
        default=None, min_length=1, max_length=140,
        description="The action, as a worker reads it first: 'Bruise on a baby under 6 months: refer now "
        "and get an urgent paediatric opinion'. Falls back to ``says`` when omitted.")
    says: str = Field(min_length=1)
    when: Condition
    minimum: Outcome
    actions: list[str] = Field(min_length=1)
    cite: list[Citation] = Field(min_length=1)


class OutcomeActions(_Strict):
    """Actions required whenever the suggestion reaches an outcome (e.g. strategy discussion)."""

    outcome: Outcome
    title: str | None = Field(default=None, min_length=1, max_length=140, description="The action, read first.")
    actions: list[str] = Field(min_length=1)
    cite: list[Citation] = Field(min_length=1)


class AcceptedWarning(_Strict):
    """A lint warning the authors looked at and accepted, with the reason."""

    code: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    subject: str = Field(min_length=1, description="The indicator, level or concern it is about.")
    reason: str = Field(min_length=1)


class Ruleset(_Strict):
    """One authority's threshold document, one version."""

    ruleset: RulesetInfo
    national: Literal["england-safety"] = Field(
        description="The national safety module this ruleset includes (required)."
    )
    levels: list[Level] = Field(min_length=2)
    indicators: list[Indicator] = Field(default_factory=list)
    combinations: list[Combination] = Field(default_factory=list)
    overrides: list[Override] = Field(
        default_factory=list, description="Local overrides, added to the national ones."
    )
    accepted_warnings: list[AcceptedWarning] = Field(default_factory=list)


class ModuleInfo(_Strict):
    id: Literal["england-safety"]
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    title: str
    jurisdiction: Literal["england"]
    description: str


class Criterion(_Strict):
    """A statutory test or "contact the MASH immediately" criterion, and how the module treats it.

    Every such criterion in the sources is recorded here, so a reader can see which ones set a
    national floor, which only add actions, which are left to local rulesets, and why.
    """

    id: str = Field(pattern=ID)
    criterion: str = Field(min_length=1, description="The test or criterion, in the source's words.")
    handling: Literal["floor", "actions_only", "local"] = Field(
        description="floor: a national override sets a minimum outcome; actions_only: a national override adds "
        "actions without raising the level; local: left to local rulesets.")
    rules: list[str] = Field(default_factory=list, description="The national overrides or outcome steps that "
                             "encode it (none when left to local rulesets).")
    reason: str = Field(min_length=1)
    cite: list[Citation] = Field(min_length=1)


class NationalModule(_Strict):
    """The national safety overrides every English ruleset includes (rulesets/national/)."""

    module: ModuleInfo
    overrides: list[Override] = Field(min_length=1)
    outcome_actions: list[OutcomeActions] = Field(default_factory=list)
    criteria: list[Criterion] = Field(
        default_factory=list, description="Each statutory or immediate-contact criterion and how it is handled.")
