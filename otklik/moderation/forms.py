"""The moderator's forms: a decision about a comment, a page's rules."""

from __future__ import annotations

from typing import Any

from django import forms

from otklik.moderation.models import CODE_LABELS, CODES
from otklik.moderation.services import BAN_TERM_LABELS, BAN_TERMS

DECISIONS = ("delete", "keep", "ban", "publication")
# The reasons the networks themselves offer for a ban, as the text sent with it (VK shows it to the author).
BAN_REASONS: list[tuple[str, str]] = [
    ("спам", "Спам"),
    ("оскорбления", "Оскорбления"),
    ("нецензурная брань", "Нецензурная брань"),
    ("нарушение закона", "Нарушает закон"),
    ("нарушение правил страницы", "Другое"),
]
# The reason preselected for what the screening found.
REASON_FOR_CODE = {"spam": "спам", "insult": "оскорбления", "obscenity": "нецензурная брань",
                   "threat": "нарушение закона", "law": "нарушение закона"}
TERM_CHOICES = [(term, BAN_TERM_LABELS[term]) for term in BAN_TERMS]
CODE_CHOICES = [(code, CODE_LABELS[code]) for code in CODES]


def reason_for(codes: list[str]) -> str:
    for code in codes:
        if code in REASON_FOR_CODE:
            return REASON_FOR_CODE[code]
    return BAN_REASONS[-1][0]


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[(d, d) for d in DECISIONS],
                                 error_messages={"invalid_choice": "Неизвестное решение.",
                                                 "required": "Выберите решение."})
    term = forms.ChoiceField(label="Срок", choices=TERM_CHOICES, required=False,
                             error_messages={"invalid_choice": "Срок: сутки, неделя, месяц или навсегда."})
    reason = forms.ChoiceField(label="Причина", choices=BAN_REASONS, required=False,
                               error_messages={"invalid_choice": "Выберите причину из списка."})


class RulesForm(forms.Form):
    delete_codes = forms.MultipleChoiceField(
        label="Удалять сразу, без модератора", choices=CODE_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple, error_messages={"invalid_choice": "Неизвестное основание: %(value)s."})
    ban_codes = forms.MultipleChoiceField(
        label="…и вносить автора в чёрный список", choices=CODE_CHOICES, required=False,
        widget=forms.CheckboxSelectMultiple, error_messages={"invalid_choice": "Неизвестное основание: %(value)s."})
    ban_days = forms.IntegerField(
        label="Срок автоматического чёрного списка, дней (0 — навсегда)", min_value=0, max_value=3650,
        error_messages={"required": "Укажите срок (0 — навсегда).", "invalid": "Срок — целое число дней.",
                        "min_value": "Срок — от 0 (навсегда) до 3650 дней.",
                        "max_value": "Срок — от 0 (навсегда) до 3650 дней."})
    auto_publication = forms.BooleanField(label="Вопросы и жалобы жителей — сразу в работу (Прил. 2 п. 2.3)",
                                          required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        extra = set(data.get("ban_codes") or []) - set(data.get("delete_codes") or [])
        if extra:
            names = ", ".join(CODE_LABELS[c] for c in sorted(extra))
            self.add_error("ban_codes", f"В чёрный список вносим только за то, что удаляем: отметьте «{names}» "
                                        "и в «удалять сразу».")
        return data
