"""The definitions manual: what each vocabulary fact and value means, with what counts and what does not.

Structure alone does not make practitioners agree: they disagree mostly on which risk factors
they code. Mature intake tools ship a definitions manual (every item defined, with an example of
what counts and one of what does not) and this is that manual, kept as data beside the
vocabulary (``national/definitions.yaml``) so that lint fails when a fact or value lacks one,
triage shows it beside each question, and agreement reports show it beside the weakest facts.

Every entry names its source. ``basis: published`` entries quote a published document with its
URL; ``basis: vocabulary-wording`` entries are derived only from the vocabulary's own label,
question, hint and source note (which themselves quote the threshold documents), and say so:
no threshold or example is invented beyond that wording.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from engine.errors import Problem, RulesetError
from engine.load.yamlfile import Located, load_file
from engine.model.vocabulary import BooleanFact, CategoryFact, Vocabulary

DEFINITIONS_FILE = "national/definitions.yaml"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Source(_Strict):
    basis: Literal["published", "vocabulary-wording"] = Field(
        description="published: quoted from a document at url; vocabulary-wording: derived from the fact's own wording")
    document: str = Field(min_length=1)
    url: str | None = Field(default=None, pattern=r"^https://")
    quote: str | None = None


class Entry(_Strict):
    definition: str = Field(min_length=1, description="What the fact or value means.")
    counts: str = Field(min_length=1, description="An example that counts.")
    does_not_count: str = Field(min_length=1, description="An example that does not count.")
    source: Source


class FactEntry(Entry):
    values: dict[str, Entry] = Field(default_factory=dict, description="Category value id -> its definition.")
    synonyms: list[Annotated[str, Field(min_length=2, max_length=60)]] = Field(
        default_factory=list,
        description="Other words staff use for this fact ('cuts herself' for self-harm). Search terms only: phrase "
        "discovery matches them; no rule reads them and they never change a suggestion.")


class ManualInfo(_Strict):
    id: str
    version: str
    vocabulary: str = Field(description="The vocabulary id these definitions are for.")


class Manual(_Strict):
    manual: ManualInfo
    facts: dict[str, FactEntry]


def load_definitions(path: Path | str) -> tuple[Manual, Located]:
    """Load and validate the manual's shape; RulesetError with file:line:column for each problem."""
    located = load_file(path)
    try:
        return Manual.model_validate(located.data), located
    except ValidationError as e:
        problems = [located.problem(tuple(err["loc"]), f"{'/'.join(str(x) for x in err['loc'])}: {err['msg']}")
                    for err in e.errors()]
        raise RulesetError(problems) from None


def load_manual(path: Path | str) -> Manual:
    """The manual, from the validated-model cache when the file is unchanged (parsing it takes seconds)."""
    from engine.load.cache import cached

    return cached(Manual, [Path(path)], lambda: load_definitions(path)[0])


def synonyms(manual: Manual) -> dict[str, tuple[str, ...]]:
    """Fact id -> the other words staff use for it (search terms for phrase discovery)."""
    return {fid: tuple(e.synonyms) for fid, e in manual.facts.items() if e.synonyms}


def check(manual: Manual, located: Located, vocab: Vocabulary) -> list[Problem]:
    """Every vocabulary fact and category value defined; nothing defined that the vocabulary lacks."""
    problems: list[Problem] = []
    if manual.manual.vocabulary != vocab.vocabulary.id:
        problems.append(located.problem(("manual", "vocabulary"),
                                        f"these definitions are for vocabulary '{manual.manual.vocabulary}', "
                                        f"not '{vocab.vocabulary.id}'"))
    for f in vocab.facts:
        entry = manual.facts.get(f.id)
        if entry is None:
            problems.append(located.problem(("facts",), f"fact '{f.id}' ({f.label}) has no definition: add a "
                                            "definition, an example that counts, one that does not, and its source"))
            continue
        if isinstance(f, CategoryFact):
            for v in f.values:
                if v.id not in entry.values:
                    problems.append(located.problem(("facts", f.id, "values"),
                                                    f"value '{v.id}' ({v.label}) of fact '{f.id}' has no definition"))
            for vid in entry.values:
                if vid not in f.value_ids:
                    problems.append(located.problem(("facts", f.id, "values", vid),
                                                    f"fact '{f.id}' has no value '{vid}'", key=True))
        elif entry.values:
            problems.append(located.problem(("facts", f.id, "values"),
                                            f"fact '{f.id}' is not a category: it has no values to define", key=True))
    for fid in manual.facts:
        if fid not in vocab.by_id:
            problems.append(located.problem(("facts", fid), f"no fact '{fid}' in the vocabulary", key=True))
    return problems


def draft(vocab: Vocabulary) -> dict[str, Any]:
    """Entries derived from the vocabulary's own wording, for facts the manual does not yet define.

    Used to start the manual; every drafted entry says its basis is the vocabulary wording, so a
    reader knows it is not quoted from a published document.
    """
    out: dict[str, Any] = {}
    for f in vocab.facts:
        src = {"basis": "vocabulary-wording", "document": f"Thresholds referral fact vocabulary, fact '{f.id}'",
               "quote": " ".join((f.source or f.question).split())}
        definition = f.question + (f" {f.hint}" if f.hint else "")
        entry: dict[str, Any] = {"definition": " ".join(definition.split()), "source": src}
        if isinstance(f, BooleanFact):
            entry["counts"] = f"The referral gives information that answers yes to: {f.question}"
            entry["does_not_count"] = ("The referral does not say, or says only something else: record it as not "
                                       "known (never as no), and ask.")
        elif isinstance(f, CategoryFact):
            labels = [v.label for v in f.values]
            entry["counts"] = f"The referral's information fits one of these answers: {'; '.join(labels)}."
            entry["does_not_count"] = ("The referral says nothing about it: record it as not known (never as "
                                       f"'{f.values[0].label}'), and ask.")
            values: dict[str, Any] = {}
            for i, v in enumerate(f.values):
                other = f.values[i - 1] if i > 0 else f.values[i + 1] if len(f.values) > 1 else None
                values[v.id] = {
                    "definition": f"{f.label}: {v.label}.",
                    "counts": f"The referral's information about {f.label.lower()} is best described as: {v.label}.",
                    "does_not_count": (f"Information best described as '{other.label}': code '{other.id}' instead."
                                       if other is not None else "Anything else."),
                    "source": src}
            entry["values"] = values
        else:
            entry["counts"] = f"A known {f.unit} value from {f.minimum} to {f.maximum}: {f.question}"
            entry["does_not_count"] = "An estimate the referral does not give: record it as not known."
        out[f.id] = entry
    return out
