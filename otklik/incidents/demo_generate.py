"""`otklik demo generate`: a realistic region of N municipalities and M incidents, in bulk.

Every state of the workflow, units, topics, networks, importance and two years of history:
90 % of the incidents closed (most answered, some п. 21, some unclarified), 10 % open and
recent, in every open state. Each incident's life is replayed by `demo_lives.Life` the way the
services would have written it (steps with deadlines from the municipality's working
calendar, the signed history chain), then inserted in bulk: COPY text on PostgreSQL
(municipalities in parallel processes, `jobs`), executemany on SQLite (`jobs` - 1 processes
generate while one writes). Ids are reserved first, so the history can be signed before the
rows exist: on PostgreSQL the sequence is moved past each block, so the application may keep
writing meanwhile; on SQLite run it while nobody hands incidents in. Every constraint and
trigger stays on. It sends no letters.
"""

from __future__ import annotations

import hmac
import json
import multiprocessing
import os
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from hashlib import sha256
from itertools import count
from json.encoder import encode_basestring
from typing import Any, cast

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, connections, models, transaction
from django.utils import timezone

from otklik.incidents import demo_corpus as corpus
from otklik.incidents.deadlines import alert_fields, next_alert
from otklik.incidents.demo_lives import (
    Clock,
    Life,
    Staff,
    Stop,
    delay,
    moment_texts,
    payload_json,
    timings_table,
    utc_iso,
)
from otklik.incidents.history import GENESIS, history_key
from otklik.incidents.models import (
    NO_DUE,
    Assignment,
    Draft,
    Importance,
    Incident,
    IncidentEvent,
    IncidentStep,
    Kind,
    NoAnswerReason,
    ReturnReason,
    TopicRoute,
)
from otklik.incidents.models import Status as S
from otklik.incidents.policy import policy_overrides_at, warn_shares_at
from otklik.org.calendars import work_calendar_for
from otklik.org.demo import DEMO_PASSWORD
from otklik.org.models import Municipality, Person, PersonRole, Region, Unit
from otklik.org.roles import Role
from otklik.worktime import WorkCalendar

CHUNK = 5000  # incidents per transaction (PostgreSQL: per worker; memory stays small)
SQLITE_CHUNK = 20000  # SQLite: fewer, larger transactions write each index page to the WAL fewer times
SQLITE_CACHE_KIB = 512 * 1024  # the page cache while generating: the indexes of a region stay in memory
YEARS = 2
OPEN_SHARE = 0.10

# The share of each final state among the closed and the open incidents.
CLOSED_STATES: list[tuple[str, float]] = [
    (S.PUBLISHED, 0.92), (S.CLOSED_NO_ANSWER, 0.06), (S.CLOSED_UNCLARIFIED, 0.02)]
OPEN_STATES: list[tuple[str, float]] = [
    (S.NEW, 0.12), (S.ROUTED, 0.20), (S.REROUTE, 0.04), (S.CLARIFYING, 0.06), (S.CONSOLIDATING, 0.06),
    (S.DRAFT_SUBMITTED, 0.10), (S.AWAITING_APPROVAL, 0.14), (S.RETURNED, 0.08), (S.APPROVED, 0.10),
    (S.INTERMEDIATE, 0.10)]
NETWORKS: list[tuple[str, float]] = [("vk", 0.55), ("ok", 0.2), ("telegram", 0.15), ("max", 0.1)]


class GenerateError(Exception):
    """Input the generator refuses; the message is for a person, in Russian."""


@dataclass(frozen=True)
class GenerateResult:
    region: str
    municipalities: int
    incidents: int
    open: int
    steps: int
    events: int
    seconds: float
    cpu_seconds: float  # this process's CPU time: the rate on a machine others share

    @property
    def per_second(self) -> float:
        return self.incidents / self.seconds if self.seconds else 0.0

    @property
    def per_cpu_second(self) -> float:
        return self.incidents / self.cpu_seconds if self.cpu_seconds else 0.0


# ---------------------------------------------------------------- organisation

@dataclass
class _Place:
    municipality: Municipality
    wc: WorkCalendar
    clock: Clock
    staff: Staff
    timings: dict[tuple[str, bool], Any]


def _person(*, login: str, full_name: str, position: str, region: Region, municipality: Municipality | None,
            unit: Unit | None, roles: list[str], password: str) -> Person:
    user = get_user_model().objects.create(username=login, password=password, email=f"{login}@generated.example",
                                           is_staff=Role.ADMINISTRATOR in roles)
    person = Person.objects.create(user=user, full_name=full_name, position=position, region=region,
                                   municipality=municipality, unit=unit, email=user.email)
    PersonRole.objects.bulk_create([PersonRole(person=person, role=r) for r in roles])
    return person


def _full_name(rng: random.Random) -> str:
    female = rng.random() < 0.6
    surname = rng.choice(corpus.SURNAMES)
    first = rng.choice(corpus.FIRST_NAMES[::2] if female else corpus.FIRST_NAMES[1::2])
    return f"{surname} {first} {rng.choice(corpus.PATRONYMICS_F if female else corpus.PATRONYMICS_M)}"


def _label(p: Person) -> tuple[int, str]:
    return p.pk, p.full_name


@transaction.atomic
def _organisation(*, region_slug: str, municipalities: int, rng: random.Random) -> tuple[Region, list[Municipality]]:
    """The region (created once) with its regional curator, and N new municipalities, each
    with six units, a curator, a deputy head, the head of the general department and
    executors. Logins: `<region>-region`, `<region>-NN-curator`, `<region>-NN-exec-K`, …"""
    password = make_password(DEMO_PASSWORD)  # once: hashing is deliberately slow
    region, created = Region.objects.get_or_create(
        slug=region_slug, defaults={"name": f"Сгенерированный край «{region_slug}»"})
    if created or not Person.objects.filter(user__username=f"{region_slug}-region").exists():
        _person(login=f"{region_slug}-region", full_name=_full_name(rng), position="Куратор ЦУР", region=region,
                municipality=None, unit=None, roles=[Role.REGIONAL_CURATOR], password=password)
    first = Municipality.objects.filter(region=region).count() + 1
    made = []
    for n in range(first, first + municipalities):
        base = corpus.SETTLEMENT_NAMES[(n - 1) % len(corpus.SETTLEMENT_NAMES)]
        suffix = f" № {(n - 1) // len(corpus.SETTLEMENT_NAMES) + 1}" if n > len(corpus.SETTLEMENT_NAMES) else ""
        mun = Municipality.objects.create(
            region=region, slug=f"{region_slug}-{n:02d}",
            name=f"{base} {corpus.SETTLEMENT_KINDS[n % 2]}{suffix}")
        prefix = f"{region_slug}-{n:02d}"
        units = {}
        for k, (name, institution, is_general) in enumerate(corpus.UNITS):
            units[name] = Unit.objects.create(
                municipality=mun, name=name, is_general_department=is_general, email=f"unit{k}@{prefix}.example",
                kind=Unit.Kind.INSTITUTION if institution else Unit.Kind.DEPARTMENT)
        general = units["Общий отдел"]

        def staff(login: str, position: str, unit: Unit | None, roles: list[str], mun: Municipality = mun) -> Person:
            return _person(login=login, full_name=_full_name(rng), position=position, region=region,
                           municipality=mun, unit=unit, roles=roles, password=password)

        staff(f"{prefix}-curator", "Муниципальный куратор", general, [Role.MUNICIPAL_CURATOR])
        head = staff(f"{prefix}-general", "Начальник общего отдела", general, [Role.GENERAL_HEAD, Role.UNIT_HEAD])
        Unit.objects.filter(pk=general.pk).update(head=head)
        staff(f"{prefix}-deputy", "Заместитель главы", None, [Role.DEPUTY_HEAD])
        for k, unit in enumerate(units.values()):
            if unit.is_general_department:
                continue
            chief = staff(f"{prefix}-head-{k}", f"Начальник: {unit.name}", unit, [Role.UNIT_HEAD, Role.EXECUTOR])
            Unit.objects.filter(pk=unit.pk).update(head=chief)
            staff(f"{prefix}-exec-{k}", "Специалист", unit, [Role.EXECUTOR])
        TopicRoute.objects.bulk_create([
            TopicRoute(municipality=mun, topic=topic, unit=units[unit_name]) for topic, unit_name, _, _ in corpus.TOPICS])
        made.append(mun)
    return region, made


def _place(mun: Municipality, now: datetime) -> _Place:
    people = {p.user.username: p for p in Person.objects.filter(region=mun.region).filter(
        models.Q(municipality=mun) | models.Q(municipality__isnull=True)).select_related("user")}
    prefix = mun.slug
    region_curator = people[f"{mun.region.slug}-region"]
    units: dict[int, tuple[str, tuple[int, str]]] = {}
    by_name: dict[str, int] = {}
    for k, unit in enumerate(Unit.objects.filter(municipality=mun).order_by("pk")):
        by_name[unit.name] = unit.pk
        if unit.is_general_department:
            continue
        # The unit's executor: its head, who is an executor too (services._executor_of).
        chief = people.get(f"{prefix}-head-{k}")
        if chief is None:
            raise GenerateError(f"В МО «{mun.name}» не хватает сотрудников сгенерированного набора.")
        units[unit.pk] = (unit.name, _label(chief))
    staff = Staff(region_curator=_label(region_curator), curator=_label(people[f"{prefix}-curator"]),
                  general_head=_label(people[f"{prefix}-general"]), units=units,
                  topic_units={topic: by_name[unit_name] for topic, unit_name, _, _ in corpus.TOPICS})
    wc = work_calendar_for(mun)
    return _Place(mun, wc, Clock(wc), staff, timings_table(policy_overrides_at(mun.pk, now)))


# ---------------------------------------------------------------- one incident's life

def _pick(rng: random.Random, table: list[tuple[str, float]]) -> str:
    x = rng.random()
    for value, share in table:
        x -= share
        if x < 0:
            return value
    return table[-1][0]


def _url(network: str, i: int) -> str:
    if network == "vk":
        return f"https://vk.com/wall-{100000 + i % 97}_{i}?reply={i + 7}"
    if network == "ok":
        return f"https://ok.ru/group/{5000000 + i % 89}/topic/{i}"
    if network == "telegram":
        return f"https://t.me/admin_{i % 83}/{i}?comment={i + 3}"
    return f"https://max.ru/admin_{i % 79}/AZ{i:x}"


def _live(life: Life, rng: random.Random, target: str, topic_unit: int, other_unit: int, answer: str,
          published_url: str) -> None:
    """Walk `life` towards `target` along a path that reaches it; Stop at `now` ends it early."""
    high = life.high
    publication = life.kind == Kind.PUBLICATION
    closed = target in (S.PUBLISHED, S.CLOSED_NO_ANSWER, S.CLOSED_UNCLARIFIED)
    r = rng.random()
    reroute = target == S.REROUTE or (closed and target == S.PUBLISHED and r < 0.04)
    clarify = target in (S.CLARIFYING, S.CLOSED_UNCLARIFIED) or (target == S.PUBLISHED and 0.04 <= r < 0.08)
    several = target == S.CONSOLIDATING or (target == S.PUBLISHED and 0.08 <= r < 0.15)
    intermediate = target == S.INTERMEDIATE or (target == S.PUBLISHED and 0.15 <= r < 0.20)
    returned = target == S.RETURNED or (target == S.PUBLISHED and rng.random() < 0.15)
    name = life.name

    life.intake(delay(rng, 30, high=high))
    if target == S.NEW:
        return
    if target == S.CLOSED_NO_ANSWER:
        if rng.random() < 0.3:
            life.route(delay(rng, 30, high=high), [topic_unit])
        reason = _pick(rng, [(NoAnswerReason.INSULT, 0.5), (NoAnswerReason.OBSCENITY, 0.3),
                             (NoAnswerReason.THREAT, 0.15), (NoAnswerReason.HARM, 0.05)])
        life.close_no_answer(delay(rng, 30, high=high), reason, corpus.NO_ANSWER_COMMENT)
        return
    if reroute:
        life.route(delay(rng, 30, high=high), [other_unit])
        life.not_ours(delay(rng, 30, high=high))
        if target == S.REROUTE:
            return
    life.route(delay(rng, 30, high=high), [topic_unit, other_unit] if several else [topic_unit])
    if target == S.ROUTED:
        return
    if clarify:
        life.ask_clarification(delay(rng, 60, high=high), corpus.CLARIFY_QUESTION.replace("{имя}", name))
        if target == S.CLARIFYING and rng.random() < 0.3:
            return
        life.clarification_posted(delay(rng, 30, high=high))
        if target == S.CLARIFYING:
            return
        if target == S.CLOSED_UNCLARIFIED:
            life.close_unclarified(480 + rng.uniform(0, 600), corpus.UNCLARIFIED_COMMENT)
            return
        life.clarification_received(rng.uniform(20, 400), "Дом 15, возле магазина")
    if several:
        life.name_consolidator(delay(rng, 30, high=high))
        for a in list(life.assignments):
            if target == S.CONSOLIDATING and rng.random() < 0.5:
                return
            life.submit_part(delay(rng, 120), a, corpus.PART_TEXT)
        if target == S.CONSOLIDATING:
            return
    if intermediate:
        life.submit_draft(delay(rng, 180, high=high), corpus.INTERMEDIATE_ANSWER.replace("{имя}", name),
                          intermediate=True)
        life.forward(delay(rng, 30, high=high))
        life.approve(delay(rng, 30, high=high))
        life.publish(delay(rng, 30, high=high), published_url)
        if target == S.INTERMEDIATE:
            return
        # The final answer, within the 7 working days of п. 18.
        life.submit_draft(rng.uniform(300, 3000), answer)
    else:
        life.submit_draft(delay(rng, 240, late=0.12, high=high), answer)
    if target == S.DRAFT_SUBMITTED:
        return
    if returned:
        if not publication:
            life.forward(delay(rng, 30, high=high))
        if target == S.AWAITING_APPROVAL:
            return
        reasons = [{"code": code, "comment": corpus.RETURN_COMMENTS[code]}
                   for code in rng.sample([str(c) for c in ReturnReason], k=rng.choice((1, 1, 2)))]
        life.return_(delay(rng, 30, high=high), reasons)
        if target == S.RETURNED:
            return
        life.submit_draft(delay(rng, 60, high=high), answer + " Фото пришлём после работ.")
    if not publication:
        life.forward(delay(rng, 30, high=high))
    if target == S.AWAITING_APPROVAL:
        return
    life.approve(delay(rng, 30, high=high))
    if target == S.APPROVED:
        return
    life.publish(delay(rng, 30, high=high), published_url)


# ---------------------------------------------------------------- rows

# COPY's NULL: a control character JSON and the corpus never hold, so the whole buffer can
# have its backslashes doubled in one pass (the text format's only escape our data needs:
# no value holds a tab or a line break, test_demo_generate_rows checks the corpus).
_COPY_NULL = "\x01"


class _Sink:
    """Rows per table, written in bulk: COPY text on PostgreSQL (one buffer per table),
    executemany on SQLite. Rows are tuples of ints, strings and `self.null`; moments are
    already the database's text (`self.ts`)."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.pg = self.vendor == "postgresql"
        self.null: str | None = _COPY_NULL if self.pg else None
        # Django's SQLite form of a moment is naive UTC text; PostgreSQL's COPY takes the offset.
        self._suffix = "+00" if self.pg else ""
        self.ts = moment_texts(" ", self._suffix)
        self.rows: dict[type[models.Model], list[tuple[Any, ...]]] = {}
        self.columns: dict[type[models.Model], list[str]] = {}

    def ts_or_null(self, t: int | None) -> str | None:
        return self.null if t is None else self.ts(t)

    def table(self, model: type[models.Model], names: list[str]) -> Callable[[tuple[Any, ...]], None]:
        """Register `model`'s rows as tuples of `names` (attnames); every other column takes
        its field's default. A column with no default that the generator does not fill is an
        error here, not a silent NULL: a new model field must be taught to the generator."""
        given = set(names)
        column_of = {f.attname: str(f.column) for f in model._meta.concrete_fields}
        rest: list[tuple[str, Any]] = []
        for f in model._meta.concrete_fields:
            if f.attname in given or getattr(f, "generated", False) or f.primary_key:
                continue
            if hasattr(f, "db_default") and f.db_default is not models.NOT_PROVIDED:
                continue
            if f.has_default():
                value = f.get_default()
            elif f.null:
                value = None
            elif f.blank and f.empty_strings_allowed and not isinstance(f, models.DateTimeField):
                value = ""
            else:
                raise GenerateError(f"Генератор не заполняет поле {model.__name__}.{f.name}.")
            if isinstance(f, models.JSONField):
                value = json.dumps(value, ensure_ascii=False)
            elif isinstance(value, datetime):
                value = self.ts(int(value.timestamp()))
            elif isinstance(value, bool) and self.pg:
                value = "t" if value else "f"
            rest.append((str(f.column), self.null if value is None else value))
        columns = [column_of[n] for n in names] + [c for c, _ in rest]
        constants = tuple(v for _, v in rest)
        self.columns[model] = columns
        rows = self.rows.setdefault(model, [])
        append = rows.append
        if not constants:
            return append
        return lambda row: append(row + constants)

    def tables(self) -> list[tuple[str, list[str], list[tuple[Any, ...]]]]:
        """(table, columns, rows) in the order registered: parents first."""
        return [(model._meta.db_table, self.columns[model], rows) for model, rows in self.rows.items() if rows]

    def flush(self) -> None:
        _insert(self.tables())


def _insert(tables: list[tuple[str, list[str], list[tuple[Any, ...]]]]) -> None:
    """Write rows as they are: COPY text on PostgreSQL (one buffer per table: the backslashes
    doubled, see _COPY_NULL), executemany on SQLite."""
    raw = connection.connection
    quote = connection.ops.quote_name
    for name, columns, rows in tables:
        table, cols = quote(name), ", ".join(quote(c) for c in columns)
        if connection.vendor == "postgresql":
            text = "\n".join(["\t".join(map(str, row)) for row in rows])
            if "\\" in text:
                text = text.replace("\\", "\\\\")
            with raw.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN WITH (NULL E'\\x01')") as copy:
                copy.write(text + "\n")
        else:
            marks = ", ".join("?" * len(columns))
            raw.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)  # noqa: S608


@transaction.atomic
def _reserve(model: type[models.Model], n: int) -> int:
    """The first of `n` consecutive free ids of `model`'s table, reserved in a short
    transaction of its own: on PostgreSQL the sequence moves past the block (setval is not
    undone by a rollback), so concurrent generators and the application never take them."""
    table = model._meta.db_table
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # The lock keeps other writers out until commit; setval moves the sequence past the block.
            cur.execute(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE')
            cur.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
            seq = cur.fetchone()[0]
            cur.execute(f'SELECT GREATEST((SELECT COALESCE(MAX(id), 0) FROM "{table}"), '  # noqa: S608
                        f"(SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM {seq}))")
            start = int(cur.fetchone()[0]) + 1
            cur.execute("SELECT setval(%s, %s)", [seq, start + n - 1 if n else max(start - 1, 1)])
            return start
        cur.execute(f'SELECT COALESCE(MAX(id), 0) FROM "{table}"')  # noqa: S608
        return int(cur.fetchone()[0]) + 1


@dataclass
class _Counts:
    incidents: int = 0
    open: int = 0
    steps: int = 0
    events: int = 0

    def add(self, other: _Counts) -> None:
        self.incidents += other.incidents
        self.open += other.open
        self.steps += other.steps
        self.events += other.events


def _chunk(place: _Place, sink: _Sink, *, n: int, first_id: int, first_assignment: int, rng: random.Random,
           now: int, span_start: int, counts: _Counts, key: bytes) -> None:
    """Generate the rows of `n` incidents of one municipality into `sink` (parents first)."""
    mun, wc, clock, staff = place.municipality, place.wc, place.clock, place.staff
    ts, ts_or_null, null = sink.ts, sink.ts_or_null, sink.null
    add_incident = sink.table(Incident, [
        "id", "municipality_id", "kind", "importance", "status", "external_id", "content_hash", "network", "url",
        "author_name", "author_url", "text", "topic", "location", "detected_at", "handed_over_at", "created_at",
        "created_by_id", "consolidator_id", "no_answer_reason", "no_answer_comment", "published_url",
        "published_at", "intermediate_at", "closed_at", "clarification_question", "paused_at", "history_head",
        "next_due_at"])
    add_assignment = sink.table(Assignment, [
        "id", "incident_id", "unit_id", "executor_id", "intended_executor_id", "state", "dispatched_at",
        "not_ours_comment", "part_text", "part_at"])
    add_draft = sink.table(Draft, [
        "incident_id", "kind", "round", "text", "text_hash", "author_id", "submitted_at", "forwarded_at",
        "decision", "decided_by_id", "decided_at", "return_reasons"])
    add_step_row = sink.table(IncidentStep, [
        "incident_id", "kind", "assignment_id", "actor_role", "actor_id", "started_at", "seconds", "extra_seconds",
        "days", "due_at", "done_at", "warn_at", "next_alert_at", "warned_shares", "missed_notified_at",
        "municipality_id"])
    here = (mun.pk,)  # a chunk is one municipality's

    def add_step(row: tuple[Any, ...]) -> None:
        add_step_row(row + here)
    add_event = sink.table(IncidentEvent, [
        "incident_id", "seq", "at", "actor_id", "actor_label", "action", "from_status", "to_status", "payload",
        "prev_hash", "hash"])
    next_assignment = count(first_assignment).__next__
    unit_ids = list(staff.units)
    span = now - span_start - 20 * 86400  # closed ones end well before now
    offset = clock.fixed_offset
    now_dt = clock.local(now)
    shares = warn_shares_at(mun, now_dt)
    no_due = ts(int(NO_DUE.timestamp()))
    hours = (7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 0)
    digest = hmac.digest
    js = encode_basestring
    random_, randrange, choice = rng.random, rng.randrange, rng.choice
    for i in range(first_id, first_id + n):
        is_open = random_() < OPEN_SHARE
        target = _pick(rng, OPEN_STATES if is_open else CLOSED_STATES)
        kind = Kind.PUBLICATION if random_() < 0.05 and target != S.REROUTE else Kind.INCIDENT
        high = random_() < 0.05
        topic, _, messages, answers = choice(corpus.TOPICS)
        first_name, surname = choice(corpus.FIRST_NAMES), choice(corpus.SURNAMES)
        place_name = f"{choice(corpus.STREETS)}, {rng.randint(1, 120)}"
        if is_open:
            age = rng.uniform(8 * 60 * 1.2, 8 * 60 * 9) if target == S.INTERMEDIATE else random_() ** 2 * 24 * 60
            moment = wc.subtract(clock.local(now), timedelta(minutes=max(age, 1.0)))
            detected = int(moment.timestamp()) - int(rng.uniform(0, 30) * 60)
        else:
            # Two years back, in the day more than at night: a local day, then an hour of it.
            moment_t = span_start + int(rng.uniform(0, span))
            second = choice(hours) * 3600 + randrange(60) * 60 + randrange(60)
            if offset is not None:
                detected = (moment_t + offset) // 86400 * 86400 + second - offset
            else:
                local = clock.local(moment_t)
                detected = int(local.replace(hour=second // 3600, minute=second // 60 % 60,
                                             second=second % 60).timestamp())
        external_id = f"gen-{i}" if kind == Kind.INCIDENT else None
        network = _pick(rng, NETWORKS)
        url = _url(network, i)
        importance = Importance.HIGH if high else Importance.NORMAL
        life = Life(clock=clock, timings=place.timings, staff=staff, now=now, kind=kind, importance=importance,
                    detected_at=detected, author_first_name=first_name, location=place_name,
                    external_id=external_id, next_assignment_id=next_assignment)
        topic_unit = staff.topic_units[topic]
        if topic_unit not in staff.units:  # the general department's topics go to a unit with executors
            topic_unit = unit_ids[0]
        other_unit = choice([u for u in unit_ids if u != topic_unit])
        answer = choice(answers).replace("{имя}", first_name).replace("{адрес}", place_name)
        with suppress(Stop):  # the life reached now before its target: it stays where it is
            _live(life, rng, target, topic_unit, other_unit, answer, url)
        counts.incidents += 1
        counts.open += life.closed_at is None
        # The rows, children first in memory; the sink writes parents first.
        prev = GENESIS
        seq = 0
        for e in life.events:
            seq += 1
            actor = e.actor
            actor_id, label = actor if actor else (None, "Система")
            # history._body's bytes, put together from the parts at hand (the payload's JSON, the
            # UTC moment) rather than encoding the list again: actions and statuses are plain
            # ASCII words; test_history_verifies_and_heads_match checks every entry.
            body = (f'["{prev}",{i},{seq},"{utc_iso(e.at)}",{"null" if actor_id is None else actor_id},'
                    f'{_label_json(label)},"{e.action}","{e.from_status}","{e.to_status}",{e.payload}]')
            signed = digest(key, body.encode(), "sha256").hex()
            add_event((i, seq, ts(e.at), null if actor_id is None else actor_id, label, e.action, e.from_status,
                       e.to_status, e.payload, prev, signed))
            prev = signed
        counts.events += seq
        next_due: int | None = None
        for st in life.steps:
            assignment_id = null if st.assignment_id is None else st.assignment_id
            step_actor = null if st.actor_id is None else st.actor_id
            if st.done_at is None:
                # What the monitor needs of an open step (deadlines.alert_fields, on the real
                # calendar); warnings and misses due before now count as told, so a worker
                # started on this data does not send them all at once. A closed step keeps no
                # moments: nothing reads them.
                started, due = clock.local(st.started_at), clock.local(st.due_at)
                missed = st.due_at <= now
                warn_at = cast("dict[str, str]", alert_fields(wc, started_at=started, due_at=due, shares=shares,
                                                              missed=missed)["warn_at"])
                warned = [x for x in shares if f"{x:g}" in warn_at and datetime.fromisoformat(warn_at[f"{x:g}"]) <= now_dt]
                nxt = next_alert(warn_at, due_at=due, warned=warned, missed=missed)
                next_due = st.due_at if next_due is None else min(next_due, st.due_at)
                add_step((i, st.kind, assignment_id, st.actor_role, step_actor, ts(st.started_at), st.seconds,
                          st.extra_seconds, st.days, ts(st.due_at), null, json.dumps(warn_at),
                          null if nxt is None else ts(int(nxt.timestamp())), json.dumps(warned),
                          ts(st.due_at) if missed else null))
            else:
                add_step((i, st.kind, assignment_id, st.actor_role, step_actor, ts(st.started_at), st.seconds,
                          st.extra_seconds, st.days, ts(st.due_at), ts(st.done_at), "{}", null, "[]", null))
        counts.steps += len(life.steps)
        for a in life.assignments:
            add_assignment((a.id, i, a.unit_id, a.executor_id, a.executor_id, a.state, ts(a.dispatched_at),
                            a.not_ours_comment, a.part_text, ts_or_null(a.part_at)))
        for d in life.drafts:
            add_draft((i, d.kind, d.round, d.text, d.text_hash, d.author_id, ts(d.submitted_at),
                       ts_or_null(d.forwarded_at), d.decision, null if d.decided_by_id is None else d.decided_by_id,
                       ts_or_null(d.decided_at), payload_json(d.return_reasons) if d.return_reasons else "[]"))
        author = f"{first_name} {surname}"
        author_url = f"https://vk.com/id{1000 + i}"
        text = choice(messages).replace("{адрес}", place_name)
        # services.intake_hash (content_hash over INTAKE_FIELDS, moments in UTC): the same JSON
        # bytes, put together (a test compares them with intake_hash).
        content = sha256((
            f'{{"attachments": [], "author_name": {js(author)}, "author_url": "{author_url}", '
            f'"detected_at": "{utc_iso(detected)}", "handed_over_at": "{utc_iso(life.handed_over_at)}", '
            f'"importance": "{importance}", "kind": "{kind}", "location": {js(place_name)}, '
            f'"network": "{network}", "text": {js(text)}, "topic": {js(topic)}, "url": "{url}"}}').encode()).hexdigest()
        creator = life.events[0].actor
        add_incident((i, mun.pk, kind, importance, life.status, null if external_id is None else external_id,
                      content, network, url, author, author_url, text, topic, place_name, ts(detected),
                      ts(life.handed_over_at), ts(life.handed_over_at), null if creator is None else creator[0],
                      null if life.consolidator is None else life.consolidator[0], life.no_answer_reason,
                      life.no_answer_comment, life.published_url, ts_or_null(life.published_at),
                      ts_or_null(life.intermediate_at), ts_or_null(life.closed_at), life.clarification_question,
                      ts_or_null(life.paused_at), prev, no_due if next_due is None else ts(next_due)))


def _label_json(label: str) -> str:
    return str(encode_basestring(label))


def _split(total: int, parts: int) -> Iterator[int]:
    base, extra = divmod(total, parts)
    for k in range(parts):
        yield base + (1 if k < extra else 0)


# A municipality's share: (municipality id, incidents, seed, now, first incident id, first
# assignment id); the ids are None where each chunk reserves its own (PostgreSQL).
_Task = tuple[int, int, int, datetime, int | None, int | None]
_Tables = list[tuple[str, list[str], list[tuple[Any, ...]]]]


def _municipality_chunks(task: _Task) -> Iterator[tuple[_Counts, _Sink]]:
    """One municipality's share, chunk by chunk: the rows of each and what they count. Without
    ids given, each chunk reserves its own just before it is generated (PostgreSQL)."""
    mun_id, share, seed, now, first_id, first_assignment = task
    mun = Municipality.objects.select_related("region").get(pk=mun_id)
    place = _place(mun, now)
    rng = random.Random(seed)  # noqa: S311  (demo content, not security)
    key = history_key()
    span_start = max(now - timedelta(days=365 * YEARS),
                     datetime.combine(place.wc.first_day, datetime.min.time(), place.wc.tz) + timedelta(days=1))
    chunk = CHUNK if connection.vendor == "postgresql" else SQLITE_CHUNK
    left = share
    while left:
        n = min(chunk, left)
        if first_id is None or first_assignment is None:
            ids, assignments = _reserve(Incident, n), _reserve(Assignment, 3 * n)
        else:
            ids, assignments = first_id, first_assignment
            first_id, first_assignment = first_id + n, first_assignment + 3 * n
        counts, sink = _Counts(), _Sink()
        _chunk(place, sink, n=n, first_id=ids, first_assignment=assignments, rng=rng, now=int(now.timestamp()),
               span_start=int(span_start.timestamp()), counts=counts, key=key)
        yield counts, sink
        left -= n


def _municipality_generate(task: _Task) -> _Counts:
    """Generate and insert one municipality's share, one transaction per chunk. Runs in the
    calling process or in a worker process of its own (which opens its own connection)."""
    counts = _Counts()
    for part, sink in _municipality_chunks(task):
        with transaction.atomic():
            sink.flush()
        counts.add(part)
    return counts


def _generate_for_writer(tasks: list[_Task], out: Any) -> None:
    """A worker process of the SQLite pipeline: generate the chunks of `tasks` and hand their
    rows to the writing process (SQLite has one writer; generating is the other half of the
    work, and it runs here meanwhile). Ends with None, or with the error's text."""
    try:
        for task in tasks:
            for part, sink in _municipality_chunks(task):
                out.put((part, sink.tables()))
        out.put(None)
    except BaseException as exc:  # the writer must hear of it, not wait for ever
        out.put(f"{type(exc).__name__}: {exc}")
        raise
    finally:
        connections.close_all()


def _write_pipeline(tasks: list[_Task], workers: int, progress: Callable[[_Counts], None]) -> None:
    """SQLite with jobs > 1: `workers` processes generate, this one writes (executemany), each
    chunk in a transaction of its own; a bounded queue keeps the rows in memory few."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue(maxsize=workers)
    connections.close_all()  # forked workers must not share this connection: each opens its own
    procs = [context.Process(target=_generate_for_writer, args=(tasks[k::workers], queue), daemon=True)
             for k in range(workers)]
    for proc in procs:
        proc.start()
    running = workers
    try:
        while running:
            item = queue.get()
            if item is None:
                running -= 1
                continue
            if isinstance(item, str):
                raise GenerateError(f"Генерация прервана: {item}")
            part, tables = item
            with transaction.atomic():
                _insert(tables)
            progress(part)
    finally:
        for proc in procs:
            if running:
                proc.kill()
            proc.join()


@contextmanager
def _sqlite_cache() -> Iterator[None]:
    """SQLite: a page cache the size of the region's indexes for the duration of the run, so an
    insert into an index reads its page from memory rather than from the file. Durability and
    checks stay as they are (WAL, synchronous=NORMAL, foreign keys)."""
    if connection.vendor != "sqlite":
        yield
        return
    with connection.cursor() as cur:
        cur.execute("PRAGMA cache_size")
        before = int(cur.fetchone()[0])
        cur.execute(f"PRAGMA cache_size = -{SQLITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cur:
            cur.execute(f"PRAGMA cache_size = {before}")


def _cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def demo_generate(*, municipalities: int, incidents: int, region: str = "gen", seed: int = 14,
                  now: datetime | None = None, jobs: int = 1,
                  progress: Callable[[int, int], None] | None = None) -> GenerateResult:
    """Create `municipalities` new municipalities in `region` (created if absent) and
    `incidents` incidents spread over them and over the two years before `now`.

    `jobs` > 1 generates municipalities in that many worker processes at once on PostgreSQL
    (each COPYs over its own connection); on SQLite, which has one writer, `jobs` - 1 processes
    generate while this one writes. The data set depends on `seed`, not on `jobs` (on
    SQLite not even its ids do)."""
    if municipalities < 1 or municipalities > 1000:
        raise GenerateError("Число МО: от 1 до 1000.")
    if incidents < 0 or incidents > 10_000_000:
        raise GenerateError("Число сообщений: от 0 до 10 000 000.")
    if not region.replace("-", "").isalnum() or not region.isascii() or len(region) > 30:
        raise GenerateError("Код региона: латинские буквы, цифры и дефис, не длиннее 30 знаков.")
    if jobs < 1 or jobs > 64:
        raise GenerateError("Число процессов: от 1 до 64.")
    now = (now or timezone.now()).replace(microsecond=0)
    began, began_cpu = time.perf_counter(), _cpu()
    _, made = _organisation(region_slug=region, municipalities=municipalities, rng=random.Random(seed))  # noqa: S311
    shares = list(_split(incidents, municipalities))
    pg = connection.vendor == "postgresql"
    # SQLite: every municipality's ids are fixed here (one writer: nobody else takes them
    # meanwhile), so any process can generate any municipality; PostgreSQL reserves per chunk.
    first_id = None if pg else _reserve(Incident, incidents)
    first_assignment = None if pg else _reserve(Assignment, 3 * incidents)
    tasks: list[_Task] = []
    for k, (mun, share) in enumerate(zip(made, shares, strict=True)):
        before = sum(shares[:k])
        tasks.append((mun.pk, share, seed * 1000 + k, now, None if first_id is None else first_id + before,
                      None if first_assignment is None else first_assignment + 3 * before))
    counts = _Counts()

    def told(part: _Counts) -> None:
        counts.add(part)
        if progress:
            progress(counts.incidents, incidents)

    # Workers see only what is committed (not a caller's open transaction, a test's say), and
    # an in-memory SQLite database is this process's alone: then everything is done here.
    if connection.in_atomic_block or cast("Callable[[], bool]", getattr(connection, "is_in_memory_db", bool))():
        jobs = 1
    if pg and min(jobs, len(tasks)) > 1:
        # Forked workers must not share the parent's connection: each opens its own.
        connections.close_all()
        with multiprocessing.get_context("fork").Pool(min(jobs, len(tasks))) as pool:
            for part in pool.imap_unordered(_municipality_generate, tasks):
                told(part)
    elif pg or jobs == 1:
        with _sqlite_cache():
            for task in tasks:
                for part, sink in _municipality_chunks(task):
                    with transaction.atomic():
                        sink.flush()
                    told(part)
    else:
        with _sqlite_cache():
            _write_pipeline(tasks, min(jobs - 1, len(tasks)), told)
    if pg:
        # Fresh statistics for the planner: before autovacuum gets to the bulk-loaded tables it
        # took one incident's steps for hundreds and hashed every assignment (6 ms, not 0.1).
        with connection.cursor() as cur:
            for model in (Incident, IncidentStep, IncidentEvent, Assignment, Draft):
                cur.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    return GenerateResult(region=region, municipalities=len(made), incidents=counts.incidents, open=counts.open,
                          steps=counts.steps, events=counts.events, seconds=time.perf_counter() - began,
                          cpu_seconds=_cpu() - began_cpu)
