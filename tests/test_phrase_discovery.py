"""Finding a phrase without reading regex: examples first, and facts found by the words a trainer uses."""

from __future__ import annotations

import subprocess
from pathlib import Path

from engine.load.catalogue import Catalogue
from service.training.library import registry
from service.training.phrasebook import find_facts
from service.training.registry import StepError

ROOT = Path(__file__).resolve().parents[1]
CLI = str(ROOT / ".venv" / "bin" / "thresholds")


def test_words_find_the_fact_they_name() -> None:
    vocab = Catalogue.load().vocabulary
    assert find_facts(vocab, "the young person self-harms seriously")[0][0].id == "self_harm"
    assert find_facts(vocab, "keeps going missing from home")[0][0].id == "missing_from_home"
    assert find_facts(vocab, "she looks after her mum, a young carer")[0][0].id == "young_carer"
    assert find_facts(vocab, "the weather is nice") == []


def test_an_unknown_step_suggests_the_fact_not_unrelated_phrases() -> None:
    try:
        registry().match("given", "the young person self-harms seriously")
    except StepError as e:
        message = str(e)
    else:
        raise AssertionError("an unknown step must not match")
    assert "did you mean the fact 'Self-harm'" in message and "Self-harm is" in message
    assert "homeless" not in message


def test_steps_lists_examples_first_and_finds_facts() -> None:
    out = subprocess.run([CLI, "steps"], capture_output=True, text=True, timeout=120, check=True).stdout
    lines = out.splitlines()
    i = lines.index("  Given a baby aged 4 months")
    assert lines[i + 1].strip().startswith("The child's age in completed months")
    assert lines[i + 2].strip().startswith("(pattern: ")
    found = subprocess.run([CLI, "steps", "--find", "self-harms"], capture_output=True, text=True, timeout=120,
                           check=True).stdout
    assert "Self-harm (self_harm)" in found and "write: Given Self-harm is" in found
