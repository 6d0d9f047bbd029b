"""The one state machine of the workflow: which action moves which state, and who may do it.

Every status change goes through `incident_transition()` (services.py), which checks this
table under the incident's row lock and writes the history event in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from otklik.incidents.models import Status
from otklik.org.roles import Role

S = Status
OPEN = frozenset(s for s in Status if s not in (S.PUBLISHED, S.CLOSED_NO_ANSWER, S.CLOSED_UNCLARIFIED))


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: the service decides among `targets` (e.g. parts still missing)
    roles: frozenset[str]
    label: str
    targets: frozenset[str] = frozenset()

    def allows_target(self, target: str) -> bool:
        return target == self.target if self.target is not None else target in self.targets


def _t(sources: set[str] | frozenset[str], target: str | None, roles: set[str], label: str,
       targets: set[str] | None = None) -> Transition:
    return Transition(frozenset(sources), target, frozenset(roles), label, frozenset(targets or ()))


CURATOR: set[str] = {Role.MUNICIPAL_CURATOR}
EXECUTOR: set[str] = {Role.EXECUTOR, Role.UNIT_HEAD}
REGION: set[str] = {Role.REGIONAL_CURATOR}
LOCAL_APPROVER: set[str] = {Role.GENERAL_HEAD}  # publications: coordinated by the general department

TRANSITIONS: dict[str, Transition] = {
    "route": _t({S.NEW, S.REROUTE, S.ROUTED}, S.ROUTED, CURATOR, "Направить в подразделение"),
    "not_ours": _t({S.ROUTED}, None, EXECUTOR, "Не наша компетенция", {S.ROUTED, S.REROUTE}),
    "ask_clarification": _t({S.ROUTED, S.CONSOLIDATING}, S.CLARIFYING, EXECUTOR, "Задать уточняющий вопрос автору"),
    "clarification_posted": _t({S.CLARIFYING}, S.CLARIFYING, CURATOR, "Отметить: вопрос опубликован"),
    "clarification_received": _t({S.CLARIFYING}, None, CURATOR, "Отметить: автор ответил",
                                 {S.ROUTED, S.CONSOLIDATING}),
    "close_unclarified": _t({S.CLARIFYING}, S.CLOSED_UNCLARIFIED, CURATOR,
                            "Закрыть: автор не ответил на уточнение"),
    # Parts are accepted until the consolidated draft is submitted, whoever was named when.
    "submit_part": _t({S.ROUTED, S.CONSOLIDATING}, None, EXECUTOR, "Отправить часть ответа",
                      {S.ROUTED, S.CONSOLIDATING}),
    "name_consolidator": _t({S.ROUTED, S.CONSOLIDATING}, S.CONSOLIDATING, CURATOR,
                            "Назначить ответственного за сводный ответ"),
    "submit_draft": _t({S.ROUTED, S.CONSOLIDATING, S.RETURNED, S.INTERMEDIATE}, S.DRAFT_SUBMITTED,
                       EXECUTOR, "Отправить проект ответа"),
    "forward": _t({S.DRAFT_SUBMITTED}, S.AWAITING_APPROVAL, CURATOR, "Направить на согласование в регион"),
    "approve": _t({S.AWAITING_APPROVAL}, S.APPROVED, REGION, "Согласовать"),
    "return": _t({S.AWAITING_APPROVAL}, S.RETURNED, REGION, "Вернуть на доработку"),
    "approve_local": _t({S.DRAFT_SUBMITTED}, S.APPROVED, LOCAL_APPROVER | CURATOR, "Согласовать публикацию"),
    "return_local": _t({S.DRAFT_SUBMITTED}, S.RETURNED, LOCAL_APPROVER | CURATOR, "Вернуть на доработку"),
    "edit_approved": _t({S.APPROVED}, None, CURATOR, "Изменить согласованный текст",
                        {S.AWAITING_APPROVAL, S.DRAFT_SUBMITTED}),
    "publish": _t({S.APPROVED}, None, CURATOR, "Отметить ответ опубликованным", {S.PUBLISHED, S.INTERMEDIATE}),
    "publish_network": _t({S.APPROVED}, S.APPROVED, CURATOR, "Опубликовать ответ через сеть"),
    "publish_network_retry": _t({S.APPROVED}, S.APPROVED, CURATOR, "Ответа в сети нет — опубликовать снова"),
    "set_final_timings": _t({S.INTERMEDIATE}, S.INTERMEDIATE, REGION, "Установить срок итогового ответа (п. 18)"),
    "close_no_answer": _t(OPEN, S.CLOSED_NO_ANSWER, CURATOR | REGION, "Закрыть без ответа (п. 21)"),
    "raise_importance": _t(OPEN, None, CURATOR | REGION, "Отметить повышенную важность", set(OPEN)),
}


class TransitionError(Exception):
    """The action is not possible now; the message says why, in Russian, for a person.

    Adapters map the type, never the message: this class is a conflict with the current
    state (API 409); the subclasses below are the other answers.
    """


class Forbidden(TransitionError):
    """Not this person's action: wrong role, another unit, not the named consolidator (403)."""


class NotFound(TransitionError):
    """The incident does not exist or is outside the person's scope (404)."""


class Invalid(TransitionError):
    """The input is wrong (422); `field` names the input the message is about, `rule` the kind
    of rule: "value_error" for a value's own form, or a rule of the regulation a schema cannot
    state ("moment": a time that cannot be true; "draft_check": the answer checks' errors)."""

    def __init__(self, message: str, *, field: str = "", rule: str = "value_error") -> None:
        super().__init__(message)
        self.field = field
        self.rule = rule


def transition_check(action: str, *, current: str, target: str, roles: frozenset[str]) -> Transition:
    rule = TRANSITIONS.get(action)
    if rule is None:
        raise TransitionError(f"Неизвестное действие «{action}».")
    if not roles & rule.roles:
        raise Forbidden(f"Действие «{rule.label}» недоступно для вашей роли.")
    if current not in rule.sources:
        raise TransitionError(
            f"Действие «{rule.label}» невозможно: сообщение уже в состоянии «{Status(current).label}». "
            "Возможно, его только что изменил другой сотрудник — обновите страницу."
        )
    if not rule.allows_target(target):
        raise TransitionError(f"Действие «{rule.label}» не ведёт в состояние «{Status(target).label}».")
    return rule


def actions_available(current: str, roles: frozenset[str]) -> list[str]:
    return [a for a, r in TRANSITIONS.items() if current in r.sources and roles & r.roles]


# Labels of history entries, in the past tense: what happened, not what to do.
ACTION_LABELS: dict[str, str] = {
    "intake": "Сообщение принято",
    "dispatch": "Поручено подразделению",
    "route": "Направлено в подразделения",
    "not_ours": "Подразделение сообщило: не наша компетенция",
    "ask_clarification": "Исполнитель подготовил уточняющий вопрос",
    "clarification_posted": "Уточняющий вопрос опубликован, ожидаем ответа автора",
    "clarification_received": "Автор ответил на уточнение",
    "close_unclarified": "Закрыто: автор не ответил на уточнение",
    "submit_part": "Часть ответа направлена",
    "name_consolidator": "Назначен ответственный за сводный ответ",
    "submit_draft": "Проект ответа направлен",
    "forward": "Направлено на согласование в регион",
    "approve": "Согласовано",
    "return": "Возвращено на доработку",
    "approve_local": "Публикация согласована",
    "return_local": "Возвращено на доработку",
    "edit_approved": "Согласованный текст изменён, согласование снято",
    "publish": "Ответ опубликован",
    "publish_network": "Ответ отправлен на публикацию в сеть",
    "publish_network_retry": "Публикация в сети повторена",
    "publish_network_failed": "Ответ не опубликован в сети",
    "publish_network_check": "Сеть не подтвердила публикацию: нужна проверка вручную",
    "set_final_timings": "Установлен срок итогового ответа (п. 18)",
    "close_no_answer": "Закрыто без ответа (п. 21)",
    "raise_importance": "Установлена повышенная важность",
    "mail": "Отправлено письмо",
    "personal_data_erased": "Удалены персональные данные (152-ФЗ)",
}
assert set(TRANSITIONS) <= set(ACTION_LABELS)  # noqa: S101  (every action has its past tense)
