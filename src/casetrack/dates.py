"""Dates that keep their precision.

A monitor's sources rarely give a full timestamp: "in May 2024", "on 4 July"
(no year), "last year". Following FollowTheMoney, a date is stored as an ISO
prefix whose length *is* its precision -- ``2024``, ``2024-05``,
``2024-05-10``, ``2024-05-10T14:55`` -- plus ``--07-04`` for a day and month
whose year is unknown. A full date is never invented from a partial one; when
the tool fills in a missing part from context (a year from the publication
date, say) the value carries ``inferred=True`` so it can say so.

Pure standard library: imported by models, extraction, queries and renderers.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from casetrack.vocab import Precision

_PATTERNS: list[tuple[Precision, re.Pattern[str]]] = [
    (
        Precision.minute,
        re.compile(
            r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?$"
        ),
    ),
    (Precision.day, re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")),
    (Precision.month, re.compile(r"^(\d{4})-(\d{2})$")),
    (Precision.year, re.compile(r"^(\d{4})$")),
    (Precision.month_day, re.compile(r"^--(\d{2})-(\d{2})$")),
]

#: English month names, January first: the one list every module uses (display, parsing, name rules).
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_MONTHS = ("", *MONTH_NAMES)


class InvalidDate(ValueError):
    """A date string that is not an ISO prefix or names an impossible day."""


@dataclass(frozen=True, slots=True)
class PartialDate:
    """An ISO date prefix with its precision and whether it was inferred."""

    value: str | None
    precision: Precision = Precision.unknown
    inferred: bool = False

    @classmethod
    def unknown(cls) -> PartialDate:
        return cls(None, Precision.unknown, False)

    @classmethod
    def parse(cls, text: str | None, *, inferred: bool = False) -> PartialDate:
        """Parse an ISO prefix (``2024``, ``2024-05``, ``--07-04`` ...); raise InvalidDate."""
        if text is None or not str(text).strip():
            return cls.unknown()
        text = str(text).strip()
        for precision, pattern in _PATTERNS:
            match = pattern.match(text)
            if match:
                _check_parts(precision, match.groups())
                return cls(_canonical(precision, match.groups()), precision, inferred)
        raise InvalidDate(
            f"{text!r} is not a date: use YYYY, YYYY-MM, YYYY-MM-DD, YYYY-MM-DDTHH:MM or --MM-DD"
        )

    @classmethod
    def from_date(
        cls, value: dt.date | dt.datetime, precision: Precision = Precision.day, *, inferred: bool = False
    ) -> PartialDate:
        if precision == Precision.minute:
            if not isinstance(value, dt.datetime):
                raise InvalidDate("minute precision needs a datetime")
            return cls(value.strftime("%Y-%m-%dT%H:%M"), precision, inferred)
        formats = {
            Precision.day: "%Y-%m-%d",
            Precision.month: "%Y-%m",
            Precision.year: "%Y",
            Precision.month_day: "--%m-%d",
        }
        if precision not in formats:
            return cls.unknown()
        return cls(value.strftime(formats[precision]), precision, inferred)

    @classmethod
    def from_json(cls, data: dict[str, Any] | str | None) -> PartialDate:
        if data is None:
            return cls.unknown()
        if isinstance(data, str):
            return cls.parse(data)
        return cls.parse(data.get("date"), inferred=bool(data.get("inferred", False)))

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def year(self) -> int | None:
        if self.value is None or self.precision == Precision.month_day:
            return None
        return int(self.value[:4])

    def to_json(self) -> dict[str, Any]:
        return {"date": self.value, "precision": self.precision.value, "inferred": self.inferred}

    def bounds(self) -> tuple[str, str] | None:
        """The earliest and latest day (ISO) this date can denote; None without a year."""
        if self.value is None or self.precision == Precision.month_day:
            return None
        year = int(self.value[:4])
        if self.precision == Precision.year:
            return f"{year:04d}-01-01", f"{year:04d}-12-31"
        month = int(self.value[5:7])
        if self.precision == Precision.month:
            last = calendar.monthrange(year, month)[1]
            return f"{year:04d}-{month:02d}-01", f"{year:04d}-{month:02d}-{last:02d}"
        return self.value[:10], self.value[:10]

    def sort_key(self) -> str:
        """Chronological key for dated values; undated values must be kept apart."""
        return self.value or ""

    def display(self) -> str:
        """Human form at the real precision: '2024-05-10', 'May 2024', '4 July, year unknown'."""
        if self.value is None:
            return "date unknown"
        text = self._plain_display()
        return f"{text} (inferred)" if self.inferred else text

    def _plain_display(self) -> str:
        assert self.value is not None
        if self.precision == Precision.year:
            return self.value
        if self.precision == Precision.month:
            return f"{_MONTHS[int(self.value[5:7])]} {self.value[:4]}"
        if self.precision == Precision.month_day:
            return f"{int(self.value[5:7])} {_MONTHS[int(self.value[2:4])]}, year unknown"
        if self.precision == Precision.minute:
            return self.value.replace("T", " ")
        return self.value

    def __str__(self) -> str:
        return self.display()


def _check_parts(precision: Precision, parts: tuple[str | Any, ...]) -> None:
    try:
        if precision == Precision.month_day:
            month, day = int(parts[0]), int(parts[1])
            dt.date(2000, month, day)  # a leap year admits 29 February
        elif precision == Precision.month:
            dt.date(int(parts[0]), int(parts[1]), 1)
        elif precision in (Precision.day, Precision.minute):
            dt.date(int(parts[0]), int(parts[1]), int(parts[2]))
            if precision == Precision.minute:
                dt.time(int(parts[3]), int(parts[4]))
    except ValueError as exc:
        raise InvalidDate(f"impossible date: {exc}") from None


def _canonical(precision: Precision, parts: tuple[str | Any, ...]) -> str:
    if precision == Precision.minute:
        return f"{parts[0]}-{parts[1]}-{parts[2]}T{parts[3]}:{parts[4]}"
    if precision == Precision.day:
        return f"{parts[0]}-{parts[1]}-{parts[2]}"
    if precision == Precision.month:
        return f"{parts[0]}-{parts[1]}"
    if precision == Precision.year:
        return str(parts[0])
    return f"--{parts[0]}-{parts[1]}"
