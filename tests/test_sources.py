"""Source accounting: every item of each bundled ruleset's source notes is accounted for.

The accounts (``rulesets/england/<authority>/sources/<version>.yaml``) are checked against their
rulesets on the real loader; a phrase the ruleset's coverage notes quote must be an item of the
account (so nothing mentioned as left out is left out silently); a broken account is rejected
with file:line:column; ``thresholds coverage`` prints every item and the share encoded.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from engine.errors import RulesetError
from engine.load.catalogue import Catalogue
from engine.load.sources import account_for, account_path, load_account
from service.cli import main
from tests.bundled import catalogue, keys

REPO = Path(__file__).resolve().parent.parent
QUOTED = re.compile(r'"([^"]{3,})"')


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^a-z0-9%]+", " ", text.lower()).split())


@pytest.mark.parametrize("key", keys())
def test_every_ruleset_has_a_valid_account(key: str) -> None:
    cat = catalogue()
    rid, version = key.split("@")
    loaded = cat.select(rid, version=version)
    result = account_for(loaded, cat.versions(rid))
    assert result is not None, f"{key}: no account at {account_path(loaded)}"
    assert result.encoded == len({i for item in result.items for i in item.encoded})
    assert {i.id for i in loaded.model.indicators} == {i for item in result.items for i in item.encoded}


@pytest.mark.parametrize("key", keys())
def test_every_phrase_the_notes_quote_is_an_item(key: str) -> None:
    """A phrase quoted in coverage.notes (an item mentioned as seen, truncated or left out) is listed."""
    cat = catalogue()
    rid, version = key.split("@")
    loaded = cat.select(rid, version=version)
    result = account_for(loaded, cat.versions(rid))
    assert result is not None
    m = loaded.model
    listed = _words(" ".join(f"{i.says} {i.detail or ''}" for i in result.items))
    # Headings, dates and level rules are quoted too: the account declares them (sources.not_items).
    account = load_account(account_path(loaded), loaded, None if not m.ruleset.supersedes
                           else cat.select(rid, m.ruleset.supersedes))
    declared = {_words(p) for p in account.sources.not_items}
    missing = [p for p in QUOTED.findall(m.ruleset.coverage.notes)
               if _words(p) not in listed and _words(p) not in declared]
    assert not missing, f"{key}: coverage.notes quotes items the account does not list: {missing}"


def test_every_account_validates_against_the_committed_schema() -> None:
    from jsonschema import Draft202012Validator

    from engine.load.yamlfile import load_file

    schema = json.loads((REPO / "rulesets" / "schema" / "sources.schema.json").read_text(encoding="utf-8"))
    validator = Draft202012Validator(schema)
    files = sorted((REPO / "rulesets" / "england").glob("*/sources/*.yaml"))
    assert len(files) == len(keys())
    for f in files:
        assert not list(validator.iter_errors(load_file(f).data)), f


def test_validate_and_lint_on_a_folder_accept_the_accounts(capsys: pytest.CaptureFixture[str]) -> None:
    folder = REPO / "rulesets" / "england" / "kent"
    assert main(["validate", str(folder)]) == 0
    assert main(["lint", str(folder)]) == 0
    out = capsys.readouterr().out
    assert ": error" not in out and "sources/i-statements.yaml" in out


def _copy_kent(tmp_path: Path) -> tuple[Catalogue, Path]:
    root = tmp_path / "rulesets"
    shutil.copytree(REPO / "rulesets", root)
    for other in (root / "england").iterdir():
        if other.name != "kent":
            shutil.rmtree(other)
    return Catalogue.load(root), root / "england" / "kent" / "sources" / "i-statements.yaml"


def test_a_broken_account_is_rejected_with_positions(tmp_path: Path) -> None:
    cat, path = _copy_kent(tmp_path)
    text = path.read_text(encoding="utf-8")
    text = text.replace("encoded: [kent-l2-young-carer]", "encoded: [kent-l2-young-carers]", 1)
    text = text.replace("previous: [kent-l4-adult-posing-risk]", "previous: []", 1)
    path.write_text(text, encoding="utf-8")
    loaded = cat.select("kent", "i-statements")
    with pytest.raises(RulesetError) as err:
        load_account(path, loaded, cat.select("kent", "kscb-third-person"))
    messages = [str(p) for p in err.value.problems]
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "kent-l2-young-carers" in t)
    assert any(m.startswith(f"{path}:{line}:") and "unknown indicator 'kent-l2-young-carers'" in m
               and "did you mean" in m for m in messages), messages
    assert any("indicator 'kent-l2-young-carer' encodes no listed item" in m for m in messages), messages
    assert any("'kent-l4-adult-posing-risk' of the superseded version kent@kscb-third-person" in m
               for m in messages), messages


def test_an_item_without_status_is_rejected(tmp_path: Path) -> None:
    cat, path = _copy_kent(tmp_path)
    path.write_text(path.read_text(encoding="utf-8") + "  - {id: invented, level: L9, says: x}\n", encoding="utf-8")
    with pytest.raises(RulesetError) as err:
        load_account(path, cat.select("kent", "i-statements"), cat.select("kent", "kscb-third-person"))
    messages = " | ".join(str(p) for p in err.value.problems)
    assert "unknown level 'L9'" in messages and "item 'invented' has no status" in messages


def test_coverage_kent_lists_every_item_with_its_status(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", "kent@i-statements"]) == 0
    out = capsys.readouterr().out
    cat = catalogue()
    loaded = cat.select("kent", "i-statements")
    result = account_for(loaded, cat.versions("kent"))
    assert result is not None
    for item in result.items:
        assert f"[{item.id}]" in out
    assert "older-l4-adult-posing-risk" in out and "text truncated in the source" in out
    assert f"{result.encoded} of {result.total} source items encoded ({result.percentage}%)" in out
    assert main(["coverage", "kent@i-statements", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["total"] == len(data["items"]) == result.total


def test_coverage_of_an_unknown_ruleset_is_a_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["coverage", "kentt"]) == 1
    assert "unknown ruleset 'kentt'" in capsys.readouterr().err
