"""``thresholds agreement``: the statistics against published worked examples, and the command on a sample.

Reference values:
- Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", example C (4 coders, 12 units,
  missing values): nominal alpha = 0.743.
- Gwet, Handbook of Inter-Rater Reliability (4th ed.), the same 4-rater, 12-unit data set as used in
  the irrCAC documentation (``irrCAC.datasets.raw_4raters``): Gwet's AC1 = 0.7754, Fleiss' kappa = 0.7612.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from service.training.agreement import gwet_and_fleiss, krippendorff_alpha, percent_agreement

ROOT = Path(__file__).resolve().parents[1]
CLI = str(ROOT / ".venv" / "bin" / "thresholds")
SAMPLE = ROOT / "docs" / "examples" / "agreement"

# Krippendorff (2011), example C: rows are coders A-D, columns units 1-12; None = no value.
_ = None
KRIPPENDORFF_C: list[list[int | None]] = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
    [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
]


def _as_text(data: list[list[int | None]]) -> list[list[str | None]]:
    return [[None if v is None else str(v) for v in row] for row in data]


def test_krippendorff_alpha_matches_the_published_example() -> None:
    assert krippendorff_alpha(_as_text(KRIPPENDORFF_C)) == pytest.approx(0.743, abs=5e-4)


def test_gwet_ac1_and_fleiss_kappa_match_the_published_example() -> None:
    # irrCAC's raw_4raters is Krippendorff's example with the coders' values; unit 12 is coded by one rater
    # only in Gwet's version (rater 3), which is what the published AC1 and kappa are computed on.
    gwet = [[1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, _],
            [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, 3],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _]]
    ac1, kappa = gwet_and_fleiss(_as_text(gwet))
    assert ac1 == pytest.approx(0.7754, abs=5e-5)
    assert kappa == pytest.approx(0.7612, abs=5e-5)
    assert krippendorff_alpha(_as_text(gwet)) == pytest.approx(0.7434, abs=5e-5)


def test_no_variation_has_no_alpha_and_percent_agreement_counts_pairs() -> None:
    assert krippendorff_alpha([["a", "a"], ["a", "a"]]) is None
    assert percent_agreement(["a", "a", "b"]) == pytest.approx(1 / 3)
    assert percent_agreement(["a", "a"]) == 1.0


def test_agreement_on_five_trainees_ranks_the_weakest_facts(tmp_path: Path) -> None:
    codings = sorted(str(p) for p in SAMPLE.glob("trainee-*.json"))
    assert len(codings) == 5
    out = tmp_path / "agreement.json"
    run = subprocess.run([CLI, "agreement", str(SAMPLE / "vignettes.yaml"), *codings, "--json", str(out)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    text = run.stdout
    assert "Agreement of 5 trainees (A, B, C, D, E) on 3 vignettes." in text
    assert "Krippendorff's alpha (ordinal)" in text and "Gwet's AC1" in text and "Fleiss' kappa" in text
    weakest = text.split("Facts with the lowest agreement")[1]
    assert weakest.index("(school_absence)") < weakest.index("(missing_from_home)") < weakest.index("(young_carer)")
    assert "explains 2 of 3 outcome disagreements" in weakest  # missing_from_home's share of the disagreement
    assert "definition: Does the child go missing from home, care or school, and how often?" in weakest
    assert "Does not count: The referral says nothing about it" in weakest
    report = json.loads(out.read_text(encoding="utf-8"))
    by_fact = {f["fact"]: f for f in report["facts"]}
    assert by_fact["missing_from_home"]["alpha"] == pytest.approx(0.466, abs=1e-3)
    going = next(r for r in report["outcomes"] if r["vignette"] == "going-missing")
    assert going["outcomes"][2] == "child_protection" and going["modal"] == "early_help_multi_agency"


def test_bad_codings_and_vignettes_are_located(tmp_path: Path) -> None:
    a = tmp_path / "a.json"
    a.write_text(json.dumps({"trainee": "A", "codings": {"cutting": {"self_harms": "escalating"}}}), encoding="utf-8")
    b = tmp_path / "b.json"
    b.write_text(json.dumps({"trainee": "B", "codings": {}}), encoding="utf-8")
    run = subprocess.run([CLI, "agreement", str(SAMPLE / "vignettes.yaml"), str(a), str(b)],
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 1 and "coding of A: /codings/cutting/self_harms: unknown fact 'self_harms'" in run.stderr
    v = tmp_path / "v.yaml"
    v.write_text("vignettes:\n  - id: x\n    title: t\n    authority: Kent\n", encoding="utf-8")
    run = subprocess.run([CLI, "agreement", str(v), str(b), str(b)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "v.yaml:2:5:" in run.stderr and "narrative" in run.stderr
    assert "Traceback" not in run.stderr


VIGNETTE_FEATURE = """Feature: Coding practice

  Scenario: A 14-year-old who keeps going missing
    The school's designated safeguarding lead calls about a 14-year-old boy. His mother has
    reported him missing to the police four times since the start of term.

    When the referral is evaluated under Kent

  Scenario: Cutting
    A school nurse reports that a 15-year-old girl showed her cuts on both forearms.

    When the referral is evaluated under Kent
"""


def test_vignettes_written_as_gherkin_narratives(tmp_path: Path) -> None:
    from service.training.agreement import read_vignettes

    path = tmp_path / "v.feature"
    path.write_text(VIGNETTE_FEATURE, encoding="utf-8")
    vignettes = read_vignettes(path)
    assert [v.id for v in vignettes] == ["a-14-year-old-who-keeps-going-missing", "cutting"]
    assert vignettes[0].narrative.startswith("The school's designated safeguarding lead")
    assert vignettes[0].authority == "Kent"
    codings = []
    for name, missing in (("A", "regular"), ("B", "frequent"), ("C", "regular")):
        c = tmp_path / f"{name}.json"
        c.write_text(json.dumps({"trainee": name, "codings": {
            "a-14-year-old-who-keeps-going-missing": {"missing_from_home": missing, "missing_unexplained": True},
            "cutting": {"self_harm": "escalating"}}}), encoding="utf-8")
        codings.append(str(c))
    run = subprocess.run([CLI, "agreement", str(path), *codings], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "Agreement of 3 trainees (A, B, C) on 2 vignettes." in run.stdout and "(missing_from_home)" in run.stdout
    path.write_text(VIGNETTE_FEATURE.replace("    When the referral is evaluated under Kent\n",
                                             "    Given the child self-harms\n    When the referral is evaluated "
                                             "under Kent\n", 1), encoding="utf-8")
    bad = subprocess.run([CLI, "agreement", str(path), *codings], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "v.feature:7:5: a vignette gives no facts" in bad.stderr
