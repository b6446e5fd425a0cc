from casetrack.dates import PartialDate
from casetrack.ingest.extract.legal_articles import find_articles
from casetrack.ingest.extract.relative_dates import find_date
from casetrack.ingest.extract.sentences import split_sentences
from tests.ingest.extract.helpers import run

ARTICLE = (
    "Minsk court sentences blogger\n\n"
    "Belarusian journalist Ihar Losik was sentenced to 15 years in a penal colony on 14 December 2021. "
    "He was convicted of organising mass riots under Part 2, Art. 342 of the Criminal Code.\n"
    "Natalia Hersche, a member of the Belarusian Association of Journalists (BAJ), said the verdict was unjust. "
    "«The authorities must free him,» Tatsiana Kurpitka, the head of the human rights group “Free Voice”, said.\n"
    "Photo: AFP"
)


def test_persons_with_descriptions_and_memberships() -> None:
    result = run(ARTICLE)
    people = {p.name: p for p in result.persons}
    assert set(people) == {"Ihar Losik", "Natalia Hersche", "Tatsiana Kurpitka"}
    assert people["Ihar Losik"].description == "Belarusian journalist"
    assert people["Ihar Losik"].country == "BY"
    assert [(m.organisation, m.role) for m in people["Tatsiana Kurpitka"].memberships] == [
        ("Free Voice", "head")
    ]
    assert [m.organisation for m in people["Natalia Hersche"].memberships] == [
        "Belarusian Association of Journalists"
    ]


def test_organisations_bracketed_abbreviation_quoted_and_no_credits() -> None:
    result = run(ARTICLE)
    orgs = {o.name: o for o in result.organisations}
    assert orgs["Belarusian Association of Journalists"].aliases == ["BAJ"]
    assert "Free Voice" in orgs
    assert not any(name in {"AFP", "Photo"} for name in orgs)


def test_charges_sentence_and_article() -> None:
    result = run(ARTICLE)
    charges = [c for case in result.cases for c in case.charges]
    assert any(c.sentence == "15 years in a penal colony" and c.person == "Ihar Losik" for c in charges)
    convicted = next(c for c in charges if c.charge)
    assert convicted.charge.startswith("organising mass riots")
    assert convicted.legal_article == "Art. 342 Part 2"
    case = next(c for c in result.cases if any(p.name == "Ihar Losik" for p in c.parties))
    assert case.status == "convicted"


def test_sentence_event_dated_and_statement_by_speaker() -> None:
    result = run(ARTICLE)
    sentence = next(e for e in result.events if e.kind == "sentence")
    assert sentence.date == PartialDate.parse("2021-12-14")
    statement = next(e for e in result.events if e.kind == "statement" and "Tatsiana Kurpitka" in e.actors)
    assert statement.quote is not None and "free him" in statement.quote.text


def test_named_case_with_charge_and_max_penalty() -> None:
    text = (
        "Activist Aibek Tashiev was charged with «calls to mass unrest» in the so-called Osh Market case. "
        "For this he faces up to 8 years in prison."
    )
    result = run(text)
    case = next(c for c in result.cases if c.name == "Osh Market case")
    assert case.status == "charged"
    assert [(p.name, p.role) for p in case.parties] == [("Aibek Tashiev", "defendant")]
    assert case.charges[0].charge == "calls to mass unrest"
    assert case.charges[0].max_penalty == "up to 8 years in prison"


def test_petition_figures_and_location() -> None:
    result = run(
        "Volunteers of Human Rights Watch delivered more than 12,500 signatures to the Embassy of Uzbekistan in the UK."
    )
    event = next(e for e in result.events if e.kind == "petition")
    assert event.figures == {"signatures": 12500}
    assert event.location == "United Kingdom"
    orgs = {o.name: o for o in result.organisations}
    assert orgs["Embassy of Uzbekistan in the United Kingdom"].kind == "government"
    assert orgs["Embassy of Uzbekistan in the United Kingdom"].country == "UZ"


def test_legal_article_forms_normalise() -> None:
    forms = ["Article 278", "Art. 228.4", "Part 2, Art. 342", "ч. 4 ст. 228 УК", "части 2 статьи 342 УК РФ"]
    assert [find_articles(f)[0][0] for f in forms] == [
        "Art. 278",
        "Art. 228.4",
        "Art. 342 Part 2",
        "Art. 228 Part 4",
        "Art. 342 Part 2",
    ]


def test_dates_keep_precision_unless_resolution_is_sound() -> None:
    unknown = PartialDate.unknown()
    assert find_date("On 4 July they protested", unknown) == PartialDate.parse("--07-04")
    published = PartialDate.parse("2024-05-10")
    assert find_date("On 4 May they protested", published) == PartialDate.parse("2024-05-04", inferred=True)
    assert find_date("On 4 July they protested", published) == PartialDate.parse("--07-04")
    assert find_date("He was detained on Friday", published) == PartialDate.parse("2024-05-10", inferred=True)
    assert find_date("It happened last year", published) == PartialDate.parse("2023", inferred=True)


def test_sentences_keep_offsets_and_skip_abbreviations() -> None:
    text = "He is accused under Art. 342. She said so.\nNext line!"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == ["He is accused under Art. 342.", "She said so.", "Next line!"]
    assert all(text[s.start : s.end] == s.text for s in sentences)


def test_common_words_and_furniture_are_not_persons() -> None:
    result = run("Write your comment\nSupport the website\nRead More\nIndependence Day of Belarus went well.")
    assert result.persons == []


def test_honorific_with_surname_is_a_person_and_us_senator_is_not() -> None:
    result = run("Professor Eastman said the results were clear. The U.S. Senator disagreed.")
    assert [p.name for p in result.persons] == ["Eastman"]


def test_person_of_party_is_a_person_and_the_party_an_organisation() -> None:
    result = run("Opposition leader Claudia Wong of the Civic Party was detained.")
    assert [p.name for p in result.persons] == ["Claudia Wong"]
    assert [(o.name, o.kind) for o in result.organisations] == [("Civic Party", "party")]


def test_initial_and_surname_is_a_person() -> None:
    result = run("Lawyer R. Karasartova was detained in Bishkek on 3 March 2023.")
    assert [p.name for p in result.persons] == ["R. Karasartova"]
    event = next(e for e in result.events if e.kind == "detention")
    assert event.location == "Bishkek" and event.date.value == "2023-03-03"


def test_name_seen_only_after_in_or_at_is_a_place() -> None:
    result = run(
        "The launch took place at Cape Canaveral. Letters of support were sent to Maria Kolesnikova."
    )
    assert [p.name for p in result.persons] == ["Maria Kolesnikova"]
