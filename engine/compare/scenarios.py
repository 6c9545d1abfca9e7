"""Scenario banks for the variation matrix: witness referrals, a file of referrals, or generated.

A scenario is a referral (facts over the shared vocabulary) with an id and the concern it is
filed under. The default bank is the witnesses of every ruleset compared (engine/compare/witness.py),
which reaches every indicator; a team can bring its own bank as a JSON file; the benchmark
generates random referrals. Every referral in a file is checked against the vocabulary, and
every problem is reported with a JSON pointer into the file.
"""

from __future__ import annotations

import random
from typing import Any

from pydantic import BaseModel, ConfigDict

from engine.compare.witness import WitnessBank, domain
from engine.errors import FieldProblem, ReferralError
from engine.model.vocabulary import FactValue, Normalised, Vocabulary

MAX_SCENARIOS = 100_000


class Scenario(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    id: str
    concern: str
    facts: dict[str, FactValue]
    norm: dict[str, Normalised]


def from_witnesses(bank: WitnessBank) -> list[Scenario]:
    return [Scenario(id=w.id, concern=w.concern, facts=w.facts, norm=w.norm) for w in bank.witnesses]


def parse_bank(doc: Any, vocab: Vocabulary) -> list[Scenario]:
    """Scenarios from a JSON document: ``[referral, ...]`` or ``{"scenarios": [...]}``.

    A referral is ``{"facts": {...}}`` with optional ``"id"`` and ``"concern"``. Without a
    concern, the scenario is filed under the concerns of the facts it reports.
    """
    base = ""
    if isinstance(doc, dict) and set(doc) == {"scenarios"}:
        doc, base = doc["scenarios"], "/scenarios"
    if not isinstance(doc, list):
        raise ReferralError([FieldProblem(base or "", "a scenario bank is a JSON array of referrals "
                                                      "(or an object with one key, 'scenarios')")])
    if not doc:
        raise ReferralError([FieldProblem(base or "", "the scenario bank is empty")])
    if len(doc) > MAX_SCENARIOS:
        raise ReferralError([FieldProblem(base or "", f"at most {MAX_SCENARIOS} scenarios, not {len(doc)}")])
    problems: list[FieldProblem] = []
    out: list[Scenario] = []
    for i, item in enumerate(doc):
        where = f"{base}/{i}"
        if not isinstance(item, dict) or "facts" not in item or not isinstance(item["facts"], dict):
            problems.append(FieldProblem(where, "a scenario is an object with 'facts' (and optional 'id', 'concern')"))
            continue
        extra = sorted(set(item) - {"facts", "id", "concern"})
        if extra:
            problems.append(FieldProblem(f"{where}/{extra[0]}", f"unknown key '{extra[0]}'"))
            continue
        sid, concern = item.get("id", f"s{i + 1}"), item.get("concern")
        if not isinstance(sid, str) or (concern is not None and not isinstance(concern, str)):
            problems.append(FieldProblem(where, "'id' and 'concern' must be strings"))
            continue
        try:
            norm = vocab.normalise(item["facts"], pointer=f"{where}/facts")
        except ReferralError as e:
            problems.extend(e.problems)
            continue
        if len(problems) > 50:
            break
        filed = concern or " + ".join(sorted({vocab.fact(f).concern for f in norm})) or "no facts reported"
        out.append(Scenario(id=sid, concern=filed, facts=vocab.denormalise(norm), norm=norm))
    if problems:
        raise ReferralError(problems[:50])
    return out


def random_bank(vocab: Vocabulary, n: int, seed: int = 1, max_facts: int = 8) -> list[Scenario]:
    """``n`` random referrals: each reports 1..max_facts facts with random values (reproducible)."""
    rng = random.Random(seed)
    facts = vocab.facts
    out = []
    for i in range(n):
        chosen = rng.sample(facts, rng.randint(1, min(max_facts, len(facts))))
        norm: dict[str, Normalised] = {f.id: rng.choice(domain(f)) for f in chosen}
        concern = vocab.fact(chosen[0].id).concern
        out.append(Scenario(id=f"r{i + 1}", concern=concern, facts=vocab.denormalise(norm), norm=norm))
    return out
