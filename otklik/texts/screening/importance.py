"""High importance: life, health or the basics of a home are at stake right now.

No water, heat, gas or power; a gas smell; fire; flooding; a collapsing structure; downed power
lines; injured people or children in danger. Recall is preferred, but literal mentions that are
not emergencies stay out: «вода в реке грязная», «свет в подъезде тусклый», «фонарь не горит».
A planned outage announced in advance («отключение воды по графику завтра») is information, not an
emergency, unless the message says it is already lasting («второй день без воды»).
"""

from __future__ import annotations

import re
from functools import lru_cache

from otklik.texts.morph import analyzer
from otklik.texts.screening.result import Span

_NO = r"(?:нет|нету|нет\s+ни|отсутству\w+|пропал\w*|пропадает|пропадают|без|не\s+дают|не\s+было|не\s+будет|отключ\w+|отруб\w+|вырубил\w*|вырубает|перебо\w+\s+(?:с|в)|не\s+подают|не\s+подается|не\s+поступает|дали\s+только)"
_IS_NOT = r"(?:не\s+(?:ид[её]т|течет|течёт|поступает|подается|подаётся|подают|включ\w+|да\w+|было|бывает|появ\w+)|отключ\w+|пропал\w*|нет|нету|отсутству\w+|отрубил\w*|вырубил\w*|так\s+и\s+нет|до\s+сих\s+пор\s+нет)"

_RULES: tuple[tuple[str, str], ...] = (
    # Water.
    ("water", rf"\b{_NO}\s+(?:\S+\s+){{0,2}}?(?:вод[ыау]|водоснабжени\w*|холодной\s+воды|горячей\s+воды|питьевой\s+воды|воды)\b"),
    ("water", rf"\b(?:вод[аыу]|водоснабжение|водичк\w*)\s+(?:\S+\s+){{0,2}}?{_IS_NOT}"),
    ("water", r"\b(?:сухие\s+краны|из\s+крана\s+ничего|кран\w*\s+сух\w*|воды\s+нет|ни\s+капли|помыть\s+нечем|нечем\s+помыть)\b"),
    # Heating.
    ("heating", rf"\b{_NO}\s+(?:\S+\s+){{0,2}}?(?:отоплени\w*|тепла|теплоснабжени\w*)\b"),
    ("heating", rf"\b(?:отопление|тепло)\s+(?:\S+\s+){{0,2}}?{_IS_NOT}"),
    ("heating", r"\b(?:батаре\w+|радиатор\w*)\s+(?:\S+\s+){0,2}?(?:холодн\w+|ледян\w+|не\s+гре\w+)|\b(?:холодн\w+|ледян\w+)\s+батаре\w+|\bне\s+топ(?:ят|или)\b|\bзамерза\w+|\bмерзнем|\bмёрзнем"),
    # Gas.
    ("gas", rf"\b{_NO}\s+(?:\S+\s+){{0,2}}?(?:газа|газ|газоснабжени\w*)\b"),
    ("gas", rf"\bгаз\s+(?:\S+\s+){{0,2}}?{_IS_NOT}"),
    ("gas", r"\bгазом\s+(?:\S+\s+)?(?:пахнет|пахло|воняет|несет|тянет)|\b(?:пахнет|пахло|воняет|несет|несёт|запах\w*|чувствуется)\s+(?:\S+\s+){0,2}?газ\w*|\bутечк\w+\s+газа|\bзапах\s+газа|\bгаз\s+(?:трав\w+|утека\w+|выход\w+|шипит)|\b(?:повре[жд]|пробил|пробит|разорв|порвал|перебил|сломал)\w*\s+(?:\S+\s+){0,2}?(?:газопровод|газов\w+\s+труб)\w*|\b(?:газопровод\w*|газов\w+\s+труб\w*|труб\w*\s+газ\w*)\s+(?:\S+\s+){0,4}?(?:повре[жд]|пробит|пробил|разорв|порвал|перебил|сломан|задел|шипит|свистит|травит)\w*|\b(?:шипит|свистит|травит)\b[^.!?\n]{0,60}\bгаз\w*|\bгаз\w*\b[^.!?\n]{0,60}\b(?:шипит|свистит|травит)\b"),
    # Power.
    ("power", rf"\b{_NO}\s+(?:\S+\s+){{0,2}}?(?:свет[ау]?|электричеств\w*|электроэнерги\w*|электроснабжени\w*|напряжени\w*)\b"),
    ("power", rf"\b(?:свет|электричество|электроэнергия)\s+(?:\S+\s+){{0,2}}?{_IS_NOT}"),
    ("power", r"\bобесточ\w+|\bсидим\s+(?:\S+\s+)?(?:без\s+света|в\s+темноте)"),
    # Fire.
    ("fire", r"\b(?:пожар\w*|возгорани\w*|загорел\w*|загорает\w*|задымлени\w*|горит|горят|горело|горела|горел|полыха\w+|пылает|пылают|тлеет|подожгли|огонь\s+подход\w+)\b|\bсгорел\w*\s+(?:\S+\s+)?(?:дом|сарай|бан[яи]|гараж|хат|кухн|машин|летн)\w*"),
    ("fire", r"\b(?:дым|дыма|дымом|дымит)\b"),
    # Flooding.
    ("flood", r"\b(?:затопил\w*|затопле\w*|подтоп\w+|потоп\w*|топит\s+(?:подвал|квартир|дом|сосед|нас)\w*|залива\w+\s+(?:подвал|квартир|дом|двор|нас)\w*|залило\w*|прорвал\w*|прорыв\w*|порыв\w*\s+(?:труб|водопровод)\w*|хлещет|фонтанирует|кипят\w*\s+(?:\S+\s+)?(?:бь[её]т|хлещ\w+|теч[её]т|льется|льётся|разлив\w*|заливает)|(?:бь[её]т|хлещ\w+|льется|льётся)\s+(?:\S+\s+)?кипят\w*|бь[её]т\s+фонтан\w*|течет\s+с\s+потолка|течёт\s+с\s+потолка|вода\s+(?:в\s+подвале|по\s+колено|заливает|стоит\s+в\s+дом|в\s+домах|ид[её]т\s+на\s+дома|поднял\w*|подступ\w*)|уровень\s+воды|паводок\w*|паводк\w*|(?:дамб|плотин)\w*\s+(?:прорв|размыл|разруш|перелив)\w*|эвакуац\w*|вышл\w+\s+из\s+берегов|вода\s+(?:\S+\s+){0,3}?(?:поднял\w*|прибыва\w+|подступ\w*|дош[её]л\w*|заходит)\b(?!\s+(?:немного|чуть|слегка|незначительно|на\s+\d+\s*см))|вода\s+(?:\S+\s+)?(?:во\s+двор\w*|в\s+двор\w*|у\s+порог\w*|в\s+огород\w*|по\s+пояс|в\s+хат\w*))"),
    # Collapse and structures about to fall.
    ("collapse", r"\b(?:обрушени\w*|обрушил\w*|обрушит\w*|обрушива\w+|рухнул\w*|рухнет|обвал\w*|обвали\w+|(?:асфальт|дорог\w*|мост|пол|потолок|грунт)\s+провалил\w*|провалил\w*\s+(?:асфальт|дорог\w*|мост|пол|потолок|грунт)|провал\w*\s+(?:\S+\s+)?(?:асфальт|дорог|грунт|земл|покрыти|полотн)\w*|(?:яма|ямы|провал|дыр\w+|промоин\w*|воронк\w*)\s+(?:\S+\s+){0,3}?(?:глубин\w+\s+(?:около\s+|больше\s+|почти\s+|в\s+|до\s+)?(?:\d+(?:[.,]\d+)?\s*(?:м|метр\w*)\b|метр\w*|полтора|два|три|в\s+рост)|(?:метр\w*\s+(?:полтора|два|три|\d+)|(?:полтора|два|три|\d+)\s+метр\w*|метр\w*)\s+глубин\w*)|(?:ветк\w*|сук|дерев\w*|ствол\w*)\s+(?:\S+\s+){0,3}?(?:висит|повисл\w*|лежит|нависа\w+|держится)\s+(?:\S+\s+)?(?:на\s+провод\w*|над\s+\w+)|(?:держится|висит)\s+на\s+(?:честном\s+слове|одной\s+коре|волоске|сопл\w+)|(?:ветром\s+)?сломал[оа]?\s+(?:\S+\s+)?(?:дерев|ветк|тополь|столб|опор)\w*|(?:ветк\w*|сук|дерев\w*)\s+(?:\S+\s+){0,3}?(?:висит|нависает|нависла)\s+над|(?:дом|стен\w*|фундамент\w*|здани\w*|крыш\w*|потол\w*)\s+(?:\S+\s+)?(?:просел\w*|проседа\w+)|трещин\w+\s+(?:в|по|на)\s+(?:\S+\s+)?(?:стен|фундамент|дом|потол|здани|мост|перекрыт)\w*|аварийн\w+\s+(?:дом|здани|состояни|строени|мост|балкон|крыш|дерев)\w*|(?:вот-вот|может|того\s+гляди|скоро)\s+(?:\S+\s+)?(?:упад\w+|рухн\w+|обвал\w+|обруш\w+)|угрожа\w+\s+обрушени\w*)"),
    ("collapse", r"\b(?:упал\w*|упало|повалил\w*|рухнул\w*|падает|наклонил\w*|лежит)\s+(?:\S+\s+){0,2}?(?:дерев\w*|стол\w*|опор\w*|столб\w*|ветк\w*)\b(?!\s+(?:на\s+)?(?:\S+\s+)?(?:давно|уже\s+месяц))|\b(?:дерев\w*|столб\w*|опор\w*)\s+(?:\S+\s+){0,2}?(?:упал\w*|упало|повалил\w*|рухнул\w*|падает|наклонил\w*|может\s+упасть|вот-вот\s+упад\w+|на\s+провод\w*)"),
    # Downed or exposed power lines.
    ("power_line", r"\b(?:оборв\w+|порв\w+|обрыв\w*|висят(?!\s+на)|висит(?!\s+на)|лежат|лежит|свисают|свисает|болтаются|оголен\w*|оголён\w*|искрит|искрят|искрение|замыкани\w*)\s+(?:\S+\s+){0,2}?(?:провод\w*|кабел\w*|лэп|линии\s+электропередач)|\b(?:провод\w*|кабел\w*)\s+(?:\S+\s+){0,2}?(?:оборв\w+|порван\w*|висят|висит|лежат|лежит|на\s+земле|свисают|свисает|оголен\w*|оголён\w*|искрит|искрят|под\s+напряжением|до\s+земли)|\bоголенн?\w*\s+провод\w*|\bоголённ?\w*\s+провод\w*|\bтрансформатор\w*\s+(?:\S+\s+)?(?:открыт|гудит|искрит|дымит|горит)\w*"),
    # Injured people.
    ("injury", r"\b(?:пострадал\w*|пострадавш\w*|травм\w+|покалечил\w*|ранен\w*|сбила?\s+(?:\S+\s+)?(?:машин|автомобил|пешеход|человек|ребен|реб[её]н|женщин|мужчин|девоч|мальч)\w*|(?:машин|автомобил)\w*\s+сбил\w*|переломал\w*|перелом\w*|без\s+сознания|истекает\s+кровью|кровь|умер(?:ла|ли)?|погиб\w*|человеку\s+плохо|стало\s+плохо|не\s+вста[её]т|скор\w+\s+(?:\S+\s+){0,6}?(?:до\s+сих\s+пор\s+нет|так\s+и\s+нет|вс[её]\s+нет|ещ[её]\s+нет|нет\s+до\s+сих\s+пор|(?:ещ[её]\s+|так\s+и\s+)?не\s+(?:едет|приезжает|отвечает|приехал\w*|доехал\w*))|скор\w+\s+(?:\S+\s+){0,2}?(?:ждем|ждём|ждут)\s+(?:уже\s+)?(?:\S+\s+)?час\w*|(?:ждем|ждём|ждут)\s+скор\w+\s+(?:уже\s+)?(?:\S+\s+)?час\w*|не\s+(?:может|могут)\s+(?:выбраться|встать|выйти)|упал\w*\s+в\s+(?:котлован|колод\w+|траншею|яму|люк|реку|воду|прорубь)|(?:реб[её]н\w*|мальчик\w*|девочк\w*|внучк\w*|внук|дочь|дочка|сын|бабушк\w*|дедушк\w*|старик\w*)\s+(?:\S+\s+)?пропал\w*|нужна\s+скорая|вызовите\s+скорую|задыха\w+|дтп|авари[яию]\s+на|перевернул\w+|зажат\w*|пропал\w*\s+(?:реб[её]н\w*|мальчик\w*|девочк\w*|человек|бабушк\w*|дедушк\w*|дет\w*)|повредил\w*\s+(?:ногу|руку|голову|спину|глаз)|сломал\w*\s+(?:ногу|руку|ребр\w*)|скончал\w*|не\s+дыш\w+|покусал\w*|укусил\w*|искусал\w*|напал\w*\s+(?:стая|собак)|бросил\w*\s+на\s+(?:ребен|реб[её]н|человек|женщин)|ударило\s+током|удар\w+\s+током|отравил\w*|отравлени\w*)\b"),
    # Children in danger.
    ("children", r"\b(?:реб[её]н\w*|дет[иейямскх]\w*|малыш\w*|школьни\w*|девоч\w+|мальч\w*|подрост\w+)\b.{0,60}?\b(?:упал\w*|провалил\w*|застрял\w*|травм\w+|пострадал\w*|сбил\w*|покусал\w*|укусил\w*|тон\w+|утонул\w*|в\s+опасност\w*|опасно|угрожает|могут\s+(?:упасть|пострадать|погибнуть|провалиться)|может\s+(?:упасть|пострадать|погибнуть|провалиться)|играют\s+(?:у|возле|рядом|около|на)\s+(?:\S+\s+)?(?:провод|люк|трансформатор|обрыв|стройк|котлован|руин|развалин|аварийн)\w*)"),
    ("children", r"\b(?:открыт\w+|без\s+крышки)\s+(?:канализационн\w+\s+)?люк\w*|\bлюк\w*\s+(?:\S+\s+)?(?:открыт\w*|без\s+крышки)"),
)
_RULES_RE: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(p, re.DOTALL)) for reason, p in _RULES
)
# Cheap substring tests that must pass before a reason's regexes run; most messages fail them all,
# which keeps screening fast.
_PREFILTER: dict[str, tuple[str, ...]] = {
    "water": ("вод", "кран", "напор"),
    "heating": ("отоплен", "тепл", "батаре", "радиатор", "топ", "замерза", "мерзн", "мёрзн", "градус", "°", "кот", "температур", "+"),
    "gas": ("газ",),
    "power": ("свет", "электр", "напряжен", "обесточ", "темнот"),
    "fire": ("пожар", "возгоран", "гор", "дым", "полыха", "пыла", "тлеет", "подожг", "задымл"),
    "flood": ("топ", "залив", "залил", "прорв", "прорыв", "порыв", "хлещ", "фонтан", "теч", "вода",
              "уровень", "паводк", "паводок", "дамб", "плотин", "эвакуац", "берег", "кипят"),
    "collapse": ("обруш", "рухн", "обвал", "провал", "проса", "просел", "трещин", "аварийн", "упад",
                 "упал", "повал", "падает", "наклон", "лежит", "сломал", "висит", "нависа", "глубин",
                 "держится", "повисл"),
    "power_line": ("провод", "кабел", "лэп", "трансформ", "электропередач"),
    "injury": ("пострада", "травм", "покалеч", "ранен", "сбил", "перелом", "сознани", "кров", "умер",
               "погиб", "скончал", "дыш", "кусал", "укусил", "напал", "бросил", "током", "отрав", "плохо",
               "вста", "скор", "дтп", "авари", "перевернул", "зажат", "пропал", "помогите", "повредил",
               "сломал", "задыха", "выбрат", "траншею", "котлован", "колод", "ждем", "ждём"),
    "children": ("реб", "дет", "малыш", "школьни", "девоч", "мальч", "подрост", "люк"),
}

# The patterns below that run over the whole message have no \b before their first word, so they
# are tried inside words too; a word before \s+ is at most 30 letters (a number at most 9 digits),
# or a long run of letters or digits would be rescanned from each of them (quadratic).

# Signs that «свет» means the lamps of a porch or a street, not the power supply.
_LIGHTING_RE = re.compile(
    r"подъезд\w*|фонар\w*|лампоч\w*|лампа|ламп\b|освещени\w*|тускл\w*|на\s+лестниц\w*|прожектор\w*|"
    r"на\s+улице\s+темно|уличн\w{1,30}\s+свет\w*",
    re.IGNORECASE,
)
# Lamps, lights, deadlines and «горит» in a figurative sense.
_FIRE_LITERAL_RE = re.compile(
    r"(?:фонар\w*|свет\w*|ламп\w*|огн\w*|огон\w*|светофор\w*|лампочк\w*|прожектор\w*|гирлянд\w*|"
    r"индикатор\w*|срок\w*|душа|сердце|не)\s+(?:\S+\s+){0,3}(?:горит|горят|горел\w*|загорел\w*|загорает\w*)|"
    r"(?:горит|горят|горел\w*|загорел\w*)\s+(?:\S+\s+)?(?:фонар\w*|свет\w*|ламп\w*|светофор\w*|зел[её]н\w*|красн\w*|желт\w*|ж[её]лт\w*|срок\w*|путевк\w*|глаза)|"
    r"пожарн\w+\s+(?:безопасн|гидрант|водо[её]м|проезд|щит|инспекц|норм|требован|част)\w*|пожаробезопасн\w*|вечн\w+\s+ог\w+|противопожарн\w*|пожарище|дымоход\w*|дымов\w+\s+труб\w*|"
    r"(?:без|нет)\s+дыма|дым\s+(?:от\s+)?(?:костр|мангал|шашлык|барбекю|печ|сигарет|курени)\w*|курят|курение|кальян|жгут|жж[её]т|сжига\w*|"
    r"(?:будет|может\s+быть|может|случится|возможен|не\s+дай\s+бог)\s+(?:\S+\s+)?пожар\w*",
    re.IGNORECASE,
)
_HOUSE_DARK_RE = re.compile(
    r"электри|во\s+всем\s+доме|в\s+квартир|в\s+домах|по\s+всей\s+улиц|холодильник", re.IGNORECASE
)
# The supply is back: a thank-you, not an emergency.
_RESTORED_RE = re.compile(r"(?:сейчас|уже|наконец|только\s+что)\s+(?:\S+\s+)?(?:дали|включили|восстановили|подключили)|спасибо\s+(?:\S+\s+)?(?:электрик|газовик|водоканал|аварийн|бригад)")
_LAMP_RE = re.compile(r"фонар\w*|ламп\w*|светофор\w*|гирлянд\w*|прожектор\w*|светильник\w*")
# A notice of a planned outage, told before it happens.
_PLANNED_RE = re.compile(
    r"по\s+графику|планов\w+|планиру\w+|будет\s+отключ\w+|будут\s+отключ\w+|отключат|отключ\w{1,30}\s+(?:завтра|послезавтра|с\s+\d)|"
    r"(?:завтра|послезавтра)\s+(?:\S+\s+){0,3}отключ\w+|профилактическ\w+|ремонтн\w{1,30}\s+работ\w{0,30}\s+(?:на\s+сетях|будут)|"
    r"предупрежда\w+|уведомля\w+|информиру\w+|график\w{0,30}\s+отключени\w*",
    re.IGNORECASE,
)
_LASTING_RE = re.compile(
    r"(?:втор|трет|четв[её]рт|пят)\w{1,30}\s+(?:день|сутки|час|недел)|(?:уже|до\s+сих\s+пор|сутки|сутками|со\s+вчера|с\s+утра|с\s+ночи|третьи|вторые|до\s+сих|который\s+день|неделю|несколько\s+дней|\d{1,9}\s+(?:дн|час|сут))",
    re.IGNORECASE,
)
# Not an emergency: a question about a schedule, water quality, a dirty river.
_UTILITY_REASONS = frozenset({"water", "heating", "gas", "power"})


# Heating: a cold room. A number of degrees near an indoor place, below _COLD_INDOORS, not a
# minus and not outdoors («на улице +12» is the weather).
_COLD_INDOORS = 15
_DEGREES_RE = re.compile(r"(?<![\w\-−])(\+\s?)?(\d{1,2})(?:[.,]\d)?(\s*(?:°|градус\w*))?")
_INDOORS_RE = re.compile(
    r"квартир\w*|комнат\w*|в\s+доме|дома\b|в\s+хате|школ\w*|класс\w*|детск\w{1,30}\s+сад\w*|садик\w*|"
    r"палат\w*|помещени\w*|спальн\w*|детской\b|температур\w{0,30}\s+(?:в|дома)"
)
_OUTDOORS_RE = re.compile(r"на\s+улице|за\s+окном|снаружи|на\s+дворе|мороз\w*\s*$")
# A boiler that stopped: a boiler house is a whole district; a home boiler counts when someone
# vulnerable lives there or the rooms are already cold.
_BOILER_RE = re.compile(
    r"\b(?:кот[её]л\w*|котельн\w+)\s+(?:\S+\s+){0,3}?(?:не\s+(?:запуска|работа|включа|гре|топ)\w*|"
    r"сломал\w*|потух\w*|погас\w*|встал\w*|стоит|остановил\w*|вышл?\w*\s+из\s+строя|авари\w*)"
)
_VULNERABLE_RE = re.compile(
    r"лежач\w+|инвалид\w*|младен\w+|грудн\w+|новорожд\w+|маленьк\w{1,30}\s+(?:дет|реб)\w*|престарел\w+|"
    r"пожил\w+|больн\w{1,30}\s+(?:мам|пап|бабушк|дедушк|ребен|мать|отец)\w*"
)


def _cold_indoors(text: str) -> re.Match[str] | None:
    """A temperature below _COLD_INDOORS said of a room, a flat or a school."""
    for m in _DEGREES_RE.finditer(text):
        plus, value, unit = m.group(1), int(m.group(2)), m.group(3)
        before = text[max(0, m.start() - 40) : m.start()]
        after = text[m.end() : m.end() + 25]
        if not (plus or unit or "температур" in before):
            continue
        if value >= _COLD_INDOORS or before.rstrip().endswith(("минус", "-", "−")):
            continue
        if re.search(r"^\s*(?:дн|час|сут|мин|лет|год|этаж|раз|м\b|кв|%|руб|р\b|чел|[\d(])", after):
            continue
        if _OUTDOORS_RE.search(before[-15:]):
            continue
        if _INDOORS_RE.search(before) or _INDOORS_RE.search(after):
            return m
    return None


# When the event is not happening now: it recurs («каждое лето горит»), it is past («в прошлом
# году затопило»), or it is a standing hazard to fix in time («пока не поздно», «держится пока»).
_RECURRING_RE = re.compile(
    r"кажд\w{1,30}\s+(?:лето|зиму|весну|осень|год|месяц|недел\w*|раз|выходн\w*|сезон|квартал)\b|"
    r"\b(?:\d+|втор\w+|трет\w+|четв[её]рт\w+|пят\w+|который)\s+раз\s+за\b|\bраз\s+в\s+(?:месяц|неделю|год)\b"
)
_PAST_RE = re.compile(
    r"в\s+прошлом\s+году|прошл\w{1,30}\s+(?:весн|лет|зим|осен|год|месяц|недел)\w*|позапрошл\w+|"
    r"(?:\b\d+|два|три|четыре|пять|несколько|пару)\s+(?:год\w*|лет)\s+назад|\bгод\s+назад|в\s+(?:19|20)\d\d\s+году"
)
_STANDING_RE = re.compile(r"пока\s+не\s+поздно|держится\s+пока|пока\s+держится|пока\s+не\s+сильно")
_NOW_RE = re.compile(
    r"сейчас|с\s+утра|с\s+ночи|со\s+вчера|до\s+сих\s+пор|только\s+что|срочно|помогите|в\s+этом\s+году|"
    r"(?:втор|трет|четв[её]рт|пят)\w{1,30}\s+(?:день|сутки)|который\s+день"
)
# Memorials: «памятник погибшим воинам» is not an injury.
_MEMORIAL_RE = re.compile(r"памятник\w*|мемориал\w*|обелиск\w*|вечн\w{1,30}\s+огн\w*|братск\w{1,30}\s+могил\w*|воин\w*|в\s+годы\s+войны")
_SENTENCE_END = re.compile(r"[.!?\n]")


# How far the sentence and the clause of a match are looked at, either side: without a bound, a
# message of one endless sentence was read whole for every match (quadratic).
_CONTEXT = 300


def _sentence(text: str, start: int, end: int) -> str:
    lo = max(0, start - _CONTEXT)
    left = max((m.end() for m in _SENTENCE_END.finditer(text, lo, start)), default=lo)
    right_m = _SENTENCE_END.search(text, end, end + _CONTEXT)
    return text[left : right_m.start() if right_m else min(len(text), end + _CONTEXT)]


@lru_cache(maxsize=50_000)
def _tag(word: str) -> str:
    parses = analyzer().parse(word)
    return str(parses[0].tag) if parses else ""


def _addressed_verb(piece: str) -> bool:
    """A verb in the 2nd person or the imperative: «отключаете», «ещё раз отключите» — a reproach
    or a condition aimed at the administration, not a report of an outage."""
    return any(
        "VERB" in (t := _tag(w)) and ("2per" in t or "impr" in t) for w in re.findall(r"[а-я]+", piece)
    )


def _speaker_threat(sentence: str) -> bool:
    """A 1st-person future verb of burning or wrecking: «сожгу ваш сельсовет» is a threat."""
    for w in re.findall(r"[а-я]+", sentence):
        if w.startswith(("сож", "подож", "спал", "устро", "взорв")):
            t = _tag(w)
            if "VERB" in t and "1per" in t and "futr" in t:
                return True
    return False


def _clause(text: str, start: int) -> str:
    """The comma-delimited clause of the text around position start (within _CONTEXT)."""
    lo, hi = max(0, start - _CONTEXT), min(len(text), start + _CONTEXT)
    left = max(text.rfind(",", lo, start), text.rfind(";", lo, start))
    right = [i for i in (text.find(",", start, hi), text.find(";", start, hi)) if i >= 0]
    return text[(left + 1 if left >= 0 else lo) : min(right) if right else hi]


def _not_now(reason: str, sentence: str, clause: str) -> bool:
    """Past, recurring or standing (see above) in the sentence, unless the clause says «now»."""
    if _NOW_RE.search(clause):
        return False
    if _RECURRING_RE.search(sentence) or _PAST_RE.search(sentence):
        return True
    return reason in ("flood", "collapse") and bool(_STANDING_RE.search(sentence))


def check(text: str) -> tuple[tuple[str, ...], tuple[Span, ...]]:
    """The emergency reasons found in the text, in rule order, and their spans."""
    reasons: list[str] = []
    spans: list[Span] = []
    planned: bool | None = None
    text = text.lower().replace("ё", "е")
    passed = {r for r, keys in _PREFILTER.items() if any(k in text for k in keys)}
    # Whole-text tests, made once (not at every match: that was quadratic on long messages).
    lamp_only: bool | None = None
    restored: bool | None = None
    for reason, pattern in _RULES_RE:
        if reason not in passed:
            continue
        for m in pattern.finditer(text):
            piece = m.group(0)
            # «нет света в подъезде» is a lamp, not a power cut, unless the house is dark too.
            if reason == "power" and lamp_only is None:
                lamp_only = bool(_LIGHTING_RE.search(text)) and not _HOUSE_DARK_RE.search(text)
            if reason == "power" and lamp_only:
                continue
            if reason == "fire":
                window = text[max(0, m.start() - 30) : m.end() + 30]
                literal = _FIRE_LITERAL_RE.search(window) or _LAMP_RE.search(window)
                if literal and (
                    not re.search(r"пожар|возгоран|задымлен", piece) or "пожар" in literal.group(0)
                ):
                    continue
            if reason in _UTILITY_REASONS and restored is None:
                restored = bool(_RESTORED_RE.search(text))
            if reason in _UTILITY_REASONS and restored:
                continue
            sentence = _sentence(text, m.start(), m.end())
            if _not_now(reason, sentence, _clause(text, m.start())):
                continue
            if reason in _UTILITY_REASONS and _addressed_verb(piece):
                continue
            if reason == "fire" and _speaker_threat(sentence):
                continue
            if reason == "injury" and piece.startswith(("погиб", "умер")) and _MEMORIAL_RE.search(sentence):
                continue
            if reason in _UTILITY_REASONS and not re.search(r"запах|пахн|утечк|воня|нес[её]т", piece, re.IGNORECASE):
                if planned is None:
                    planned = bool(_PLANNED_RE.search(text)) and not _LASTING_RE.search(text)
                if planned:
                    continue
            spans.append(Span(m.start(), m.end(), f"high_importance:{reason}"))
            if reason not in reasons:
                reasons.append(reason)
            break
    if "heating" in passed and "heating" not in reasons:
        found = _cold_indoors(text)
        if found is None:
            boiler = _BOILER_RE.search(text)
            if boiler and (boiler.group(0).startswith("котельн") or _VULNERABLE_RE.search(text)):
                found = boiler
        if found is not None and not _not_now(
            "heating",
            _sentence(text, found.start(), found.end()),
            _clause(text, found.start()),
        ):
            spans.append(Span(found.start(), found.end(), "high_importance:heating"))
            reasons.append("heating")
    return tuple(reasons), tuple(sorted(spans, key=lambda s: s.start))
