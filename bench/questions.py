"""Benchmark: how many questions triage asks, against the full form, per bundled ruleset.

For each bundled ruleset version, a bank of referrals with known full facts:

* witness referrals (engine/compare/witness.py: the smallest referral reaching each indicator,
  override and combination of any bundled ruleset, and its boundary variants; one shared
  sample for every ruleset), with every other fact of the form given its least concerning
  answer: one concern, nothing else wrong, which is the hardest case for asking little
  because everything else must be ruled out;
* random referrals: each fact of the form concerning with probability 10% (any of its
  concerning answers), otherwise its least concerning answer; the age is uniform.

A simulated worker starts from nothing and answers, truthfully, whatever the engine asks
first (``QuestionEngine.order_of_questions``), until the engine says complete. Printed per
ruleset: the full form (facts the ruleset reads), the median and 90th percentile number of
questions until the suggestion is final (equal to the full-facts result, outcome, level and
required actions) and until it is also complete, the medians as a share of the form, the
median of a lower bound that no question order can beat (``floor``), and the count of
cases where it said complete while an unasked answer changes the outcome (compared with
the full-facts result; must be 0). Beside the questions, the interactions a worker makes on
the real screens (engine/triage/screens.py: the opening screen, safety checklists, a few questions
at a time; a checklist screen is one interaction), until final and until complete, and the same
when the worker names the referral's main concern on the opening screen (no extra interaction;
the concern of one of its concerning facts, chosen at random). The target is a median of at most
a third of the form's questions, in interactions.
Run: ``.venv/bin/python bench/questions.py [--random N] [--witnesses N] [--seed S] [--only ID,...]``.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Mapping
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine.compare.witness import witness_bank  # noqa: E402
from engine.errors import RulesetError  # noqa: E402
from engine.evaluate.evaluator import compile_ruleset  # noqa: E402
from engine.load.catalogue import Catalogue  # noqa: E402
from engine.model.vocabulary import IntegerFact, Normalised, least_concerning, normalise_value  # noqa: E402
from engine.triage.questions import QuestionEngine, is_complete  # noqa: E402
from engine.triage.screens import NONE_OF_THESE, OPENING_SCREEN_FACTS, answer_checklist, next_screen  # noqa: E402

Result = tuple[tuple[int, int], tuple[str, ...]]


def result(qe: QuestionEngine, norm: Mapping[str, Normalised]) -> Result:
    truth = qe.compiled.fast.truth(norm)
    pos = qe.table.position(truth)
    return pos.key(), tuple(qe.actions(truth, pos))


def least(qe: QuestionEngine, fact_id: str, rng: random.Random) -> Normalised:
    fact = qe.vocab.fact(fact_id)
    if isinstance(fact, IntegerFact):
        return rng.randint(fact.minimum, fact.maximum)
    return normalise_value(fact, qe.possible(fact_id)[0].value)


def concerning(qe: QuestionEngine, fact_id: str, rng: random.Random) -> Normalised:
    fact = qe.vocab.fact(fact_id)
    if isinstance(fact, IntegerFact):
        return rng.randint(fact.minimum, fact.maximum)
    return normalise_value(fact, rng.choice(qe.possible(fact_id)[1:]).value)


def possible(qe: QuestionEngine, full: dict[str, Normalised]) -> dict[str, Normalised]:
    """A possible child: facts that cannot apply to its age (vocabulary ``applies``) are unconcerning.

    A witness can pair an age with a fact that cannot apply to it (a sexually active baby); the
    engine does not ask such a fact, so the bank keeps only children that can exist.
    """
    for f in qe.vocab.inapplicable(full):
        if f in full:
            full[f] = least_concerning(qe.vocab.fact(f))
    return full


def full_from_witness(qe: QuestionEngine, norm: Mapping[str, Normalised], rng: random.Random) -> dict[str, Normalised]:
    return possible(qe, {f: norm[f] if f in norm else least(qe, f, rng) for f in qe.form})


def random_full(qe: QuestionEngine, rng: random.Random, p: float = 0.10) -> dict[str, Normalised]:
    return possible(qe, {f: concerning(qe, f, rng) if rng.random() < p else least(qe, f, rng) for f in qe.form})


def complete(qe: QuestionEngine, known: Mapping[str, Normalised]) -> bool:
    """The engine's own notion: bounds over the facts that can still apply."""
    return is_complete(qe.table, qe.table.bounds(known, qe.compiled.fast.truth(known))[1])


def simulate(qe: QuestionEngine, full: Mapping[str, Normalised]) -> tuple[int, int, bool]:
    """(questions until final, questions until complete, said complete wrongly)."""
    final = result(qe, full)
    known: dict[str, Normalised] = {}
    asked = 0
    final_at = None
    while True:
        if final_at is None and result(qe, known) == final:
            final_at = asked
        if complete(qe, known):
            break
        order = qe.order_of_questions(known)
        if not order:  # cannot happen: incomplete always has a question (checked by the tests)
            raise AssertionError("incomplete with nothing to ask")
        known[order[0]] = full[order[0]]
        asked += 1
    wrong = result(qe, known) != final
    return final_at if final_at is not None else asked, asked, wrong


def main_concern(qe: QuestionEngine, full: Mapping[str, Normalised], rng: random.Random) -> list[str]:
    """The concern a worker would name: that of one of the referral's concerning facts (none if it has none)."""
    concerns = sorted({qe.vocab.fact(f).concern for f, v in full.items()
                       if f not in OPENING_SCREEN_FACTS and not isinstance(qe.vocab.fact(f), IntegerFact)
                       and v != least_concerning(qe.vocab.fact(f))})
    return [rng.choice(concerns)] if concerns else []


def simulate_screens(qe: QuestionEngine, full: Mapping[str, Normalised],
                     presenting: list[str] | None = None) -> tuple[int, int]:
    """(interactions until final, until complete) answering the real screens (engine/triage/screens.py).

    One interaction per screen: the opening screen and each question screen are answered in
    full; a checklist is answered "None of these" when no item applies, otherwise by ticking
    the items that apply (the others come back on a later checklist). The council choice is
    not counted (one more interaction on the web). ``presenting``: the main concern named on the
    opening screen (the web journey's "What is the main concern?"; no extra interaction).
    """
    final = result(qe, full)
    known: dict[str, Normalised] = {}
    interactions = 0
    final_at = None
    shown: set[str] = set()
    while True:
        if final_at is None and result(qe, known) == final:
            final_at = interactions
        if complete(qe, known):  # the engine's notion (facts that cannot apply to the age are not asked)
            break
        screen = next_screen(qe, known, (), shown, presenting or ())
        if screen is None:
            raise AssertionError("incomplete with nothing to ask")
        if screen.kind == "checklist":
            shown.update(screen.facts)
            ticked = [f for f in screen.facts if full[f] is True]
            known.update(answer_checklist(screen, ticked, None if ticked else NONE_OF_THESE).facts)
        else:
            known.update({f: full[f] for f in screen.facts})
        interactions += 1
    return final_at if final_at is not None else interactions, interactions


def floor(qe: QuestionEngine, full: Mapping[str, Normalised]) -> int:
    """A lower bound for ANY question order: facts without which even the rest of the form is not complete.

    Knowing more never makes a result less complete (decided rules stay decided), so if the
    whole form except ``f`` is still incomplete, every complete set of answers contains ``f``.
    """
    return sum(1 for f in qe.form
               if not complete(qe, {k: v for k, v in full.items() if k != f}))


def pct(values: list[int], q: float) -> float:
    ordered = sorted(values)
    return float(ordered[min(len(ordered) - 1, int(q * len(ordered)))]) if ordered else 0.0


Case = tuple[int, int, bool, int, float, int, int, int, int]
"""(questions until final, until complete, said complete wrongly, lower bound, seconds,
interactions until final, interactions until complete, the same two with the main concern named)."""


def run_case(qe: QuestionEngine, full: Mapping[str, Normalised], rng: random.Random) -> Case:
    t0 = time.perf_counter()
    f, c, w = simulate(qe, full)
    seconds = time.perf_counter() - t0
    fi, ci = simulate_screens(qe, full)
    ni, nc = simulate_screens(qe, full, main_concern(qe, full, rng))
    return f, c, w, floor(qe, full), seconds, fi, ci, ni, nc


def summary(form: int, cases: list[Case]) -> dict[str, float]:
    finals = [c[0] for c in cases]
    completes = [c[1] for c in cases]
    return {
        "form": form, "cases": len(cases), "final_p50": statistics.median(finals), "final_p90": pct(finals, 0.9),
        "complete_p50": statistics.median(completes), "complete_p90": pct(completes, 0.9),
        "share_final": statistics.median(finals) / form, "share": statistics.median(completes) / form,
        "floor_p50": statistics.median(c[3] for c in cases), "wrong": sum(c[2] for c in cases),
        "ms_per_question": 1000 * sum(c[4] for c in cases) / max(1, sum(completes)),
        "i_final_p50": statistics.median(c[5] for c in cases),
        "i_complete_p50": statistics.median(c[6] for c in cases), "i_complete_p90": pct([c[6] for c in cases], 0.9),
        "i_share": statistics.median(c[6] for c in cases) / form,
        "n_final_p50": statistics.median(c[7] for c in cases), "n_complete_p50": statistics.median(c[8] for c in cases),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--random", type=int, default=200, help="random referrals per ruleset (default 200)")
    ap.add_argument("--witnesses", type=int, default=300, help="witnesses sampled (the same for every ruleset)")
    ap.add_argument("--seed", type=int, default=8)
    ap.add_argument("--only", default="", help="comma-separated ruleset ids (default: every bundled ruleset)")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    try:
        cat = Catalogue.load()
    except RulesetError as e:
        sys.exit("\n".join(f"error: {p}" for p in e.problems))
    rulesets = cat.all()
    bank = witness_bank(rulesets)
    print(f"{len(rulesets)} ruleset version(s); {len(bank.witnesses)} witnesses, {args.witnesses} sampled; "
          f"{args.random} random referrals per ruleset; seed {args.seed}")
    head = (f"{'ruleset':30} {'bank':7} {'form':>4} {'cases':>5} {'final p50':>9} {'p90':>4} {'/form':>5} "
            f"{'complete p50':>12} {'p90':>4} {'/form':>5} {'floor p50':>9} {'wrong':>5} {'ms/q':>5} "
            f"{'int final':>9} {'int complete':>12} {'p90':>4} {'/form':>5} {'named final':>11} {'named compl':>11}")
    print(head)
    print("-" * len(head))
    total_wrong = 0
    # One shared sample of witnesses (each was made for some ruleset, and is a referral for all).
    unique = list({tuple(sorted(w.norm.items())): w.norm for w in bank.witnesses}.values())
    rng.shuffle(unique)
    sample = unique[:args.witnesses]
    only = {r for r in args.only.split(",") if r}
    for lr in rulesets:
        if only and lr.id not in only:
            continue
        qe = QuestionEngine(compile_ruleset(lr, with_durable=False))
        runs = {"witness": [run_case(qe, full_from_witness(qe, w, rng), rng) for w in sample],
                "random": [run_case(qe, random_full(qe, rng), rng) for _ in range(args.random)]}
        runs["all"] = runs["witness"] + runs["random"]
        total_wrong += sum(c[2] for c in runs["all"])
        for name, cases in runs.items():
            if not cases:
                continue
            r = summary(len(qe.form), cases)
            print(f"{lr.key[:30]:30} {name:7} {r['form']:>4.0f} {r['cases']:>5.0f} {r['final_p50']:>9.1f} "
                  f"{r['final_p90']:>4.0f} {r['share_final']:>5.2f} {r['complete_p50']:>12.1f} "
                  f"{r['complete_p90']:>4.0f} {r['share']:>5.2f} {r['floor_p50']:>9.1f} {r['wrong']:>5.0f} "
                  f"{r['ms_per_question']:>5.2f} {r['i_final_p50']:>9.1f} {r['i_complete_p50']:>12.1f} "
                  f"{r['i_complete_p90']:>4.0f} {r['i_share']:>5.2f} {r['n_final_p50']:>11.1f} "
                  f"{r['n_complete_p50']:>11.1f}")
    print(f"said complete while an unasked answer would have changed the outcome: {total_wrong} (must be 0)")


if __name__ == "__main__":
    main()
