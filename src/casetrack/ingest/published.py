"""When was the article published, and how do we know?

A saved page carries several dates and only one of them is the article's. The
finder looks at *date lines* -- short lines that are mostly a date, such as
"3 May 2024, Friday, 14:23", "10.05.2024 14:55" or "10 May, Friday" -- and at
where they stand relative to the title and body that ``clean`` found:

* a date line in the page header, separated from the title by site furniture
  (menus, banners), is the site's date at capture time: it is recorded as
  ``retrieved``, never as the publication date;
* a date line next to the title or body (nothing but blank lines or a
  ``link:`` line between, the date line of a byline block right above the
  body, or keyed "Published:" anywhere) is the publication date;
* a news feed that lists the article's own title under a day heading and a
  time gives the publication day and minute.

A missing year is inferred only from evidence and then flagged ``inferred``:
a weekday fixes the year to a few candidates, of which the earliest not
before the latest year the page mentions (and not after the capture or base
date) is taken. For HTML, the page's metadata date (htmldate, through
trafilatura) comes first. Dates are parsed by this module's own rules for
English, Russian and numeric forms; ``dateparser.parse`` (languages fixed,
past preferred, relative base set) reads keyed lines in other languages.
``dateparser.search`` is never run over whole texts: it is slow and invents
dates from numbers.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from casetrack.dates import PartialDate
from casetrack.ingest.clean import MARKER, Cleaned, classify, page_view
from casetrack.vocab import Precision

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4, "may": 5,
    "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9,
    "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
    "январь": 1, "января": 1, "янв": 1, "февраль": 2, "февраля": 2, "фев": 2, "март": 3, "марта": 3,
    "мар": 3, "апрель": 4, "апреля": 4, "апр": 4, "май": 5, "мая": 5, "июнь": 6, "июня": 6, "июн": 6,
    "июль": 7, "июля": 7, "июл": 7, "август": 8, "августа": 8, "авг": 8, "сентябрь": 9, "сентября": 9,
    "сен": 9, "сент": 9, "октябрь": 10, "октября": 10, "окт": 10, "ноябрь": 11, "ноября": 11, "ноя": 11,
    "декабрь": 12, "декабря": 12, "дек": 12,
    "січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6, "липня": 7, "серпня": 8,
    "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12,
    "січень": 1, "лютий": 2, "березень": 3, "квітень": 4, "травень": 5, "червень": 6, "липень": 7,
    "серпень": 8, "вересень": 9, "жовтень": 10, "листопад": 11, "грудень": 12,
    "студзеня": 1, "лютага": 2, "сакавіка": 3, "красавіка": 4, "траўня": 5, "чэрвеня": 6, "ліпеня": 7,
    "жніўня": 8, "верасня": 9, "кастрычніка": 10, "лістапада": 11, "снежня": 12,
    "студзень": 1, "люты": 2, "сакавік": 3, "красавік": 4, "чэрвень": 6, "ліпень": 7, "жнівень": 8,
    "верасень": 9, "кастрычнік": 10, "лістапад": 11, "снежань": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "mon": 0, "tuesday": 1, "tue": 1, "tues": 1, "wednesday": 2, "wed": 2, "thursday": 3,
    "thu": 3, "thurs": 3, "friday": 4, "fri": 4, "saturday": 5, "sat": 5, "sunday": 6, "sun": 6,
    "понедельник": 0, "пн": 0, "вторник": 1, "вт": 1, "среда": 2, "ср": 2, "четверг": 3, "чт": 3,
    "пятница": 4, "пт": 4, "суббота": 5, "сб": 5, "воскресенье": 6, "вс": 6,
    "понеділок": 0, "вівторок": 1, "середа": 2, "четвер": 3, "п'ятниця": 4, "пʼятниця": 4, "субота": 5,
    "неділя": 6, "панядзелак": 0, "аўторак": 1, "серада": 2, "чацвер": 3, "пятніца": 4, "нядзеля": 6,
    "дүйшөмбү": 0, "шейшемби": 1, "шаршемби": 2, "бейшемби": 3, "жума": 4, "ишемби": 5, "жекшемби": 6,
}  # fmt: skip
FILLERS = {
    "published", "posted", "updated", "date", "on", "at", "the", "of", "г", "года", "год", "в", "опубликовано",
    "обновлено", "дата", "публикации", "am", "pm", "utc", "gmt", "msk", "th", "st", "nd", "rd", "last",
    "ist", "cet", "cest", "est", "edt", "pst", "pdt", "bst", "eet", "eest",
    "року", "рік", "р", "опубліковано", "оновлено", "году", "гадзе", "апублікавана", "абноўлена",
    "жыл", "жылы", "жылдын", "ж", "жарыяланды", "жаңыртылды", "саат", "о",
}  # fmt: skip
_KEYED = re.compile(r"^\s*(published|posted|date|опубликовано|дата публикации|дата)\s*[:\-]?\s*(.+)$", re.I)
_TIME = re.compile(r"\b([01]?\d|2[0-3])[:.]([0-5]\d)(?![\d.])(?:\s*([ap])\.?m\.?)?", re.I)
_NUMERIC = re.compile(r"\b(\d{1,2})([./])(\d{1,2})\2(\d{4})\b|\b(\d{4})-(\d{2})-(\d{2})\b")
_TOKEN = re.compile(r"\d+|[^\W\d_]+(?:['ʼ’][^\W\d_]+)*")
_SEPARATOR = re.compile(r"\s+[/|•·—–-]\s+")
_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date read from one line: its parts (year may be missing) and the line itself."""

    year: int | None
    month: int
    day: int
    weekday: int | None
    time: tuple[int, int] | None
    line: str

    def partial(self, year: int | None = None, *, inferred: bool = False) -> PartialDate:
        year = year if year is not None else self.year
        if year is None:
            return PartialDate.parse(f"--{self.month:02d}-{self.day:02d}")
        if self.time is not None:
            value = dt.datetime(year, self.month, self.day, *self.time)
            return PartialDate.from_date(value, Precision.minute, inferred=inferred)
        return PartialDate.from_date(dt.date(year, self.month, self.day), Precision.day, inferred=inferred)


@dataclass(frozen=True, slots=True)
class Dates:
    published: PartialDate
    published_evidence: str | None
    retrieved: PartialDate
    retrieved_evidence: str | None


def parse_date_line(line: str) -> FoundDate | None:
    """The date a short line consists of, or None when the line is more than a date.

    A byline part separated by " / ", " | ", " • " or similar is allowed:
    "NEWS.EXAMPLE / Dec 6, 2020, 15:48 IST".
    """
    text = line.strip()
    if not text or len(text) > 80:
        return None
    found = _parse_date_text(text)
    if found is None:
        for part in _SEPARATOR.split(text):
            found = _parse_date_text(part.strip())
            if found is not None:
                return FoundDate(found.year, found.month, found.day, found.weekday, found.time, text)
    return found


def _parse_date_text(text: str) -> FoundDate | None:
    if not text or len(text) > 60:
        return None
    time = _time(text)
    rest = _TIME.sub(" ", text)
    numeric = _NUMERIC.search(rest)
    if numeric:
        found = _numeric(numeric)
        rest = rest[: numeric.start()] + " " + rest[numeric.end() :]
        if found is None or not _only_fillers(rest):
            return None
        year, month, day = found
        return _valid(year, month, day, None, time, text)
    return _worded(rest, time, text)


def _time(text: str) -> tuple[int, int] | None:
    match = _TIME.search(text)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if match.group(3):
        hour = hour % 12 + (12 if match.group(3).lower() == "p" else 0)
    return hour, minute


def _numeric(match: re.Match[str]) -> tuple[int, int, int] | None:
    if match.group(5):
        return int(match.group(5)), int(match.group(6)), int(match.group(7))
    first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    if match.group(2) == "/" and first <= 12 < second:
        return year, first, second
    return year, second, first


def _only_fillers(rest: str) -> bool:
    return all(token.casefold() in FILLERS or token.casefold() in WEEKDAYS for token in _TOKEN.findall(rest))


def _worded(rest: str, time: tuple[int, int] | None, line: str) -> FoundDate | None:
    day = month = year = weekday = None
    for token in _TOKEN.findall(rest):
        word = token.casefold()
        if token.isdecimal():
            number = int(token)
            if len(token) == 4 and 1900 <= number <= 2100 and year is None:
                year = number
            elif 1 <= number <= 31 and day is None and len(token) <= 2:
                day = number
            else:
                return None
        elif word in MONTHS and month is None:
            month = MONTHS[word]
        elif word in WEEKDAYS and weekday is None:
            weekday = WEEKDAYS[word]
        elif word not in FILLERS:
            return None
    if month is None or day is None:
        return None
    return _valid(year, month, day, weekday, time, line)


def _valid(
    year: int | None, month: int, day: int, weekday: int | None, time: tuple[int, int] | None, line: str
) -> FoundDate | None:
    try:
        when = dt.date(year or 2000, month, day)
    except ValueError:
        return None
    if year is not None and weekday is not None and when.weekday() != weekday:
        return None
    return FoundDate(year, month, day, weekday, time, line.strip())


def candidate_years(found: FoundDate, latest: int) -> list[int]:
    """Years (newest first, none after ``latest``) in which the day and month fall on the stated weekday."""
    if found.weekday is None:
        return []
    years = []
    for year in range(latest, latest - 40, -1):
        try:
            if dt.date(year, found.month, found.day).weekday() == found.weekday:
                years.append(year)
        except ValueError:
            continue
    return years


def infer_year(found: FoundDate, mentioned: list[int], latest: int) -> int | None:
    """The earliest weekday-consistent year not before the latest year the page mentions."""
    candidates = candidate_years(found, latest)
    floor = max((y for y in mentioned if y <= latest), default=None)
    if floor is None or not candidates:
        return None
    fitting = [year for year in candidates if year >= floor]
    return min(fitting) if fitting else None


def find_dates(
    cleaned: Cleaned,
    *,
    base: dt.datetime,
    fetched: bool = False,
    language: str | None = None,
) -> Dates:
    """Publication and capture dates of a cleaned page, each with the text it was read from."""
    retrieved, retrieved_evidence = _header_date(cleaned) if cleaned.html is None else (None, None)
    if retrieved is None and cleaned.saved is not None:
        retrieved, retrieved_evidence = _saved_date(cleaned.saved)
    if retrieved is None and fetched:
        retrieved = PartialDate.from_date(base.replace(tzinfo=None), Precision.minute)
        retrieved_evidence = "time of download (UTC)"
    latest = base.year
    if retrieved is not None and retrieved.year:
        latest = min(latest, retrieved.year)
    published, evidence = _metadata_date(cleaned)
    if published is None:
        published, evidence = _published_from_lines(page_view(cleaned), latest, language, base)
    return Dates(
        published or PartialDate.unknown(),
        evidence,
        retrieved or PartialDate.unknown(),
        retrieved_evidence,
    )


def _saved_date(saved: tuple[str, str]) -> tuple[PartialDate | None, str | None]:
    try:
        return PartialDate.parse(saved[0]), saved[1]
    except ValueError:
        return None, None


def _metadata_date(cleaned: Cleaned) -> tuple[PartialDate | None, str | None]:
    if not cleaned.date:
        return None, None
    value = cleaned.date.strip()
    try:
        return PartialDate.parse(value[:16] if "T" in value else value[:10]), f"page metadata: {value}"
    except ValueError:
        return None, None


def _header_date(cleaned: Cleaned) -> tuple[PartialDate | None, str | None]:
    """A full date line above the title with site furniture in between: the site's date when saved."""
    top = cleaned.title_index if cleaned.title_index is not None else cleaned.body[0]
    lines = cleaned.lines[:top]
    for index, line in enumerate(lines):
        if index == cleaned.dateline:  # the article's own date line above its byline
            continue
        found = parse_date_line(line)
        if found is None or found.year is None:
            continue
        between = [other for other in lines[index + 1 :] if other.strip()]
        if between:
            return found.partial(), line.strip()
    return None, None


def _published_from_lines(
    cleaned: Cleaned, latest: int, language: str | None, base: dt.datetime
) -> tuple[PartialDate | None, str | None]:
    lines = cleaned.lines
    keyed = _keyed_date(lines, language, base)
    if keyed is not None:
        return keyed
    for index in _near_article(cleaned):
        found = parse_date_line(lines[index])
        if found is not None:
            return _resolve_year(found, lines, latest)
    return _feed_date(cleaned, latest)


def _keyed_date(lines: list[str], language: str | None, base: dt.datetime) -> tuple[PartialDate, str] | None:
    for line in lines:
        match = _KEYED.match(line)
        if not match or len(line) > 80:
            continue
        found = parse_date_line(match.group(2))
        if found is not None and found.year is not None:
            return found.partial(), line.strip()
        parsed = _dateparser(match.group(2), language, base)
        if parsed is not None:
            return PartialDate.from_date(parsed.date(), Precision.day), line.strip()
    return None


def _dateparser(text: str, language: str | None, base: dt.datetime) -> dt.datetime | None:
    if not _YEAR.search(text):
        return None
    import dateparser

    languages = [language] if language else ["en", "ru"]
    try:
        return dateparser.parse(
            text,
            languages=languages,
            settings={
                "PREFER_DATES_FROM": "past",
                "RELATIVE_BASE": base.replace(tzinfo=None),
                "REQUIRE_PARTS": ["day", "month", "year"],
            },
        )
    except (ValueError, TypeError, OverflowError):
        return None


def _near_article(cleaned: Cleaned) -> list[int]:
    """Line indices where an article's own date line stands, nearest first.

    The date line of the byline block above the body, the line right above the
    title (or body), the first few lines under the title (a dateline), and the
    first few lines after the body up to a section marker.
    """
    lines = cleaned.lines
    top = cleaned.title_index if cleaned.title_index is not None else cleaned.body[0]
    indices = [cleaned.dateline] if cleaned.dateline is not None else []
    indices += _walk(lines, top - 1, -1, limit=1)
    if cleaned.title_index is not None:
        indices += _walk(lines, cleaned.title_index + 1, 1)
    else:
        indices += _walk(lines, cleaned.body[0], 1)
    return indices + _walk(lines, cleaned.body[1], 1)


def _walk(lines: list[str], start: int, step: int, *, stop: int | None = None, limit: int = 3) -> list[int]:
    found: list[int] = []
    index = start
    end = stop if stop is not None else (len(lines) if step > 0 else -1)
    while 0 <= index < len(lines) and index != end and len(found) < limit:
        line = lines[index]
        if line.strip():
            if classify(line) == MARKER:
                break
            found.append(index)
        index += step
    return found


def _resolve_year(found: FoundDate, lines: list[str], latest: int) -> tuple[PartialDate, str]:
    if found.year is not None:
        return found.partial(), found.line
    year = infer_year(found, _mentioned_years(lines), latest)
    if year is None:
        return found.partial(), found.line
    return found.partial(
        year, inferred=True
    ), f"{found.line} (year from the weekday and the years the page mentions)"


def _mentioned_years(lines: list[str]) -> list[int]:
    return [int(year) for line in lines for year in _YEAR.findall(line)]


def _feed_date(cleaned: Cleaned, latest: int) -> tuple[PartialDate | None, str | None]:
    """The article's title listed again in a news feed under a day heading, with a time above it."""
    if cleaned.title is None:
        return None, None
    lines = cleaned.lines
    title = cleaned.title.strip().casefold()
    for index, line in enumerate(lines):
        if index == cleaned.title_index or line.strip().casefold() != title:
            continue
        day = _day_heading_above(lines, index)
        if day is None:
            continue
        time = _time_above(lines, index)
        if time is not None:
            day = FoundDate(day.year, day.month, day.day, day.weekday, time, day.line)
        partial, evidence = _resolve_year(day, lines, latest)
        clock = f" {time[0]:02d}:{time[1]:02d}" if time else ""
        return partial, f"news feed: {evidence}{clock} {line.strip()}"
    return None, None


def _day_heading_above(lines: list[str], index: int) -> FoundDate | None:
    for above in range(index - 1, -1, -1):
        found = parse_date_line(lines[above])
        if found is not None and found.time is None:
            return found
        if classify(lines[above]) == MARKER:
            return None
    return None


def _time_above(lines: list[str], index: int) -> tuple[int, int] | None:
    for above in range(index - 1, max(index - 3, -1), -1):
        line = lines[above].strip()
        if not line:
            continue
        match = _TIME.fullmatch(line)
        return _time(line) if match else None
    return None
