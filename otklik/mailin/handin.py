"""The regional curator's hand-in by e-mail: a letter with the fields of the API's intake, one
«Поле: значение» per line, «Текст:» last (it runs to the end of the letter or the signature).

    МО: plastunovskoe                  (code or exact name of the municipality)
    Соцсеть: ВКонтакте                 (ВКонтакте, Одноклассники, Telegram, MAX)
    Ссылка: https://vk.com/wall-1_2
    Автор: Анна Петрова                (optional)
    Ссылка на автора: https://vk.com/id1   (optional)
    Обнаружено: 04.12.2026 16:30       (local time of the municipality; or ISO 8601)
    Важность: повышенная               (optional: обычная by default)
    Тема: …  Место: …  Номер: …        (optional; «Номер» is the regional system's id)
    Текст: the citizen's message, over as many lines as it takes
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

FIELDS: dict[str, str] = {
    "мо": "municipality", "муниципальное образование": "municipality", "соцсеть": "network", "сеть": "network",
    "ссылка": "url", "автор": "author_name", "ссылка на автора": "author_url", "обнаружено": "detected_at",
    "важность": "importance", "тема": "topic", "место": "location", "номер": "external_id", "текст": "text",
}
REQUIRED: dict[str, str] = {"municipality": "МО", "network": "Соцсеть", "url": "Ссылка",
                            "detected_at": "Обнаружено", "text": "Текст"}
NETWORKS = {"вконтакте": "vk", "вк": "vk", "vk": "vk", "одноклассники": "ok", "ок": "ok", "ok": "ok",
            "telegram": "telegram", "телеграм": "telegram", "телеграмм": "telegram", "max": "max", "макс": "max"}
LINE = re.compile(r"^\s*([А-Яа-яЁёA-Za-z ]{2,30}?)\s*:\s*(.*)$")
MOMENT_FORMATS = ("%d.%m.%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%y %H:%M", "%Y-%m-%d %H:%M")


@dataclass
class HandIn:
    values: dict[str, str] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


def handin_looks_like(text: str) -> bool:
    """Enough of the form to be meant as a hand-in (so that the errors are worth answering)."""
    keys = {FIELDS.get(m.group(1).strip().lower()) for line in text.splitlines() if (m := LINE.match(line))}
    return len(keys & {"url", "text", "network", "municipality"}) >= 2


def handin_parse(text: str) -> HandIn:
    out = HandIn()
    body: list[str] | None = None
    for line in text.splitlines():
        if body is not None:
            body.append(line)
            continue
        m = LINE.match(line)
        if not m:
            continue
        key = FIELDS.get(m.group(1).strip().lower())
        if key is None:
            continue
        if key == "text":
            body = [m.group(2)]
        else:
            out.values.setdefault(key, m.group(2).strip())
    if body is not None:
        out.values["text"] = "\n".join(body).strip()
    for key, label in REQUIRED.items():
        if not out.values.get(key):
            out.errors.append(f"Нет поля «{label}:».")
    network = out.values.get("network", "")
    if network and network.strip().lower() not in NETWORKS:
        out.errors.append(f"Соцсеть «{network}» неизвестна: ВКонтакте, Одноклассники, Telegram или MAX.")
    elif network:
        out.values["network"] = NETWORKS[network.strip().lower()]
    importance = out.values.get("importance", "").lower()
    if importance and not importance.startswith(("обыч", "повыш", "высок")):
        out.errors.append("Важность: «обычная» или «повышенная».")
    out.values["importance"] = "high" if importance.startswith(("повыш", "высок")) else "normal"
    return out


def moment_parse(value: str, time_zone: str) -> datetime | None:
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        moment = None
        for fmt in MOMENT_FORMATS:
            try:
                moment = datetime.strptime(value, fmt)  # noqa: DTZ007  (made aware just below)
                break
            except ValueError:
                continue
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(time_zone))
