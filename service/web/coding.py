"""Fact-coding consistency in the classroom: trainees code vignettes into facts, the trainer sees agreement.

A trainer uploads vignettes (the YAML or Gherkin that ``thresholds agreement`` reads) and gets a
code, as for a quiz (service.web.classroom: same sessions, join page and expiry). Each trainee
reads one vignette at a time and codes it on the referral form's own fields (service.web.form:
every fact starts "not known", which is never "no") *before seeing any suggestion*: these pages
never show one. The trainer's page is ``thresholds agreement``'s report
(service.training.agreement.measure, the same computation, on the service's live evaluator), with
the weakest facts beside their definitions, and a JSON download of the full report value.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Response, abort, redirect, render_template, request, url_for
from sqlalchemy.exc import SQLAlchemyError

from engine.errors import ThresholdsError
from service.context import services
from service.store.classroom import MAX_EXERCISE_BYTES, Classroom, ClassroomError
from service.web import bp
from service.web.classroom import own_session, session_store, trainee_in
from service.web.form import FormError, Posted, parse, sections
from service.web.signin import page_requires, signed_in

if TYPE_CHECKING:
    from engine.load.definitions import Entry
    from service.training.agreement import Vignette


def _vignettes(name: str, text: str) -> list[Vignette]:
    from service.training.agreement import vignettes_from_text
    from service.training.state import Runtime

    with services().live.using() as evaluator:
        return vignettes_from_text(name, text, Runtime.serving(evaluator))


def _index_error(message: str) -> Any:
    from service.web.classroom import start_page

    return start_page([FormError("vignettes_file", message)], 400)


@bp.post("/training/coding", endpoint="coding_start")
@page_requires("trainer")
def start() -> Any:
    caller = signed_in()
    assert caller is not None
    upload = request.files.get("vignettes_file")
    if upload is None or not upload.filename:
        return _index_error("Upload a vignettes file (.yaml or .feature)")
    raw = upload.read(MAX_EXERCISE_BYTES + 1)
    if len(raw) > MAX_EXERCISE_BYTES:
        return _index_error(f"The file is larger than {MAX_EXERCISE_BYTES} bytes")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        return _index_error(f"The file is not UTF-8 text (byte {e.start + 1})")
    try:
        vignettes = _vignettes(upload.filename, text)
    except ThresholdsError as e:
        return _index_error(f"The vignettes cannot be used: {e}")
    title = " ".join(request.form.get("coding_title", "").split())[:200]
    try:
        room = session_store().start(caller.name, title or Path(upload.filename).stem.replace("_", " "),
                                     upload.filename, text, len(vignettes), kind="coding")
    except ClassroomError as e:
        return _index_error(str(e))
    except SQLAlchemyError:
        abort(503, description="Training sessions cannot be reached just now. Try again in a minute.")
    return redirect(url_for("web.coding_report", room_id=room.id), code=303)


def _form(room: Classroom, v: Vignette) -> list[Any]:
    cat = services().live.catalogue
    return sections(cat.vocabulary, v.facts or None)


def _next(room: Classroom, done: dict[int, str]) -> tuple[int, Vignette] | None:
    vignettes = _vignettes(room.exercise_name, room.exercise)
    return next(((i, v) for i, v in enumerate(vignettes, 1) if i not in done), None)


@bp.get("/join/coding", endpoint="coding_vignette")
def vignette() -> Any:
    me = trainee_in("coding")
    if not isinstance(me, tuple):
        return me
    room, trainee = me
    done = session_store().answered(trainee)
    found = _next(room, done)
    if found is None:
        return render_template("web/coding_done.html", room=room, trainee=trainee, section=None)
    number, v = found
    return render_template("web/coding_vignette.html", room=room, number=number, total=room.questions, v=v,
                           sections=_form(room, v), posted=None, errors=[], definitions=_definitions(), section=None)


@bp.post("/join/coding", endpoint="coding_answer")
def code_vignette() -> Any:
    me = trainee_in("coding")
    if not isinstance(me, tuple):
        return me
    room, trainee = me
    store = session_store()
    found = _next(room, store.answered(trainee))
    if found is None or request.form.get("number") != str(found[0]):
        return redirect(url_for("web.coding_vignette"), code=303)  # already coded (a resent form): go on
    number, v = found
    secs = _form(room, v)
    posted: Posted = parse(services().live.catalogue.vocabulary, secs, request.form)
    if posted.errors:
        return render_template("web/coding_vignette.html", room=room, number=number, total=room.questions, v=v,
                               sections=secs, posted=posted, errors=posted.errors, definitions=_definitions(),
                               section=None), 400
    try:
        store.record(trainee, number, "coded", {"vignette": v.id, "facts": posted.facts})
    except SQLAlchemyError:
        abort(503, description="Training sessions cannot be reached just now. Try again in a minute.")
    return redirect(url_for("web.coding_vignette"), code=303)


def _report(room: Classroom) -> Any:
    """``thresholds agreement``'s report for the session's codings (ThresholdsError if it cannot be made)."""
    from service.training.agreement import Coding, measure
    from service.training.state import Runtime

    try:
        codings = session_store().codings(room)
    except SQLAlchemyError:
        abort(503, description="Training sessions cannot be reached just now. Try again in a minute.")
    vignettes = _vignettes(room.exercise_name, room.exercise)
    coded = [Coding(trainee=name, codings=c) for name, c in codings.items() if c]
    with services().live.using() as evaluator:
        return measure(vignettes, coded, Runtime.serving(evaluator))


def _definitions() -> dict[str, Entry]:
    """The definitions manual beside the live vocabulary (fact id -> entry); {} when there is none."""
    from engine.load.definitions import DEFINITIONS_FILE

    path = Path(services().live.catalogue.root) / DEFINITIONS_FILE
    if not path.is_file():
        return {}
    return _manual(str(path), path.stat().st_mtime_ns)


@functools.lru_cache(maxsize=2)
def _manual(path: str, _mtime: int) -> dict[str, Entry]:
    from engine.load.definitions import load_manual

    return dict(load_manual(path).facts)


@bp.get("/training/<room_id>/agreement", endpoint="coding_report")
@page_requires("trainer")
def report(room_id: str) -> Any:
    room = own_session(room_id)
    if room.kind != "coding":
        return redirect(url_for("web.classroom_results", room_id=room.id), code=303)
    try:
        found, problem = _report(room), None
    except ThresholdsError as e:
        found, problem = None, str(e)
    return render_template("web/coding_report.html", room=room, report=found, problem=problem,
                           definitions=_definitions() if found is not None else {},
                           join_url=url_for("web.classroom_join", _external=True), section=None)


@bp.get("/training/<room_id>/agreement.json", endpoint="coding_download")
@page_requires("trainer")
def download(room_id: str) -> Any:
    from service.training.agreement import to_json

    room = own_session(room_id)
    if room.kind != "coding":
        abort(404, description="Only a coding session has an agreement report.")
    try:
        body = to_json(_report(room))
    except ThresholdsError as e:
        abort(409, description=str(e))
    return Response(body, mimetype="application/json", headers={
        "Content-Disposition": f'attachment; filename="agreement-{room.code}.json"'})
