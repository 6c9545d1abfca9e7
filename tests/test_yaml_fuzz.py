"""YAML fuzzing of the ruleset loader: whatever the file holds, only a located ruleset error escapes.

A valid ruleset is mutated by hypothesis with the constructs that have broken YAML libraries
(comments between a key and its value, complex and merge keys, tabs, flow collections, quotes,
anchors, tags, BOMs, control characters, surrogates). Loading must either succeed or raise
:class:`RulesetError` whose problems name the file and a line inside it: a reload fed any such
file keeps the service up. ``THRESHOLDS_YAML_FUZZ_EXAMPLES=N`` runs a deeper search.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.errors import RulesetError
from engine.load.loader import load_ruleset_model
from tests.test_broken_rulesets import BASE, bundled

EXAMPLES = int(os.environ.get("THRESHOLDS_YAML_FUZZ_EXAMPLES", "80"))
LINES = BASE.read_text().split("\n")
FRAGMENTS = ["k:    # c\n  # d\n  v\n\n", "? [a, b]\n: c", "? {a: 1}\n: x", "<<: {level: L4}", "\t", "#", " #x",
             '"q"#c', "'q'", "[a, b,#c\n]", "{a: 1}", "&a x", "*a", "!!str x", "%YAML 1.1\n---", "---", "...",
             "- ", ": ", "? ", "|\n  x", ">-\n  y", "\ufeff", "\x00", "\x85", "\u2028", "\r\n", "\ud800", "{{{{",
             "]]]]", "k: v\nk: w", "1: 2", "~: 3", "level: L2", "level:\n", "'unterminated", '"\\x"']


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(lines) - 1))
        frag = draw(st.sampled_from(FRAGMENTS))
        col = draw(st.integers(0, len(lines[at])))
        how = draw(st.sampled_from(["insert-line", "inline", "replace"]))
        if how == "insert-line":
            indent = len(lines[at]) - len(lines[at].lstrip(" "))
            lines.insert(at, "\n".join(" " * indent + f for f in frag.split("\n")))
        elif how == "inline":
            lines[at] = lines[at][:col] + frag + lines[at][col:]
        else:
            lines[at] = lines[at][:col] + frag
    return "\n".join(lines)


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(text=mutated())
def test_nothing_but_a_located_ruleset_error_escapes_the_loader(text: str) -> None:
    vocab, national = bundled()
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "fuzzed.yaml"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            load_ruleset_model(path, vocab, national)
        except RulesetError as e:
            assert e.problems
            lines = text.count("\n") + 2
            for p in e.problems:
                assert p.file == str(path) and 1 <= p.line <= lines and p.column >= 1, str(p)
