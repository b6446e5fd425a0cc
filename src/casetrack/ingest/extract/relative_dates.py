"""Dates written in a sentence, resolved against the publication date only when sound.

A full date ("10 May 2024", "May 10, 2024", "10.05.2024") is exact. A day and
month without a year ("On 4 July", "July 3") takes the publication year only
when the publication date is known to the day and the day-month is not after it
(then ``inferred=True``); otherwise it stays "--07-04". Weekdays ("on Friday")
resolve to the last such day on or before a known publication day. A month and
year ("in October 2022", "в марте 2023 года") gives month precision; a year alone
("in 2022", "в 2022 году") year precision; "last year" year precision, inferred.
"""

from __future__ import annotations

import datetime as dt
import re

from casetrack.dates import MONTH_NAMES, PartialDate
from casetrack.vocab import Precision

MONTHS = {name.lower(): number for number, name in enumerate(MONTH_NAMES, start=1)}
MONTHS |= {m[:3]: i for m, i in list(MONTHS.items())}
RU_MONTHS = {
    "январ": 1,
    "феврал": 2,
    "март": 3,
    "апрел": 4,
    "ма": 5,
    "июн": 6,
    "июл": 7,
    "август": 8,
    "сентябр": 9,
    "октябр": 10,
    "ноябр": 11,
    "декабр": 12,
}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTH = r"(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?"
_RU_MONTH = r"(января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря)"
_DMY = re.compile(rf"\b(\d{{1,2}})\s+{_MONTH}(?:\s+(\d{{4}}))?")
_MDY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(\d{{4}}))?\b")
_RU_DMY = re.compile(rf"(\d{{1,2}})\s+{_RU_MONTH}(?:\s+(\d{{4}}))?")
_NUMERIC = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.(\d{4})\b")
_WEEKDAY = re.compile(r"\b(?:on|last)\s+(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")
_LAST_YEAR = re.compile(r"\blast year\b|в прошлом году")
_MONTH_YEAR = re.compile(rf"\b(?:in\s+)?{_MONTH}\s+(\d{{4}})\b")
_RU_MONTH_IN = r"(январ|феврал|март|апрел|ма|июн|июл|август|сентябр|октябр|ноябр|декабр)(?:е|я|ь|й)"
_RU_MONTH_YEAR = re.compile(rf"(?<!\w)(?:в\s+)?{_RU_MONTH_IN}\s+(\d{{4}})(?!\d)", re.I)
_COUNTED = r"(?:signatures|people|persons|participants|protesters|detainees|prisoners|cases|members|votes)\b"
_YEAR = re.compile(
    rf"\b(?:in|In|during|During)\s+((?:19|20)\d\d)\b(?![.,]\d|\s*[\-–]\s*\d|\s+{_COUNTED})"
    r"|(?<!\w)[вВ]\s+((?:19|20)\d\d)\s+(?:году|г\.)"
)
"""'in 2022', 'В 2022 году'; not a range ('in 2023-2024') nor a count ('in 2000 signatures')."""


def _published_day(published: PartialDate) -> dt.date | None:
    if published.value and published.precision in (Precision.day, Precision.minute):
        return dt.date.fromisoformat(published.value[:10])
    return None


def _day_month(day: int, month: int, year: str | None, published: PartialDate) -> PartialDate | None:
    try:
        if year:
            return PartialDate.from_date(dt.date(int(year), month, day))
        base = _published_day(published)
        if base is not None:
            candidate = dt.date(base.year, month, day)
            if candidate <= base:
                return PartialDate.from_date(candidate, inferred=True)
        return PartialDate.from_date(dt.date(2000, month, day), Precision.month_day)
    except ValueError:
        return None


def find_date(text: str, published: PartialDate) -> PartialDate:
    """The first date the sentence states, or unknown."""
    for match in _NUMERIC.finditer(text):
        try:
            return PartialDate.from_date(
                dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
            )
        except ValueError:
            continue
    for match in _DMY.finditer(text):
        date = _day_month(int(match.group(1)), MONTHS[match.group(2).lower()[:3]], match.group(3), published)
        if date:
            return date
    for match in _MDY.finditer(text):
        date = _day_month(int(match.group(2)), MONTHS[match.group(1).lower()[:3]], match.group(3), published)
        if date:
            return date
    for match in _RU_DMY.finditer(text):
        month = next(v for k, v in RU_MONTHS.items() if match.group(2).startswith(k))
        date = _day_month(int(match.group(1)), month, match.group(3), published)
        if date:
            return date
    month_year = _MONTH_YEAR.search(text)
    if month_year:
        return PartialDate.parse(f"{month_year.group(2)}-{MONTHS[month_year.group(1).lower()[:3]]:02d}")
    ru_month_year = _RU_MONTH_YEAR.search(text)
    if ru_month_year:
        return PartialDate.parse(f"{ru_month_year.group(2)}-{RU_MONTHS[ru_month_year.group(1).lower()]:02d}")
    base = _published_day(published)
    weekday = _WEEKDAY.search(text)
    if weekday and base is not None:
        back = (base.weekday() - WEEKDAYS.index(weekday.group(1).lower())) % 7
        return PartialDate.from_date(base - dt.timedelta(days=back), inferred=True)
    year = _YEAR.search(text)
    if year:
        return PartialDate.parse(year.group(1) or year.group(2))
    if _LAST_YEAR.search(text) and published.year is not None:
        return PartialDate.parse(str(published.year - 1), inferred=True)
    return PartialDate.unknown()
