"""Benchmark: POST /api/v1/evaluate under gunicorn (2 workers) on loopback, beside a minimal
Flask "hello" app under the same gunicorn settings, measured in the same run.

DESIGN.md's bar: >= 500 req/s, p99 <= 50 ms, 0 errors. The load comes from 4 client processes
on the same 2-core machine, so the figures include the client's own CPU use; the hello app is
the baseline that shows what the machine, gunicorn and Flask can do at all. Every evaluation
is real: both channels, cross-checked, written to the SQLite decision record.
Bounded: N requests per target (default 3,000) after 200 warm-up requests.
Run: ``.venv/bin/python bench/http_load.py [N]``. (Not named http.py: run as a script, that
name would shadow the standard library's ``http`` package.)
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from multiprocessing import Pool
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLIENTS = 4
HELLO = '''
from flask import Flask, jsonify
app = Flask(__name__)

@app.post("/api/v1/evaluate")
def hello():
    return jsonify(hello="world")
'''


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def wait_ready(port: int, proc: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("server did not start")


def _client(job: tuple[int, int, bytes]) -> tuple[list[float], int]:
    port, n, body = job
    times: list[float] = []
    errors = 0
    headers = {"Content-Type": "application/json"}
    for _ in range(n):
        t = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            conn.request("POST", "/api/v1/evaluate", body=body, headers=headers)
            resp = conn.getresponse()
            resp.read()
            if resp.status != 200:
                errors += 1
        except (OSError, http.client.HTTPException):
            errors += 1
        finally:
            conn.close()
        times.append(time.perf_counter() - t)
    return times, errors


def load(port: int, n: int, body: bytes) -> dict[str, float]:
    with Pool(CLIENTS) as pool:
        pool.map(_client, [(port, 50, body)] * CLIENTS)  # warm-up
        t0 = time.perf_counter()
        results = pool.map(_client, [(port, n // CLIENTS, body)] * CLIENTS)
        wall = time.perf_counter() - t0
    times = sorted(t for ts, _ in results for t in ts)
    q = statistics.quantiles(times, n=100)
    return {"requests": len(times), "errors": sum(e for _, e in results), "rps": len(times) / wall,
            "p50_ms": q[49] * 1000, "p99_ms": q[98] * 1000}


def run_target(name: str, cmd: list[str], env: dict[str, str], port: int, n: int, body: bytes,
               cwd: Path) -> dict[str, float]:
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_ready(port, proc)
        time.sleep(2.0 if name == "hello" else 8.0)  # let every worker finish booting (compiling rulesets)
        return load(port, n, body)
    finally:
        proc.terminate()
        proc.wait(30)


def referral() -> tuple[str, bytes]:
    sys.path.insert(0, str(ROOT))
    from engine.load.catalogue import Catalogue

    cat = Catalogue.load()
    rid = "kent" if "kent" in cat.ids() else cat.ids()[0]
    example = ROOT / "docs" / "examples" / "non-mobile-baby-bruise.json"
    facts = json.loads(example.read_text())["facts"] if example.exists() else {}
    return rid, json.dumps({"ruleset": rid, "facts": facts}).encode()


def main(n: int = 3000) -> None:
    rid, body = referral()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        (work / "hello.py").write_text(HELLO)
        env = {**os.environ, "THRESHOLDS_INSTANCE": str(work / "instance"), "THRESHOLDS_AUTH": "off"}
        env.pop("THRESHOLDS_DATABASE_URL", None)
        p1, p2 = free_port(), free_port()
        hello = run_target("hello", [str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{p1}", "hello:app"],
                           env, p1, n, body, work)
        service = run_target("service", [str(BIN / "thresholds"), "serve", "--port", str(p2), "--workers", "2"],
                             env, p2, n, body, work)
    print(f"POST /api/v1/evaluate ({rid}), gunicorn -w 2, {CLIENTS} client processes, {n} requests each target")
    print(f"load average (1, 5, 15 min) after the run: {', '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"on {os.cpu_count()} CPUs (other work on the machine lowers both figures)")
    print(f"{'target':<22}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'errors':>8}")
    for name, r in (("flask hello (baseline)", hello), ("thresholds service", service)):
        print(f"{name:<22}{r['rps']:>10.0f}{r['p50_ms']:>10.2f}{r['p99_ms']:>10.2f}{int(r['errors']):>8}")
    print(f"service / baseline throughput: {service['rps'] / hello['rps']:.2f}")
    ok = service["rps"] >= 500 and service["p99_ms"] <= 50 and service["errors"] == 0
    print("DESIGN.md bar (>= 500 req/s, p99 <= 50 ms, 0 errors):", "met" if ok else "NOT met")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3000)
