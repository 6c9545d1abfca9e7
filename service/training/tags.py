"""The tags a feature file may carry, each with what it means.

pytest runs with ``--strict-markers``, and pytest-bdd turns every tag into a marker, so an
undeclared tag would abort the whole run. The linter checks tags against this list (and
skips a file with an unknown tag instead of letting it abort collection); a test keeps
pyproject.toml's ``markers`` in step with it. Select with ``pytest -m fgm``.
"""

from __future__ import annotations

TAGS: dict[str, str] = {
    "bruising": "bruising or injury, especially on a child who is not independently mobile",
    "domestic_abuse": "domestic abuse in the child's household",
    "substance_misuse": "parental drug or alcohol misuse (and parental mental health)",
    "missing": "children missing from home, care or school",
    "exploitation": "child sexual or criminal exploitation",
    "neglect": "neglect and basic care",
    "under_13": "sexual activity involving a child under 13",
    "fgm": "female genital mutilation (mandatory reporting)",
    "young_carers": "young carers",
    "homeless": "homeless 16 and 17 year olds (s20)",
    "early_help": "needs met by early help or universal services",
    "safety_override": "a national safety override applies whatever the local thresholds say",
    "comparison": "the same referral under several councils",
    "unknown_facts": "facts explicitly not known, and the questions to ask",
}
