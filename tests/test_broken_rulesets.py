"""The broken-ruleset battery: every deliberately broken file is rejected at its line.

Each file in tests/broken/ is tests/fixtures/broken-base.yaml (a valid ruleset, checked
below) with one defect, and says on its first line what the error must name::

    # expect line 56: unknown fact 'mising_from_home' | did you mean 'missing_from_home'

The words between ``|`` must all appear (case-insensitively) in one reported problem, and that
problem must name the file and the line. Files are checked against the bundled vocabulary and
national safety module, as a ruleset author's files are. Adding a case needs no Python.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from engine.errors import RulesetError
from engine.load.catalogue import NATIONAL_FILE, VOCABULARY_FILE, bundled_root
from engine.load.loader import load_national, load_ruleset_model, load_vocabulary
from engine.model.ruleset import NationalModule
from engine.model.vocabulary import Vocabulary

HERE = Path(__file__).parent
BROKEN = sorted((HERE / "broken").glob("*.yaml"))
BASE = HERE / "fixtures" / "broken-base.yaml"
EXPECT = re.compile(rb"^# expect line (\d+): (.+)$")


@cache
def bundled() -> tuple[Vocabulary, NationalModule]:
    root = bundled_root()
    vocab = load_vocabulary(root / VOCABULARY_FILE)
    return vocab, load_national(root / NATIONAL_FILE, vocab)


def expectation(path: Path) -> tuple[int, list[str]]:
    first = path.read_bytes().split(b"\n", 1)[0]
    m = EXPECT.match(first)
    assert m, f"{path.name}: first line must be '# expect line N: words | words'"
    return int(m.group(1)), [w.strip() for w in m.group(2).decode("ascii").split("|")]


def test_the_battery_has_at_least_30_files() -> None:
    assert len(BROKEN) >= 30


def test_the_base_file_is_valid_so_each_failure_is_its_own_defect() -> None:
    vocab, national = bundled()
    model = load_ruleset_model(BASE, vocab, national)
    assert model.ruleset.id == "broken"


@pytest.mark.parametrize("path", BROKEN, ids=[p.stem for p in BROKEN])
def test_broken_file_is_rejected_at_its_line(path: Path) -> None:
    line, words = expectation(path)
    vocab, national = bundled()
    with pytest.raises(RulesetError) as info:
        load_ruleset_model(path, vocab, national)
    problems = info.value.problems
    assert all(p.file == str(path) for p in problems)
    at_line = [p for p in problems if p.line == line]
    assert at_line, f"no problem on line {line}; got: " + "; ".join(str(p) for p in problems)
    # words are read from the problem as rendered: its message and its "did you mean" suggestions
    matching = [p for p in at_line if all(w.lower() in str(p).lower() for w in words)]
    assert matching, f"line {line} problems lack {words}: " + "; ".join(str(p) for p in at_line)
    # the rendered error is 'file:line:column: message', as the CLI prints it
    assert str(matching[0]).startswith(f"{path}:{line}:")
    assert matching[0].column >= 1
