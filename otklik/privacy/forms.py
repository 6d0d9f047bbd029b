"""The administrator's forms for personal data (input only; the services decide)."""

from __future__ import annotations

from django import forms

from otklik.privacy.models import MIN_KEEP_YEARS

AUTHOR_URL_HELP = "Ссылка на страницу автора в соцсети, например https://vk.com/id123456"


class PolicyForm(forms.Form):
    keep_years = forms.IntegerField(label="Хранить персональные данные после закрытия сообщения, лет",
                                    min_value=MIN_KEEP_YEARS, max_value=75,
                                    help_text="Не меньше года: ежемесячный отчёт сравнивается с прошлым годом.")
    access_log_years = forms.IntegerField(label="Хранить журнал просмотров, лет", min_value=MIN_KEEP_YEARS,
                                          max_value=75)


class EraseForm(forms.Form):
    author_url = forms.CharField(label="Ссылка на профиль автора", max_length=1000, help_text=AUTHOR_URL_HELP)
    requested_on = forms.DateField(label="Дата запроса", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label="Основание", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="Например: заявление от 01.12.2026, вх. № 15")
    confirm = forms.BooleanField(label="Понимаю, что удалённое не восстановить", required=True)


class ExportForm(forms.Form):
    author_url = forms.CharField(label="Ссылка на профиль автора", max_length=1000, help_text=AUTHOR_URL_HELP)
