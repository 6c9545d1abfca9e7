"""engine.evaluate: referral facts in, an explained suggestion out.

Holds the two channels (channels/: the fast three-valued evaluator and durable_rules, the only
module that imports durable), the decision table (decision), the suggestion value (suggestion),
the live cross-checked, fail-closed evaluator (evaluator), fast bulk evaluation (bulk) and one
referral under several authorities (across). It may import ``engine.load`` and
``engine.model``; triage, compare, lint and render build on it, and it must not import them.
"""
