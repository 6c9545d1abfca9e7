"""``thresholds keys``: create, list and revoke API keys in the service's database."""

from __future__ import annotations

import argparse
from typing import Any

from engine.errors import ThresholdsError
from service.config import load_settings
from service.store.database import connect
from service.store.keys import ROLES, KeyStore


def register(sub: Any) -> None:
    p: argparse.ArgumentParser = sub.add_parser(
        "keys", help="manage API keys (create, list, revoke)",
        description="API keys for the service, stored as hashes in its database (THRESHOLDS_DATABASE_URL, "
        "default SQLite under ./instance). Roles: triage; manager (triage, approving downgrades); "
        "policy (triage, practice figures); admin (all).")
    ks = p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    c = ks.add_parser("create", help="create a key and print it once")
    c.add_argument("--role", required=True, choices=ROLES)
    c.add_argument("--caller", required=True, metavar="NAME", help="who uses the key, e.g. 'kent-mash'")
    c.set_defaults(handler=create)
    ls = ks.add_parser("list", help="list keys (never the keys themselves)")
    ls.set_defaults(handler=list_keys)
    r = ks.add_parser("revoke", help="revoke a key by its id")
    r.add_argument("key_id", metavar="ID")
    r.set_defaults(handler=revoke)


def _store() -> KeyStore:
    return KeyStore(connect(load_settings().database_url))


def create(args: argparse.Namespace) -> int:
    key_id, key = _store().create(args.caller, args.role)
    print(f"created key {key_id} for '{args.caller}' with role {args.role}. It is shown only now:")
    print(key)
    return 0


def list_keys(args: argparse.Namespace) -> int:
    rows = _store().list()
    if not rows:
        print("no keys")
    for k in rows:
        state = f"revoked {k['revoked_at']}" if k["revoked_at"] else "active"
        print(f"{k['id']}  {k['role']:<7} {k['caller']}  created {k['created_at']}  {state}")
    return 0


def revoke(args: argparse.Namespace) -> int:
    if not _store().revoke(args.key_id):
        raise ThresholdsError(f"no active key with id '{args.key_id}'")
    print(f"revoked key {args.key_id}")
    return 0
