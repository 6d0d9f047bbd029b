"""The post checks one by one: what fires, on which words, and what the fixes write."""

from __future__ import annotations

import io
import json

import pytest

from otklik.texts.posts import ERROR, WARNING, check_post
from otklik.texts.posts_cli import main


def _spans(text: str, code: str) -> list[tuple[str, str, str | None]]:
    return [(text[f.start:f.end], f.severity, f.suggestion)
            for f in check_post(text) if f.code == code]


def test_the_administration_reporting_in_the_third_person() -> None:
    text = "Администрация Пластуновского сельского поселения информирует, что с 1 мая меняется график."
    assert _spans(text, "press_release") == [
        ("Администрация Пластуновского сельского поселения информирует", ERROR, "Сообщаем")]
    text = "Уважаемые жители! Администрация поселения напоминает о запрете сжигания травы."
    assert _spans(text, "press_release") == [
        ("Администрация поселения напоминает", ERROR, "Напоминаем")]


def test_report_fix_only_where_the_government_fits() -> None:
    # «информирует жителей» would need «сообщаем жителям»: no fix, the error stays
    text = "Администрация поселения информирует жителей о начале ремонта. Приходите на собрание!"
    assert _spans(text, "press_release") == [
        ("Администрация поселения информирует", ERROR, None)]
    text = "Администрация поселения сообщила о ремонте. Приходите на собрание!"
    assert _spans(text, "press_release") == [("Администрация поселения сообщила", ERROR, None)]


def test_someone_elses_words_are_no_self_report() -> None:
    text = "Жители спрашивают, что администрация района обещала сделать с дорогой. Рассказываем!"
    assert _spans(text, "press_release") == []


def test_one_signal_in_a_lively_post_is_a_warning() -> None:
    text = "Вчера состоялось открытие катка! Приходите кататься, коньки можно взять напрокат."
    assert _spans(text, "press_release") == [("состоялось открытие", WARNING, None)]


def test_the_press_release_form_is_an_error() -> None:
    text = ("04.09.2023 г. в администрации состоялось совещание. Было проведено обсуждение "
            "вопросов благоустройства. Работы выполнены подрядчиком.")
    found = _spans(text, "press_release")
    assert [s for s, _, _ in found] == ["04.09.2023 г.", "состоялось совещание",
                                        "Было проведено обсуждение"]
    assert {sev for _, sev, _ in found} == {ERROR}


def test_passive_report_and_agent() -> None:
    text = "Администрацией поселения проведена проверка. Были выполнены работы по уборке."
    assert [s for s, _, _ in _spans(text, "press_release")] == [
        "Администрацией поселения проведена проверка", "Были выполнены работы"]
    # a state, not a report; a contractor named as the one who did it
    assert _spans("Дорога закрыта до пятницы. Ремонт выполнен подрядчиком.", "press_release") == []


def test_headline_in_capitals_gets_sentence_case() -> None:
    text = "ОТКЛЮЧЕНИЕ ВОДЫ НА УЛИЦЕ ЛЕНИНА В СТ. ПЛАСТУНОВСКОЙ\nЗавтра с 9 до 17 воды не будет. Запаситесь!"
    [(span, sev, fix)] = _spans(text, "press_release")
    assert span == "ОТКЛЮЧЕНИЕ ВОДЫ НА УЛИЦЕ ЛЕНИНА В СТ. ПЛАСТУНОВСКОЙ" and sev == WARNING
    assert fix is not None and fix.startswith("Отключение воды на улице Ленина")
    assert _spans("ВНИМАНИЕ! Завтра нет воды, запаситесь.", "press_release") == []
    assert _spans("МКУ ЦБС\nЖдём вас в библиотеке!", "press_release") == []


def test_signature_line_is_removed() -> None:
    text = "В Доме культуры прошёл концерт.\nПресс-служба администрации поселения"
    [(span, _, fix)] = _spans(text, "press_release")
    assert span == "\nПресс-служба администрации поселения" and fix == ""


def test_dateline() -> None:
    text = "Ст. Пластуновская, 12 марта — В парке высадили сто лип. Приходите гулять!"
    assert _spans(text, "press_release")[0][0] == "Ст. Пластуновская, 12 марта"


def test_voice() -> None:
    text = ("На улице Северной заменили водопровод. Старые трубы лежали с семидесятых годов и "
            "прорывались каждую зиму. Новые пластиковые трубы прослужат полвека.")
    assert _spans(text, "voice") == [("На улице Северной заменили водопровод.", WARNING, None)]
    for addressed in ("Ждём вас на празднике.", "Приходите!", "Как вам?", "Друзья, спасибо.",
                      "Уважаемые жители, это для вас."):
        assert _spans(text + " " + addressed, "voice") == [], addressed
    assert _spans("Воду дали. Трубу заменили.", "voice") == []  # two sentences: too short


def test_legal_citations_more_than_two_is_an_error() -> None:
    text = ("Жечь траву нельзя: это запрещают Федеральный закон № 69-ФЗ, постановление "
            "Правительства РФ от 16.09.2020 № 1479 и ст. 20.4 КоАП РФ. Берегите станицу!")
    [f] = [f for f in check_post(text) if f.code == "legal_refs"]
    assert f.severity == ERROR and text[f.start:f.end] == "Федеральный закон № 69-ФЗ"
    two = "По Федеральному закону № 69-ФЗ и ст. 20.4 КоАП РФ жечь траву нельзя. Берегите станицу!"
    assert [f for f in check_post(two) if f.code == "legal_refs"] == []


def test_no_doubled_mark_for_a_passive() -> None:
    """«было проведено» is a press-release passive and bureaucratese: marked once."""
    text = "Было проведено совещание. Приходите на следующее!"
    assert [f.code for f in check_post(text)] == ["press_release"]


def test_a_date_opening_is_no_small_letter() -> None:
    text = "12 марта в парке концерт. Приходите!"
    assert [f for f in check_post(text) if f.code == "punctuation"] == []


def test_network_length() -> None:
    text = "Приходите! " + "а" * 4100
    [f] = [f for f in check_post(text, network="telegram") if f.code == "length"]
    assert (f.start, f.end, f.severity) == (4096, len(text), ERROR)
    assert [f for f in check_post(text, network=None) if f.code == "length"] == []
    assert [f for f in check_post(text[:4000], network="ok") if f.code == "length"] == []
    with pytest.raises(ValueError, match="unknown network"):
        check_post("Привет", network="facebook")


def test_spans_after_normalisation() -> None:
    text = "Администрация поселения\u200b сообщает, что воду да\u0301ли. Ура!"
    [f] = [f for f in check_post(text) if f.code == "press_release"]
    assert text[f.start:f.end] == "Администрация поселения\u200b сообщает"
    assert f.suggestion == "Сообщаем"


def test_cli() -> None:
    stdin = io.StringIO(
        '{"text": "Администрация поселения сообщает, что воду дали.", "network": "vk"}\n'
        "\n"
        '{"text": "Приходите!", "network": "fb"}\n'
        '{"network": "vk"}\n'
        "не json\n")
    stdout = io.StringIO()
    assert main(stdin, stdout) == 1
    out = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert len(out) == 4
    [finding] = out[0]["findings"]
    assert finding["code"] == "press_release" and finding["suggestion"] == "Сообщаем"
    assert set(finding) == {"code", "severity", "start", "end", "message", "suggestion"}
    assert "network" in out[1]["error"] and "text" in out[2]["error"]
    assert out[3]["error"].startswith("не JSON")
    assert main(io.StringIO('{"text": "Ждём вас!"}\n'), io.StringIO()) == 0


POST_1000 = (
    "Администрация Пластуновского сельского поселения информирует, что в рамках реализации "
    "муниципальной программы было проведено совещание. В настоящее время ведутся работы по "
    "ремонту дороги на улице Ленина. Друзья, в субботу приглашаем всех на субботник в парк у "
    "Дома культуры! Начинаем в девять утра, перчатки и мешки выдадим на месте. Согласно "
    "графику вывоз мусора будет в среду, не забудьте выставить мешки. Наши футболисты выиграли "
    "районный турнир, поздравляем ребят и тренера! Как вам новая детская площадка на улице "
    "Садовой? Расскажите в комментариях, чего ещё не хватает. Дорога на хутор Северный "
    "расчищена, но местами ещё скользко, водители, не торопитесь. В библиотеке открылась "
    "выставка рисунков наших школьников, заходите посмотреть до конца апреля. Это запрещено "
    "Федеральным законом № 69-ФЗ, ст. 20.4 КоАП РФ и Правилами благоустройства поселения. "
    "Уважаемые жители! В среду с 9 до 17 часов на улицах Ленина и Красной не будет воды: "
    "водоканал меняет задвижку. Наберите воду заранее, а если к вечеру вода не появится, "
    "звоните диспетчеру. Спасибо за терпение!"
)


