"""Each Russian pattern of issue 4 pinned on a small article written for the project."""

import pytest

from casetrack.dates import PartialDate
from casetrack.ingest.types import Extraction
from tests.ingest.extract.helpers import run

ARTICLE = (
    "В Минске задержан правозащитник\n\n"
    "10 марта 2023 года в Минске был задержан правозащитник Алесь Беляцкий. "
    "Накануне в его квартире прошел обыск. "
    "Правозащитный центр «Весна» заявил, что Беляцкому вменяют ч. 4 ст. 228 УК. "
    "Суд арестовал Беляцкого на два месяца. "
    "Адвокат Алеся Беляцкого Наталья Матвеева сообщила, что ему грозит до 12 лет лишения свободы. "
    "12 мая 2024 года Ленинский районный суд Минска приговорил Алеся Беляцкого к 10 годам колонии. "
    "Журналистку Ирину Славникову оштрафовали на 500 рублей. "
    "Блогера Игоря Лосика заочно приговорили к 5 годам колонии. "
    "15 июня 2024 года Марина Золотова освобождена по амнистии. "
    "Фото: AFP"
)
SECOND = (
    "Глава правозащитного центра «Весна» Алесь Беляцкий был арестован 14 июля 2021 года. "
    "Сотрудники посольства Беларуси в Кыргызстане отказались комментировать. "
    "Беляцкому предъявили обвинение по части 2 статьи 342 УК."
)


@pytest.fixture(scope="module")
def result() -> Extraction:
    return run(ARTICLE, published="2024-06-20", language="ru")


def _case_of(result: Extraction, person: str):  # type: ignore[no-untyped-def]
    return next(c for c in result.cases if any(p.name == person for p in c.parties))


def test_inflected_forms_resolve_to_one_person_in_the_nominative(result: Extraction) -> None:
    names = {p.name for p in result.persons}
    assert names == {
        "Алесь Беляцкий",
        "Наталья Матвеева",
        "Ирина Славникова",
        "Игорь Лосик",
        "Марина Золотова",
    }
    bialiatski = next(p for p in result.persons if p.name == "Алесь Беляцкий")
    assert {"Беляцкому", "Беляцкого", "Алеся Беляцкого"} <= set(bialiatski.aliases)


def test_descriptors_and_lawyer_as_case_party(result: Extraction) -> None:
    people = {p.name: p for p in result.persons}
    assert people["Алесь Беляцкий"].description == "правозащитник"
    assert people["Ирина Славникова"].description == "журналистка"
    assert people["Наталья Матвеева"].description == "адвокат Алеся Беляцкого"
    case = _case_of(result, "Алесь Беляцкий")
    assert ("Наталья Матвеева", "lawyer") in [(p.name, p.role) for p in case.parties]


def test_quoted_organisation_court_and_no_credit(result: Extraction) -> None:
    kinds = {o.name: o.kind for o in result.organisations}
    assert kinds["Весна"] == "ngo"
    assert kinds["Ленинский районный суд"] == "court"
    court = next(o for o in result.organisations if o.name == "Ленинский районный суд")
    assert court.country == "BY"
    assert "AFP" not in kinds


def test_charges_article_penalty_and_sentences(result: Extraction) -> None:
    charges = _case_of(result, "Алесь Беляцкий").charges
    assert any(
        c.legal_article == "Art. 228 Part 4" and c.max_penalty == "до 12 лет лишения свободы" for c in charges
    )
    assert any(c.sentence == "к 10 годам колонии" for c in charges)
    assert _case_of(result, "Алесь Беляцкий").status == "convicted"
    assert _case_of(result, "Ирина Славникова").charges[0].sentence == "500 рублей"
    assert _case_of(result, "Ирина Славникова").status == "convicted"
    assert _case_of(result, "Игорь Лосик").charges[0].sentence == "к 5 годам колонии заочно"


def test_russian_event_kinds_and_dates(result: Extraction) -> None:
    events = [(e.kind, e.date, tuple(e.persons)) for e in result.events]
    assert ("detention", PartialDate.parse("2023-03-10"), ("Алесь Беляцкий",)) in events
    assert ("arrest", PartialDate.unknown(), ("Алесь Беляцкий",)) in events
    assert ("sentence", PartialDate.parse("2024-05-12"), ("Алесь Беляцкий",)) in events
    assert ("release", PartialDate.parse("2024-06-15"), ("Марина Золотова",)) in events
    kinds = [e.kind for e in result.events]
    assert "search" in kinds and "statement" in kinds
    assert kinds.count("sentence") == 3


def test_membership_embassy_and_charge_status() -> None:
    result = run(SECOND, published="2024-02-01", language="ru")
    bialiatski = next(p for p in result.persons if p.name == "Алесь Беляцкий")
    assert [(m.organisation, m.role) for m in bialiatski.memberships] == [("Весна", "head")]
    embassy = next(o for o in result.organisations if o.name.startswith("Посольство"))
    assert (embassy.name, embassy.kind, embassy.country) == (
        "Посольство Беларуси в Кыргызстане",
        "government",
        "BY",
    )
    case = _case_of(result, "Алесь Беляцкий")
    assert case.status == "charged" and case.charges[0].legal_article == "Art. 342 Part 2"
    assert [e.kind for e in result.events] == ["arrest", "charge"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Суд оправдал активистку Анну Петрову.", "acquittal"),
        ("Правозащитник Иван Петров вышел на свободу.", "release"),
        ("У журналиста Ивана Петрова прошел обыск.", "search"),
        ("Ивана Петрова задержали у здания суда.", "detention"),
        ("Суд вынес приговор Ивану Петрову.", "verdict"),
    ],
)
def test_russian_event_triggers(text: str, kind: str) -> None:
    assert [e.kind for e in run(text, language="ru").events] == [kind]
