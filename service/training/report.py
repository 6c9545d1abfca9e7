"""A run's results for people: a terminal summary and a shareable HTML page.

Both are rendered from the Cucumber JSON that ``pytest --cucumberjson=FILE`` writes, so a
trainer can run the exercises once and share the page; this module computes only pass/fail
per scenario from the steps' statuses. The HTML page is the one document model
(:func:`report_document`) written by engine.render.document's template: self-contained (inline
CSS, no scripts), escaping everything it shows.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.errors import ThresholdsError
from engine.render import document
from engine.render.document import Bullets, Document, Heading, Item, Para

MAX_REPORT_BYTES = 50_000_000


@dataclass
class ScenarioRun:
    name: str
    line: int
    status: str  # passed | failed | skipped
    tags: list[str] = field(default_factory=list)
    steps: list[tuple[str, str]] = field(default_factory=list)  # (text, status)
    failed_step: str | None = None
    error: str | None = None


@dataclass
class FeatureRun:
    name: str
    uri: str
    scenarios: list[ScenarioRun]

    def count(self, status: str) -> int:
        return sum(1 for s in self.scenarios if s.status == status)


def _need(cond: bool, where: str, what: str) -> None:
    if not cond:
        raise ThresholdsError(f"not a Cucumber JSON report: {where} {what}")


def load_cucumber(path: Path | str) -> list[FeatureRun]:
    """Read a Cucumber JSON file; errors name the file and a JSON pointer."""
    return parse_cucumber(read_json(path, MAX_REPORT_BYTES), str(path))


def read_json(path: Path | str, max_bytes: int) -> Any:
    """A JSON file a trainer gives, size-capped; errors name the file (and line:column)."""
    p = Path(path)
    if not p.is_file():
        raise ThresholdsError(f"{path}: file not found")
    if p.stat().st_size > max_bytes:
        raise ThresholdsError(f"{path}: file is larger than {max_bytes} bytes")
    try:
        return json.loads(p.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ThresholdsError(f"{path}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from None
    except (UnicodeDecodeError, RecursionError):
        raise ThresholdsError(f"{path}: not a readable JSON text file") from None


def parse_cucumber(doc: Any, name: str = "report") -> list[FeatureRun]:
    _need(isinstance(doc, list), f"{name}:", "must be a list of features")
    out: list[FeatureRun] = []
    for i, f in enumerate(doc):
        where = f"{name}: /{i}"
        _need(isinstance(f, dict) and isinstance(f.get("elements", []), list), where, "must be a feature object")
        runs: list[ScenarioRun] = []
        for j, el in enumerate(f.get("elements", [])):
            ew = f"{where}/elements/{j}"
            _need(isinstance(el, dict) and isinstance(el.get("steps", []), list), ew, "must be a scenario object")
            run = ScenarioRun(str(el.get("name", "")), int(el.get("line", 0) or 0), "passed",
                              [str(t.get("name", "")) for t in el.get("tags", []) if isinstance(t, dict)])
            for k, st in enumerate(el.get("steps", [])):
                _need(isinstance(st, dict), f"{ew}/steps/{k}", "must be a step object")
                result = st.get("result") if isinstance(st.get("result"), dict) else {}
                status = str(result.get("status", "skipped"))
                text = f"{str(st.get('keyword', '')).strip()} {st.get('name', '')}"
                run.steps.append((text, status))
                if status == "failed" and run.failed_step is None:
                    run.status = "failed"
                    run.failed_step = f"line {st.get('line', '?')}: {text}"
                    run.error = _short_error(str(result.get("error_message", "")))
                elif status != "passed" and run.status == "passed":
                    run.status = "skipped"
            runs.append(run)
        out.append(FeatureRun(str(f.get("name", "")), str(f.get("uri", "")), runs))
    return out


def _short_error(text: str) -> str:
    """The readable part of a pytest failure: the lines after the step line, without tracebacks."""
    lines = [ln.strip() for ln in text.strip().splitlines() if ln.strip()]
    useful = [ln for ln in lines if not ln.startswith(("File ", "Traceback", "During handling", "E "))]
    return " ".join(useful[-2:])[:1000] if useful else ""


def totals(runs: list[FeatureRun]) -> dict[str, int]:
    out = {"features": len(runs), "scenarios": 0, "passed": 0, "failed": 0, "skipped": 0}
    for f in runs:
        for s in f.scenarios:
            out["scenarios"] += 1
            out[s.status] = out.get(s.status, 0) + 1
    return out


def to_text(runs: list[FeatureRun]) -> str:
    lines: list[str] = []
    for f in runs:
        lines.append(f"{f.name} ({f.uri}): {f.count('passed')} passed, {f.count('failed')} failed"
                     + (f", {f.count('skipped')} skipped" if f.count("skipped") else ""))
        for s in f.scenarios:
            lines.append(f"  {'ok  ' if s.status == 'passed' else s.status.upper()[:4]} {s.name}")
            if s.status == "failed":
                lines.append(f"       {s.failed_step}: {s.error}")
    t = totals(runs)
    lines.append(f"{t['features']} features, {t['scenarios']} scenarios: {t['passed']} passed, "
                 f"{t['failed']} failed, {t['skipped']} skipped")
    return "\n".join(lines) + "\n"


NOTE = ("Each scenario checks a suggestion made by the Thresholds engine against a threshold document. "
        "Suggestions support a qualified practitioner, who decides.")


def report_document(runs: list[FeatureRun], title: str = "Threshold exercises: results") -> Document:
    """The results as the one document model: a section per feature; a failed scenario shows its steps and
    error, a passed or skipped one folds them away. Each step says its status in words."""
    t = totals(runs)
    doc = Document(title, [Para(f"{t['scenarios']} scenarios in {t['features']} features: {t['passed']} passed, "
                                f"{t['failed']} failed, {t['skipped']} skipped.", strong=True), Para(NOTE)])
    for f in runs:
        doc.add(Heading(2, f.name), Para(f"{f.uri}: {f.count('passed')} passed, {f.count('failed')} failed"))
        for s in f.scenarios:
            summary = " ".join([s.status.upper(), s.name, *(f"@{tag}" for tag in s.tags)])
            steps = [Item(f"{text} ({status})") for text, status in s.steps]
            if s.status == "failed":
                doc.add(Para(summary, strong=True), Bullets(steps))
            else:
                doc.add(Bullets(steps, details=summary))
            if s.error:
                doc.add(Para(f"{s.failed_step or ''}: {s.error}", note=True))
    return doc


def to_html(runs: list[FeatureRun], title: str = "Threshold exercises: results") -> str:
    """A self-contained page (no scripts), from the template every document shares."""
    return document.to_html(report_document(runs, title))
