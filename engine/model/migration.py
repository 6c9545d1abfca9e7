"""Migrating referral facts written under an older vocabulary version to the current one.

Vocabulary 2.0.0 split two merged answers (docs/vocabulary-changes.md):

- the parental ``*_impact`` facts' ``present`` ("difficulties present; impact on the child not
  established") became ``present_no_impact`` (known: no impact) and the not-known answer
  ``impact_not_established``. An old ``present`` was labelled "impact not established", and a
  worker with "present, no impact" had no other answer to give, so it could mean either: it
  migrates to ``impact_not_established`` (read as not known). Unknown never means "no impact".
- ``child_substance_use: experimenting`` covered smoking too ("...; smokes"). Smoking is now the
  fact ``child_smokes``. An old ``experimenting`` may have meant smoking only or experimenting
  with alcohol or drugs, so both become not known and the migration says they must be asked again.

Used when replaying or reading records made before 2.0.0 and when parsing a referral that
declares an older ``vocabulary_version``. The result says what changed, so a reader can show it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

CURRENT_MAJOR = 2
"""The vocabulary major version this module migrates to."""

IMPACT_FACTS = (
    "parental_substance_misuse_impact",
    "parental_mental_health_impact",
    "parental_physical_health_impact",
    "parental_learning_disability_impact",
)


@dataclass(frozen=True)
class Migrated:
    """Facts in the current vocabulary, what changed, and what must be asked again."""

    facts: dict[str, Any]
    changes: tuple[str, ...]
    reask: tuple[str, ...]


def major_of(version: str, where: str = "vocabulary_version") -> int:
    """The major number of a semantic version; ValueError names where it came from."""
    head = version.split(".", 1)[0] if isinstance(version, str) else ""
    if not head.isdigit():
        raise ValueError(f"{where}: '{version}' is not a semantic version such as 1.2.0")
    return int(head)


def migrate(facts: Mapping[str, Any], from_version: str, where: str = "vocabulary_version") -> Migrated:
    """``facts`` written under vocabulary ``from_version``, as current facts.

    Facts of the current major version are returned unchanged. A version newer than this
    code knows is an error (never guessed).
    """
    major = major_of(from_version, where)
    if major > CURRENT_MAJOR:
        raise ValueError(f"{where}: vocabulary {from_version} is newer than this service's "
                         f"({CURRENT_MAJOR}.x); upgrade the service")
    out = dict(facts)
    if major == CURRENT_MAJOR:
        return Migrated(out, (), ())
    changes: list[str] = []
    reask: list[str] = []
    for fid in IMPACT_FACTS:
        if out.get(fid) == "present":
            out[fid] = "impact_not_established"
            changes.append(f"{fid}: 'present' (impact not established) -> 'impact_not_established' (not known)")
            reask.append(fid)
    if out.get("child_substance_use") == "experimenting":
        out["child_substance_use"] = None
        changes.append("child_substance_use: 'experimenting' (which included smoking) -> not known")
        reask.append("child_substance_use")
        if out.get("child_smokes") is None:
            out["child_smokes"] = None
            changes.append("child_smokes: not known (the old 'experimenting' may have meant smoking)")
            reask.append("child_smokes")
    return Migrated(out, tuple(changes), tuple(reask))
