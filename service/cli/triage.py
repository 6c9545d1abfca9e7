"""``thresholds triage``: one question at a time, only those whose answers can change the result.

The worker answers each question, says "not known" (``?``), or ``stop``. After every answer
the running suggestion is evaluated live (both channels, cross-checked) and shown with why;
the session ends with the full explained suggestion when nothing left could change it, when
only "not known" facts could, or when the worker stops. The order is the engine's
(:mod:`engine.triage.questions`): the child's age, then immediate danger, then the presenting concern
(the worker names it in a word, e.g. "missing", and its questions come next), then the other
safety rules, then what could raise the level furthest. The national safety questions that are
plain yes/no concerns are asked together as a checklist (:mod:`engine.triage.screens`, the same
screens as the web journey): type the numbers that apply, ``none`` or ``?``. Naming a concern
only reorders the questions: "complete" still needs every safety question settled.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from engine.evaluate.decision import replaced_by_ref
from engine.evaluate.evaluator import Evaluator
from engine.evaluate.suggestion import STATEMENT, Suggestion
from engine.load import cache
from engine.load.catalogue import LoadedRuleset
from engine.load.definitions import DEFINITIONS_FILE, Entry, Manual, load_definitions
from engine.model.vocabulary import FactValue
from engine.render.explanation import to_text
from engine.triage.answers import NotKnown, parse_answer
from engine.triage.questions import NextQuestion, QuestionEngine, question_engine
from engine.triage.screens import NONE_OF_THESE, NOT_KNOWN_YET, Screen, answer_checklist, next_screen
from service.cli.common import catalogue, parse_date, read_json, referral_facts
from service.cli.terminal import show

STOP_WORDS = frozenset({"stop", "quit", "exit", "q"})


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "triage", help="ask only the questions that can change the suggestion, one at a time",
        description="Interactive triage under one authority's ruleset: asks the child's age, then immediate "
        "danger, then only the questions whose answers could change the suggestion or the required actions. "
        "Answer each question, type ? if not known, or stop. Exit status 0 for a suggestion, 3 when no "
        "suggestion could be made.")
    p.add_argument("--ruleset", required=True, metavar="ID", help="authority id, e.g. kent")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--version", metavar="V", help="a specific ruleset version")
    g.add_argument("--as-of", type=parse_date, metavar="DATE", help="the version in force on DATE (YYYY-MM-DD)")
    p.add_argument("--facts", metavar="FACTS.json", help="start from facts already known (referral JSON)")
    p.add_argument("--ids", action="store_true", help="also show the rule ids in the explained suggestion")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    cat = catalogue(args, only=[args.ruleset])
    loaded = cat.select(args.ruleset, version=args.version, as_of=args.as_of)
    facts: dict[str, FactValue] = {}
    if args.facts:
        start = referral_facts(read_json(args.facts), args.facts)
        cat.vocabulary.normalise(start)  # bad facts are reported before anything is compiled
        facts = {k: v for k, v in start.items() if v is not None}
    evaluator = Evaluator.for_rulesets(cat, [loaded])
    engine = question_engine(evaluator.compiled(loaded))
    session = Session(loaded, evaluator, engine, facts)
    session.definitions = _definitions(Path(cat.root))
    session.ids = args.ids
    return session.run()


def _definitions(root: Path) -> dict[str, Entry]:
    """The definitions manual's entries, shown as help beside each question (none if the folder has no manual)."""
    path = root / DEFINITIONS_FILE
    if not path.is_file():
        return {}
    # the 370 KB manual parsed once per content, not at every triage start (engine/load/cache.py)
    return dict(cache.cached(Manual, [path], lambda: load_definitions(path)[0]).facts)


def read_answer() -> str | None:
    """The worker's next line, stripped; None when they stop (or input ends)."""
    try:
        text = input("> ")
    except EOFError:
        say("")
        return None
    if not sys.stdin.isatty():
        say(text)  # keep a piped transcript readable
    return None if text.strip().lower() in STOP_WORDS else text.strip()


class Session:
    """One interactive triage: the facts answered so far and those answered "not known"."""

    def __init__(self, loaded: LoadedRuleset, evaluator: Evaluator, engine: QuestionEngine,
                 facts: dict[str, FactValue]) -> None:
        self.loaded = loaded
        self.evaluator = evaluator
        self.engine = engine
        self.facts = facts
        self.not_known: set[str] = set()
        self.asked = 0
        self.shown: set[str] = set()
        """Facts listed on a checklist already."""
        self.definitions: dict[str, Entry] = {}
        self.presenting: list[str] = []
        self.ids = False
        """Show rule ids in the final explanation (``--ids``)."""
        self.concern_asked = False

    def run(self) -> int:
        info = self.loaded.model.ruleset
        if (rep := replaced_by_ref(info)) is not None:  # before anything else: the document may not be current
            say(f"WARNING: {rep.notice} Check the suggestion against it: {rep.url}")
        say(f"Triage under {info.authority}: {info.document.title} (ruleset {info.id} {info.version}).")
        say(STATEMENT)
        say("Answer each question; type ? if it is not known (never guess 'no'), or stop to finish.")
        while True:
            norm = self.loaded.vocabulary.normalise(self.facts)
            q = self.engine.next_questions(norm, self.not_known, limit=1, presenting=self.presenting)
            if not self.concern_asked and q.questions and not (
                    q.questions[0].opening or q.questions[0].safety_floor == "immediate_protection"):
                self.concern_asked = True  # after the age and immediate danger: what is the referral about?
                if not self.ask_concern():
                    break
                q = self.engine.next_questions(norm, self.not_known, limit=1, presenting=self.presenting)
            if q.complete:
                say("\nNo unanswered question could change this suggestion or the required actions.")
                break
            if not q.questions:
                say("\nNo more questions to ask; these could still change the result but are not known: "
                    + ", ".join(self.loaded.vocabulary.fact(f).label for f in q.not_known_that_matter) + ".")
                break
            question = q.questions[0]
            # the named concern's questions come first (one at a time here, a few per screen on the web)
            screen = next_screen(self.engine, norm, self.not_known, self.shown, self.presenting)
            if screen is not None and screen.kind == "checklist":
                if not self.ask_checklist(screen):
                    break
                show_running(self.evaluator.evaluate(self.loaded, self.facts))
                continue
            if not self.ask(question, q.questions_total):
                break
            show_running(self.evaluator.evaluate(self.loaded, self.facts))
        final = self.evaluator.evaluate(self.loaded, self.facts)
        say(f"\n{'=' * 30} Explained suggestion after {self.asked} question(s) {'=' * 30}")
        show(to_text(final, ids=self.ids), emphasise_required=True, page=False)
        return 0 if final.kind == "suggestion" else 3

    def ask_checklist(self, screen: Screen) -> bool:
        """One safety checklist ("select all that apply"); False when the worker stops."""
        self.asked += 1
        self.shown.update(screen.facts)
        say(f"\nQuestion {self.asked} [safety checklist]: {screen.title} Select all that apply.")
        for k, item in enumerate(screen.items, 1):
            say(f"  {k}. {item.label}: {item.question}")
        say("  Answer: the numbers that apply (e.g. 1 3), none (none of these), ? (not known yet), or stop. "
            "Numbers not given stay unanswered (not 'no') and are asked again.")
        while (text := read_answer()) is not None:
            said = text.lower()
            choice = NONE_OF_THESE if said in ("none", "n", "no", "0") else NOT_KNOWN_YET if said in (
                "?", "not known", "unknown") else None
            numbers = [] if choice else said.replace(",", " ").split()
            try:
                if any(not n.isdigit() or not 1 <= int(n) <= len(screen.items) for n in numbers):
                    raise ValueError(f"give numbers from 1 to {len(screen.items)}, none, or ?")
                result = answer_checklist(screen, [screen.items[int(n) - 1].fact for n in numbers], choice)
            except ValueError as e:
                say(f"  Not understood: {e}.")
                continue
            self.facts.update(result.facts)
            self.not_known.update(result.not_known)
            return True
        return False

    def ask_concern(self) -> bool:
        """Ask what the referral is about, so its questions come next; False when the worker stops."""
        say("\nWhat is the main concern in this referral? Type a word or two (for example: missing, bruise, "
            "neglect, domestic abuse), or press Enter to skip.")
        while (text := read_answer()) is not None:
            said = text.lower()
            if not said:
                return True
            found = self.engine.concerns_matching(said)
            if found:
                self.presenting = found
                labels = sorted({self.loaded.vocabulary.fact(f).label for f in self.engine.form
                                 if self.loaded.vocabulary.fact(f).concern in found})
                say("  Questions about " + "; ".join(labels) + " come next. Every safety question is still "
                    "asked before the result is called complete.")
                return True
            say(f"  No question of this ruleset is about '{said}'; try another word, or press Enter.")
        return False

    def ask(self, question: NextQuestion, remaining: int) -> bool:
        """Ask until understood; False when the worker stops."""
        self.asked += 1
        show_question(question, self.asked, remaining, self.definitions.get(question.fact))
        fact = self.loaded.vocabulary.fact(question.fact)
        while (text := read_answer()) is not None:
            said = text.lower()
            if said.isdigit() and question.kind != "integer" and 1 <= int(said) <= len(question.answers):
                self.facts[question.fact] = question.answers[int(said) - 1].value
                return True
            try:
                value = parse_answer(fact, text)
            except ValueError as e:
                say(f"  Not understood: {e}.")
                continue
            if isinstance(value, NotKnown):
                self.not_known.add(question.fact)
            else:
                self.facts[question.fact] = value
            return True
        return False


def say(text: str) -> None:
    print(text, flush=True)


def show_question(q: NextQuestion, number: int, remaining: int, definition: Entry | None = None) -> None:
    mark = " [safety]" if q.safety else ""
    say(f"\nQuestion {number}{mark} ({remaining} that could still matter): {q.question}")
    if q.hint:
        say(f"  Hint: {q.hint}")
    if definition is not None:
        if not definition.definition.startswith(q.question):
            say(f"  Definition: {definition.definition}")
        say(f"  Counts: {definition.counts}")
        say(f"  Does not count: {definition.does_not_count}")
    say(f"  Why asked: {q.why}")
    for k, a in enumerate(q.answers, 1):
        effects = [f"safety rule {o.id}" for o in a.overrides] + [f"indicator {i.id} ({i.level.id})"
                                                                 for i in a.indicators]
        lead = f"  {k}. {a.answer}" if q.kind != "integer" else f"  - {a.answer}"
        tail = f" -> {', '.join(effects)}; suggestion {a.outcome.label} ({a.level.id})" if effects else ""
        say(lead + tail)
    say("  Answer: " + ("a whole number" if q.kind == "integer" else "the number or the words")
        + ", ? if not known, or stop.")


def show_running(s: Suggestion) -> None:
    if s.kind != "suggestion" or s.level is None or s.completeness is None:
        say(f"  NO SUGGESTION: {s.reason}")
        return
    if s.headline is not None:
        say(f"  So far: {s.headline.summary}")
        say(f"  What decided it: {s.headline.decided}")
    for a in s.required_actions:
        if a.origin != "outcome":
            say(f"  ! {(a.title or a.says).strip()} [{a.rule}]")
    for m in s.matched_indicators[:5]:
        say(f"  because [{m.level.id}] {m.says} ({m.id})")
    if len(s.matched_indicators) > 5:
        say(f"  ... and {len(s.matched_indicators) - 5} more matched indicators")
