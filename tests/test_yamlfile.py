"""The safe YAML reader: strict where YAML is lenient, and every error at its position."""

from __future__ import annotations

from pathlib import Path

import pytest

from engine.errors import YamlSyntaxError
from engine.load.yamlfile import MAX_BYTES, MAX_DEPTH, load_file, load_text


def problem(text: str) -> tuple[int, int, str]:
    with pytest.raises(YamlSyntaxError) as info:
        load_text(text, "t.yaml")
    (p,) = info.value.problems
    assert p.file == "t.yaml"
    return p.line, p.column, p.message


def test_data_is_plain_python_and_positions_are_one_based() -> None:
    loc = load_text("a:\n  b: [x, {c: 1}]\n  d: text\n", "t.yaml")
    assert loc.data == {"a": {"b": ["x", {"c": 1}], "d": "text"}}
    assert type(loc.data["a"]) is dict and type(loc.data["a"]["d"]) is str
    assert loc.position(("a", "d")) == (3, 6)
    assert loc.position(("a", "d"), key=True) == (3, 3)
    assert loc.position(("a", "b", 1, "c")) == (2, 14)
    assert loc.problem(("a", "b", 1), "bad").line == 2


def test_position_of_a_missing_path_is_the_deepest_node_that_exists() -> None:
    loc = load_text("a:\n  b: 1\n", "t.yaml")
    assert loc.position(("a", "nope", "deeper")) == (2, 3)
    assert loc.position(("zzz",)) == (1, 1)


def test_yaml_1_2_no_stays_text_and_dates_stay_strings() -> None:
    loc = load_text("a: no\nb: yes\nc: 2026-12-01\nd: 2024-02-30\ne: true\n", "t.yaml")
    assert loc.data == {"a": "no", "b": "yes", "c": "2026-12-01", "d": "2024-02-30", "e": True}


def test_duplicate_key_names_the_second_occurrence() -> None:
    line, col, msg = problem("a: 1\nb:\n  c: 1\n  c: 2\n")
    assert (line, col) == (4, 3)
    assert msg.startswith("duplicate key") and '"c"' in msg


@pytest.mark.parametrize("text, where", [
    ("a: &x [1]\nb: 2\n", (1, 4)),
    ("a: [1]\nb: *x\n", (2, 4)),
])
def test_anchors_and_aliases_are_rejected(text: str, where: tuple[int, int]) -> None:
    line, col, msg = problem(text)
    assert (line, col) == where and "anchors and aliases" in msg


def test_tags_and_directives_are_rejected() -> None:
    assert problem("a: !!int '3'\n")[::2] == (1, "YAML tags (!!type) are not allowed")
    assert problem("%YAML 1.1\n---\na: no\n")[::2] == (1, "YAML directives (%YAML, %TAG) are not allowed")


def test_depth_is_capped_before_parsing() -> None:
    ok = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"  # the root mapping is level 1
    node = load_text(ok, "t.yaml").data["a"]
    for _ in range(MAX_DEPTH - 2):
        assert isinstance(node, list) and len(node) == 1
        node = node[0]
    assert node == []
    line, col, msg = problem("a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n")
    assert (line, col) == (1, 3 + MAX_DEPTH) and f"more than {MAX_DEPTH} levels" in msg
    assert problem("a: " + "[" * 100_000 + "\n")[2].startswith("nested more than")  # no RecursionError


def test_size_is_capped() -> None:
    assert "larger than" in problem("#" * (MAX_BYTES + 1))[2]


def test_size_is_checked_from_the_file_size(tmp_path: Path) -> None:
    f = tmp_path / "big.yaml"
    f.write_bytes(b"a: 1\n" + b"#" * MAX_BYTES)
    with pytest.raises(YamlSyntaxError, match=rf"larger than {MAX_BYTES} bytes \({MAX_BYTES + 5}\)"):
        load_file(f)


def test_empty_and_comment_only_files() -> None:
    assert problem("") == (1, 1, "file is empty")
    assert problem("# nothing\n\n") == (1, 1, "file is empty")


def test_syntax_error_position() -> None:
    line, col, msg = problem("a: [1, 2\nb: 3\n")
    assert line == 2 and "expected ',' or ']'" in msg


def test_tab_indentation_says_tab() -> None:
    line, col, msg = problem("a:\n\tb: 1\n")
    assert (line, col) == (2, 1) and "tab character" in msg and "use spaces" in msg


def test_control_character_position() -> None:
    assert problem("a: 1\nb: x\x00y\n") == (2, 5, "control character U+0000 is not allowed in YAML text")


def test_only_one_document() -> None:
    assert "single document" in problem("a: 1\n---\nb: 2\n")[2]


def test_non_utf8_names_the_line(tmp_path: Path) -> None:
    f = tmp_path / "latin1.yaml"
    f.write_bytes(b"a: 1\nb: 2\nc: caf\xe9\n")
    with pytest.raises(YamlSyntaxError) as info:
        load_file(f)
    assert str(info.value) == f"{f}:3:1: file is not UTF-8 text"


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(YamlSyntaxError, match="file not found"):
        load_file(tmp_path / "nope.yaml")
    with pytest.raises(YamlSyntaxError, match="is a directory"):
        load_file(tmp_path)
