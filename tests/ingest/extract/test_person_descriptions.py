"""Person descriptions: a real role or descriptor wins over a relation; relative clauses describe nothing.

Own English article in the style of a solidarity report: the person is first named
after a chain of roles in organisations, later as "our colleague"; another person is
introduced with a relative clause; a third after a title with a surname that is also
a place word.
"""

from __future__ import annotations

import pytest

from casetrack.ingest.types import Extraction
from tests.ingest.extract.helpers import run

TEXT = (
    "Defenders demanded the release of the chair of the Human Rights Centre “Zvon” and vice-president of the "
    "European Federation for Civil Liberties Pavel Sadovsky.\n"
    "Diplomats asked about our colleague Pavel Sadovsky’s case.\n"
    "Marta Kolesnik, who had left the country, was sentenced to six years in absentia.\n"
    "His wife Olga Sadovsky said the verdict was expected.\n"
    "American academic and professor Daniel Brook Hill commented on the verdict.\n"
    "Zvon's deputy head Anna Berg was detained in March.\n"
    '"The verdict is unjust," said Lena Frost, Europe Researcher at Amnesty International.\n'
)


@pytest.fixture(scope="module")
def result() -> Extraction:
    return run(TEXT, "2024-05-06", "en")


def _person(result: Extraction, name: str):  # type: ignore[no-untyped-def]
    return next(p for p in result.persons if p.name == name)


def test_role_chain_before_the_name_is_the_description_not_a_relation(result: Extraction) -> None:
    sadovsky = _person(result, "Pavel Sadovsky")
    assert sadovsky.description == (
        "chair of the Human Rights Centre “Zvon” and vice-president of the European Federation for Civil Liberties"
    )
    assert {(m.organisation, m.role) for m in sadovsky.memberships} == {
        ('Human Rights Centre "Zvon"', "chair"),
        ("European Federation for Civil Liberties", "deputy head"),
    }


def test_relational_words_and_relative_clauses_are_no_description(result: Extraction) -> None:
    assert _person(result, "Marta Kolesnik").description is None
    assert _person(result, "Olga Sadovsky").description is None


def test_place_word_surname_after_a_title(result: Extraction) -> None:
    assert _person(result, "Daniel Brook Hill").description == "professor"


def test_organisation_possessive_role_is_a_membership(result: Extraction) -> None:
    berg = _person(result, "Anna Berg")
    assert berg.description == "deputy head of Zvon"
    assert [(m.organisation, m.role) for m in berg.memberships] == [
        ('Human Rights Centre "Zvon"', "deputy head")
    ]


def test_apposition_ending_the_sentence_with_a_title(result: Extraction) -> None:
    frost = _person(result, "Lena Frost")
    assert frost.description == "Europe Researcher at Amnesty International"
    assert [(m.organisation, m.role) for m in frost.memberships] == [("Amnesty International", "researcher")]
