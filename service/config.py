"""Service settings: read from ``THRESHOLDS_*`` environment variables when an app is made.

Nothing is read at import time, so tests and ``gunicorn 'service:create_app()'`` can make apps
with different settings in one process. A mapping passed to ``create_app`` wins over the
environment. The safe defaults are the embedded ones: bundled rulesets, SQLite under an
instance folder, API keys required. Key-less local development mode is refused unless the
service is bound to a loopback address, because it would otherwise let anyone on the network
read decision records.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from engine.errors import ThresholdsError

AuthMode = Literal["keys", "off"]


class ConfigError(ThresholdsError):
    """A setting that cannot be used; the service refuses to start rather than guess."""


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    rulesets: Path | None
    """Ruleset folder; None means the bundled rulesets."""
    instance: Path
    """Where the embedded SQLite record lives."""
    database_url: str
    host: str
    auth: AuthMode
    max_body_bytes: int
    max_json_depth: int
    evaluation_budget_seconds: float
    with_durable: bool
    fallback_rulesets: Path | None = None
    """Last good copy used when ``rulesets`` fails at start-up (set by ``serve --workers``)."""
    journey_idle_minutes: int = 30
    """Web triage answers are deleted after this many minutes without use (and on sign-out)."""

    @property
    def dev_mode(self) -> bool:
        return self.auth == "off"


def _get(config: Mapping[str, Any], env: Mapping[str, str], name: str, default: str) -> str:
    if name in config:
        return str(config[name])
    return env.get(f"THRESHOLDS_{name}", default)


def _int(text: str, name: str, low: int, high: int) -> int:
    try:
        value = int(text)
    except ValueError:
        raise ConfigError(f"THRESHOLDS_{name} must be a whole number, not '{text}'") from None
    if not low <= value <= high:
        raise ConfigError(f"THRESHOLDS_{name} must be between {low} and {high}, not {value}")
    return value


def load_settings(config: Mapping[str, Any] | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Settings from ``config`` (keys without the THRESHOLDS_ prefix) over the environment."""
    cfg = dict(config or {})
    environ = os.environ if env is None else env
    unknown = sorted(set(cfg) - _NAMES)
    if unknown:
        raise ConfigError(f"unknown setting '{unknown[0]}'; known: {', '.join(sorted(_NAMES))}")
    rulesets = _get(cfg, environ, "RULESETS", "")
    instance = Path(_get(cfg, environ, "INSTANCE", str(Path.cwd() / "instance")))
    url = _get(cfg, environ, "DATABASE_URL", "")
    if not url:
        url = f"sqlite:///{(instance / 'thresholds.sqlite3').resolve()}"
    host = _get(cfg, environ, "HOST", "127.0.0.1")
    auth = _get(cfg, environ, "AUTH", "keys")
    if auth not in ("keys", "off"):
        raise ConfigError(f"THRESHOLDS_AUTH must be 'keys' or 'off', not '{auth}'")
    if auth == "off" and not is_loopback(host):
        raise ConfigError(f"THRESHOLDS_AUTH=off (no API keys) is allowed only on a loopback address, not on '{host}'")
    try:
        budget = float(_get(cfg, environ, "BUDGET_SECONDS", "2.0"))
    except ValueError:
        raise ConfigError("THRESHOLDS_BUDGET_SECONDS must be a number of seconds") from None
    durable = _get(cfg, environ, "DURABLE", "1")
    if durable not in ("0", "1"):
        raise ConfigError("THRESHOLDS_DURABLE must be 1 (both channels, the default) or 0 (fast channel only)")
    return Settings(
        rulesets=Path(rulesets) if rulesets else None,
        instance=instance,
        database_url=url,
        host=host,
        auth="off" if auth == "off" else "keys",
        max_body_bytes=_int(_get(cfg, environ, "MAX_BODY_BYTES", "262144"), "MAX_BODY_BYTES", 1024, 10_000_000),
        max_json_depth=_int(_get(cfg, environ, "MAX_JSON_DEPTH", "32"), "MAX_JSON_DEPTH", 4, 200),
        evaluation_budget_seconds=budget,
        with_durable=durable == "1",
        fallback_rulesets=Path(fb) if (fb := _get(cfg, environ, "FALLBACK_RULESETS", "")) else None,
        journey_idle_minutes=_int(_get(cfg, environ, "JOURNEY_IDLE_MINUTES", "30"), "JOURNEY_IDLE_MINUTES", 1, 1440),
    )


_NAMES = {"RULESETS", "FALLBACK_RULESETS", "INSTANCE", "DATABASE_URL", "HOST", "AUTH", "MAX_BODY_BYTES",
          "MAX_JSON_DEPTH", "BUDGET_SECONDS", "DURABLE", "JOURNEY_IDLE_MINUTES"}
