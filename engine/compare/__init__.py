"""engine.compare: how two rulesets, or many, differ.

Holds witness referrals (witness), the structural diff (structural, structural_parts), the
semantic diff (semantic), both together (comparison), scenario banks (scenarios), the
variation matrix across authorities (variation), drafts tried against the version in force
(draft), and one referral under two councils with the smallest change that makes them agree
(two_councils). It may import ``engine.evaluate`` and below; it must not import
``engine.triage``, ``engine.lint`` or ``engine.render``, and only ``engine.render`` and the
service may import it.
"""
