"""Speed of screen(): messages per second on one core over ~2 000 varied synthetic messages.

    .venv/bin/python bench/text_speed_screening.py

The messages are built from realistic pieces (greetings, complaints, addresses, emergencies,
rude words, spam) of 50-600 characters; a warm-up pass fills the morphology caches first, as a
running server would have them.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from otklik.texts.screening import screen

GREETINGS = ["Здравствуйте!", "Добрый день.", "Уважаемая администрация!", "", "Доброе утро,", "Помогите пожалуйста."]
STREETS = ["Красной", "Ленина", "Мира", "Советской", "Садовой", "Кубанской", "Школьной", "Гагарина", "Октябрьской"]
BODIES = [
    "На улице {s} возле дома {n} огромная яма, машины объезжают по тротуару, когда отремонтируют дорогу?",
    "Третий день нет воды по ул. {s}, {n}. Дети, старики, никто ничего не объясняет.",
    "Сидим без света второй день в станице Пластуновской, продукты в холодильнике испортились.",
    "Пахнет газом у подъезда дома {n} по улице {s}, позвоните в газовую службу!",
    "Не горит фонарь на пер. Школьный уже месяц, вечером темно, страшно ходить детям.",
    "Контейнеры на {s} {n} переполнены, мусор не вывозят две недели, собаки растаскивают пакеты.",
    "Когда покосят траву в сквере у Дома культуры? Амброзия уже по пояс.",
    "Автобус до Динской опять не пришёл по расписанию, люди стояли на остановке час.",
    "Запись к врачу в амбулатории только через две недели, ФАП закрыт, что делать пенсионерам?",
    "Подскажите, как оформить земельный участок под ИЖС, межевание уже сделано, кадастровый номер есть.",
    "Многодетным семьям положена субсидия? В соцзащите ничего не объяснили.",
    "Бродячие собаки стаей бегают у школы на {s}, покусали ребёнка, примите меры!",
    "В ДК отменили концерт к празднику, а стадион закрыт на ремонт уже второй год.",
    "Вы там совсем охуели? Третий раз пишем про яму, а вам пох*й.",
    "Дебилы в администрации, когда уже сделаете дорогу, бл@ть.",
    "Работаете плохо, безобразие и позор, буду жаловаться в прокуратуру и губернатору.",
    "Найду где живёшь, глава, и дом твой сожгу.",
    "Заработок от 5000 в день без вложений! Пиши в лс, ссылка в профиле.",
    "Розыгрыш iPhone среди подписчиков! Подписывайтесь и делайте репост.",
    "Вот фото ямы: https://vk.com/photo123_4567 — это на {s} {n}, проехать невозможно.",
    "Прорвало трубу на {s}, вода хлещет на дорогу, затопило подвал дома {n}.",
    "Оборван провод на ул. {s}, висит над тротуаром, дети ходят в школу мимо.",
    "Упало дерево на провода в х. Красносельском, света нет.",
    "Спасибо администрации за новую детскую площадку в парке, дети довольны!",
    "Отключение воды по графику завтра с 9 до 17 — это надолго?",
]
TAILS = ["", "Спасибо.", "Жду ответа.", "Сколько можно?!", "Примите меры.", "С уважением, жители.", "Фото прилагаю."]


def make_messages(count: int, seed: int = 7) -> list[str]:
    rnd = random.Random(seed)
    out: list[str] = []
    while len(out) < count:
        parts = [rnd.choice(GREETINGS)]
        for _ in range(rnd.randint(1, 4)):
            parts.append(rnd.choice(BODIES).format(s=rnd.choice(STREETS), n=rnd.randint(1, 120)))
        parts.append(rnd.choice(TAILS))
        text = " ".join(p for p in parts if p)
        if 50 <= len(text) <= 600:
            out.append(text)
    return out


def main() -> None:
    messages = make_messages(2000)
    for text in messages[:300]:
        screen(text)
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        for text in messages:
            screen(text)
        runs.append(time.perf_counter() - start)
    best = min(runs)
    mean_len = statistics.mean(len(t) for t in messages)
    print(f"messages: {len(messages)}, mean length {mean_len:.0f} chars")
    print(f"best of 3: {len(messages) / best:.0f} messages/s, {best / len(messages) * 1000:.2f} ms/message")
    print(f"median of 3: {len(messages) / statistics.median(runs):.0f} messages/s")


if __name__ == "__main__":
    main()
