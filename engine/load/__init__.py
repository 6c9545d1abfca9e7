"""engine.load: ruleset files in, a checked catalogue out.

Holds YAML reading with source positions (yamlfile), validation and the semantic checks
(loader, definitions, sources), the JSON Schema (schema), the checked-model cache (cache) and
the catalogue of every authority and version with the one way to choose a version
(``Catalogue.select``). It may import ``engine.model`` and ``engine.errors`` only; it must not
import evaluation, triage, comparison, linting or rendering, which all build on it.
"""
