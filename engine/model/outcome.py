"""The national outcome scale.

Local level numbers are labels, not a shared scale: "Level 3" is a social-care referral in
London but multi-agency early help in Hampshire. Every local level therefore maps to one of
these canonical outcomes, and every comparison between authorities uses them.
"""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """Canonical outcomes in ascending order of intervention."""

    universal = "universal"
    early_help_single_agency = "early_help_single_agency"
    early_help_multi_agency = "early_help_multi_agency"
    child_in_need = "child_in_need"
    child_protection = "child_protection"
    immediate_protection = "immediate_protection"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @property
    def label(self) -> str:
        return LABELS[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Outcome):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Outcome):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Outcome):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Outcome):
            return NotImplemented
        return self.rank >= other.rank


ORDER: tuple[Outcome, ...] = tuple(Outcome)
_RANK: dict[Outcome, int] = {o: i for i, o in enumerate(ORDER)}

LABELS: dict[Outcome, str] = {
    Outcome.universal: "Universal services",
    Outcome.early_help_single_agency: "Early help (single agency)",
    Outcome.early_help_multi_agency: "Early help (multi-agency)",
    Outcome.child_in_need: "Child in need assessment (Children Act 1989 s17)",
    Outcome.child_protection: "Child protection enquiry (s47) and strategy discussion",
    Outcome.immediate_protection: "Immediate protection (police 999, s46 police protection, s44 EPO)",
}
