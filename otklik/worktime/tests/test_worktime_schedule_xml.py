"""Weekly schedule files and the xmlcalendar parser."""

from datetime import UTC, date, time

import pytest

from otklik.worktime import (
    DayKind,
    WeeklySchedule,
    dump_year,
    federal_calendar,
    load_year,
    parse_xmlcalendar,
)

SCHEDULE = """
time_zone = "Asia/Yekaterinburg"
[days]
mon = ["08:30-12:30", "13:15-17:30"]
fri = ["08:30-12:30", "13:15-16:15:30"]
"""


def test_schedule_from_toml_and_back() -> None:
    s = WeeklySchedule.from_toml(SCHEDULE)
    assert s.time_zone == "Asia/Yekaterinburg"
    assert s.hours(0) == ((time(8, 30), time(12, 30)), (time(13, 15), time(17, 30)))
    assert s.hours(4)[-1] == (time(13, 15), time(16, 15, 30))
    assert s.hours(1) == ()
    assert WeeklySchedule.from_toml(s.to_toml()) == s
    assert s.tz.key == "Asia/Yekaterinburg"


def test_default_schedule() -> None:
    s = WeeklySchedule.default()
    assert s.time_zone == "Europe/Moscow"
    assert all(s.hours(w) == ((time(9), time(13)), (time(14), time(18))) for w in range(5))
    assert s.hours(5) == s.hours(6) == ()
    assert WeeklySchedule.from_toml('[days]\nmon = ["09:00-13:00"]\n').time_zone == "Europe/Moscow"


def test_common_weekday_hours() -> None:
    short_fri = WeeklySchedule(
        days={0: ((time(9), time(18)),), 1: ((time(9), time(18)),), 4: ((time(9), time(16)),)}
    )
    assert short_fri.common_weekday_hours() == ((time(9), time(18)),)
    tie = WeeklySchedule(days={2: ((time(10), time(11)),), 3: ((time(9), time(18)),)})
    assert tie.common_weekday_hours() == ((time(10), time(11)),)  # earliest weekday wins a tie
    assert WeeklySchedule(days={5: ((time(9), time(12)),)}).common_weekday_hours() == ()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('time_zone = "Mars/Olympus"', "unknown time zone"),
        ("zone = 1", "unknown keys"),
        ("time_zone = 3", "must be a string"),
        ('[days]\nmonday = ["09:00-10:00"]', "unknown day"),
        ('[days]\nmon = "09:00-10:00"', "list of"),
        ('[days]\nmon = ["09:00"]', "is not HH:MM-HH:MM"),
        ('[days]\nmon = ["9h-10h"]', "is not HH:MM-HH:MM"),
        ('[days]\nmon = ["10:00-09:00"]', "empty or crosses midnight"),
        ('[days]\nmon = ["09:00-12:00", "11:00-13:00"]', "overlap"),
    ],
)
def test_schedule_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WeeklySchedule.from_toml(text)


def test_schedule_validation() -> None:
    with pytest.raises(ValueError, match=r"0\.\.6"):
        WeeklySchedule(days={7: ()})

    with pytest.raises(ValueError, match="without tzinfo"):
        WeeklySchedule(days={0: ((time(9, tzinfo=UTC), time(10)),)})


# 2024 in the xmlcalendar format, as that site publishes it: the working Saturdays 27 Apr
# and 28 Dec appear only as the `f` of the days off moved from them.
XML_2024 = """<?xml version="1.0" encoding="UTF-8"?>
<calendar year="2024" lang="ru" date="2023.09.02">
  <holidays>
    <holiday id="1" title="Новогодние каникулы"/>
    <holiday id="2" title="Рождество Христово"/>
    <holiday id="3" title="День защитника Отечества"/>
    <holiday id="4" title="Международный женский день"/>
    <holiday id="5" title="Праздник Весны и Труда"/>
    <holiday id="6" title="День Победы"/>
    <holiday id="7" title="День России"/>
    <holiday id="8" title="День народного единства"/>
  </holidays>
  <days>
    <day d="01.01" t="1" h="1"/><day d="01.02" t="1" h="1"/><day d="01.03" t="1" h="1"/>
    <day d="01.04" t="1" h="1"/><day d="01.05" t="1" h="1"/><day d="01.06" t="1" h="1"/>
    <day d="01.07" t="1" h="2"/><day d="01.08" t="1" h="1"/>
    <day d="02.22" t="2"/><day d="02.23" t="1" h="3"/>
    <day d="03.07" t="2"/><day d="03.08" t="1" h="4"/>
    <day d="04.29" t="1" f="04.27"/><day d="04.30" t="1" f="11.02"/>
    <day d="05.01" t="1" h="5"/><day d="05.08" t="2"/><day d="05.09" t="1" h="6"/>
    <day d="05.10" t="1" f="01.06"/>
    <day d="06.11" t="2"/><day d="06.12" t="1" h="7"/>
    <day d="11.02" t="2"/><day d="11.04" t="1" h="8"/>
    <day d="12.30" t="1" f="12.28"/><day d="12.31" t="1" f="01.07"/>
  </days>
</calendar>
"""


def test_parse_xmlcalendar_matches_the_data_file() -> None:
    parsed = parse_xmlcalendar(XML_2024)
    ours = federal_calendar().year(2024)
    assert parsed.year == 2024
    assert not parsed.provisional
    assert "2023.09.02" in parsed.source
    assert dict(parsed.days) == dict(ours.days)
    assert dict(parsed.holidays) == dict(ours.holidays)
    assert dict(parsed.transfers) == dict(ours.transfers)
    assert parsed.kind_of(date(2024, 4, 27)) is DayKind.WORKING
    # Written back in our format and read again: the same year.
    assert load_year(dump_year(parsed)) == parsed
    # And it can replace the year in a calendar without a release.
    cal = federal_calendar().with_years(
        parse_xmlcalendar(XML_2024, source="импорт", provisional=True)
    )
    assert cal.is_provisional(2024)
    assert cal.year(2024).source == "импорт"


def test_parse_xmlcalendar_explicit_working_day() -> None:
    y = parse_xmlcalendar(
        '<calendar year="2025"><days><day d="11.01" t="3"/><day d="11.03" t="1" f="11.01"/></days></calendar>'
    )
    assert y.kind_of(date(2025, 11, 1)) is DayKind.WORKING
    assert y.transfers == {date(2025, 11, 3): date(2025, 11, 1)}
    assert "без даты" in y.source


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("<calendar", "not well-formed"),
        ("<calendars year='2024'/>", "root must be"),
        ("<calendar/>", "root must be"),
        ('<calendar year="2024"><days><day d="13.01" t="1"/></days></calendar>', "bad day"),
        ('<calendar year="2024"><days><day t="1"/></days></calendar>', "bad day"),
        (
            '<calendar year="2024"><days><day d="01.09" t="7"/></days></calendar>',
            "unknown day type",
        ),
        (
            '<calendar year="2024"><days><day d="01.09" t="1"/><day d="01.09" t="1"/></days></calendar>',
            "twice",
        ),
        (
            '<calendar year="2024"><days><day d="01.09" t="1" h="9"/></days></calendar>',
            "unknown holiday id",
        ),
        (
            '<calendar year="2024"><holidays><holiday id="1" title="x"/></holidays>'
            '<days><day d="01.09" t="2" h="1"/></days></calendar>',
            "must be t=",
        ),
        (
            '<calendar year="2024"><days><day d="01.09" t="3" f="01.06"/></days></calendar>',
            "must be t=",
        ),
    ],
)
def test_parse_xmlcalendar_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_xmlcalendar(text)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("time_zone = ", "not valid TOML"),
        ("[days]\nmon = " + "[" * 3000 + "]" * 3000, "not valid TOML"),
        ("days = 5", "must be a string"),
        ('time_zone = "Europe"', "unknown time zone"),
        ('time_zone = "../../etc/passwd"', "unknown time zone"),
        ('time_zone = ""', "unknown time zone"),
        ('[days]\nmon = ["09:00:00.5-10:00"]', "is not HH:MM-HH:MM"),
        ('[days]\nmon = ["09:00+03:00-10:00"]', "is not HH:MM-HH:MM"),
        ('[days]\nmon = ["٠٩:٠٠-10:00"]', "is not HH:MM-HH:MM"),
        ('[days]\nmon = ["25:00-26:00"]', "is not HH:MM-HH:MM"),
        ('[days]\nmon = ["09:00-10:00-11:00"]', "is not HH:MM-HH:MM"),
        ('[days]\nmon = ["11:00-12:00", "09:00-10:00"]', "not sorted"),
        ('[days]\nmon = ["09:00-09:00"]', "empty"),
        ('[days]\nMon = ["09:00-10:00"]', "unknown day"),
    ],
)
def test_schedule_refuses_malformed_input(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        WeeklySchedule.from_toml(text)


def test_schedule_accepts_touching_intervals_and_spaces() -> None:
    s = WeeklySchedule.from_toml('[days]\nmon = [" 09:00 - 12:00 ", "12:00-13:00:30"]\n')
    assert s.hours(0) == ((time(9), time(12)), (time(12), time(13, 0, 30)))


XML_MINI = '<calendar year="2025"><days><day d="11.03" t="1" f="11.01"/></days></calendar>'


def test_parse_xmlcalendar_takes_bytes_in_their_declared_encoding() -> None:
    assert parse_xmlcalendar(XML_MINI.encode()).kind_of(date(2025, 11, 1)) is DayKind.WORKING
    cp1251 = (
        '<?xml version="1.0" encoding="windows-1251"?>'
        '<calendar year="2025"><holidays><holiday id="1" title="День России"/></holidays>'
        '<days><day d="06.12" t="1" h="1"/></days></calendar>'
    ).encode("cp1251")
    assert parse_xmlcalendar(cp1251).holidays == {date(2025, 6, 12): "День России"}
    assert parse_xmlcalendar(XML_MINI.encode("utf-16")).year == 2025


BOMB = (
    '<?xml version="1.0"?><!DOCTYPE calendar [<!ENTITY a "aaaaaaaaaa">'
    '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
    '<calendar year="2024"><holidays><holiday id="1" title="&c;"/></holidays></calendar>'
)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "not well-formed"),
        ("   ", "not well-formed"),
        (b"\xff\xfe\xfa", "not well-formed"),
        (b'<calendar year="2024">\xff</calendar>', "not well-formed"),
        ('<calendar year="2024">\ud800</calendar>', "not valid Unicode"),
        ('<calendar year="2024"></calendar><calendar/>', "not well-formed"),
        (BOMB, "DOCTYPE"),
        ('<!DOCTYPE calendar SYSTEM "file:///etc/passwd"><calendar year="2024"/>', "DOCTYPE"),
        ('<calendar year="²"/>', "root must be"),
        ('<calendar year="0"/>', "1..9999"),
        ('<calendar year="10000"/>', "1..9999"),
        ('<calendar year="-5"/>', "root must be"),
        ('<calendar year=" 2024"/>', "root must be"),
        ('<x:calendar xmlns:x="urn:x" year="2024"/>', "root must be"),
        ('<calendar year="2024"><days><day d="02.30" t="1"/></days></calendar>', "bad day"),
        ('<calendar year="2023"><days><day d="02.29" t="1"/></days></calendar>', "bad day"),
        ('<calendar year="2024"><days><day d="١.٠١" t="1"/></days></calendar>', "bad day"),
        ('<calendar year="2024"><days><day d=" 1.01" t="1"/></days></calendar>', "bad day"),
        ('<calendar year="2024"><days><day d="01.01.2024" t="1"/></days></calendar>', "bad day"),
        ('<calendar year="2024"><days><day d="01.01"/></days></calendar>', "unknown day type"),
        (
            '<calendar year="2024"><days><day d="01.09" t="1" f="02.30"/></days></calendar>',
            "bad day",
        ),
    ],
)
def test_parse_xmlcalendar_refuses_malformed_input(text: str | bytes, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_xmlcalendar(text)


@pytest.mark.parametrize(
    "encoding", ["TF-8", "base64", "rot13", "mbcs", "idna", "undefined", "shift_jis", "utf-7"]
)
def test_parse_xmlcalendar_refuses_an_unusable_declared_encoding(encoding: str) -> None:
    doc = f'<?xml version="1.0" encoding="{encoding}"?><calendar year="2024"/>'.encode()
    with pytest.raises(ValueError, match=r"^xmlcalendar: .*encoding"):
        parse_xmlcalendar(doc)
