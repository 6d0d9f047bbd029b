"""Answer templates: the list, a new one, editing and deleting (curator, general head, admin)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from otklik.core.access import requires
from otklik.core.forms import TextField
from otklik.incidents.answer_templates import (
    EDITOR_ROLES,
    template_delete,
    template_save,
    templates_for,
)
from otklik.incidents.transitions import Invalid, NotFound
from otklik.org.selectors import Access


class TemplateForm(forms.Form):
    title = forms.CharField(label="Название", max_length=200)
    topic = forms.CharField(label="Тема (пусто — для любой)", max_length=200, required=False)
    text = TextField(label="Текст ответа", widget=forms.Textarea(attrs={"rows": 6}),
                     help_text="Подстановки: {имя} — имя автора, {адрес} — место из сообщения, {дата} — сегодня.")


def _save(request: HttpRequest, access: Access, form: TemplateForm, pk: int | None) -> bool:
    if not form.is_valid():
        return False
    d = form.cleaned_data
    try:
        template_save(access=access, title=d["title"], topic=d["topic"], text=d["text"], pk=pk)
    except Invalid as exc:
        form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        return False
    except NotFound as exc:
        raise Http404(str(exc)) from None
    messages.success(request, "Шаблон сохранён.")
    return True


@requires(*EDITOR_ROLES)
def templates(request: HttpRequest, access: Access) -> HttpResponse:
    if access.person.municipality_id is None:
        raise Http404("Нет МО")
    form = TemplateForm(request.POST or None)
    if request.method == "POST" and _save(request, access, form, None):
        return redirect("incidents:templates")
    return render(request, "incidents/templates.html", {"templates": templates_for(access=access), "form": form},
                  status=400 if form.errors else 200)


@requires(*EDITOR_ROLES)
def template_edit(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    if access.person.municipality_id is None:
        raise Http404("Нет МО")
    template = templates_for(access=access).filter(pk=pk).first()
    if template is None:
        raise Http404("Шаблон не найден")
    if request.method == "POST" and "delete" in request.POST:
        template_delete(access=access, pk=pk)
        messages.success(request, "Шаблон удалён.")
        return redirect("incidents:templates")
    form = TemplateForm(request.POST or None, initial={"title": template.title, "topic": template.topic,
                                                       "text": template.text})
    if request.method == "POST" and _save(request, access, form, pk):
        return redirect("incidents:templates")
    return render(request, "incidents/template_edit.html", {"template": template, "form": form},
                  status=400 if form.errors else 200)
