"""The training classroom: a trainer starts a session from an exercise, trainees join with its code.

Trainee mode in a browser, for a room of people: the questions, marking and feedback are trainee
mode's own (service.training.trainee: the same question model as ``thresholds exercise``), built
from the exercise's text on the service's live evaluator (compiled at start-up, so no durable host
is built in a request thread). A trainer (the ``trainer`` role, or admin) uploads a feature file or
picks a bundled one and gets a short code; trainees open /join, type the code and a name (no API
key: the exercises are fictional referrals, and a session expires within hours), answer one
question at a time (blank is skipped) and see short feedback. The trainer's page shows results per
question and per trainee and downloads them as CSV or JSON.

Questions are cached per worker process (keyed by session and evaluator, so a ruleset reload
rebuilds them); a trainee's place is their answers in the database, so any worker can serve them.
"""

from __future__ import annotations

import csv
import io
import json
import threading
from collections import OrderedDict
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flask import Response, abort, redirect, render_template, request, session, url_for
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response as BaseResponse

from engine.errors import ThresholdsError
from service.context import services
from service.store.classroom import (
    MAX_EXERCISE_BYTES,
    MAX_QUESTIONS,
    Classroom,
    ClassroomError,
    Classrooms,
    Results,
    Trainee,
    tally,
)
from service.web import bp
from service.web.form import FormError
from service.web.signin import page_requires, signed_in

if TYPE_CHECKING:
    from service.training.trainee import Question

FEATURES = Path(__file__).resolve().parents[2] / "features"
"""Bundled exercises: the checkout's features/ folder (an installed wheel has none: upload instead)."""
_CACHE: OrderedDict[tuple[str, int], list[Question]] = OrderedDict()
_CACHE_SIZE = 16
_LOCK = threading.Lock()
_TRAINEE = "classroom_trainee"


def session_store() -> Classrooms:
    return Classrooms(services().keys.engine)


def _bundled() -> list[str]:
    return sorted(p.name for p in FEATURES.glob("*.feature")) if FEATURES.is_dir() else []


def _build(name: str, text: str, limit: int | None) -> list[Question]:
    """Trainee mode's questions for a feature file's text, on the live evaluator."""
    from service.training.state import Runtime
    from service.training.trainee import exercise_from_text

    with services().live.using() as evaluator:
        return exercise_from_text(name, text, Runtime.serving(evaluator), limit).questions


def _questions(room: Classroom) -> list[Question]:
    key = (room.id, id(services().live.evaluator))
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
            return found
    built = _build(room.exercise_name, room.exercise, room.questions)
    with _LOCK:
        _CACHE[key] = built
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return built


def _guard_db() -> None:
    abort(503, description="Training sessions cannot be reached just now. Try again in a minute.")


# --- the trainer ------------------------------------------------------------------------------
@bp.get("/training", endpoint="classroom_index")
@page_requires("trainer")
def index() -> Any:
    return start_page([])


def start_page(errors: list[FormError], status: int = 200) -> Any:
    caller = signed_in()
    assert caller is not None
    try:
        rooms = session_store().of_trainer(caller.name)
    except SQLAlchemyError:
        _guard_db()
    return render_template("web/classroom_index.html", rooms=rooms, bundled=_bundled(), errors=errors,
                           max_questions=MAX_QUESTIONS, posted=request.form, section=None), status


@bp.post("/training", endpoint="classroom_start")
@page_requires("trainer")
def start() -> Any:
    caller = signed_in()
    assert caller is not None
    upload = request.files.get("exercise_file")
    chosen = request.form.get("bundled", "")
    title = " ".join(request.form.get("title", "").split())[:200]
    limit_text = request.form.get("limit", "").strip()
    errors: list[FormError] = []
    limit = MAX_QUESTIONS
    if limit_text:
        if not limit_text.isdigit() or not 1 <= int(limit_text) <= MAX_QUESTIONS:
            errors.append(FormError("limit", f"Enter a number of questions from 1 to {MAX_QUESTIONS}"))
        else:
            limit = int(limit_text)
    name, text = "", ""
    if upload is not None and upload.filename:
        raw = upload.read(MAX_EXERCISE_BYTES + 1)
        if len(raw) > MAX_EXERCISE_BYTES:
            errors.append(FormError("exercise_file", f"The file is larger than {MAX_EXERCISE_BYTES} bytes"))
        else:
            try:
                name, text = upload.filename, raw.decode("utf-8")
            except UnicodeDecodeError as e:
                errors.append(FormError("exercise_file", f"The file is not UTF-8 text (byte {e.start + 1})"))
    elif chosen:
        if chosen not in _bundled():
            errors.append(FormError("bundled", "Choose one of the listed exercises"))
        else:
            name, text = chosen, (FEATURES / chosen).read_text(encoding="utf-8")
    else:
        errors.append(FormError("exercise_file", "Upload a .feature file or choose a bundled exercise"))
    if errors:
        return start_page(errors, 400)
    try:
        questions = _build(name, text, limit)
    except ThresholdsError as e:
        return start_page([FormError("exercise_file", f"The exercise cannot be used: {e}")], 400)
    if not questions:
        return start_page([FormError("exercise_file", "The exercise has no question a trainee can answer "
                                                       "(every scenario was refused, or it has none)")], 400)
    try:
        room = session_store().start(caller.name, title or Path(name).stem.replace("_", " "), name, text,
                              len(questions))
    except ClassroomError as e:
        return start_page([FormError("exercise_file", str(e))], 400)
    except SQLAlchemyError:
        _guard_db()
    return redirect(url_for("web.classroom_results", room_id=room.id), code=303)


def own_session(room_id: str) -> Classroom:
    caller = signed_in()
    assert caller is not None
    try:
        room = session_store().get(room_id)
    except SQLAlchemyError:
        _guard_db()
    if room is None or (room.trainer != caller.name and caller.role != "admin"):
        abort(404, description="No such training session (sessions expire a few hours after they start).")
    return room


def _results(room: Classroom) -> Results:
    store = session_store()
    try:
        return tally(room, [(q.number, q.case.name, q.kind, q.expected()) for q in _questions(room)],
                     store.trainees(room), store.answers(room))
    except SQLAlchemyError:
        _guard_db()
        raise


@bp.get("/training/<room_id>", endpoint="classroom_results")
@page_requires("trainer")
def results(room_id: str) -> Any:
    room = own_session(room_id)
    if room.kind == "coding":
        return redirect(url_for("web.coding_report", room_id=room.id), code=303)
    return render_template("web/classroom_results.html", room=room, results=_results(room),
                           join_url=url_for("web.classroom_join", _external=True), section=None)


@bp.get("/training/<room_id>/results.<fmt>", endpoint="classroom_download")
@page_requires("trainer")
def download(room_id: str, fmt: str) -> Any:
    from service.training.trainee import SCORE_COLUMNS

    room = own_session(room_id)
    if room.kind != "quiz":
        abort(404, description="A coding session's results are its agreement report.")
    res = _results(room)
    if fmt == "json":
        body = json.dumps(res.to_json(), indent=2) + "\n"
        mimetype = "application/json"
    elif fmt == "csv":
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(SCORE_COLUMNS))
        writer.writeheader()
        writer.writerows(res.rows)
        body, mimetype = buf.getvalue(), "text/csv"
    else:
        abort(404, description="Results download as results.csv or results.json.")
    return Response(body, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="training-{room.code}.{fmt}"'})


# --- the trainees -----------------------------------------------------------------------------
def current_trainee() -> tuple[Classroom, Trainee] | None:
    tid = session.get(_TRAINEE)
    if not isinstance(tid, str):
        return None
    store = session_store()
    try:
        trainee = store.trainee(tid)
        room = store.get(trainee.classroom_id) if trainee is not None else None
    except SQLAlchemyError:
        _guard_db()
    if trainee is None or room is None:
        session.pop(_TRAINEE, None)
        return None
    return room, trainee


def trainee_in(kind: str) -> tuple[Classroom, Trainee] | BaseResponse:
    """The signed-in trainee of a ``kind`` session, or the redirect to where they belong."""
    me = current_trainee()
    if me is None:
        return redirect(url_for("web.classroom_join"), code=303)
    if me[0].kind != kind:
        return redirect(url_for("web.coding_vignette" if me[0].kind == "coding" else "web.classroom_question"),
                        code=303)
    return me


@bp.route("/join", methods=["GET", "POST"], endpoint="classroom_join")
def join() -> Any:
    errors: list[FormError] = []
    if request.method == "POST":
        code = request.form.get("code", "")
        name = request.form.get("name", "")
        store = session_store()
        try:
            room = store.by_code(code[:40])
        except SQLAlchemyError:
            _guard_db()
        if not code.strip():
            errors.append(FormError("code", "Enter the session code your trainer gave you"))
        elif room is None:
            errors.append(FormError("code", "No session has that code: check it with your trainer (codes expire "
                                            "a few hours after the session starts)"))
        if not name.strip():
            errors.append(FormError("name", "Enter your name as the trainer should see it"))
        if not errors and room is not None:
            try:
                trainee = store.join(room, name)
            except ClassroomError as e:
                errors.append(FormError("name", str(e)))
            except SQLAlchemyError:
                _guard_db()
            else:
                session[_TRAINEE] = trainee.id
                return redirect(url_for("web.classroom_question"), code=303)
    return render_template("web/classroom_join.html", errors=errors, posted=request.form, section=None), \
        400 if errors else 200


def _next(room: Classroom, trainee: Trainee, questions: list[Question]) -> Question | None:
    done = session_store().answered(trainee)
    return next((q for q in questions if q.number not in done), None)


@bp.get("/join/question", endpoint="classroom_question")
def question() -> Any:
    me = trainee_in("quiz")
    if not isinstance(me, tuple):
        return me
    room, trainee = me
    questions = _questions(room)
    q = _next(room, trainee, questions)
    if q is None:
        return _finished(room, trainee, questions)
    return _question_page(room, q, len(questions), [])


def _question_page(room: Classroom, q: Question, total: int, errors: list[FormError], status: int = 200) -> Any:
    from service.training.trainee import present

    lines = present(q, total).splitlines()
    return render_template("web/classroom_question.html", room=room, q=q, heading=lines[0], lines=lines[1:],
                           errors=errors, section=None), status


@bp.post("/join/question", endpoint="classroom_answer")
def answer() -> Any:
    from service.training.registry import StepError
    from service.training.trainee import answer_question, feedback, score_row
    from service.training.wording import resolve_level

    me = trainee_in("quiz")
    if not isinstance(me, tuple):
        return me
    room, trainee = me
    questions = _questions(room)
    number = request.form.get("number", "")
    q = next((x for x in questions if str(x.number) == number), None)
    if q is None:
        abort(400, description="That question is not part of this session.")
    text = request.form.get("answer", "")[:500].strip()
    if text and q.kind == "level":
        try:
            resolve_level(q.loaded, text)  # as at the terminal: not a level is asked again, not marked
        except StepError as e:
            return _question_page(room, q, len(questions), [FormError("answer", str(e))], 400)
    marked = answer_question(q, text or None)
    row = score_row(marked, trainee.name)
    try:
        first = session_store().record(trainee, q.number, str(row["result"]), row)
    except SQLAlchemyError:
        _guard_db()
    with services().live.using() as evaluator:
        lines = feedback(q, evaluator, marked.answer, marked.correct, marked.note).splitlines()
    more = _next(room, trainee, questions) is not None
    return render_template("web/classroom_feedback.html", room=room, q=q, total=len(questions), lines=lines,
                           correct=marked.correct, skipped=marked.answer is None, first=first, more=more,
                           section=None)


def _finished(room: Classroom, trainee: Trainee, questions: list[Question]) -> Any:
    mine = next(t for t in _results(room).trainees if t.name == trainee.name)
    return render_template("web/classroom_done.html", room=room, mine=mine, section=None)
