"""Trainee mode: a feature file's scenarios as questions, answered, marked and explained.

Each scenario (each Examples row of an Outline) whose Then steps expect a level becomes one
question per authority: the trainee sees the facts the Given steps report (and those
explicitly not known) and the authority's levels, but not the expected answer. After each
answer they see the expected level, the engine's live explanation with its citations, and
at the end a score. Answers come from a prompt (any plain terminal, or piped stdin) or from
a JSON or CSV file.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from engine.catalogue import LoadedRuleset
from engine.errors import ThresholdsError
from engine.evaluator import Evaluator
from engine.explanation import to_text
from engine.vocabulary import FactValue
from service.training.feature import Case, read_feature, run_case
from service.training.library import registry
from service.training.registry import StepError
from service.training.state import Expectation, Runtime, ScenarioState, shared_runtime
from service.training.wording import LevelTarget, resolve_level, show_value

MAX_ANSWERS_BYTES = 1_000_000
_RELATION = {"exact": "", "at_least": "at least ", "at_most": "at most "}


@dataclass
class Question:
    number: int
    case: Case
    loaded: LoadedRuleset
    facts: dict[str, FactValue]
    unknown: list[str]
    expectations: list[Expectation]

    @property
    def keys(self) -> list[str]:
        """The names an answers file may use for this question."""
        return [str(self.number), self.case.name, f"{self.case.name} [{self.loaded.id}]"]

    def expected(self) -> str:
        levels = {(e.relation, e.target.outcome) for e in self.expectations if e.target.level is not None}
        shown = [e for e in self.expectations if e.target.level is not None or (e.relation, e.target.outcome)
                 not in levels]  # "L4" already says "child_protection" when L4 maps to it
        return " and ".join(f"{_RELATION[e.relation]}{e.target.describe()}" for e in shown)


@dataclass
class Marked:
    question: Question
    answer: str | None
    correct: bool
    note: str = ""


@dataclass
class Score:
    marked: list[Marked] = field(default_factory=list)

    @property
    def correct(self) -> int:
        return sum(1 for m in self.marked if m.correct)


def build_questions(path: Path | str, runtime: Runtime | None = None) -> list[Question]:
    """The questions of one feature file; a broken step raises StepFailed with its line."""
    runtime = runtime or shared_runtime()
    reg = registry()
    out: list[Question] = []
    for case in read_feature(path).cases:
        state = ScenarioState(runtime, mode="collect")
        run_case(case, reg, state)
        for rid, ev in state.evaluations.items():
            exps = [e for e in state.expectations if e.authority == rid]
            if exps:
                out.append(Question(len(out) + 1, case, ev.loaded, dict(state.facts), sorted(state.unknown), exps))
    return out


def mark(q: Question, answer: str) -> tuple[bool, LevelTarget]:
    """Whether ``answer`` meets every expectation; StepError if it is not a level at all."""
    given = resolve_level(q.loaded, answer)
    ok = True
    for e in q.expectations:
        if given.level is not None and e.target.level is not None:
            got, want = q.loaded.level_index[given.level.id], q.loaded.level_index[e.target.level.id]
        else:
            got, want = given.outcome.rank, e.target.outcome.rank
        ok = ok and {"exact": got == want, "at_least": got >= want, "at_most": got <= want}[e.relation]
    return ok, given


def present(q: Question, total: int) -> str:
    vocab = q.loaded.vocabulary
    r = q.loaded.model.ruleset
    lines = [f"Exercise {q.number} of {total}: {q.case.name}", f"  ({q.case.feature})",
             f"Authority: {r.authority} (ruleset {r.id}, version {r.version})", "The referral reports:"]
    for fid, value in q.facts.items():
        f = vocab.fact(fid)
        shown = show_value(f, value)
        if fid == "child_age_months" and isinstance(value, int):
            shown = f"{value // 12} years {value % 12} months ({value} months)"
        lines.append(f"  - {f.label}: {shown}")
    if not q.facts:
        lines.append("  (no facts)")
    if q.unknown:
        lines.append("Not known:")
        lines += [f"  - {vocab.fact(fid).label}" for fid in q.unknown]
    lines.append("Levels in this authority:")
    lines += [f"  {lv.id} {lv.label} ({lv.outcome.label})" for lv in q.loaded.model.levels]
    return "\n".join(lines) + "\n"


def feedback(q: Question, evaluator: Evaluator, answer: str | None, correct: bool, note: str) -> str:
    suggestion = evaluator.evaluate(q.loaded, {**q.facts, **{f: None for f in q.unknown}})
    verdict = "CORRECT" if correct else ("NOT ANSWERED" if answer is None else "NOT QUITE")
    lines = [f"Your answer: {answer if answer is not None else '-'}{note} -> {verdict}",
             f"Expected: {q.expected()}", "", "The engine's explanation:", to_text(suggestion)]
    return "\n".join(lines)


def run_session(questions: list[Question], ask: Callable[[Question], str | None], out: TextIO,
                runtime: Runtime | None = None) -> Score:
    """Ask every question, mark it, explain it; ``ask`` returns None when there is no answer."""
    runtime = runtime or shared_runtime()
    evaluator = runtime.evaluator_for([q.loaded for q in questions])
    score = Score()
    for q in questions:
        out.write("\n" + present(q, len(questions)))
        answer = ask(q)
        correct, note = False, ""
        if answer is not None and answer.strip():
            try:
                correct, given = mark(q, answer)
                note = f" ({given.describe()})"
            except StepError as e:
                note = f" (not a level: {e})"
        else:
            answer = None
        score.marked.append(Marked(q, answer, correct, note))
        out.write("\n" + feedback(q, evaluator, answer, correct, note))
    out.write(f"\nScore: {score.correct} of {len(questions)} correct\n")
    for m in score.marked:
        out.write(f"  {m.question.number}. {'correct' if m.correct else 'wrong  '} {m.question.case.name} "
                  f"[{m.question.loaded.id}]: expected {m.question.expected()}\n")
    return score


def prompt_asker(read: Callable[[str], str], out: TextIO) -> Callable[[Question], str | None]:
    """Ask at a prompt until the answer is a level (or blank to skip); end of input stops asking."""
    finished = False

    def ask(q: Question) -> str | None:
        nonlocal finished
        while not finished:
            try:
                text = read("Your level (an id such as L3, a label, or a canonical outcome; blank to skip): ")
            except EOFError:
                finished = True
                out.write("\n(no more answers)\n")
                return None
            text = text.strip()
            if not text:
                return None
            try:
                resolve_level(q.loaded, text)
                return text
            except StepError as e:
                out.write(f"  {e}\n")
        return None

    return ask


def read_answers(path: Path | str) -> dict[str, str]:
    """Answers from JSON ({"1": "L3", "<scenario name>": "L4"}, or a list in order) or CSV
    (exercise,answer rows; a header row is optional)."""
    p = Path(path)
    if not p.is_file():
        raise ThresholdsError(f"{path}: file not found")
    if p.stat().st_size > MAX_ANSWERS_BYTES:
        raise ThresholdsError(f"{path}: file is larger than {MAX_ANSWERS_BYTES} bytes")
    text = p.read_text(encoding="utf-8")
    if p.suffix.lower() == ".csv":
        rows = [r for r in csv.reader(io.StringIO(text)) if r and any(c.strip() for c in r)]
        if rows and [c.strip().lower() for c in rows[0][:2]] == ["exercise", "answer"]:
            rows = rows[1:]
        out: dict[str, str] = {}
        for i, row in enumerate(rows, 1):
            if len(row) != 2:
                raise ThresholdsError(f"{path}:{i}: a row is 'exercise,answer' (2 columns), not {len(row)}")
            out[row[0].strip()] = row[1].strip()
        return out
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        raise ThresholdsError(f"{path}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from None
    if isinstance(doc, dict) and isinstance(doc.get("answers"), dict | list):
        doc = doc["answers"]
    if isinstance(doc, list):
        doc = {str(i): v for i, v in enumerate(doc, 1)}
    if not isinstance(doc, dict):
        raise ThresholdsError(f"{path}: answers are a JSON object {{\"1\": \"L3\", ...}} or a list")
    for k, v in doc.items():
        if not isinstance(v, str):
            raise ThresholdsError(f"{path}: /{k} must be a level written as text, not {json.dumps(v)}")
    return {str(k): v for k, v in doc.items()}


def file_asker(answers: dict[str, str]) -> Callable[[Question], str | None]:
    def ask(q: Question) -> str | None:
        for key in reversed(q.keys):
            if key in answers:
                return answers[key]
        return None

    return ask
