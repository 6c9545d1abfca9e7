"""The shared fact vocabulary: every fact a referral can carry.

One vocabulary serves every ruleset so that the same referral can be evaluated under any
authority. Concerns are modelled with the qualifiers the threshold documents use (ordered
categories such as occasional < regular < frequent) rather than invented numbers, and each
fact declares which values are worse: that is what makes monotonicity testable.

A fact is reported (a value), or not known (absent or ``null``); unknown never means "no".
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from engine.errors import FieldProblem, ReferralError, did_you_mean, suggest

FACT_ID = r"^[a-z][a-z0-9_]{1,63}$"
FactValue = bool | int | str
"""A reported value as written in a referral: boolean, integer, or category value id."""
Normalised = bool | int
"""A value as the channels see it: booleans stay booleans, categories become integer ranks."""


class Domain(StrEnum):
    """Assessment Framework domains (DH 2000), plus the circumstances of the referral."""

    child_development = "child_development"
    parenting_capacity = "parenting_capacity"
    family_environment = "family_environment"
    circumstances = "circumstances"


DOMAIN_LABELS: dict[Domain, str] = {
    Domain.child_development: "Child's developmental needs",
    Domain.parenting_capacity: "Parenting capacity",
    Domain.family_environment: "Family and environmental factors",
    Domain.circumstances: "The child and the circumstances of the referral",
}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CategoryValue(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", description="Value id used in referrals and rules.")
    label: str = Field(min_length=1, description="Plain-English answer shown to triage staff.")


AGE_FACT = "child_age_months"
"""The fact applicability age ranges are read against."""


class Applies(_Strict):
    """When a fact can apply to a child, where a source or the law says so (with the reason).

    A question that cannot apply to what is already known (a baby's sexual activity) is not
    asked. Only the ``child_age_months`` fact bounds applicability; a reported value of an
    inapplicable fact is still evaluated: this narrows what is asked, never what is read.
    """

    min_age_months: int | None = Field(default=None, ge=0, description="Youngest age it can apply at.")
    max_age_months: int | None = Field(default=None, ge=0, description="Oldest age it can apply at.")
    reason: str = Field(min_length=1, description="Why, with the source where there is one.")

    def excludes(self, age_months: int) -> bool:
        """True when a child of this age cannot be affected by the fact."""
        return ((self.min_age_months is not None and age_months < self.min_age_months)
                or (self.max_age_months is not None and age_months > self.max_age_months))

    def describe(self) -> str:
        lo, hi = self.min_age_months, self.max_age_months
        if lo is not None and hi is not None:
            return f"aged {lo} to {hi} months"
        return f"aged {lo} months or more" if lo is not None else f"aged {hi} months or less"


class _FactBase(_Strict):
    id: str = Field(pattern=FACT_ID)
    domain: Domain
    dimension: str = Field(min_length=1, description="Assessment Framework dimension, e.g. health.")
    concern: str = Field(
        pattern=FACT_ID,
        description="The concern this fact measures; indicators are matched across authorities by it.",
    )
    label: str = Field(min_length=1, description="Short name of the fact.")
    question: str = Field(min_length=1, description="The plain-English question for triage staff.")
    hint: str | None = None
    source: str | None = Field(default=None, description="Where the qualifier wording comes from.")
    applies: Applies | None = Field(default=None, description="When the fact can apply to a child.")
    context_only: str | None = Field(
        default=None, min_length=1,
        description="Why no rule reads this fact and it is kept as context for the practitioner. A fact "
        "no rule reads must say so here (the linter and tests enforce it).")


class BooleanFact(_FactBase):
    type: Literal["boolean"]
    worse: bool = Field(default=True, description="Which answer is the more concerning one.")


class CategoryFact(_FactBase):
    type: Literal["category"]
    values: list[CategoryValue] = Field(
        min_length=2, description="Ordered from least to most concerning; later values are worse."
    )
    not_known_answers: list[CategoryValue] = Field(
        default_factory=list,
        description="Answers a referral may give that mean this fact is not known (e.g. a parent's "
        "difficulty is present but its impact is not established). They are outside the order: "
        "a referral giving one is read exactly as if the fact were not known, never as a value "
        "below or above another, and no rule may test them.")

    @model_validator(mode="after")
    def _unique_values(self) -> CategoryFact:
        ids = [v.id for v in self.values] + [v.id for v in self.not_known_answers]
        if len(set(ids)) != len(ids):
            raise ValueError(f"category fact '{self.id}' repeats a value id")
        return self

    def rank(self, value_id: str) -> int:
        for i, v in enumerate(self.values):
            if v.id == value_id:
                return i
        raise KeyError(value_id)

    @property
    def value_ids(self) -> list[str]:
        return [v.id for v in self.values]

    @property
    def not_known_ids(self) -> list[str]:
        return [v.id for v in self.not_known_answers]


class IntegerFact(_FactBase):
    type: Literal["integer"]
    minimum: int
    maximum: int
    unit: str = Field(min_length=1)
    worse: Literal["higher", "lower", "none"] = Field(
        description="'none' for context facts such as age, where neither direction is worse."
    )

    @model_validator(mode="after")
    def _bounds(self) -> IntegerFact:
        if self.minimum > self.maximum:
            raise ValueError(f"integer fact '{self.id}' has minimum above maximum")
        return self


Fact = Annotated[BooleanFact | CategoryFact | IntegerFact, Field(discriminator="type")]


class VocabularyInfo(_Strict):
    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    version: str = Field(pattern=r"^\d+\.\d+\.\d+$")
    title: str
    description: str


class Vocabulary(_Strict):
    """The vocabulary file's model (rulesets/national/vocabulary.yaml)."""

    vocabulary: VocabularyInfo
    facts: list[Fact] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_ids(self) -> Vocabulary:
        seen: set[str] = set()
        for f in self.facts:
            if f.id in seen:
                raise ValueError(f"fact id '{f.id}' is declared twice")
            seen.add(f.id)
        return self

    # --- lookups -------------------------------------------------------------------------
    @property
    def by_id(self) -> dict[str, BooleanFact | CategoryFact | IntegerFact]:
        cache: dict[str, BooleanFact | CategoryFact | IntegerFact] | None = self.__dict__.get("_by_id")
        if cache is None:
            cache = {f.id: f for f in self.facts}
            object.__setattr__(self, "_by_id", cache)  # frozen model: memoise by hand
        return cache

    def fact(self, fact_id: str) -> BooleanFact | CategoryFact | IntegerFact:
        return self.by_id[fact_id]

    def concerns(self) -> dict[str, list[str]]:
        """Concern -> fact ids measuring it, in vocabulary order."""
        out: dict[str, list[str]] = {}
        for f in self.facts:
            out.setdefault(f.concern, []).append(f.id)
        return out

    def inapplicable(self, values: Mapping[str, Normalised]) -> frozenset[str]:
        """Facts that cannot apply to a child with these known values (e.g. the age)."""
        age = values.get(AGE_FACT)
        if not isinstance(age, int) or isinstance(age, bool):
            return frozenset()
        return frozenset(f.id for f in self.facts if f.applies is not None and f.applies.excludes(age))

    def settled(self, values: Mapping[str, Normalised]) -> dict[str, Normalised]:
        """Known values plus, for unknown facts that cannot apply, their least concerning value.

        Used only to bound what is still possible (questions and completeness), never for the
        matched rules: a fact that cannot apply to this child cannot raise the result.
        """
        out = dict(values)
        for fid in self.inapplicable(values):
            if fid not in out:
                out[fid] = least_concerning(self.fact(fid))
        return out

    # --- referrals -----------------------------------------------------------------------
    def normalise(self, facts: Mapping[str, Any], pointer: str = "/facts") -> dict[str, Normalised]:
        """Check reported facts and turn them into channel values.

        Unknown facts (absent or ``null``) are left out. Every problem is reported with a
        JSON Pointer and, for mistyped names, the closest fact ids.
        """
        problems: list[FieldProblem] = []
        out: dict[str, Normalised] = {}
        by_id = self.by_id
        for name, value in facts.items():
            where = f"{pointer}/{_escape(str(name))}"
            fact = by_id.get(name) if isinstance(name, str) else None
            if fact is None:
                problems.append(
                    FieldProblem(where, f"unknown fact '{name}'", suggest(str(name), by_id))
                )
                continue
            if value is None or (isinstance(fact, CategoryFact) and value in fact.not_known_ids):
                continue  # not known: an answer saying so is read exactly like an absent fact
            try:
                out[name] = normalise_value(fact, value)
            except BadValue as e:
                problems.append(FieldProblem(where, e.message, e.suggestions))
            except ValueError as e:
                problems.append(FieldProblem(where, str(e)))
        if problems:
            raise ReferralError(problems)
        return out

    def denormalise(self, values: Mapping[str, Normalised]) -> dict[str, FactValue]:
        """Channel values back to the values written in a referral (category ids)."""
        out: dict[str, FactValue] = {}
        for name, v in values.items():
            fact = self.by_id[name]
            out[name] = fact.values[int(v)].id if isinstance(fact, CategoryFact) else v
        return out

    def referral_schema(self) -> dict[str, Any]:
        """JSON Schema (2020-12) for a referral's facts, generated from the vocabulary."""
        props: dict[str, Any] = {}
        for f in self.facts:
            desc = f.question + (f" ({f.hint})" if f.hint else "")
            if isinstance(f, BooleanFact):
                props[f.id] = {"type": ["boolean", "null"], "title": f.label, "description": desc}
            elif isinstance(f, CategoryFact):
                props[f.id] = {
                    "enum": [*f.value_ids, *f.not_known_ids, None],
                    "title": f.label,
                    "description": desc + " Values from least to most concerning: "
                    + ", ".join(f.value_ids) + "."
                    + (" Read as not known: " + ", ".join(f.not_known_ids) + "." if f.not_known_ids else ""),
                }
            else:
                props[f.id] = {
                    "type": ["integer", "null"],
                    "minimum": f.minimum,
                    "maximum": f.maximum,
                    "title": f.label,
                    "description": f"{desc} ({f.unit})",
                }
        return {
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": f"urn:thresholds:referral:{self.vocabulary.id}:{self.vocabulary.version}",
            "title": "Referral facts",
            "description": "Structured referral facts; omit a fact or give null when it is not known. "
            "No names or free text.",
            "type": "object",
            "properties": {
                "facts": {"type": "object", "properties": props, "additionalProperties": False}
            },
            "required": ["facts"],
            "additionalProperties": False,
        }


def least_concerning(fact: BooleanFact | CategoryFact | IntegerFact) -> Normalised:
    """The channel value of the least concerning answer."""
    if isinstance(fact, BooleanFact):
        return not fact.worse
    if isinstance(fact, CategoryFact):
        return 0
    return fact.maximum if fact.worse == "lower" else fact.minimum


def normalise_value(fact: BooleanFact | CategoryFact | IntegerFact, value: Any) -> Normalised:
    """One reported value as a channel value; ValueError says what was expected."""
    if isinstance(fact, BooleanFact):
        if isinstance(value, bool):
            return value
        raise ValueError(f"'{fact.id}' must be true, false or null, not {_show(value)}")
    if isinstance(fact, CategoryFact):
        if isinstance(value, str) and value in fact.value_ids:
            return fact.rank(value)
        hint = suggest(value, fact.value_ids + fact.not_known_ids) if isinstance(value, str) else ()
        raise BadValue(f"'{fact.id}' must be one of {', '.join(fact.value_ids)} (or null), not {_show(value)}", hint)
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # JSON Schema counts 4.0 as an integer, so the referral schema accepts it
    if isinstance(value, bool) or not isinstance(value, int):
        return _raise(f"'{fact.id}' must be a whole number of {fact.unit} or null, not {_show(value)}")
    if not fact.minimum <= value <= fact.maximum:
        return _raise(
            f"'{fact.id}' must be between {fact.minimum} and {fact.maximum} {fact.unit}, not {value}"
        )
    return value


class BadValue(ValueError):
    """A value a category fact cannot take, with the close value ids as data."""

    def __init__(self, message: str, suggestions: tuple[str, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions

    def __str__(self) -> str:
        return self.message + did_you_mean(self.suggestions)


def _raise(msg: str) -> Normalised:
    raise ValueError(msg)


def _show(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else f"'{value}'"
    return text if len(text) <= 40 else text[:37] + "..."


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")
