"""Publication and capture dates: the seeds' tricky date lines, date-line parsing, year inference."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from casetrack.ingest.clean import clean, clean_text
from casetrack.ingest.published import Dates, FoundDate, find_dates, infer_year, parse_date_line
from casetrack.ingest.read import HTML, PLAIN
from casetrack.vocab import Precision

BASE = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)
BODY = (
    "Police detained the journalist after she filmed a rally against rising fuel prices.\n\n"
    "Her editor said she was questioned for six hours without a lawyer present at the station."
)


def dates_of(text: str, *, base: dt.datetime = BASE, fetched: bool = False) -> Dates:
    return find_dates(clean_text(text), base=base, fetched=fetched)


def test_24kg_seed_year_is_inferred_from_the_feed_weekday(seeds_dir: Path) -> None:
    name = "000_ce902227b9a06b84.txt"
    expected = yaml.safe_load((seeds_dir / "expected.yaml").read_text(encoding="utf-8"))[name]["source"]
    dates = find_dates(clean((seeds_dir / name).read_text(encoding="utf-8"), PLAIN), base=BASE)
    assert dates.published.value == expected["published"]["date"] == "2024-05-10T14:55"
    assert dates.published.precision == Precision.minute and dates.published.inferred
    assert dates.published_evidence and "10 May, Friday" in dates.published_evidence
    assert not dates.retrieved.known  # "15:55" alone is a clock, not a date


def test_charter97_seed_header_is_the_capture_date_not_the_publication(seeds_dir: Path) -> None:
    name = "003_c6731568ab90a96d.txt"
    expected = yaml.safe_load((seeds_dir / "expected.yaml").read_text(encoding="utf-8"))[name]["source"]
    dates = find_dates(clean((seeds_dir / name).read_text(encoding="utf-8"), PLAIN), base=BASE)
    assert not dates.published.known and dates.published.precision == Precision.unknown
    assert dates.retrieved.value == expected["retrieved"]["date"] == "2024-05-03T14:23"
    assert dates.retrieved.precision == Precision.minute and not dates.retrieved.inferred
    assert dates.retrieved_evidence == "3 May 2024, Friday, 14:23"


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        ("3 May 2024, Friday, 14:23", (2024, 5, 3, 4, (14, 23))),
        ("10 May, Friday", (None, 5, 10, 4, None)),
        ("May 10, 2024", (2024, 5, 10, None, None)),
        ("Friday, May 10, 2024 at 2:55 pm", (2024, 5, 10, 4, (14, 55))),
        ("10.05.2024 14:55", (2024, 5, 10, None, (14, 55))),
        ("2024-05-10", (2024, 5, 10, None, None)),
        ("05/28/2023", (2023, 5, 28, None, None)),
        ("10 мая 2024, 14:55", (2024, 5, 10, None, (14, 55))),
        ("пятница, 10 мая 2024 г.", (2024, 5, 10, 4, None)),
        ("Published: 4 July 2013", (2013, 7, 4, None, None)),
        ("4 July", (None, 7, 4, None, None)),
        ("NEWS.EXAMPLE / Dec 6, 2020, 15:48 IST", (2020, 12, 6, None, (15, 48))),
        ("3 сакавіка 2023", (2023, 3, 3, None, None)),  # Belarusian
        ("пятніца, 10 траўня 2024", (2024, 5, 10, 4, None)),
        ("16:05, 3 лістапада 2022", (2022, 11, 3, None, (16, 5))),
        ("п'ятниця, 10 травня 2024 р.", (2024, 5, 10, 4, None)),  # Ukrainian
        ("3 березня 2023 року", (2023, 3, 3, None, None)),
        ("10-май, 2024-жыл", (2024, 5, 10, None, None)),  # Kyrgyz
        ("Жума, 10-май", (None, 5, 10, 4, None)),
        ("10-май, 2024-жыл, саат 14:55", (2024, 5, 10, None, (14, 55))),
        ("10 травня 2024 о 14:55", (2024, 5, 10, None, (14, 55))),
    ],
)
def test_parse_date_line(line: str, parts: tuple[object, ...]) -> None:
    found = parse_date_line(line)
    assert found is not None
    assert (found.year, found.month, found.day, found.weekday, found.time) == parts


@pytest.mark.parametrize(
    "line",
    [
        "3 May 2024, Thursday",  # the weekday contradicts the date
        "31 February 2024",
        "15:55",
        "USD 88.39",
        "15 years in prison for the activist",
        "On 4 July an official reception took place in the dearest restaurant of Bishkek",
        "",
    ],
)
def test_lines_that_are_not_dates(line: str) -> None:
    assert parse_date_line(line) is None


def test_infer_year_needs_a_weekday_and_a_mentioned_year() -> None:
    friday = FoundDate(None, 5, 10, 4, None, "10 May, Friday")
    assert infer_year(friday, [2023, 2021], 2026) == 2024
    assert infer_year(friday, [2018], 2026) == 2019
    assert infer_year(friday, [2025], 2026) is None  # no Friday 10 May from 2025 to 2026
    assert infer_year(friday, [], 2026) is None
    no_weekday = FoundDate(None, 5, 10, None, None, "10 May")
    assert infer_year(no_weekday, [2023], 2026) is None


def test_date_line_under_the_title_is_the_publication_date() -> None:
    dates = dates_of(f"Menu\n\nJournalist detained in Almaty\n12.03.2024 10:15\n\n{BODY}\n")
    assert dates.published.value == "2024-03-12T10:15" and not dates.published.inferred
    assert dates.published_evidence == "12.03.2024 10:15"


def test_date_line_after_the_body_is_the_publication_date() -> None:
    dates = dates_of(f"Journalist detained in Almaty\n\n{BODY}\n\n5 March 2024\nRelated\n1 January 2020\n")
    assert dates.published.value == "2024-03-05" and dates.published.precision == Precision.day


def test_keyed_publication_line_anywhere() -> None:
    dates = dates_of(f"Journalist detained in Almaty\n\n{BODY}\nShare\nPublished: March 5, 2024\n")
    assert dates.published.value == "2024-03-05"


def test_day_and_month_without_year_stay_month_day_and_not_inferred() -> None:
    dates = dates_of(f"Journalist detained in Almaty\n4 July\n\n{BODY}\n")
    assert dates.published.value == "--07-04" and dates.published.precision == Precision.month_day
    assert not dates.published.inferred


def test_weekday_without_year_evidence_is_not_turned_into_a_year() -> None:
    dates = dates_of(f"Journalist detained in Almaty\n10 May, Friday\n\n{BODY}\n")
    assert dates.published.value == "--05-10" and not dates.published.inferred


def test_header_date_is_never_the_publication_date() -> None:
    dates = dates_of(f"1 June 2025, Sunday, 09:00\nHome\nNews\n\nJournalist detained in Almaty\n\n{BODY}\n")
    assert dates.retrieved.value == "2025-06-01T09:00"
    assert not dates.published.known


def test_fetched_page_records_the_download_time() -> None:
    dates = dates_of(f"Journalist detained in Almaty\n\n{BODY}\n", fetched=True)
    assert (
        dates.retrieved.value == "2026-01-15T12:00" and dates.retrieved_evidence == "time of download (UTC)"
    )


def test_html_metadata_date() -> None:
    html = (
        "<html><head><title>Lawyer disbarred</title>"
        '<meta property="article:published_time" content="2023-11-08T09:30:00+00:00"></head><body><article>'
        + "".join(f"<p>{line}</p>" for line in BODY.split("\n\n")) * 3
        + "</article></body></html>"
    )
    dates = find_dates(clean(html, HTML), base=BASE)
    assert dates.published.value == "2023-11-08" and dates.published.precision == Precision.day
    assert dates.published_evidence and dates.published_evidence.startswith("page metadata")


def test_html_without_metadata_date_uses_the_visible_date_line(monkeypatch: pytest.MonkeyPatch) -> None:
    html = (
        "<html><head><title>Lawyer disbarred</title></head><body><nav>Home</nav><article><h1>Lawyer disbarred</h1>"
        "<div>Published: 8 November 2023</div>"
        + "".join(f"<p>{line}</p>" for line in BODY.split("\n\n")) * 3
        + "</article></body></html>"
    )
    cleaned = clean(html, HTML)
    cleaned.date = None  # as if the page had no metadata date
    dates = find_dates(cleaned, base=BASE)
    assert dates.published.value == "2023-11-08"


def test_saved_page_notes_give_url_and_capture_time() -> None:
    html = (
        "<!DOCTYPE html><!--\n Page saved with SingleFile \n url: https://news.example/a/77 \n"
        " saved date: Fri May 10 2024 15:55:12 GMT+0600 (Kyrgyzstan Time)\n-->"
        "<html><head><title>Lawyer disbarred</title></head><body><article>"
        + "".join(f"<p>{line}</p>" for line in BODY.split("\n\n")) * 3
        + "</article></body></html>"
    )
    cleaned = clean(html, HTML)
    assert cleaned.url == "https://news.example/a/77"
    dates = find_dates(cleaned, base=BASE)
    assert dates.retrieved.value == "2024-05-10T15:55" and dates.retrieved.precision == Precision.minute
    assert dates.retrieved_evidence and dates.retrieved_evidence.startswith("saved date: Fri May 10 2024")
    browser = "<!-- saved from url=(0026)https://news.example/a/78 -->\n" + html.split("-->", 1)[1]
    assert clean(browser, HTML).url == "https://news.example/a/78"


def test_date_line_between_title_and_link_line_is_the_publication_date() -> None:
    page = (
        "Valley Rights Review\nHome | Courts | Prisons\n\nAppeal court upholds the sentence\n\n"
        f"3 марта 2023\nlink: https://valley-rights.example/a/1\n\n{BODY}\n"
    )
    dates = dates_of(page)
    assert dates.published.value == "2023-03-03" and dates.published.precision == Precision.day
    assert not dates.published.inferred and dates.published_evidence == "3 марта 2023"
    assert not dates.retrieved.known


def test_sample_russian_article_is_dated_by_its_date_line() -> None:
    path = Path(__file__).resolve().parents[2] / "seeds" / "articles" / "02-belyatsky-prigovor-ru.txt"
    dates = find_dates(clean(path.read_text(encoding="utf-8"), PLAIN), base=BASE)
    assert (dates.published.value, dates.published.precision) == ("2023-03-03", Precision.day)
    assert not dates.published.inferred and dates.published_evidence == "3 марта 2023"


def test_date_line_above_tags_and_byline_is_the_publication_date_not_the_capture_date() -> None:
    page = (
        "Home\nNews\nCourts\nRights\nProtest chronicle\n22.04.2021\nMoscow\nFreedom of assembly\nPolitics\n"
        f"Asel Omurova\nanalyst\n\n{BODY}\n"
    )
    dates = dates_of(page)
    assert dates.published.value == "2021-04-22" and dates.published_evidence == "22.04.2021"
    assert not dates.retrieved.known
