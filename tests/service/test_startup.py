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
