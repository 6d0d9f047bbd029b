"""A few weeks of the demo municipality's posts: published ones, one waiting for approval, one
planned — and the OK page kept below the weekly norm, so the cadence board has something to say."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from otklik.org.demo import DEMO_SLUG
from otklik.org.models import Municipality, Person
from otklik.pages.models import OfficialPage
from otklik.posts.models import Post, PostEvent, PostTarget
from otklik.posts.services import text_hash

TEXTS = [
    "Друзья, в эту субботу в 11:00 ждём вас на субботнике в парке у Дома культуры! Перчатки и мешки выдадим.",
    "На ул. Красной сегодня меняют трубы водопровода. Воды не будет с 10:00 до 16:00 — простите за неудобства.",
    "Поздравляем наших футболистов с победой в районном турнире! Следующая игра — в воскресенье, приходите болеть.",
    "В библиотеке открылась выставка рисунков ребят из школы № 5. Загляните — работы правда замечательные.",
    "Снегоуборочная техника сегодня работает на улицах Ленина и Мира. Пожалуйста, не оставляйте машины у обочины.",
    "Новый график вывоза мусора: по вторникам и пятницам. Выставляйте пакеты к 8 утра — так их точно заберут.",
]


def demo_posts_load() -> int:
    """Idempotent: only when the demo municipality has no posts yet."""
    municipality = Municipality.objects.get(slug=DEMO_SLUG)
    if Post.objects.filter(municipality=municipality).exists():
        return 0
    editor = Person.objects.get(user__username="editor")
    head = Person.objects.get(user__username="general")
    now = timezone.now()
    pages = {p.network: p for p in OfficialPage.objects.filter(municipality=municipality, unit__isnull=True)}
    made = 0
    for week in range(4, -1, -1):  # four weeks back and this one
        for k, network in enumerate(["vk", "telegram", "max", "vk", "telegram", "max"]):
            # This week's posts went out in the last hour: whatever the weekday, the norm is met.
            when = now - timedelta(weeks=week, days=k % 3, hours=k) if week else now - timedelta(minutes=10 * (k + 1))
            if when > now:
                continue
            text = TEXTS[(week + k) % len(TEXTS)]
            post = Post.objects.create(municipality=municipality, author=editor, text=text, text_hash=text_hash(text),
                                       state=Post.State.PUBLISHED, needs_approval=True, approved_by=head,
                                       approved_at=when, approved_hash=text_hash(text), published_at=when)
            page = pages[network]
            PostTarget.objects.create(post=post, page=page, state=PostTarget.State.DONE, text_hash=post.text_hash,
                                      network_post_id=str(900 + made), published_at=when,
                                      url=page.url.rstrip("/") + f"/{900 + made}")
            PostEvent.objects.create(post=post, at=when, actor=editor, actor_label=editor.full_name, action="create")
            made += 1
    # OK: one post a fortnight ago — below the norm of 2 a week, red on the board.
    text = TEXTS[3]
    old = now - timedelta(weeks=2)
    post = Post.objects.create(municipality=municipality, author=editor, text=text, text_hash=text_hash(text),
                               state=Post.State.PUBLISHED, approved_by=head, approved_at=old,
                               approved_hash=text_hash(text), published_at=old)
    PostTarget.objects.create(post=post, page=pages["ok"], state=PostTarget.State.DONE, text_hash=post.text_hash,
                              network_post_id="990", published_at=old, url=pages["ok"].url + "/topic/990")
    waiting = ("Приглашаем всех на ёлку у Дома культуры 28 декабря в 17:00! Будут Дед Мороз, горячий чай и "
               "фейерверк. Приходите с детьми!")
    post = Post.objects.create(municipality=municipality, author=editor, text=waiting, text_hash=text_hash(waiting),
                               state=Post.State.AWAITING)
    for network in ("vk", "ok", "telegram"):
        PostTarget.objects.create(post=post, page=pages[network], text_hash=post.text_hash)
    return made + 2
