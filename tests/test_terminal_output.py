"""What the command line prints: wrapped, never cut; rule ids only with --ids; --out says what it wrote.

Real commands on the bundled rulesets, run as a user runs them: piped (plain text), and on a
real pseudo-terminal of a known width (rich measures it; a long report goes through $PAGER).
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

from engine.render.document import Document, Table, to_text

REPO = Path(__file__).resolve().parent.parent
THRESHOLDS = Path(sys.executable).parent / "thresholds"
BABY = REPO / "docs" / "examples" / "non-mobile-baby-bruise.json"
SURREY = ["diff", "surrey@levels-of-need-2016", "surrey@continuum-of-support"]


def piped(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(THRESHOLDS), *map(str, args)], capture_output=True, text=True, timeout=300, cwd=REPO)


def on_terminal(args: list[str], columns: int, env: dict[str, str]) -> str:
    """The command's output on a pseudo-terminal ``columns`` wide and 24 lines high."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    proc = subprocess.Popen([str(THRESHOLDS), *args], stdin=slave, stdout=slave, stderr=slave, cwd=REPO,
                            env={**os.environ, "TERM": "xterm", **env}, close_fds=True)
    os.close(slave)
    chunks: list[bytes] = []
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal closed: the command ended
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=60) == 0
    return b"".join(chunks).decode("utf-8", "replace").replace("\r\n", "\n")


def test_a_table_cell_is_wrapped_to_the_width_never_cut() -> None:
    long = ("Level 1 Children requiring Universal Services whose needs are met by the services every child "
            "uses, named in full however long the name is")
    doc = Document(title="T", blocks=[Table("levels", ["Level", "A", "B"], [["L1", long, "short"]])])
    text = to_text(doc, width=60)
    assert "\u2026" not in text
    assert all(len(line) <= 60 for line in text.splitlines())
    lines = text.splitlines()
    rule = next(i for i, ln in enumerate(lines) if ln.startswith("--"))
    spans = [(m.start(), m.end()) for m in re.finditer(r"-+", lines[rule])]
    column = " ".join(ln[spans[1][0]:spans[1][1]].strip() for ln in lines[rule + 1:] if ln.strip())
    assert column == long  # the whole cell, in order, in its own column
    assert len([ln for ln in lines[rule + 1:] if ln.strip()]) > 1  # wrapped onto more lines


def test_the_surrey_diff_shows_every_level_name_in_full_when_piped() -> None:
    out = piped(*SURREY)
    assert out.returncode == 0, out.stderr
    assert "\u2026" not in out.stdout and "\x1b[" not in out.stdout
    assert all(len(line) <= 100 for line in out.stdout.splitlines()[1:])  # the title may be one long word
    flat = " ".join(out.stdout.split())
    for label in ("Children requiring Universal Services", "Universal/Community - Thriving",
                  "Emerging Needs - Getting advice and signposting", "MOREHELP Intensive Support - Getting more help"):
        assert label in flat


def test_on_a_terminal_the_width_is_measured_and_a_long_report_is_paged(tmp_path: Path) -> None:
    paged = tmp_path / "paged.txt"
    screen = on_terminal(SURREY, 72, {"PAGER": f"tee {paged}", "THRESHOLDS_CACHE": str(tmp_path / "c")})
    report = paged.read_text(encoding="utf-8")  # the pager received the report
    assert "Universal/Community" in report and "Universal/Community" in screen
    lines = [ln for ln in report.splitlines() if ln.strip()]
    assert max(len(ln) for ln in lines[2:]) <= 72 < 100  # fitted to this terminal, not the piped width
    assert "\u2026" not in report


def test_rule_ids_only_with_ids() -> None:
    plain = piped("evaluate", "--ruleset", "kent", BABY)
    with_ids = piped("evaluate", "--ruleset", "kent", "--ids", BABY)
    assert plain.returncode == with_ids.returncode == 0
    for out in (plain.stdout, with_ids.stdout):
        assert "REQUIRED NOW" in out and "ruleset kent i-statements" in out  # what reproduces it stays
    assert "(national rule non-mobile-bruise-or-injury)" in with_ids.stdout
    assert "(kent-l4-non-mobile-bruise-or-injury)" in with_ids.stdout
    assert "(national rule " not in plain.stdout and "(outcome rule " not in plain.stdout
    assert "(kent-l4-non-mobile-bruise-or-injury)" not in plain.stdout
    assert "Any bruise, mark that may be a bruise" in " ".join(plain.stdout.split())  # the rule's words stay


def test_list_fits_the_piped_width_and_keeps_every_field() -> None:
    out = piped("list")
    assert out.returncode == 0, out.stderr
    assert all(len(line) <= 100 for line in out.stdout.splitlines())
    flat = " ".join(out.stdout.split())
    assert "kent@i-statements" in flat and "61 indicators | Kent Support Levels Guidance" in flat


def test_features_report_with_out_says_what_it_wrote_and_nothing_else(tmp_path: Path) -> None:
    results = tmp_path / "results.json"
    results.write_text('[{"name": "F", "uri": "f.feature", "elements": [{"name": "S", "keyword": "Scenario", '
                       '"steps": [{"keyword": "Given ", "name": "x", "result": {"status": "passed"}}]}]}]',
                       encoding="utf-8")
    page = tmp_path / "report.html"
    out = piped("features", "report", results, "--out", page)
    assert out.returncode == 0, out.stderr
    assert out.stdout == f"wrote {page}: 1 features, 1 scenarios: 1 passed, 0 failed, 0 skipped\n"
    assert "S" in page.read_text(encoding="utf-8")


def test_the_diff_names_rules_by_their_words_and_by_id_only_with_ids() -> None:
    plain = piped("diff", "kent", "hampshire")
    with_ids = piped("diff", "kent", "hampshire", "--ids")
    assert plain.returncode == with_ids.returncode == 0, plain.stderr + with_ids.stderr
    rule_id = re.compile(r"\bindicator (kent|hampshire)-[a-z0-9-]+")
    assert not rule_id.search(plain.stdout)
    assert rule_id.search(with_ids.stdout)
    words = " ".join(plain.stdout.split())
    assert "indicator \u201cIsolated or excluded from friends or community.\u201d at L4" in words
