"""Start-up times of the ``thresholds`` command line and the service, beside ``import engine``.

Each command runs as a real subprocess (the installed ``thresholds`` beside this Python) with a
warm catalogue cache in a temporary folder, ``--runs`` times; the median is printed with its ratio
to ``python -c "import engine"`` measured in the same run, so figures from a busy shared machine
can still be compared; beside it the median CPU time (user + system) each command used, which a
busy machine inflates far less than the wall clock. "serve ready" is the time from starting
``thresholds serve`` (gunicorn, one worker) until ``/api/v1/health`` answers ok, on a new instance
folder (first start: the database is created and migrated, the last good ruleset copy written) and
again on the same folder (restart: schema at head, copy unchanged); the server is stopped by PID
(its CPU time counts master and worker from start to exit).

    python bench/cli.py [--runs 7]

DESIGN.md targets (idle 2-core machine, medians): evaluate <= 0.6 s, --help <= 0.3 s,
list <= 0.6 s, validate rulesets/ <= 3 s, lint <= 5 s, service ready <= 2 s.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
EXAMPLE = ROOT / "docs" / "examples" / "non-mobile-baby-bruise.json"

COMMANDS: list[tuple[str, list[str], float | None]] = [
    ('python -c "import engine"', [sys.executable, "-c", "import engine"], None),
    ("thresholds --help", [str(BIN / "thresholds"), "--help"], 0.3),
    ("thresholds list", [str(BIN / "thresholds"), "list"], 0.6),
    ("thresholds evaluate --ruleset kent", [str(BIN / "thresholds"), "evaluate", "--ruleset", "kent", str(EXAMPLE)],
     0.6),
    ("thresholds validate rulesets/", [str(BIN / "thresholds"), "validate", str(ROOT / "rulesets")], 3.0),
    ("thresholds lint", [str(BIN / "thresholds"), "lint"], 5.0),
    ("thresholds features lint FILE", [str(BIN / "thresholds"), "features", "lint",
                                        str(ROOT / "features" / "neglect.feature")], None),
]


def _time(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock seconds, and CPU seconds (user + system) the command used: on a shared machine the CPU
    time is near what the command would take on an idle one, where the wall clock waits for other work."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   timeout=300)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _ready(env: dict[str, str], instance: Path) -> tuple[float, float]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    proc = subprocess.Popen([str(BIN / "thresholds"), "serve", "--port", str(port)],
                            env={**env, "THRESHOLDS_INSTANCE": str(instance)},
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = t + 120
        while time.perf_counter() < deadline:
            try:
                with opener.open(f"http://127.0.0.1:{port}/api/v1/health", timeout=2) as r:
                    if json.load(r)["status"] == "ok":
                        ready = time.perf_counter() - t
                        break
            except OSError:
                time.sleep(0.02)
        else:
            raise RuntimeError("service not ready within 120 s")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ready, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "THRESHOLDS_CACHE": str(Path(tmp) / "cache")}
        env.pop("THRESHOLDS_RULESETS", None)
        # An installed package runs from bytecode (pip compiles it at install); a shell that sets
        # PYTHONDONTWRITEBYTECODE would make every run compile every module from source instead.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run([str(BIN / "thresholds"), "list"], env=env, stdout=subprocess.DEVNULL, check=True)  # warm
        rows: list[tuple[str, float, float | None, float | None]] = []
        for name, cmd, target in COMMANDS:
            _time(cmd, env)  # one untimed run: file-system cache
            runs = [_time(cmd, env) for _ in range(args.runs)]
            rows.append((name, statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs), target))
        served = [_ready(env, Path(tmp) / f"inst{i}") for i in range(max(3, args.runs // 2))]
        rows.append(("thresholds serve: first start, ready", statistics.median(w for w, _ in served),
                     statistics.median(c for _, c in served), 2.0))
        again = [_ready(env, Path(tmp) / "inst0") for _ in range(max(3, args.runs // 2))]
        rows.append(("thresholds serve: restart, ready", statistics.median(w for w, _ in again),
                     statistics.median(c for _, c in again), 2.0))
    base = rows[0][1]
    load = os.getloadavg()
    print(f"medians of {args.runs} runs; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} on "
          f"{os.cpu_count()} cores")
    print(f"{'command':<40} {'median s':>9} {'x import':>9} {'cpu s':>7} {'target s':>9}")
    for name, med, cpu, target in rows:
        print(f"{name:<40} {med:>9.3f} {med / base:>9.1f} {'' if cpu is None else f'{cpu:.3f}':>7} "
              f"{'' if target is None else f'{target:.1f}':>9}")


if __name__ == "__main__":
    main()
