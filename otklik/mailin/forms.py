"""The form of the confirmation page: the text as the sender now wants it, and the confirmation."""

from __future__ import annotations

from django import forms

from otklik.core.forms import TextField


class HeldForm(forms.Form):
    text = TextField(label="Проект ответа", widget=forms.Textarea)
    confirm_errors = forms.BooleanField(label="Отправить, несмотря на ошибки проверки", required=False)
