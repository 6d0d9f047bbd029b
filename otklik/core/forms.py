"""Form fields shared by the screens: outside links, texts with a limit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from otklik.core.links import MAX_LINK, LinkError, link_clean


class LinkField(forms.CharField):
    """An http(s) link from outside; anything else (javascript:, data:, ftp:) is a form error."""

    widget = forms.URLInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", MAX_LINK)
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = super().clean(value)
        if not text:
            return ""
        try:
            return link_clean(text, field=str(self.label or "Ссылка"))
        except LinkError as exc:
            raise ValidationError(str(exc), code="invalid") from None


class TextField(forms.CharField):
    """A message, answer or comment: not blank, not only spaces, at most OTKLIK_MAX_TEXT."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", settings.OTKLIK_MAX_TEXT)
        kwargs.setdefault("error_messages", {
            "required": "Заполните это поле: текст не может быть пустым.",
            "max_length": "Не длиннее %(limit_value)d символов (сейчас %(show_value)d).",
        })
        super().__init__(**kwargs)  # strip=True by default: spaces only → empty → required
