"""Request and response bodies of the JSON API, as pydantic models.

These models are the API's single source of truth: the OpenAPI document is generated from
them, and every response is built by validating through them. Requests forbid unknown
fields. Referral facts are typed loosely here (any JSON value) because the vocabulary checks
them with better messages (JSON Pointer, "did you mean"); the OpenAPI document describes them
with the vocabulary's own schema.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from engine.evaluate.suggestion import ReplacedBy, Suggestion
from engine.model.outcome import Outcome
from engine.model.ruleset import Coverage
from service.openapi import FileError

RULESET_ID = r"^[a-z][a-z0-9-]{0,63}$"
VERSION = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$"


ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def _real_date(value: Any) -> dt.date:
    if not isinstance(value, str) or not re.match(ISO_DATE, value):
        raise ValueError("must be a date written YYYY-MM-DD")
    return dt.date.fromisoformat(value)  # ValueError for 2025-02-30: pydantic reports it at the field


IsoDate = Annotated[dt.date, BeforeValidator(_real_date),
                    WithJsonSchema({"format": "date", "pattern": ISO_DATE, "type": "string"})]
"""A date written YYYY-MM-DD, parsed once where the request is read (handlers get a ``date``)."""
Facts = Annotated[dict[str, Any], Field(max_length=1000, description="Referral facts: fact id -> value or null.")]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EvaluateRequest(_Request):
    ruleset: str = Field(pattern=RULESET_ID, description="Authority id, e.g. 'kent'.")
    version: str | None = Field(default=None, pattern=VERSION, description="A specific version.")
    as_of: IsoDate | None = Field(default=None, description="The version in force on this date (default today); "
                                  "with `version`, that version must have been in force on this date.")
    vocabulary_version: str | None = Field(
        default=None, pattern=r"^[0-9]+\.[0-9]+\.[0-9]+$",
        description="The vocabulary version the facts were written in (default: the current one). Facts "
        "of an older major version are migrated first (docs/vocabulary-changes.md).")
    facts: Facts


class CompareRequest(_Request):
    rulesets: list[Annotated[str, Field(pattern=RULESET_ID)]] | None = Field(
        default=None, min_length=1, max_length=200,
        description="Authority ids, each at its version in force; omit for every authority.")
    as_of: IsoDate | None = Field(default=None, description="Compare the versions in force on this date.")
    facts: Facts


class RecordRef(BaseModel):
    id: str
    recorded_at: str
    url: str


class Evaluation(BaseModel):
    record: RecordRef = Field(description="Where this evaluation is kept for audit and replay.")
    suggestion: Suggestion


class ComparedRuleset(BaseModel):
    ruleset: str
    record: RecordRef
    suggestion: Suggestion


class AlignedCell(BaseModel):
    ruleset: str
    level: str | None
    level_label: str | None


class AlignedOutcome(BaseModel):
    outcome: Outcome
    label: str
    rulesets: list[AlignedCell]


class Comparison(BaseModel):
    results: list[ComparedRuleset] = Field(description="One column per ruleset, in id order.")
    outcomes: list[AlignedOutcome] = Field(
        description="The national outcome scale, lowest first, with the rulesets whose suggestion lands there.")
    no_suggestion: list[str] = Field(description="Rulesets for which no suggestion could be made.")
    not_in_force: list[str] = Field(description="Authorities with no version in force on 'as_of'.")


class VersionSummary(BaseModel):
    version: str
    sha256: str
    effective_from: str | None
    effective_to: str | None
    published: str | None
    document_title: str
    document_url: str
    coverage: Coverage
    replaced_by: ReplacedBy | None = Field(
        default=None, description="The newer document, not encoded, that replaced (or may have replaced) this "
        "version's; null when none is known. Lists show its 'mark' instead of 'in force to now'.")


class RulesetSummary(BaseModel):
    id: str
    authority: str
    partnership: str
    current_version: str
    versions: list[VersionSummary]


class RulesetList(BaseModel):
    rulesets: list[RulesetSummary]


class RulesetData(BaseModel):
    id: str
    version: str
    sha256: str
    ruleset: dict[str, Any] = Field(description="The ruleset file's content, as data.")


class ReferralSchema(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra={"description": "A JSON Schema (2020-12)."})


class VocabularyData(BaseModel):
    model_config = ConfigDict(extra="allow", json_schema_extra={"description": "The fact vocabulary file, as data."})


class LoadedVersion(BaseModel):
    id: str
    version: str
    sha256: str


class LastReload(BaseModel):
    status: str
    at: str
    errors: list[FileError]


class Health(BaseModel):
    status: str = Field(description="'ok', or 'degraded' when the last reload was rejected.")
    engine_version: str
    loaded_at: str
    dev_mode: bool = Field(description="True when API keys are not checked (loopback only).")
    rulesets: list[LoadedVersion]
    last_reload: LastReload | None


class Reload(BaseModel):
    status: str = Field(description="'reloaded' or 'unchanged'.")
    at: str
    rulesets: list[LoadedVersion]


class RecordSummary(BaseModel):
    id: str
    recorded_at: str
    caller: str
    ruleset_id: str
    ruleset_version: str
    kind: str
    outcome: str | None


class RecordList(BaseModel):
    records: list[RecordSummary]


class RecordData(BaseModel):
    id: str
    recorded_at: str
    caller: str
    facts: dict[str, Any]
    suggestion: Suggestion


class Statistic(BaseModel):
    ruleset_id: str
    ruleset_version: str
    kind: str
    outcome: str | None
    count: int


class Statistics(BaseModel):
    counts: list[Statistic]


class KeyRequest(_Request):
    caller: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,99}$")
    role: str = Field(pattern=r"^(triage|manager|policy|trainer|admin)$")


class KeyInfo(BaseModel):
    id: str
    caller: str
    role: str
    created_at: str
    revoked_at: str | None


class KeyList(BaseModel):
    keys: list[KeyInfo]


class KeyCreated(BaseModel):
    id: str
    caller: str
    role: str
    key: str = Field(description="Shown only now; only its hash is stored.")
