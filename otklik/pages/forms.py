"""Input of the vault's actions: which secret, why, the new value."""

from __future__ import annotations

from django import forms

from otklik.pages.models import SecretKind
from otklik.pages.vault import REASON_MIN


class RevealForm(forms.Form):
    kind = forms.ChoiceField(choices=SecretKind.choices, widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Зачем нужен доступ", min_length=REASON_MIN, max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2, "minlength": REASON_MIN, "required": True}),
        error_messages={"min_length": f"Напишите причину подробнее: не короче {REASON_MIN} знаков.",
                        "required": "Напишите, зачем нужен доступ."},
        help_text="Причина попадёт в историю страницы; начальнику общего отдела придёт письмо.",
    )


class ChangeForm(forms.Form):
    kind = forms.ChoiceField(choices=SecretKind.choices, widget=forms.HiddenInput)
    value = forms.CharField(label="Новое значение", max_length=4000, strip=False,
                            widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                            error_messages={"required": "Введите новое значение."})


class RotateForm(forms.Form):
    kind = forms.ChoiceField(choices=[(SecretKind.PASSWORD.value, SecretKind.PASSWORD.label)],
                             widget=forms.HiddenInput)
