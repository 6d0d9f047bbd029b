"""The kinds of timed steps of §3 (one row each in IncidentStep)."""

from __future__ import annotations

from django.db import models


class StepKind(models.TextChoices):
    ANSWER = "answer", "Ответ опубликован (общий срок, п. 8)"
    HANDOVER = "handover", "Передача региональным куратором (п. 9)"
    ROUTE = "route", "Направление в подразделение (п. 10)"
    NOT_OURS = "not_ours", "Сообщение «не наша компетенция» (п. 11)"
    REROUTE = "reroute", "Перенаправление (п. 11)"
    CLARIFY = "clarify", "Уточняющий вопрос (п. 13)"
    CLARIFY_POST = "clarify_post", "Публикация уточняющего вопроса автору (п. 13)"
    DRAFT = "draft", "Проект ответа исполнителя (в пределах общего срока, п. 12)"
    FORWARD = "forward", "Пересылка проекта в регион (п. 12)"
    APPROVE = "approve", "Согласование региональным куратором (п. 14)"
    REWORK = "rework", "Доработка проекта (п. 15)"
    PUBLISH = "publish", "Публикация ответа (п. 16)"
    FINAL_ANSWER = "final_answer", "Итоговый ответ после промежуточного (п. 18)"
    PART = "part", "Часть ответа от подразделения (п. 19)"


# Steps without a timing of their own: they end when the total answer deadline (п. 8) ends.
WITHIN_TOTAL = frozenset({StepKind.DRAFT})
