"""What the bot shows of an incident: a short card, the draft in full, the buttons a person may press.

Which buttons appear is decided by `actions_available` of the transition table — the same rule
the incident page and the API follow — narrowed to the quick decisions the bot offers. Every
piece of untrusted text (the citizen's words, the draft, names) goes through the client's
`markup`, so Telegram's HTML and MAX's plain text both show it as written.
"""

from __future__ import annotations

import ipaddress
import logging
from dataclasses import dataclass
from urllib.parse import urlsplit

from otklik.channels.botapi import BotClient, Button
from otklik.incidents.letters import incident_url
from otklik.incidents.models import Draft, Incident, Kind, ReturnReason, Status
from otklik.incidents.transitions import actions_available
from otklik.org.selectors import Access

log = logging.getLogger(__name__)
QUOTE_LIMIT = 600  # the citizen's message in a card: a phone screen, not the whole thread
REASONS = list(ReturnReason)  # a reason travels in a button as its index (data ≤ 64 bytes)


@dataclass(frozen=True)
class Card:
    text: str
    buttons: list[list[Button]]


def _short(text: str, limit: int) -> str:
    text = text.strip()
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _public(url: str) -> bool:
    """Telegram refuses a button whose link is not a public address (BUTTON_URL_INVALID: an IP
    literal, localhost, a name without a dot); the link stays in the text either way."""
    host = (urlsplit(url).hostname or "").lower()
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return "." in host and not host.endswith((".local", ".localhost", ".internal"))
    return False


def latest_draft(incident: Incident) -> Draft | None:
    return Draft.objects.filter(incident=incident).order_by("-round", "-pk").first()


def _suggested_unit(incident: Incident) -> tuple[int, str] | None:
    from otklik.incidents.screening import unit_suggest

    try:
        suggestion = unit_suggest(incident=incident)
    except Exception:  # a card without the suggestion beats no card: the page still routes
        log.exception("unit suggestion failed for incident %s", incident.pk)
        return None
    return (suggestion.unit.pk, suggestion.unit.name) if suggestion else None


def incident_card(*, incident: Incident, access: Access, client: BotClient, subject: str = "",
                  done: str = "") -> Card:
    """The card of `incident` for this person now: text within the network's limit, buttons."""
    m = client.markup
    head = f"Сообщение № {incident.pk}" + (" — повышенная важность" if incident.importance == "high" else "")
    lines = [m(head, bold=True)]
    if subject:
        lines.append(m(subject))
    if done:
        lines.append(m(f"✅ {done}"))
    lines.append(m(f"Состояние: {Status(incident.status).label}"))
    author = incident.author_name or "автор не указан"
    lines.append(m(f"{incident.get_network_display()}, {author}:"))
    lines.append(m(f"«{_short(incident.text, QUOTE_LIMIT)}»"))
    url = incident_url(incident)
    buttons: list[list[Button]] = []
    allowed = set(actions_available(incident.status, access.roles))
    if "route" in allowed and incident.status in (Status.NEW, Status.REROUTE):
        unit = _suggested_unit(incident)
        if unit is not None:
            buttons.append([Button(f"Направить: {_short(unit[1], 40)}", data=f"r:{incident.pk}:{unit[0]}")])
    # The table lets one state be decided two ways; the kind picks (publications stay local).
    local = incident.kind == Kind.PUBLICATION
    allowed -= {"approve", "return", "forward"} if local else {"approve_local", "return_local"}
    if "forward" in allowed:
        buttons.append([Button("Направить на согласование в регион", data=f"f:{incident.pk}")])
    decide = allowed & {"approve", "return", "approve_local", "return_local"}
    if decide:
        draft = latest_draft(incident)
        if draft is not None:
            body = m(f"Проект ответа № {draft.round}:") + "\n" + m(draft.text)
            text = "\n".join([*lines, "", body, "", m(url)])
            if len(text) <= client.max_text:
                # The approver sees the whole text; approval is bound to its hash.
                lines += ["", body]
                row = []
                if decide & {"approve", "approve_local"}:
                    row.append(Button("Согласовать", data=f"a:{incident.pk}:{draft.text_hash[:16]}"))
                if decide & {"return", "return_local"}:
                    row.append(Button("Вернуть на доработку", data=f"x:{incident.pk}"))
                buttons.append(row)
            else:
                lines += ["", m("Проект слишком длинный для чата — прочитайте и согласуйте его в «Отклике».")]
    lines += ["", m(url)]
    if _public(url):
        buttons.append([Button("Открыть в «Отклике»", url=url)])
    return Card(text="\n".join(lines), buttons=buttons)


def reasons_card(*, incident: Incident, chosen: list[str], client: BotClient) -> Card:
    """п. 14: the five reasons to tick, then «Готово»."""
    m = client.markup
    text = "\n".join([m(f"Сообщение № {incident.pk}: причины возврата (п. 14)", bold=True),
                      m("Отметьте одну или несколько причин и нажмите «Готово».")])
    buttons = [[Button(("☑ " if r.value in chosen else "☐ ") + _short(str(r.label), 60), data=f"xr:{incident.pk}:{i}")]
               for i, r in enumerate(REASONS)]
    row = [Button("Отмена", data=f"xc:{incident.pk}")]
    if chosen:
        row.insert(0, Button("Готово", data=f"xd:{incident.pk}"))
    buttons.append(row)
    return Card(text=text, buttons=buttons)


def comment_card(*, incident: Incident, chosen: list[str], client: BotClient) -> Card:
    m = client.markup
    labels = "\n".join(m(f"— {ReturnReason(c).label}") for c in chosen)
    text = "\n".join([m(f"Сообщение № {incident.pk}: вернуть на доработку", bold=True), labels, "",
                      m("Напишите комментарий для исполнителя одним сообщением или отправьте без него.")])
    return Card(text=text, buttons=[[Button("Вернуть без комментария", data=f"xs:{incident.pk}"),
                                     Button("Отмена", data=f"xc:{incident.pk}")]])
