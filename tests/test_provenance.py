"""The project speaks for itself: no tracked file points outside the repository, and every
authority's source notes ship under docs/sources/."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from engine.load.catalogue import ENGLAND_DIR, bundled_root

REPO = Path(__file__).resolve().parent.parent


def test_no_tracked_file_mentions_a_path_outside_the_repository() -> None:
    outside = ["/" + "work/", "../" + "shared/"]  # split so this file does not match itself
    out = subprocess.run(["git", "grep", "-n", "-e", outside[0], "-e", outside[1]], cwd=REPO,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and out.stdout == "", out.stdout  # git grep: 1 means no match


def test_every_authority_has_its_source_notes() -> None:
    for folder in sorted((bundled_root() / ENGLAND_DIR).iterdir()):
        if folder.is_dir() and not folder.name.startswith("_"):
            notes = REPO / "docs" / "sources" / f"{folder.name}.md"
            assert notes.is_file(), f"{notes} missing"
            text = notes.read_text()
            for ruleset in folder.glob("*.yaml"):
                assert f"rulesets/england/{folder.name}/{ruleset.name}" in text


def test_every_cited_source_note_exists() -> None:
    cited = set()
    for path in [*bundled_root().rglob("*.yaml"), *(REPO / "docs").glob("*.md")]:
        cited.update(re.findall(r"docs/sources/([\w.-]+\.md)", path.read_text()))
    assert cited
    assert not [c for c in cited if not (REPO / "docs" / "sources" / c).is_file()]
