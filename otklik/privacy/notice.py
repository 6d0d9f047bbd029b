"""The erasure's report in words, for the administrator to hand to the person who asked."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from otklik.privacy.models import Erasure

COUNT_LABELS = (
    ("incidents", "сообщений"), ("drafts", "проектов ответов"), ("files", "файлов"),
    ("history_entries", "записей истории"), ("letters", "писем"), ("comments", "комментариев на страницах"),
    ("bans", "записей чёрного списка"),
)


def erasure_notice(erasure: Erasure) -> str:
    tz = ZoneInfo(erasure.municipality.time_zone)
    done = erasure.done_at.astimezone(tz)
    counts = (erasure.report or {}).get("counts", {})
    numbers = (erasure.report or {}).get("incidents", [])
    lines = [f"{erasure.municipality.name}", "",
             f"Удаление персональных данных № {erasure.pk} от {done:%d.%m.%Y %H:%M}",
             f"Основание: {erasure.get_basis_display().lower()}"
             + (f" от {erasure.requested_on:%d.%m.%Y}" if erasure.requested_on else "")
             + (f" — {erasure.reason}" if erasure.reason else ""), ""]
    done_parts = [f"{label}: {counts[key]}" for key, label in COUNT_LABELS if counts.get(key)]
    if done_parts:
        lines.append("Удалены имя автора, ссылка на его страницу, ссылки на сообщения, тексты сообщений и ответов, "
                     "вложения. Удалено — " + "; ".join(done_parts) + ".")
        if numbers:
            lines.append("Номера сообщений: " + ", ".join(f"№ {n}" for n in numbers) + ".")
    else:
        lines.append("Персональных данных по этому запросу не найдено или они были удалены ранее.")
    if erasure.pending:
        lines.append("Сообщения в работе (ответ ещё не дан): " + ", ".join(f"№ {n}" for n in erasure.pending)
                     + " — данные будут удалены автоматически после закрытия.")
    lines += ["", "Сохранены только сведения без персональных данных (вид сообщения, соцсеть, даты и сроки, "
              "подразделения, решения), необходимые для отчётности по регламенту работы с сообщениями.",
              f"Выполнил: {erasure.by_label}."]
    return "\n".join(lines)
