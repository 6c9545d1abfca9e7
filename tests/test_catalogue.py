"""The catalogue: versions found by id, version or date; all-or-nothing loading; sha256."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from engine.errors import RulesetError, UnknownRulesetError
from engine.load.catalogue import Catalogue

MINI = Path(__file__).parent / "fixtures" / "mini"


@pytest.fixture()
def two_versions(tmp_path: Path) -> Path:
    """The mini catalogue with demo version 1 (2020-2024) and version 2 (from 2025)."""
    root = tmp_path / "rulesets"
    shutil.copytree(MINI, root)
    v1 = root / "england" / "demo" / "1.yaml"
    text = v1.read_text()
    v1.write_text(text.replace('effective_from: "2020-01-01"',
                               'effective_from: "2020-01-01"\n  effective_to: "2024-12-31"'))
    (root / "england" / "demo" / "2.yaml").write_text(
        text.replace('version: "1"', 'version: "2"').replace('"2020-01-01"', '"2025-01-01"')
        .replace("label: Intensive,", "label: Intensive support,"))
    return root


def test_loads_the_mini_catalogue() -> None:
    cat = Catalogue.load(MINI)
    assert cat.ids() == ["demo"]
    loaded = cat.select("demo")
    assert loaded.key == "demo@1" and len(loaded.sha256) == 64
    assert [r.id for r in loaded.rules] == [
        "missing-occasional", "missing-frequent", "young-carer", "poor-supervision",
        "immediate-danger", "non-mobile-injury"]  # indicators, then national overrides
    assert [origin for _, origin in loaded.overrides] == ["national", "national"]


def test_version_and_as_of_selection(two_versions: Path) -> None:
    cat = Catalogue.load(two_versions)
    assert [r.version for r in cat.versions("demo")] == ["1", "2"]
    assert cat.select("demo", version="1").version == "1"
    assert cat.select("demo", as_of=dt.date(2024, 12, 31)).version == "1"
    assert cat.select("demo", as_of=dt.date(2025, 1, 1)).version == "2"
    assert cat.select("demo").version == "2"  # today
    assert [r.version for r in cat.current()] == ["2"]
    assert len(cat.all()) == 2


def test_no_version_in_force_names_the_versions(two_versions: Path) -> None:
    cat = Catalogue.load(two_versions)
    with pytest.raises(UnknownRulesetError) as info:
        cat.select("demo", as_of=dt.date(2019, 6, 1))
    assert str(info.value) == ("no version of 'demo' was in force on 2019-06-01; versions: "
                               "1 (2020-01-01 to 2024-12-31), 2 (2025-01-01 to now)")


def test_unknown_ids_and_versions_get_suggestions(two_versions: Path) -> None:
    cat = Catalogue.load(two_versions)
    with pytest.raises(UnknownRulesetError, match=r"unknown ruleset 'dmeo'; known: demo \(did you mean 'demo'\?\)$") \
            as info:
        cat.select("dmeo")
    assert info.value.suggestions == ("demo",)  # the suggestion is data; the text renders it
    with pytest.raises(UnknownRulesetError, match=r"has no version '3'; versions: 1, 2"):
        cat.select("demo", version="3")


def test_sha256_identifies_content_not_layout(two_versions: Path) -> None:
    cat = Catalogue.load(two_versions)
    v1, v2 = cat.select("demo", version="1"), cat.select("demo", version="2")
    assert v1.sha256 != v2.sha256
    path = two_versions / "england" / "demo" / "1.yaml"
    path.write_text("# a comment changes nothing that decides a result\n" + path.read_text())
    again = Catalogue.load(two_versions)
    assert again.select("demo", version="1").sha256 == v1.sha256
    assert again.by_sha(v2.sha256) is not None and again.by_sha("0" * 64) is None


def test_id_and_version_must_match_the_path(two_versions: Path) -> None:
    shutil.copy(two_versions / "england" / "demo" / "2.yaml", two_versions / "england" / "demo" / "3.yaml")
    with pytest.raises(RulesetError) as info:
        Catalogue.load(two_versions)
    (p,) = info.value.problems
    assert p.file.endswith("demo/3.yaml") and "'demo@2' must match its path 'demo/3.yaml'" in p.message


def test_every_broken_file_is_reported_together(two_versions: Path) -> None:
    d = two_versions / "england" / "demo"
    (d / "1.yaml").write_text((d / "1.yaml").read_text().replace("fact: young_carer", "fact: young_carr"))
    (d / "2.yaml").write_text((d / "2.yaml").read_text().replace("of_level: L2", "of_level: L9"))
    with pytest.raises(RulesetError) as info:
        Catalogue.load(two_versions)
    msgs = [f"{Path(p.file).name}: {p.message}" for p in info.value.problems]
    assert any(m.startswith("1.yaml: unknown fact 'young_carr'") for m in msgs)
    assert any(m.startswith("2.yaml: unknown level 'L9'") for m in msgs)


def test_an_empty_catalogue_is_an_error(tmp_path: Path) -> None:
    shutil.copytree(MINI / "national", tmp_path / "national")
    with pytest.raises(RulesetError, match="no ruleset files found"):
        Catalogue.load(tmp_path)


def test_in_force_bounds_are_inclusive(two_versions: Path) -> None:
    v1 = Catalogue.load(two_versions).select("demo", version="1")
    assert v1.in_force(dt.date(2020, 1, 1)) and v1.in_force(dt.date(2024, 12, 31))
    assert not v1.in_force(dt.date(2019, 12, 31)) and not v1.in_force(dt.date(2025, 1, 1))
