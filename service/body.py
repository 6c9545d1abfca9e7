"""Reading a JSON request body safely: media type, size and nesting checked before parsing.

Python's JSON parser recurses, so a body nested ~1,000 levels deep raises ``RecursionError``
(an HTTP 500 in Flask); the nesting is therefore measured by a linear scan first. Size is
capped by Flask's ``MAX_CONTENT_LENGTH`` (413), and a body sent with
``Transfer-Encoding: chunked`` (no length up front) is read here up to one byte past the cap:
werkzeug's capped stream stops at the cap without saying so, and a referral cut short could be
evaluated on part of what was sent, so anything longer is 413 and nothing is evaluated.
Duplicate keys are rejected because a referral that says a fact twice is ambiguous, and
NaN/Infinity are not JSON. A number written ``7.0`` is the integer 7, as JSON Schema counts
it. An escaped UTF-16 surrogate with no partner (``"\\ud800"``) is legal JSON syntax but no
Unicode text: it is refused with its JSON Pointer (400) before anything tries to encode it (it
used to end in a 500). The parsed document is then validated by a pydantic model; every field
error is located by a JSON Pointer.
"""

from __future__ import annotations

import json
from typing import Any, TypeVar

from flask import current_app, request
from pydantic import BaseModel, ValidationError

from engine.errors import FieldProblem
from service.problems import ApiProblem

M = TypeVar("M", bound=BaseModel)


def nesting_depth(raw: bytes, limit: int) -> int:
    """Maximum bracket depth outside strings; stops counting once past ``limit``."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise ValueError(f"the key '{k[:40]}' appears twice in one object")
        out[k] = v
    return out


def _constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _number(text: str) -> int | float:
    value = float(text)
    return int(value) if value.is_integer() else value


def pointer(loc: tuple[int | str, ...]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in loc)


def _has_surrogate(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


def lone_surrogate(doc: Any) -> str | None:
    """The JSON Pointer of the first key or string holding an unpaired surrogate, or None."""
    stack: list[tuple[Any, tuple[int | str, ...]]] = [(doc, ())]
    while stack:
        node, loc = stack.pop()
        if isinstance(node, str):
            if _has_surrogate(node):
                return pointer(loc)
        elif isinstance(node, dict):
            for k, v in node.items():
                if _has_surrogate(k):
                    return pointer((*loc, _printable(k)))
                stack.append((v, (*loc, k)))
        elif isinstance(node, list):
            stack.extend((v, (*loc, i)) for i, v in enumerate(node))
    return None


def read_body() -> bytes:
    """The whole request body, or 413 if it is longer than the cap (whatever its framing)."""
    environ = request.environ
    if request.content_length is not None or "wsgi.input_terminated" not in environ:
        return request.get_data(cache=True)  # 413 past MAX_CONTENT_LENGTH, before reading
    cap = int(current_app.config["MAX_CONTENT_LENGTH"])
    stream = environ["wsgi.input"]  # terminated by the server (chunked): read it ourselves
    chunks: list[bytes] = []
    total = 0
    while True:
        chunk = stream.read(min(65536, cap + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
        if total > cap:
            raise ApiProblem(413, "Request body too large",
                             f"the body is longer than {cap} bytes; nothing was evaluated",
                             kind="body-too-large")
    return b"".join(chunks)


def json_document() -> Any:
    """The request body as parsed JSON, or a 413/415/400 problem."""
    mimetype = request.mimetype
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise ApiProblem(415, "Unsupported media type",
                         f"send the body as application/json, not '{mimetype or 'no Content-Type'}'",
                         headers={"Accept-Post": "application/json"})
    raw = read_body()
    limit = int(current_app.config["THRESHOLDS_MAX_JSON_DEPTH"])
    if nesting_depth(raw, limit) > limit:
        raise ApiProblem(413, "JSON nested too deeply", f"the body nests more than {limit} levels",
                         kind="json-too-deep")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ApiProblem(400, "Malformed JSON", f"the body is not UTF-8 (byte {e.start})") from None
    try:
        doc = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_constant, parse_float=_number)
    except json.JSONDecodeError as e:
        raise ApiProblem(400, "Malformed JSON", f"line {e.lineno}, column {e.colno}: {e.msg}") from None
    except (ValueError, RecursionError) as e:
        detail = _printable(str(e)) if isinstance(e, ValueError) else "nested too deeply"
        raise ApiProblem(400, "Malformed JSON", detail) from None
    where = lone_surrogate(doc)
    if where is not None:
        raise ApiProblem(400, "Malformed JSON", f"{where or '/'}: text holds an unpaired UTF-16 surrogate "
                         "(an escape such as \\ud800 with no partner), which is not a Unicode character")
    return doc


def _printable(text: str) -> str:
    """Text safe to encode as UTF-8 (a duplicate key may itself hold a surrogate)."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def json_body(model: type[M]) -> M:
    """The request body validated by ``model``; 422 with one JSON Pointer per invalid field."""
    doc = json_document()
    try:
        return model.model_validate(doc)
    except ValidationError as e:
        problems = [FieldProblem(pointer(tuple(err["loc"])), _message(err)) for err in e.errors()]
        raise ApiProblem(422, "Invalid request", "The request body does not match its schema.",
                         errors=problems) from None


def _message(err: Any) -> str:
    if err["type"] == "extra_forbidden":
        return f"unknown field '{str(err['loc'][-1])[:40]}'"
    msg: str = err["msg"]
    return msg
