"""``thresholds exercise FEATURE``: trainee mode, a feature file's scenarios as marked questions."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from service.training.feature import FeatureError
from service.training.state import Runtime
from service.training.trainee import build_questions, file_asker, prompt_asker, read_answers, run_session


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "exercise", help="trainee mode: answer a feature file's scenarios, then see the expected level and why",
        description="Present each scenario's facts without the expected answer, ask for a level (at the prompt, "
        "or from --answers), then show the expected level, the engine's explanation and citations, and a score.")
    p.add_argument("feature", metavar="FEATURE", help="a .feature file")
    p.add_argument("--answers", metavar="FILE", help="answers as JSON ({\"1\": \"L3\"}) or CSV (exercise,answer)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    answers = read_answers(args.answers) if args.answers else None
    runtime = Runtime(getattr(args, "rulesets", None))
    try:
        questions = build_questions(args.feature, runtime)
    except FeatureError as e:
        for problem in e.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 1
    if not questions:
        print(f"error: {args.feature}: no scenario expects a level, so there is nothing to ask", file=sys.stderr)
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
    score = run_session(questions, ask, sys.stdout, runtime)
    return 0 if score.correct == len(questions) else 2
