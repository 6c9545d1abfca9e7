"""The bundled rulesets as package data: national module, vocabulary, England's authorities, schemas.

This folder is a package only so that the wheel carries it and :func:`engine.load.catalogue.bundled_root`
can find it through ``importlib.resources`` wherever the project is installed; it holds no code.
A council's own folder of the same shape is used instead with ``--rulesets DIR`` or
``THRESHOLDS_RULESETS``.
"""
