"""Running trainers' feature files through pytest-bdd from inside the command, with no checkout.

``thresholds features run`` calls :func:`run` which calls ``pytest.main`` on the packaged
test module :mod:`service.training.bdd_suite` with the packaged glue
:mod:`service.training.bdd` as a plugin. pytest is isolated from whatever folder the trainer
is in: it gets an empty ini file and rootdir in a temporary folder and no cache, so a
project's own pytest settings cannot change the run. The Cucumber JSON that pytest-bdd writes
is read back into :mod:`service.training.report` values for the summary and the HTML page.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

from engine.errors import Problem
from service.training.report import FeatureRun, load_cucumber


@dataclass(frozen=True)
class ExerciseRun:
    exit_code: int  # pytest's: 0 all passed, 1 some failed, 5 nothing collected (e.g. no scenario has the tag)
    features: list[FeatureRun]
    cucumber_json: str
    pytest_output: str
    broken: dict[str, list[Problem]]  # files not run (syntax, no scenarios, undeclared tag), with their problems


def run(paths: list[Path], tag: str | None = None, rulesets: str | None = None) -> ExerciseRun:
    import importlib.util
    import sys

    import pytest

    from service.training import bdd

    spec = importlib.util.find_spec("service.training.bdd_suite")
    assert spec is not None and spec.origin is not None
    bdd.EXERCISES[:] = [p.resolve() for p in paths]
    _good, broken = bdd.split(bdd.EXERCISES)
    sys.modules.pop("service.training.bdd_suite", None)  # collected afresh by pytest on every run
    with tempfile.TemporaryDirectory(prefix="thresholds-run-") as tmp:
        ini = Path(tmp) / "pytest.ini"
        ini.write_text("[pytest]\n", encoding="utf-8")
        cucumber = Path(tmp) / "cucumber.json"
        args = [spec.origin, "-c", str(ini), "--rootdir", tmp, "-p", "no:cacheprovider",
                "-o", "python_files=bdd_suite.py", "-q", "--tb=line", "--no-header",
                f"--cucumberjson={cucumber}", "-W", "ignore::pytest.PytestAssertRewriteWarning"]
        if tag:
            args += ["-m", tag.removeprefix("@")]
        if rulesets:
            args += [bdd.RULESETS_OPTION, str(rulesets)]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            code = int(pytest.main(args, plugins=[bdd]))
        text = cucumber.read_text(encoding="utf-8") if cucumber.is_file() else "[]"
        runs = load_cucumber(cucumber) if cucumber.is_file() else []
    sys.modules.pop("service.training.bdd_suite", None)
    bdd.EXERCISES.clear()
    return ExerciseRun(code, runs, text, out.getvalue(), broken)
