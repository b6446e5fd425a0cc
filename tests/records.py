"""Builds a small, realistic record directly from model rows (until ingest lands).

Two persons with aliases (Latin and Cyrillic, one with diacritics), a human-rights
NGO, a court, a case with parties and charges, events at every date precision
(day, month, year, "--07-04" without a year, inferred, undated), two sources and
citations for every fact, plus a merged duplicate that must stay hidden.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from casetrack.dates import PartialDate
from casetrack.ingest.names import name_key
from casetrack.models import (
    Case,
    CaseParty,
    Charge,
    Citation,
    Event,
    EventParticipant,
    Membership,
    Organisation,
    OrganisationAlias,
    Person,
    PersonAlias,
    Source,
)
from casetrack.store import search_index

ARTICLE_24KG = (
    "Rita Karasartova faces up to 15 years in prison under Article 326 of the Criminal Code. "
    "Amnesty International collected 50,000 signatures for her release. "
    "On 4 July, activists protested in Bishkek."
)
ARTICLE_VIASNA = (
    "Алесь Беляцкий, head of Viasna, was sentenced in March 2023 to ten years. Café owners signed."
)


@dataclass
class Record:
    rita: int
    ales: int
    amnesty: int
    court: int
    case: int
    source_24kg: int
    source_viasna: int
    merged: int
    events: dict[str, int]


def _source(url: str, title: str, publisher: str, text: str, published: str, language: str) -> Source:
    raw = text.encode()
    return Source(
        input=url,
        url=url,
        title=title,
        publisher=publisher,
        language=language,
        published=published,
        published_precision="day",
        retrieved="2026-11-20",
        retrieved_precision="day",
        sha256=hashlib.sha256(raw).hexdigest(),
        raw=raw,
        text=text,
        size=len(raw),
    )


def _cite(
    session, source: Source, record_type: str, record_id: int, quote: str, field: str | None = None
) -> None:
    start = source.text.find(quote)
    session.add(
        Citation(
            source_id=source.id,
            record_type=record_type,
            record_id=record_id,
            field=field,
            quote=quote,
            start=start if start >= 0 else None,
            end=start + len(quote) if start >= 0 else None,
        )
    )


def _event(
    kind: str,
    date: str | None,
    summary: str,
    *,
    inferred: bool = False,
    case_id: int | None = None,
    location: str | None = None,
) -> Event:
    partial = PartialDate.parse(date, inferred=inferred)
    bounds = partial.bounds()
    return Event(
        kind=kind,
        date=partial.value,
        date_precision=partial.precision.value,
        date_inferred=inferred,
        date_min=bounds[0] if bounds else None,
        date_max=bounds[1] if bounds else None,
        summary=summary,
        case_id=case_id,
        location=location,
    )


def build_record(database, *, notes: str = "PRIVATE: lawyer's phone +996 555 000") -> Record:
    with database.session(write=True) as session:
        kg = _source(
            "https://24.kg/english/293644/",
            "Kempir-Abad case: petition",
            "24.kg",
            ARTICLE_24KG,
            "2024-05-10",
            "en",
        )
        by = _source(
            "https://spring96.org/en/news/1",
            "Viasna head sentenced",
            "Viasna",
            ARTICLE_VIASNA,
            "2023-03-03",
            "ru",
        )
        session.add_all([kg, by])
        session.flush()
        rita = Person(
            name="Rita Karasartova",
            name_key=name_key("Rita Karasartova"),
            country="KG",
            description="Civic activist and lawyer",
            notes=notes,
        )
        ales = Person(
            name="Ales Bialiatski",
            name_key=name_key("Ales Bialiatski"),
            country="BY",
            description="Founder of Viasna; Nobel laureate",
        )
        session.add_all([rita, ales])
        session.flush()
        merged = Person(
            name="R. Karasartova", name_key=name_key("R. Karasartova"), country="KG", merged_into_id=rita.id
        )
        session.add(merged)
        session.add_all(
            [
                PersonAlias(
                    person_id=rita.id,
                    name="Рита Карасартова",
                    key=name_key("Рита Карасартова"),
                    script="Cyrl",
                ),
                PersonAlias(
                    person_id=ales.id, name="Алесь Беляцкий", key=name_key("Алесь Беляцкий"), script="Cyrl"
                ),
                PersonAlias(
                    person_id=ales.id, name="Aleś Bialacki", key=name_key("Aleś Bialacki"), script="Latn"
                ),
            ]
        )
        amnesty = Organisation(
            name="Amnesty International", name_key=name_key("Amnesty International"), kind="ngo"
        )
        court = Organisation(
            name="Pervomaisky District Court",
            name_key=name_key("Pervomaisky District Court"),
            kind="court",
            country="KG",
        )
        viasna = Organisation(name="Viasna", name_key=name_key("Viasna"), kind="ngo", country="BY")
        session.add_all([amnesty, court, viasna])
        session.flush()
        session.add(OrganisationAlias(organisation_id=viasna.id, name="Вясна", key=name_key("Вясна")))
        membership = Membership(
            person_id=ales.id, organisation_id=viasna.id, role="head", start="1996", start_precision="year"
        )
        case = Case(
            name="Kempir-Abad case",
            name_key=name_key("Kempir-Abad case"),
            country="KG",
            status="on_trial",
            summary="Prosecution of opponents of the Kempir-Abad border deal",
            notes=notes,
        )
        by_case = Case(name="Viasna case", name_key=name_key("Viasna case"), country="BY", status="convicted")
        session.add_all([membership, case, by_case])
        session.flush()
        party = CaseParty(case_id=case.id, person_id=rita.id, role="defendant")
        judge = CaseParty(case_id=case.id, organisation_id=court.id, role="judge")
        by_party = CaseParty(case_id=by_case.id, person_id=ales.id, role="defendant")
        charge = Charge(
            case_id=case.id,
            person_id=rita.id,
            description="calls for mass riots",
            article="Art. 326",
            article_raw="Article 326 of the Criminal Code",
            code="KG Criminal Code",
            max_penalty="15 years in prison",
            date="2022-10",
            date_precision="month",
        )
        by_charge = Charge(
            case_id=by_case.id,
            person_id=ales.id,
            description="smuggling",
            article="Art. 228",
            sentence="10 years",
        )
        session.add_all([party, judge, by_party, charge, by_charge])
        session.flush()
        events = {
            "arrest": _event(
                "arrest", "2022-10-23", "Rita Karasartova was detained", case_id=case.id, location="Bishkek"
            ),
            "petition": _event(
                "petition",
                "2024-05",
                "Amnesty International petition with 50,000 signatures",
                case_id=case.id,
            ),
            "trial": _event("trial", "2024", "Trial opened", case_id=case.id, inferred=True),
            "protest": _event("protest", "--07-04", "Activists protested in Bishkek", location="Bishkek"),
            "undated": _event("statement", None, "Viasna issued a statement"),
            "sentence": _event(
                "sentence", "2023-03-03", "Ales Bialiatski sentenced to ten years", case_id=by_case.id
            ),
        }
        session.add_all(events.values())
        session.flush()
        session.add_all(
            [
                EventParticipant(event_id=events["arrest"].id, person_id=rita.id, role="subject"),
                EventParticipant(event_id=events["petition"].id, person_id=rita.id, role="subject"),
                EventParticipant(event_id=events["petition"].id, organisation_id=amnesty.id, role="actor"),
                EventParticipant(event_id=events["trial"].id, person_id=rita.id, role="subject"),
                EventParticipant(event_id=events["protest"].id, person_id=ales.id, role="subject"),
                EventParticipant(event_id=events["undated"].id, organisation_id=viasna.id, role="actor"),
                EventParticipant(event_id=events["sentence"].id, person_id=ales.id, role="subject"),
            ]
        )
        s1 = ARTICLE_24KG.split(". ")[0] + "."
        s2 = "Amnesty International collected 50,000 signatures for her release."
        s3 = "On 4 July, activists protested in Bishkek."
        _cite(session, kg, "person", rita.id, s1)
        _cite(session, kg, "case", case.id, s1)
        _cite(session, kg, "case_party", party.id, s1)
        _cite(session, kg, "charge", charge.id, s1)
        _cite(session, kg, "event", events["petition"].id, s2)
        _cite(session, kg, "organisation", amnesty.id, s2)
        _cite(session, kg, "event", events["protest"].id, s3)
        _cite(session, kg, "event", events["arrest"].id, s1, field="date")
        _cite(session, by, "person", ales.id, ARTICLE_VIASNA.split(". ")[0])
        _cite(session, by, "membership", membership.id, ARTICLE_VIASNA.split(". ")[0])
        _cite(session, by, "event", events["sentence"].id, ARTICLE_VIASNA.split(". ")[0])
        _cite(session, by, "charge", by_charge.id, ARTICLE_VIASNA.split(". ")[0])
        session.flush()
        refs = [
            ("source", kg.id),
            ("source", by.id),
            ("person", rita.id),
            ("person", ales.id),
            ("organisation", amnesty.id),
            ("organisation", court.id),
            ("organisation", viasna.id),
            ("case", case.id),
            ("case", by_case.id),
            *(("event", e.id) for e in events.values()),
        ]
        search_index.refresh_many(session, refs)
        return Record(
            rita.id,
            ales.id,
            amnesty.id,
            court.id,
            case.id,
            kg.id,
            by.id,
            merged.id,
            {k: e.id for k, e in events.items()},
        )


def indexed_person(database, name: str) -> int:
    """A person record with its search document, as ingest or curation would leave it."""
    with database.session(write=True) as s:
        person = Person(name=name, name_key=name_key(name))
        s.add(person)
        s.flush()
        assert person.id is not None
        search_index.refresh(s, "person", person.id)
        return person.id
