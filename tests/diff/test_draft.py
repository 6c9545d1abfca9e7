"""Draft rulesets (``status: draft``): never in force, never offered for triage, named only on purpose."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from engine.errors import UnknownRulesetError
from engine.load.catalogue import Catalogue
from tests.diff.conftest import FIXTURES


def _with_draft(tmp_path: Path, effective_from: str = "2025-01-01", only_draft: bool = False) -> Catalogue:
    root = tmp_path / "rulesets"
    shutil.copytree(FIXTURES / "versions", root)
    text = (root / "england" / "demo" / "2.yaml").read_text()
    draft = text.replace('version: "2"', 'version: "3"\n  status: draft\n  supersedes: "2"').replace(
        'effective_from: "2024-01-01"', f'effective_from: "{effective_from}"')
    assert "status: draft" in draft
    if only_draft:
        other = root / "england" / "newcomer"
        other.mkdir()
        (other / "3.yaml").write_text(draft.replace("id: demo", "id: newcomer").replace('  supersedes: "2"\n', ""))
    else:
        (root / "england" / "demo" / "3.yaml").write_text(draft)
    return Catalogue.load(root)


def test_a_draft_is_never_in_force_and_only_named_on_purpose(tmp_path: Path) -> None:
    cat = _with_draft(tmp_path)
    assert [r.version for r in cat.versions("demo")] == ["1", "2", "3"]
    assert cat.get("demo").version == "2"  # the draft would otherwise be in force since 2025
    assert [r.key for r in cat.current()] == ["demo@2"]
    with pytest.raises(UnknownRulesetError, match="is a draft"):
        cat.get("demo", version="3")
    draft = cat.get("demo", version="3", drafts=True)
    assert draft.draft and draft.start is not None and not draft.in_force(draft.start)


def test_an_authority_with_only_a_draft_is_not_offered(tmp_path: Path) -> None:
    cat = _with_draft(tmp_path, only_draft=True)
    assert cat.ids() == ["demo"] and "newcomer" not in [r.id for r in cat.current()]
    with pytest.raises(UnknownRulesetError, match="only draft versions"):
        cat.get("newcomer")


def _draft_text(tmp_path: Path) -> str:
    text = (FIXTURES / "versions" / "england" / "demo" / "2.yaml").read_text()
    draft = text.replace('version: "2"', 'version: "3"\n  status: draft\n  supersedes: "2"')
    return draft.replace("    level: L4\n", "    level: L3\n", 1)  # frequently missing: specialist -> intensive


def test_diff_draft_compares_with_the_version_in_force_without_going_live(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from service.cli import main

    vers = str(FIXTURES / "versions")
    draft = tmp_path / "draft.yaml"
    draft.write_text(_draft_text(tmp_path))
    assert main(["--rulesets", vers, "diff", "--draft", str(draft), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["structural"]["a"]["version"] == "2" and out["structural"]["b"]["version"] == "3"
    assert out["semantic"]["differing"] > 0
    assert [r.version for r in Catalogue.load(vers).versions("demo")] == ["1", "2"]  # nothing went live
    bad = tmp_path / "bad.yaml"
    bad.write_text(_draft_text(tmp_path).replace("    level: L3\n", "    level: L9\n", 1))
    assert main(["--rulesets", vers, "diff", "--draft", str(bad)]) == 1
    err = capsys.readouterr().err
    assert f"{bad}:" in err and "L9" in err and "thresholds-draft-" not in err
    live = tmp_path / "live.yaml"
    live.write_text(_draft_text(tmp_path).replace("  status: draft\n", ""))
    assert main(["--rulesets", vers, "diff", "--draft", str(live)]) == 1
    assert f"{live}:3:3: a draft must say 'status: draft'" in capsys.readouterr().err
    assert main(["--rulesets", vers, "diff", "--draft", str(draft), "demo"]) == 1
    assert "give no A or B" in capsys.readouterr().err


def test_diff_draft_replays_recorded_referrals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from service.cli import main

    vers = str(FIXTURES / "versions")
    draft = tmp_path / "draft.yaml"
    draft.write_text(_draft_text(tmp_path))
    bank = tmp_path / "recorded.json"  # the shape `thresholds records export` writes
    bank.write_text(json.dumps([{"id": "r1", "concern": "missing_from_home",
                                 "facts": {"missing_from_home": "frequent"}},
                                {"id": "r2", "concern": "missing_from_home",
                                 "facts": {"missing_from_home": "occasional"}},
                                {"id": "r3", "concern": "young_carer", "facts": {"young_carer": True}}]))
    assert main(["--rulesets", vers, "diff", "--draft", str(draft), "--records", str(bank), "--json"]) == 0
    rec = json.loads(capsys.readouterr().out)["recorded"]
    assert rec["referrals"] == 3 and rec["up"] == 0 and rec["down"] == 1
    by = {m["key"]: m for m in rec["by_concern"]}
    assert by["missing_from_home"] == {"key": "missing_from_home", "referrals": 2, "up": 0, "down": 1}
    assert by["young_carer"]["down"] == 0
    assert [(m["referrals"], m["down"]) for m in rec["by_outcome"]] == [(2, 0), (1, 1)]
    assert rec["by_outcome"][1]["key"].startswith("Child protection")
    assert main(["--rulesets", vers, "diff", "--draft", str(draft), "--records", str(bank)]) == 0
    assert "3 recorded referral(s): 0 would move up, 1 would move down." in capsys.readouterr().out
