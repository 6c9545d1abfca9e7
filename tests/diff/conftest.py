"""Fixture roots for the diff tests: constructed rulesets whose differences are known exactly."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.load.catalogue import Catalogue

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "diff"


@pytest.fixture(scope="session")
def authorities() -> Catalogue:
    """base, and four authorities each differing from it in one known way (see each file's header)."""
    return Catalogue.load(FIXTURES / "authorities")


@pytest.fixture(scope="session")
def versions() -> Catalogue:
    """demo@1 and demo@2, where only the young-carer citation changed."""
    return Catalogue.load(FIXTURES / "versions")
