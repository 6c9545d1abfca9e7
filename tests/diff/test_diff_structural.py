"""Structural diff on constructed pairs whose differences are known exactly."""

from __future__ import annotations

from engine.compare.structural import structural_diff
from engine.load.catalogue import Catalogue
from engine.model.outcome import Outcome


def _changes(d):  # type: ignore[no-untyped-def]
    return [(g.concern, c.kinds) for g in d.concerns for c in g.changes]


def test_identical_rulesets_report_nothing(authorities: Catalogue) -> None:
    base = authorities.select("base")
    for other in (base, authorities.select("same")):
        d = structural_diff(base, other)
        assert d.empty
        assert d.concerns == [] and d.combinations == [] and d.overrides == [] and d.level_changes == []
        assert not any(r.differs for r in d.levels)


def test_added_indicator_is_only_in_b_under_its_vocabulary_concern(authorities: Catalogue) -> None:
    d = structural_diff(authorities.select("base"), authorities.select("added"))
    assert _changes(d) == [("injury", ["only_b"])]
    change = d.concerns[0].changes[0]
    assert change.a is None and change.b is not None
    assert change.b.id == "bruise-seen" and change.b.level.outcome is Outcome.early_help_multi_agency
    # the reverse direction reports it as only in a
    reverse = structural_diff(authorities.select("added"), authorities.select("base"))
    assert _changes(reverse) == [("injury", ["only_a"])]


def test_moved_level_reports_both_canonical_outcomes(authorities: Catalogue) -> None:
    d = structural_diff(authorities.select("base"), authorities.select("moved"))
    assert _changes(d) == [("young_carer", ["outcome"])]
    c = d.concerns[0].changes[0]
    assert c.a is not None and c.b is not None
    assert (c.a.level.id, c.b.level.id) == ("L2", "L3")
    assert c.size == 1
    assert "early help (single agency) in Base Council" in c.summary
    assert "early help (multi-agency) in Moved Council" in c.summary


def test_changed_qualifier_threshold_is_a_threshold_change(authorities: Catalogue) -> None:
    d = structural_diff(authorities.select("base"), authorities.select("threshold"))
    assert _changes(d) == [("missing_from_home", ["threshold"])]
    c = d.concerns[0].changes[0]
    assert c.a is not None and c.b is not None
    assert "frequently" in c.a.condition and "regularly" in c.b.condition
    assert c.a.level.outcome == c.b.level.outcome  # same level, only the qualifier moved


def test_citation_only_change_between_versions(versions: Catalogue) -> None:
    d = structural_diff(versions.select("demo", version="1"), versions.select("demo", version="2"))
    assert d.same_authority
    assert _changes(d) == [("young_carer", ["citation"])]
    assert "page 7" in d.concerns[0].changes[0].summary
    assert {f.field for f in d.metadata} == {"effective from", "effective to"}
    assert d.level_changes == [] and d.combinations == []


def test_level_rows_sit_on_the_canonical_scale(authorities: Catalogue) -> None:
    d = structural_diff(authorities.select("base"), authorities.select("same"))
    assert [r.outcome for r in d.levels] == [Outcome.universal, Outcome.early_help_single_agency,
                                             Outcome.early_help_multi_agency, Outcome.child_protection]
    assert [[lv.id for lv in r.a] for r in d.levels] == [["L1"], ["L2"], ["L3"], ["L4"]]


def test_renamed_indicator_between_versions_is_matched_by_its_condition(versions: Catalogue) -> None:
    from engine.load.catalogue import LoadedRuleset

    v1 = versions.select("demo", version="1")
    model = v1.model
    indicators = [i.model_copy(update={"id": "carer"}) if i.id == "young-carer" else i for i in model.indicators]
    info = model.ruleset.model_copy(update={"version": "1b"})
    renamed = LoadedRuleset(model.model_copy(update={"indicators": indicators, "ruleset": info}), v1.national,
                            v1.vocabulary, "memory")
    d = structural_diff(v1, renamed)
    assert _changes(d) == [("young_carer", ["renamed"])]
    assert "indicator id young-carer became carer" in d.concerns[0].changes[0].summary
