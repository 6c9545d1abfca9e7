"""``thresholds records``: decide, review, statistics, summary, sample, purge and export, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from engine.compare.scenarios import parse_bank
from engine.load.catalogue import Catalogue
from service.cli import main
from service.store.database import decisions, records
from tests.service.conftest import MINI, Keys, app_for, make_keys

CP = {"missing_from_home": "frequent"}
EH = {"young_carer": True}


@pytest.fixture()
def recorded(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, list[str]]:
    app = app_for(tmp_path, database_url=database_url)
    keys = make_keys(app)
    c = app.test_client()
    ids = []
    for facts in (CP, CP, CP, EH, EH, {"young_carer": True, "poor_supervision": None}):
        r = c.post("/api/v1/evaluate", json={"ruleset": "demo", "facts": facts}, headers=Keys.header(keys.triage))
        ids.append(r.json["record"]["id"])
    engine = app.extensions["thresholds"].record.engine
    # Spread over two ISO weeks: the first three in one week, the rest in the next.
    monday = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)
    with engine.begin() as conn:
        for i, rid in enumerate(ids):
            at = monday + dt.timedelta(days=0 if i in (0, 1, 3) else 7, minutes=i)
            conn.execute(update(records).where(records.c.id == rid).values(recorded_at=at))
    monkeypatch.setenv("THRESHOLDS_DATABASE_URL", database_url)
    monkeypatch.setenv("THRESHOLDS_REASON_CODES", "policy,discretionary,other")
    return engine, ids


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["--rulesets", str(MINI), "records", *argv])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_decide_review_and_statistics(recorded: tuple[Any, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    engine, ids = recorded
    code, out, _ = run(capsys, "decide", ids[0], "--by", "worker-1", "--case-reference", "C-1", "--outcome",
                       "child_in_need", "--reason", "discretionary", "--rationale", "private words")
    assert code == 0 and "pending_approval" in out and "private words" not in out
    did = out.split()[1]
    assert run(capsys, "pending")[1].startswith(did)
    code, _, err = run(capsys, "approve", did, "--by", "worker-1")
    assert code == 1 and "cannot be reviewed by the person who recorded it" in err
    code, out, _ = run(capsys, "approve", did, "--by", "manager-1")
    assert code == 0 and "approved by manager-1" in out and "decided by worker-1" in out
    code, _, err = run(capsys, "reject", did, "--by", "manager-2")
    assert code == 1 and "is approved by manager-1" in err
    code, _, err = run(capsys, "decide", ids[3], "--by", "worker-1", "--case-reference", "C-2", "--outcome",
                       "universal")
    assert code == 1 and "/reason_code" in err
    assert run(capsys, "decide", ids[3], "--by", "worker-1", "--case-reference", "C-2", "--outcome",
               "early_help_single_agency")[0] == 0
    code, out, _ = run(capsys, "statistics")
    assert code == 0 and "decisions: 2; agreement 50.0%" in out
    rule = next(line for line in out.splitlines() if line.strip().startswith("missing-frequent"))
    assert "100.0% of    1" in rule and "down 1" in rule
    assert "downgrades from safety levels: 1" in out and "reviewed by manager-1" in out
    figures = json.loads(run(capsys, "statistics", "--json")[1])
    assert figures["by_council"][0]["key"] == "demo" and figures["downgrades"][0]["status"] == "approved"


def test_summary_lists_answers_unknowns_and_the_decision(recorded: tuple[Any, list[str]],
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    _, ids = recorded
    run(capsys, "decide", ids[5], "--by", "worker-1", "--case-reference", "C-5", "--outcome",
        "early_help_single_agency", "--rationale", "not to be printed")
    code, out, _ = run(capsys, "summary", ids[5], "--json")
    s = json.loads(out)
    assert code == 0 and [a["answer"] for a in s["answers"]] == ["yes"]
    assert [a["fact"] for a in s["not_known"]][0] == "poor_supervision"
    assert s["decisions"][0]["decided_by"] == "worker-1" and len(s["sha256"]) == 64
    assert s["route"].endswith("(derived)") and s["lead"]  # the demo ruleset declares no routes
    html = run(capsys, "summary", ids[5])[1]
    assert "not to be printed" not in html and "C-5" in html and "<style>" in html
    assert "Families First route" in html and s["lead"] in html


def test_sample_is_reproducible_stratified_and_writes_summaries(recorded: tuple[Any, list[str]], tmp_path: Path,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    _, ids = recorded
    first = run(capsys, "sample", "--seed", "7", "--per-week", "2", "--out", str(tmp_path / "audit"))[1]
    again = run(capsys, "sample", "--seed", "7", "--per-week", "2")[1]
    assert first == again
    lines = [line.split() for line in first.splitlines()]
    cp, eh = "child_protection", "early_help_single_agency"
    assert [(w, s) for w, s, *_ in lines] == [("2026-W45", cp), ("2026-W45", eh), ("2026-W46", cp), ("2026-W46", eh)]
    assert {line[2] for line in lines} <= set(ids)
    assert (tmp_path / "audit" / f"{lines[0][2]}.html").read_text().count("Case-file summary") >= 1
    seeds = {run(capsys, "sample", "--seed", str(n), "--per-week", "1")[1] for n in range(8)}
    assert len(seeds) > 1  # the seed matters
    assert run(capsys, "sample", "--seed", "1", "--per-week", "0")[0] == 1


def test_purge_and_scenario_bank_export(recorded: tuple[Any, list[str]], capsys: pytest.CaptureFixture[str]) -> None:
    engine, ids = recorded
    run(capsys, "decide", ids[0], "--by", "worker-1", "--case-reference", "SECRET-REF", "--outcome",
        "child_protection", "--rationale", "secret rationale")
    bank_text = run(capsys, "export")[1]
    bank = json.loads(bank_text)
    assert len(bank["scenarios"]) == 2  # identical referrals once each (null is the same as not sent)
    assert "SECRET-REF" not in bank_text and "secret rationale" not in bank_text and "mash-a" not in bank_text
    assert not any(rid in bank_text for rid in ids)
    scenarios = parse_bank(bank, Catalogue.load(MINI).vocabulary)
    assert [s.facts for s in scenarios] == [CP, EH]
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=60)
    with engine.begin() as conn:
        conn.execute(update(records).where(records.c.id.in_(ids[:2])).values(recorded_at=old))
    with engine.begin() as conn:
        conn.execute(update(records).where(records.c.id.in_(ids[2:])).values(recorded_at=dt.datetime.now(dt.UTC)))
    assert "2 records older than 30 days would be deleted" in run(capsys, "purge", "--older-than", "30",
                                                                  "--dry-run")[1]
    assert "2 records older than 30 days deleted" in run(capsys, "purge", "--older-than", "30")[1]
    with engine.connect() as conn:
        left = {r[0] for r in conn.execute(select(records.c.id))}
        assert conn.execute(select(decisions.c.id)).all() == []
    assert left == set(ids[2:])
