"""pytest-bdd glue for the project's own run: the package's glue (service.training.bdd), re-exported.

The glue lives in the package so that ``thresholds features run`` works from an installed
wheel; this conftest only makes its fixtures and hooks visible to tests/bdd.
"""

from __future__ import annotations

from service.training.bdd import (  # noqa: F401  (pytest finds fixtures and hooks by name here)
    _given,
    _then,
    _when,
    bdd_state,
    pytest_bdd_after_scenario,
    pytest_bdd_before_step,
    pytest_bdd_step_error,
    pytest_terminal_summary,
)
