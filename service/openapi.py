"""Routes that document themselves: one decorator registers a route and its OpenAPI operation.

``api_route(bp, "/compare", "POST", role="triage", body=CompareRequest, response=Comparison,
summary=...)`` adds the Flask route, wraps it in ``requires(role)`` and records the operation;
``build_spec`` turns every recorded operation into an OpenAPI 3.1 document whose schemas come
from the pydantic models (``models_json_schema``) and whose referral facts come from the live
vocabulary. A new endpoint therefore cannot be undocumented or unprotected by accident.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from flask import Blueprint
from pydantic import BaseModel, ConfigDict, Field
from pydantic.json_schema import models_json_schema

from engine import ENGINE_VERSION
from engine.model.vocabulary import Vocabulary
from service.auth import requires

F = TypeVar("F", bound=Callable[..., Any])
REF = "#/components/schemas/{model}"


class FieldError(BaseModel):
    pointer: str
    detail: str
    suggestions: list[str] | None = Field(default=None, description="Known names close to a mistyped one.")


class FileError(BaseModel):
    file: str
    line: int
    column: int
    detail: str
    suggestions: list[str] | None = Field(default=None, description="Known names close to a mistyped one.")


class ProblemDetails(BaseModel):
    """RFC 9457 problem details."""

    model_config = ConfigDict(extra="allow")
    type: str
    title: str
    status: int
    detail: str
    errors: list[FieldError] | None = None
    files: list[FileError] | None = None
    suggestions: list[str] | None = Field(default=None, description="Known ids close to a mistyped one.")


@dataclass(frozen=True)
class Param:
    name: str
    where: Literal["path", "query"]
    description: str
    schema: dict[str, Any] = field(default_factory=lambda: {"type": "string"})
    required: bool = False


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    operation_id: str
    summary: str
    description: str
    tag: str
    role: str | None
    body: type[BaseModel] | None
    response: type[BaseModel] | None
    media: tuple[str, ...]
    params: tuple[Param, ...]
    errors: tuple[int, ...]
    status: int


OPERATIONS: list[Operation] = []


def api_route(bp: Blueprint, rule: str, method: str, *, summary: str, tag: str, role: str | None,
              body: type[BaseModel] | None = None, response: type[BaseModel] | None = None,
              params: Sequence[Param] = (), errors: Sequence[int] = (), status: int = 200,
              media: Sequence[str] = ("application/json",)) -> Callable[[F], F]:
    """Register ``view`` on ``bp`` at ``rule`` and document it. ``role`` None means public."""

    def wrap(view: F) -> F:
        checked = requires(role)(view) if role else view
        bp.add_url_rule(rule, endpoint=view.__name__, view_func=checked, methods=[method])
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", (bp.url_prefix or "") + rule)
        OPERATIONS.append(Operation(method.lower(), path, view.__name__, summary,
                                    (view.__doc__ or "").strip(), tag, role, body, response, tuple(media),
                                    tuple(params), tuple(errors), status))
        return checked

    return wrap


def _problem(description: str) -> dict[str, Any]:
    return {"description": description,
            "content": {"application/problem+json": {"schema": {"$ref": REF.format(model="ProblemDetails")}}}}


_ERRORS = {
    400: "Malformed JSON", 401: "No API key, or an unknown or revoked one", 403: "The key's role is too low",
    404: "Not found", 409: "Cannot be done in the present state", 413: "Body too large or nested too deeply",
    415: "Body is not application/json", 422: "Invalid request: one entry per field, located by JSON Pointer",
    429: "Over the caller's rate limit; Retry-After says when to try again",
    503: "The decision record is unavailable; no suggestion is returned",
}


def build_spec(vocabulary: Vocabulary, ruleset_ids: Sequence[str] = (), dev_mode: bool = False,
               rate_limited: bool = False) -> dict[str, Any]:
    """The OpenAPI 3.1 document for every registered operation, as this service enforces it.

    In local development mode no key is checked, so no operation declares security or 401/403
    (a document claiming otherwise would mislead a client's tests); with rate limits on, every
    limited operation declares 429.
    """
    models: list[tuple[type[BaseModel], Literal["validation", "serialization"]]] = [
        (ProblemDetails, "serialization")]
    for op in OPERATIONS:
        if op.body is not None:
            models.append((op.body, "validation"))
        if op.response is not None:
            models.append((op.response, "serialization"))
    unique = list(dict.fromkeys(models))
    refs, defs = models_json_schema(unique, ref_template=REF)
    schemas: dict[str, Any] = dict(defs.get("$defs", {}))
    facts = vocabulary.referral_schema()["properties"]["facts"]
    schemas["ReferralFacts"] = facts
    for schema in schemas.values():  # the facts of every request are the vocabulary's, not free-form
        props = schema.get("properties", {})
        if "facts" in props and props["facts"].get("type") == "object" and "additionalProperties" in props["facts"]:
            props["facts"] = {"$ref": REF.format(model="ReferralFacts"),
                              "description": props["facts"].get("description", "Referral facts")}
        for prop in props.values():  # lists of fact ids (e.g. not_known) accept the vocabulary's ids only
            items = prop.get("items") if isinstance(prop, dict) else None
            if isinstance(items, dict) and items.pop("x-fact-id", False):
                items["enum"] = [f.id for f in vocabulary.facts]
            if isinstance(items, dict) and items.pop("x-concern", False):  # and lists of concerns its concerns
                items["enum"] = list(vocabulary.concerns())
        if ruleset_ids and "ruleset" in props and props["ruleset"].get("type") == "string":
            props["ruleset"]["examples"] = list(ruleset_ids)
    paths: dict[str, Any] = {}
    for op in OPERATIONS:
        entry: dict[str, Any] = {"operationId": op.operation_id, "summary": op.summary, "tags": [op.tag]}
        if op.description:
            entry["description"] = op.description + (f"\n\nNeeds the `{op.role}` role." if op.role and not dev_mode
                                                     else "")
        entry["security"] = [{"apiKey": []}] if op.role and not dev_mode else []
        if op.params:
            entry["parameters"] = [{"name": p.name, "in": p.where, "required": p.required or p.where == "path",
                                    "description": p.description, "schema": p.schema} for p in op.params]
            for p in entry["parameters"]:
                if p["name"] == "ruleset_id" and ruleset_ids:
                    p["examples"] = {i: {"value": i} for i in ruleset_ids}
        if op.body is not None:
            entry["requestBody"] = {"required": True, "content": {
                "application/json": {"schema": refs[(op.body, "validation")]}}}
        if op.response is not None:
            content = {"application/json": {"schema": refs[(op.response, "serialization")]}}
        else:
            content = {m: {"schema": {"type": "string"}} for m in op.media}
        responses: dict[str, Any] = {str(op.status): {"description": "Success", "content": content}}
        codes = set(op.errors)
        if op.role and not dev_mode:
            codes |= {401, 403}
        if rate_limited and op.path != "/api/v1/health":
            codes |= {429}
        if op.body is not None:
            codes |= {400, 413, 415, 422}
        if op.params:
            codes |= {422}
        for code in sorted(codes):
            responses[str(code)] = _problem(_ERRORS[code])
        entry["responses"] = responses
        paths.setdefault(op.path, {})[op.method] = entry
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Thresholds API",
            "version": ENGINE_VERSION,
            "description": "Threshold-of-intervention decision support for children's social care in England. "
            "Every result is a suggestion for a qualified practitioner, who decides. Errors are RFC 9457 "
            "problem details (application/problem+json).",
        },
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {"schemas": schemas,
                       "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer",
                                                      "description": "An API key made by `thresholds keys create`"}}},
    }
