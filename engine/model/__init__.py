"""engine.model: what a threshold document says, as checked values; no I/O.

Holds the canonical outcome scale (outcome), the national fact vocabulary and referral
normalisation (vocabulary), conditions over facts (condition), the ruleset and national module
models (ruleset) and the plain-English wording of conditions (wording). It may import only
``engine.errors`` and third-party libraries (pydantic); every other stage imports it, and
nothing here reads a file, compiles a rule or renders a page (the layering contract in
pyproject.toml checks this).
"""
