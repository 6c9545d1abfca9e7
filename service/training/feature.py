"""A feature file as the trainer's tools see it: scenarios (outlines expanded) with step lines.

Parsed with the official Gherkin parser, one file at a time, so a syntax error is reported
with its file, line and column and never stops the other files (pytest-bdd aborts the whole
collection on the first malformed file). Scenario Outlines are expanded into one case per
Examples row, exactly as pytest-bdd runs them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gherkin.errors import CompositeParserException, ParserException
from gherkin.parser import Parser
from gherkin.pickles.compiler import Compiler

from engine.errors import Problem, ThresholdsError
from service.training.registry import Kind, Registry, StepError, Table

MAX_FEATURE_BYTES = 500_000
_KIND = {"Context": "given", "Action": "when", "Outcome": "then"}


class FeatureError(ThresholdsError):
    """A feature file that cannot be read or parsed; every problem names file:line:column."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class StepFailed(StepError):
    """A step that failed, with where it is."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


@dataclass(frozen=True)
class StepLine:
    kind: Kind
    keyword: str
    text: str
    line: int
    column: int
    table: Table | None


@dataclass(frozen=True)
class Case:
    """One runnable scenario: a Scenario, or one Examples row of a Scenario Outline."""

    path: str
    feature: str
    name: str
    line: int
    tags: tuple[str, ...]
    steps: tuple[StepLine, ...]


@dataclass(frozen=True)
class FeatureDoc:
    path: str
    name: str
    line: int
    tags: tuple[str, ...]
    cases: tuple[Case, ...]


def _ast_steps(node: Any, out: dict[str, tuple[str, int, int]]) -> None:
    """Step AST ids -> (keyword, line, column), through backgrounds, scenarios and rules."""
    if isinstance(node, dict):
        if "keyword" in node and "text" in node and "location" in node and "id" in node:
            loc = node["location"]
            out[node["id"]] = (node["keyword"].strip(), loc["line"], loc.get("column", 1))
        for v in node.values():
            _ast_steps(v, out)
    elif isinstance(node, list):
        for v in node:
            _ast_steps(v, out)


def read_feature(path: Path | str) -> FeatureDoc:
    """Parse one feature file; FeatureError lists every syntax problem with its position."""
    p = Path(path)
    name = str(path)
    try:
        if p.stat().st_size > MAX_FEATURE_BYTES:
            raise FeatureError([Problem(name, 1, 1, f"file is larger than {MAX_FEATURE_BYTES} bytes")])
        raw = p.read_bytes()
    except FileNotFoundError:
        raise FeatureError([Problem(name, 1, 1, "file not found")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:  # placed at the offending byte, not at 1:1
        line = raw.count(b"\n", 0, e.start) + 1
        column = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise FeatureError([Problem(name, line, column, f"not UTF-8 text (byte 0x{raw[e.start]:02x}): save the "
                                    "file as UTF-8")]) from None
    return parse_feature(text, name)


def parse_feature(text: str, name: str) -> FeatureDoc:
    text = text.removeprefix("\ufeff")  # the byte-order mark Notepad writes is not a syntax error
    try:
        doc: Any = Parser().parse(text)
    except CompositeParserException as e:
        raise FeatureError([_problem(name, err) for err in e.errors]) from None
    except ParserException as e:
        raise FeatureError([_problem(name, e)]) from None
    feature = doc.get("feature")
    if not feature:
        raise FeatureError([Problem(name, 1, 1, "no 'Feature:' line: a feature file starts with 'Feature: <title>'")])
    doc["uri"] = name
    steps: dict[str, tuple[str, int, int]] = {}
    _ast_steps(feature, steps)
    cases: list[Case] = []
    for pickle in Compiler().compile(doc):
        lines: list[StepLine] = []
        last: Kind = "given"
        for ps in pickle["steps"]:
            keyword, line, col = steps.get(ps["astNodeIds"][0], ("*", pickle["location"]["line"], 1))
            kind: Kind = _KIND.get(ps.get("type", ""), last)  # type: ignore[assignment]
            last = kind
            table = None
            arg: Any = ps.get("argument", {})
            if "dataTable" in arg:
                table = [[c["value"] for c in row["cells"]] for row in arg["dataTable"]["rows"]]
            lines.append(StepLine(kind, keyword, ps["text"], line, col, table))
        loc = pickle["location"]
        cases.append(Case(name, feature["name"], pickle["name"], loc["line"],
                          tuple(t["name"].lstrip("@") for t in pickle["tags"]), tuple(lines)))
    tags = tuple(t["name"].lstrip("@") for t in feature.get("tags", []))
    return FeatureDoc(name, feature["name"], feature["location"]["line"], tags, tuple(cases))


def _problem(name: str, err: Any) -> Problem:
    loc = getattr(err, "location", None) or {}
    message = str(err)
    if message.startswith("("):  # "(5:7): inconsistent cell count" -> the message alone
        message = message.split(": ", 1)[-1]
    return Problem(name, int(loc.get("line") or 1), int(loc.get("column") or 1), message)


def run_case(case: Case, registry: Registry, state: Any) -> None:
    """Run every step of ``case`` on ``state``; StepFailed names the step's file:line:column."""
    for st in case.steps:
        try:
            registry.run(st.kind, st.text, state, st.table)
        except ThresholdsError as e:  # StepError, bad facts, unknown ruleset or version
            raise StepFailed(Problem(case.path, st.line, st.column, one_line(e))) from None


@contextmanager
def text_file(name: str, text: str, suffixes: tuple[str, ...] = (".feature",)) -> Iterator[tuple[Path, str]]:
    """A trainer's uploaded file as a temporary file named after it, for the readers that take a path:
    yields (path, shown name); replace the path with the shown name in errors (a temporary path means
    nothing to the trainer)."""
    import re
    import tempfile

    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name)[:100] or "upload"
    if not safe.endswith(suffixes):
        safe += suffixes[0]
    with tempfile.TemporaryDirectory(prefix="thresholds-upload-") as tmp:
        path = Path(tmp) / safe
        path.write_text(text, encoding="utf-8")
        yield path, safe


def one_line(e: ThresholdsError) -> str:
    problems = getattr(e, "problems", None)
    if problems:
        return "; ".join(str(p) for p in problems)
    return str(e)
