"""Posts in the interface: the list, the composer with live voice checks and previews, a post's
page with its actions, the content calendar and the weekly cadence board."""

from __future__ import annotations

import calendar as cal
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from otklik.channels import clients
from otklik.core.access import ALL_ROLES, requires
from otklik.incidents.attachments import AttachmentError
from otklik.incidents.transitions import Forbidden, Invalid, NotFound, TransitionError
from otklik.incidents.views import SEVERITY, _utf16, highlight
from otklik.org.selectors import Access
from otklik.posts import publishing
from otklik.posts import services as svc
from otklik.posts.cadence import board
from otklik.posts.forms import EditForm, PostForm, ReturnForm
from otklik.posts.models import Post, PostTarget

NETWORK_NAMES = {"vk": "ВКонтакте", "ok": "Одноклассники", "telegram": "Telegram", "max": "MAX"}


def _tz(access: Access) -> str:
    municipality = access.person.municipality
    return municipality.time_zone if municipality else "Europe/Moscow"


def _slug(access: Access) -> str:
    return access.person.municipality.slug if access.person.municipality else ""


def check_context(text: str, findings: list[dict[str, Any]]) -> dict[str, Any]:
    items = [{**x, "severity_label": SEVERITY.get(str(x["severity"]), str(x["severity"])),
              "start16": _utf16(text, int(x["start"])), "end16": _utf16(text, int(x["end"])),
              "original": text[int(x["start"]):int(x["end"])]} for x in findings]
    return {"items": items, "errors": sum(1 for x in findings if x["severity"] == "error"),
            "highlighted": highlight(text, [(int(x["start"]), int(x["end"]), f"finding {x['severity']}",
                                             str(x["message"])) for x in findings])}


def previews(text: str, networks: list[str]) -> list[dict[str, Any]]:
    """Per network: the length against its limit, and the text as it will read."""
    rows = []
    for network in sorted(set(networks)):
        limit = clients.max_text(network)
        rows.append({"network": network, "name": NETWORK_NAMES.get(network, network), "length": len(text),
                     "limit": limit, "over": len(text) > limit, "text": text})
    return rows


@requires(ALL_ROLES)
def post_list(request: HttpRequest, access: Access) -> HttpResponse:
    state = request.GET.get("state", "")
    rows = svc.posts_for(access).select_related("author").prefetch_related("targets__page")
    if state in Post.State.values:
        rows = rows.filter(state=state)
    return render(request, "posts/list.html", {
        "posts": rows[:100], "state": state, "states": Post.State.choices,
        "can_post": svc.pages_for(access).exists(), "now": timezone.now(),
    })


@requires(ALL_ROLES)
def post_new(request: HttpRequest, access: Access) -> HttpResponse:
    pages = svc.pages_for(access)
    if not pages.exists():
        return render(request, "core/forbidden.html", status=403)
    form = PostForm(request.POST or None, request.FILES or None, pages=pages, tz=_tz(access))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            post = svc.post_create(access=access, page_ids=[p.pk for p in d["pages"]], text=d["text"],
                                   publish_at=d["publish_at"], poll=form.poll(),
                                   files=request.FILES.getlist("files"))
        except (Invalid, Forbidden, AttachmentError) as exc:
            field = getattr(exc, "field", "")
            form.add_error(field if field in form.fields else None, str(exc))
        else:
            messages.success(request, "Публикация создана." + (" Она ждёт согласования начальника общего отдела."
                                                               if post.state == Post.State.AWAITING else ""))
            return redirect("posts:detail", pk=post.pk)
    text = request.POST.get("text", "")
    networks = [p.network for p in form.cleaned_data.get("pages", [])] if form.is_bound and hasattr(
        form, "cleaned_data") else []
    return render(request, "posts/new.html", {
        "form": form, "check": check_context(text, svc.voice_findings(text, _slug(access))) if text.strip() else None,
        "previews": previews(text, networks) if text else [],
    }, status=400 if request.method == "POST" else 200)


@requires(ALL_ROLES)
def post_check(request: HttpRequest, access: Access) -> HttpResponse:
    """The voice checks and the per-network previews of the typed text (htmx)."""
    if request.method != "POST":
        return redirect("posts:new")
    text = request.POST.get("text", "")[:20000]
    ids = [int(x) for x in request.POST.getlist("pages") if x.isdigit() and len(x) < 19]
    networks = list(svc.pages_for(access).filter(pk__in=ids).values_list("network", flat=True))
    return render(request, "posts/new.html#findings", {
        "check": check_context(text, svc.voice_findings(text, _slug(access))) if text.strip() else None,
        "previews": previews(text, networks)})


def _get(access: Access, pk: int) -> Post:
    try:
        return svc.post_get(access, pk)
    except NotFound as exc:
        raise Http404(str(exc)) from exc


@requires(ALL_ROLES)
def post_detail(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    post = _get(access, pk)
    targets = list(post.targets.select_related("page").order_by("page__network", "page_id"))
    live = any(t.state in (PostTarget.State.PENDING, PostTarget.State.SENDING, PostTarget.State.UNKNOWN)
               for t in targets) and post.state == Post.State.PUBLISHING
    return render(request, "posts/detail.html", {
        "post": post, "targets": targets, "state_text": svc.scheduled_text(post),
        "check": check_context(post.text, post.findings) if post.findings else None,
        "can_approve": svc.can_approve(access, post) and post.state == Post.State.AWAITING,
        "can_edit": post.author_id == access.person.pk or access.has(*svc.WIDE),
        "edit_form": EditForm(initial={"text": post.text}), "return_form": ReturnForm(),
        "events": post.events.all(), "live": live, "media": post.media.all(),
        "previews": previews(post.text, [t.page.network for t in targets]),
    })


ACTIONS = {
    "approve": lambda a, pk, data: svc.post_approve(access=a, post_id=pk, text_hash_seen=data.get("text_hash_seen")),
    "return": lambda a, pk, data: svc.post_return(access=a, post_id=pk, comment=data.get("comment", "")),
    "edit": lambda a, pk, data: svc.post_edit(access=a, post_id=pk, text=data.get("text", "")),
    "publish": lambda a, pk, data: svc.post_publish(access=a, post_id=pk),
    "delete": lambda a, pk, data: svc.post_delete(access=a, post_id=pk),
}
DONE = {"approve": "Публикация согласована.", "return": "Публикация возвращена автору.",
        "edit": "Текст изменён.", "publish": "Публикация отправлена.", "delete": "Публикация удаляется."}


@requires(ALL_ROLES)
def post_act(request: HttpRequest, access: Access, pk: int, action: str) -> HttpResponse:
    _get(access, pk)
    if request.method != "POST":
        return redirect("posts:detail", pk=pk)
    if action in ("found", "not_found"):
        return _checked(request, access, pk, action)
    if action not in ACTIONS:
        raise Http404("Нет такого действия")
    try:
        ACTIONS[action](access, pk, request.POST)
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    except Forbidden as exc:
        return render(request, "core/forbidden.html", {"message": str(exc)}, status=403)
    except (Invalid, TransitionError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, DONE[action])
    return redirect("posts:detail", pk=pk)


def _checked(request: HttpRequest, access: Access, pk: int, action: str) -> HttpResponse:
    """After «проверьте вручную»: the person looked at the page."""
    post = _get(access, pk)
    if not (post.author_id == access.person.pk or access.has(*svc.WIDE)):
        return render(request, "core/forbidden.html", status=403)
    target = post.targets.filter(pk=str(request.POST.get("target", "0"))[:18] or "0",
                                 state=PostTarget.State.CHECK).first() if str(
        request.POST.get("target", "")).isdigit() else None
    if target is None:
        messages.error(request, "Эта страница не ждёт проверки.")
    else:
        publishing.target_check_done(target=target, found=action == "found")
        messages.success(request, "Отмечено: пост на странице есть." if action == "found"
                         else "Публикация на этой странице отправлена снова.")
    return redirect("posts:detail", pk=pk)


@requires(ALL_ROLES)
def post_calendar(request: HttpRequest, access: Access) -> HttpResponse:
    """Week or month of planned and published posts across the pages."""
    tz = ZoneInfo(_tz(access))
    today = timezone.now().astimezone(tz).date()
    view = "month" if request.GET.get("view") == "month" else "week"
    try:
        anchor = date.fromisoformat(request.GET.get("date", "")[:10]) if request.GET.get("date") else today
    except ValueError:
        anchor = today
    anchor = min(max(anchor, date(2000, 1, 1)), date(2100, 12, 31))
    if view == "week":
        start = anchor - timedelta(days=anchor.weekday())
        days = [start + timedelta(days=k) for k in range(7)]
        prev, nxt = start - timedelta(days=7), start + timedelta(days=7)
    else:
        first = anchor.replace(day=1)
        start = first - timedelta(days=first.weekday())
        last = first.replace(day=cal.monthrange(first.year, first.month)[1])
        end = last + timedelta(days=6 - last.weekday())
        days = [start + timedelta(days=k) for k in range((end - start).days + 1)]
        prev = (first - timedelta(days=1)).replace(day=1)
        nxt = last + timedelta(days=1)
    lo = datetime.combine(days[0], datetime.min.time(), tzinfo=tz)
    hi = datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    by_day: dict[date, list[dict[str, Any]]] = {d: [] for d in days}
    targets = (PostTarget.objects.filter(post__in=svc.posts_for(access)).exclude(post__state=Post.State.DELETED)
               .select_related("post", "page"))
    for t in targets:
        moment = t.published_at or t.post.publish_at
        if t.state == PostTarget.State.DONE and t.published_at:
            kind = "published"
        elif t.post.publish_at:
            kind = "planned"
        else:
            continue
        if moment is None or not lo <= moment < hi:
            continue
        local = moment.astimezone(tz)
        by_day[local.date()].append({"post": t.post, "page": t.page, "time": local, "kind": kind})
    for items in by_day.values():
        items.sort(key=lambda x: x["time"])
    weeks = [days[i:i + 7] for i in range(0, len(days), 7)]
    return render(request, "posts/calendar.html", {
        "view": view, "weeks": [[(d, by_day[d]) for d in w] for w in weeks], "today": today, "anchor": anchor,
        "prev": prev, "next": nxt, "month": anchor.month if view == "month" else None,
    })


@requires(ALL_ROLES)
def post_cadence(request: HttpRequest, access: Access) -> HttpResponse:
    """Прил. 1 п. 5: per page, this week and the 8 before, against the municipality's norm."""
    municipality = access.person.municipality
    if municipality is None:
        return render(request, "core/forbidden.html", status=403)
    allowed = set(svc.pages_for(access).values_list("pk", flat=True))
    rows = [r for r in board(municipality) if r.page.pk in allowed or access.has(*svc.WIDE)]
    need = municipality.posts_per_week
    return render(request, "posts/cadence.html", {
        "rows": [{"row": r, "cells": [(c, c >= need) for c in r.counts], "short": r.this_week < need} for r in rows],
        "weeks": rows[0].weeks if rows else [], "need": need,
    })
