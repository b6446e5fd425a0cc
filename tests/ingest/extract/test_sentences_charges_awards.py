"""Sentences of several people, collective charges with one article each, award nouns as descriptors.

Own articles (English and Russian) in the style of verdict reports: a headline, a
sentence naming several defendants with a term each, a plural-subject charge
sentence with two Criminal Code articles, a sentence in absentia.
"""

from __future__ import annotations

import pytest

from casetrack.ingest.types import ChargeMention, Extraction
from tests.ingest.extract.helpers import run

ENGLISH = (
    "Minsk court sentences Nobel laureate Pavel Sadovsky to eight years\n"
    'A court in Minsk on 5 May 2024 sentenced Pavel Sadovsky, the chairman of the rights group "Zvon", '
    "to eight years in a penal colony. The court also sentenced Zvon's deputy head Marta Kolesnik to six "
    "years and the lawyer Ihar Dvornik to five years.\n"
    "Nobel Peace Prize winner Pavel Sadovsky has been in custody since 2021.\n"
    "In 2022 he was awarded the Nobel Peace Prize.\n"
    "Anna Berg was detained in March. In the Lake case she is accused of treason and faces up to 12 years in prison.\n"
)

RUSSIAN = (
    "Суд в Гомеле приговорил блогера Игоря Комарова к шести годам колонии\n\n"
    "Гомельский областной суд 5 мая 2024 года приговорил блогера Игоря Комарова к 6 годам лишения свободы. "
    "Его соавтор Павел Веретенников получил 4 года, редактор Ольга Тарасевич — 3 года. "
    "Анну Зорину, которая уехала из страны, суд заочно приговорил к 5 годам.\n\n"
    "Журналистов обвинили в разжигании вражды и в призывах к действиям, направленным на причинение вреда "
    "национальной безопасности (ч. 3 ст. 130 и ч. 3 ст. 361 Уголовного кодекса).\n\n"
    "Лауреат премии «Свободное слово» Игорь Комаров находится под стражей с 2022 года.\n"
)


@pytest.fixture(scope="module")
def english() -> Extraction:
    return run(ENGLISH, "2024-05-06", "en")


@pytest.fixture(scope="module")
def russian() -> Extraction:
    return run(RUSSIAN, "2024-05-06", "ru")


def _charges(extraction: Extraction, person: str) -> list[ChargeMention]:
    return [c for case in extraction.cases for c in case.charges if c.person == person]


def test_headline_with_an_award_descriptor_is_a_sentence_event(english: Extraction) -> None:
    """The headline is no award event: it is the sentence event of the body, folded into it."""
    assert not [e for e in english.events if e.quote and e.quote.start == 0]
    sentenced = [e for e in english.events if e.kind == "sentence" and "Pavel Sadovsky" in e.persons]
    assert len(sentenced) == 1 and sentenced[0].date.value == "2024-05-05"
    award_quotes = [e.quote.text for e in english.events if e.kind == "award" and e.quote]
    assert award_quotes == ["In 2022 he was awarded the Nobel Peace Prize."]


def test_russian_award_descriptor_is_no_award_event(russian: Extraction) -> None:
    assert not [e for e in russian.events if e.kind == "award"]


def test_sentence_between_name_and_term_and_one_term_per_person(english: Extraction) -> None:
    assert [c.sentence for c in _charges(english, "Pavel Sadovsky")] == ["eight years in a penal colony"]
    assert [c.sentence for c in _charges(english, "Marta Kolesnik")] == ["six years"]
    assert [c.sentence for c in _charges(english, "Ihar Dvornik")] == ["five years"]


def test_a_sentenced_lawyer_is_a_defendant_not_a_lawyer_of_another_case(english: Extraction) -> None:
    roles = {(p.name, p.role) for case in english.cases for p in case.parties}
    assert ("Ihar Dvornik", "defendant") in roles
    assert ("Ihar Dvornik", "lawyer") not in roles
    assert all(case.status == "convicted" for case in english.cases if case.name != "Lake case")


def test_pronoun_subject_before_the_trigger_takes_the_previous_person(english: Extraction) -> None:
    (charge,) = _charges(english, "Anna Berg")
    assert charge.charge == "treason"
    assert charge.max_penalty == "up to 12 years in prison"


def test_russian_terms_per_person_and_in_absentia(russian: Extraction) -> None:
    sentences = {
        c.person: c.sentence for case in russian.cases for c in case.charges if c.sentence is not None
    }
    assert sentences == {
        "Игорь Комаров": "к 6 годам лишения свободы",
        "Павел Веретенников": "4 года",
        "Ольга Тарасевич": "3 года",
        "Анна Зорина": "к 5 годам заочно",
    }


def test_collective_charge_with_one_article_per_part_goes_to_every_sentenced_person(
    russian: Extraction,
) -> None:
    for person in ("Игорь Комаров", "Павел Веретенников", "Ольга Тарасевич", "Анна Зорина"):
        charged = [
            (c.charge, c.legal_article, c.legal_article_raw) for c in _charges(russian, person) if c.charge
        ]
        assert charged == [
            ("разжигание вражды", "Art. 130 Part 3", "ч. 3 ст. 130"),
            (
                "призывы к действиям, направленным на причинение вреда национальной безопасности",
                "Art. 361 Part 3",
                "ч. 3 ст. 361",
            ),
        ], person
    assert all(case.status == "convicted" for case in russian.cases)


ORGANISATIONS_RU = (
    "Советский районный суд Гомеля 5 мая 2024 года приговорил основателя Правозащитного центра «Звон» "
    "Игоря Комарова к 6 годам лишения свободы.\n\n"
    "Заместитель председателя «Звона» Павел Веретенников получил 4 года.\n\n"
    "В 2022 году центр получил премию вместе с украинским Центром гражданских инициатив.\n"
)


@pytest.fixture(scope="module")
def organisations_ru() -> Extraction:
    return run(ORGANISATIONS_RU, "2024-05-06", "ru")


def test_russian_membership_only_from_organisations_after_the_title(organisations_ru: Extraction) -> None:
    komarov = next(p for p in organisations_ru.persons if p.name == "Игорь Комаров")
    assert [(m.organisation, m.role) for m in komarov.memberships] == [
        ("Правозащитный центр «Звон»", "founder")
    ]


def test_quoted_name_alone_is_the_same_organisation_and_deputy_roles(organisations_ru: Extraction) -> None:
    names = {o.name: o for o in organisations_ru.organisations}
    assert "Звон" not in names and "Правозащитный центр «Звон" not in names
    assert {"Звон", "Звона"} <= set(names["Правозащитный центр «Звон»"].aliases)
    deputy = next(p for p in organisations_ru.persons if p.name == "Павел Веретенников")
    assert [(m.organisation, m.role) for m in deputy.memberships] == [
        ("Правозащитный центр «Звон»", "deputy chair")
    ]


def test_only_the_head_of_an_organisation_name_takes_the_nominative(organisations_ru: Extraction) -> None:
    assert "Центр гражданских инициатив" in {o.name for o in organisations_ru.organisations}


def test_charge_events_name_whom_the_charges_concern(english: Extraction, russian: Extraction) -> None:
    accused = next(e for e in english.events if e.kind == "charge")
    assert accused.persons == ["Anna Berg"]
    collective = next(e for e in russian.events if e.kind == "charge")
    assert collective.persons == ["Игорь Комаров", "Павел Веретенников", "Ольга Тарасевич", "Анна Зорина"]


def test_a_pronoun_subject_is_the_previous_sentences_person(english: Extraction) -> None:
    award = next(e for e in english.events if e.kind == "award")
    assert award.persons == ["Pavel Sadovsky"]


def test_organisation_named_right_after_a_lower_case_head() -> None:
    result = run(
        "In 2022 the prize went to the Russian organisation Zorya and to the rights group Doctors for Fair Trials.\n"
        "The organization Saturday announced nothing.\n",
        "2024-05-06",
        "en",
    )
    found = {o.name: o.country for o in result.organisations}
    assert found == {"Zorya": "RU", "Doctors for Fair Trials": None}


def test_russian_charge_head_in_the_nominative_and_object_pronoun() -> None:
    result = run(
        "Ивана Петрова приговорили к 3 годам колонии. Его обвиняли в незаконном пересечении границы.",
        "2024-05-06",
        "ru",
    )
    charges = [c.charge for case in result.cases for c in case.charges if c.person == "Иван Петров"]
    assert "незаконное пересечение границы" in charges
