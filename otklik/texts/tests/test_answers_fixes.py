"""One-tap fixes write correct Russian.

Every fix the bureaucratese check offers is applied to its example sentences as the web editor
does (``answer[start:end]`` replaced by the suggestion) and must give (a) exactly the expected
sentence, (b) a text in which the checks find no spelling error in the rewritten words, no
punctuation error there and no bureaucratese that was not there before, (c) adjectives agreeing
with their nouns in case, number and gender (read by pymorphy3 here, independently of the
engine's own agreement check).
"""

from __future__ import annotations

import pytest
from pymorphy3.tagset import OpencorporaTag

from otklik.texts import morph
from otklik.texts.answers import Finding, check_answer
from otklik.texts.answers._doc import Doc
from otklik.texts.answers.bureaucratese import _MATCHER, _STOCK

G = "Здравствуйте! "

# (answer, a phrase inside the finding, the answer after the fix)
FIXES: list[tuple[str, str, str]] = [
    # «в целях» + verbal noun → «чтобы» + verb, the object from the genitive into the accusative
    ("В целях обеспечения надлежащего освещения территории осуществляется замена ламп.",
     "В целях",
     "Чтобы обеспечить надлежащее освещение территории, осуществляется замена ламп."),
    (G + "В целях обеспечения надлежащего освещения территории осуществляется замена ламп.",
     "В целях",
     G + "Чтобы обеспечить надлежащее освещение территории, осуществляется замена ламп."),
    (G + "Подрядчик заменит лампы в целях повышения безопасности пешеходов.",
     "в целях",
     G + "Подрядчик заменит лампы, чтобы повысить безопасность пешеходов."),
    (G + "Мы в целях улучшения качества питьевой воды промоем сети.",
     "в целях",
     G + "Мы, чтобы улучшить качество питьевой воды, промоем сети."),
    (G + "В целях организации бесплатного подвоза школьников закуплен автобус.",
     "В целях",
     G + "Чтобы организовать бесплатный подвоз школьников, закуплен автобус."),
    (G + "В целях проведения весенней уборки выделена техника.",
     "В целях",
     G + "Чтобы провести весеннюю уборку, выделена техника."),
    (G + "В целях поддержки многодетных семей выделены средства.",
     "В целях",
     G + "Чтобы поддержать многодетные семьи, выделены средства."),
    # animate nouns: the accusative is the genitive
    (G + "В целях защиты бездомных собак построен вольер.",
     "В целях",
     G + "Чтобы защитить бездомных собак, построен вольер."),
    (G + "Мы в целях привлечения нового подрядчика объявили конкурс.",
     "в целях",
     G + "Мы, чтобы привлечь нового подрядчика, объявили конкурс."),
    # joined objects and joined verbal nouns
    (G + "В целях обеспечения безопасности и порядка на празднике дежурит полиция.",
     "В целях",
     G + "Чтобы обеспечить безопасность и порядок на празднике, дежурит полиция."),
    (G + "В целях обеспечения безопасности дорожного движения и снижения аварийности "
         "установлены знаки.",
     "В целях",
     G + "Чтобы обеспечить безопасность дорожного движения и снизить аварийность, установлены "
         "знаки."),
    # a negated verb keeps the genitive; a noun that is no action takes «для»
    (G + "В целях недопущения подтопления дворов очистим канавы.",
     "В целях",
     G + "Чтобы не допустить подтопления дворов, очистим канавы."),
    (G + "В целях безопасности детей площадку закрыли.",
     "В целях",
     G + "Для безопасности детей площадку закрыли."),
    (G + "Мы приехали с целью проверить люк.",
     "с целью",
     G + "Мы приехали, чтобы проверить люк."),
    (G + "Сообщаем, что в целях обеспечения безопасности водителей проводится подсыпка.",
     "в целях",
     G + "Сообщаем, что, чтобы обеспечить безопасность водителей, проводится подсыпка."),
    # a verb that governs another case keeps the noun's complement; phrases in the dative or
    # instrumental up to the end of the sentence belong to the clause
    (G + "В целях содействия развитию спорта построена площадка.",
     "В целях",
     G + "Чтобы содействовать развитию спорта, построена площадка."),
    (G + "Работы проводятся в целях обеспечения жителей питьевой водой.",
     "в целях",
     G + "Работы проводятся, чтобы обеспечить жителей питьевой водой."),
    # a genitive joined to the tail stays with the tail
    (G + "В целях обеспечения освещения улиц и дворов выделены средства.",
     "В целях",
     G + "Чтобы обеспечить освещение улиц и дворов, выделены средства."),
    # where the clause ends is not known («подрядчиком» — of which verb?): «для»
    (G + "В целях обеспечения безопасности подрядчиком будут установлены знаки.",
     "В целях",
     G + "Для обеспечения безопасности подрядчиком будут установлены знаки."),
    (G + "В целях экономии электроэнергии фонари горят до часу ночи.",
     "В целях",
     G + "Чтобы сэкономить электроэнергию, фонари горят до часу ночи."),
    # «по вопросу» → «о» + prepositional after words of telling, «по поводу» elsewhere
    (G + "По вопросам коммунальных услуг обращайтесь в управляющую компанию.",
     "По вопросам",
     G + "По поводу коммунальных услуг обращайтесь в управляющую компанию."),
    (G + "Мы получили ваше обращение по вопросу ремонта крыши.",
     "по вопросу",
     G + "Мы получили ваше обращение о ремонте крыши."),
    (G + "Сообщаем по вопросу организации вывоза мусора: машина придёт в среду.",
     "по вопросу",
     G + "Сообщаем об организации вывоза мусора: машина придёт в среду."),
    (G + "Ваше заявление по вопросам благоустройства дворовых территорий передано главе.",
     "по вопросам",
     G + "Ваше заявление о благоустройстве дворовых территорий передано главе."),
    (G + "Ваше обращение по вопросу о ремонте дороги рассмотрено.",
     "по вопросу",
     G + "Ваше обращение о ремонте дороги рассмотрено."),
    (G + "По вопросу о ремонте дороги сообщаем, что работы начнутся в мае.",
     "По вопросу",
     G + "О ремонте дороги сообщаем, что работы начнутся в мае."),
    # «ремонта дорог и благоустройства дворов»: is «благоустройства» joined to «ремонта» or to
    # «дорог»? «по поводу» keeps the genitive and is right either way
    (G + "Сообщаем по вопросу ремонта дорог и благоустройства дворов: работы начнутся в мае.",
     "по вопросу",
     G + "Сообщаем по поводу ремонта дорог и благоустройства дворов: работы начнутся в мае."),
    # «в соответствии с» → «по» + dative, «с использованием» → «с»/«со» + instrumental
    (G + "В соответствии с графиком вывоза мусор забирают по средам.",
     "В соответствии",
     G + "По графику вывоза мусор забирают по средам."),
    (G + "Дороги ремонтируют в соответствии с утверждённым графиком.",
     "в соответствии",
     G + "Дороги ремонтируют по утверждённому графику."),
    (G + "Сеть промыли с использованием специальной техники.",
     "с использованием",
     G + "Сеть промыли со специальной техникой."),
    # «является» → a dash and the nominative; past and future forms of «быть»
    (G + "Поселение является собственником этой дороги.",
     "является",
     G + "Поселение — собственник этой дороги."),
    (G + "Освещение в парке является нашим главным приоритетом на следующий год.",
     "является",
     G + "Освещение в парке — наш главный приоритет на следующий год."),
    (G + "Мы являемся собственниками сквера.",
     "являемся",
     G + "Мы собственники сквера."),
    (G + "Подрядчик являлся исполнителем работ.",
     "являлся",
     G + "Подрядчик был исполнителем работ."),
    (G + "Управляющая компания будет являться ответственной за уборку.",
     "являться",
     G + "Управляющая компания будет ответственной за уборку."),
    (G + "Нарушения имели место в прошлом году.",
     "имели место",
     G + "Нарушения были в прошлом году."),
    # verbs put into the form of the verb they replace, objects into the case it governs
    (G + "Информируем жителей о графике отключений воды.",
     "Информируем",
     G + "Сообщаем жителям о графике отключений воды."),
    (G + "Информируем, что вывоз мусора бесплатный.",
     "Информируем",
     G + "Сообщаем, что вывоз мусора бесплатный."),
    (G + "Доводим до сведения жителей, что воду отключат в среду.",
     "Доводим",
     G + "Сообщаем жителям, что воду отключат в среду."),
    (G + "Доводим до вашего сведения, что воду отключат в среду.",
     "Доводим",
     G + "Сообщаем, что воду отключат в среду."),
    (G + "Дополнительно информируем вас, что автобус пойдёт в 7:00.",
     "Дополнительно",
     G + "Также сообщаем вам, что автобус пойдёт в 7:00."),
    (G + "Дополнительно сообщаем, что вывоз бесплатный.",
     "Дополнительно",
     G + "Также сообщаем, что вывоз бесплатный."),
    (G + "Уличное освещение функционирует до полуночи.",
     "функционирует",
     G + "Уличное освещение работает до полуночи."),
    (G + "Фонари будут функционировать до утра.",
     "функционировать",
     G + "Фонари будут работать до утра."),
    (G + "По вышеуказанному адресу мы проверили трубу.",
     "вышеуказанному",
     G + "По этому адресу мы проверили трубу."),
    # «население» → «жители» in the same case, with its adjectives; «производство работ»
    (G + "Воду подвезут для местного населения.",
     "населения",
     G + "Воду подвезут для местных жителей."),
    (G + "Мы оповестили население о ремонте.",
     "население",
     G + "Мы оповестили жителей о ремонте."),
    (G + "На время производства работ дорогу перекроют.",
     "производства",
     G + "На время работ дорогу перекроют."),
    # a verb for a light verb with a verbal noun, the object into the accusative
    (G + "Произведём замену ламп в пятницу.",
     "Произведём",
     G + "Заменим лампы в пятницу."),
    (G + "Мы решили произвести ремонт участка дороги у школы.",
     "произвести",
     G + "Мы решили отремонтировать участок дороги у школы."),
    (G + "Мы осуществляем отлов бездомных собак.",
     "осуществляем",
     G + "Мы отлавливаем бездомных собак."),
    # removed with the space or the commas around, the next word capitalised at a start
    (G + "Заявление рассмотрено в установленном порядке.",
     "в установленном",
     G + "Заявление рассмотрено."),
    (G + "В установленном порядке заявление рассмотрят за десять дней.",
     "В установленном",
     G + "Заявление рассмотрят за десять дней."),
    (G + "Заявление, в установленном порядке, рассмотрят за десять дней.",
     "в установленном",
     G + "Заявление рассмотрят за десять дней."),
    (G + "Заявление рассмотрят в установленном законом порядке.",
     "в установленном",
     G + "Заявление рассмотрят."),
    (G + "На текущем этапе идёт проектирование дамбы.",
     "текущем",
     G + "Сейчас идёт проектирование дамбы."),
    (G + "Автобус отменили по причине болезни водителя.",
     "причине",
     G + "Автобус отменили из-за болезни водителя."),
    (G + "Ямы успешно засыпали в среду.",
     "успешно",
     G + "Ямы засыпали в среду."),
    # plainer words that fit as they are
    (G + "По состоянию на сегодняшний день яма засыпана.",
     "сегодняшний",
     G + "Сейчас яма засыпана."),
    (G + "Покос в настоящее время идёт на стадионе.",
     "настоящее",
     G + "Покос сейчас идёт на стадионе."),
    (G + "Мы думаем над этим, но в данный момент денег нет.",
     "данный",
     G + "Мы думаем над этим, но сейчас денег нет."),
    (G + "Ввиду погодных условий покос перенесли.",
     "Ввиду",
     G + "Из-за погодных условий покос перенесли."),
    (G + "Согласно графику автобус ходит каждый час.",
     "Согласно",
     G + "По графику автобус ходит каждый час."),
    (G + "В случае если фонарь снова погаснет, напишите нам.",
     "В случае",
     G + "Если фонарь снова погаснет, напишите нам."),
    (G + "Данный участок мы покосим в среду.",
     "Данный",
     G + "Этот участок мы покосим в среду."),
    (G + "Ответ дадим в установленные сроки.",
     "установленные",
     G + "Ответ дадим в срок."),
    (G + "На данный момент яма засыпана.",
     "данный",
     G + "Сейчас яма засыпана."),
    (G + "Свободных мест на текущий момент нет.",
     "текущий",
     G + "Свободных мест сейчас нет."),
    (G + "В настоящий момент бригада работает на Мира.",
     "настоящий",
     G + "Сейчас бригада работает на Мира."),
    (G + "Информируем вас о том, что вывоз бесплатный.",
     "Информируем",
     G + "Сообщаем о том, что вывоз бесплатный."),
    (G + "Мы доведём до сведения подрядчика ваши замечания.",
     "доведём",
     G + "Мы сообщим подрядчику ваши замечания."),
    (G + "Дворы убирают на постоянной основе.",
     "постоянной",
     G + "Дворы убирают постоянно."),
    (G + "Яму засыплем в кратчайшие сроки.",
     "кратчайшие",
     G + "Яму засыплем как можно скорее."),
    (G + "Трубы заменят в плановом порядке.",
     "плановом",
     G + "Трубы заменят по плану."),
    (G + "Паспорт в обязательном порядке возьмите с собой.",
     "обязательном",
     G + "Паспорт обязательно возьмите с собой."),
    (G + "Учитывая вышеизложенное, мы продлим срок.",
     "вышеизложенное",
     G + "Учитывая это, мы продлим срок."),
    (G + "Вышеперечисленные документы принесите в МФЦ.",
     "Вышеперечисленные",
     G + "Эти документы принесите в МФЦ."),
    (G + "Площадку содержат в надлежащем состоянии.",
     "надлежащем",
     G + "Площадку содержат в порядке."),
    (G + "Вследствие ливня дорогу размыло.",
     "Вследствие",
     G + "Из-за ливня дорогу размыло."),
    (G + "Дороги к школам чистят в приоритетном порядке.",
     "приоритетном",
     G + "Дороги к школам чистят в первую очередь."),
    (G + "Тротуар отремонтируют с применением щебёночно-песчаной смеси.",
     "применением",
     G + "Тротуар отремонтируют из щебёночно-песчаной смеси."),
]

# Phrases with a finding but no grammatical fix: the finding stays, the suggestion is None.
NO_FIX: list[tuple[str, str]] = [
    (G + "Участок не является муниципальным.", "является"),  # «не —» is no Russian
    (G + "Школа является местом сбора и работает с 8:00.", "является"),  # «— место … и работает»
    (G + "Собственником дороги является поселение.", "является"),  # the predicate stands before
    (G + "Население поселения выросло за год.", "Население"),  # the verb would not agree
    (G + "Будет ли иметь место проверка?", "иметь"),
    (G + "Мы произведём капитальный ремонт крыши.", "произведём"),  # «капитальный» would be lost
    (G + "Модерация ведётся в соответствии с графиком, утверждённым главой.", "соответствии"),
    (G + "Работы выполнены успешно и в срок.", "успешно"),
    # a participle after a comma may agree with the noun put into another case
    (G + "Информируем жителей, проживающих у реки, о паводке.", "Информируем"),
    (G + "Мы произведём ремонт дорог, ведущих к школе.", "произведём"),
]


def _bur(answer: str) -> list[Finding]:
    return [f for f in check_answer(answer) if f.code == "bureaucratese"]


def _finding(answer: str, phrase: str) -> Finding:
    at = answer.index(phrase)
    found = [f for f in _bur(answer) if f.start <= at < f.end]
    assert found, (answer, phrase, _bur(answer))
    return min(found, key=lambda f: f.end - f.start)


def _apply(answer: str, f: Finding) -> str:
    assert f.suggestion is not None, f
    return answer[:f.start] + f.suggestion + answer[f.end:]


def _key(text: str) -> tuple[str, ...]:
    return tuple(morph.lemma(w.text) for w in morph.words(text))


_SECOND = {"loc2": "loct", "gen2": "gent", "acc2": "accs"}


def _agree(adj: OpencorporaTag, noun: OpencorporaTag) -> bool:
    """Written out here, not taken from the engine: same case and number, same gender in the
    singular, same animacy where the accusative shows it; «в прошлом году» (the second locative)
    agrees like the first."""
    if _SECOND.get(str(adj.case), adj.case) != _SECOND.get(str(noun.case), noun.case) \
            or adj.number != noun.number:
        return False
    if adj.number == "sing" and adj.gender and noun.gender and adj.gender != noun.gender:
        return False
    return not (adj.case == "accs" and adj.animacy and noun.animacy
                and adj.animacy != noun.animacy)


def _disagreements(text: str) -> list[tuple[str, str]]:
    """(adjective, noun) pairs of ``text`` where an adjective or participle right before a noun
    (or before other adjectives before it) has no parse agreeing with any parse of the noun."""
    analyzer = morph.analyzer()
    words = morph.words(text)
    bad: list[tuple[str, str]] = []
    for k, w in enumerate(words):
        best = analyzer.parse(w.text)[0].tag
        if best.POS != "NOUN":
            continue
        nouns = [p.tag for p in analyzer.parse(w.text) if p.tag.POS == "NOUN"]
        j = k - 1
        while j >= 0 and words[j].end + 1 >= words[j + 1].start \
                and analyzer.parse(words[j].text)[0].tag.POS in ("ADJF", "PRTF"):
            adjs = [p.tag for p in analyzer.parse(words[j].text) if p.tag.POS in ("ADJF", "PRTF")]
            if not any(_agree(a, n) for a in adjs for n in nouns):
                bad.append((words[j].text, w.text))
            j -= 1
    return bad


@pytest.mark.parametrize(("answer", "phrase", "expected"), FIXES)
def test_fix_gives_the_expected_sentence(answer: str, phrase: str, expected: str) -> None:
    assert _apply(answer, _finding(answer, phrase)) == expected


@pytest.mark.parametrize(("answer", "phrase", "expected"), FIXES)
def test_fixed_text_passes_the_checks(answer: str, phrase: str, expected: str) -> None:
    f = _finding(answer, phrase)
    fixed = _apply(answer, f)
    assert f.suggestion is not None
    start, end = f.start, f.start + len(f.suggestion)  # the rewritten words in the fixed text
    after = check_answer(fixed)

    def inside(g: Finding) -> bool:
        return g.start < end and g.end > start

    assert not [g for g in after if g.code == "spelling" and inside(g)]
    assert not [g for g in after if g.code == "punctuation" and inside(g)]
    # Bureaucratese there only if it was there before the fix (e.g. «надлежащий» is copied into
    # «надлежащее освещение»), never the fixed phrase again, never a new one.
    before = {_key(answer[g.start:g.end]) for g in _bur(answer)
              if g != f and g.start >= f.start and g.end <= f.end}
    again = [fixed[g.start:g.end] for g in after if g.code == "bureaucratese" and inside(g)
             and _key(fixed[g.start:g.end]) not in before]
    assert not again, again


@pytest.mark.parametrize(("answer", "phrase", "expected"), FIXES)
def test_rewritten_words_agree(answer: str, phrase: str, expected: str) -> None:
    f = _finding(answer, phrase)
    assert f.suggestion is not None
    assert _disagreements(f.suggestion) == []
    assert _disagreements(expected) == []


def test_agreement_check_sees_broken_agreement() -> None:
    """The agreement test above would catch the fixes of the issue as they were."""
    assert _disagreements("Чтобы надлежащего освещение территории") != []
    assert _disagreements("О коммунальных услугах") == []
    assert _disagreements("Чтобы обеспечить надлежащее освещения") != []


@pytest.mark.parametrize(("answer", "phrase"), NO_FIX)
def test_no_fix_where_none_is_grammatical(answer: str, phrase: str) -> None:
    f = _finding(answer, phrase)
    assert f.suggestion is None
    assert f.message.startswith("Канцелярит")


def test_every_stock_fix_has_an_example() -> None:
    """A stock phrase that offers a fix is tried on at least one example above: a new one must
    come with its sentence."""
    covered = set()
    for answer, _, _ in FIXES:
        covered |= {m.key for m in _MATCHER.find(Doc(answer))}
    missing = [phrase for key, (phrase, _, kind) in enumerate(_STOCK)
               if kind != "none" and key not in covered]
    assert missing == []


def test_capital_only_at_a_sentence_start() -> None:
    start = _finding(G + "В настоящее время покос идёт.", "настоящее")
    middle = _finding(G + "Покос в настоящее время идёт.", "настоящее")
    assert start.suggestion == "Сейчас"
    assert middle.suggestion == "сейчас"
