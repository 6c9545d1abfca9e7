"""The committed JSON Schemas: up to date, valid 2020-12, and in agreement with the loader.

The pydantic models are the single source; rulesets/schema/*.json are generated copies for
editors and other services. These tests fail when a model or the vocabulary changes without
``thresholds schema --write``, and check every bundled file against its committed schema
with jsonschema (not pydantic), so the schema is known to describe the real data.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from engine.errors import SchemaError, SemanticError, YamlSyntaxError
from engine.load import schema
from engine.load.catalogue import ENGLAND_DIR, NATIONAL_FILE, VOCABULARY_FILE, bundled_root
from engine.load.loader import load_national, load_ruleset_model, load_vocabulary
from engine.load.yamlfile import load_file

ROOT = bundled_root()
SCHEMAS = ROOT / schema.SCHEMA_DIR
TESTS = Path(__file__).parent
EXAMPLES = sorted((TESTS.parent / "docs" / "examples").glob("*.json"))
RULESETS = sorted((ROOT / ENGLAND_DIR).glob("*/*.yaml"))


def committed(kind: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((SCHEMAS / schema.FILES[kind]).read_text(encoding="utf-8"))
    return data


def validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(committed(kind), format_checker=Draft202012Validator.FORMAT_CHECKER)


def errors(kind: str, data: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(kind).iter_errors(data)]


def test_committed_schemas_are_up_to_date() -> None:
    vocab = load_vocabulary(ROOT / VOCABULARY_FILE)
    assert schema.stale(SCHEMAS, vocab) == [], "run: .venv/bin/thresholds schema --write"


@pytest.mark.parametrize("kind", sorted(schema.FILES))
def test_each_schema_is_a_valid_draft_2020_12_schema(kind: str) -> None:
    doc = committed(kind)
    assert doc["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(doc)


def test_stale_detects_a_changed_and_a_missing_file(tmp_path: Path) -> None:
    vocab = load_vocabulary(ROOT / VOCABULARY_FILE)
    assert len(schema.write(tmp_path, vocab)) == 5
    assert schema.stale(tmp_path, vocab) == []
    assert schema.write(tmp_path, vocab) == []  # idempotent: nothing changes the second time
    ruleset_file = tmp_path / schema.FILES["ruleset"]
    ruleset_file.write_text(ruleset_file.read_text().replace('"levels"', '"levelz"', 1))
    (tmp_path / schema.FILES["referral"]).unlink()
    assert schema.stale(tmp_path, vocab) == [schema.FILES["ruleset"], schema.FILES["referral"]]


def test_the_vocabulary_file_matches_its_schema() -> None:
    assert errors("vocabulary", load_file(ROOT / VOCABULARY_FILE).data) == []


def test_the_national_module_matches_its_schema() -> None:
    assert errors("national", load_file(ROOT / NATIONAL_FILE).data) == []


def test_there_are_bundled_rulesets() -> None:
    assert RULESETS, "no rulesets under rulesets/england/"


@pytest.mark.parametrize("path", RULESETS, ids=[f"{p.parent.name}/{p.stem}" for p in RULESETS])
def test_every_bundled_ruleset_matches_the_ruleset_schema(path: Path) -> None:
    assert errors("ruleset", load_file(path).data) == []


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_referrals_match_the_referral_schema(path: Path) -> None:
    assert errors("referral", json.loads(path.read_text())) == []


def test_the_referral_schema_rejects_what_the_vocabulary_rejects() -> None:
    assert errors("referral", {"facts": {"child_age_months": 4}}) == []
    assert errors("referral", {"facts": {"child_age_months": None, "bruise_or_injury": None}}) == []
    assert errors("referral", {"facts": {"child_age_months": 400}})  # out of range
    assert errors("referral", {"facts": {"bruise_or_injury": "no"}})  # text, not a boolean
    assert errors("referral", {"facts": {"mising_from_home": "regular"}})  # unknown fact
    assert errors("referral", {"facts": {"missing_from_home": "sometimes"}})  # unknown value
    assert errors("referral", {"facts": {}, "name": "A child"})  # no free text beside the facts


def test_a_fact_test_needs_exactly_one_operator_in_the_schema_too() -> None:
    base = load_file(TESTS / "fixtures" / "broken-base.yaml").data
    assert errors("ruleset", base) == []
    when = base["indicators"][0]["when"]
    for bad in ({"fact": when["fact"]}, {**when, "is": "regular"}, {**when, "at_most": None}):
        base["indicators"][0]["when"] = bad
        assert errors("ruleset", base), bad


def _parses(path: Path) -> bool:
    try:
        load_file(path)
    except YamlSyntaxError:
        return False
    return True


BROKEN = [p for p in sorted((TESTS / "broken").glob("*.yaml")) if _parses(p)]  # schema applies to data


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_schema_and_loader_agree_on_each_broken_file(path: Path) -> None:
    """What the model rejects the schema rejects; semantic checks are beyond any schema."""
    vocab = load_vocabulary(ROOT / VOCABULARY_FILE)
    national = load_national(ROOT / NATIONAL_FILE, vocab)
    try:
        load_ruleset_model(path, vocab, national)
    except SchemaError:
        assert errors("ruleset", load_file(path).data), "the model rejects this file but the schema accepts it"
    except SemanticError:
        assert errors("ruleset", load_file(path).data) == []
    else:
        pytest.fail("broken file accepted")
