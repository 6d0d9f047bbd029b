"""Form fields shared by the screens: outside links, texts with a limit."""

from __future__ import annotations

import re
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


# A database id as a form sends it: a number the database can hold (larger ones overflow the
# database's integer and would end in a 500 instead of «not a valid choice»).
_ID = re.compile(r"[0-9]{1,18}")


def _id_or_refuse(field: forms.Field, value: Any) -> None:
    if value in field.empty_values:
        return
    if not _ID.fullmatch(str(value).strip()):
        raise ValidationError(field.error_messages["invalid_choice"], code="invalid_choice",
                              params={"value": value})


class IdChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A model choice that refuses what cannot be an id before asking the database."""

    def to_python(self, value: Any) -> Any:
        _id_or_refuse(self, value)
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def clean(self, value: Any) -> Any:
        for item in value if isinstance(value, list | tuple) else [value]:
            if item in self.empty_values:
                continue
            if not _ID.fullmatch(str(item).strip()):
                raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                      params={"pk": item})
        return super().clean(value)
