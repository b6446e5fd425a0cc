from __future__ import annotations

import pytest

from casetrack.dates import InvalidDate, PartialDate
from casetrack.vocab import Precision


@pytest.mark.parametrize(
    ("text", "precision", "display"),
    [
        ("2024", Precision.year, "2024"),
        ("2024-05", Precision.month, "May 2024"),
        ("2024-05-10", Precision.day, "2024-05-10"),
        ("2024-05-10T14:55", Precision.minute, "2024-05-10 14:55"),
        ("2024-05-10 14:55:09+03:00", Precision.minute, "2024-05-10 14:55"),
        ("--07-04", Precision.month_day, "4 July, year unknown"),
        ("--02-29", Precision.month_day, "29 February, year unknown"),
    ],
)
def test_parse_keeps_precision(text: str, precision: Precision, display: str) -> None:
    date = PartialDate.parse(text)
    assert date.precision == precision
    assert date.display() == display


@pytest.mark.parametrize(
    "text", ["2023-02-29", "2024-02-31", "--02-30", "2024-13", "10 May", "2024-5-1", "soon"]
)
def test_impossible_or_foreign_dates_are_rejected(text: str) -> None:
    with pytest.raises(InvalidDate):
        PartialDate.parse(text)


def test_inferred_is_said() -> None:
    date = PartialDate.parse("2024-05-10", inferred=True)
    assert date.display() == "2024-05-10 (inferred)"
    assert date.to_json() == {"date": "2024-05-10", "precision": "day", "inferred": True}


def test_bounds_follow_precision() -> None:
    assert PartialDate.parse("2024-02").bounds() == ("2024-02-01", "2024-02-29")
    assert PartialDate.parse("2023").bounds() == ("2023-01-01", "2023-12-31")
    assert PartialDate.parse("--07-04").bounds() is None
    assert PartialDate.unknown().bounds() is None


def test_json_round_trip() -> None:
    for text in ["2024", "2024-05", "--07-04", None]:
        date = PartialDate.parse(text, inferred=text == "2024")
        assert PartialDate.from_json(date.to_json()) == date
