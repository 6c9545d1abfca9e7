"""API keys: created once, shown once, stored only as a sha256 hash.

A key is 256 random bits, so a plain sha256 is enough at rest (a slow password hash guards
guessable secrets; these are not) and lets a request find its key by hash in one indexed
look-up. Each key belongs to one caller name and one role; revoking keeps the row so that
records written with it still name their caller.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Engine, insert, select, update

from engine.errors import ThresholdsError
from service.store.database import api_keys, iso

Role = Literal["triage", "manager", "policy", "trainer", "admin"]
ROLES: tuple[Role, ...] = ("triage", "manager", "policy", "trainer", "admin")
GRANTS: dict[str, frozenset[str]] = {
    "triage": frozenset({"triage"}),
    "manager": frozenset({"triage", "manager"}),
    "policy": frozenset({"triage", "policy"}),
    "trainer": frozenset({"trainer"}),
    "admin": frozenset(ROLES),
}
"""What each role may do: a manager triages and approves downgrades; policy triages and reads the
practice figures (it does not approve); a trainer runs training classroom sessions and reads their
results, and nothing else (training uses fictional referrals: it needs no triage); admin does everything.
Roles are stored as text in ``api_keys.role`` (no enumerated type), so a new role needs no migration."""
PREFIX = "thr_"
CALLER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._@-]{0,99}$")


def includes(held: str, needed: str) -> bool:
    return needed in GRANTS.get(held, frozenset())


def digest(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Caller:
    name: str
    role: Role
    key_id: str | None


class KeyStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def create(self, caller: str, role: str) -> tuple[str, str]:
        """A new key for ``caller``: returns (key id, the key itself, shown only now)."""
        if role not in ROLES:
            raise ThresholdsError(f"role must be one of {', '.join(ROLES)}, not '{role}'")
        if not CALLER.match(caller):
            raise ThresholdsError("caller must be 1-100 letters, digits, spaces or ._@- (starting with a letter "
                                  "or digit)")
        key_id = secrets.token_hex(4)
        key = f"{PREFIX}{key_id}_{secrets.token_urlsafe(32)}"
        with self.engine.begin() as conn:
            conn.execute(insert(api_keys).values(id=key_id, caller=caller, role=role, key_sha256=digest(key),
                                                 created_at=dt.datetime.now(dt.UTC)))
        return key_id, key

    def lookup(self, key: str) -> Caller | None:
        """The caller a key belongs to, or None if unknown or revoked."""
        with self.engine.connect() as conn:
            row = conn.execute(select(api_keys).where(api_keys.c.key_sha256 == digest(key))).mappings().first()
        if row is None or row["revoked_at"] is not None:
            return None
        return Caller(row["caller"], row["role"], row["id"])

    def list(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(api_keys.c.id, api_keys.c.caller, api_keys.c.role, api_keys.c.created_at,
                                       api_keys.c.revoked_at).order_by(api_keys.c.created_at)).mappings().all()
        return [{"id": r["id"], "caller": r["caller"], "role": r["role"],
                 "created_at": iso(r["created_at"]),
                 "revoked_at": iso(r["revoked_at"]) if r["revoked_at"] else None} for r in rows]

    def revoke(self, key_id: str) -> bool:
        with self.engine.begin() as conn:
            result = conn.execute(update(api_keys).where(api_keys.c.id == key_id, api_keys.c.revoked_at.is_(None))
                                  .values(revoked_at=dt.datetime.now(dt.UTC)))
        return bool(result.rowcount)
