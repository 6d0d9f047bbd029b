"""Spam: advertising, easy money, giveaways, crypto, casinos, loans, goods for sale.

Each sign carries a weight; a message is spam when the weights reach SPAM_THRESHOLD. One weak sign
(a link, «подпишитесь», a price) is not enough, because citizens link photos of potholes and
mention prices of bus tickets; a strong sign (easy-money offer, casino, loan ad) is.
"""

from __future__ import annotations

import re
from functools import lru_cache

from otklik.texts.morph import analyzer, lemma, pos
from otklik.texts.screening.data_files import lines
from otklik.texts.screening.result import Span

SPAM_THRESHOLD = 2.0

# A sum: a digit, then at most 30 digits, spaces and separators («1 000 000,00»); unbounded, the
# pattern rescanned a long run of digits from each of them (quadratic).
_NUM = r"\d[\d\s.,]{0,30}(?:к|k|тыс\w*|000)?"
_SIGNS: tuple[tuple[float, str], ...] = (
    # Easy money and remote work offers.
    (2.0, rf"(?:заработ\w*|доход\w*|зарплат\w*|выплат\w*|получа\w*|зп)\s+(?:от|до)\s+{_NUM}\s*(?:р\.?|руб\w*|₽|\$|долл\w*|евро|usdt)?\s*(?:в|за)\s+(?:день|сутки|час|недел\w*|месяц)"),
    (2.0, r"\b(?:пассивн\w+\s+доход\w*|доход\w*\s+без\s+вложени\w*|без\s+вложени\w*|заработ\w*\s+(?:в\s+интернете|онлайн|на\s+телефоне|не\s+выходя)|работ\w*\s+(?:на\s+дому|из\s+дома)|удал[её]нн\w+\s+работ\w*|подработк\w*\s+для\s+вс\w+)"),
    (1.5, r"\b(?:требуются|ищем|набираем|нужны)\s+(?:\S+\s+){0,2}(?:сотрудник\w*|партн[её]р\w*|люд\w*|помощник\w*|менеджер\w*|курьер\w*)"),
    (1.0, r"\b(?:свободн\w+\s+график\w*|гибкий\s+график|обучение\s+бесплатно|без\s+опыта|от\s+18\s+лет|2-3\s+часа\s+в\s+день|пару\s+часов\s+в\s+день)\b"),
    (1.5, r"\bзаработ(?:ок|ка|ать|ай|айте|аешь|аете|ал)\b"),
    # Crypto, trading, casinos, betting.
    (2.0, r"\b(?:крипт\w+|биткоин\w*|bitcoin|btc|usdt|эфириум\w*|трейдинг\w*|форекс\w*|forex|бинарн\w+\s+опцион\w*|арбитраж\w*\s+(?:крипт|трафик)\w*|майнинг\w*|nft|airdrop)\b"),
    (2.0, r"\b(?:казино|casino|слот\w*|фриспин\w*|free\s*spins?|джекпот\w*|ставк\w+\s+на\s+спорт|букмекер\w*|1xbet|вулкан\w*\s+(?:24|казино|клуб)|промокод\w*)\b"),
    (1.0, r"\b(?:инвестиц\w+|инвестир\w+|пирамид\w*|выигр\w+|бонус\w*|кэшбэк\w*|cashback)\b"),
    # Loans.
    (2.0, r"\b(?:займ\w*|заём|микрозайм\w*|микрокредит\w*|кредит\w*\s+(?:без\s+\w+|на\s+карту|онлайн|всем|за\s+\d+\s+мин\w*)|деньги\s+(?:в\s+долг|на\s+карту|срочно))\b"),
    (1.5, r"\b(?:одобрени\w*\s+(?:без|100|за)|без\s+(?:отказ\w*|справок|поручител\w*|кредитной\s+истори\w*)|плохой\s+кредитной\s+истори\w*)\b"),
    # Giveaways and follower farming.
    (1.5, r"\b(?:розыгрыш\w*|разыгрыва\w*|разыгра\w*|гив\w*|giveaway)\b"),
    (1.5, r"\b(?:подпис\w+\s+на\s+(?:наш|мой|канал|групп|паблик|страниц|профил)\w*|подписывайтесь|подписывайся|подпишись|подпишитесь|вступай\w*\s+в\s+(?:наш\w*\s+)?(?:групп|канал|сообществ)\w*)"),
    (1.0, r"\b(?:лайк\w*|репост\w*|ставь\w*\s+класс|поделись|поделитесь)\b"),
    (1.5, r"\b(?:приз\w*|подар\w+)\b(?=.{0,60}\b(?:подпис|репост|лайк|участ|победител|розыгр|разыгр|выигр|условия))"),
    (1.5, r"\b(?:победител\w+\s+(?:будет|определ|выбер)|условия\s+(?:участия|конкурса|розыгрыша)|итоги\s+(?:конкурса|розыгрыша)\s+(?:подвед|объяв))"),
    # Begging for votes in a contest: «проголосуйте за мою дочку».
    (1.5, r"\b(?:проголосу\w+|голосу\w+|отда\w+\s+(?:сво\w+\s+)?голос\w*)\s+(?:\S+\s+){0,3}?за\s+(?:мо[юейгяи]\w*|наш\w*\s+(?:дочк|сын|внучк|внук|девочк|мальчик|малыш|команд|рисун|фото)\w*)"),
    (1.0, r"\b(?:проголосу\w+|голосу\w+|голос\w*)\b(?=.{0,80}\b(?:конкурс\w*|рисун\w*|фото\w*|номинац\w*|участни\w*))"),
    # Phishing: an account about to be blocked, confirm your data.
    (1.5, r"\b(?:аккаунт\w*|учетн\w+\s+запис\w*|учётн\w+\s+запис\w*|профил\w*|страниц\w*|карт[аыу]|сч[её]т|кабинет\w*)\s+(?:\S+\s+){0,3}?(?:заблокир\w+|заморож\w+|удал[её]н\w*|ограничен\w*|взломан\w*)"),
    (1.5, r"\b(?:подтверд\w+|верифицир\w+|обнов\w+|введите)\s+(?:сво\w+\s+)?(?:данн\w+|личност\w*|аккаунт\w*|учетн\w+|учётн\w+|паспортн\w+|реквизит\w*|код\w*)"),
    # Contact me privately / follow the link.
    (2.0, r"\b(?:пиш\w+\s+(?:мне\s+)?в\s+(?:лс|л\.с\.|личк\w+|личные|директ|direct|телегу|телеграм\w*|вотсап|ватсап|whatsapp|тг)|в\s+лс|в\s+личку|в\s+директ|пиши\s+\+|ссылк\w+\s+в\s+(?:профил|шапк|био|описани)\w*|в\s+шапке\s+профил\w*)"),
    (1.5, r"\b(?:переход\w*|жми|жмите|кликай|кликните|регистрируй\w*|зарегистрируй\w*|успей\w*|торопи\w*|спеши\w*)\b\s+(?:\S+\s+){0,3}?(?:по\s+ссылк\w+|ссылк\w*|сюда|здесь|на\s+сайт\w*)"),
    (1.5, r"\b(?:успей\w*|торопи\w*|спеши\w*)\b|\bколичество\s+мест\s+ограничено\b|\bпредложение\s+ограничено\b|\bтолько\s+сегодня\b"),
    (1.0, r"\bпо\s+ссылке\b"),
    (1.0, r"(?:t\.me|wa\.me|bit\.ly|clck\.ru|goo\.gl|tinyurl|cutt\.ly|vk\.cc|u\.to|is\.gd|shorturl|tg://)"),
    # The domain from the start of its run of name characters (see normalise._URL_RE).
    (0.5, r"(?:https?://|www\.)\S+|(?<![\w-])-*\b[\w-]+\.(?:site|online|xyz|top|club|shop|store|pro)\b"),
    (1.0, r"@[a-z0-9_]{4,}\b"),
    # Selling goods and services unrelated to the administration.
    (2.0, r"\b(?:продам|продаю|продаём|продаем|куплю|скупаем|скупка|отдам\s+недорого|оптом\s+и\s+в\s+розницу|в\s+наличии|доставка\s+(?:по|бесплатн)\w*|бесплатная\s+доставка|распродаж\w*|скидк\w+\s+(?:до\s+)?\d+\s*%(?!\w)|закажи\w*|заказать\s+можно|звоните\s+по\s+(?:телефону|номеру))\b"),
    (1.0, r"\b(?:недорого|дешево|дёшево|посуточно|почасово|от\s+производителя|на\s+заказ|под\s+заказ|низкие\s+цены|выгодн\w+\s+цен\w*|цена\s+\d|скидк\w*|акци[яи]\s+(?:до|для|на)|оптом|прайс\w*|ассортимент\w*)\b"),
    (1.0, r"\b(?:обращайтесь|звоните|пишите|звонить\s+по|тел\.|телефон\s+для\s+связи|оформить:|заказ\s+по)"),
    (1.0, r"\b(?:консультаци\w+\s+бесплатн\w*|бесплатн\w+\s+(?:юридическ\w+\s+)?консультаци\w*|под\s+ключ|гаранти[яи]|выезд\s+(?:мастера|в\s+день|по)|в\s+любое\s+время|с\s+доставкой|доставка\s+и\s+установка|установка|грузчик\w*|любой\s+сложности|в\s+любом\s+состоянии)\b"),
    (1.5, r"\b(?:изготовим|изготовление|установим|выполним|предлагаем|оказываем|спишем|доставим|привез[её]м|отремонтируем|бурение|сдам|сда[её]тся|сдаю|сниму|ищу\s+\d+\s+человек|в\s+команду|банкротств\w*|списани\w+\s+долг\w*|кредитн\w+\s+карт\w*|получите\s+выплат\w*|проверьте\s+право)\b"),
    (1.0, r"\b(?:доход\w*|заработ\w*)\s+(?:от|до)\s+\d"),
    (1.0, rf"\b{_NUM}\s*(?:р\.?|руб\w*|₽)(?=\W|$)"),
    (2.0, r"\b(?:приворот\w*|снятие\s+порчи|порч\w+\s+и\s+сглаз\w*|гадани\w+\s+на|ясновид\w+|похуде\w+\s+на\s+\d+|интим\w*|эскорт\w*|знакомств\w+\s+для|секс\w*|18\+|вебкам\w*|webcam)\b"),
    (1.0, r"\b(?:маникюр\w*|наращивани\w*|ремонт\s+(?:телефонов|квартир\s+под\s+ключ)|натяжн\w+\s+потол\w+|пластиков\w+\s+окн\w*|курсы\s+\w+|обучени\w+\s+(?:с\s+нуля|онлайн)|реферальн\w*|рефка|промо\w*)\b"),
    (1.0, r"(?:\+7|8)[\s(-]*9\d{2}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}"),
    (1.0, r"[💰💸🤑🎁🔥✅👉⚡💎🎰]"),
)
# A look-alike of a state or bank domain: «gosuslugi-proverka.ru», «sberbank-bonus.online».
_BRAND_DOMAIN_RE = re.compile(
    r"\b((?:[a-z0-9-]+\.)*[a-z0-9-]*(?:gosuslug|gos-uslug|sberbank|sber-|nalog|pfr|sfr|vtb|tinkoff|"
    r"pochta|gibdd|mvd|fns|mosru|госуслуг|сбербанк)[a-z0-9а-я-]*(?:\.[a-z0-9а-я-]+)*\.(?:[a-z]{2,}|рф))\b",
    re.IGNORECASE,
)
_OFFICIAL_DOMAINS = frozenset(
    {"gosuslugi.ru", "www.gosuslugi.ru", "esia.gosuslugi.ru", "lk.gosuslugi.ru", "sberbank.ru",
     "www.sberbank.ru", "online.sberbank.ru", "nalog.ru", "www.nalog.ru", "nalog.gov.ru",
     "lkfl2.nalog.ru", "pfr.gov.ru", "sfr.gov.ru", "vtb.ru", "www.vtb.ru", "tinkoff.ru",
     "www.tinkoff.ru", "pochta.ru", "www.pochta.ru", "gibdd.ru", "xn--90adear.xn--p1ai",
     "мвд.рф", "госуслуги.рф", "mos.ru"}
)
LOOKALIKE_WEIGHT = 2.0

# A classified advert: the message opens with a noun of goods or services («Вывоз мусора газелью»,
# «Оградки на могилы»), its first clause has no verb and asks nothing, and it gives a contact or
# an offer cue. A citizen writing «Вывоз мусора не производится» or «Ремонт дороги — когда?» has a
# verb or a question.
OFFER_WEIGHT = 2.0
_OFFER_LEMMAS = frozenset(lines("spam_offers.txt"))
_CONTACT_RE = re.compile(
    r"(?:\+7|\b8)[\s(-]*9\d{2}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}|\b(?:пиш\w+|звон\w+|обращайтесь|"
    r"в\s+лс|в\s+личк\w+|whatsapp|вотсап|ватсап|телеграм\w*|viber|вайбер)\b|t\.me/|@[a-z0-9_]{4,}|"
    r"https?://|www\.",
    re.IGNORECASE,
)
_OFFER_CUE_RE = re.compile(
    r"\b(?:от\s+производителя|недорого|дешево|дёшево|скидк\w*|цен[аы]\w*|прайс\w*|в\s+наличии|на\s+заказ|"
    r"под\s+заказ|под\s+ключ|гаранти\w*|выезд\w*|на\s+дому|любые\s+размеры|быстро\s+и\s+качественно|"
    r"опыт\s+работы|доставк\w*)\b|\d\s*(?:₽|руб)",
    re.IGNORECASE,
)
_REQUEST_LEMMAS = frozenset(
    {"нужный", "нужно", "надо", "необходимо", "требоваться", "просить", "когда", "почему", "где",
     "сколько", "кто", "зачем", "разве", "пожалуйста", "срочно", "опять", "снова", "нет"}
)
_CLAUSE_END_RE = re.compile(r"[.!?;:—\n]|,\s")


# Stretches of domain characters, and the brand names _BRAND_DOMAIN_RE looks for. A domain name
# has at most 253 characters; the look-alike pattern runs only on a stretch that short and that
# names a brand: on a long run of labels («1.1.1.1…») it was quadratic.
_DOMAIN_RUN_RE = re.compile(r"[a-z0-9а-я.-]+", re.IGNORECASE)
_BRAND_RE = re.compile(
    r"gosuslug|gos-uslug|sberbank|sber-|nalog|pfr|sfr|vtb|tinkoff|pochta|gibdd|mvd|fns|mosru|"
    r"госуслуг|сбербанк",
    re.IGNORECASE,
)
_MAX_DOMAIN = 253


def _lookalike_domain(text: str) -> re.Match[str] | None:
    if not _BRAND_RE.search(text):
        return None  # no brand anywhere, so in no stretch either (most messages stop here)
    for run in _DOMAIN_RUN_RE.finditer(text):
        if len(run.group(0)) > _MAX_DOMAIN or not _BRAND_RE.search(run.group(0)):
            continue
        # A match never leaves its stretch; endpos one further lets the closing \b see the
        # character after it, as in the whole text.
        for m in _BRAND_DOMAIN_RE.finditer(text, run.start(), run.end() + 1):
            if m.group(1).lower() not in _OFFICIAL_DOMAINS:
                return m
    return None


@lru_cache(maxsize=20_000)
def _offer_noun(word: str) -> bool:
    """Some noun reading of the word is a good or a service («Спил» is also a verb form)."""
    return any(
        p.tag.POS == "NOUN" and p.normal_form.replace("ё", "е") in _OFFER_LEMMAS
        for p in analyzer().parse(word)
    )


def _classified_offer(text: str) -> re.Match[str] | None:
    """The opening noun phrase of a classified advert, when the message is one."""
    if "?" in text:
        return None
    end = _CLAUSE_END_RE.search(text)
    head = text[: end.start() if end else len(text)]
    words = re.findall(r"[А-Яа-яЁё]+", head)
    if not words or not _offer_noun(words[0]):
        return None
    for w in words[1:]:
        if pos(w) in ("VERB", "INFN", "PRTS", "PRED") or lemma(w) in _REQUEST_LEMMAS:
            return None
    if not (_CONTACT_RE.search(text) or _OFFER_CUE_RE.search(text)):
        return None
    return re.match(r"\W*" + re.escape(words[0]), text)


_SIGNS_RE: tuple[tuple[float, re.Pattern[str]], ...] = tuple(
    (w, re.compile(p, re.IGNORECASE)) for w, p in _SIGNS
)
# The same patterns for a text already in lower case: case-insensitive matching costs the regex
# engine twice as much (the signs are half of the screening's time). The patterns name no capital
# letter, so on a lower-case text they find what the case-insensitive ones find in the original.
_SIGNS_LOW: tuple[tuple[float, re.Pattern[str]], ...] = tuple(
    (w, re.compile(p)) for w, p in _SIGNS
)

# A citizen writing to the administration about the settlement: these lower the score, so a photo
# link, a mention of a price or a «розыгрыш» at the town fête does not silence a real request.
_CITIZEN_RE = re.compile(
    r"\b(?:администраци\w*|глав[аеуы]\s+(?:поселени|администрац|сельск|станиц)\w*|прошу|просим|"
    r"помогите|разберитесь|примите\s+меры|когда\s+(?:будет|починят|сделают|отремонтируют|уберут|"
    r"вывезут|включат|дадут)|жалоб\w*|обращени\w*|ям[ауы]?|дорог\w*|фонар\w*|мусор\w*|"
    r"улиц[аеуы]|ул\.|переул\w*|дом[ау]?\s+№?\s*\d|уважаем\w*|жител\w*|сосед\w*|подскажите|"
    r"скажите|будет\s+ли|куда\s+(?:обращаться|обратиться|жаловаться|идти)|что\s+делать|как\s+(?:оформить|получить|быть)|планируется\s+ли|станиц\w*|хутор\w*|поселени\w*)\b",
    re.IGNORECASE,
)
# A photo or document link of a citizen, never a sign of spam by itself.
_CITIZEN_LINK_RE = re.compile(
    r"(?:vk\.com/(?:photo|video|wall|album)|disk\.yandex|yadi\.sk|cloud\.mail\.ru|drive\.google|"
    r"photos\.app\.goo\.gl|imgur|gosuslugi\.ru|yandex\.ru/maps|maps\.app\.goo\.gl|2gis|"
    r"\.(?:jpe?g|png|heic|pdf|docx?)\b|фото|видео|снимок|скрин)",
    re.IGNORECASE,
)


_CONTACT_ONLY = frozenset(
    p.pattern for _w, p in _SIGNS_RE if p.pattern.startswith((r"(?:\+7|8)", r"\b(?:обращайтесь|звоните"))
)
_CITIZEN_LOW = re.compile(_CITIZEN_RE.pattern)


def check(text: str) -> tuple[bool, tuple[Span, ...]]:
    """Whether the message is spam, and the stretches that made it so."""
    score = 0.0
    contact = 0.0
    spans: list[Span] = []
    low = text.lower()
    # A few letters change length in lower case («İ»): then offsets would shift, so the text
    # itself is searched case-insensitively.
    signs, seen, citizen_re = ((_SIGNS_LOW, low, _CITIZEN_LOW) if len(low) == len(text)
                               else (_SIGNS_RE, text, _CITIZEN_RE))
    for weight, pattern in signs:
        m = pattern.search(seen)
        if m:
            span = Span(m.start(), m.end(), "spam")
            if weight <= 1.0 and _CITIZEN_LINK_RE.search(m.group(0)):
                continue
            if pattern.pattern in _CONTACT_ONLY:
                # A phone and «тел.»/«звоните» are one sign: a way to reach someone, which a lost
                # dog or a citizen's request has too.
                contact = max(contact, weight)
            else:
                score += weight
            spans.append(span)
    score += contact
    for weight, found in ((LOOKALIKE_WEIGHT, _lookalike_domain(text)), (OFFER_WEIGHT, _classified_offer(text))):
        if found:
            score += weight
            spans.append(Span(found.start(), found.end(), "spam"))
    if score <= 0:
        return False, ()
    citizen = len({m.group(0).lower() for m in citizen_re.finditer(seen)})
    if citizen:
        # A real request weighs against spam, but does not cancel a blatant ad.
        score -= min(citizen, 3) * 0.5
    if _CITIZEN_LINK_RE.search(text):
        score -= 1.0
    spam = score >= SPAM_THRESHOLD
    spans.sort(key=lambda s: s.start)
    return spam, tuple(spans) if spam else ()
