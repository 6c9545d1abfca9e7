"""engine.triage: which question to ask next, and what each answer could change.

Holds the question engine over a compiled ruleset (questions), the answer forms (answers) and
the screens a triage walks through (screens). It may import ``engine.evaluate`` and below; it
must not import ``engine.compare``, ``engine.lint`` or ``engine.render`` (siblings are
independent), and only ``engine.render`` and the service may import it.
"""
