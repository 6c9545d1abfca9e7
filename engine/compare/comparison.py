"""A comparison of two rulesets: the structural diff and the semantic diff together.

This is the one value object every interface renders for ``diff`` (CLI text, Markdown and
HTML reports, the API's JSON), so they all say the same thing.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from engine import ENGINE_VERSION
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

    @property
    def identical(self) -> bool:
        """Nothing differs in structure, in outcomes, or (between versions) in reasons."""
        return self.structural.empty and not self.semantic.differing and not self.semantic.reason_changes


def compare(a: LoadedRuleset, b: LoadedRuleset, bulk: BulkEvaluator | None = None) -> RulesetComparison:
    bulk = bulk or BulkEvaluator([a, b])
    return RulesetComparison(statement=STATEMENT, engine_version=ENGINE_VERSION, structural=structural_diff(a, b),
                      semantic=semantic_diff(a, b, bulk))
