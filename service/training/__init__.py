"""Training with scenarios: the plain-English step library and the trainer's tools.

Engine-independent but importable by the ``thresholds`` command: the step registry and its
catalogue, the feature-file linter, run reports and trainee mode. The pytest-bdd glue that
runs feature files as tests lives in tests/bdd and only dispatches to this registry.
"""
