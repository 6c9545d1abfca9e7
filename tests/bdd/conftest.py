"""pytest-bdd glue for the project's own run: the package's glue (service.training.bdd), re-exported.

The glue lives in the package so that ``thresholds features run`` works from an installed
wheel; this conftest only makes its fixtures, hooks and step definitions visible to tests/bdd.
pytest-bdd registers each step definition as a fixture named ``pytestbdd_stepdef_...`` in the
module that defines it, so those names are copied here with the hooks.
"""

from __future__ import annotations

from service.training import bdd as _glue
from service.training.bdd import (  # noqa: F401  (pytest finds fixtures and hooks by name here)
    bdd_state,
    pytest_bdd_after_scenario,
    pytest_bdd_before_step,
    pytest_bdd_step_error,
    pytest_terminal_summary,
)

globals().update({k: v for k, v in vars(_glue).items() if k.startswith("pytestbdd_stepdef_")})
