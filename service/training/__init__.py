"""Training with scenarios: the plain-English step library and the trainer's tools.

Engine-independent but importable by the ``thresholds`` command: the step registry and its
catalogue, the feature-file linter, run reports and trainee mode. The pytest-bdd glue that
runs feature files as tests lives in tests/bdd and only dispatches to this registry.

Rule: training may import the engine (and, below it in the layers, ``service.context`` and
``service.store``, which it does not need today); it must not import the API, the pages or
the CLI. The CLI and the BDD tests import it.
"""
