"""The committed JSON Schemas (Draft 2020-12), generated from the pydantic models.

The models are the single source of truth; the schemas under ``rulesets/schema/`` exist for
people and tools outside Python (editors that complete and check YAML, other services that
send referrals). Because they are generated and committed, they can go stale: a test compares
the committed files with :func:`schemas` and ``thresholds schema --write`` regenerates them.
The referral schema is generated from the vocabulary data, so it changes when a fact does.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from pydantic.json_schema import GenerateJsonSchema, JsonSchemaMode, JsonSchemaValue
from pydantic_core import CoreSchema

from engine.load.sources import SourceAccount
from engine.model.condition import OPERATORS
from engine.model.ruleset import NationalModule, Ruleset
from engine.model.vocabulary import Vocabulary

DRAFT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = "schema"
FILES: dict[str, str] = {
    "ruleset": "ruleset.schema.json",
    "national": "national.schema.json",
    "vocabulary": "vocabulary.schema.json",
    "referral": "referral.schema.json",
    "sources": "sources.schema.json",
}
_MODELS: dict[str, type[BaseModel]] = {"ruleset": Ruleset, "national": NationalModule, "vocabulary": Vocabulary,
                                        "sources": SourceAccount}


class Draft202012(GenerateJsonSchema):
    """pydantic emits 2020-12 but leaves out ``$schema``; tools need it to pick a dialect."""

    def generate(self, schema: CoreSchema, mode: JsonSchemaMode = "validation") -> JsonSchemaValue:
        out = super().generate(schema, mode)
        return {"$schema": DRAFT, **out}


def _refine(schema: dict[str, Any]) -> dict[str, Any]:
    """Add what a model validator checks but pydantic cannot export.

    ``FactTest`` requires exactly one operator (a model validator). It has ``fact`` plus one
    optional key per operator and forbids other keys, so "exactly one operator" is "exactly
    two keys, none of them null".
    """
    out = copy.deepcopy(schema)
    fact_test = out.get("$defs", {}).get("FactTest")
    if fact_test is not None:
        fact_test["minProperties"] = 2
        fact_test["maxProperties"] = 2
        for op in OPERATORS:
            prop = fact_test["properties"][op]
            prop["anyOf"] = [alt for alt in prop["anyOf"] if alt != {"type": "null"}]
            prop.pop("default", None)
    return out


def model_schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one file kind: 'ruleset', 'national', 'vocabulary' or 'sources'."""
    model = _MODELS[kind]
    schema = model.model_json_schema(by_alias=True, mode="validation", schema_generator=Draft202012)
    schema = {"$schema": schema.pop("$schema"), "$id": f"urn:thresholds:schema:{kind}", **schema}
    return _refine(schema)


def schemas(vocabulary: Vocabulary) -> dict[str, dict[str, Any]]:
    """Every committed schema by file name; the referral schema comes from ``vocabulary``."""
    out = {FILES[kind]: model_schema(kind) for kind in _MODELS}
    out[FILES["referral"]] = vocabulary.referral_schema()
    return out


def render(schema: dict[str, Any]) -> str:
    """The exact text committed: stable key order, two-space indent, final newline."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def stale(folder: Path, vocabulary: Vocabulary) -> list[str]:
    """Names of committed schema files that are missing or differ from the models."""
    out = []
    for name, schema in schemas(vocabulary).items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != render(schema):
            out.append(name)
    return out


def write(folder: Path, vocabulary: Vocabulary) -> list[Path]:
    """(Re)write every schema file; returns the paths whose content changed."""
    folder.mkdir(parents=True, exist_ok=True)
    changed = []
    for name, schema in schemas(vocabulary).items():
        path = folder / name
        text = render(schema)
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
            changed.append(path)
    return changed
