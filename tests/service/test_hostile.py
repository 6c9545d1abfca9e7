"""A few thousand malformed and hostile requests at a real server on 127.0.0.1: no 5xx, ever.

Bounded (2,400 requests, fixed seed) and timed by nothing. Each 4xx must be problem+json.
"""

from __future__ import annotations

import http.client
import json
import random
import socket
from collections import Counter
from typing import Any

from tests.service.conftest import Keys, Server

PATHS = ["/api/v1/evaluate", "/api/v1/compare", "/api/v1/records/" + "a" * 32, "/api/v1/records/x/replay",
         "/api/v1/rulesets/demo", "/api/v1/rulesets/%00", "/api/v1/admin/reload", "/api/v1/admin/keys",
         "/api/v1/rulesets/demo/document?format=%ff", "/api/v1/records?limit=-1", "/api/v1/../../etc/passwd",
         "/api/v1/rulesets/" + "d" * 5000]
FACTS = ["missing_from_home", "young_carer", "child_age_months", "immediate_danger", "__proto__", "", "ü"]
VALUES: list[Any] = [True, False, None, 0, -1, 10**30, 1.5, 1e308, "frequent", "", "x" * 1000, [], {}, [[[]]],
                     {"$gt": 1}, "\u0000", "\ud800"]


def _random_json(rng: random.Random) -> Any:
    kind = rng.randrange(8)
    if kind == 0:
        return {"ruleset": rng.choice(["demo", "DEMO", "", "x" * 100, 7, None]),
                "facts": {rng.choice(FACTS): rng.choice(VALUES) for _ in range(rng.randrange(4))}}
    if kind == 1:
        return {"facts": rng.choice(VALUES), "rulesets": rng.choice([[], ["demo"] * 300, "demo", [1], None])}
    if kind == 2:
        return {"ruleset": "demo", "version": rng.choice(VALUES), "as_of": rng.choice(
            ["2020-13-01", "0000-00-00", "2024-02-29", "yesterday", 20200101]), "facts": {}}
    if kind == 3:
        return rng.choice(VALUES)
    if kind == 4:
        return {"caller": rng.choice(VALUES), "role": rng.choice(["admin", "root", None, 1])}
    if kind == 5:
        return {"facts": {str(i): True for i in range(rng.choice([1, 1001, 3000]))}, "ruleset": "demo"}
    if kind == 6:
        return {"ruleset": "demo", "facts": {"child_age_months": rng.choice(VALUES)}}
    return [_random_json(rng) for _ in range(rng.randrange(3))]


def _body(rng: random.Random) -> bytes:
    kind = rng.randrange(6)
    if kind == 0:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(200)))
    if kind == 1:
        n = rng.choice([33, 100, 3000, 20000])
        return (rng.choice(["[", "{\"a\":"]) * n).encode()
    if kind == 2:
        return json.dumps(_random_json(rng))[: rng.randrange(1, 400)].encode()
    if kind == 3:
        return rng.choice([b"NaN", b"Infinity", b"-Infinity", b"1e999999", b"{\"a\":1,\"a\":2}", b"\"\\ud800\"",
                           b"\xef\xbb\xbf{}", b"{\"facts\": {\"young_carer\": tru}}", b"null", b""])
    return json.dumps(_random_json(rng), ensure_ascii=rng.random() < 0.5).encode("utf-8", "surrogatepass")


def _headers(rng: random.Random, keys: Keys) -> dict[str, str]:
    h = {"Content-Type": rng.choice(["application/json", "application/json; charset=latin-1", "text/plain",
                                     "application/problem+json", "multipart/form-data; boundary=x",
                                     "application/x-www-form-urlencoded", "application/json;;;", ""])}
    auth = rng.choice([f"Bearer {keys.admin}", f"Bearer {keys.triage}", f"Bearer {keys.admin}", "Bearer",
                       "Bearer " + "x" * 5000, "Basic YTpi", f"bearer  {keys.triage}", "Bearer thr_\u00e9", None])
    if auth is not None:
        h["Authorization"] = auth
    return h


def test_thousands_of_hostile_requests_get_no_5xx(server: Server, keys: Keys) -> None:
    rng = random.Random(20261122)
    statuses: Counter[int] = Counter()
    bad: list[str] = []
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    for i in range(2300):
        method = rng.choice(["POST"] * 6 + ["GET", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"])
        path = rng.choice(PATHS[:2]) if method == "POST" and rng.random() < 0.75 else rng.choice(PATHS)
        body = _body(rng) if method in ("POST", "PUT", "PATCH") else None
        headers = _headers(rng, keys)
        try:
            conn.request(method, path, body=body, headers={k: v.encode("utf-8").decode("latin-1")
                                                           for k, v in headers.items()})
            resp = conn.getresponse()
            payload = resp.read()
        except (http.client.HTTPException, OSError):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
            statuses[0] += 1
            continue
        statuses[resp.status] += 1
        if resp.status >= 500:
            bad.append(f"{i}: {method} {path[:60]} -> {resp.status} {payload[:200]!r}")
        elif resp.status >= 400 and method != "HEAD":
            if resp.getheader("Content-Type") != "application/problem+json" or b"Traceback" in payload:
                bad.append(f"{i}: {method} {path[:60]} -> {resp.status} not problem+json")
        if resp.getheader("Connection", "").lower() == "close":
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.close()
    statuses.update(_raw_garbage(server.port, rng))
    assert not bad, "\n".join(bad[:20])
    assert sum(n for s, n in statuses.items() if s >= 500) == 0
    # the battery reached every layer
    assert statuses[200] > 0 and statuses[422] > 100 and statuses[400] > 40
    assert statuses[413] > 20 and statuses[415] > 100
    assert sum(statuses.values()) >= 2400


def _raw_garbage(port: int, rng: random.Random) -> Counter[int]:
    """Broken HTTP itself: the server may answer 400 or close, never 5xx."""
    out: Counter[int] = Counter()
    samples = [b"GARBAGE\r\n\r\n", b"POST /api/v1/evaluate HTTP/1.1\r\nContent-Length: -5\r\n\r\n",
               b"POST /api/v1/evaluate HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n"
               b"Content-Type: application/json\r\n\r\n{}",
               b"GET /api/v1/health HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 200 + b"\r\n",
               b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n"]
    for _ in range(100):
        data = rng.choice(samples)
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
            reply = b""
            try:
                while chunk := s.recv(65536):
                    reply += chunk
            except OSError:
                pass
        status = int(reply[9:12]) if reply.startswith(b"HTTP/1.") and reply[9:12].isdigit() else 0
        out[status] += 1
    return out
