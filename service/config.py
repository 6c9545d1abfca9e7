"""Service settings: read from ``THRESHOLDS_*`` environment variables when an app is made.

Nothing is read at import time, so tests and ``gunicorn 'service:create_app()'`` can make apps
with different settings in one process. A mapping passed to ``create_app`` wins over the
environment. The safe defaults are the embedded ones: bundled rulesets, SQLite under an
instance folder, API keys required. Key-less local development mode is refused unless the
service is bound to a loopback address, because it would otherwise let anyone on the network
read decision records.

The Host header is checked against a list (Flask's ``TRUSTED_HOSTS``): in development mode only
loopback names, so a web page elsewhere cannot reach the key-less service by DNS rebinding
(its requests would carry the attacker's host name); otherwise ``THRESHOLDS_TRUSTED_HOSTS``,
which must be set when the service listens beyond loopback.
"""

from __future__ import annotations

import ipaddress
import os
import re
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
    trusted_hosts: tuple[str, ...] = ("localhost", "127.0.0.1")
    """Host header values the service answers (ports ignored); anything else is 400."""
    rate_limits: str = "auto"
    """'auto' (on beyond loopback), 'on' or 'off'."""
    rate_limit: str = "300/minute"
    """Each caller's budget (per API key, else per address), as flask-limiter writes it."""
    rate_limit_expensive: str = "20/minute"
    """Each caller's budget for matrix, diff and compare together."""
    rate_limit_storage: str = "memory://"
    reason_codes: tuple[str, ...] = ("policy", "discretionary", "other")
    """Reason codes a practitioner may give for a decision (THRESHOLDS_REASON_CODES, comma-separated)."""
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
    trusted = _trusted_hosts(_get(cfg, environ, "TRUSTED_HOSTS", ""), host, auth)
    rate_limits = _get(cfg, environ, "RATE_LIMITS", "auto")
    if rate_limits not in ("auto", "on", "off"):
        raise ConfigError(f"THRESHOLDS_RATE_LIMITS must be 'auto', 'on' or 'off', not '{rate_limits}'")
    rate, expensive = (_rate(_get(cfg, environ, name, default), name) for name, default in
                       (("RATE_LIMIT", "300/minute"), ("RATE_LIMIT_EXPENSIVE", "20/minute")))
    codes = tuple(c.strip() for c in _get(cfg, environ, "REASON_CODES", "policy,discretionary,other").split(","))
    bad = [c for c in codes if not REASON_CODE.match(c)]
    if bad or len(set(codes)) != len(codes):
        raise ConfigError("THRESHOLDS_REASON_CODES must be distinct comma-separated codes of 1-40 lower-case "
                          f"letters, digits, '_' or '-' (got '{bad[0] if bad else ','.join(codes)}')")
    return Settings(
        rate_limits=rate_limits,
        rate_limit=rate,
        rate_limit_expensive=expensive,
        rate_limit_storage=_get(cfg, environ, "RATE_LIMIT_STORAGE", "memory://"),
        trusted_hosts=trusted,
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
        reason_codes=codes,
        journey_idle_minutes=_int(_get(cfg, environ, "JOURNEY_IDLE_MINUTES", "30"), "JOURNEY_IDLE_MINUTES", 1, 1440),
    )


LOOPBACK_NAMES = ("localhost", "127.0.0.1")


def _rate(text: str, name: str) -> str:
    """A budget such as '300/minute' or '20 per hour', checked now rather than at the first request."""
    from limits import parse_many

    try:
        parse_many(text)
    except ValueError:
        raise ConfigError(f"THRESHOLDS_{name} must be a rate such as '300/minute', not '{text}'") from None
    return text


def _trusted_hosts(text: str, host: str, auth: str) -> tuple[str, ...]:
    """Loopback names only in development mode; the configured names otherwise."""
    given = tuple(h.strip().lower() for h in text.split(",") if h.strip())
    loopback = LOOPBACK_NAMES + ((host,) if is_loopback(host) and host not in LOOPBACK_NAMES and ":" not in host
                                 else ())
    if auth == "off":
        bad = [h for h in given if h.lstrip(".") not in loopback]
        if bad:
            raise ConfigError(f"THRESHOLDS_TRUSTED_HOSTS may name only loopback hosts in local development mode, "
                              f"not '{bad[0]}'")
        return loopback
    if given:
        return given
    if is_loopback(host):
        return loopback
    raise ConfigError(f"THRESHOLDS_TRUSTED_HOSTS must list the host names clients use (for example "
                      f"'thresholds.example.gov.uk') when the service listens on '{host}'")


_NAMES = {"TRUSTED_HOSTS", "RATE_LIMITS", "RATE_LIMIT", "RATE_LIMIT_EXPENSIVE", "RATE_LIMIT_STORAGE",
          "RULESETS", "FALLBACK_RULESETS", "INSTANCE", "DATABASE_URL", "HOST", "AUTH", "MAX_BODY_BYTES",
          "MAX_JSON_DEPTH", "BUDGET_SECONDS", "DURABLE", "REASON_CODES",
          "JOURNEY_IDLE_MINUTES"}
REASON_CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
