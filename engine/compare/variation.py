"""The variation matrix: a bank of scenarios under N rulesets, and how much they agree.

Each scenario is evaluated under every ruleset on the fast channel (bulk work, see
engine/evaluate/bulk.py) and reduced to its canonical outcome, the only scale that means the same in
every authority. From the outcome matrix come pairwise agreement (share of scenarios with
the same outcome), Fleiss' kappa (agreement beyond what the outcome frequencies alone would
give), the concerns with most disagreement, and an ordering of the rulesets by average-
linkage clustering on disagreement, so that councils which answer alike sit together in the
heatmap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import BaseModel, ConfigDict

from engine import ENGINE_VERSION
from engine.compare.scenarios import Scenario
from engine.evaluate.bulk import BulkEvaluator
from engine.evaluate.decision import ruleset_ref
from engine.evaluate.suggestion import RulesetRef
from engine.load.catalogue import LoadedRuleset
from engine.model.outcome import ORDER
from engine.model.vocabulary import FactValue

Progress = Callable[[int, int], None]
STATEMENT = (
    "Agreement is measured on the canonical outcome each encoded ruleset suggests for the same "
    "scenario. It describes the rulesets, not practice: practitioners decide, with the documents."
)


class _Value(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ConcernDispute(_Value):
    concern: str
    label: str
    scenarios: int
    disagreeing: int
    agreement: float
    """Mean share of agreeing ruleset pairs over this concern's scenarios (1.0 = all agree)."""
    spread: float
    """Mean distance on the outcome scale between the highest and the lowest answer."""
    example: str
    """The concern's most disputed scenario (its id), shown as the concern's row in pictures."""
    example_facts: dict[str, FactValue]
    example_outcomes: list[int]
    """Per ruleset (in ``keys`` order): the outcome rank for the example scenario."""


class Merge(_Value):
    left: list[str]
    right: list[str]
    agreement: float


class VariationMatrix(_Value):
    statement: str
    engine_version: str
    rulesets: list[RulesetRef]
    keys: list[str]
    names: list[str]
    indicators: list[int]
    """Per ruleset: how many indicators it encodes (sparse encodings agree on "universal" a lot)."""
    scenarios: int
    scenario_ids: list[str]
    scenario_concerns: list[str]
    outcomes: list[list[int]]
    """Per scenario, per ruleset: the canonical outcome's rank (0 universal .. 5 immediate protection)."""
    agreement: list[list[float]]
    mean_agreement: float
    unanimous: int
    kappa: float | None
    kappa_note: str
    distribution: list[list[int]]
    """Per ruleset: how many scenarios reached each outcome, in scale order."""
    disputed: list[ConcernDispute]
    order: list[int]
    merges: list[Merge]

    def summary(self) -> dict[str, object]:
        """Everything but the per-scenario rows, for terminals and API answers."""
        return self.model_dump(mode="json", exclude={"outcomes", "scenario_ids", "scenario_concerns"})


def outcome_rows(rulesets: Sequence[LoadedRuleset], scenarios: Sequence[Scenario], bulk: BulkEvaluator,
                 progress: Progress | None = None) -> list[list[int]]:
    """The outcome matrix (scenarios × rulesets), on the fast channel."""
    rows = [[0] * len(rulesets) for _ in scenarios]
    total = len(rulesets) * len(scenarios)
    done = 0
    for j, lr in enumerate(rulesets):
        c = bulk.compiled(lr)
        truth, position = c.fast.truth, c.table.position
        for i, s in enumerate(scenarios):
            rows[i][j] = position(truth(s.norm)).outcome.rank
        done += len(scenarios)
        if progress is not None:
            progress(done, total)
    return rows


def fleiss_kappa(rows: Sequence[Sequence[int]], categories: int = len(ORDER)) -> tuple[float | None, list[float]]:
    """Fleiss' kappa over rows of ratings, and each row's agreement P_i; None when undefined."""
    if not rows or len(rows[0]) < 2:
        return None, [1.0] * len(rows)
    n = len(rows[0])
    totals = [0] * categories
    per_item: list[float] = []
    for row in rows:
        counts = [0] * categories
        for v in row:
            counts[v] += 1
        for k in range(categories):
            totals[k] += counts[k]
        per_item.append((sum(c * c for c in counts) - n) / (n * (n - 1)))
    p_bar = sum(per_item) / len(per_item)
    p_e = sum((t / (len(rows) * n)) ** 2 for t in totals)
    if p_e >= 1.0:
        return None, per_item
    return (p_bar - p_e) / (1 - p_e), per_item


def pairwise_agreement(rows: Sequence[Sequence[int]], n: int) -> list[list[float]]:
    out = [[1.0] * n for _ in range(n)]
    if not rows:
        return out
    cols = list(zip(*rows, strict=True))
    for i in range(n):
        for j in range(i + 1, n):
            same = sum(1 for x, y in zip(cols[i], cols[j], strict=True) if x == y) / len(rows)
            out[i][j] = out[j][i] = same
    return out


def cluster_order(agreement: list[list[float]], keys: list[str]) -> tuple[list[int], list[Merge]]:
    """Average-linkage clustering on 1 - agreement; the leaf order keeps similar rulesets adjacent."""
    clusters: list[list[int]] = [[i] for i in range(len(keys))]
    merges: list[Merge] = []

    def link(x: list[int], y: list[int]) -> float:
        return sum(agreement[i][j] for i in x for j in y) / (len(x) * len(y))

    while len(clusters) > 1:
        best = max((link(clusters[p], clusters[q]), -p, -q) for p in range(len(clusters))
                    for q in range(p + 1, len(clusters)))
        score, p, q = best[0], -best[1], -best[2]
        left, right = clusters[p], clusters[q]
        merges.append(Merge(left=[keys[i] for i in left], right=[keys[i] for i in right], agreement=round(score, 4)))
        clusters = [c for k, c in enumerate(clusters) if k not in (p, q)] + [left + right]
    return (clusters[0] if clusters else []), merges


def disputes(rows: list[list[int]], per_item: list[float], scenarios: Sequence[Scenario]) -> list[ConcernDispute]:
    groups: dict[str, list[int]] = {}
    for i, s in enumerate(scenarios):
        groups.setdefault(s.concern, []).append(i)
    out = []
    for concern, idx in groups.items():
        ex = min(idx, key=lambda i: (per_item[i], -(max(rows[i]) - min(rows[i])), len(scenarios[i].norm), i))
        out.append(ConcernDispute(
            concern=concern, label=concern.replace("_", " "), scenarios=len(idx),
            disagreeing=sum(1 for i in idx if len(set(rows[i])) > 1),
            agreement=round(sum(per_item[i] for i in idx) / len(idx), 4),
            spread=round(sum(max(rows[i]) - min(rows[i]) for i in idx) / len(idx), 3), example=scenarios[ex].id,
            example_facts=scenarios[ex].facts, example_outcomes=list(rows[ex])))
    out.sort(key=lambda d: (d.agreement, -d.spread, -d.scenarios, d.concern))
    return out


def variation_matrix(rulesets: Sequence[LoadedRuleset], scenarios: Sequence[Scenario],
                     bulk: BulkEvaluator | None = None, progress: Progress | None = None) -> VariationMatrix:
    bulk = bulk or BulkEvaluator(rulesets)
    keys = [r.key for r in rulesets]
    ids = [r.id for r in rulesets]
    names = [r.model.ruleset.authority if ids.count(r.id) == 1 else f"{r.model.ruleset.authority} {r.version}"
             for r in rulesets]
    n = len(rulesets)
    rows = outcome_rows(rulesets, scenarios, bulk, progress)
    kappa, per_item = fleiss_kappa(rows)
    if kappa is None:
        note = ("Fleiss' kappa is not defined here: it needs at least two rulesets and more than one outcome "
                "among the answers.")
    else:
        note = ("Fleiss' kappa: 1 is complete agreement, 0 is no more agreement than the outcome frequencies "
                "alone would give, below 0 is systematic disagreement.")
    agreement = pairwise_agreement(rows, n)
    pairs = [agreement[i][j] for i in range(n) for j in range(i + 1, n)]
    order, merges = cluster_order(agreement, keys)
    distribution = [[sum(1 for row in rows if row[j] == k) for k in range(len(ORDER))] for j in range(n)]
    return VariationMatrix(
        statement=STATEMENT, engine_version=ENGINE_VERSION, rulesets=[ruleset_ref(r) for r in rulesets], keys=keys,
        names=names, indicators=[len(r.model.indicators) for r in rulesets], scenarios=len(scenarios),
        scenario_ids=[s.id for s in scenarios],
        scenario_concerns=[s.concern for s in scenarios], outcomes=rows,
        agreement=[[round(x, 4) for x in r] for r in agreement],
        mean_agreement=round(sum(pairs) / len(pairs), 4) if pairs else 1.0,
        unanimous=sum(1 for row in rows if len(set(row)) <= 1), kappa=None if kappa is None else round(kappa, 4),
        kappa_note=note, distribution=distribution,
        disputed=disputes(rows, per_item, scenarios), order=order, merges=merges)
