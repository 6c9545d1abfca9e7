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


def test_synonyms_in_the_definitions_manual_find_their_fact() -> None:
    from engine.load.catalogue import bundled_root
    from service.training.phrasebook import synonyms_for

    cat = Catalogue.load()
    synonyms = synonyms_for(bundled_root())
    assert "cuts herself" in synonyms["self_harm"]
    # words only a synonym names: nothing without the manual's synonyms, the fact with them
    assert find_facts(cat.vocabulary, "she cuts herself") == []
    assert find_facts(cat.vocabulary, "she cuts herself", synonyms=synonyms)[0][0].id == "self_harm"
    assert find_facts(cat.vocabulary, "dad drinks every night", synonyms=synonyms)[0][0].id \
        == "parental_substance_misuse_impact"
    assert find_facts(cat.vocabulary, "the young person self-harms seriously", synonyms=synonyms)[0][0].id \
        == "self_harm"
    assert find_facts(cat.vocabulary, "the weather is nice", synonyms=synonyms) == []


def test_a_synonym_in_a_trainers_manual_is_used_and_shown(tmp_path: Path) -> None:
    """A copied ruleset folder whose manual gains a synonym: `steps --find` uses that folder's manual."""
    import shutil

    from engine.load.catalogue import bundled_root

    root = tmp_path / "rulesets"
    shutil.copytree(bundled_root() / "national", root / "national")
    shutil.copytree(bundled_root() / "england" / "kent", root / "england" / "kent")
    manual = root / "national" / "definitions.yaml"
    text = manual.read_text(encoding="utf-8")
    manual.write_text(text.replace("  bullying:\n", "  bullying:\n    synonyms: ['name-calling']\n", 1)
                      .replace("    synonyms: ['picked on', 'bullied']\n", "", 1), encoding="utf-8")
    found = subprocess.run([CLI, "--rulesets", str(root), "steps", "--find", "name-calling"], capture_output=True,
                           text=True, timeout=120)
    assert found.returncode == 0, found.stderr
    assert "Bullying (bullying)" in found.stdout and "also called: name-calling" in found.stdout
    unknown = subprocess.run([CLI, "steps", "--find", "name-calling"], capture_output=True, text=True, timeout=120,
                             check=True).stdout
    assert "No fact matches" in unknown


def test_an_unknown_step_suggests_a_fact_through_its_synonym() -> None:
    try:
        registry().match("given", "the girl cuts herself")
    except StepError as e:
        assert "did you mean the fact 'Self-harm'" in str(e)
    else:
        raise AssertionError("an unknown step must not match")
