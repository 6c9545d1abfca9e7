"""The policy endpoints /api/v1/diff and /api/v1/matrix on a real server on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

from tests.diff.conftest import FIXTURES
from tests.service.conftest import Keys, Server, app_for, make_keys


@pytest.fixture(scope="module")
def running(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Keys]]:
    tmp = tmp_path_factory.mktemp("diffapi")
    shutil.copytree(FIXTURES / "authorities", tmp / "rulesets")
    app = app_for(tmp)
    keys = make_keys(app)
    with Server(app) as s:
        yield s, keys


def call(server: Server, path: str, body: object, key: str | None) -> tuple[int, str, Any]:
    headers = {"Content-Type": "application/json"} | (Keys.header(key) if key else {})
    req = urllib.request.Request(server.url + path, data=json.dumps(body).encode(), headers=headers, method="POST")
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            text = r.read().decode()
            ctype = r.headers.get_content_type()
            return r.status, ctype, json.loads(text) if ctype.endswith("json") else text
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get_content_type(), json.loads(e.read().decode())


def test_diff_needs_the_policy_role(running: tuple[Server, Keys]) -> None:
    server, keys = running
    assert call(server, "/api/v1/diff", {"a": "base", "b": "same"}, None)[0] == 401
    assert call(server, "/api/v1/diff", {"a": "base", "b": "same"}, keys.triage)[0] == 403


def test_diff_json_markdown_and_errors(running: tuple[Server, Keys]) -> None:
    server, keys = running
    status, _, doc = call(server, "/api/v1/diff", {"a": "base", "b": "threshold@1"}, keys.policy)
    assert status == 200
    group = doc["semantic"]["groups"][0]
    assert group["largest"] == 3 and doc["semantic"]["covered_all"] is True
    assert {k["difference_class"]: k["concerns"] for k in doc["class_counts"]}["cut_point"] == 1
    assert [k["concern"] for k in doc["classified"]] == [g["concern"] for g in doc["semantic"]["groups"]]
    assert any(r["witness"]["facts"] == {"missing_from_home": "regular"} for g in doc["semantic"]["groups"]
               for r in g["results"])
    status, ctype, same = call(server, "/api/v1/diff", {"a": "base", "b": "same"}, keys.policy)
    assert status == 200 and same["semantic"]["differing"] == 0 and same["structural"]["concerns"] == []
    status, ctype, md = call(server, "/api/v1/diff?format=markdown", {"a": "base", "b": "moved"}, keys.policy)
    assert (status, ctype) == (200, "text/markdown") and md.startswith("# Comparing Base Council with Moved Council")
    status, ctype, problem = call(server, "/api/v1/diff", {"a": "base", "b": "nowhere"}, keys.policy)
    assert status == 404 and ctype == "application/problem+json" and "nowhere" in problem["detail"]
    status, _, problem = call(server, "/api/v1/diff", {"a": "base", "b": "Bad Id"}, keys.policy)
    assert status == 422 and problem["errors"][0]["pointer"] == "/b"


def test_matrix_default_bank_and_given_scenarios(running: tuple[Server, Keys]) -> None:
    server, keys = running
    status, _, m = call(server, "/api/v1/matrix", {}, keys.policy)
    assert status == 200 and len(m["keys"]) == 5 and 0 < m["kappa"] < 1
    k = {key: i for i, key in enumerate(m["keys"])}
    assert m["agreement"][k["base@1"]][k["same@1"]] == 1.0
    body = {"rulesets": ["base", "threshold"], "scenarios": [{"facts": {"missing_from_home": "regular"}}]}
    status, _, m = call(server, "/api/v1/matrix", body, keys.policy)
    assert status == 200 and m["outcomes"] == [[1, 4]] and m["agreement"][0][1] == 0.0
    bad = {"scenarios": [{"facts": {"missing_from_home": "often"}}]}
    status, ctype, problem = call(server, "/api/v1/matrix", bad, keys.policy)
    assert status == 422 and ctype == "application/problem+json"
    assert problem["errors"][0]["pointer"] == "/scenarios/0/facts/missing_from_home"


def test_matrix_coverage_parameters(running: tuple[Server, Keys]) -> None:
    server, keys = running
    # "added" encodes 5 indicators, the others 4: at 5 only one ruleset meets the coverage, so all are counted
    status, _, m = call(server, "/api/v1/matrix", {"min_indicators": 5}, keys.policy)
    assert status == 200 and m["sparse"] == [False, True, True, True, True] and all(m["counted"])
    assert m["coverage_note"].startswith("Fewer than two rulesets meet the stated coverage")
    status, _, m = call(server, "/api/v1/matrix", {"include_sparse": True}, keys.policy)
    assert status == 200 and m["left_out"] == [] and m["alpha"] is not None
    status, _, problem = call(server, "/api/v1/matrix", {"min_indicators": -1}, keys.policy)
    assert status == 422 and problem["errors"][0]["pointer"] == "/min_indicators"
