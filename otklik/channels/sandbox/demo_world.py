"""The demo municipality's pages in the sandbox: one source for the sandbox and `otklik demo load`.

The sandbox starts with these pages, each with posts and a citizen's comment under each post;
the demo incidents point at those comments, so a visitor who publishes an answer in Otklik
sees it appear under the comment in the sandbox view.
"""

from __future__ import annotations

from dataclasses import dataclass

from otklik.channels.sandbox.world import SbPage, World


@dataclass(frozen=True)
class DemoPage:
    network: str
    external_id: str
    name: str
    url: str
    token: str
    screen_name: str
    discussion_chat_id: str = ""


PAGES = [
    DemoPage("vk", "100", "Администрация Пластуновского сельского поселения", "https://vk.com/plastunovskoe_adm",
             "sandbox-vk-100", "plastunovskoe_adm"),
    DemoPage("ok", "5100", "Администрация Пластуновского СП", "https://ok.ru/group/5100", "sandbox-ok-5100",
             "plastunovskoe"),
    DemoPage("telegram", "@plastunovskoe_adm", "Пластуновское СП — официально", "https://t.me/plastunovskoe_adm",
             "5100000001:sandbox-telegram-bot", "plastunovskoe_adm", discussion_chat_id="-1005100000002"),
    DemoPage("max", "-70000005100", "Пластуновское СП в MAX", "https://max.ru/plastunovskoe_adm", "sandbox-max-5100",
             "plastunovskoe_adm"),
]
NETWORK_ORDER = [p.network for p in PAGES]

# The citizens' messages of the demo (author, text, topic, place): each is a comment under a post.
MESSAGES = [
    ("Анна Петренко", "Здравствуйте! На ул. Красной возле дома 15 огромная яма, вчера машина колесо пробила. Когда засыпят?", "Дороги", "ул. Красная, 15"),
    ("Сергей Ковальчук", "Третий день не горит фонарь на пер. Школьном, дети из школы идут в темноте.", "Освещение", "пер. Школьный"),
    ("Ирина Мельниченко", "Контейнеры на ул. Мира не вывозят уже неделю, всё вокруг в мусоре, собаки растаскивают", "Мусор", "ул. Мира"),
    ("Виктор Гайдамака", "Когда покосят траву в парке у Дома культуры? Уже по пояс, клещи", "Благоустройство", "ст. Пластуновская"),
    ("Ольга Сидоренко", "Подскажите, где получить справку о составе семьи для субсидии?", "Социальная защита", ""),
    ("Максим Дорошенко", "Автобус на Краснодар в 7:10 опять не пришёл, люди опаздывают на работу!", "Транспорт", ""),
    ("Людмила Захарова", "На ул. Ленина 40 нет воды с утра, дома маленький ребёнок, что случилось?", "ЖКХ", "ул. Ленина, 40"),
    ("Николай Бойко", "Почему не отвечаете? Уже писал про лавочки на остановке — их так и не поставили", "Благоустройство", ""),
]
POSTS = [
    "Уважаемые жители! Публикуем план работ по благоустройству поселения на декабрь. Вопросы — в комментариях.",
    "Отчёт главы поселения о работе администрации за ноябрь. Спасибо всем, кто помогал!",
]
MESSAGE_COUNT = 12  # the demo incidents use messages 0…11
# Comments under the VK page's first post for the moderation demo: (id, author id, text).
MODERATION_POST = 1000
MODERATION_COMMENTS = [
    (9101, "7501", "Когда уже починят освещение на ул. Школьной? Дети из кружков идут в темноте."),
    (9102, "7502", "Вы там в администрации совсем обнаглели, бездельники"),
    (9103, "7503", "Заработок от 5000 рублей в день без вложений! Пиши в личку"),
    (9104, "7504", "Соседка с Ленина 12, Петрова Галина, вот её номер +7 918 123-45-67, звоните ей все"),
    (9105, "7505", "Спасибо за праздник, было здорово!"),
]
CALLBACK_SECRET = "sandbox-callback-secret"  # noqa: S105  # the sandbox's, not a real one
# The staff bots (otklik/staffbot) of the sandbox: Telegram and MAX, by these tokens.
STAFF_BOT_TOKENS = {"telegram": "5200000001:sandbox-staff-bot", "max": "sandbox-max-staff-bot"}


def page_of(i: int) -> DemoPage:
    return PAGES[i % len(PAGES)]


def post_id(i: int) -> int:
    return 1000 + i


def comment_id(i: int) -> int:
    return 5000 + i


def message_url(i: int) -> str:
    """The public link of demo message i, in its network's own form."""
    page, post, comment = page_of(i), post_id(i), comment_id(i)
    if page.network == "vk":
        return f"https://vk.com/wall-{page.external_id}_{post}?reply={comment}"
    if page.network == "ok":
        return f"https://ok.ru/group/{page.external_id}/topic/{post}"
    if page.network == "telegram":
        return f"https://t.me/{page.screen_name}/{post}?comment={comment}"
    from otklik.channels.max.standin import post_url

    return post_url(page.screen_name, post)


def demo_world() -> World:
    world = World()
    for spec in PAGES:
        world.add_page(SbPage(network=spec.network, external_id=spec.external_id, name=spec.name, token=spec.token,
                              discussion_chat_id=spec.discussion_chat_id, screen_name=spec.screen_name))
    for i in range(MESSAGE_COUNT):
        spec = page_of(i)
        page = world.pages[(spec.network, spec.external_id)]
        page.add_post(POSTS[i % len(POSTS)], post_id=post_id(i))
        name, text, _, _ = MESSAGES[i % len(MESSAGES)]
        page.add_comment(post_id(i), str(7000 + i), name, text, comment_id=comment_id(i))
        world.users[str(7000 + i)] = name
    vk = world.pages[("vk", PAGES[0].external_id)]
    for cid, author, text in MODERATION_COMMENTS:
        vk.add_comment(MODERATION_POST, author, f"Житель {author}", text, comment_id=cid)
    from otklik.channels.sandbox.bots import register_bot

    for network, token in STAFF_BOT_TOKENS.items():
        register_bot(world, network, token)
    return world


def sandbox_env(addr: str) -> dict[str, str]:
    """The environment that points Otklik's clients at a sandbox on ADDR:PORT."""
    from otklik.channels.ok.standin import APP_KEY, APP_SECRET
    from otklik.channels.sandbox.server import api_urls

    return {**api_urls(f"http://{addr}"), "OTKLIK_OK_APP_KEY": APP_KEY, "OTKLIK_OK_APP_SECRET": APP_SECRET,
            "OTKLIK_STAFFBOT_TELEGRAM_TOKEN": STAFF_BOT_TOKENS["telegram"],
            "OTKLIK_STAFFBOT_MAX_TOKEN": STAFF_BOT_TOKENS["max"]}
