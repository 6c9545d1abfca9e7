"""The single-statement fidelity checks under rulesets/fidelity/ pass on the real engine (both channels).

Each statement is one source sentence, the facts it states and the level the source gives; every
ruleset with indicators has at least one statement per level that has indicators.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import RulesetError
from engine.lint import fidelity
from tests.bundled import catalogue, live_evaluator

FOLDER = Path(__file__).resolve().parent.parent / "rulesets" / "fidelity"
FILES = sorted(FOLDER.glob("*.yaml"))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_every_statement_gets_the_level_the_source_gives(path: Path) -> None:
    results = fidelity.evaluate(path, catalogue(), live_evaluator())
    wrong = [f"{r.where}: {r.ruleset}: '{r.source}' should be {r.expected}, got {r.got} {r.reason or ''}"
             for r in results if not r.holds]
    assert not wrong, "\n".join(wrong)


def test_every_encoded_level_of_every_ruleset_has_a_statement() -> None:
    cat = catalogue()
    covered = {(f.authority, st.ruleset, st.level)
               for f in (fidelity.load(p, cat) for p in FILES) for st in f.statements}
    missing = [f"{r.key} {lv}" for r in cat.all() for lv in sorted({i.level for i in r.model.indicators})
               if (r.id, r.version, lv) not in covered]
    assert not missing, f"levels with indicators but no fidelity statement: {missing}"


def test_a_statement_for_an_unknown_version_is_a_located_error(tmp_path: Path) -> None:
    bad = tmp_path / "kent.yaml"
    bad.write_text("authority: kent\nstatements:\n  - ruleset: nope\n    source: x\n    cite: {section: s}\n"
                   "    facts: {missing_from_home: frequent}\n    level: L4\n", encoding="utf-8")
    with pytest.raises(RulesetError) as err:
        fidelity.load(bad, catalogue())
    (p,) = err.value.problems
    assert (p.line, p.column) == (3, 14) and "unknown version 'nope'" in p.message


def test_a_statement_that_the_engine_places_elsewhere_fails(tmp_path: Path) -> None:
    wrong = tmp_path / "kent.yaml"
    wrong.write_text("authority: kent\nstatements:\n  - ruleset: i-statements\n    source: Frequently missing.\n"
                     "    cite: {section: s}\n    facts: {missing_from_home: frequent}\n    level: L2\n",
                     encoding="utf-8")
    (r,) = fidelity.evaluate(wrong, catalogue(), live_evaluator())
    assert not r.holds and r.got == "L4"
