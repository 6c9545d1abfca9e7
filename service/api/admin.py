"""Administration: reload the rulesets, and manage API keys (admin role only)."""

from __future__ import annotations

import logging
import os
import signal
from typing import Any

from flask import Blueprint

from service.api import PREFIX
from service.api.models import KeyCreated, KeyInfo, KeyList, KeyRequest, Reload
from service.body import json_body
from service.context import services
from service.openapi import Param, api_route
from service.problems import ApiProblem, file_errors

bp = Blueprint("admin", __name__, url_prefix=PREFIX + "/admin")
log = logging.getLogger("thresholds.service")
KEY_PARAM = Param("key_id", "path", "Key id (8 hex digits).", {"type": "string", "pattern": "^[0-9a-f]{8}$"})


@api_route(bp, "/reload", "POST", summary="Reload the rulesets", tag="admin", role="admin", response=Reload,
           errors=(422,))
def reload() -> Any:
    """Validate every ruleset file, then swap them in. On any error the service keeps serving
    the last good versions, health reports `degraded`, and this returns 422 listing each problem
    by file, line and column. Under gunicorn this worker reloads now and the others are signalled."""
    svc = services()
    result = svc.live.reload()
    master = os.environ.get("THRESHOLDS_GUNICORN_MASTER")
    if master and master.isdigit():
        os.kill(int(master), signal.SIGHUP)  # the master forwards it to every worker, so all agree
    if result.status == "rejected":
        raise ApiProblem(422, "Invalid ruleset files",
                         "The new ruleset files were rejected; the last good versions are still in service.",
                         kind="reload-rejected", extra={"files": file_errors(result.problems)})
    return Reload.model_validate({"status": result.status, "at": result.at,
                                  "rulesets": svc.live.health()["rulesets"]}).model_dump(mode="json")


@api_route(bp, "/keys", "GET", summary="List API keys", tag="admin", role="admin", response=KeyList)
def list_keys() -> Any:
    """Every key's id, caller, role and dates (never the key or its hash)."""
    return KeyList.model_validate({"keys": services().keys.list()}).model_dump(mode="json")


@api_route(bp, "/keys", "POST", summary="Create an API key", tag="admin", role="admin", body=KeyRequest,
           response=KeyCreated, status=201)
def create_key() -> Any:
    """A new key for a caller and role; the key is shown in this response only."""
    req = json_body(KeyRequest)
    key_id, key = services().keys.create(req.caller, req.role)
    log.info("key created id=%s role=%s", key_id, req.role)
    return KeyCreated(id=key_id, caller=req.caller, role=req.role, key=key).model_dump(mode="json"), 201


@api_route(bp, "/keys/<key_id>", "DELETE", summary="Revoke an API key", tag="admin", role="admin",
           response=KeyInfo, params=(KEY_PARAM,), errors=(404,))
def revoke_key(key_id: str) -> Any:
    """Revoke a key at once; records written with it keep their caller name."""
    svc = services()
    if not svc.keys.revoke(key_id):
        raise ApiProblem(404, "Key not found", f"no active key with id '{key_id[:20]}'")
    log.info("key revoked id=%s", key_id)
    info = next(k for k in svc.keys.list() if k["id"] == key_id)
    return KeyInfo.model_validate(info).model_dump(mode="json")
