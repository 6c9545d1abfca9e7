"""The installed command: lazy start-up, package data, and help that matches each command.

The wheel itself is built and installed into a fresh virtual environment without extras by
``.ci/run`` (too slow for a unit test on a shared machine); these tests check the pieces it
relies on in-process and in a real subprocess.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from engine.load.catalogue import bundled_root
from service.cli import COMMANDS, build_parser, main

HEAVY = ("gherkin", "pytest_bdd", "pydantic", "durable", "flask", "ruamel", "sqlalchemy", "rich")


def _loaded_after(args: list[str]) -> set[str]:
    code = ("import sys\nfrom service.cli import main\n"
            f"try:\n    main({args!r})\nexcept SystemExit:\n    pass\n"
            "import json; print(json.dumps(sorted(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    return set(json.loads(out.stdout.splitlines()[-1]))


def test_help_imports_no_command_module_and_no_heavy_library() -> None:
    loaded = _loaded_after(["--help"])
    assert not [m for m in loaded if m.split(".")[0] in HEAVY]
    assert not [m for m in loaded if m.startswith("service.cli.") or m.startswith("engine.load.catalogue")]


def test_a_command_imports_only_its_own_module() -> None:
    loaded = _loaded_after(["list", "--help"])
    cli = {m for m in loaded if m.startswith("service.cli.")}
    assert cli == {"service.cli.list", "service.cli.common", "service.cli.terminal"}  # terminal: how output prints
    assert not [m for m in loaded if m.split(".")[0] in ("gherkin", "pytest_bdd", "flask", "durable")]


def test_every_command_summary_matches_its_module() -> None:
    full = build_parser()
    sub = next(a for a in full._actions if isinstance(a, argparse._SubParsersAction))
    helps = {c.dest: c.help for c in sub._choices_actions}
    assert helps == COMMANDS


def test_command_help_is_complete_when_chosen(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--rulesets", str(bundled_root()), "evaluate", "--help"])
    assert "--as-of" in capsys.readouterr().out


def test_bundled_rulesets_are_package_data() -> None:
    from importlib.resources import files

    root = files("rulesets")
    assert Path(str(root)) == bundled_root()
    assert (root / "national" / "vocabulary.yaml").is_file()
    assert (root / "england" / "kent").is_dir()
    import tomllib

    data = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())
    patterns = data["tool"]["setuptools"]["package-data"]["rulesets"]
    shipped = {p.relative_to(bundled_root()).as_posix() for pat in patterns for p in bundled_root().glob(pat)}
    every = {p.relative_to(bundled_root()).as_posix() for p in bundled_root().rglob("*")
             if p.is_file() and p.suffix in (".yaml", ".json")}
    assert shipped == every, "a ruleset file would be left out of the wheel"


def test_thresholds_rulesets_points_at_a_councils_folder(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("THRESHOLDS_RULESETS", str(tmp_path))
    assert bundled_root() == tmp_path
    assert main(["list"]) == 1  # an empty folder is an error naming the file, not the bundled rulesets


def test_piped_output_is_the_renderers_text_without_terminal_codes() -> None:
    example = Path(__file__).resolve().parent.parent / "docs" / "examples" / "non-mobile-baby-bruise.json"
    out = subprocess.run([sys.executable, "-c", "from service.cli import run; run()", "evaluate", "--ruleset", "kent",
                          str(example)], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0 and "REQUIRED NOW" in out.stdout
    assert "\x1b[" not in out.stdout  # piped: plain text, no colour codes or pager


def test_on_a_terminal_required_now_is_emphasised(monkeypatch: pytest.MonkeyPatch) -> None:
    import io

    from service.cli import terminal

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    screen = Tty()
    monkeypatch.setattr(sys, "stdout", screen)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("LINES", "200")
    terminal.show("Kent\n\nREQUIRED NOW (safety overrides):\n  ! call 999\n\nLevel L4\n", emphasise_required=True)
    text = screen.getvalue()
    bold_red = text.index("REQUIRED NOW")
    assert "\x1b[" in text[:bold_red] and "call 999" in text
    assert "\x1b[1;31m  ! call 999" in text  # the block is bold red
    assert "\x1b[1;31mLevel L4" not in text  # the block ends at the next heading


def test_validate_of_many_files_shows_progress_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    import io

    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    assert main(["validate", str(bundled_root())]) == 0
    assert capsys.readouterr().err == ""  # not a terminal: no bar
    err = Tty()
    monkeypatch.setattr(sys, "stderr", err)
    assert main(["validate", str(bundled_root())]) == 0
    n = len(list(bundled_root().rglob("*.yaml")))
    assert "validate" in err.getvalue() and f"{n}/{n}" in err.getvalue().replace(" ", "")
