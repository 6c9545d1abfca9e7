"""A comparison of two rulesets: the structural diff and the semantic diff together.

This is the one value object every interface renders for ``diff`` (CLI text, Markdown and
HTML reports, the API's JSON), so they all say the same thing.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from engine import ENGINE_VERSION
from engine.compare.classes import ClassCount, ClassifiedConcern, class_counts, classify, example_words
from engine.compare.routes import RouteComparison, route_comparison
from engine.compare.semantic import SemanticDiff, semantic_diff
from engine.compare.structural import StructuralDiff, structural_diff
from engine.evaluate.bulk import BulkEvaluator
from engine.load.catalogue import LoadedRuleset

STATEMENT = (
    "This comparison supports policy and quality-assurance review of threshold documents. It shows "
    "where the encoded rulesets differ; the published documents and professional judgement decide."
)


class RulesetComparison(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")
    statement: str
    engine_version: str
    structural: StructuralDiff
    semantic: SemanticDiff
    encoding_note: str | None = None
    """Said first when either side encodes no local indicators or overrides: then every difference
    in outcome or reason reflects the encoding's levels, not its document's wording."""
    classified: list[ClassifiedConcern] = []
    """The class of each concern that gets a different outcome, in the semantic diff's order."""
    class_counts: list[ClassCount] = []
    """Concerns and witness referrals per class (every class, zero included)."""
    referral_words: dict[str, str] = {}
    """Each witness referral shown, in plain words, by witness id (what reports print instead of the id)."""
    routes: RouteComparison | None = None
    """Both sides on the Families First route scale, so a legacy and a refreshed document compare alike."""

    @property
    def identical(self) -> bool:
        """Nothing differs in structure, in outcomes, or (between versions) in reasons."""
        return self.structural.empty and not self.semantic.differing and not self.semantic.reason_changes


def _local_rules(r: LoadedRuleset) -> bool:
    return bool(r.model.indicators or r.model.overrides)


def encoding_note(a: LoadedRuleset, b: LoadedRuleset, a_name: str, b_name: str) -> str | None:
    """One sentence when either side has no local indicators; None when both encode some."""
    bare = [n for r, n in ((a, a_name), (b, b_name)) if not _local_rules(r)]
    if not bare:
        return None
    if len(bare) == 2:
        return ("Neither version encodes an indicator: both rulesets hold only their levels, so any difference "
                "below (outcomes or reasons) comes from the levels themselves (their names and mapping), not from "
                "indicators in the documents."
                if a.id == b.id else
                f"Neither {a_name} nor {b_name} encodes an indicator: both rulesets hold only their levels, so this "
                "comparison says nothing about how their documents place concerns.")
    return (f"{bare[0]} encodes no indicator (only its levels): the differences below reflect that its document "
            "is not encoded beyond its levels, not a difference between the two documents.")


def compare(a: LoadedRuleset, b: LoadedRuleset, bulk: BulkEvaluator | None = None) -> RulesetComparison:
    bulk = bulk or BulkEvaluator([a, b])
    st = structural_diff(a, b)
    se = semantic_diff(a, b, bulk)
    classified = classify(a, b, st, se)
    routes = route_comparison(a, b, st.a_name, st.b_name, bulk)
    return RulesetComparison(statement=STATEMENT, engine_version=ENGINE_VERSION, structural=st, semantic=se,
                             encoding_note=encoding_note(a, b, st.a_name, st.b_name), classified=classified,
                             class_counts=class_counts(classified),
                             referral_words=example_words(a, se, [x.witness for g in routes.groups for x in g.shifts]),
                             routes=routes)
