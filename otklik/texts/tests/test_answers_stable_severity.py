"""A finding keeps its severity as the text changes around it: plain sentences typed before or
after do not turn an error into a warning or back (property test, Hypothesis).

Only ``off_topic`` is left out: it judges the answer as a whole (does it answer the question at
all?), so a sentence added anywhere may rightly change it.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from otklik.texts.answers import Finding, check_answer

QUESTION = "Когда починят фонарь на Красной, 15? Темно вечером, дети ходят из школы."
ANSWERS = [
    # bureaucratese dominating a short answer: every finding an error
    "Здравствуйте! В настоящее время в рамках муниципальной программы осуществляется ремонт "
    "дорог. Данный вопрос находится на контроле.",
    # one stock phrase in a plain answer: a warning
    "Здравствуйте, Анна! Фонарь у дома 15 на улице Красной погас из-за обрыва провода. "
    "Электрики заменят провод и лампу в четверг, в настоящее время ждём подъёмник.",
    # three stock phrases close together in a longer answer
    "Здравствуйте! Фонарь заменим в четверг. В целях обеспечения безопасности пешеходов "
    "осуществляется замена ламп в установленном порядке. Электрики приедут утром.",
    # three citations, a typo, a missing comma
    "Здравствуйте! Согласно ст. 16 Федерального закона от 06.10.2003 № 131-ФЗ, ч. 2 ст. 5 ЖК РФ "
    "и закону Краснодарского края № 2-КЗ фонари меняет поселение. Мы проверим опору, извените "
    "за ожидание. Сообщаем что лампы закуплены.",
    # no greeting, a redirect, work reported without a photo
    "Фонарь заменили вчера вечером. По вопросам оплаты обращайтесь в управляющую компанию.",
]
NEUTRAL = [
    "Если фонарь снова погаснет, напишите нам сюда.",
    "Спасибо, что написали.",
    "Хорошего вам вечера!",
    "Мы на связи в будние дни с девяти утра до шести вечера.",
    "Электрики работают по всему поселению, поэтому иногда приезжают не сразу, но к вам "
    "приедут обязательно и всё покажут на месте.",
    "Следить за ходом работ можно в нашей группе, там же мы выкладываем фотографии и "
    "расписание бригад на неделю вперёд.",
]
PROPERTY = settings(max_examples=40, derandomize=True, database=None, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


def _findings(answer: str) -> list[Finding]:
    return [f for f in check_answer(answer, question=QUESTION, author="Анна Петрова")
            if f.code != "off_topic"]


def _greeting_end(answer: str) -> int:
    """Where a sentence may go before the rest: after the greeting, if there is one."""
    m = re.match(r"(Здравствуйте(?:, [А-ЯЁ][а-яё]+)?! )", answer)
    return m.end() if m else 0


@PROPERTY
@given(st.sampled_from(ANSWERS), st.lists(st.sampled_from(NEUTRAL), max_size=12),
       st.lists(st.sampled_from(NEUTRAL), max_size=30))
def test_plain_sentences_around_keep_severities(answer: str, before: list[str],
                                                after: list[str]) -> None:
    at = _greeting_end(answer)
    # Without a greeting the «no greeting» finding is about whatever opens the answer: the
    # sentences go only after it then.
    head = "".join(s + " " for s in before) if at else ""
    tail = "".join(" " + s for s in after)
    longer = answer[:at] + head + answer[at:] + tail
    shift = len(head)
    found = {(f.code, f.start + (shift if f.start >= at else 0),
              f.end + (shift if f.start >= at else 0)): f.severity for f in _findings(answer)}
    again = {(f.code, f.start, f.end): f.severity for f in _findings(longer)}
    assert found, answer
    for key, severity in found.items():
        assert again.get(key) == severity, (key, severity, again.get(key), longer)


def test_old_rule_would_flip() -> None:
    """The case the property guards: a dominated short answer stays an error when a long plain
    paragraph follows (over the whole answer its stock phrases were no longer 3 per 100 words)."""
    answer = ANSWERS[0]
    longer = answer + "".join(" " + s for s in NEUTRAL * 5)
    assert len(longer.split()) > 150
    severities = {f.severity for f in _findings(longer) if f.code == "bureaucratese"}
    assert severities == {"error"}
