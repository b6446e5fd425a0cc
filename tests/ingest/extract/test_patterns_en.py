"""Each English pattern of issue 4 pinned on a small article written for the project."""

import pytest

from casetrack.dates import PartialDate
from casetrack.ingest.extract import english_mentions
from casetrack.ingest.types import Extraction
from tests.ingest.extract.helpers import run

ARTICLE = (
    "Activists detained after protest in Osh\n\n"
    "Bishkek's mayor Nurlan Abdrakhmanov said the protest was illegal. "
    "Kyrgyz human rights activist Aizada Kasymova was detained by police on 3 March 2023. "
    "Gulnara Sydykova, the head of the human rights center “Citizens against Corruption”, told reporters "
    "that Kasymova is innocent. "
    "Amnesty International's Central Asia Researcher Jonathan Reed urged the authorities to release her. "
    "The International Federation for Human Rights (FIDH) condemned the arrest. "
    "Kasymova is accused of calls to mass unrest under Part 2, Art. 342 of the Criminal Code and faces up to "
    "8 years in prison. "
    "Her home was searched on 2 March. "
    "The Oktyabrsky District Court of Bishkek will hold a hearing on 10 March. "
    "In a separate case, journalist Temir Bakirov was convicted of extortion and sentenced to 5 years in a "
    "penal colony. "
    "Blogger Aziz Umarov was fined 100,000 soms. "
    "Activist Dilnoza Yusupova received a suspended sentence of two years with probation. "
    "Exiled journalist Bolot Temirov was sentenced in absentia to 7 years. "
    "The Embassy of Belarus in Kyrgyzstan did not comment.\n"
    "Photo: AFP\n"
    "AP Photo/Vladimir Voronin\n"
    "By Sarah Miller, AP"
)


@pytest.fixture(scope="module")
def result() -> Extraction:
    return run(ARTICLE, published="2023-03-05")


def _person(result: Extraction, name: str):  # type: ignore[no-untyped-def]
    return next(p for p in result.persons if p.name == name)


def _charge(result: Extraction, person: str):  # type: ignore[no-untyped-def]
    return next(c for case in result.cases for c in case.charges if c.person == person)


def test_descriptors_before_the_name(result: Extraction) -> None:
    assert _person(result, "Aizada Kasymova").description == "Kyrgyz human rights activist"
    assert _person(result, "Aizada Kasymova").country == "KG"
    assert _person(result, "Nurlan Abdrakhmanov").description == "mayor of Bishkek"
    assert _person(result, "Temir Bakirov").description == "journalist"
    assert _person(result, "Aziz Umarov").description == "blogger"


def test_memberships_from_apposition_and_possessive(result: Extraction) -> None:
    sydykova = _person(result, "Gulnara Sydykova")
    assert [(m.organisation, m.role) for m in sydykova.memberships] == [
        ("Citizens against Corruption", "head")
    ]
    reed = _person(result, "Jonathan Reed")
    assert [(m.organisation, m.role) for m in reed.memberships] == [
        ("Amnesty International", "Central Asia Researcher")
    ]


def test_quoted_name_abbreviation_court_and_embassy(result: Extraction) -> None:
    orgs = {o.name: o for o in result.organisations}
    assert orgs["Citizens against Corruption"].kind == "ngo"
    assert orgs["Citizens against Corruption"].country == "KG"
    assert orgs["International Federation for Human Rights"].aliases == ["FIDH"]
    assert orgs["Oktyabrsky District Court of Bishkek"].kind == "court"
    assert orgs["Oktyabrsky District Court of Bishkek"].country == "KG"
    embassy = orgs["Embassy of Belarus in Kyrgyzstan"]
    assert (embassy.kind, embassy.country) == ("government", "BY")


def test_credits_and_bylines_are_neither_organisations_nor_persons(result: Extraction) -> None:
    names = {o.name for o in result.organisations} | {a for o in result.organisations for a in o.aliases}
    assert not names & {"AFP", "AP", "Photo", "AP Photo"}
    assert not {p.name for p in result.persons} & {"Sarah Miller", "Vladimir Voronin"}


def test_charge_article_and_maximum_penalty(result: Extraction) -> None:
    charge = _charge(result, "Aizada Kasymova")
    assert charge.charge == "calls to mass unrest"
    assert charge.legal_article == "Art. 342 Part 2"
    assert charge.max_penalty == "up to 8 years in prison"
    case = next(c for c in result.cases if any(p.name == "Aizada Kasymova" for p in c.parties))
    assert case.status == "charged"


@pytest.mark.parametrize(
    ("person", "sentence"),
    [
        ("Temir Bakirov", "5 years in a penal colony"),
        ("Aziz Umarov", "100,000 soms"),
        ("Dilnoza Yusupova", "a suspended sentence of two years with probation"),
        ("Bolot Temirov", "7 years in absentia"),
    ],
)
def test_sentences_prison_fine_probation_in_absentia(result: Extraction, person: str, sentence: str) -> None:
    assert _charge(result, person).sentence == sentence
    case = next(c for c in result.cases if any(p.name == person for p in c.parties))
    assert case.status == "convicted"


def test_convicted_charge_stops_before_the_sentence(result: Extraction) -> None:
    assert _charge(result, "Temir Bakirov").charge == "extortion"


def test_events_kinds_dates_and_actors(result: Extraction) -> None:
    kinds = [(e.kind, e.date) for e in result.events]
    assert ("detention", PartialDate.parse("2023-03-03")) in kinds
    assert ("search", PartialDate.parse("2023-03-02", inferred=True)) in kinds
    assert ("hearing", PartialDate.parse("--03-10")) in kinds
    assert [e.kind for e in result.events].count("sentence") == 4
    statement = next(e for e in result.events if e.kind == "statement" and "Jonathan Reed" in e.actors)
    assert "Amnesty International" in statement.organisations
    condemned = next(e for e in result.events if "International Federation for Human Rights" in e.actors)
    assert condemned.kind == "statement"
    charge = next(e for e in result.events if e.kind == "charge")
    assert charge.persons == ["Aizada Kasymova"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Police arrested Maria Kolesnikova in Minsk on 7 September 2020.", "arrest"),
        ("Maria Kolesnikova was released on 12 December 2024.", "release"),
        ("The Supreme Court acquitted Maria Kolesnikova.", "acquittal"),
        ("President Lukashenko pardoned Maria Kolesnikova.", "pardon"),
        ("Lawyers of Maria Kolesnikova filed an appeal.", "appeal"),
        ("Kazakhstan extradited Maria Kolesnikova to Belarus.", "extradition"),
        ("Maria Kolesnikova was awarded the Sakharov Prize.", "award"),
        ("Supporters of Maria Kolesnikova held a picket outside the court.", "protest"),
    ],
)
def test_event_kinds(text: str, kind: str) -> None:
    assert [e.kind for e in run(text).events] == [kind]


def test_common_words_and_fragments_are_not_names() -> None:
    result = run(
        "Read More\nShare This Story\nThe Central Asia Researcher said so. Independence Day of Belarus went well. "
        "Climate Change Act passed. The shuttle landed at the Kennedy Space Center."
    )
    assert result.persons == []
    assert [o.name for o in result.organisations] == []


def test_a_name_needs_a_cue_but_any_general_cue_will_do() -> None:
    text = (
        "Velvet Underground played. Nunzio Galantino, has called the ruling unjust. "
        "Photographers Nat Finkelstein, Christopher Makos and Felice Quinto came. Co-founder of Google, "
        "Sergey Brin, met him. Wong Kwok-kin voted."
    )
    assert {p.name for p in run(text).persons} == {
        "Nunzio Galantino",
        "Nat Finkelstein",
        "Christopher Makos",
        "Felice Quinto",
        "Sergey Brin",
        "Wong Kwok-kin",
    }


def test_mention_spans_include_the_honorific() -> None:
    text = "Professor Eastman said so. Professor Eastman was right."
    spans = english_mentions(text)["person"]
    assert [text[s:e] for s, e in spans] == ["Professor Eastman", "Professor Eastman"]
