"""Topics: shipped keyword rules, the naive Bayes model, and the blend in screen()."""

from __future__ import annotations

import pytest

from otklik.texts.screening import TOPICS, TopicModel, screen


def test_topic_codes() -> None:
    assert list(TOPICS) == [
        "utilities", "roads", "lighting", "waste", "improvement", "transport", "education",
        "health", "social", "safety", "culture_sport", "land_property", "other",
    ]
    assert TOPICS["roads"] == "Дороги"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        ("Когда отремонтируют дорогу на Красной? Яма на яме, асфальт раскрошился", "roads"),
        ("Прошу прогрейдировать улицу и отсыпать щебнем", "roads"),
        ("Не горят фонари на улице Мира, вечером темно", "lighting"),
        ("Контейнеры переполнены, мусор не вывозят неделю", "waste"),
        ("Нет воды третий день, водоканал не отвечает", "utilities"),
        ("Пахнет газом у подъезда", "utilities"),
        ("Когда покосят траву в сквере и поставят лавочки?", "improvement"),
        ("На детской площадке сломаны качели", "improvement"),
        ("Автобус до Динской не ходит по расписанию", "transport"),
        ("В детском саду нет мест, очередь на два года", "education"),
        ("В амбулатории нет терапевта, к врачу не записаться", "health"),
        ("Как оформить пособие многодетной семье?", "social"),
        ("Стая бродячих собак у школы, дети боятся", "safety"),
        ("Когда в Доме культуры будет концерт к празднику?", "culture_sport"),
        ("Как оформить земельный участок в собственность, межевание сделано", "land_property"),
        ("Спасибо вам большое!", "other"),
    ],
)
def test_rule_topics(text: str, topic: str) -> None:
    result = screen(text)
    assert result.topic == topic, (text, result.topic, dict(result.topic_scores))
    assert set(result.topic_scores) <= set(TOPICS)


def _examples() -> list[tuple[str, str]]:
    # A settlement whose curators route «собрание ТОС» messages to culture_sport: the model learns it.
    base = [
        ("Когда будет собрание ТОС в нашем квартале?", "culture_sport"),
        ("Собрание ТОС перенесли, где объявление?", "culture_sport"),
        ("Председатель ТОС не отвечает на звонки", "culture_sport"),
        ("Яма на дороге у магазина", "roads"),
        ("Асфальт разбит, яма на яме", "roads"),
        ("Мусор не вывозят неделю", "waste"),
        ("Контейнеры переполнены мусором", "waste"),
    ]
    return base * 10


def test_model_learns_and_predicts() -> None:
    model = TopicModel.train(_examples())
    assert model.size == 70
    prediction = model.predict("А собрание ТОС когда?")
    assert prediction is not None
    topic, confidence = prediction
    assert topic == "culture_sport"
    assert 0.5 < confidence <= 1.0
    assert model.predict("абракадабра") is None


def test_model_serialises() -> None:
    model = TopicModel.train(_examples())
    again = TopicModel.from_json(model.to_json())
    assert again.size == model.size
    assert again.predict("собрание ТОС") == model.predict("собрание ТОС")
    with pytest.raises(ValueError, match="TopicModel"):
        TopicModel.from_json('{"version": 99}')


def test_screen_uses_model_when_trained_enough() -> None:
    model = TopicModel.train(_examples())
    text = "Когда собрание ТОС?"
    assert screen(text).topic == "other"
    assert screen(text, topic_model=model).topic == "culture_sport"


def test_screen_falls_back_to_rules_when_model_is_small() -> None:
    model = TopicModel.train([("Яма на дороге у магазина", "waste")] * 5)
    result = screen("Яма на дороге у магазина", topic_model=model)
    assert model.size == 5
    assert result.topic == "roads"
    # With a low threshold the same small model is trusted.
    assert screen("Яма на дороге у магазина", topic_model=model, min_examples=5).topic == "waste"


def test_untrained_model_predicts_nothing() -> None:
    model = TopicModel.train([])
    assert model.size == 0
    assert model.predict("яма") is None
    assert screen("яма на дороге", topic_model=model, min_examples=0).topic == "roads"


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # utilities: sewerage, septic tanks, manholes, power poles and lines — also when urgent
        ("Из колодца на Полевой бьют нечистоты, весь двор залило, срочно!", "utilities"),
        ("Когда приедет машина откачать выгребную яму? Записались ещё в понедельник", "utilities"),
        ("Трубопровод прорвало, вода заливает подвал многоэтажки", "utilities"),
        ("Опора ЛЭП за огородами покосилась, провода провисли", "utilities"),
        ("Крышки на люке нет уже неделю, прикройте хоть чем-нибудь", "utilities"),
        # roads: bridges, crossings, snow and ice
        ("Мостик через балку совсем прогнил, на машине боимся ехать", "roads"),
        ("Сугробы по колено, когда будет расчистка?", "roads"),
        ("Гололед страшный, посыпьте хоть песком спуск к переезду", "roads"),
        # culture_sport: rinks, fêtes, horse races
        ("Зальют ли хоккейную коробку к декабрю?", "culture_sport"),
        ("Будут ли в этом году народные гуляния на Масленицу?", "culture_sport"),
        ("Где записаться на лыжную секцию для подростков?", "culture_sport"),
        # health: an ambulance, a paramedic
        ("Вызвали скорую к соседке, ждём второй час, у неё приступ", "health"),
        # safety: smoke from burning, fireworks at night, river floods, road accidents
        ("Сосед каждый вечер жжёт костёр из пластика, дым в окна", "safety"),
        ("Петарды взрывают до трёх ночи, дети не спят", "safety"),
        ("Река поднялась, подтопило огороды на окраине, эвакуируйте стариков", "safety"),
        ("ДТП на повороте у элеватора, машина перевернулась", "safety"),
        # land_property: abandoned houses, grazing, building rules
        ("Бесхозный дом разваливается, хозяин умер, кто его снесёт?", "land_property"),
        ("Где разрешён выпас коров? Пастуха в этом году нет", "land_property"),
        # social: a subsidy beats the commodity it is for; privileged groups
        ("Когда перечислят субсидию на дрова?", "social"),
        ("Льготникам в этом году будут давать уголь?", "social"),
        # transport: the fare is transport even with «проезд» in it
        ("Стоимость проезда в пригородном подняли на 20 рублей", "transport"),
        # waste
        ("Мусорщики опять порвали мешки и всё раскидали", "waste"),
    ],
)
def test_general_vocabulary_of_each_topic(text: str, topic: str) -> None:
    assert screen(text).topic == topic, text


@pytest.mark.parametrize(
    ("text", "topic"),
    [
        # a street named like a topic word is a place, not the topic
        ("Поставьте лежачего полицейского на Школьной у дома 3", "roads"),
        ("На Парковой опять нет воды", "utilities"),
        ("По Садовой мусор не вывозят вторую неделю", "waste"),
    ],
)
def test_street_names_do_not_vote(text: str, topic: str) -> None:
    assert screen(text).topic == topic, text
