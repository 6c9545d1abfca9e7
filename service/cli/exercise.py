"""``thresholds exercise FEATURE``: trainee mode, a feature file's scenarios as marked questions."""

from __future__ import annotations

import argparse
import sys
from typing import Any


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "exercise", help="trainee mode: answer a feature file's scenarios, then see the expected answer and why",
        description="Present each scenario's facts without the expected answer and ask: the level, whether a "
        "safety override applies, where a referral lands higher between two councils, or what you would ask "
        "next. After each answer: a short verdict and what decided it (--details for the full explanation). "
        "A blank answer is skipped, not wrong. Scenarios whose expectation the engine contradicts are refused.")
    p.add_argument("feature", metavar="FEATURE", help="a .feature file")
    p.add_argument("--answers", metavar="FILE", help="answers as JSON ({\"1\": \"L3\"}) or CSV (exercise,answer)")
    p.add_argument("--details", action="store_true", help="show the engine's full explanation after each answer")
    p.add_argument("--tag", metavar="TAG", help="only scenarios with this tag")
    p.add_argument("--limit", metavar="N", type=int, help="ask at most N questions")
    p.add_argument("--shuffle", action="store_true", help="ask the questions in a random order")
    p.add_argument("--seed", type=int, help="with --shuffle: the same order every time for this number")
    p.add_argument("--scores", metavar="FILE", help="save the marked answers for the trainer (.csv or .json)")
    p.add_argument("--trainee", default="", metavar="NAME", help="the name to put in the scores file")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from service.training.feature import FeatureError
    from service.training.state import Runtime
    from service.training.trainee import (
        build_exercise,
        choose,
        file_asker,
        prompt_asker,
        read_answers,
        run_session,
        save_scores,
    )

    if args.limit is not None and args.limit < 1:
        print("error: --limit must be 1 or more", file=sys.stderr)
        return 1
    answers = read_answers(args.answers) if args.answers else None
    runtime = Runtime(getattr(args, "rulesets", None))
    tag = args.tag.removeprefix("@") if args.tag else None
    try:
        exercise = build_exercise(args.feature, runtime, tag)
    except FeatureError as e:
        for problem in e.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    for r in exercise.refused:
        print(f"refused: {r.case.path}:{r.case.line}: {r.case.name}: {r.reason}", file=sys.stderr)
    questions = choose(exercise.questions, args.limit, args.shuffle, args.seed)
    if not questions:
        print(f"error: {args.feature}: no scenario gives a question to ask"
              + (f" with the tag @{tag}" if tag else ""), file=sys.stderr)
        return 1
    print(f"{len(questions)} exercises from {args.feature}. Suggestions support a qualified practitioner, who "
          "decides.")
    if answers is not None:
        known = {k for q in questions for k in q.keys}
        for key in sorted(set(answers) - known):
            print(f"warning: {args.answers}: answer '{key}' matches no exercise", file=sys.stderr)
        ask = file_asker(answers)
    else:
        ask = prompt_asker(input, sys.stdout)
    score = run_session(questions, ask, sys.stdout, runtime, args.details)
    if args.scores:
        save_scores(score, args.scores, args.trainee)
        print(f"wrote {args.scores}")
    return 0 if score.correct == len(questions) else 2
