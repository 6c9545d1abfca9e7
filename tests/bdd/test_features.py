"""Every .feature file under features/ (or $THRESHOLDS_FEATURES) runs as tests: no Python needed.

Each file is checked on its own first: a file with a Gherkin syntax error, no scenarios or an
undeclared tag would abort pytest-bdd's collection of every file, so it is left out and
reported by ``test_feature_file_is_well_formed`` with its line, while the others run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pytest_bdd import scenarios

from engine.errors import Problem
from service.training.bdd import split

FEATURES = Path(os.environ.get("THRESHOLDS_FEATURES") or Path(__file__).resolve().parents[2] / "features")
BROKEN: dict[str, list[Problem]] = {}

_GOOD, _BROKEN = split([FEATURES])
BROKEN.update(_BROKEN)
for _path in _GOOD:
    scenarios(str(_path))


@pytest.mark.parametrize("path", sorted(BROKEN) or ["(every file parsed)"])
def test_feature_file_is_well_formed(path: str) -> None:
    """One failure per broken file; with none broken, one case that checks files were found (an empty
    parameter set would be reported as a skip)."""
    assert _GOOD or BROKEN, f"no feature files found under {FEATURES}"
    if path in BROKEN:
        pytest.fail("this feature file was not run:\n" + "\n".join(f"  {p}" for p in BROKEN[path]), pytrace=False)
