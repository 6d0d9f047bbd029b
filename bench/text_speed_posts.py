"""Speed of ``check_post`` on posts of about 1 000 characters, after warm-up.

Run: ``.venv/bin/python bench/text_speed_posts.py`` — prints mean, median and p95 in milliseconds.
"""

from __future__ import annotations

import random
import statistics
import time

from otklik.texts.posts import check_post

SENTENCES = [
    "Друзья, в субботу в 11:00 ждём вас на субботнике в парке у Дома культуры!",
    "Администрация поселения информирует о том, что в рамках реализации программы осуществляется ремонт дорог.",
    "Перчатки, мешки и горячий чай будут на месте, приходите всей семьёй.",
    "Состоялось совещание под председательством главы поселения по вопросам благоустройства.",
    "На ул. Красной сегодня меняют трубы, воды не будет с 10:00 до 16:00 — простите за неудобства.",
    "Согласно ст. 16 Федерального закона от 06.10.2003 № 131-ФЗ и постановлению № 273 работы ведёт поселение.",
    "Кстати на площадке уже поставили новые качели, дети оценили.",
    "Если заметите яму или тёмный фонарь, напишите нам в комментариях, пожалуйста.",
    "Было проведено обследование территории, по результатам которого приняты меры.",
    "Спасибо всем, кто пришёл в прошлый раз: вместе мы убрали целых три улицы!",
]


def post(rng: random.Random) -> str:
    parts = [SENTENCES[0]]
    while sum(len(p) + 1 for p in parts) < 1000:
        parts.append(rng.choice(SENTENCES[1:]))
    return " ".join(parts)[:1000]


def main() -> None:
    rng = random.Random(7)
    texts = [post(rng) for _ in range(200)]
    for t in texts[:20]:  # warm-up: loads dictionaries and fills the caches
        check_post(t)
    times = []
    for t in texts:
        start = time.perf_counter()
        check_post(t)
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[int(len(times) * 0.95) - 1]
    print(f"check_post, {len(texts)} posts of ~1000 chars: mean {statistics.mean(times):.2f} ms, "
          f"median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms")


if __name__ == "__main__":
    main()
