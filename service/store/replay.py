"""Replaying a recorded evaluation: the same facts under the same ruleset version, today.

The recorded ruleset version is found by its sha256 (the id and version name alone could
have been edited since). The recorded and replayed suggestions are compared field by field,
ignoring only the evaluation time; a different engine version counts as a difference, so an
auditor sees it.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from engine.errors import ReferralError, ThresholdsError
from engine.evaluate.evaluator import Evaluator
from engine.evaluate.suggestion import Suggestion
from engine.load.catalogue import LoadedRuleset
from engine.model.migration import migrate
from service.store.record import Recorded

IGNORED = {"evaluated_at"}


class Difference(BaseModel):
    pointer: str = Field(description="JSON Pointer into the suggestion.")
    recorded: Any = None
    replayed: Any = None


class ReplayResult(BaseModel):
    record_id: str
    ruleset: str
    sha256: str
    identical: bool = Field(description="True when today's engine gives the same suggestion (time aside).")
    differences: list[Difference]
    replayed: Suggestion


class NotReplayable(ThresholdsError):
    """The recorded ruleset version (by sha256) is no longer loaded.

    Internal: the caller named a real record; it is this service's deployment that no longer
    holds the version it was made under.
    """

    caused_by = "internal"


def differences(recorded: Any, replayed: Any, pointer: str = "") -> list[Difference]:
    if isinstance(recorded, dict) and isinstance(replayed, dict):
        out: list[Difference] = []
        for key in sorted(set(recorded) | set(replayed)):
            if pointer == "" and key in IGNORED:
                continue
            where = pointer + "/" + str(key).replace("~", "~0").replace("/", "~1")
            out += differences(recorded.get(key), replayed.get(key), where)
        return out
    if isinstance(recorded, list) and isinstance(replayed, list) and len(recorded) == len(replayed):
        return [d for i, (a, b) in enumerate(zip(recorded, replayed)) for d in differences(a, b, f"{pointer}/{i}")]
    if recorded == replayed and type(recorded) is type(replayed):
        return []
    return [Difference(pointer=pointer or "/", recorded=recorded, replayed=replayed)]


def current_facts(loaded: LoadedRuleset, facts: dict[str, Any]) -> dict[str, Any]:
    """Recorded facts in the current vocabulary.

    Records do not store their vocabulary version; facts the current vocabulary rejects were
    written before 2.0.0 and are migrated from 1.2.0 (engine/model/migration.py).
    """
    try:
        loaded.vocabulary.normalise(facts)
        return facts
    except ReferralError:
        return migrate(facts, "1.2.0").facts


def replay(evaluator: Evaluator, rec: Recorded) -> ReplayResult:
    sha = rec.suggestion.ruleset.sha256
    loaded = evaluator.catalogue.by_sha(sha)
    if loaded is None:
        raise NotReplayable(f"ruleset {rec.suggestion.ruleset.id}@{rec.suggestion.ruleset.version} with sha256 "
                            f"{sha[:12]}… is not loaded any more; restore that file to replay this record")
    again: Suggestion = evaluator.evaluate(loaded, current_facts(loaded, rec.facts))
    diffs = differences(rec.suggestion.model_dump(mode="json"), again.model_dump(mode="json"))
    return ReplayResult(record_id=rec.id, ruleset=loaded.key, sha256=sha, identical=not diffs,
                        differences=diffs, replayed=again)
