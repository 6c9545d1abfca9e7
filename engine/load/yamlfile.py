"""A safe YAML reader that remembers where every value came from.

Ruleset files are written by people, so the reader must be strict where YAML is lenient:
it caps size and nesting depth *before* building anything (a deeply nested or aliased file
cannot exhaust memory or the stack), rejects anchors, aliases, tags and duplicate keys,
reads YAML 1.2 (``no`` stays a string) and keeps dates as strings. Merge keys (``<<:``) are
rejected like anchors: they would let one mapping hide a duplicate key behind another. Every
error carries ``file:line:column``, including an exception the YAML library raises on input it
cannot handle (ruamel.yaml has crashed with ``NotImplementedError`` on a key followed by a
two-line comment): nothing but a located :class:`YamlSyntaxError` leaves this module, because
a reload that raised anything else could take the service down. :class:`Located` maps a path
inside the data back to its position so later checks can report positions too.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.reader import ReaderError
from ruamel.yaml.tokens import (
    AliasToken,
    AnchorToken,
    BlockEndToken,
    BlockMappingStartToken,
    BlockSequenceStartToken,
    DirectiveToken,
    FlowEntryToken,
    FlowMappingEndToken,
    FlowMappingStartToken,
    FlowSequenceEndToken,
    FlowSequenceStartToken,
    KeyToken,
    ScalarToken,
    TagToken,
)

from engine.errors import Problem, YamlSyntaxError

MAX_BYTES = 1_000_000
MAX_DEPTH = 40

PathKey = tuple[str | int, ...]


class _StringTimestamps(RoundTripConstructor):
    """Dates stay strings: '2026-12-01' must not become a date, nor crash when impossible."""


_StringTimestamps.add_constructor(
    "tag:yaml.org,2002:timestamp", _StringTimestamps.construct_yaml_str
)


def _yaml() -> YAML:
    y = YAML(typ="rt")
    y.Constructor = _StringTimestamps
    y.allow_duplicate_keys = False
    return y


@dataclass
class Located:
    """Loaded YAML data plus the positions of its nodes (1-based line and column)."""

    file: str
    data: Any
    root: Any

    def position(self, path: PathKey, key: bool = False) -> tuple[int, int]:
        """Line and column of the value at ``path`` (of its key when ``key``).

        Walks as far as the path exists and reports the deepest known node, so an error
        about a missing field points at the mapping that should contain it.
        """
        node = self.root
        line, col = 1, 1
        if isinstance(node, (CommentedMap, CommentedSeq)):
            line, col = node.lc.line + 1, node.lc.col + 1
        for i, part in enumerate(path):
            last = i == len(path) - 1
            try:
                if isinstance(node, CommentedMap) and part in node:
                    kl, kc = node.lc.key(part)
                    vl, vc = node.lc.value(part)
                    line, col = (kl + 1, kc + 1) if (key and last) else (vl + 1, vc + 1)
                    node = node[part]
                elif isinstance(node, CommentedSeq) and isinstance(part, int) and 0 <= part < len(node):
                    il, ic = node.lc.item(part)
                    line, col = il + 1, ic + 1
                    node = node[part]
                else:
                    break
            except (KeyError, IndexError, TypeError, AttributeError):
                break  # a node ruamel kept no position for: report the deepest one it did
        return line, col

    def problem(self, path: PathKey, message: str, key: bool = False,
                suggestions: tuple[str, ...] = ()) -> Problem:
        line, col = self.position(path, key=key)
        return Problem(self.file, line, col, message, suggestions)


def _plain(node: Any) -> Any:
    """ruamel containers to plain dicts and lists (what pydantic validates)."""
    if isinstance(node, CommentedMap):
        return {k: _plain(v) for k, v in node.items()}
    if isinstance(node, CommentedSeq):
        return [_plain(v) for v in node]
    if isinstance(node, str):
        return str(node)  # ScalarString subclasses -> str
    return node


def _prescan(text: str, name: str) -> None:
    """Reject aliases, anchors, tags and excessive depth from the token stream alone."""
    depth = 0
    opens = (BlockMappingStartToken, BlockSequenceStartToken, FlowMappingStartToken, FlowSequenceStartToken)
    closes = (BlockEndToken, FlowMappingEndToken, FlowSequenceEndToken)
    after_key = False
    block_scalars: list[tuple[int, int]] = []
    for tok in YAML(typ="rt").scan(io.StringIO(text)):
        where = (tok.start_mark.line + 1, tok.start_mark.column + 1)
        end = tok.end_mark.index
        quoted = isinstance(tok, ScalarToken) and tok.style in ("'", '"')
        if (quoted or isinstance(tok, _ENDS_BEFORE_COMMENT)) and text.startswith("#", end):
            raise YamlSyntaxError([Problem(name, tok.end_mark.line + 1, tok.end_mark.column + 1,
                                           "a comment needs a space before '#' (YAML 1.2): write ' #'")])
        if isinstance(tok, ScalarToken) and tok.style in ("|", ">"):
            block_scalars.append((tok.start_mark.index, end))
        if after_key and isinstance(tok, ScalarToken) and tok.plain and tok.value == "<<":
            raise YamlSyntaxError([Problem(name, *where, "merge keys (<<) are not allowed: they can hide a "
                                           "duplicate key; write each key out in full")])
        if isinstance(tok, KeyToken) and text.startswith("?", tok.start_mark.index):
            raise YamlSyntaxError([Problem(name, *where, "explicit and complex keys ('? key') are not allowed: "
                                           "write 'key: value' with a plain text key")])
        after_key = isinstance(tok, KeyToken)
        if isinstance(tok, (AliasToken, AnchorToken)):
            raise YamlSyntaxError([Problem(name, *where, "anchors and aliases (&, *) are not allowed; "
                                           "write each value out in full")])
        if isinstance(tok, TagToken):
            raise YamlSyntaxError([Problem(name, *where, "YAML tags (!!type) are not allowed")])
        if isinstance(tok, DirectiveToken):  # '%YAML 1.1' would turn 'no' back into false
            raise YamlSyntaxError([Problem(name, *where, "YAML directives (%YAML, %TAG) are not allowed")])
        if isinstance(tok, opens):
            depth += 1
            if depth > MAX_DEPTH:
                raise YamlSyntaxError([Problem(name, *where, f"nested more than {MAX_DEPTH} levels deep")])
        elif isinstance(tok, closes):
            depth -= 1
    _no_indenting_tabs(text, name, block_scalars)


_ENDS_BEFORE_COMMENT = (FlowEntryToken, FlowSequenceEndToken, FlowMappingEndToken, FlowSequenceStartToken,
                        FlowMappingStartToken)


def _no_indenting_tabs(text: str, name: str, block_scalars: list[tuple[int, int]]) -> None:
    """A tab in the whitespace that starts a line is an error outside block scalar text.

    YAML 1.2 never lets a tab indent, but ruamel.yaml accepts one at the start of a line inside
    a quoted scalar or a flow collection (YAML test suite DK95, Y79Y). Stricter than the
    specification on purpose: a ruleset has no reason to start a line with a tab.
    """
    offset = 0
    for number, line in enumerate(text.split("\n"), start=1):
        lead = len(line) - len(line.lstrip(" \t"))
        tab = line.find("\t", 0, lead)
        if tab >= 0 and not any(a <= offset + tab < b for a, b in block_scalars):
            raise YamlSyntaxError([Problem(name, number, tab + 1, "a tab character cannot indent or separate "
                                           "YAML: use spaces")])
        offset += len(line) + 1


_TOKEN_AT = re.compile(r"line: (\d+), col: (\d+)")


def _crash_position(text: str, error: BaseException) -> tuple[int, int]:
    """Where the YAML library was when it raised something that is not a YAML error.

    Its message may quote a token with its (0-based) position; otherwise the position is the
    end of the last event the parser produced before it failed.
    """
    found = _TOKEN_AT.search(str(error))
    if found:
        return int(found.group(1)) + 1, int(found.group(2)) + 1
    line, col = 1, 1
    try:
        for event in YAML(typ="rt").parse(io.StringIO(text)):
            mark = event.end_mark
            if mark is not None:
                line, col = mark.line + 1, mark.column + 1
    except Exception:  # noqa: BLE001 - the failure we are locating
        pass
    return line, col


def _crash_words(error: BaseException) -> str:
    if "comment" in str(error).lower():
        return ("the YAML parser cannot read a comment here (a comment between a key and its value "
                "over several lines): put the value on the key's line, or move the comment above the key")
    return f"invalid YAML that the YAML parser cannot read ({type(error).__name__})"


def load_text(text: str, name: str) -> Located:
    """Parse YAML text safely; raise :class:`YamlSyntaxError` with positions."""
    if len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise YamlSyntaxError([Problem(name, 1, 1, f"file is larger than {MAX_BYTES} bytes")])
    try:
        _prescan(text, name)
        root = _yaml().load(text)
    except YamlSyntaxError:
        raise
    except MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        what = " ".join(x for x in (e.context, e.problem) if x) or "invalid YAML"
        if "duplicate key" in what.lower() or type(e).__name__ == "DuplicateKeyError":
            what = "duplicate key: " + (e.problem or what)
        elif "'\\t'" in what:
            what = "a tab character cannot indent or separate YAML: use spaces (" + what + ")"
        raise YamlSyntaxError([Problem(name, line, col, what.strip())]) from None
    except ReaderError as e:  # a control character: no mark, but an offset into the text
        offset = e.position if isinstance(e.position, int) else 0
        line = text.count("\n", 0, offset) + 1
        col = offset - (text.rfind("\n", 0, offset) + 1) + 1
        code = f"U+{e.character:04X}" if isinstance(e.character, int) else repr(e.character)
        raise YamlSyntaxError([Problem(name, line, col, f"control character {code} is not allowed "
                                                        "in YAML text")]) from None
    except (YAMLError, RecursionError, ValueError) as e:
        raise YamlSyntaxError([Problem(name, *_crash_position(text, e), f"invalid YAML: {type(e).__name__}")]) from None
    except Exception as e:  # noqa: BLE001 - a parser bug must become a located error, never a crash
        raise YamlSyntaxError([Problem(name, *_crash_position(text, e), _crash_words(e))]) from None
    if root is None:
        raise YamlSyntaxError([Problem(name, 1, 1, "file is empty")])
    return Located(file=name, data=_plain(root), root=root)


def load_file(path: Path | str) -> Located:
    """Read and parse a YAML file; size is checked before the file is read in full."""
    p = Path(path)
    name = str(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise YamlSyntaxError([Problem(name, 1, 1, f"file is larger than {MAX_BYTES} bytes ({size})")])
        raw = p.read_bytes()
    except FileNotFoundError:
        raise YamlSyntaxError([Problem(name, 1, 1, "file not found")]) from None
    except IsADirectoryError:
        raise YamlSyntaxError([Problem(name, 1, 1, "is a directory, not a file")]) from None
    except OSError as e:
        raise YamlSyntaxError([Problem(name, 1, 1, f"cannot read file: {e.strerror}")]) from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise YamlSyntaxError([Problem(name, line, 1, "file is not UTF-8 text")]) from None
    return load_text(text, name)
