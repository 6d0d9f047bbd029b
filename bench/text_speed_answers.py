"""Speed of ``check_answer`` on answers of about 1 000 characters, after warm-up.

Run: ``.venv/bin/python bench/text_speed_answers.py`` — prints mean and p95 in milliseconds.
"""

from __future__ import annotations

import random
import statistics
import time

from otklik.texts.answers import check_answer

QUESTION = "Когда починят фонарь на Красной, 15? Темно вечером, дети ходят из школы."
SENTENCES = [
    "Здравствуйте, Анна!",
    "Фонарь у дома 15 на улице Красной заменим до пятницы, 6 декабря.",
    "В настоящее время в рамках муниципальной программы осуществляется ремонт сетей освещения.",
    "Сообщаем что подрядчик уже закупил лампы,но опору нужно покрасить.",
    "Яма на тротуаре засыпана, мусор вывезен, работы выполнены в полном объёме.",
    "К сожалению сроки сдвинулись из-за погоды, извените за ожидание.",
    "Согласно ст. 16 Федерального закона от 06.10.2003 № 131-ФЗ вопрос решает поселение.",
    "Если фонарь снова погаснет, напишите нам сюда, пожалуйста, мы проверим ещё раз.",
    "Данный вопрос находится на контроле администрации, следущий осмотр в понедельник.",
    "Электрики приедут утром, перекроют тротуар на час и заменят светильник на новый.",
    "Спасибо, что написали: без вас мы бы узнали об этом позже.",
]


def answer(rng: random.Random) -> str:
    parts = [SENTENCES[0]]
    while sum(len(p) + 1 for p in parts) < 1000:
        parts.append(rng.choice(SENTENCES[1:]))
    return " ".join(parts)[:1000]


def main() -> None:
    rng = random.Random(7)
    texts = [answer(rng) for _ in range(200)]
    for t in texts[:20]:  # warm-up: loads dictionaries and fills the caches
        check_answer(t, question=QUESTION, author="Анна Петрова")
    times = []
    for t in texts:
        start = time.perf_counter()
        check_answer(t, question=QUESTION, author="Анна Петрова")
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"check_answer, {len(texts)} answers of ~1000 chars: "
          f"mean {statistics.mean(times):.2f} ms, p95 {p95:.2f} ms")


if __name__ == "__main__":
    main()
