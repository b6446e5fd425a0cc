"""A headline restating the body's event is one event; years alone date an event; 'Марину Зорину'.

Own articles: a verdict report in English and in Russian with a headline, a petition report
with two distinct deliveries of signatures, and sentences dated by a year only.
"""

from __future__ import annotations

from casetrack.dates import PartialDate
from casetrack.ingest.extract.folding import fold_events
from casetrack.ingest.extract.relative_dates import find_date
from casetrack.ingest.types import EventMention, Extraction, Quote
from tests.ingest.extract.helpers import run


def _with_title(text: str, title: str, published: str, language: str) -> Extraction:
    return run(text, published, language, title)


def _kind(extraction: Extraction, kind: str) -> list[EventMention]:
    return [e for e in extraction.events if e.kind == kind]


def test_english_headline_folds_into_the_dated_body_event() -> None:
    result = run(
        "Gomel court sentences blogger Oleg Marchenko to six years\n"
        "A court in Gomel on 12 April 2024 sentenced Oleg Marchenko, a volunteer of the rights group "
        '"Zvon", to six years in a penal colony.\n',
        "2024-04-13",
        "en",
    )
    [sentence] = _kind(result, "sentence")
    assert sentence.date.value == "2024-04-12"
    assert sentence.quote is not None and sentence.quote.text.startswith("A court in Gomel")
    assert sentence.persons == ["Oleg Marchenko"]


def test_russian_headline_folds_into_the_dated_body_event() -> None:
    result = run(
        "Суд в Гомеле приговорил блогера Олега Марченко к шести годам колонии\n\n"
        "Гомельский областной суд 12 апреля 2024 года приговорил блогера Олега Марченко к 6 годам "
        "лишения свободы.\n",
        "2024-04-13",
        "ru",
    )
    [sentence] = _kind(result, "sentence")
    assert sentence.date.value == "2024-04-12"
    assert sentence.quote is not None and sentence.quote.text.startswith("Гомельский")


PETITION = (
    "Rights group Zvon collected signatures for Oleg Marchenko.\n"
    "The rights group Zvon collected more than 120,000 signatures under a petition demanding the release "
    "of the blogger Oleg Marchenko.\n"
    "Volunteers of Zvon handed over the collected signatures to the authorities of Belarus.\n"
    "Zvon staff took more than 20,000 signatures to the Embassy of Belarus in the United Kingdom.\n"
)


def test_title_with_final_stop_folds_and_distinct_deliveries_stay_apart() -> None:
    title = "Rights group Zvon collected signatures for Oleg Marchenko."
    result = _with_title(PETITION, title, "2024-05-10", "en")
    petitions = _kind(result, "petition")
    assert [e.quote.text[:22] for e in petitions if e.quote] == [
        "The rights group Zvon ",
        "Volunteers of Zvon han",
        "Zvon staff took more t",
    ]
    assert petitions[0].figures == {"signatures": 120000}
    assert petitions[2].figures == {"signatures": 20000} and petitions[2].location == "United Kingdom"


def test_without_the_title_a_punctuated_first_line_is_no_headline() -> None:
    result = run(PETITION, "2024-05-10", "en")
    assert len(_kind(result, "petition")) == 4


def _event(start: int, **fields: object) -> EventMention:
    quote = Quote("x" * (10 + start), start, start + 10 + start)
    values: dict = {"kind": "petition", "persons": ["Oleg Marchenko"], "quote": quote} | fields
    return EventMention(**values)


def test_body_sentences_fold_only_on_a_restated_figure() -> None:
    same = [_event(0, figures={"signatures": 5000}), _event(50, figures={"people": 5000})]
    assert len(fold_events(same, set())) == 1
    different = [_event(0, figures={"signatures": 5000}), _event(50, figures={"signatures": 700})]
    assert len(fold_events(different, set())) == 2
    unstated = [_event(0), _event(50)]
    assert len(fold_events(unstated, set())) == 2


def test_headline_folds_only_with_compatible_facts() -> None:
    def dated(value: str | None, start: int, **fields: object) -> EventMention:
        return _event(start, **({"kind": "arrest", "date": PartialDate.parse(value)} | fields))

    assert len(fold_events([dated(None, 0), dated("2024-05-03", 50)], {0})) == 1
    assert len(fold_events([dated("2024-05", 0), dated("2024-05-03", 50)], {0})) == 1
    assert len(fold_events([dated("2024-06-01", 0), dated("2024-05-03", 50)], {0})) == 2
    assert len(fold_events([dated(None, 0, location="Minsk"), dated(None, 50, location="Gomel")], {0})) == 2
    other_person = dated(None, 50, persons=["Anna Berg"])
    assert len(fold_events([dated(None, 0), other_person], {0})) == 2
    assert len(fold_events([dated(None, 0), dated(None, 50, kind="detention")], {0})) == 2


def test_folded_event_keeps_the_dated_body_and_merges_participants() -> None:
    headline = _event(0, kind="arrest", organisations=["Zvon"], location="Minsk")
    body = _event(50, kind="arrest", date=PartialDate.parse("2024-05-03"), actors=["Oleg Marchenko"])
    [folded] = fold_events([headline, body], {0})
    assert folded.quote == body.quote and folded.date.value == "2024-05-03"
    assert folded.organisations == ["Zvon"] and folded.location == "Minsk"
    assert folded.actors == ["Oleg Marchenko"]


def test_a_year_alone_dates_the_event_with_year_precision() -> None:
    russian = run(
        "Правозащитницу Марину Зорину задержали в Гомеле. В 2022 году она стала лауреатом премии «Свободное слово».",
        "2024-05-10",
        "ru",
    )
    [award] = _kind(russian, "award")
    assert (award.date.value, award.date.precision, award.date.inferred) == ("2022", "year", False)
    english = run(
        "Oleg Marchenko was detained in Gomel. He was awarded the Free Word prize in 2021.",
        "2024-05-10",
        "en",
    )
    [award] = _kind(english, "award")
    assert (award.date.value, award.date.precision) == ("2021", "year")


def test_russian_month_and_year_and_counts_that_are_no_years() -> None:
    russian = run("В марте 2023 года Олега Марченко задержали в Гомеле.", "2024-05-10", "ru")
    [detention] = _kind(russian, "detention")
    assert (detention.date.value, detention.date.precision) == ("2023-03", "month")
    published = PartialDate.parse("2024-05-10")
    assert not find_date("a petition signed in 2000 signatures lists", published).known
    assert not find_date("in custody in 2021-2023", published).known
    assert find_date("In 2021 the court jailed him", published).value == "2021"


def test_accusative_feminine_name_reaches_the_nominative() -> None:
    result = run("В Гомеле задержали правозащитницу Марину Зорину.", "2024-05-10", "ru")
    assert [p.name for p in result.persons] == ["Марина Зорина"]
