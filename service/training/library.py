"""The one registry every step module adds its phrases to.

Step modules import :data:`REGISTRY` and decorate their functions; :func:`registry` imports
them all once, so callers get the complete library in declaration order (which is also the
catalogue's order).
"""

from __future__ import annotations

import importlib

from service.training.registry import Registry

STEP_MODULES = ("child", "authority", "facts", "concerns", "evaluation", "expectations", "comparison")

REGISTRY = Registry()
_loaded = False


def registry() -> Registry:
    global _loaded
    if not _loaded:
        for name in STEP_MODULES:
            importlib.import_module(f"service.training.steps.{name}")
        _loaded = True
    return REGISTRY
