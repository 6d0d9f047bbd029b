"""Comments on official pages and what was decided about them (Прил. 1 п. 8, Прил. 2 п. 2.3).

A comment is stored once per page and network id (a push and a poll of the same comment meet
here: none is read twice); its screening is kept with the spans; every decision is a
`ModerationAction`, carried out by the worker through the network (an outbox row) and written
to the page's signed history; a black-listing is a `Ban` with its term.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

from otklik.org.models import Person
from otklik.pages.models import OfficialPage

CODES = ("obscenity", "insult", "threat", "spam", "law")
CODE_LABELS = {"obscenity": "нецензурная брань", "insult": "оскорбление", "threat": "угроза", "spam": "спам",
               "law": "нарушает закон"}


class ModerationRule(models.Model):
    """What happens on its own on one page; the rest waits for the moderator."""

    page = models.OneToOneField(OfficialPage, on_delete=models.CASCADE, related_name="moderation_rule")
    delete_codes = models.JSONField("удалять сразу", default=list, blank=True)
    ban_codes = models.JSONField("и вносить в чёрный список", default=list, blank=True)
    ban_days = models.PositiveIntegerField("срок автоматического чёрного списка, дней (0 — навсегда)", default=7)
    auto_publication = models.BooleanField("вопросы и жалобы — сразу в работу", default=False)
    callback_confirmation = models.CharField("код подтверждения Callback API (VK)", max_length=100, blank=True)
    callback_secret_sealed = models.TextField("секрет вебхука (зашифрован)", blank=True, editable=False)

    def __str__(self) -> str:
        return f"Правила модерации: {self.page}"


class PageComment(models.Model):
    class State(models.TextChoices):
        NEW = "new", "Новый"
        QUEUED = "queued", "Ждёт модератора"
        KEPT = "kept", "Оставлен"
        DELETED = "deleted", "Удалён"
        CLEAN = "clean", "Без замечаний"

    page = models.ForeignKey(OfficialPage, on_delete=models.PROTECT, related_name="comments")
    network_id = models.CharField(max_length=100)
    post_id = models.CharField(max_length=100, blank=True)
    reply_to = models.CharField(max_length=100, blank=True)
    author_id = models.CharField(max_length=100, blank=True)
    author_name = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    written_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(db_index=True)
    via = models.CharField(max_length=8, default="poll")  # push | poll
    from_page = models.BooleanField(default=False)
    state = models.CharField(max_length=8, choices=State.choices, default=State.NEW, db_index=True)
    findings = models.JSONField(default=list, blank=True)  # [{"code","kind","start","end","reason","severity"}]
    needs_answer = models.BooleanField(default=False)
    edited = models.BooleanField(default=False)
    incident = models.ForeignKey("incidents.Incident", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+")

    class Meta:
        ordering: ClassVar[list[str]] = ["-received_at", "-pk"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["page", "network_id"], name="comment_once_per_page"),
        ]

    def __str__(self) -> str:
        return f"Комментарий {self.network_id} на «{self.page}»"

    @property
    def codes(self) -> list[str]:
        return sorted({str(f.get("code")) for f in self.findings or []})


class ModerationAction(models.Model):
    """A decision about a comment or an author, and its execution in the network."""

    class Kind(models.TextChoices):
        DELETE = "delete", "Удалить"
        RESTORE = "restore", "Восстановить"
        BAN = "ban", "В чёрный список"
        UNBAN = "unban", "Из чёрного списка"
        KEEP = "keep", "Оставить"
        PUBLICATION = "publication", "В работу (публикация)"

    class State(models.TextChoices):
        PENDING = "pending", "Ожидает"
        DONE = "done", "Выполнено"
        FAILED = "failed", "Ошибка"
        LOCAL = "local", "Без обращения к сети"

    comment = models.ForeignKey(PageComment, on_delete=models.PROTECT, null=True, blank=True, related_name="actions")
    page = models.ForeignKey(OfficialPage, on_delete=models.PROTECT, related_name="moderation_actions")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    auto = models.BooleanField(default=False)
    reason = models.CharField(max_length=300, blank=True)
    author_id = models.CharField(max_length=100, blank=True)
    actor = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(db_index=True)
    state = models.CharField(max_length=8, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)
    undone_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.comment or self.author_id}"


class Ban(models.Model):
    """An author black-listed on a page, with the term and the reason."""

    page = models.ForeignKey(OfficialPage, on_delete=models.PROTECT, related_name="bans")
    author_id = models.CharField(max_length=100)
    author_name = models.CharField(max_length=300, blank=True)
    reason = models.CharField(max_length=300)
    until = models.DateTimeField(null=True, blank=True)  # None: forever
    by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField()
    lifted_at = models.DateTimeField(null=True, blank=True)
    lifted_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering: ClassVar[list[str]] = ["-at", "-pk"]

    def __str__(self) -> str:
        return f"{self.author_name or self.author_id} на «{self.page}»"


class IntakeMarker(models.Model):
    """Where polling of a page (or one of its posts) stopped: the next poll starts there."""

    page = models.ForeignKey(OfficialPage, on_delete=models.CASCADE, related_name="intake_markers")
    scope = models.CharField(max_length=100, default="")  # "" page-wide, else a post id
    marker = models.TextField(blank=True)
    polled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["page", "scope"], name="intake_marker_once"),
        ]

    def __str__(self) -> str:
        return f"{self.page}: {self.scope or 'вся страница'}"
