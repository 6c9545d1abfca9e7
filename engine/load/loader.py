"""Loading vocabulary, national module and ruleset files into checked models.

Three passes, each reporting every problem as ``file:line:column: what is wrong``:
safe YAML (:mod:`engine.load.yamlfile`), the pydantic model (:mod:`engine.model.ruleset`), then the
semantic checks no schema can express: facts and values that exist in the vocabulary,
unique ids, known levels in ascending outcome order, the national safety module included
and not redefined.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError

from engine.errors import Problem, RulesetError, SchemaError, SemanticError, suggest
from engine.load.yamlfile import Located, PathKey, load_file
from engine.model import ruleset as rs_models
from engine.model import vocabulary as vocab_models
from engine.model.condition import OPERATORS, Condition, FactTest, fact_tests
from engine.model.route import Route, allowed_routes
from engine.model.ruleset import NationalModule, Ruleset
from engine.model.vocabulary import BooleanFact, CategoryFact, IntegerFact, Vocabulary

M = TypeVar("M", bound=BaseModel)

_TAGS = {"fact", "all", "any", "not"}
_PATTERN_WORDS = {
    rs_models.FULL_DATE: "a date written YYYY-MM-DD",
    rs_models.PARTIAL_DATE: "a date written YYYY, YYYY-MM or YYYY-MM-DD",
    rs_models.URL: "an http:// or https:// address",
    rs_models.ID: "an id of lower-case letters, digits and hyphens",
    rs_models.LEVEL_ID: "a level id of letters, digits, '-' or '_' (e.g. L3 or 4a)",
    vocab_models.FACT_ID: "a fact id of lower-case letters, digits and '_'",
}


def _known_keys(*modules: Any) -> set[str]:
    keys: set[str] = set()
    for module in modules:
        for obj in vars(module).values():
            if isinstance(obj, type) and issubclass(obj, BaseModel) and obj is not BaseModel:
                for name, field in obj.model_fields.items():
                    keys.add(field.alias or name)
    return keys


def _resolve(data: Any, loc: tuple[Any, ...]) -> PathKey:
    """Turn a pydantic error location into a path through the data.

    Tagged unions put the tag ('fact', 'all', 'any', 'not') into the location; a tag is
    consumed once per condition node, so ``{all: [...]}`` still resolves its real ``all`` key.
    """
    from engine.model.condition import _kind

    node = data
    tag_consumed = False
    path: list[str | int] = []
    for part in loc:
        if isinstance(node, dict) and not tag_consumed and part in _TAGS and _kind(node) == part:
            tag_consumed = True
            continue
        if isinstance(node, dict) and part in node:
            path.append(part)
            node = node[part]
            tag_consumed = False
        elif isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
            path.append(part)
            node = node[part]
            tag_consumed = False
        elif isinstance(node, dict) and isinstance(part, str):
            path.append(part)  # a missing or unknown key: keep it for the message
            break
    return tuple(path)


def _message(err: Any, located: Located, path: PathKey) -> tuple[PathKey, str, bool, tuple[str, ...]]:
    kind = err["type"]
    if kind == "missing":
        name = path[-1] if path else "?"
        parent = path[:-1]
        if name == "cite":
            return parent, "has no citation: every indicator, level and override must cite its source " \
                           "(cite: {section: ..., url: ...})", False, ()
        if name == "national":
            return parent, "does not include the national safety module: add 'national: england-safety' " \
                           "(national safety overrides cannot be left out)", False, ()
        return parent, f"missing required key '{name}'", False, ()
    if kind == "extra_forbidden":
        name = str(path[-1]) if path else "?"
        return path, f"unknown key '{name}'", True, suggest(name, _KEYS)
    if kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        words = _PATTERN_WORDS.get(pattern, f"text matching {pattern}")
        return path, f"'{_short(err.get('input'))}' is not {words}", False, ()
    if kind == "enum":
        expected = err.get("ctx", {}).get("expected", "")
        got = _short(err.get("input"))
        options = [o.strip(" '") for o in expected.replace(" or ", ",").split(",") if o.strip()]
        return path, f"'{got}' is not one of {expected}", False, suggest(got, options)
    if kind == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        got = _short(err.get("input"))
        hint = suggest(got, [o.strip(" '") for o in expected.replace(" or ", ",").split(",")])
        return path, f"'{got}' must be {expected}", False, hint
    where = f"'{path[-1]}': " if path and isinstance(path[-1], str) else ""
    got = err.get("input")
    if kind == "bool_type":
        extra = " (YAML 1.2 reads yes/no/on/off as text)" if isinstance(got, str) else ""
        return path, f"{where}'{_short(got)}' is not true or false: write true or false{extra}", False, ()
    if kind in ("int_type", "string_type") and isinstance(got, bool) and path and path[-1] in OPERATORS:
        return path, f"'{path[-1]}' cannot compare with true/false: yes/no facts are tested with " \
                     "'is: true' or 'is: false'", False, ()
    if kind == "int_type":
        return path, f"{where}'{_short(got)}' is not a whole number (integer)", False, ()
    if kind == "string_type":
        return path, f"{where}expected text, not {_kind_of(got)}", False, ()
    if kind == "list_type":
        return path, f"{where}expected a list ('- item' lines or [a, b]), not {_kind_of(got)}", False, ()
    if kind in ("model_type", "dict_type"):
        return path, f"{where}expected a mapping of 'key: value' lines, not {_kind_of(got)}", False, ()
    if kind == "condition":
        keys = sorted(str(k) for k in got) if isinstance(got, dict) else []
        found = f" (found {', '.join(repr(k) for k in keys)}" if keys else ""
        hints = suggest(keys[0], sorted(_TAGS)) if keys else ()
        return path, f"{where}a condition must have one of the keys: fact, all, any, not" \
            + (f"{found})" if found else f", not {_kind_of(got)}"), False, hints
    msg = str(err["msg"])
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    return path, where + msg[0].lower() + msg[1:], False, ()


def _kind_of(value: Any) -> str:
    """A YAML value's kind in the words an author uses."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if value is None:
        return "an empty value"
    return f"'{_short(value)}'"


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 50 else text[:47] + "..."


_KEYS = _known_keys(rs_models, vocab_models)


def _non_text_keys(node: Any, located: Located, path: PathKey = ()) -> list[Problem]:
    """Keys that are not text (``1:``, ``~:``, ``? [a, b]``): the models only have text keys."""
    out: list[Problem] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if not isinstance(k, str):
                out.append(located.problem((*path, k), f"key {_short(k)!r} is not text: keys are names "
                                                       "such as 'id' or 'level'", key=True))
            else:
                out.extend(_non_text_keys(v, located, (*path, k)))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out.extend(_non_text_keys(v, located, (*path, i)))
    return out


def validate_model(located: Located, model: type[M]) -> M:
    """Validate loaded data against a model; every error gets a file position.

    Validation is strict and goes through JSON: YAML 1.2 keeps ``no`` and ``"7"`` as text, and
    pydantic's lax mode would quietly turn them back into ``False`` and ``7`` (so
    ``complete: no`` would pass as a boolean). JSON-mode strictness still reads enum values
    from their text.
    """
    bad_keys = _non_text_keys(located.data, located)
    if bad_keys:
        raise SchemaError(bad_keys)
    try:
        return model.model_validate_json(json.dumps(located.data), strict=True)
    except ValidationError as e:
        # Alternatives for one value (a union) are joined with "or"; separate problems at the
        # same place (several missing keys) stay separate.
        seen: dict[tuple[PathKey, bool, str], list[str]] = {}
        hints: dict[tuple[PathKey, bool, str], dict[str, None]] = {}
        for err in e.errors():
            path = _resolve(located.data, tuple(err["loc"]))
            where, msg, is_key, close = _message(err, located, path)
            group = msg if err["type"] == "missing" else ""
            msgs = seen.setdefault((where, is_key, group), [])
            hints.setdefault((where, is_key, group), {}).update(dict.fromkeys(close))
            if msg not in msgs:
                msgs.append(msg)
        problems = [
            located.problem(where, "; or ".join(msgs) if len(msgs) > 1 else msgs[0], key=is_key,
                            suggestions=tuple(hints[(where, is_key, g)]))
            for (where, is_key, g), msgs in seen.items()
        ]
        raise SchemaError(problems) from None


# --- semantic checks ---------------------------------------------------------------------

def check_condition(
    cond: Condition, vocab: Vocabulary, located: Located, path: PathKey
) -> list[Problem]:
    """Every fact exists and every operand suits the fact's type and values."""
    problems: list[Problem] = []
    for test, tpath in _tests_with_paths(cond, path):
        problems.extend(_check_test(test, vocab, located, tpath))
    return problems


def _tests_with_paths(cond: Condition, path: PathKey) -> Iterable[tuple[FactTest, PathKey]]:
    from engine.model.condition import AllOf, AnyOf

    if isinstance(cond, FactTest):
        yield cond, path
    elif isinstance(cond, AllOf):
        for i, c in enumerate(cond.all):
            yield from _tests_with_paths(c, (*path, "all", i))
    elif isinstance(cond, AnyOf):
        for i, c in enumerate(cond.any):
            yield from _tests_with_paths(c, (*path, "any", i))
    else:
        yield from _tests_with_paths(cond.not_, (*path, "not"))


def _check_test(test: FactTest, vocab: Vocabulary, located: Located, path: PathKey) -> list[Problem]:
    fact = vocab.by_id.get(test.fact)
    if fact is None:
        return [located.problem((*path, "fact"), f"unknown fact '{test.fact}'",
                                suggestions=suggest(test.fact, vocab.by_id))]
    op, operand = test.operator, test.operand
    at = (*path, op)
    if isinstance(fact, BooleanFact):
        if op != "is" or not isinstance(operand, bool):
            text = f" ('{operand}' is text in YAML 1.2, not true/false)" if isinstance(operand, str) else ""
            return [located.problem(at, f"'{fact.id}' is a yes/no fact: test it with 'is: true' or "
                                        f"'is: false'{text}")]
        return []
    if isinstance(fact, CategoryFact):
        if op in ("below", "above"):
            return [located.problem(at, f"'{fact.id}' is a category fact: use is, in, at_least or at_most "
                                        f"with one of {', '.join(fact.value_ids)}")]
        values = operand if isinstance(operand, list) else [operand]
        out = []
        for v in values:
            if not isinstance(v, str) or v not in fact.value_ids:
                out.append(located.problem(at, f"'{v}' is not a value of '{fact.id}' (values: "
                                               f"{', '.join(fact.value_ids)})",
                                           suggestions=suggest(str(v), fact.value_ids)))
        return out
    assert isinstance(fact, IntegerFact)
    values = operand if isinstance(operand, list) else [operand]
    out = []
    for v in values:
        if isinstance(v, bool) or not isinstance(v, int):
            out.append(located.problem(at, f"'{fact.id}' is a number of {fact.unit}: '{v}' is not a whole number"))
        elif not fact.minimum <= v <= fact.maximum + 1:
            out.append(located.problem(
                at, f"{v} is outside '{fact.id}' range {fact.minimum}..{fact.maximum} {fact.unit}"))
    return out


def _check_date(value: str | None, located: Located, path: PathKey) -> list[Problem]:
    if value is None or len(value) != 10:
        return []
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return [located.problem(path, f"'{value}' is not a real calendar date")]
    return []


def _duplicates(ids: list[tuple[str, PathKey]], what: str, located: Located) -> list[Problem]:
    seen: dict[str, PathKey] = {}
    out = []
    for ident, path in ids:
        if ident in seen:
            line, _ = located.position(seen[ident])
            out.append(located.problem(path, f"duplicate {what} id '{ident}' (first used on line {line})"))
        else:
            seen[ident] = path
    return out


def check_ruleset(model: Ruleset, located: Located, vocab: Vocabulary, national: NationalModule) -> None:
    """Semantic checks of a ruleset against the vocabulary and the national module."""
    problems: list[Problem] = []
    info = model.ruleset
    problems += _check_date(info.effective_from, located, ("ruleset", "effective_from"))
    problems += _check_date(info.effective_to, located, ("ruleset", "effective_to"))
    if info.effective_from and info.effective_to and info.effective_to < info.effective_from:
        problems.append(located.problem(("ruleset", "effective_to"), "effective_to is before effective_from"))
    rep = info.document.replaced_by
    if rep is not None and rep.url in (info.document.url, *info.document.mirrors):
        problems.append(located.problem(("ruleset", "document", "replaced_by", "url"),
                                        "replaced_by.url is this document's own address: give the address of the "
                                        "newer document that replaces it"))

    level_ids = [lv.id for lv in model.levels]
    problems += _duplicates([(lv.id, ("levels", i, "id")) for i, lv in enumerate(model.levels)], "level", located)
    for i in range(1, len(model.levels)):
        prev, cur = model.levels[i - 1], model.levels[i]
        if cur.outcome.rank < prev.outcome.rank:
            problems.append(located.problem(
                ("levels", i, "outcome"),
                f"level '{cur.id}' ({cur.outcome.value}) is listed after '{prev.id}' ({prev.outcome.value}) "
                "but its canonical outcome is lower: list levels in ascending order of outcome"))

    problems += _check_routes(model, located)

    def level_ref(name: str, path: PathKey) -> None:
        if name not in level_ids:
            same_case = [lv for lv in level_ids if lv.lower() == name.lower()]  # 'l3' for 'L3'
            hint = (same_case[0],) if same_case else suggest(name, level_ids)
            problems.append(located.problem(path, f"unknown level '{name}'"
                                                  f" (levels: {', '.join(dict.fromkeys(level_ids))})",
                                            suggestions=hint))

    for lv_id, i in ((lv, i) for i, lv in enumerate(model.ruleset.coverage.levels)):
        level_ref(lv_id, ("ruleset", "coverage", "levels", i))

    national_ids = {o.id for o in national.overrides}
    # National ids come first so a clash reads "first used on the 'national:' line".
    rule_ids: list[tuple[str, PathKey]] = [(nat_id, ("national",)) for nat_id in sorted(national_ids)]
    for i, ind in enumerate(model.indicators):
        rule_ids.append((ind.id, ("indicators", i, "id")))
        level_ref(ind.level, ("indicators", i, "level"))
        problems += check_condition(ind.when, vocab, located, ("indicators", i, "when"))
    for i, comb in enumerate(model.combinations):
        rule_ids.append((comb.id, ("combinations", i, "id")))
        level_ref(comb.of_level, ("combinations", i, "of_level"))
        level_ref(comb.gives, ("combinations", i, "gives"))
        if comb.of_level in level_ids and comb.gives in level_ids and \
                level_ids.index(comb.gives) <= level_ids.index(comb.of_level):
            problems.append(located.problem(("combinations", i, "gives"),
                                            f"a combination must give a level above '{comb.of_level}'"))
    for i, ov in enumerate(model.overrides):
        if ov.id not in national_ids:  # a redefinition is reported below, not as a duplicate too
            rule_ids.append((ov.id, ("overrides", i, "id")))
        if ov.id in national_ids:
            problems.append(located.problem(
                ("overrides", i, "id"),
                f"override '{ov.id}' redefines a national safety override: national overrides cannot be "
                "removed, replaced or weakened (give a local override its own id)"))
        problems += check_condition(ov.when, vocab, located, ("overrides", i, "when"))
        for nat in national.overrides:
            if _same_condition(nat.when, ov.when) and ov.minimum.rank < nat.minimum.rank:
                problems.append(located.problem(
                    ("overrides", i, "minimum"),
                    f"override '{ov.id}' has the same trigger as national override '{nat.id}' with a lower "
                    f"minimum ({ov.minimum.value} < {nat.minimum.value}): national overrides cannot be weakened"))
    problems += _duplicates(rule_ids, "rule", located)
    if problems:
        raise SemanticError(problems)


def _check_routes(model: Ruleset, located: Located) -> list[Problem]:
    """Families First routes: declared on every level or none, each fitting its level's outcome, ascending."""
    declared = [i for i, lv in enumerate(model.levels) if lv.route is not None]
    if not declared:
        return []
    problems: list[Problem] = []
    first = model.levels[declared[0]]
    before: tuple[str, Route] | None = None  # the previous level with a fitting route
    for i, lv in enumerate(model.levels):
        if lv.route is None:
            problems.append(located.problem(
                ("levels", i), f"level '{lv.id}' declares no route, but level '{first.id}' does: a refreshed "
                "(Families First) document declares the route of every level, a legacy one of none"))
            continue
        route = lv.route.id
        allowed = allowed_routes(lv.outcome, lv.also_covers)
        if route not in allowed:
            names = ", ".join(r.value for r in sorted(allowed, key=lambda r: r.rank))
            problems.append(located.problem(
                ("levels", i, "route", "id"),
                f"route '{route.value}' does not fit level '{lv.id}' ({lv.outcome.value}"
                + (f", also covering {lv.also_covers.value}" if lv.also_covers else "")
                + f"): under Families First it can only be {names}"))
            continue
        if before is not None and route.rank < before[1].rank:
            problems.append(located.problem(
                ("levels", i, "route", "id"),
                f"level '{lv.id}' (route {route.value}) is listed after '{before[0]}' (route {before[1].value}) "
                "but its route is lower: list levels in ascending order of route"))
        before = (lv.id, route)
    return problems


def _same_condition(a: Condition, b: Condition) -> bool:
    from engine.model.condition import condition_key

    return condition_key(a) == condition_key(b)


def check_national(model: NationalModule, located: Located, vocab: Vocabulary) -> None:
    problems: list[Problem] = []
    problems += _duplicates([(o.id, ("overrides", i, "id")) for i, o in enumerate(model.overrides)],
                            "override", located)
    for i, ov in enumerate(model.overrides):
        problems += check_condition(ov.when, vocab, located, ("overrides", i, "when"))
    known = {o.id for o in model.overrides} | {f"outcome-{oa.outcome.value}" for oa in model.outcome_actions}
    for i, cr in enumerate(model.criteria):
        for k, rid in enumerate(cr.rules):
            if rid not in known:
                problems.append(located.problem(("criteria", i, "rules", k), f"criterion '{cr.id}' names "
                                                f"unknown rule '{rid}'", suggestions=suggest(rid, known)))
    if problems:
        raise SemanticError(problems)


F = TypeVar("F", bound=Callable[..., Any])


def located_errors_only(load: F) -> F:
    """Let nothing but a :class:`RulesetError` out of a file loader.

    Whatever a library or a check raises on a file (a parser bug, a recursion limit) becomes a
    problem located at that file: validation, start-up and reload report it like any other
    error and keep the last good rulesets, instead of dying on a traceback.
    """

    @functools.wraps(load)
    def guarded(path: Path | str, *args: Any) -> Any:
        try:
            return load(path, *args)
        except RulesetError:
            raise
        except Exception as e:  # noqa: BLE001 - any failure on a file is that file's error
            raise RulesetError([Problem(str(path), 1, 1, f"this file could not be checked ({type(e).__name__}); "
                                        "check its YAML against the documented format")]) from None

    return cast(F, guarded)


@located_errors_only
def load_vocabulary(path: Path | str) -> Vocabulary:
    located = load_file(path)
    return validate_model(located, Vocabulary)


@located_errors_only
def load_national(path: Path | str, vocab: Vocabulary) -> NationalModule:
    located = load_file(path)
    model = validate_model(located, NationalModule)
    check_national(model, located, vocab)
    return model


@located_errors_only
def load_ruleset_model(path: Path | str, vocab: Vocabulary, national: NationalModule) -> Ruleset:
    """Parse, validate and check one ruleset file (raises :class:`RulesetError`)."""
    located = load_file(path)
    model = validate_model(located, Ruleset)
    check_ruleset(model, located, vocab, national)
    return model


__all__ = [
    "check_condition",
    "check_ruleset",
    "load_national",
    "load_ruleset_model",
    "load_vocabulary",
    "validate_model",
    "Located",
    "Condition",
    "fact_tests",
]
