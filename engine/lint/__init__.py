"""engine.lint: what an author should fix in a ruleset that already loads.

Holds the linter (linter), the reachable fact space it reasons over (fact_space) and the
fidelity checks against the source documents (fidelity). It may import ``engine.evaluate`` and
below; it must not import ``engine.triage``, ``engine.compare`` or ``engine.render``, and only
``engine.render`` and the service may import it.
"""
