"""The JSON API says when a council's document has been replaced by one not encoded (real server, bundled rulesets).

``suggestion.ruleset.replaced_by`` is set for Bristol (replaced) and Stoke-on-Trent (may have been
replaced) and null for Kent; the ruleset list carries it per version; the OpenAPI document the
service generates describes it.
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from engine.load.catalogue import bundled_root
from service import create_app
from tests.service.conftest import Keys, Server, make_keys

BABY = Path(__file__).resolve().parents[2] / "docs" / "examples" / "non-mobile-baby-bruise.json"


@pytest.fixture(scope="module")
def bundled_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    tmp = tmp_path_factory.mktemp("replaced")
    return create_app({"RULESETS": str(bundled_root()), "INSTANCE": str(tmp / "instance"), "AUTH": "keys"})


@pytest.fixture(scope="module")
def served(bundled_app: Flask) -> Iterator[tuple[Server, Keys]]:
    with Server(bundled_app) as s:
        yield s, make_keys(bundled_app)


def _call(server: Server, path: str, key: str | None = None, body: Any = None) -> Any:
    headers = {"Content-Type": "application/json"} | (Keys.header(key) if key else {})
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(server.url + path, data=data, headers=headers, method="POST" if data else "GET")
    with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310 (loopback test server)
        assert resp.status == 200
        return json.loads(resp.read())


@pytest.mark.parametrize(("rid", "status", "words"), [
    ("bristol", "replaced", "has been replaced by Indicators of Need 2025 (Keeping Bristol Safe Partnership)"),
    ("stoke-on-trent", "may_be_replaced", "may have been replaced by Threshold Framework"),
    ("kent", None, None)])
def test_evaluate_carries_replaced_by_and_kent_has_null(served: tuple[Server, Keys], rid: str, status: str | None,
                                                        words: str | None) -> None:
    server, keys = served
    facts = json.loads(BABY.read_text(encoding="utf-8"))["facts"]
    s = _call(server, "/api/v1/evaluate", keys.triage, {"ruleset": rid, "facts": facts})["suggestion"]
    rep = s["ruleset"]["replaced_by"]
    assert s["outcome"] == "child_protection"  # the national floor still decides
    if status is None:
        assert "replaced_by" in s["ruleset"] and rep is None
        return
    assert rep["status"] == status and words is not None and words in rep["sentence"]
    assert rep["sentence"].endswith("which is not encoded here: check this suggestion against it.")
    assert rep["url"].startswith("https://") and rep["source"].startswith("docs/sources/")


def test_the_ruleset_list_and_the_openapi_document_describe_it(served: tuple[Server, Keys]) -> None:
    server, _ = served
    listed = {r["id"]: r for r in _call(server, "/api/v1/rulesets")["rulesets"]}
    bristol = listed["bristol"]["versions"][0]["replaced_by"]
    assert bristol["mark"] == "replaced by Indicators of Need 2025 (not encoded)"
    assert all(v["replaced_by"] is None for v in listed["kent"]["versions"])
    spec = _call(server, "/api/v1/openapi.json")
    schemas = spec["components"]["schemas"]
    assert "replaced_by" in schemas["RulesetRef"]["properties"]
    assert schemas["ReplacedBy"]["properties"]["status"]["enum"] == ["replaced", "may_be_replaced"]
    assert {"sentence", "url", "mark"} <= set(schemas["ReplacedBy"]["required"])
