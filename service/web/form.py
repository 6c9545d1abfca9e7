"""The referral form: vocabulary facts as form fields, and a posted form back as referral facts.

Every fact can be answered "not known", which is the default and is left out of the referral:
unknown is never "no". Each field is named after its fact id, and its first input has that id,
so the error summary can link straight to it (GOV.UK error summary pattern). Values that a
browser cannot send through these controls (a tampered post) are reported against the field,
never evaluated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from engine.model.vocabulary import DOMAIN_LABELS, BooleanFact, CategoryFact, Domain, FactValue, IntegerFact, Vocabulary

NOT_KNOWN = "not_known"
YES_NO = (("yes", "Yes"), ("no", "No"))
MAX_ANSWER_CHARS = 40


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass(frozen=True)
class FormField:
    """One fact as a question: radios (yes/no or categories, plus not known) or a number box."""

    id: str
    label: str
    question: str
    hint: str | None
    kind: str
    domain: Domain
    choices: tuple[Choice, ...] = ()
    unit: str | None = None
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    fields: tuple[FormField, ...]


@dataclass(frozen=True)
class FormError:
    """A problem with one answer: ``target`` is the id of the input the summary links to."""

    target: str
    message: str


@dataclass
class Posted:
    """A posted form: the referral facts, the raw answers to show again, and any errors."""

    facts: dict[str, FactValue] = field(default_factory=dict)
    answers: dict[str, str] = field(default_factory=dict)
    errors: list[FormError] = field(default_factory=list)

    def error_for(self, target: str) -> str | None:
        return next((e.message for e in self.errors if e.target == target), None)


def form_field(fact: BooleanFact | CategoryFact | IntegerFact) -> FormField:
    base = {"id": fact.id, "label": fact.label, "question": fact.question, "hint": fact.hint, "domain": fact.domain}
    if isinstance(fact, BooleanFact):
        choices = tuple(Choice(v, t) for v, t in YES_NO) + (Choice(NOT_KNOWN, "Not known"),)
        return FormField(kind="boolean", choices=choices, **base)  # type: ignore[arg-type]
    if isinstance(fact, CategoryFact):
        choices = tuple(Choice(v.id, v.label) for v in fact.values) + (Choice(NOT_KNOWN, "Not known"),)
        return FormField(kind="category", choices=choices, **base)  # type: ignore[arg-type]
    return FormField(kind="integer", unit=fact.unit, minimum=fact.minimum, maximum=fact.maximum,
                     **base)  # type: ignore[arg-type]


def sections(vocab: Vocabulary, fact_ids: Iterable[str] | None = None, first: Iterable[str] = ()) -> list[Section]:
    """Fields grouped by Assessment Framework domain (vocabulary order), after a "first questions"
    section when ``first`` names any; ``fact_ids`` limits the form to the facts a ruleset reads."""
    wanted = None if fact_ids is None else set(fact_ids)
    first_ids = [f for f in first if wanted is None or f in wanted]
    out: list[Section] = []
    if first_ids:
        out.append(Section("first-questions", "First questions: safety",
                           tuple(form_field(vocab.fact(f)) for f in first_ids)))
    taken = set(first_ids)
    for domain in Domain:
        fields = tuple(form_field(f) for f in vocab.facts
                       if f.domain == domain and f.id not in taken and (wanted is None or f.id in wanted))
        if fields:
            out.append(Section(domain.value.replace("_", "-"), DOMAIN_LABELS[domain], fields))
    return out


def parse(vocab: Vocabulary, secs: Iterable[Section], form: Mapping[str, str]) -> Posted:
    """The facts the form reports; a field that was not sent counts as "not known"."""
    posted = Posted()
    for sec in secs:
        for f in sec.fields:
            raw = form.get(f.id, "").strip()[:MAX_ANSWER_CHARS + 1]
            posted.answers[f.id] = raw
            if f.kind == "integer":
                _number(f, raw, posted)
                continue
            if raw in ("", NOT_KNOWN):
                continue
            if raw not in {c.value for c in f.choices}:
                posted.errors.append(FormError(f.id, f"Select an answer for '{f.label}'"))
            elif f.kind == "boolean":
                posted.facts[f.id] = raw == "yes"
            else:
                posted.facts[f.id] = raw
    vocab.normalise(posted.facts)  # the form only offers valid values: this guards the mapping itself
    return posted


def _number(f: FormField, raw: str, posted: Posted) -> None:
    if raw == "":
        return
    if not raw.isdigit() or len(raw) > 6:
        posted.errors.append(FormError(f.id, f"{f.label} must be a whole number of {f.unit}, like 7"))
        return
    value = int(raw)
    if f.minimum is not None and f.maximum is not None and not f.minimum <= value <= f.maximum:
        posted.errors.append(FormError(f.id, f"{f.label} must be between {f.minimum} and {f.maximum} {f.unit}"))
        return
    posted.facts[f.id] = value


@dataclass(frozen=True)
class DateAnswer:
    day: str = ""
    month: str = ""
    year: str = ""


def parse_date(answer: DateAnswer, target: str) -> tuple[dt.date | None, FormError | None]:
    """A GOV.UK date input: all blank means today (None); anything else must be a real date."""
    parts = (answer.day.strip(), answer.month.strip(), answer.year.strip())
    if not any(parts):
        return None, None
    if not all(parts):
        missing = [n for n, p in zip(("day", "month", "year"), parts) if not p]
        return None, FormError(f"{target}-{missing[0]}", f"The date must include a {' and '.join(missing)}")
    if not all(p.isdigit() for p in parts) or len(parts[2]) != 4:
        return None, FormError(f"{target}-day", "The date must be a real date, like 27 3 2025")
    try:
        return dt.date(int(parts[2]), int(parts[1]), int(parts[0])), None
    except ValueError:
        return None, FormError(f"{target}-day", "The date must be a real date, like 27 3 2025")


@dataclass(frozen=True)
class AgeAnswer:
    """The child's age as entered: years and months, or a date of birth (GOV.UK date input)."""

    years: str = ""
    months: str = ""
    birth: DateAnswer = DateAnswer()

    def given(self) -> bool:
        return bool(self.years.strip() or self.months.strip() or any((self.birth.day.strip(), self.birth.month.strip(),
                                                                      self.birth.year.strip())))


def months_between(birth: dt.date, on: dt.date) -> int:
    """Completed months of age on ``on`` for a child born on ``birth``."""
    return (on.year - birth.year) * 12 + on.month - birth.month - (1 if on.day < birth.day else 0)


def parse_age(answer: AgeAnswer, on: dt.date, maximum: int) -> tuple[int | None, FormError | None]:
    """Age in completed months from years+months or a date of birth; None, None when not given."""
    if not answer.given():
        return None, None
    birth_given = any((answer.birth.day.strip(), answer.birth.month.strip(), answer.birth.year.strip()))
    if birth_given and (answer.years.strip() or answer.months.strip()):
        return None, FormError("age-years", "Enter the age in years and months, or the date of birth, not both")
    if birth_given:
        birth, problem = parse_date(answer.birth, "birth")
        if problem or birth is None:
            return None, problem or FormError("birth-day", "Date of birth must be a real date, like 27 3 2025")
        if birth > on:
            return None, FormError("birth-day", "Date of birth must be on or before the date of the referral")
        months = months_between(birth, on)
        if months > maximum:
            return None, FormError("birth-day", f"The child must be under {maximum // 12 + 1} on the date of the "
                                                "referral")
        return months, None
    parts = []
    for target, raw, top, unit in (("age-years", answer.years.strip(), maximum // 12, "years"),
                                   ("age-months", answer.months.strip(), 11, "months")):
        if raw == "":
            parts.append(0)
        elif not raw.isdigit() or len(raw) > 3 or int(raw) > top:
            return None, FormError(target, f"Age in {unit} must be a whole number from 0 to {top}")
        else:
            parts.append(int(raw))
    months = parts[0] * 12 + parts[1]
    if months > maximum:
        return None, FormError("age-years", f"The child must be under {maximum // 12 + 1}")
    return months, None
