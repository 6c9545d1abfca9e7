"""A cache of validated models, so a command does not re-parse and re-check unchanged YAML.

Loading a ruleset means safe YAML parsing, pydantic validation and semantic checks: seconds for
the whole catalogue, which every command used to pay. Each validated model (the vocabulary, the
national module, each ruleset version) is stored as JSON under a key that is the sha256 of
every input file it was checked against (a ruleset against the vocabulary and national module
too) and of the engine version and model type; any change to any of those files gives a new key,
so a stale entry is never found.

Entries are JSON (parsing them cannot run code, unlike pickle) and authenticated: each carries an
HMAC-SHA256 made with a random key kept in the cache folder, readable only by its owner. An entry
whose tag does not verify, whose key does not match, that does not validate as the model, or whose
folder or key file could be written by another user, is ignored and the files are loaded afresh.
A model is written only after it passed every check, and only if it reads back equal.

``THRESHOLDS_CACHE=DIR`` chooses the folder (default ``$XDG_CACHE_HOME/thresholds`` or
``~/.cache/thresholds``); ``THRESHOLDS_CACHE=off`` turns the cache off. The cache only saves time:
if it cannot be used, everything is loaded from the files as before.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import stat
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from engine import ENGINE_VERSION

M = TypeVar("M", bound=BaseModel)

FORMAT = "1"
_KEY_FILE = "hmac.key"
_MAX_ENTRY_BYTES = 20_000_000


def folder() -> Path | None:
    """The cache folder, or None when the cache is off."""
    env = os.environ.get("THRESHOLDS_CACHE", "")
    if env.lower() in ("off", "0", "no"):
        return None
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "thresholds"


def _private(path: Path) -> bool:
    """Owned by this user and not writable by group or others (so nobody else can forge entries)."""
    st = path.lstat()
    return st.st_uid == os.getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) and not stat.S_ISLNK(
        st.st_mode)


def _secret(base: Path) -> bytes | None:
    """The HMAC key, created on first use; None if the folder or key is not private to this user."""
    try:
        base.mkdir(parents=True, exist_ok=True, mode=0o700)
        if not _private(base):
            return None
        key_path = base / _KEY_FILE
        try:
            fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as f:
                f.write(secrets.token_bytes(32))
        if not _private(key_path) or key_path.stat().st_mode & 0o077:
            return None
        secret = key_path.read_bytes()
        return secret if len(secret) == 32 else None
    except OSError:
        return None


def key_for(model: type[BaseModel], files: Sequence[Path]) -> str:
    """The sha256 of the model type, engine version and the bytes of every input file, in order."""
    h = hashlib.sha256(f"thresholds-cache {FORMAT} {ENGINE_VERSION} {model.__module__}.{model.__qualname__}\n"
                       .encode())
    for path in files:
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def _tag(secret: bytes, key: str, body: bytes) -> str:
    return hmac.new(secret, key.encode() + b"\n" + body, hashlib.sha256).hexdigest()


def read(model: type[M], key: str, base: Path | None = None) -> M | None:
    """The cached model under ``key`` if present, authentic and valid; else None."""
    base = base if base is not None else folder()
    if base is None:
        return None
    secret = _secret(base)
    if secret is None:
        return None
    path = base / f"{key}.json"
    try:
        if not _private(path) or path.stat().st_size > _MAX_ENTRY_BYTES:
            return None
        raw = path.read_bytes()
    except OSError:
        return None
    tag, _, body = raw.partition(b"\n")
    if not hmac.compare_digest(tag, _tag(secret, key, body).encode()):
        return None
    try:
        return model.model_validate_json(body)
    except ValidationError:
        return None


def write(value: BaseModel, key: str, base: Path | None = None) -> None:
    """Store ``value`` (already fully checked) under ``key``; silently skipped if not possible."""
    base = base if base is not None else folder()
    if base is None:
        return
    secret = _secret(base)
    if secret is None:
        return
    body = value.model_dump_json(by_alias=True).encode()
    try:
        if type(value).model_validate_json(body) != value:
            return  # would not read back the same: never cache it
    except ValidationError:
        return
    tmp = base / f".{key}.{os.getpid()}.tmp"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(_tag(secret, key, body).encode() + b"\n" + body)
        os.replace(tmp, base / f"{key}.json")
    except OSError:
        tmp.unlink(missing_ok=True)


def cached(model: type[M], files: Sequence[Path], build: Callable[[], M]) -> M:
    """The model checked from ``files``: from the cache when every file is unchanged, else built."""
    try:
        key = key_for(model, files)
    except OSError:
        return build()  # a missing file: let the loader report it with its location
    found = read(model, key)
    if found is not None:
        return found
    value = build()
    write(value, key)
    return value
