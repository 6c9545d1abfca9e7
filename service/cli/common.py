"""Helpers shared by CLI commands: loading the catalogue, reading JSON, dates."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from engine.errors import ThresholdsError
from engine.load.catalogue import Catalogue

MAX_JSON_BYTES = 1_000_000


def catalogue(args: argparse.Namespace, only: list[str] | None = None) -> Catalogue:
    """The rulesets of ``--rulesets DIR`` (else the bundled ones); with ``only``, just those authorities."""
    return Catalogue.load(getattr(args, "rulesets", None), only=only)


def parse_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date written YYYY-MM-DD") from None


def read_text(path: str, limit: int = MAX_JSON_BYTES) -> str:
    """A UTF-8 text file ('-' for stdin), size-capped, with errors that name the file."""
    p = Path(path)
    if path == "-":
        import sys

        text = sys.stdin.read(limit + 1)
    else:
        if not p.exists():
            raise ThresholdsError(f"{path}: file not found")
        if p.is_dir():
            raise ThresholdsError(f"{path}: is a directory, not a file")
        if p.stat().st_size > limit:
            raise ThresholdsError(f"{path}: file is larger than {limit} bytes")
        try:
            text = p.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise ThresholdsError(f"{path}: file is not UTF-8 text") from None
        except OSError as e:  # permission denied, I/O error: a message, not a traceback
            raise ThresholdsError(f"{path}: cannot read file: {e.strerror}") from None
    if len(text) > limit:
        raise ThresholdsError(f"{path}: input is larger than {limit} bytes")
    return text


def read_json(path: str) -> Any:
    """Read a JSON file, with errors that name the file, line and column."""
    text = read_text(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ThresholdsError(f"{path}:{e.lineno}:{e.colno}: invalid JSON: {e.msg}") from None
    except RecursionError:
        raise ThresholdsError(f"{path}: JSON nested too deeply") from None


def referral_facts(doc: Any, path: str) -> dict[str, Any]:
    """The facts of a referral document: {"facts": {...}} (a bare mapping is accepted too)."""
    if isinstance(doc, dict) and "facts" in doc:
        extra = sorted(set(doc) - {"facts"})
        if extra:
            raise ThresholdsError(f"{path}: unknown top-level key '{extra[0]}' (a referral has only 'facts')")
        doc = doc["facts"]
    if not isinstance(doc, dict):
        raise ThresholdsError(f"{path}: /facts must be a JSON object of fact: value")
    return doc
