"""The variation matrix: a bank of scenarios under N rulesets, and how much they agree.

Each scenario is evaluated under every ruleset on the fast channel (bulk work, see
engine/evaluate/bulk.py) and reduced to its canonical outcome, the only scale that means the same in
every authority. From the outcome matrix come pairwise agreement (share of scenarios with
the same outcome), Fleiss' kappa (agreement beyond what the outcome frequencies alone would
give), Krippendorff's alpha with the ordinal metric (the outcomes are ordered, so answering
"targeted" where another says "child protection" counts as a larger disagreement than a
neighbouring level), the concerns with most disagreement, and an ordering of the rulesets by average-
linkage clustering on disagreement, so that councils which answer alike sit together in the
heatmap.

Sparse encodings are left out of the headline figures by default: a ruleset that encodes
fewer local indicators than the stated coverage (default: none at all) answers "universal"
to almost everything, so sparse rulesets agree with each other and inflate every agreement
figure. They are still evaluated, listed as left out, and shown (marked) in the pictures; the
caller may include them.
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
from engine.model.vocabulary import FactValue, Vocabulary
from engine.model.wording import referral_words

Progress = Callable[[int, int], None]
STATEMENT = (
    "Agreement is measured on the canonical outcome each encoded ruleset suggests for the same "
    "scenario. It describes the rulesets, not practice: practitioners decide, with the documents."
)
MIN_INDICATORS = 1
"""Default coverage: a ruleset with fewer local indicators than this is sparse (i.e. none)."""
ALPHA_NOTE = ("Krippendorff's alpha (ordinal): 1 is complete agreement and 0 is agreement no better than chance, "
              "counting a disagreement as larger the more levels of the ordered outcome scale lie between the "
              "two answers.")


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
    example_words: str = ""
    """The example scenario in plain words (what reports print instead of its id and fact ids)."""


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
    min_indicators: int
    """The stated coverage: rulesets with fewer local indicators than this are sparse."""
    sparse: list[bool]
    """Per ruleset: below the stated coverage."""
    counted: list[bool]
    """Per ruleset: counted in the headline figures (mean agreement, unanimity, kappa, alpha, disputes)."""
    left_out: list[str]
    """Names of the rulesets evaluated but left out of the headline figures."""
    coverage_note: str
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
    alpha: float | None
    """Krippendorff's alpha, ordinal metric, over the counted rulesets; None when undefined."""
    alpha_note: str
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


def ordinal_alpha(rows: Sequence[Sequence[int | None]], categories: int = len(ORDER)) -> float | None:
    """Krippendorff's alpha with the ordinal metric over rows (units) of ranks 0..categories-1 given by
    each rater (None: no value); None when undefined (fewer than two raters or fewer than two values)."""
    import krippendorff
    import numpy as np

    if not rows or len(rows[0]) < 2 or len({v for row in rows for v in row if v is not None}) < 2:
        return None
    data = np.array([[np.nan if v is None else float(v) for v in row] for row in rows], dtype=float).T
    return float(krippendorff.alpha(reliability_data=data, level_of_measurement="ordinal",
                                    value_domain=list(range(categories))))


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


def disputes(rows: list[list[int]], headline: list[list[int]], per_item: list[float],
             scenarios: Sequence[Scenario], vocab: Vocabulary | None = None) -> list[ConcernDispute]:
    """Per concern, over the counted rulesets (``headline``); the example's outcomes for every ruleset."""
    groups: dict[str, list[int]] = {}
    for i, s in enumerate(scenarios):
        groups.setdefault(s.concern, []).append(i)
    out = []
    for concern, idx in groups.items():
        ex = min(idx, key=lambda i: (per_item[i], -(max(headline[i]) - min(headline[i])), len(scenarios[i].norm), i))
        out.append(ConcernDispute(
            concern=concern, label=concern.replace("_", " "), scenarios=len(idx),
            disagreeing=sum(1 for i in idx if len(set(headline[i])) > 1),
            agreement=round(sum(per_item[i] for i in idx) / len(idx), 4),
            spread=round(sum(max(headline[i]) - min(headline[i]) for i in idx) / len(idx), 3), example=scenarios[ex].id,
            example_facts=scenarios[ex].facts, example_outcomes=list(rows[ex]),
            example_words=referral_words(vocab, scenarios[ex].facts) if vocab else ""))
    out.sort(key=lambda d: (d.agreement, -d.spread, -d.scenarios, d.concern))
    return out


def coverage(rulesets: Sequence[LoadedRuleset], names: Sequence[str], min_indicators: int,
             include_sparse: bool) -> tuple[list[bool], list[bool], str]:
    """Which rulesets are sparse, which are counted, and one sentence saying so."""
    sparse = [len(r.model.indicators) < min_indicators for r in rulesets]
    rule = ("no local indicators" if min_indicators == 1
            else f"fewer than {min_indicators} local indicators")
    if not any(sparse):
        return sparse, [True] * len(rulesets), ("Every ruleset compared meets the stated coverage (rulesets with "
                                                f"{rule} would be left out).")
    listed = ", ".join(n for n, sp in zip(names, sparse, strict=True) if sp)
    if include_sparse:
        return sparse, [True] * len(rulesets), (
            f"Sparse rulesets ({rule}) are included on request: {listed}. They answer \u201cuniversal\u201d to "
            "almost everything and agree with each other, which raises every agreement figure.")
    if sum(1 for sp in sparse if not sp) < 2:
        return sparse, [True] * len(rulesets), (
            f"Fewer than two rulesets meet the stated coverage, so every ruleset is counted, including the sparse "
            f"ones ({rule}): {listed}. The figures mostly measure their shared default, not their documents.")
    return sparse, [not sp for sp in sparse], (
        f"Left out of the agreement figures (stated coverage: rulesets with {rule} are left out, because they "
        f"answer \u201cuniversal\u201d to almost everything and agree with each other): {listed}. They are still "
        "shown, marked, in the pictures and tables.")


def variation_matrix(rulesets: Sequence[LoadedRuleset], scenarios: Sequence[Scenario],
                     bulk: BulkEvaluator | None = None, progress: Progress | None = None,
                     min_indicators: int = MIN_INDICATORS, include_sparse: bool = False) -> VariationMatrix:
    bulk = bulk or BulkEvaluator(rulesets)
    keys = [r.key for r in rulesets]
    ids = [r.id for r in rulesets]
    names = [r.model.ruleset.authority if ids.count(r.id) == 1 else f"{r.model.ruleset.authority} {r.version}"
             for r in rulesets]
    n = len(rulesets)
    rows = outcome_rows(rulesets, scenarios, bulk, progress)
    sparse, counted, coverage_note = coverage(rulesets, names, min_indicators, include_sparse)
    cols = [j for j in range(n) if counted[j]]
    headline = [[row[j] for j in cols] for row in rows]
    kappa, per_item = fleiss_kappa(headline)
    alpha = ordinal_alpha(headline)
    if kappa is None:
        note = ("Fleiss' kappa is not defined here: it needs at least two rulesets and more than one outcome "
                "among the answers.")
    else:
        note = ("Fleiss' kappa: 1 is complete agreement, 0 is no more agreement than the outcome frequencies "
                "alone would give, below 0 is systematic disagreement.")
    agreement = pairwise_agreement(rows, n)
    pairs = [agreement[i][j] for i in cols for j in cols if i < j]
    order, merges = cluster_order(agreement, keys)
    distribution = [[sum(1 for row in rows if row[j] == k) for k in range(len(ORDER))] for j in range(n)]
    return VariationMatrix(
        statement=STATEMENT, engine_version=ENGINE_VERSION, rulesets=[ruleset_ref(r) for r in rulesets], keys=keys,
        names=names, indicators=[len(r.model.indicators) for r in rulesets], min_indicators=min_indicators,
        sparse=sparse, counted=counted, left_out=[nm for nm, c in zip(names, counted, strict=True) if not c],
        coverage_note=coverage_note, scenarios=len(scenarios),
        scenario_ids=[s.id for s in scenarios],
        scenario_concerns=[s.concern for s in scenarios], outcomes=rows,
        agreement=[[round(x, 4) for x in r] for r in agreement],
        mean_agreement=round(sum(pairs) / len(pairs), 4) if pairs else 1.0,
        unanimous=sum(1 for row in headline if len(set(row)) <= 1), kappa=None if kappa is None else round(kappa, 4),
        kappa_note=note, alpha=None if alpha is None else round(alpha, 4),
        alpha_note=ALPHA_NOTE if alpha is not None else "Krippendorff's alpha is not defined here: it needs at "
        "least two rulesets and more than one outcome among the answers.", distribution=distribution,
        disputed=disputes(rows, headline, per_item, scenarios, rulesets[0].vocabulary if rulesets else None),
        order=order, merges=merges)
