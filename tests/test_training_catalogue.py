"""The step catalogue (thresholds steps, docs/steps.md) and the declared tags stay in step."""

from __future__ import annotations

import subprocess
import tomllib
from pathlib import Path

from service.training import phrasebook
from service.training.library import registry
from service.training.state import shared_runtime
from service.training.tags import TAGS

ROOT = Path(__file__).resolve().parents[1]
CLI = [str(ROOT / ".venv" / "bin" / "thresholds")]


def test_docs_steps_md_is_up_to_date() -> None:
    expected = phrasebook.to_markdown(registry(), shared_runtime().catalogue.vocabulary)
    actual = (ROOT / "docs" / "steps.md").read_text(encoding="utf-8")
    assert actual == expected, "docs/steps.md is stale: run `thresholds steps --markdown > docs/steps.md`"


def test_catalogue_lists_every_phrase_with_its_example_and_every_fact() -> None:
    md = phrasebook.to_markdown(registry(), shared_runtime().catalogue.vocabulary)
    for step in registry().steps():
        assert step.template in md and step.example in md
    for fact in shared_runtime().catalogue.vocabulary.facts:
        assert f"`{fact.id}`" in md


def test_thresholds_steps_command_prints_the_catalogue() -> None:
    out = subprocess.run([*CLI, "steps"], capture_output=True, text=True, timeout=120, check=True).stdout
    assert "Given a baby aged 4 months" in out.replace("e.g. ", "")
    assert "Then the suggested level is at least {level}" in out
    facts = subprocess.run([*CLI, "steps", "--facts"], capture_output=True, text=True, timeout=120, check=True).stdout
    assert "Going missing (missing_from_home): none | started" in facts


def test_feature_tags_are_declared_as_pytest_markers() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    markers = {m.split(":")[0].strip() for m in config["tool"]["pytest"]["ini_options"]["markers"]}
    assert set(TAGS) <= markers, f"declare in pyproject.toml: {sorted(set(TAGS) - markers)}"


def test_every_feature_tag_is_documented_in_training_md() -> None:
    text = (ROOT / "docs" / "training.md").read_text(encoding="utf-8")
    for tag in TAGS:
        assert f"@{tag}" in text
