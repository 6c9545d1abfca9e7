"""Trying a draft revision against the version in force, without the draft ever going live.

The draft is checked exactly as a bundled ruleset is (schema, vocabulary, national module, with
file:line:column errors) by loading it beside a private copy of its authority's published versions
in a temporary folder; the live catalogue is never touched. The draft must say ``status: draft``,
so that a file that slips into the rulesets folder can never be in force.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from engine.compare.scenarios import Scenario
from engine.errors import Problem, RulesetError, ThresholdsError, UnknownRulesetError
from engine.evaluate.bulk import BulkEvaluator
from engine.load.catalogue import Catalogue, LoadedRuleset
from engine.load.yamlfile import load_text
from engine.model.outcome import ORDER


def _problem(name: str, line: int, column: int, message: str) -> RulesetError:
    return RulesetError([Problem(name, line, column, message)])


@contextmanager
def placed_draft(cat: Catalogue, text: str, name: str) -> Iterator[tuple[LoadedRuleset, LoadedRuleset]]:
    """(version in force, draft) loaded from a private copy of the rulesets, which lives while the block runs.

    Use it to read the draft's file again inside the block (the linter re-reads positions); the copy
    and the draft are gone afterwards, and the catalogue ``cat`` is never changed.
    """
    located = load_text(text, name)
    info = located.data.get("ruleset") if isinstance(located.data, dict) else None
    if not isinstance(info, dict):
        raise _problem(name, 1, 1, "a ruleset file starts with a 'ruleset:' mapping (id, version, ...)")
    rid, version = info.get("id"), info.get("version")
    if not isinstance(rid, str) or not isinstance(version, str):
        line, col = located.position(("ruleset",))
        raise _problem(name, line, col, "ruleset.id and ruleset.version must be strings")
    if info.get("status") != "draft":
        line, col = located.position(("ruleset",))
        raise _problem(name, line, col, "a draft must say 'status: draft' under 'ruleset:' "
                                        "(so that it can never be in force)")
    try:
        in_force = cat.select(rid)
    except UnknownRulesetError as e:
        line, col = located.position(("ruleset", "id"))
        raise _problem(name, line, col, f"{e} (a draft is tried against its authority's version in force)") from None
    if any(r.version == version for r in cat.versions(rid)):
        line, col = located.position(("ruleset", "version"))
        raise _problem(name, line, col, f"version '{version}' of '{rid}' already exists; give the draft a new version")
    src = Path(cat.root)
    with tempfile.TemporaryDirectory(prefix="thresholds-draft-") as tmp:
        root = Path(tmp) / "rulesets"
        shutil.copytree(src, root, ignore=shutil.ignore_patterns("*.pdf", "*.html"))
        place = root / Path(in_force.path).parent.relative_to(src) / f"{version}.yaml"
        place.write_text(text, encoding="utf-8")
        try:
            trial = Catalogue.load(root, only=[rid])
        except RulesetError as e:
            raise RulesetError([Problem(name if p.file == str(place) else p.file.replace(str(root), "rulesets"),
                                        p.line, p.column, p.message.replace(str(place), name))
                                for p in e.problems]) from None
        except ThresholdsError as e:
            raise ThresholdsError(str(e).replace(str(place), name)) from None
        yield in_force, trial.select(rid, version=version, drafts=True)


def load_draft(cat: Catalogue, text: str, name: str) -> tuple[LoadedRuleset, LoadedRuleset]:
    """(version in force, draft) for a draft's YAML ``text``; errors (a ``RulesetError``) name ``name``:line:column."""
    with placed_draft(cat, text, name) as pair:
        return pair


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Moves(_Value):
    key: str
    """A concern, or the outcome under the version in force."""
    referrals: int
    up: int
    down: int


class RecordedImpact(_Value):
    """How recorded referrals' facts would fare under the draft, against the version in force."""
    statement: str
    referrals: int
    up: int
    down: int
    by_concern: list[Moves]
    by_outcome: list[Moves]


IMPACT_STATEMENT = (
    "The facts of referrals in the decision record, evaluated again under the version in force and under the "
    "draft. Nothing is recorded and no decision changes: this shows how many referrals would be placed higher "
    "or lower on the national scale if the draft were in force.")


def recorded_impact(in_force: LoadedRuleset, draft: LoadedRuleset, scenarios: Sequence[Scenario],
                    bulk: BulkEvaluator | None = None) -> RecordedImpact:
    """Replay recorded facts (a scenario bank, e.g. ``records export``) under both versions."""
    from engine.compare.variation import outcome_rows

    rows = outcome_rows([in_force, draft], scenarios, bulk or BulkEvaluator([in_force, draft]))
    concerns: dict[str, list[int]] = {}
    outcomes: dict[int, list[int]] = {}
    for i, s in enumerate(scenarios):
        concerns.setdefault(s.concern, []).append(i)
        outcomes.setdefault(rows[i][0], []).append(i)

    def moves(key: str, idx: list[int]) -> Moves:
        return Moves(key=key, referrals=len(idx), up=sum(1 for i in idx if rows[i][1] > rows[i][0]),
                     down=sum(1 for i in idx if rows[i][1] < rows[i][0]))

    return RecordedImpact(
        statement=IMPACT_STATEMENT, referrals=len(scenarios),
        up=sum(1 for r in rows if r[1] > r[0]), down=sum(1 for r in rows if r[1] < r[0]),
        by_concern=sorted((moves(c, idx) for c, idx in concerns.items()), key=lambda m: (-(m.up + m.down), m.key)),
        by_outcome=[moves(ORDER[k].label, outcomes[k]) for k in sorted(outcomes)])
