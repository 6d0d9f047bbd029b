"""The administrator's page of the history's integrity: the last check and a check now."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from otklik.core.access import requires
from otklik.incidents.integrity import integrity_check, integrity_problems_for
from otklik.org.roles import Role
from otklik.org.selectors import Access


@requires(Role.ADMINISTRATOR)
def integrity(request: HttpRequest, access: Access) -> HttpResponse:
    municipality_id = access.person.municipality_id
    if municipality_id is None:
        raise Http404("Нет МО")
    if request.method == "POST":
        done = integrity_check(municipality_id=municipality_id)
        if done.problems:
            messages.error(request, f"Проверка нашла нарушений: {len(done.problems)}.")
        else:
            messages.success(request, f"Проверено записей: {done.events_checked}. Нарушений нет.")
        return redirect("integrity")
    check, problems = integrity_problems_for(municipality_id=municipality_id)
    return render(request, "incidents/integrity.html", {"check": check, "problems": problems})
