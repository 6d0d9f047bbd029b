"""Moderation of comments on the official pages (Прил. 1 п. 8): the queue, the decisions, the
black list and each page's rules. Thin views over `otklik.moderation.services`.

Comment texts come from anyone on the internet: they are always escaped (the found spans are
marked by `highlight`, which escapes every segment).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html

from otklik.core.access import requires
from otklik.incidents.models import Publication
from otklik.incidents.transitions import Forbidden, Invalid, NotFound, TransitionError
from otklik.incidents.views import highlight
from otklik.moderation import services as svc
from otklik.moderation.forms import BAN_REASONS, TERM_CHOICES, DecideForm, RulesForm, reason_for
from otklik.moderation.links import comment_link
from otklik.moderation.models import (
    CODE_LABELS,
    CODES,
    Ban,
    ModerationAction,
    ModerationRule,
    PageComment,
)
from otklik.org.selectors import Access
from otklik.pages.models import OfficialPage

MODERATORS = svc.MODERATORS
QUEUE_LIMIT = 50
SCAN_LIMIT = 2000  # queued comments read to filter by a code (the findings are a JSON list)
LOG_LIMIT = 100
QUESTION = "question"  # the queue's filter for «вопрос или жалоба — в работу»
A = ModerationAction.Kind
# Where each network pushes comments to us (the OK page is read by polling only).
WEBHOOKS = {"vk": ("vk_callback", "/api/v1/channels/vk/callback/{pk}"),
            "telegram": ("telegram_webhook", "/api/v1/channels/telegram/webhook/{pk}"),
            "max": ("max_webhook", "/api/v1/channels/max/webhook/{pk}")}
DONE = {"delete": "Комментарий удаляется в сети.", "keep": "Комментарий оставлен.",
        "ban": "Комментарий удаляется, автор вносится в чёрный список {term}."}


def _pages(access: Access) -> QuerySet[OfficialPage]:
    if access.person.municipality_id is None:
        return OfficialPage.objects.none()
    return OfficialPage.objects.filter(municipality_id=access.person.municipality_id).select_related("unit")


def _page(access: Access, pk: int) -> OfficialPage:
    page = _pages(access).filter(pk=pk).first()
    if page is None:
        raise Http404("Страница не найдена.")
    return page


def _filters(query: QueryDict) -> dict[str, str]:
    """The queue's filters, only as far as they can be meant (ids and known codes)."""
    page, code = str(query.get("page", "")), str(query.get("code", ""))
    return {"page": page if page.isdigit() and len(page) < 19 else "",
            "code": code if code in CODES or code == QUESTION else ""}


def _queue_url(filters: dict[str, str]) -> str:
    query = urlencode({k: v for k, v in filters.items() if v})
    return reverse("moderation:queue") + (f"?{query}" if query else "")


def _author(comment: PageComment) -> str:
    if comment.author_name and comment.author_id:
        return f"{comment.author_name} (id {comment.author_id})"
    return f"id {comment.author_id}" if comment.author_id else "автор неизвестен"


def _marked(comment: PageComment) -> Any:
    spans = []
    for f in comment.findings or []:
        try:
            start, end = int(f.get("start", 0)), int(f.get("end", 0))
        except (TypeError, ValueError):
            continue
        code = str(f.get("code", ""))
        spans.append((start, end, f"mod-finding mod-{code}" if code in CODES else "mod-finding",
                      str(f.get("reason") or CODE_LABELS.get(code, code))))
    return highlight(comment.text, spans)


def _reasons(comment: PageComment) -> list[str]:
    seen: list[str] = []
    for f in comment.findings or []:
        code = str(f.get("code", ""))
        line = str(f.get("reason") or CODE_LABELS.get(code, code))
        if line not in seen:
            seen.append(line)
    return seen


def _threads(comments: list[PageComment]) -> dict[int, dict[str, Any]]:
    """For each comment: the one it answers (if stored), the comments answering it, the page's replies."""
    if not comments:
        return {}
    page_ids = {c.page_id for c in comments}
    ids = {c.network_id for c in comments}
    parents_wanted = {c.reply_to for c in comments if c.reply_to}
    stored = {(c.page_id, c.network_id): c for c in PageComment.objects.filter(
        page_id__in=page_ids, network_id__in=parents_wanted)} if parents_wanted else {}
    answers: dict[tuple[int, str], list[PageComment]] = {}
    for c in PageComment.objects.filter(page_id__in=page_ids, reply_to__in=ids).order_by("received_at", "pk")[:500]:
        answers.setdefault((c.page_id, c.reply_to), []).append(c)
    ours: dict[tuple[int, str], list[Publication]] = {}
    for p in Publication.objects.filter(page_id__in=page_ids, target_comment__in=ids | parents_wanted,
                                        state=Publication.State.DONE).select_related("draft").order_by("done_at"):
        ours.setdefault((p.page_id, p.target_comment), []).append(p)
    out: dict[int, dict[str, Any]] = {}
    for c in comments:
        parent = stored.get((c.page_id, c.reply_to)) if c.reply_to else None
        out[c.pk] = {
            "reply_to": c.reply_to, "parent": parent,
            "answers": [a for a in answers.get((c.page_id, c.network_id), []) if a.pk != c.pk],
            "page_replies": ours.get((c.page_id, c.network_id), []) + (
                ours.get((c.page_id, c.reply_to), []) if c.reply_to else []),
        }
    return out


def _tabs(access: Access) -> dict[str, Any]:
    return {"queued_count": svc.comments_for(access).filter(state=PageComment.State.QUEUED).count()}


@requires(*MODERATORS)
def queue(request: HttpRequest, access: Access) -> HttpResponse:
    """Comments the screening found something in, or questions, waiting for a decision."""
    filters = _filters(request.GET)
    rows = svc.comments_for(access).filter(state=PageComment.State.QUEUED).select_related("page", "page__unit")
    if filters["page"]:
        rows = rows.filter(page_id=int(filters["page"]))
    if filters["code"] == QUESTION:
        rows = rows.filter(needs_answer=True)
    rows = rows.order_by("-received_at", "-pk")
    if filters["code"] and filters["code"] != QUESTION:
        matching = [c for c in rows[:SCAN_LIMIT] if filters["code"] in c.codes]
        total, shown = len(matching), matching[:QUEUE_LIMIT]
    else:
        total, shown = rows.count(), list(rows[:QUEUE_LIMIT])
    threads = _threads(shown)
    items = [{"c": c, "author": _author(c), "marked": _marked(c), "reasons": _reasons(c),
              "codes": [CODE_LABELS.get(x, x) for x in c.codes], "link": comment_link(c.page, c),
              "thread": threads.get(c.pk, {}), "reason": reason_for(c.codes)} for c in shown]
    codes = [(c, CODE_LABELS[c]) for c in CODES] + [(QUESTION, "вопрос или жалоба")]
    return render(request, "moderation/queue.html", {
        "items": items, "total": total, "filters": filters, "pages": _pages(access).order_by("network", "name"),
        "codes": codes, "terms": TERM_CHOICES, "reasons": BAN_REASONS, "back": urlencode(
            {k: v for k, v in filters.items() if v}), "tab": "queue", **_tabs(access),
    })


def _back(request: HttpRequest) -> str:
    """Back to the queue with its filters (only the known ones: never an outside address)."""
    return _queue_url(_filters(QueryDict(str(request.POST.get("back", ""))[:200])))


@requires(*MODERATORS)
def decide(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    """One decision about a comment: delete, keep, delete and black-list, or into the workflow."""
    try:
        svc.comment_get(access, pk)  # another municipality's comment does not exist here
    except NotFound as exc:
        raise Http404(str(exc)) from exc
    back = _back(request) if request.method == "POST" else reverse("moderation:queue")
    if request.method != "POST":
        return redirect(back)
    form = DecideForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for e in errors:
                messages.error(request, str(e))
        return redirect(back)
    d = form.cleaned_data
    decision = d["decision"]
    term = d.get("term") or "week"
    try:
        comment = svc.comment_decide(access=access, comment_id=pk, decision=decision, term=term,
                                     reason=d.get("reason") or "")
    except (Invalid, TransitionError, Forbidden, NotFound) as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if decision == "publication" and comment.incident_id is not None:
        messages.success(request, format_html(
            'Передано в работу: <a href="{}">сообщение № {}</a>.',
            reverse("incidents:detail", args=[comment.incident_id]), comment.incident_id))
    else:
        messages.success(request, DONE[decision].format(term=dict(TERM_CHOICES).get(term, "")))
    return redirect(back)


@requires(*MODERATORS)
def log(request: HttpRequest, access: Access) -> HttpResponse:
    """«Решения»: what was decided lately, by whom or on its own, and how it went in the network."""
    rows = ModerationAction.objects.none()
    if access.person.municipality_id is not None:
        rows = (ModerationAction.objects.filter(page__municipality_id=access.person.municipality_id)
                .select_related("page", "comment", "actor").order_by("-at", "-pk"))
    page = _filters(request.GET)["page"]
    if page:
        rows = rows.filter(page_id=int(page))
    items = [{"a": a, "undoable": a.kind in (A.DELETE, A.BAN) and a.undone_by_id is None,
              "author": a.author_id or (a.comment.author_id if a.comment else "")} for a in rows[:LOG_LIMIT]]
    return render(request, "moderation/log.html", {
        "items": items, "tab": "log", "pages": _pages(access).order_by("network", "name"), "page_filter": page,
        **_tabs(access)})


@requires(*MODERATORS)
def undo(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    if not ModerationAction.objects.filter(pk=pk, page__municipality_id=access.person.municipality_id or 0).exists():
        raise Http404("Решение не найдено.")
    if request.method != "POST":
        return redirect("moderation:log")
    try:
        done = svc.action_undo(access=access, action_id=pk)
    except (Invalid, TransitionError, Forbidden, NotFound) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Удаление отменено: комментарий восстанавливается." if done.kind == A.RESTORE
                         else "Автор исключается из чёрного списка.")
    return redirect("moderation:log")


@requires(*MODERATORS)
def bans(request: HttpRequest, access: Access) -> HttpResponse:
    """The black list, page by page: who, why, until when, who decided."""
    now = timezone.now()
    active = Ban.objects.none()
    if access.person.municipality_id is not None:
        active = (Ban.objects.filter(page__municipality_id=access.person.municipality_id, lifted_at__isnull=True)
                  .select_related("page", "by").order_by("page__network", "page__name", "page_id", "-at", "-pk"))
    groups: list[dict[str, Any]] = []
    for ban in active[:500]:
        if not groups or groups[-1]["page"].pk != ban.page_id:
            groups.append({"page": ban.page, "bans": []})
        groups[-1]["bans"].append({"b": ban, "expired": ban.until is not None and ban.until <= now})
    return render(request, "moderation/bans.html", {"groups": groups, "tab": "bans", **_tabs(access)})


@requires(*MODERATORS)
def lift(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    if not Ban.objects.filter(pk=pk, page__municipality_id=access.person.municipality_id or 0).exists():
        raise Http404("Запись чёрного списка не найдена.")
    if request.method != "POST":
        return redirect("moderation:bans")
    try:
        ban = svc.ban_lift(access=access, ban_id=pk)
    except (Invalid, TransitionError, Forbidden, NotFound) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Автор id {ban.author_id} исключается из чёрного списка.")
    return redirect("moderation:bans")


def _webhook(page: OfficialPage) -> str:
    if page.network not in WEBHOOKS:
        return ""
    name, fallback = WEBHOOKS[page.network]
    try:
        path = reverse(f"api:{name}", kwargs={"page_id": page.pk})
    except NoReverseMatch:
        path = fallback.format(pk=page.pk)
    return settings.OTKLIK_BASE_URL.rstrip("/") + path


@requires(*MODERATORS)
def rule_pages(request: HttpRequest, access: Access) -> HttpResponse:
    """Every page of the municipality with what happens on it without the moderator."""
    pages = list(_pages(access).order_by("network", "name"))
    rules = {r.page_id: r for r in ModerationRule.objects.filter(page__in=pages)}
    rows = []
    for p in pages:
        rule = rules.get(p.pk)
        rows.append({"page": p, "delete": [CODE_LABELS.get(c, c) for c in (rule.delete_codes if rule else [])],
                     "ban": [CODE_LABELS.get(c, c) for c in (rule.ban_codes if rule else [])],
                     "ban_days": rule.ban_days if rule else None,
                     "auto_publication": bool(rule and rule.auto_publication)})
    return render(request, "moderation/pages.html", {"rows": rows, "tab": "rules", **_tabs(access)})


@requires(*MODERATORS)
def rules(request: HttpRequest, access: Access, pk: int) -> HttpResponse:
    """A page's rules (what is deleted and black-listed on its own) and where its network pushes comments."""
    page = _page(access, pk)
    rule = ModerationRule.objects.filter(page=page).first()
    initial = {"delete_codes": rule.delete_codes if rule else [], "ban_codes": rule.ban_codes if rule else [],
               "ban_days": rule.ban_days if rule else 7, "auto_publication": rule.auto_publication if rule else False}
    form = RulesForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            try:
                svc.rule_set(page=page, delete=d["delete_codes"], ban=d["ban_codes"], ban_days=d["ban_days"],
                             auto_publication=d["auto_publication"], actor=access.person)
            except (Invalid, TransitionError, Forbidden, NotFound) as exc:
                field = getattr(exc, "field", "")
                form.add_error("ban_days" if field == "ban_days" else None, str(exc))
            else:
                messages.success(request, f"Правила модерации «{page.name}» сохранены.")
                return redirect("moderation:rules", pk=page.pk)
        status = 400
    return render(request, "moderation/rules.html", {
        "page": page, "form": form, "webhook": _webhook(page),
        "secret_set": bool(rule and rule.callback_secret_sealed),
        "confirmation_set": bool(rule and rule.callback_confirmation), "tab": "rules", **_tabs(access),
    }, status=status)

