"""The post composer's form: pages, text, time, poll, photos and video."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import QuerySet
from django.urls import reverse

from otklik.core.forms import IdMultipleChoiceField, TextField
from otklik.pages.models import OfficialPage


class PageChoice(IdMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        owner = obj.unit.name if obj.unit else "администрация"
        return f"{obj.name} — {obj.get_network_display()} ({owner})"


class PostForm(forms.Form):
    pages = PageChoice(queryset=OfficialPage.objects.none(), widget=forms.CheckboxSelectMultiple,
                       label="Страницы", error_messages={"required": "Выберите хотя бы одну страницу."})
    text = TextField(label="Текст публикации", widget=forms.Textarea(attrs={"rows": 8}))
    publish_at = forms.DateTimeField(label="Опубликовать в (пусто — сразу после согласования)", required=False,
                                     widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                                format="%Y-%m-%dT%H:%M"),
                                     input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"])
    poll_question = forms.CharField(label="Опрос: вопрос (необязательно)", required=False, max_length=255)
    poll_options = forms.CharField(label="Варианты ответа — по одному в строке", required=False,
                                   widget=forms.Textarea(attrs={"rows": 3}), max_length=1100)
    poll_multiple = forms.BooleanField(label="Можно выбрать несколько", required=False)

    def __init__(self, *args: Any, pages: QuerySet[OfficialPage], tz: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tz = ZoneInfo(tz)
        field = self.fields["pages"]
        assert isinstance(field, PageChoice)  # noqa: S101
        field.queryset = pages.select_related("unit").order_by("unit__name", "network", "name")
        self.fields["text"].widget.attrs.update({
            "hx-post": reverse("posts:check"), "hx-trigger": "input changed delay:500ms, recheck",
            "hx-target": "#findings", "hx-swap": "outerHTML", "hx-sync": "this:replace",
            "hx-include": "[name=pages]", "class": "draft-text",
        })

    def clean_publish_at(self) -> datetime | None:
        value: datetime | None = self.cleaned_data.get("publish_at")
        if value is None:
            return None
        # The clerk types local time of the municipality, whatever the browser's zone.
        return value.replace(tzinfo=self.tz) if value.tzinfo is None else value.astimezone(self.tz)

    def poll(self) -> dict[str, Any] | None:
        question = (self.cleaned_data.get("poll_question") or "").strip()
        if not question:
            return None
        options = [line.strip() for line in (self.cleaned_data.get("poll_options") or "").splitlines() if line.strip()]
        return {"question": question, "options": options, "multiple": self.cleaned_data.get("poll_multiple", False)}


class EditForm(forms.Form):
    text = TextField(label="Новый текст", widget=forms.Textarea(attrs={"rows": 8}))


class ReturnForm(forms.Form):
    comment = TextField(label="Что исправить", widget=forms.Textarea(attrs={"rows": 3}))
