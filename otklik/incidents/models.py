"""Incidents and publications (SPEC §2–3): the message, its work, its steps and history."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, ClassVar

from django.db import models

from otklik.channels.networks import Network
from otklik.incidents.steps import StepKind
from otklik.org.models import Municipality, Person, Unit


class Status(models.TextChoices):
    NEW = "new", "Новое — ждёт направления"
    ROUTED = "routed", "В работе у подразделения"
    REROUTE = "reroute", "«Не наша компетенция» — ждёт перенаправления"
    CLARIFYING = "clarifying", "Уточняющий вопрос автору"
    CONSOLIDATING = "consolidating", "Сводный ответ готовится"
    DRAFT_SUBMITTED = "draft_submitted", "Проект у муниципального куратора"
    AWAITING_APPROVAL = "awaiting_approval", "На согласовании в регионе"
    RETURNED = "returned", "Возвращён на доработку"
    APPROVED = "approved", "Согласован — ждёт публикации"
    INTERMEDIATE = "intermediate", "Промежуточный ответ опубликован"
    PUBLISHED = "published", "Ответ опубликован"
    CLOSED_NO_ANSWER = "closed_no_answer", "Закрыт без ответа (п. 21)"
    CLOSED_UNCLARIFIED = "closed_unclarified", "Закрыт: автор не ответил на уточнение (п. 13)"


CLOSED_STATUSES = (Status.PUBLISHED, Status.CLOSED_NO_ANSWER, Status.CLOSED_UNCLARIFIED)

# `Incident.next_due_at` of an incident with no open step: after every real deadline, so that one
# index on a NOT NULL column sorts «nearest deadline first, the rest after» on both databases.
NO_DUE = datetime(9000, 1, 1, tzinfo=UTC)


class Kind(models.TextChoices):
    INCIDENT = "incident", "Инцидент"
    PUBLICATION = "publication", "Публикация"


class Importance(models.TextChoices):
    NORMAL = "normal", "Обычная"
    HIGH = "high", "Повышенная важность"


class NoAnswerReason(models.TextChoices):
    HARM = "harm", "Намерение причинить вред"
    OBSCENITY = "obscenity", "Нецензурные выражения"
    INSULT = "insult", "Оскорбления"
    THREAT = "threat", "Угрозы жизни, здоровью, имуществу должностного лица или его семьи"


class ReturnReason(models.TextChoices):
    """п. 14: the five reasons a regional curator returns a draft for."""

    SUBSTANCE = "substance", "Не отвечает на суть вопроса"
    VOICE = "voice", "Не в стиле соцсетей: канцелярит, больше двух ссылок на законы, нет фактов"
    REDIRECT = "redirect", "Перенаправляет в другой орган власти края"
    GREETING = "greeting", "Нет приветствия автора"
    SPELLING = "spelling", "Орфографические или пунктуационные ошибки"


class Incident(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="incidents", verbose_name="МО")
    kind = models.CharField("вид", max_length=16, choices=Kind.choices, default=Kind.INCIDENT)
    importance = models.CharField("важность", max_length=8, choices=Importance.choices, default=Importance.NORMAL)
    status = models.CharField("состояние", max_length=24, choices=Status.choices, default=Status.NEW, db_index=True)
    # NULL, not "": many incidents have no regional id, and the unique constraint must ignore them.
    external_id = models.CharField("номер в региональной системе", max_length=200, null=True, blank=True)  # noqa: DJ001
    content_hash = models.CharField("контрольная сумма передачи", max_length=64, blank=True)
    network = models.CharField("соцсеть", max_length=16, choices=Network.choices)
    url = models.URLField("ссылка на сообщение", max_length=1000)
    author_name = models.CharField("автор", max_length=300, blank=True)
    author_url = models.URLField("ссылка на автора", max_length=1000, blank=True)
    text = models.TextField("текст")
    attachments = models.JSONField("вложения", default=list, blank=True)
    topic = models.CharField("тема", max_length=200, blank=True)
    location = models.CharField("место", max_length=300, blank=True)
    detected_at = models.DateTimeField("обнаружено")
    handed_over_at = models.DateTimeField("передано")
    created_at = models.DateTimeField("создано", auto_now_add=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                   verbose_name="кто передал")
    units: models.ManyToManyField[Unit, Assignment] = models.ManyToManyField(
        Unit, through="Assignment", related_name="incidents", verbose_name="подразделения"
    )
    consolidator = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                     verbose_name="готовит сводный ответ")
    no_answer_reason = models.CharField("основание закрытия без ответа", max_length=16,
                                        choices=NoAnswerReason.choices, blank=True)
    no_answer_comment = models.TextField("комментарий к закрытию", blank=True)
    published_url = models.URLField("ссылка на ответ", max_length=1000, blank=True)
    published_at = models.DateTimeField("ответ опубликован", null=True, blank=True)
    intermediate_at = models.DateTimeField("промежуточный ответ опубликован", null=True, blank=True)
    closed_at = models.DateTimeField("закрыто", null=True, blank=True)
    # п. 13: the clarifying question, and since when the answer's clock waits for the author.
    clarification_question = models.TextField("уточняющий вопрос", blank=True)
    paused_at = models.DateTimeField("ожидаем ответа автора с", null=True, blank=True)
    final_timings = models.JSONField("сроки итогового ответа (п. 18)", default=dict, blank=True)
    # The hash of the last history entry: anchors the chain, so a removed entry shows.
    history_head = models.CharField("подпись последней записи истории", max_length=64, blank=True)
    # The nearest open deadline (NO_DUE when none), kept by incidents/deadlines.py with the steps.
    next_due_at = models.DateTimeField("ближайший срок", default=NO_DUE, editable=False)
    # Not a column: the steps `incident_intake` has just written, so the API's answer to a
    # hand-in does not read them back.
    fresh_steps: list[IncidentStep] | None = None

    class Meta:
        verbose_name = "сообщение"
        verbose_name_plural = "сообщения"
        ordering: ClassVar[list[str]] = ["-detected_at"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(
                fields=["municipality", "external_id"], name="incident_unique_external_id"
            ),
        ]
        # The lists sort by (next_due_at, -detected_at, -id): one index for a municipality, one
        # across municipalities (the region), one per common filter.
        indexes: ClassVar[list[Any]] = [
            models.Index(fields=["municipality", "next_due_at", "-detected_at", "-id"], name="incident_mun_due"),
            models.Index(fields=["next_due_at", "-detected_at", "-id"], name="incident_due"),
            models.Index(fields=["municipality", "status", "next_due_at"], name="incident_mun_status_due"),
            # Not (municipality, detected_at): SQLite's planner would take it for every list.
            models.Index(fields=["detected_at"], name="incident_detected"),
        ]

    def __str__(self) -> str:
        return f"№ {self.pk}: {self.text[:60]}"

    @property
    def next_due(self) -> datetime | None:
        """The nearest open deadline, or None."""
        return None if self.next_due_at >= NO_DUE else self.next_due_at

    @property
    def is_high(self) -> bool:
        return self.importance == Importance.HIGH

    @property
    def is_open(self) -> bool:
        return self.status not in CLOSED_STATUSES


class Assignment(models.Model):
    """The incident sent to one unit (п. 10, 19); the executor after substitution (п. 7.2)."""

    class State(models.TextChoices):
        ACTIVE = "active", "В работе"
        NOT_OURS = "not_ours", "Не наша компетенция"
        PART_SUBMITTED = "part_submitted", "Часть ответа направлена"
        WITHDRAWN = "withdrawn", "Снято"
        DONE = "done", "Ответ опубликован"
        CLOSED = "closed", "Сообщение закрыто без ответа"

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assignments")
    executor = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments")
    intended_executor = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    substitution_note = models.CharField(max_length=300, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.ACTIVE)
    dispatched_at = models.DateTimeField()
    not_ours_comment = models.TextField(blank=True)
    part_text = models.TextField(blank=True)
    part_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["dispatched_at", "pk"]

    def __str__(self) -> str:
        return f"{self.unit} — № {self.incident_id}"


class Draft(models.Model):
    """A draft answer. Its text never changes: an edit is a new draft (a new round)."""

    class Kind(models.TextChoices):
        ANSWER = "answer", "Ответ"
        INTERMEDIATE = "intermediate", "Промежуточный ответ"

    class Decision(models.TextChoices):
        PENDING = "", "—"
        APPROVED = "approved", "Согласован"
        RETURNED = "returned", "Возвращён"
        VOIDED = "voided", "Согласование снято: текст изменён"

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="drafts")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.ANSWER)
    round = models.PositiveIntegerField(default=1)
    text = models.TextField()
    text_hash = models.CharField(max_length=64)
    attachments = models.JSONField(default=list, blank=True)
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField()
    forwarded_at = models.DateTimeField(null=True, blank=True)
    decision = models.CharField(max_length=16, choices=Decision.choices, default=Decision.PENDING, blank=True)
    decided_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    return_reasons = models.JSONField(default=list, blank=True)  # [{"code": …, "comment": …}]
    findings = models.JSONField(default=list, blank=True)  # the answer checks at submission
    confirmed_with_errors = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["incident", "round", "pk"]

    def __str__(self) -> str:
        return f"Проект № {self.round} по сообщению № {self.incident_id}"


class IncidentStep(models.Model):
    """One timed step of §3, its deadline computed in working time from the moment named."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="steps")
    # The incident's, copied when the step opens (a step never moves): one municipality's queue
    # walks its own open steps by deadline on one index (step_open_mun_due). No constraint of
    # its own: the incident's already holds, and every insert would check it again.
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+",
                                     db_constraint=False, db_index=False)
    kind = models.CharField(max_length=16, choices=StepKind.choices)
    assignment = models.ForeignKey(Assignment, on_delete=models.PROTECT, null=True, blank=True, related_name="steps")
    actor_role = models.CharField(max_length=32)
    actor = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    started_at = models.DateTimeField()
    seconds = models.PositiveIntegerField(default=0)  # working seconds allowed
    # Working seconds added while the clock waited for the author's clarification (п. 13).
    extra_seconds = models.PositiveIntegerField(default=0)
    days = models.PositiveIntegerField(default=0)  # or working days (ст. 191)
    due_at = models.DateTimeField(db_index=True)
    # No index of its own: the partial indexes below («WHERE done_at IS NULL») serve the open
    # steps, and a plain one lured SQLite's planner away from them.
    done_at = models.DateTimeField(null=True, blank=True)
    warned_shares = models.JSONField(default=list, blank=True)
    missed_notified_at = models.DateTimeField(null=True, blank=True)
    # The moments the warning shares of the policy are reached ({"0.5": iso, "0.8": iso}) and the
    # next moment the monitor must look at the step (NULL: nothing more to tell); deadlines.py.
    warn_at = models.JSONField(default=dict, blank=True)
    next_alert_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["due_at", "pk"]
        indexes: ClassVar[list[Any]] = [
            # The monitor's one query per tick.
            models.Index(fields=["next_alert_at"], name="step_next_alert",
                         condition=models.Q(done_at__isnull=True, next_alert_at__isnull=False)),
            # The queue: open steps soonest first, and an incident's open steps.
            models.Index(fields=["due_at", "id"], name="step_open_due", condition=models.Q(done_at__isnull=True)),
            models.Index(fields=["municipality", "due_at", "id"], name="step_open_mun_due",
                         condition=models.Q(done_at__isnull=True)),
            models.Index(fields=["incident", "due_at"], name="step_open_incident",
                         condition=models.Q(done_at__isnull=True)),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — № {self.incident_id}"

    @property
    def is_open(self) -> bool:
        return self.done_at is None


class IncidentEvent(models.Model):
    """Append-only, hash-chained history: who, when, what, from which state to which."""

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="events", verbose_name="сообщение")
    seq = models.PositiveIntegerField("№")
    at = models.DateTimeField("когда")
    actor = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                              verbose_name="сотрудник")
    actor_label = models.CharField("кто", max_length=300)
    action = models.CharField("действие", max_length=64)
    from_status = models.CharField("из состояния", max_length=24, blank=True)
    to_status = models.CharField("в состояние", max_length=24, blank=True)
    payload = models.JSONField("подробности", default=dict, blank=True)
    prev_hash = models.CharField("подпись предыдущей записи", max_length=64)
    hash = models.CharField("подпись", max_length=64)
    # Personal data erased from the payload (152-ФЗ): the blanked entry is sealed (history.py).
    erased_at = models.DateTimeField("персональные данные удалены", null=True, blank=True)
    erased_seal = models.CharField("печать после удаления", max_length=64, blank=True)

    class Meta:
        verbose_name = "запись истории"
        verbose_name_plural = "история сообщений"
        ordering: ClassVar[list[str]] = ["incident", "seq"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["incident", "seq"], name="event_unique_seq"),
        ]

    def __str__(self) -> str:
        return f"№ {self.incident_id}.{self.seq}: {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PermissionError("История инцидента не изменяется.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError("История инцидента не удаляется.")

    @property
    def action_label(self) -> str:
        from otklik.incidents.transitions import ACTION_LABELS

        return ACTION_LABELS.get(self.action, self.action)


class DeadlinePolicy(models.Model):
    """Per-municipality step timings from a date; keys of StepKind → [amount, "m"|"d"]."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="deadline_policies",
                                     verbose_name="МО")
    effective_from = models.DateField("действует с")
    timings = models.JSONField("сроки шагов", default=dict, help_text=(
        'Минуты ("m") или рабочие дни ("d"), например {"answer": [540, "m"], "final_answer": [7, "d"], '
        '"clarify_wait": [480, "m"]}'))
    warn_shares = models.JSONField("напоминать при доле срока", default=list, blank=True,
                                   help_text="Например [0.5, 0.8]")

    class Meta:
        verbose_name = "сроки регламента"
        verbose_name_plural = "сроки регламента"
        ordering: ClassVar[list[str]] = ["municipality", "effective_from"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["municipality", "effective_from"], name="policy_unique_from"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: с {self.effective_from:%d.%m.%Y}"


class TopicRoute(models.Model):
    """Configuration: a topic's unit, for the routing suggestion."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="topic_routes",
                                     verbose_name="МО")
    topic = models.CharField("тема", max_length=200)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+", verbose_name="подразделение")

    class Meta:
        verbose_name = "подразделение по теме"
        verbose_name_plural = "подразделения по темам"
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["municipality", "topic"], name="topic_route_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.topic} → {self.unit}"


class TopicModelStore(models.Model):
    """The unit suggestion learned from a municipality's routing decisions (TopicModel as JSON).

    `routed` is the count of routed incidents it was trained on: retrained when it grew by ten.
    """

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, related_name="topic_model")
    model_json = models.TextField()
    examples = models.PositiveIntegerField(default=0)
    routed = models.PositiveIntegerField(default=0)
    trained_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.municipality}: {self.examples} примеров"


class Attachment(models.Model):
    """A photo or video of a draft, stored under the media root under a random name.

    Served only through the access-checked view (personal data); `name` is the user's file
    name, for display only.
    """

    class Kind(models.TextChoices):
        PHOTO = "photo", "Фото"
        VIDEO = "video", "Видео"

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="files")
    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, null=True, blank=True, related_name="files")
    file = models.FileField(upload_to="attachments/%Y/%m/", max_length=200)
    name = models.CharField(max_length=255)
    kind = models.CharField(max_length=8, choices=Kind.choices)
    content_type = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering: ClassVar[list[str]] = ["incident", "pk"]

    def __str__(self) -> str:
        return f"{self.name} — № {self.incident_id}"

    @property
    def shows_inline(self) -> bool:
        """A photo the browser can show as <img> (HEIC mostly cannot)."""
        return self.content_type in ("image/jpeg", "image/png", "image/webp")


class HistoryCheck(models.Model):
    """One run of the history verification (daily in the worker, or on an administrator's
    request): what it found, for the administrator's page and the incident's banner."""

    ran_at = models.DateTimeField(db_index=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+")  # None: every municipality
    events_checked = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True)  # [{"incident", "seq", "problem"}]

    class Meta:
        ordering: ClassVar[list[str]] = ["-ran_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.ran_at:%d.%m.%Y %H:%M}: нарушений {len(self.problems)}"


class AnswerTemplate(models.Model):
    """A reusable answer text of a municipality, for a topic, with placeholders that the
    editor fills for the incident: {имя}, {адрес}, {дата}. Checked when saved (§5)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="answer_templates",
                                     verbose_name="МО")
    topic = models.CharField("тема", max_length=200, blank=True, help_text="Пусто — для любой темы.")
    title = models.CharField("название", max_length=200)
    text = models.TextField("текст", help_text="Подстановки: {имя} — имя автора, {адрес} — место из сообщения, "
                                               "{дата} — сегодняшняя дата.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "шаблон ответа"
        verbose_name_plural = "шаблоны ответов"
        ordering: ClassVar[list[str]] = ["municipality", "topic", "title"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["municipality", "title"], name="answer_template_unique_title"),
        ]

    def __str__(self) -> str:
        return self.title


class Publication(models.Model):
    """An approved answer on its way out through a network (п. 16), one row per attempt series.

    The state machine lives in `incidents/publishing.py`. `text_hash` is the approved text's
    hash at the request: the worker publishes only if the draft still carries it. After a
    call whose outcome is unknown (timeout, a worker that died mid-call) the row is `unknown`
    and the next attempt first looks for the reply in the network (never twice).
    """

    class State(models.TextChoices):
        PENDING = "pending", "Ожидает отправки"
        SENDING = "sending", "Публикуется"
        UNKNOWN = "unknown", "Неизвестно, дошёл ли ответ: проверяем"
        CHECK = "check", "Проверьте в сети вручную"
        DONE = "done", "Опубликован"
        FAILED = "failed", "Не опубликован"
        CANCELLED = "cancelled", "Отменено"

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="publications")
    draft = models.ForeignKey(Draft, on_delete=models.PROTECT, related_name="publications")
    page = models.ForeignKey("pages.OfficialPage", on_delete=models.PROTECT, related_name="publications")
    target_post = models.CharField(max_length=100)
    target_comment = models.CharField(max_length=100, blank=True)
    text_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING, db_index=True)
    requested_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField()
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    # Set once a call may have reached the network: every later attempt looks before it sends.
    maybe_sent = models.BooleanField(default=False)
    error_kind = models.CharField(max_length=20, blank=True)
    last_error = models.TextField(blank=True)
    url = models.URLField(max_length=1000, blank=True)
    external_id = models.CharField(max_length=100, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["-requested_at", "-pk"]
        constraints: ClassVar[list[Any]] = [
            # One live publication per incident: a double click or two curators cannot send twice.
            models.UniqueConstraint(fields=["incident"], name="publication_one_live",
                                    condition=models.Q(state__in=["pending", "sending", "unknown", "check"])),
        ]

    def __str__(self) -> str:
        return f"Публикация ответа по сообщению № {self.incident_id}"

    @property
    def live(self) -> bool:
        return self.state in (self.State.PENDING, self.State.SENDING, self.State.UNKNOWN, self.State.CHECK)
