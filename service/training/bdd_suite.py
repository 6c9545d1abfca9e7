"""The test module ``thresholds features run`` hands to pytest: the trainer's feature files as tests.

pytest collects test modules, not feature files, so the command runs pytest on this module
and says which files to read in :data:`service.training.bdd.EXERCISES` before it does. Each file is checked on its
own first: a file with a Gherkin syntax error, no scenarios or an undeclared tag would abort
pytest-bdd's collection of every file, so it is left out and reported as a failed test with
its line, while the others run.
"""

from __future__ import annotations

import pytest
from pytest_bdd import scenarios

from engine.errors import Problem
from service.training.bdd import EXERCISES, split

BROKEN: dict[str, list[Problem]] = {}


_GOOD, _BROKEN = split(EXERCISES) if EXERCISES else ([], {})
BROKEN.update(_BROKEN)
for _path in _GOOD:
    scenarios(str(_path))


@pytest.mark.parametrize("path", sorted(BROKEN))
def test_feature_file_is_well_formed(path: str) -> None:
    pytest.fail("this feature file was not run:\n" + "\n".join(f"  {p}" for p in BROKEN[path]), pytrace=False)
