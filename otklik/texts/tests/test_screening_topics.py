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
