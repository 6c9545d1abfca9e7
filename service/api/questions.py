"""The next questions for a partial referral: what to ask next, safety first (triage role).

The same engine and order as ``thresholds triage`` (engine/triage/questions.py): the child's age,
then immediate danger and the other safety rules, then what could raise the level furthest.
Facts answered "not known" are sent in ``not_known``: they stay unknown (never "no") and are
not asked again, but they keep the result incomplete while they could change it. ``presenting``
names the main concern(s), as the web journey's "What is the main concern?" and the CLI do: it only
moves that concern's questions up, right after the urgent ones, and never changes a result. ``groups``
gives the national safety questions as the checklists a worker answers in one go
(engine/triage/screens.py, the same screens as the web journey and ``thresholds triage``). This is a
read-only question about a referral in progress, so it is not written to the decision
record; the evaluation of the answered referral (POST /evaluate) is.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from flask import Blueprint
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from engine.errors import FieldProblem, ReferralError, suggest
from engine.model.vocabulary import FACT_ID
from engine.triage.questions import Questions, question_engine
from engine.triage.screens import Screen, checklists
from service.api import PREFIX
from service.api.models import RULESET_ID, VERSION, Facts, IsoDate
from service.body import json_body
from service.context import services
from service.openapi import api_route

bp = Blueprint("questions", __name__, url_prefix=PREFIX)
log = logging.getLogger("thresholds.service")


class QuestionsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ruleset: str = Field(pattern=RULESET_ID, description="Authority id, e.g. 'kent'.")
    version: str | None = Field(default=None, pattern=VERSION, description="A specific version.")
    as_of: IsoDate | None = Field(default=None, description="The version in force on this date (default today).")
    facts: Facts
    not_known: list[Annotated[str, Field(pattern=FACT_ID, json_schema_extra={"x-fact-id": True})]] = Field(
        default_factory=list, max_length=1000,
        description="Facts the worker answered 'not known': not asked again, still unknown.")
    presenting: list[Annotated[str, Field(pattern=FACT_ID, json_schema_extra={"x-concern": True})]] = Field(
        default_factory=list, max_length=50,
        description="The main concern(s) the worker named (vocabulary concern ids): their questions come first "
        "after the urgent ones; one this ruleset does not ask about changes nothing. Ordering only: no result "
        "depends on it.")
    limit: Annotated[StrictInt, Field(ge=0, le=500)] = Field(
        default=10, description="How many questions to return with the effect of each answer (all are counted).")


class GroupedQuestions(Questions):
    groups: list[Screen] = Field(description="The open national safety questions as 'Do any of these apply?' "
                                             "checklists (at most 12 items each): 'None of these' answers every "
                                             "item 'no', 'Not known yet' leaves every item unknown, and a tick "
                                             "answers that item 'yes' and says nothing about the others.")


@api_route(bp, "/questions", "POST", summary="The next questions for a partial referral", tag="evaluation",
           role="triage", body=QuestionsRequest, response=GroupedQuestions, errors=(404,))
def questions() -> Any:
    """The unknown facts whose answers could still change the suggestion or the required actions,
    most important first (the child's age, then the safety rules, then how far an answer could raise
    the level), each with what every possible answer would trigger. `complete` is true only when no
    unknown fact could change the result; otherwise `highest_reachable` is the highest outcome still
    possible. Evaluated on the fast channel; POST /evaluate gives the cross-checked suggestion."""
    req = json_body(QuestionsRequest)
    with services().live.using() as ev:
        loaded = ev.catalogue.select(req.ruleset, req.version, req.as_of)
        vocab = loaded.vocabulary
        norm = vocab.normalise(req.facts)
        concerns = vocab.concerns()
        unknown = [FieldProblem(f"/not_known/{i}", f"unknown fact '{f}'", suggest(f, vocab.by_id))
                   for i, f in enumerate(req.not_known) if f not in vocab.by_id]
        unknown += [FieldProblem(f"/presenting/{i}", f"unknown concern '{c}'", suggest(c, concerns))
                    for i, c in enumerate(req.presenting) if c not in concerns]
        if unknown:
            raise ReferralError(unknown)
        engine = question_engine(ev.compiled(loaded))
        asked = engine.next_questions(norm, set(req.not_known), limit=req.limit, presenting=req.presenting)
        result = GroupedQuestions(**asked.model_dump(), groups=checklists(engine, norm, set(req.not_known)))
    log.info("questions ruleset=%s known=%d asked=%d complete=%s", loaded.key, len(norm), result.questions_total,
             result.complete)
    return result.model_dump(mode="json")
