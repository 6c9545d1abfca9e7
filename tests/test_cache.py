"""The validated-catalogue cache: reused when nothing changed, never used when stale or tampered with.

Real files, the real loader and the real cache folder (a temporary one per test); a cache hit is
proved by the loader not being called, and every result is compared with a fresh load.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from engine.errors import RulesetError
from engine.load import cache, loader
from engine.load.catalogue import Catalogue, LoadedRuleset, bundled_root

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    dest = tmp_path / "rulesets"
    shutil.copytree(MINI, dest, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return dest


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv("THRESHOLDS_CACHE", str(d))
    return d


class Counting:
    """Counts real loads of ruleset files (a cache hit does not load)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = loader.load_ruleset_model

        def counted(*a: object, **k: object) -> object:
            self.calls += 1
            return real(*a, **k)  # type: ignore[arg-type]

        monkeypatch.setattr(loader, "load_ruleset_model", counted)


def _entries(d: Path) -> list[Path]:
    return sorted(p for p in d.glob("*.json"))


def _same(a: Catalogue, b: Catalogue) -> None:
    assert [(r.key, r.sha256) for r in a.all()] == [(r.key, r.sha256) for r in b.all()]


def test_second_load_comes_from_the_cache_and_equals_a_fresh_load(root: Path, cache_dir: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    count = Counting(monkeypatch)
    first = Catalogue.load(root)
    n = count.calls
    assert n == len(first.all()) and _entries(cache_dir)
    second = Catalogue.load(root)
    assert count.calls == n  # nothing re-parsed
    _same(first, second)
    monkeypatch.setenv("THRESHOLDS_CACHE", "off")
    _same(first, Catalogue.load(root))
    assert count.calls == 2 * n


def test_a_changed_ruleset_file_is_reloaded_not_served_stale(root: Path, cache_dir: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    count = Counting(monkeypatch)
    before = Catalogue.load(root)
    target = sorted((root / "england").glob("*/*.yaml"))[0]
    target.write_text(target.read_text() + "\n# an edit\n")
    n = count.calls
    after = Catalogue.load(root)
    assert count.calls == n + 1  # exactly the changed file
    _same(before, after)  # a comment does not change the canonical form
    # a change that matters is seen
    text = target.read_text()
    target.write_text(text.replace("version:", "version: '9'\n  x-broken:", 1))
    with pytest.raises(RulesetError):
        Catalogue.load(root)


def test_a_changed_vocabulary_invalidates_every_ruleset(root: Path, cache_dir: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    count = Counting(monkeypatch)
    Catalogue.load(root)
    n = count.calls
    vocab = root / "national" / "vocabulary.yaml"
    vocab.write_text(vocab.read_text() + "\n# touched\n")
    Catalogue.load(root)
    assert count.calls == 2 * n


def test_a_tampered_entry_is_never_used(root: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    count = Counting(monkeypatch)
    fresh = Catalogue.load(root)
    n = count.calls
    # change a level label inside every cached ruleset entry, keeping valid JSON and the old tag
    tampered = 0
    for entry in _entries(cache_dir):
        tag, _, body = entry.read_bytes().partition(b"\n")
        doc = json.loads(body)
        if "levels" in doc:
            doc["levels"][0]["label"] = "TAMPERED"
            entry.write_bytes(tag + b"\n" + json.dumps(doc).encode())
            tampered += 1
    assert tampered == n
    again = Catalogue.load(root)
    assert count.calls == 2 * n  # every tampered entry was rejected and rebuilt from the files
    assert all(r.model.levels[0].label != "TAMPERED" for r in again.all())
    _same(fresh, again)


def test_an_entry_forged_with_another_key_is_never_used(root: Path, cache_dir: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    count = Counting(monkeypatch)
    Catalogue.load(root)
    n = count.calls
    (cache_dir / "hmac.key").write_bytes(os.urandom(32))  # entries were tagged with the old key
    Catalogue.load(root)
    assert count.calls == 2 * n


def test_a_cache_folder_others_can_write_is_not_used(root: Path, cache_dir: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    count = Counting(monkeypatch)
    Catalogue.load(root)
    n = count.calls
    cache_dir.chmod(0o777)
    Catalogue.load(root)
    assert count.calls == 2 * n
    cache_dir.chmod(0o700)
    (cache_dir / "hmac.key").chmod(0o644)
    Catalogue.load(root)
    assert count.calls == 3 * n


def test_only_loads_just_the_named_authority(root: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    everything = Catalogue.load(root)
    one = everything.ids()[0]
    count = Counting(monkeypatch)
    monkeypatch.setenv("THRESHOLDS_CACHE", "off")
    part = Catalogue.load(root, only=[one])
    assert part.ids() == [one] and count.calls == len(everything.versions(one))
    assert [r.sha256 for r in part.all()] == [r.sha256 for r in everything.versions(one)]
    with pytest.raises(Exception, match="unknown ruleset"):  # an unknown id still names the known ones
        Catalogue.load(root, only=["no-such-council"]).select("no-such-council")


def test_canonical_json_is_the_documented_form() -> None:
    r: LoadedRuleset = Catalogue.load(bundled_root(), only=["kent"]).all()[0]
    plain = json.dumps({
        "format": 1,
        "vocabulary": r.vocabulary.model_dump(mode="json", by_alias=True, exclude_none=True),
        "national": r.national.model_dump(mode="json", by_alias=True, exclude_none=True),
        "ruleset": r.model.model_dump(mode="json", by_alias=True, exclude_none=True),
    }, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert r.canonical_json() == plain


def test_cache_entries_are_json_not_code(root: Path, cache_dir: Path) -> None:
    Catalogue.load(root)
    for entry in _entries(cache_dir):
        tag, _, body = entry.read_bytes().partition(b"\n")
        assert len(tag) == 64 and isinstance(json.loads(body), dict)
        assert entry.stat().st_mode & 0o077 == 0
    assert cache.folder() == cache_dir


def test_validate_and_lint_report_a_file_broken_after_it_was_cached(root: Path, cache_dir: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    from service.cli import main

    assert main(["--rulesets", str(root), "validate", str(root)]) == 0
    assert main(["--rulesets", str(root), "lint", str(root / "england")]) == 0
    target = sorted((root / "england").glob("*/*.yaml"))[0]
    target.write_text(target.read_text().replace("levels:", "levelz:", 1))
    capsys.readouterr()
    assert main(["--rulesets", str(root), "validate", str(root)]) == 1
    assert f"{target}:" in capsys.readouterr().err
    assert main(["--rulesets", str(root), "lint", str(root / "england")]) == 1


class CountingParses:
    """Counts YAML parses by ``thresholds validate`` (a recorded pass does not parse)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from service.cli import validate

        self.calls = 0
        real = validate.load_file

        def counted(*a: object, **k: object) -> object:
            self.calls += 1
            return real(*a, **k)  # type: ignore[arg-type]

        monkeypatch.setattr(validate, "load_file", counted)


def test_validate_records_a_pass_and_never_trusts_it_after_a_change(root: Path, cache_dir: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    from service.cli import main, validate

    fidelity = root / "fidelity" / "kent.yaml"  # a kind with no cached model: only the pass record saves work
    fidelity.parent.mkdir()
    shutil.copy(bundled_root() / "fidelity" / "kent.yaml", fidelity)
    count = CountingParses(monkeypatch)
    assert main(["--rulesets", str(root), "validate", str(fidelity)]) == 0
    assert count.calls == 1
    assert main(["--rulesets", str(root), "validate", str(fidelity)]) == 0
    assert count.calls == 1  # the recorded pass: not parsed again
    (cache_dir / "hmac.key").write_bytes(os.urandom(32))  # every record now fails its tag
    assert main(["--rulesets", str(root), "validate", str(fidelity)]) == 0
    assert count.calls == 2
    checker = tmp_path / "checker.py"  # an edit to the checking code is a new key too
    checker.write_text("# v1\n")
    monkeypatch.setattr(validate, "_CHECKER_SOURCES", [*validate._CHECKER_SOURCES, checker])
    assert main(["--rulesets", str(root), "validate", str(fidelity)]) == 0
    assert count.calls == 3
    checker.write_text("# v2\n")
    assert main(["--rulesets", str(root), "validate", str(fidelity)]) == 0
    assert count.calls == 4
    fidelity.write_text(fidelity.read_text().replace("statements:", "statementz:", 1))
    capsys.readouterr()
    assert main(["--rulesets", str(root), "validate", str(fidelity)]) == 1
    assert f"{fidelity}:" in capsys.readouterr().err


def test_the_orphan_fact_report_is_reused_only_while_no_file_of_the_bundle_changed(
        root: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from service.cli import lint, main

    vocab = root / "national" / "vocabulary.yaml"
    vocab.write_text(vocab.read_text().replace(
        "    unit: months\n", "    unit: months\n    context_only: the age decides which questions apply\n", 1))
    calls: list[int] = []
    real = lint.orphan_facts
    monkeypatch.setattr(lint, "orphan_facts", lambda *a: calls.append(1) or real(*a))
    assert main(["--rulesets", str(root), "lint"]) == 0
    assert main(["--rulesets", str(root), "lint"]) == 0
    assert len(calls) == 1  # the second run used the stored report
    rules = root / "england" / "demo" / "1.yaml"  # now no rule reads young_carer
    rules.write_text(rules.read_text().replace("when: {fact: young_carer, is: true}",
                                               "when: {fact: poor_supervision, is: true}"))
    capsys.readouterr()
    assert main(["--rulesets", str(root), "lint"]) == 1
    assert len(calls) == 2
    out = capsys.readouterr().out
    assert "orphan fact 'young_carer'" in out and f"{vocab}:" in out
