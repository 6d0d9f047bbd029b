"""The administrator's page of API keys: list, issue (the token shown once), revoke."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from otklik.api.keys import apikey_issue, apikey_revoke, apikeys_for
from otklik.core.access import requires
from otklik.core.forms import IdChoiceField
from otklik.incidents.transitions import Invalid, NotFound
from otklik.org.models import Person
from otklik.org.roles import Role
from otklik.org.selectors import Access


class KeyForm(forms.Form):
    name = forms.CharField(label="Для чего ключ", max_length=200,
                           help_text="Например: «Региональная система ЦУР» или «бот куратора»")
    person = IdChoiceField(queryset=Person.objects.none(), required=False, label="От имени сотрудника",
                                    empty_label="Никого: системная интеграция (только передача и чтение)")
    expires_on = forms.DateField(label="Действует до (включительно)", required=False,
                                 widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, access: Access, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("forms.ModelChoiceField[Person]", self.fields["person"])
        field.queryset = Person.objects.filter(municipality_id=access.person.municipality_id or 0).order_by("full_name")


@requires(Role.ADMINISTRATOR)
def keys(request: HttpRequest, access: Access) -> HttpResponse:
    if access.person.municipality_id is None:
        raise Http404("Нет МО")
    form = KeyForm(request.POST or None, access=access)
    token = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                key, token = apikey_issue(access=access, name=d["name"],
                                          person_id=d["person"].pk if d["person"] else None,
                                          expires_on=d["expires_on"])
            except Invalid as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
                status = 400
            else:
                messages.success(request, f"Ключ «{key.name}» выпущен. Скопируйте токен сейчас: он не будет показан снова.")
                form = KeyForm(access=access)
        else:
            status = 400
    response = render(request, "api/keys.html", {"keys": apikeys_for(access=access), "form": form, "token": token},
                      status=status)
    response["Cache-Control"] = "no-store"  # the token must not stay in a cache
    return response


@requires(Role.ADMINISTRATOR)
def revoke(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    if not apikeys_for(access=access).filter(pk=pk).exists():
        raise Http404("Ключ не найден.")
    if request.method != "POST":
        return redirect("api-keys")
    try:
        key = apikey_revoke(access=access, key_id=pk)
    except NotFound as exc:
        raise Http404(str(exc)) from None
    messages.success(request, f"Ключ «{key.name}» отозван.")
    return redirect("api-keys")
