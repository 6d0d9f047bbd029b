"""Posts on official pages (Прил. 1 п. 5–7): one text for one or several pages.

A post's text is checked in the publication voice (п. 7), approved by the head of the general
department when it goes to a page of the administration (п. 3; the approval is bound to the
text's hash), and published by the worker to each page: one `PostTarget` per page, an outbox
row with its own state, the network's post id and link (never twice, as for answers).
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.db import models

from otklik.org.models import Municipality, Person
from otklik.pages.models import OfficialPage


class Post(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "Черновик"
        AWAITING = "awaiting", "На согласовании"
        APPROVED = "approved", "Согласован"
        PUBLISHING = "publishing", "Публикуется"
        PUBLISHED = "published", "Опубликован"
        PARTIAL = "partial", "Опубликован не везде"
        FAILED = "failed", "Не опубликован"
        DELETED = "deleted", "Удалён"

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="posts")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="posts")
    text = models.TextField("текст")
    text_hash = models.CharField(max_length=64)
    poll = models.JSONField("опрос", default=dict, blank=True)  # {"question", "options": [...], "multiple"}
    state = models.CharField(max_length=12, choices=State.choices, default=State.DRAFT, db_index=True)
    needs_approval = models.BooleanField(default=True)
    publish_at = models.DateTimeField("опубликовать в", null=True, blank=True, db_index=True)
    approved_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_hash = models.CharField(max_length=64, blank=True)
    return_comment = models.TextField(blank=True)
    findings = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    # A published post whose text changed: after approval the new text goes to every page.
    edit_pending = models.BooleanField(default=False)

    class Meta:
        ordering: ClassVar[list[str]] = ["-created_at", "-pk"]
        verbose_name = "публикация"
        verbose_name_plural = "публикации"

    def __str__(self) -> str:
        return f"Публикация № {self.pk}"

    @property
    def when(self) -> Any:
        """The moment it is planned for or went out (for the calendar)."""
        return self.published_at or self.publish_at or self.created_at


class PostMedia(models.Model):
    """A photo or video of a post, kept under the access-checked media directory."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="media")
    kind = models.CharField(max_length=8, default="photo")  # photo | video
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    file = models.FileField(upload_to="posts/%Y/%m/")
    size = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return self.name


class PostTarget(models.Model):
    """The post on one page: the outbox row the worker publishes, edits or deletes."""

    class State(models.TextChoices):
        WAITING = "waiting", "Ждёт согласования или времени"
        PENDING = "pending", "Ожидает отправки"
        SENDING = "sending", "Отправляется"
        UNKNOWN = "unknown", "Неизвестно, дошло ли: проверяем"
        CHECK = "check", "Проверьте на странице вручную"
        DONE = "done", "Опубликован"
        FAILED = "failed", "Ошибка"
        DELETED = "deleted", "Удалён"

    class Op(models.TextChoices):
        PUBLISH = "publish", "публикация"
        EDIT = "edit", "изменение"
        DELETE = "delete", "удаление"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="targets")
    page = models.ForeignKey(OfficialPage, on_delete=models.PROTECT, related_name="post_targets")
    state = models.CharField(max_length=10, choices=State.choices, default=State.WAITING, db_index=True)
    op = models.CharField(max_length=8, choices=Op.choices, default=Op.PUBLISH)
    text_hash = models.CharField(max_length=64, blank=True)  # the hash of the text this op sends
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, db_index=True)
    sending_since = models.DateTimeField(null=True, blank=True)
    maybe_sent = models.BooleanField(default=False)
    network_post_id = models.CharField(max_length=100, blank=True)
    url = models.URLField(max_length=1000, blank=True)
    error_kind = models.CharField(max_length=20, blank=True)
    last_error = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["post", "page__network", "pk"]
        constraints: ClassVar[list[Any]] = [
            models.UniqueConstraint(fields=["post", "page"], name="post_target_once_per_page"),
        ]

    def __str__(self) -> str:
        return f"{self.post} → {self.page}"


class PostEvent(models.Model):
    """What happened to a post, in order (who, when, what): its plain history."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    actor = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    actor_label = models.CharField(max_length=300)
    action = models.CharField(max_length=40)
    details = models.TextField(blank=True)

    class Meta:
        ordering: ClassVar[list[str]] = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.post}: {self.action}"

    @property
    def label(self) -> str:
        return EVENT_LABELS.get(self.action, self.action)


EVENT_LABELS = {"create": "создана", "approve": "согласована", "return": "возвращена автору", "edit": "текст изменён",
                "publish": "отправлена на публикацию", "delete": "удалена", "network": "сеть"}
