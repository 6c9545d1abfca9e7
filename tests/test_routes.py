"""Families First routes and lead roles (issue 19 deliverable 5; issue 17 deliverable 6).

On the real evaluator (both channels, cross-checked) with the bundled rulesets: a refreshed
document's declared routes, a legacy document's derived ones and saying which, a safety floor
lifting the route, legacy and refreshed versions of one authority chosen by date, the route in
the CLI and the diff, and the route on the API (JSON and OpenAPI) on a real server.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from engine.compare.comparison import compare
from engine.evaluate.decision import level_route
from engine.model.outcome import ORDER, Outcome
from engine.model.route import ROUTES, Route, allowed_routes, derived_route
from engine.render.diff_report import render
from service.cli import main
from tests import bundled
from tests.service.conftest import Keys, Server, app_for, make_keys

LEGACY = "brighton-and-hove@threshold-framework-2018"
REFRESHED = "brighton-and-hove@family-help-2024"
ABSENCE = {"school_absence": "occasional"}


def evaluate(key: str, facts: dict[str, Any]) -> Any:
    return bundled.live_evaluator().evaluate(bundled.ruleset(key), facts)


def test_derived_routes_follow_section_17_of_the_domain_notes() -> None:
    assert [derived_route(o) for o in ORDER] == [
        Route.universal, Route.universal, Route.family_help, Route.family_help, Route.child_protection,
        Route.immediate_protection]
    # the one judgement: single-agency early help may be declared either way by a refreshed document
    assert allowed_routes(Outcome.early_help_single_agency) == {Route.universal, Route.family_help}
    assert allowed_routes(Outcome.child_in_need) == {Route.family_help}
    assert "Family Help Lead Practitioner" in Route.family_help.lead
    assert "Lead Child Protection Practitioner" in Route.child_protection.lead
    assert "multi-agency child protection team" in Route.child_protection.lead
    assert [r.rank for r in ROUTES] == [0, 1, 2, 3]


@pytest.mark.parametrize("key", bundled.keys())
def test_every_level_of_every_ruleset_has_a_route_that_fits_and_never_falls(key: str) -> None:
    levels = bundled.ruleset(key).model.levels
    routes = [level_route(lv) for lv in levels]
    assert all(r in allowed_routes(lv.outcome, lv.also_covers) for r, lv in zip(routes, levels, strict=True))
    assert [r.rank for r in routes] == sorted(r.rank for r in routes)


def test_the_refreshed_document_declares_its_routes() -> None:
    s = evaluate(REFRESHED, ABSENCE)
    assert s.level.id == "L2" and s.outcome == Outcome.early_help_single_agency
    assert s.route.route == Route.family_help and s.route.basis == "declared"
    assert s.route.lead == Route.family_help.lead and "sometimes through one" in s.route.note
    assert s.channels == ["python", "durable_rules"]
    assert any("section 17" in (c.quote or "") for c in s.route.cite)
    top = evaluate(REFRESHED, {"needs_escalating_despite_early_help": True})
    assert top.level.id == "L3" and top.route.route == Route.child_protection and top.route.basis == "declared"
    assert top.route.lead.startswith("Children's social work")  # the document's words, not the national role
    assert "Family Help" in top.route.note


def test_the_legacy_document_gets_derived_routes_and_says_so() -> None:
    s = evaluate(LEGACY, ABSENCE)
    assert s.level.id == "L2" and s.route.route == Route.universal and s.route.basis == "derived"
    assert "Derived from the canonical outcome" in s.route.note and "Single-agency early help" in s.route.note
    plus = evaluate(LEGACY, {"school_absence": "persistent"})
    assert plus.outcome == Outcome.early_help_multi_agency and plus.route.route == Route.family_help
    assert plus.route.basis == "derived" and "Family Help Lead Practitioner" in plus.route.lead


def test_a_safety_floor_lifts_the_route_and_who_leads() -> None:
    s = evaluate(REFRESHED, {"immediate_danger": True})
    assert s.outcome == Outcome.immediate_protection and s.route.route == Route.immediate_protection
    assert s.route.basis == "derived" and "raised" in s.route.note and s.route.lead.startswith("Police")
    harm = evaluate(LEGACY, {"significant_harm_suspected": True})
    assert harm.outcome == Outcome.child_protection and harm.route.route == Route.child_protection
    assert "Lead Child Protection Practitioner" in harm.route.lead


def test_an_incomplete_result_says_how_far_the_route_could_rise() -> None:
    s = evaluate(REFRESHED, ABSENCE)
    assert not s.completeness.complete and s.route.could_rise_to == Route.immediate_protection
    done = evaluate(REFRESHED, {"immediate_danger": True})
    assert done.route.could_rise_to is None


def test_legacy_and_refreshed_versions_coexist_by_date() -> None:
    cat = bundled.catalogue()
    assert cat.select("brighton-and-hove", as_of=dt.date(2020, 6, 1)).key == LEGACY
    assert cat.select("brighton-and-hove", as_of=dt.date(2025, 6, 1)).key == REFRESHED


def test_cli_evaluate_shows_the_route_and_who_leads(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"facts": ABSENCE}))
    assert main(["evaluate", "--ruleset", "brighton-and-hove", "--as-of", "2025-06-01", str(facts)]) == 0
    out = " ".join(capsys.readouterr().out.split())  # the terminal text is wrapped
    assert "Route (Families First) so far: Family Help" in out and "(declared by the document)" in out
    assert "Who leads: Family Help Lead Practitioner" in out
    assert main(["evaluate", "--ruleset", "brighton-and-hove", "--as-of", "2020-06-01", str(facts)]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Universal services and community-based early help (derived)" in out


def test_diff_of_legacy_and_refreshed_reports_route_differences(capsys: pytest.CaptureFixture[str]) -> None:
    c = compare(bundled.ruleset(LEGACY), bundled.ruleset(REFRESHED))
    r = c.routes
    assert r is not None and (r.a_basis, r.b_basis) == ("derived", "declared")
    rows = {row.route: ([lv.id for lv in row.a], [lv.id for lv in row.b]) for row in r.levels}
    assert rows[Route.family_help] == (["L3", "L4"], ["L2"])
    assert rows[Route.child_protection] == ([], ["L3"])
    # differences that are only the reform's merger vanish on the route scale; real ones stay
    assert r.outcome_differs == c.semantic.differing and 0 < r.same_route < r.outcome_differs
    assert r.route_differs == sum(len(g.shifts) for g in r.groups) > 0
    absence = [x for g in r.groups for x in g.shifts if x.witness.facts == ABSENCE]
    assert [(x.a_route, x.b_route, x.a_level, x.b_level) for x in absence] == [
        (Route.universal, Route.family_help, "L2", "L2")]
    # concerns both versions encode: the 2024 Family Help level, and Level 3's "Family Help Plans not working"
    both = {g.concern for g in r.groups if g.encoded_a and g.encoded_b}
    assert both == {"school_attendance", "escalating_despite_early_help"}
    assert "only one side encodes" in r.summary  # the rest come from the 2024 version's partial encoding
    text = render(c, "md")
    assert "# On the Families First route scale" in text and "take a different route" in text
    assert main(["diff", LEGACY, REFRESHED, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["routes"]["route_differs"] == r.route_differs and doc["routes"]["b_basis"] == "declared"


def test_the_api_returns_the_route_and_documents_it(tmp_path: Path) -> None:
    root = tmp_path / "rulesets"
    shutil.copytree(bundled.catalogue().root / "national", root / "national")
    shutil.copytree(bundled.catalogue().root / "england" / "brighton-and-hove", root / "england" / "brighton-and-hove")
    app = app_for(tmp_path)
    keys = make_keys(app)
    with Server(app) as server:
        body = json.dumps({"ruleset": "brighton-and-hove", "as_of": "2025-06-01", "facts": ABSENCE}).encode()
        req = urllib.request.Request(server.url + "/api/v1/evaluate", data=body, method="POST",
                                     headers={"Content-Type": "application/json"} | Keys.header(keys.triage))
        with urllib.request.urlopen(req, timeout=30) as resp:
            s = json.loads(resp.read())["suggestion"]
        with urllib.request.urlopen(server.url + "/api/v1/openapi.json", timeout=30) as resp:
            spec = json.loads(resp.read())
    assert s["route"]["route"] == "family_help" and s["route"]["basis"] == "declared"
    assert s["route"]["lead"].startswith("Family Help Lead Practitioner")
    schemas = spec["components"]["schemas"]
    assert "route" in schemas["Suggestion"]["properties"]
    assert set(schemas["Route"]["enum"]) == {r.value for r in ROUTES}
    assert {"route", "lead", "basis", "note", "cite"} <= set(schemas["RouteRef"]["properties"])


def test_the_ruleset_document_gives_each_level_its_route(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", REFRESHED]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if re.match(r"\| L\d ", line)]
    assert len(rows) == 3
    assert "Family Help (targeted early help and child in need, s17), declared by the document" in rows[1]
    assert "Children's social work or another specialist service" in rows[2]
    assert main(["render", LEGACY]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if re.match(r"\| L\d ", line)]
    assert "Universal services and community-based early help, derived" in rows[1]  # L2 Early Help


def test_evaluate_beside_names_both_routes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    facts = tmp_path / "facts.json"
    facts.write_text(json.dumps({"facts": ABSENCE}))
    main(["evaluate", "--ruleset", "kent", "--beside", "brighton-and-hove", str(facts)])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("Families First route")]
    assert lines[0].startswith("Families First route under Kent County Council: Universal services")
    assert "(derived)" in lines[0]
    assert lines[1].startswith("Families First route under Brighton & Hove City Council: Family Help")
    assert "(declared by the document); led by: Family Help Lead Practitioner" in lines[1]


def test_trainers_route_steps_pass_fail_and_name_the_routes() -> None:
    from service.training.library import registry
    from service.training.registry import StepError
    from service.training.state import ScenarioState, shared_runtime

    state = ScenarioState(shared_runtime())
    for kind, text in [("given", "a child aged 9 years"), ("given", "the child is occasionally absent from school"),
                       ("when", "the referral is evaluated under each of Kent and Brighton & Hove")]:
        registry().run(kind, text, state)  # type: ignore[arg-type]
    registry().run("then", "under Brighton & Hove the Families First route is Family Help", state)
    registry().run("then", "under Kent the Families First route is universal", state)
    registry().run("then", 'under Brighton & Hove the lead practitioner is "Family Help Lead Practitioner"', state)
    with pytest.raises(AssertionError, match="expected the family_help route, but the route is universal"):
        registry().run("then", "under Kent the Families First route is family_help", state)
    with pytest.raises(AssertionError, match="the lead is"):
        registry().run("then", 'under Kent the lead practitioner is "Lead Child Protection Practitioner"', state)
    with pytest.raises(StepError, match="routes: universal, family_help, child_protection, immediate_protection"):
        registry().run("then", "the Families First route is early help", state)
