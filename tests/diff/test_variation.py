"""Variation matrix: agreement statistics, clustering, scenario banks and heatmap pictures."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PIL import Image

from engine.compare.scenarios import from_witnesses, parse_bank, random_bank
from engine.compare.variation import cluster_order, fleiss_kappa, ordinal_alpha, variation_matrix
from engine.compare.witness import witness_bank
from engine.errors import ReferralError
from engine.evaluate.bulk import BulkEvaluator
from engine.load.catalogue import Catalogue
from engine.model.outcome import Outcome
from engine.render.heatmap import agreement_heatmap, to_svg, write_pictures
from engine.render.variation_report import render, to_csv

# Fleiss (1971) as worked in the literature: 10 subjects, 14 raters, 5 categories, kappa 0.210.
FLEISS_COUNTS = [[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
                 [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]]


def test_fleiss_kappa_matches_the_published_example() -> None:
    rows = [[k for k, n in enumerate(counts) for _ in range(n)] for counts in FLEISS_COUNTS]
    kappa, per_item = fleiss_kappa(rows, categories=5)
    assert kappa is not None and round(kappa, 3) == 0.210
    assert round(per_item[0], 3) == 1.0 and round(per_item[1], 3) == 0.253


def test_kappa_undefined_when_every_answer_is_the_same() -> None:
    assert fleiss_kappa([[2, 2, 2], [2, 2, 2]])[0] is None


def test_clustering_keeps_identical_rulesets_together() -> None:
    agreement = [[1.0, 0.2, 0.9, 0.1], [0.2, 1.0, 0.3, 0.95], [0.9, 0.3, 1.0, 0.2], [0.1, 0.95, 0.2, 1.0]]
    order, merges = cluster_order(agreement, ["a", "b", "c", "d"])
    assert sorted(order) == [0, 1, 2, 3]
    pos = {k: order.index(k) for k in range(4)}
    assert abs(pos[0] - pos[2]) == 1 and abs(pos[1] - pos[3]) == 1
    assert merges[0].left == ["b"] and merges[0].right == ["d"] and merges[0].agreement == 0.95


def test_matrix_on_constructed_authorities(authorities: Catalogue, tmp_path: Path) -> None:
    rulesets = authorities.all()
    bulk = BulkEvaluator(rulesets)
    scenarios = from_witnesses(witness_bank(rulesets, bulk))
    m = variation_matrix(rulesets, scenarios, bulk)
    k = {key: i for i, key in enumerate(m.keys)}
    assert m.agreement[k["base@1"]][k["same@1"]] == 1.0
    assert m.agreement[k["base@1"]][k["threshold@1"]] < 1.0
    assert abs(m.order.index(k["base@1"]) - m.order.index(k["same@1"])) == 1
    assert m.kappa is not None and 0 < m.kappa < 1
    # the scenario where only the threshold authority answers child protection
    row = m.outcomes[m.scenario_ids.index(next(s.id for s in scenarios if s.facts == {"missing_from_home": "regular"}))]
    assert Outcome.child_protection.rank == row[k["threshold@1"]] > row[k["base@1"]]
    disputed = {d.concern for d in m.disputed if d.disagreeing}
    assert {"missing_from_home", "young_carer", "injury"} <= disputed
    assert "supervision" not in disputed
    written = write_pictures(m, tmp_path)
    assert sorted(p.name for p in written) == ["agreement.png", "agreement.svg", "concerns.png", "concerns.svg"]
    svg = ET.fromstring((tmp_path / "agreement.svg").read_text())
    assert svg.find("{http://www.w3.org/2000/svg}title") is not None
    assert len([r for r in svg.iter("{http://www.w3.org/2000/svg}rect") if r.get("width") == "46"]) == 25
    with Image.open(tmp_path / "agreement.png") as img:
        assert img.format == "PNG" and img.width > 300 and img.height > 300
    assert to_csv(m).splitlines()[0] == "scenario,concern," + ",".join(m.keys)
    html = render(m, "html")
    assert '<img src="agreement.svg"' in html and "Fleiss" in html and "Krippendorff" in html
    assert m.left_out == [] and all(m.counted) and m.alpha is not None


def test_agreement_picture_is_in_cluster_order(authorities: Catalogue) -> None:
    rulesets = authorities.all()
    m = variation_matrix(rulesets, random_bank(authorities.vocabulary, 300, seed=3))
    h = agreement_heatmap(m)
    assert h.rows == [m.names[i] for i in m.order]
    assert "Pairwise agreement over 300 scenarios" in to_svg(h)


def test_scenario_bank_errors_name_the_json_pointer(authorities: Catalogue) -> None:
    vocab = authorities.vocabulary
    good = parse_bank({"scenarios": [{"facts": {"young_carer": True}, "id": "yc"}]}, vocab)
    assert good[0].id == "yc" and good[0].concern == "young_carer"
    with pytest.raises(ReferralError) as e:
        parse_bank([{"facts": {"young_carer": True}}, {"facts": {"young_carr": True}}, {"fact": {}}], vocab)
    text = str(e.value)
    assert "/1/facts/young_carr" in text and "did you mean 'young_carer'" in text and "/2:" in text
    with pytest.raises(ReferralError, match="empty"):
        parse_bank([], vocab)


# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C: 4 observers x 12 units,
# values 1-5 (here ranks 0-4), None = no value. Published: nominal 0.743, ordinal 0.815, interval 0.849.
_ = None
KRIPPENDORFF_C = [[1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
                  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
                  [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
                  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _]]


def test_ordinal_alpha_matches_the_published_example() -> None:
    units = [[None if v is None else v - 1 for v in unit] for unit in zip(*KRIPPENDORFF_C, strict=True)]
    alpha = ordinal_alpha(units, categories=5)
    assert alpha is not None and round(alpha, 3) == 0.815
    assert ordinal_alpha([[2, 2, 2], [2, 2, 2]]) is None  # one value only: undefined


def test_ordinal_alpha_counts_distance_on_the_scale() -> None:
    near = [[0, 1], [2, 3], [4, 5], [1, 1], [3, 3]]
    far = [[0, 5], [2, 3], [4, 5], [1, 1], [3, 3]]
    a_near, a_far = ordinal_alpha(near), ordinal_alpha(far)
    assert a_near is not None and a_far is not None and a_far < a_near


@pytest.fixture(scope="module")
def bundled() -> Catalogue:
    return Catalogue.load()


def test_sparse_rulesets_are_left_out_of_the_figures_unless_included(bundled: Catalogue) -> None:
    rulesets = [bundled.get(rid) for rid in ("kent", "hampshire", "bristol", "surrey", "dudley")]
    assert [len(r.model.indicators) for r in rulesets][3:] == [0, 0]
    bulk = BulkEvaluator(rulesets)
    scenarios = from_witnesses(witness_bank(rulesets, bulk))
    m = variation_matrix(rulesets, scenarios, bulk)
    assert m.sparse == [False, False, False, True, True] and m.counted == [True, True, True, False, False]
    assert m.left_out == [m.names[3], m.names[4]] and "Surrey" in m.coverage_note
    counted_rows = [row[:3] for row in m.outcomes]
    kappa, _ = fleiss_kappa(counted_rows)
    alpha = ordinal_alpha(counted_rows)
    assert kappa is not None and alpha is not None
    assert m.kappa == round(kappa, 4) and m.alpha == round(alpha, 4)
    assert m.mean_agreement == pytest.approx((m.agreement[0][1] + m.agreement[0][2] + m.agreement[1][2]) / 3, abs=2e-4)
    assert m.unanimous == sum(1 for row in counted_rows if len(set(row)) == 1)
    # the two sparse rulesets still appear, marked, in the pictures and the report
    h = agreement_heatmap(m)
    assert sum(1 for r in h.rows if r.endswith("(sparse, left out)")) == 2
    report = render(m, "md")
    assert "Left out of the agreement figures" in report and "Krippendorff's alpha (ordinal)" in report
    both = variation_matrix(rulesets, scenarios, bulk, include_sparse=True)
    assert all(both.counted) and both.left_out == [] and "included on request" in both.coverage_note
    assert sum(1 for r in agreement_heatmap(both).rows if r.endswith("(sparse)")) == 2
    # the sparse pair agree on everything, so counting them raises the mean agreement
    assert both.agreement[3][4] == 1.0 and both.mean_agreement != m.mean_agreement
    stricter = variation_matrix(rulesets, scenarios, bulk, min_indicators=20)
    assert stricter.sparse == [False, False, True, True, True]
    assert stricter.counted == [True, True, False, False, False]
