"""How consistently staff code a referral: vignettes in prose, several trainees' codings, agreement.

With deterministic rules, disagreement between practitioners moves from "which level" to "which
facts did you code", so this module measures agreement on each fact and on the outcome the
engine suggests from each trainee's coding. A trainer writes vignettes (a narrative, the council
whose thresholds apply, no facts); each trainee codes every vignette into vocabulary facts before
seeing any suggestion. A fact a trainee did not code is "not known" (its own category: unknown is
not "no").

Statistics come from maintained packages rather than hand-written formulas: Krippendorff's alpha
from ``krippendorff`` (nominal for facts; ordinal for the outcome, whose scale is ordered), and
Gwet's AC1 and Fleiss' kappa from ``irrCAC``. Per fact, the units are the vignettes; a fact
coded identically everywhere has no alpha (no variation to measure), and percent agreement is
shown beside it. "Explains" counts, for each trainee whose outcome differs from the most common
outcome on a vignette, whether setting that one fact to the most common coding brings their
outcome back to it: how much of the outcome disagreement that fact accounts for.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.errors import Problem, ReferralError, RulesetError, ThresholdsError
from engine.load.yamlfile import load_file
from engine.model.vocabulary import FactValue
from service.training.report import read_json
from service.training.state import Runtime

NOT_KNOWN = "not known"
MAX_CODING_BYTES = 1_000_000


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Vignette(_Strict):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", description="Short id the codings use.")
    title: str
    authority: str = Field(description="The council whose thresholds apply (id or name).")
    narrative: str = Field(min_length=1, description="The referral in prose, as a worker would receive it.")
    facts: list[str] = Field(default_factory=list, description="Facts the form asks about (besides those coded).")


class VignetteFile(_Strict):
    vignettes: list[Vignette] = Field(min_length=1)


class Coding(_Strict):
    trainee: str = Field(min_length=1)
    codings: dict[str, dict[str, Any]] = Field(description="vignette id -> {fact id: value or null}")


@dataclass(frozen=True)
class FactAgreement:
    fact: str
    label: str
    alpha: float | None  # Krippendorff's alpha (nominal) across vignettes; None when there is no variation
    percent: float  # mean share of coder pairs that agree, over vignettes
    explains: int  # outcome disagreements this fact alone accounts for
    codings: tuple[tuple[str, tuple[str, ...]], ...]  # vignette id -> each trainee's coding, in trainee order


@dataclass(frozen=True)
class Statistic:
    name: str
    value: float | None
    note: str = ""


@dataclass(frozen=True)
class OutcomeRow:
    vignette: str
    authority: str
    outcomes: tuple[str, ...]  # each trainee's suggested canonical outcome, in trainee order
    modal: str


@dataclass(frozen=True)
class AgreementReport:
    trainees: tuple[str, ...]
    vignettes: tuple[str, ...]
    facts: tuple[FactAgreement, ...]  # weakest first
    coding: tuple[Statistic, ...]  # all facts pooled (units: vignette x fact)
    outcome: tuple[Statistic, ...]  # units: vignettes
    outcomes: tuple[OutcomeRow, ...]
    disagreements: int  # (trainee, vignette) pairs whose outcome differs from the vignette's most common


# --- reading ---------------------------------------------------------------------------------
def _pydantic_problems(e: ValidationError, where: Any) -> list[Problem]:
    return [where(tuple(err["loc"]), f"{'/'.join(str(x) for x in err['loc'])}: {err['msg']}") for err in e.errors()]


def _slug(name: str) -> str:
    import re

    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "vignette"


def read_feature_vignettes(path: Path | str) -> list[Vignette]:
    """Vignettes written as Gherkin: each Scenario's description is the narrative, its only step says the
    council ("When the referral is evaluated under Kent"), and it gives no facts (the trainees code them)."""
    import re

    from gherkin.parser import Parser

    from service.training.feature import FeatureError, read_feature

    try:
        read_feature(path)  # syntax errors, with their positions
    except FeatureError as e:
        raise RulesetError(e.problems) from None
    doc: Any = Parser().parse(Path(path).read_text(encoding="utf-8"))
    out: list[Vignette] = []
    problems: list[Problem] = []
    for child in doc.get("feature", {}).get("children", []):
        sc = child.get("scenario")
        if not sc:
            continue
        line = sc["location"]["line"]
        narrative = " ".join((sc.get("description") or "").split())
        councils = [m.group(1).strip().strip('"') for st in sc.get("steps", [])
                    if (m := re.fullmatch(r"the referral is evaluated under (.+)", st["text"].strip()))]
        others = [st for st in sc.get("steps", []) if not re.fullmatch(r"the referral is evaluated under .+",
                                                                        st["text"].strip())]
        if not narrative:
            problems.append(Problem(str(path), line, 1, "a vignette needs its referral in prose: write it on the "
                                    "lines under 'Scenario:'"))
        if len(councils) != 1:
            problems.append(Problem(str(path), line, 1, "a vignette names one council: 'When the referral is "
                                    "evaluated under <council>'"))
        for st in others:
            problems.append(Problem(str(path), st["location"]["line"], st["location"]["column"],
                                    "a vignette gives no facts (the trainees code them): remove this step"))
        if narrative and len(councils) == 1:
            out.append(Vignette(id=_slug(sc["name"]), title=sc["name"], authority=councils[0], narrative=narrative))
    if problems:
        raise RulesetError(problems)
    if not out:
        raise RulesetError([Problem(str(path), 1, 1, "no vignette (Scenario) in this file")])
    return out


def read_vignettes(path: Path | str) -> list[Vignette]:
    if str(path).endswith(".feature"):
        return read_feature_vignettes(path)
    located = load_file(path)
    try:
        doc = VignetteFile.model_validate(located.data)
    except ValidationError as e:
        raise RulesetError(_pydantic_problems(e, lambda loc, msg: located.problem(loc, msg))) from None
    seen: set[str] = set()
    for i, v in enumerate(doc.vignettes):
        if v.id in seen:
            raise RulesetError([located.problem(("vignettes", i, "id"), f"vignette id '{v.id}' is used twice")])
        seen.add(v.id)
    return doc.vignettes


def vignettes_from_text(name: str, text: str, runtime: Runtime) -> list[Vignette]:
    """Vignettes uploaded as text (YAML, or Gherkin when ``name`` ends in .feature), each council resolved
    and each listed fact checked; errors name ``name``:line:column, not a temporary path."""
    from service.training.feature import one_line, text_file

    suffixes = (".feature",) if name.endswith(".feature") else (".yaml", ".yml")
    with text_file(name, text, suffixes) as (path, safe):
        try:
            vignettes = read_vignettes(path)
        except ThresholdsError as e:
            raise ThresholdsError(one_line(e).replace(str(path), safe)) from None
    cat = runtime.catalogue
    for i, v in enumerate(vignettes):
        cat.select(_authority(cat, v.authority))
        for fid in v.facts:
            if fid not in cat.vocabulary.by_id:
                raise ThresholdsError(f"{safe}: /vignettes/{i}/facts: no fact '{fid}' in the vocabulary")
    return vignettes


def read_coding(path: Path | str) -> Coding:
    doc = read_json(path, MAX_CODING_BYTES)
    try:
        return Coding.model_validate(doc)
    except ValidationError as e:
        err = e.errors()[0]
        pointer = "/" + "/".join(str(x) for x in err["loc"])
        raise ThresholdsError(f"{path}: {pointer}: {err['msg']}") from None


# --- statistics ------------------------------------------------------------------------------
def krippendorff_alpha(data: list[list[str | None]], level: Literal["nominal", "ordinal"] = "nominal",
                       order: list[str] | None = None) -> float | None:
    """Alpha for ``data[coder][unit]`` (None: missing); None when undefined (fewer than two values)."""
    import krippendorff
    import numpy as np

    values = sorted({v for row in data for v in row if v is not None}, key=(order or []).index if order else None)
    if len(values) < 2:
        return None
    index = {v: i for i, v in enumerate(values)}
    arr = np.array([[np.nan if v is None else float(index[v]) for v in row] for row in data], dtype=float)
    return float(krippendorff.alpha(reliability_data=arr, level_of_measurement=level))


def gwet_and_fleiss(data: list[list[str | None]]) -> tuple[float | None, float | None]:
    """Gwet's AC1 and Fleiss' kappa for ``data[coder][unit]`` (irrCAC); None when undefined."""
    import pandas as pd
    from irrCAC.raw import CAC

    values = sorted({v for row in data for v in row if v is not None})
    if len(values) < 2 or len(data[0]) < 1:
        return None, None
    frame = pd.DataFrame({f"c{i}": [None if v is None else values.index(v) + 1 for v in row]
                          for i, row in enumerate(data)}, dtype="float")
    cac = CAC(frame)

    def value(result: dict[str, Any]) -> float | None:
        v = float(result["est"]["coefficient_value"])
        return None if math.isnan(v) else v

    return value(cac.gwet()), value(cac.fleiss())


def percent_agreement(column: list[str]) -> float:
    """The share of coder pairs that coded this unit alike."""
    n = len(column)
    if n < 2:
        return 1.0
    same = sum(c * (c - 1) for c in Counter(column).values())
    return same / (n * (n - 1))


# --- the report -------------------------------------------------------------------------------
def _shown(value: FactValue | None) -> str:
    if value is None:
        return NOT_KNOWN
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def measure(vignettes: list[Vignette], codings: list[Coding], runtime: Runtime) -> AgreementReport:
    if len(codings) < 2:
        raise ThresholdsError("agreement needs the codings of at least two trainees")
    names = [c.trainee for c in codings]
    dupes = [n for n, k in Counter(names).items() if k > 1]
    if dupes:
        raise ThresholdsError(f"trainee '{dupes[0]}' has more than one coding file")
    cat = runtime.catalogue
    vocab = cat.vocabulary
    ids = [v.id for v in vignettes]
    # every coding checked against the vocabulary, with a pointer to the bad fact
    coded: dict[tuple[str, str], dict[str, FactValue]] = {}
    for c in codings:
        for vid in c.codings:
            if vid not in ids:
                raise ThresholdsError(f"coding of {c.trainee}: /codings/{vid}: no such vignette; vignettes: "
                                      + ", ".join(ids))
        for vid in ids:
            facts = c.codings.get(vid, {})
            try:
                norm = vocab.normalise(facts, f"/codings/{vid}")
            except ReferralError as e:
                raise ThresholdsError(f"coding of {c.trainee}: " + "; ".join(str(p) for p in e.problems)) from None
            coded[(c.trainee, vid)] = vocab.denormalise(norm)
    rulesets = {v.id: cat.select(_authority(cat, v.authority)) for v in vignettes}
    evaluator = runtime.evaluator_for(list(rulesets.values()))

    def outcome(vid: str, facts: dict[str, FactValue]) -> str:
        s = evaluator.evaluate(rulesets[vid], facts)
        return s.outcome.value if s.outcome is not None else "no suggestion"

    fact_ids = [f.id for f in vocab.facts if any(f.id in coded[k] for k in coded)
                or any(f.id in v.facts for v in vignettes)]
    table = {fid: [[_shown(coded[(t, vid)].get(fid)) for vid in ids] for t in names] for fid in fact_ids}
    rows: list[OutcomeRow] = []
    disagreeing: list[tuple[str, str, str]] = []  # trainee, vignette, modal outcome
    for v in vignettes:
        outs = tuple(outcome(v.id, coded[(t, v.id)]) for t in names)
        modal = Counter(outs).most_common(1)[0][0]
        rows.append(OutcomeRow(v.id, rulesets[v.id].model.ruleset.authority, outs, modal))
        disagreeing += [(t, v.id, modal) for t, o in zip(names, outs, strict=True) if o != modal]
    results: list[FactAgreement] = []
    for fid in fact_ids:
        data: list[list[str | None]] = [list(r) for r in table[fid]]
        alpha = krippendorff_alpha(data) if len(ids) > 1 else None
        pct = sum(percent_agreement([row[j] for row in table[fid]]) for j in range(len(ids))) / len(ids)
        explains = 0
        for t, vid, modal in disagreeing:
            j = ids.index(vid)
            common = Counter(row[j] for row in table[fid]).most_common(1)[0][0]
            facts = dict(coded[(t, vid)])
            facts.pop(fid, None)
            if common != NOT_KNOWN:
                facts[fid] = next(v for v in _values(vocab.fact(fid)) if _shown(v) == common)
            if facts != coded[(t, vid)] and outcome(vid, facts) == modal:
                explains += 1
        results.append(FactAgreement(fid, vocab.fact(fid).label, alpha, pct, explains,
                                     tuple((vid, tuple(row[j] for row in table[fid])) for j, vid in enumerate(ids))))
    results.sort(key=lambda r: (r.alpha if r.alpha is not None else 2.0, r.percent, -r.explains, r.fact))
    pooled: list[list[str | None]] = [[f"{fid}={v}" for fid in fact_ids for v in table[fid][i]]
                                      for i in range(len(names))]
    # pooled units: each (fact, vignette); values are compared within a fact, so prefix them with it
    pooled_alpha = krippendorff_alpha(pooled)
    ac1, kappa = gwet_and_fleiss(pooled)
    coding = (Statistic("Krippendorff's alpha (nominal)", pooled_alpha),
              Statistic("Gwet's AC1", ac1), Statistic("Fleiss' kappa", kappa))
    out_data: list[list[str | None]] = [[r.outcomes[i] for r in rows] for i in range(len(names))]
    order = [o.value for o in _outcome_scale()] + ["no suggestion"]
    o_alpha = krippendorff_alpha(out_data, "ordinal", order) if len(ids) > 1 else None
    o_ac1, o_kappa = gwet_and_fleiss(out_data) if len(ids) > 1 else (None, None)
    note = "" if len(ids) > 1 else "needs two or more vignettes"
    outcome_stats = (Statistic("Krippendorff's alpha (ordinal)", o_alpha, note),
                     Statistic("Gwet's AC1", o_ac1, note), Statistic("Fleiss' kappa", o_kappa, note))
    return AgreementReport(tuple(names), tuple(ids), tuple(results), coding, outcome_stats, tuple(rows),
                           len(disagreeing))


def _outcome_scale() -> list[Any]:
    from engine.model.outcome import Outcome

    return sorted(Outcome, key=lambda o: o.rank)


def _values(fact: Any) -> list[FactValue]:
    kind = getattr(fact, "type", "")
    if kind == "boolean":
        return [False, True]
    if kind == "category":
        return [v.id for v in fact.values]
    return list(range(int(fact.minimum or 0), int(fact.maximum or 0) + 1))


def _authority(cat: Any, name: str) -> str:
    from service.training.wording import resolve_authority

    try:
        return resolve_authority(cat, name)
    except ThresholdsError as e:
        raise ThresholdsError(f"vignette authority: {e}") from None


# --- rendering --------------------------------------------------------------------------------
def _num(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"


def to_text(r: AgreementReport, definitions: dict[str, str], weakest: int = 10) -> str:
    lines = [f"Agreement of {len(r.trainees)} trainees ({', '.join(r.trainees)}) on {len(r.vignettes)} vignettes.",
             "", "Coding of facts (all facts pooled):"]
    lines += [f"  {s.name}: {_num(s.value)}" + (f" ({s.note})" if s.note else "") for s in r.coding]
    lines += ["", "Suggested outcome (from each trainee's coding):"]
    lines += [f"  {s.name}: {_num(s.value)}" + (f" ({s.note})" if s.note else "") for s in r.outcome]
    for row in r.outcomes:
        lines.append(f"  {row.vignette} ({row.authority}): " + ", ".join(
            f"{t} {o}" for t, o in zip(r.trainees, row.outcomes, strict=True)))
    lines += ["", f"Outcome disagreements: {r.disagreements} (a trainee's outcome differs from the most common "
              "on that vignette)", "", f"Facts with the lowest agreement (weakest first, at most {weakest}):"]
    for f in r.facts[:weakest]:
        share = f" = {f.explains / r.disagreements:.0%}" if r.disagreements else ""
        lines.append(f"  {f.label} ({f.fact}): alpha {_num(f.alpha)}, pairs agreeing {f.percent:.0%}, "
                     f"explains {f.explains} of {r.disagreements} outcome disagreements{share}")
        for vid, codes in f.codings:
            if len(set(codes)) > 1:
                lines.append(f"      {vid}: " + ", ".join(f"{t} {c}" for t, c in zip(r.trainees, codes, strict=True)))
        if f.fact in definitions:
            lines.append(f"      definition: {definitions[f.fact]}")
    return "\n".join(lines) + "\n"


def to_json(r: AgreementReport) -> str:
    from dataclasses import asdict

    return json.dumps(asdict(r), indent=2) + "\n"
