"""What gunicorn's master does before it forks its workers: import the app's code, build nothing.

``thresholds serve`` imports the app's modules in the master so that workers start fast; that is
only safe if importing starts no thread (durable_rules and sockets do not survive a fork) and
opens no database or file a worker would then share. Checked in a fresh interpreter, on the real
modules.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

PROBE = r"""
import json, os, sys, threading
before = set(os.listdir("/proc/self/fd"))
from service import import_app_code
import_app_code()
opened = [os.readlink(f"/proc/self/fd/{fd}") for fd in set(os.listdir("/proc/self/fd")) - before
          if os.path.exists(f"/proc/self/fd/{fd}")]
print(json.dumps({"threads": [t.name for t in threading.enumerate()], "opened": opened,
                  "modules": sorted(m for m in sys.modules if m.startswith(("service.", "engine.", "durable")))}))
"""


def test_importing_the_app_code_in_the_master_builds_nothing_a_fork_could_break(tmp_path: Path) -> None:
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=Path(__file__).resolve().parents[2], capture_output=True,
                         text=True, timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
                                                      "THRESHOLDS_CACHE": str(tmp_path / "cache")})
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    assert found["threads"] == ["MainThread"]
    assert [f for f in found["opened"] if not f.startswith(("pipe:", "anon_inode:"))] == []
    modules = set(found["modules"])
    # the code a worker needs is loaded: the app, every route module, the durable channel
    assert {"service.app", "service.web", "service.web.triage", "service.api.evaluate", "service.context",
            "engine.evaluate.channels.durable", "durable.engine"} <= modules


def test_the_last_good_copy_is_rewritten_only_when_a_file_differs(tmp_path: Path) -> None:
    """A restart with unchanged rulesets leaves the master's last good copy as it is; any changed,
    added or removed file replaces it whole, and invalid files never reach it."""
    import shutil

    import pytest

    from engine.errors import RulesetError
    from engine.load.catalogue import bundled_root
    from service.cli.gunicorn import snapshot

    root, dest = tmp_path / "rulesets", tmp_path / "last-good"
    shutil.copytree(bundled_root(), root, ignore=shutil.ignore_patterns(".*", "__pycache__"))
    snapshot(root, dest)
    kent = Path("england", "kent", "i-statements.yaml")
    first = (dest.stat().st_ino, (dest / kent).stat().st_ino)
    snapshot(root, dest)
    assert (dest.stat().st_ino, (dest / kent).stat().st_ino) == first  # identical: not copied again

    (dest / kent).write_text((dest / kent).read_text() + "\n# tampered\n")  # the copy differs from the files
    snapshot(root, dest)
    assert (dest / kent).read_bytes() == (root / kent).read_bytes()
    (dest / "stray.yaml").write_text("x: 1\n")
    snapshot(root, dest)
    assert not (dest / "stray.yaml").exists()

    (root / kent).write_text((root / kent).read_text() + "\n# a comment\n")  # a valid change is taken
    snapshot(root, dest)
    assert (dest / kent).read_text().endswith("# a comment\n")
    good = (dest / kent).read_bytes()
    (root / kent).write_text("levels: [\n")  # an invalid file: refused, the copy keeps the last good one
    with pytest.raises(RulesetError):
        snapshot(root, dest)
    assert (dest / kent).read_bytes() == good
