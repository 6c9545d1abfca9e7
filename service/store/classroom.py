"""Training classroom sessions: a trainer's exercise, trainees joined by a short code, marked answers.

A trainer starts a session from one feature file (its text is stored, so every worker process can
rebuild the same questions); trainees join with the session's code and a display name, with no
account: exercises are fictional referrals, and the code lives only as long as the session. Each
session is bounded (questions, trainees, exercise size) and expires after ``ttl``; expired sessions
are deleted with their trainees and answers whenever a new one starts. An answer is stored once
per trainee and question (the first one counts), as the same row the CLI's scores file has.

Deletes are explicit (answers, then trainees, then sessions): SQLite does not enforce ``ON DELETE
CASCADE`` unless foreign keys are switched on per connection.
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError

from engine.errors import ThresholdsError
from service.store.database import classroom_answers, classroom_trainees, classrooms

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: read aloud or from a projector
CODE_LENGTH = 6
MAX_TRAINEES = 60
MAX_QUESTIONS = 60
MAX_EXERCISE_BYTES = 200_000
TTL = dt.timedelta(hours=4)


class ClassroomError(ThresholdsError):
    """A classroom request that cannot be met (full, expired, bad name): the message says why."""


Kind = Literal["quiz", "coding"]


@dataclass(frozen=True)
class Classroom:
    id: str
    code: str
    kind: Kind  # quiz: trainee mode's questions; coding: vignettes coded into facts, for agreement
    trainer: str
    title: str
    exercise_name: str
    exercise: str
    questions: int
    created_at: dt.datetime
    expires_at: dt.datetime


@dataclass(frozen=True)
class Trainee:
    id: str
    classroom_id: str
    name: str


@dataclass(frozen=True)
class Answer:
    trainee_id: str
    trainee: str
    number: int
    result: str  # correct | wrong | skipped
    row: dict[str, Any]  # the score row (service.training.trainee.score_row)


def _utc(at: dt.datetime) -> dt.datetime:
    return at if at.tzinfo else at.replace(tzinfo=dt.UTC)


def normalise_code(text: str) -> str:
    """What a trainee typed, as a code: case, spaces and dashes do not matter."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


class Classrooms:
    def __init__(self, engine: Engine, ttl: dt.timedelta = TTL) -> None:
        self.engine = engine
        self.ttl = ttl

    def start(self, trainer: str, title: str, exercise_name: str, exercise: str, questions: int,
              now: dt.datetime | None = None, kind: Kind = "quiz") -> Classroom:
        """A new session with a fresh code; expired sessions are deleted first."""
        if len(exercise.encode("utf-8")) > MAX_EXERCISE_BYTES:
            raise ClassroomError(f"the exercise is larger than {MAX_EXERCISE_BYTES} bytes")
        if not 1 <= questions <= MAX_QUESTIONS:
            raise ClassroomError(f"a session has 1 to {MAX_QUESTIONS} questions, not {questions}")
        now = now or dt.datetime.now(dt.UTC)
        self.purge(now)
        for _ in range(5):
            room = Classroom(secrets.token_hex(16), "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH)),
                             kind, trainer, title[:200], exercise_name[:200], exercise, questions, now, now + self.ttl)
            try:
                with self.engine.begin() as conn:
                    conn.execute(insert(classrooms).values(
                        id=room.id, code=room.code, kind=room.kind, trainer=room.trainer, title=room.title,
                        exercise_name=room.exercise_name, exercise=room.exercise, questions=room.questions,
                        created_at=room.created_at, expires_at=room.expires_at))
                return room
            except IntegrityError:
                continue  # the code is in use by a live session: draw another
        raise ClassroomError("no free session code: try again")

    def _room(self, row: Any) -> Classroom:
        return Classroom(row["id"], row["code"], row["kind"], row["trainer"], row["title"], row["exercise_name"],
                         row["exercise"], row["questions"], _utc(row["created_at"]), _utc(row["expires_at"]))

    def get(self, room_id: str, now: dt.datetime | None = None) -> Classroom | None:
        """A live (not expired) session by id."""
        with self.engine.connect() as conn:
            row = conn.execute(select(classrooms).where(classrooms.c.id == room_id)).mappings().first()
        room = self._room(row) if row is not None else None
        return room if room is not None and room.expires_at > (now or dt.datetime.now(dt.UTC)) else None

    def by_code(self, code: str, now: dt.datetime | None = None) -> Classroom | None:
        """A live session by the code a trainee typed."""
        wanted = normalise_code(code)
        if len(wanted) != CODE_LENGTH:
            return None
        with self.engine.connect() as conn:
            row = conn.execute(select(classrooms).where(classrooms.c.code == wanted)).mappings().first()
        room = self._room(row) if row is not None else None
        return room if room is not None and room.expires_at > (now or dt.datetime.now(dt.UTC)) else None

    def of_trainer(self, trainer: str, now: dt.datetime | None = None) -> list[Classroom]:
        now = now or dt.datetime.now(dt.UTC)
        with self.engine.connect() as conn:
            rows = conn.execute(select(classrooms).where(classrooms.c.trainer == trainer)
                                .order_by(classrooms.c.created_at.desc())).mappings().all()
        return [r for r in (self._room(row) for row in rows) if r.expires_at > now]

    def join(self, room: Classroom, name: str) -> Trainee:
        """A trainee joins under a display name (1-60 characters, unique in the session)."""
        name = " ".join(name.split())
        if not 1 <= len(name) <= 60:
            raise ClassroomError("your name must be 1 to 60 characters")
        with self.engine.begin() as conn:
            names = conn.execute(select(classroom_trainees.c.name)
                                 .where(classroom_trainees.c.classroom_id == room.id)).scalars().all()
            if len(names) >= MAX_TRAINEES:
                raise ClassroomError(f"this session is full ({MAX_TRAINEES} trainees)")
            if name.casefold() in {n.casefold() for n in names}:
                raise ClassroomError(f"someone in this session is already called '{name}': add an initial")
            trainee = Trainee(secrets.token_hex(16), room.id, name)
            conn.execute(insert(classroom_trainees).values(id=trainee.id, classroom_id=room.id, name=name,
                                                           joined_at=dt.datetime.now(dt.UTC)))
        return trainee

    def trainee(self, trainee_id: str) -> Trainee | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(classroom_trainees)
                               .where(classroom_trainees.c.id == trainee_id)).mappings().first()
        return None if row is None else Trainee(row["id"], row["classroom_id"], row["name"])

    def trainees(self, room: Classroom) -> list[Trainee]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(classroom_trainees).where(classroom_trainees.c.classroom_id == room.id)
                                .order_by(classroom_trainees.c.joined_at, classroom_trainees.c.name)).mappings().all()
        return [Trainee(r["id"], r["classroom_id"], r["name"]) for r in rows]

    def record(self, trainee: Trainee, number: int, result: str, row: dict[str, Any]) -> bool:
        """Store a marked answer; False if this trainee already answered this question (the first counts)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(classroom_answers).values(trainee_id=trainee.id, number=number, result=result,
                                                              row=json.dumps(row), answered_at=dt.datetime.now(dt.UTC)))
        except IntegrityError:
            return False
        return True

    def answered(self, trainee: Trainee) -> dict[int, str]:
        """Question number -> result, for one trainee."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(classroom_answers.c.number, classroom_answers.c.result)
                                .where(classroom_answers.c.trainee_id == trainee.id)).all()
        return {int(n): str(r) for n, r in rows}

    def answers(self, room: Classroom) -> list[Answer]:
        """Every answer in the session, by trainee (join order) then question number."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(classroom_answers, classroom_trainees.c.name)
                .join(classroom_trainees, classroom_trainees.c.id == classroom_answers.c.trainee_id)
                .where(classroom_trainees.c.classroom_id == room.id)
                .order_by(classroom_trainees.c.joined_at, classroom_trainees.c.name, classroom_answers.c.number)
            ).mappings().all()
        return [Answer(r["trainee_id"], r["name"], int(r["number"]), r["result"], json.loads(r["row"])) for r in rows]

    def codings(self, room: Classroom) -> dict[str, dict[str, dict[str, Any]]]:
        """A coding session's codings: trainee name -> vignette id -> {fact id: value} (join order)."""
        out: dict[str, dict[str, dict[str, Any]]] = {t.name: {} for t in self.trainees(room)}
        for a in self.answers(room):
            out[a.trainee][str(a.row["vignette"])] = dict(a.row["facts"])
        return out

    def purge(self, now: dt.datetime | None = None) -> int:
        """Delete expired sessions with their trainees and answers; the number of sessions deleted."""
        now = now or dt.datetime.now(dt.UTC)
        with self.engine.begin() as conn:
            old = select(classrooms.c.id).where(classrooms.c.expires_at <= now)
            people = select(classroom_trainees.c.id).where(classroom_trainees.c.classroom_id.in_(old))
            conn.execute(delete(classroom_answers).where(classroom_answers.c.trainee_id.in_(people)))
            conn.execute(delete(classroom_trainees).where(classroom_trainees.c.classroom_id.in_(old)))
            gone = conn.execute(delete(classrooms).where(classrooms.c.expires_at <= now)).rowcount
        return int(gone or 0)

    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(classrooms)).scalar_one())


@dataclass(frozen=True)
class QuestionResult:
    number: int
    scenario: str
    kind: str
    expected: str
    correct: int
    wrong: int
    skipped: int
    unanswered: int  # trainees in the session who have not reached it yet


@dataclass(frozen=True)
class TraineeResult:
    name: str
    correct: int
    wrong: int
    skipped: int
    answered: int
    results: tuple[str, ...]  # per question, in order: correct | wrong | skipped | "" (not yet)


@dataclass(frozen=True)
class Results:
    """A session's results per question and per trainee, and every answer as a score row."""

    code: str
    title: str
    exercise: str
    questions: tuple[QuestionResult, ...]
    trainees: tuple[TraineeResult, ...]
    rows: tuple[dict[str, Any], ...]

    def to_json(self) -> dict[str, Any]:
        from dataclasses import asdict

        return {"session": self.code, "title": self.title, "exercise": self.exercise,
                "questions": [asdict(q) for q in self.questions], "trainees": [asdict(t) for t in self.trainees],
                "answers": list(self.rows)}


def tally(room: Classroom, questions: list[tuple[int, str, str, str]], trainees: list[Trainee],
          answers: list[Answer]) -> Results:
    """Results from the session's questions (number, scenario, kind, expected), trainees and answers."""
    by = {(a.trainee_id, a.number): a for a in answers}
    qs = []
    for number, scenario, kind, expected in questions:
        got = [by[(t.id, number)].result for t in trainees if (t.id, number) in by]
        qs.append(QuestionResult(number, scenario, kind, expected, got.count("correct"), got.count("wrong"),
                                 got.count("skipped"), len(trainees) - len(got)))
    ts = []
    for t in trainees:
        res = tuple(by[(t.id, n)].result if (t.id, n) in by else "" for n, *_ in questions)
        ts.append(TraineeResult(t.name, res.count("correct"), res.count("wrong"), res.count("skipped"),
                                sum(1 for r in res if r), res))
    return Results(room.code, room.title, room.exercise_name, tuple(qs), tuple(ts), tuple(a.row for a in answers))
