"""Benchmark: 10,000 scenarios x every bundled ruleset on the fast channel.

Prints seconds and evaluations per second for the full variation matrix (outcome per
scenario per ruleset, pairwise agreement, Fleiss' kappa, disputed concerns, clustering),
beside a baseline measured in the same run: the raw fast-channel ``truth()`` loop over the
same scenarios, without the decision table or any statistics. The issue's bar is "well
under a minute on 2 cores". Run: ``.venv/bin/python bench/variation.py [N]``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.compare.scenarios import from_witnesses, random_bank  # noqa: E402
from engine.compare.variation import variation_matrix  # noqa: E402
from engine.compare.witness import witness_bank  # noqa: E402
from engine.evaluate.bulk import BulkEvaluator  # noqa: E402
from engine.load.catalogue import Catalogue  # noqa: E402


def main(n: int = 10_000) -> None:
    t0 = time.perf_counter()
    cat = Catalogue.load()
    rulesets = cat.all()
    bulk = BulkEvaluator(rulesets)
    t_load = time.perf_counter() - t0
    scenarios = random_bank(cat.vocabulary, n, seed=7)
    evals = n * len(rulesets)

    t0 = time.perf_counter()
    for lr in rulesets:
        truth = bulk.compiled(lr).fast.truth
        for s in scenarios:
            truth(s.norm)
    t_base = time.perf_counter() - t0

    t0 = time.perf_counter()
    m = variation_matrix(rulesets, scenarios, bulk)
    t_matrix = time.perf_counter() - t0

    t0 = time.perf_counter()
    bank = witness_bank(rulesets, bulk)
    t_bank = time.perf_counter() - t0
    t0 = time.perf_counter()
    wm = variation_matrix(rulesets, from_witnesses(bank), bulk)
    t_wmatrix = time.perf_counter() - t0

    print(f"rulesets: {len(rulesets)} ({', '.join(r.key for r in rulesets)}); "
          f"indicators: {sum(len(r.model.indicators) for r in rulesets)}; load+compile {t_load:.2f}s")
    print(f"scenarios: {n:,} random referrals; evaluations: {evals:,}")
    print(f"baseline  raw fast-channel truth() loop : {t_base:7.2f}s  {evals / t_base:12,.0f} evals/s")
    print(f"variation full matrix + statistics      : {t_matrix:7.2f}s  {evals / t_matrix:12,.0f} evals/s  "
          f"({t_matrix / t_base:.2f}x baseline)")
    print(f"witness bank: {len(bank.witnesses):,} witnesses built in {t_bank:.2f}s; matrix over them "
          f"{t_wmatrix:.2f}s ({wm.scenarios * len(rulesets):,} evaluations)")
    print(f"kappa (random bank) {m.kappa}; mean pairwise agreement {m.mean_agreement}")
    print("target: 10,000 x all bundled rulesets well under 60 s on 2 cores: "
          + ("met" if t_matrix < 30 else "NOT met"))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
