from tests.ingest.extract.helpers import run

TEXT = (
    "12 мая 2024 года Ленинский районный суд Минска приговорил правозащитника Алеся Беляцкого к 10 годам колонии. "
    "Правозащитный центр «Весна» заявил, что дело политически мотивировано."
)


def test_russian_person_in_nominative_with_inflected_alias() -> None:
    result = run(TEXT, language="ru")
    person = next(p for p in result.persons if p.name == "Алесь Беляцкий")
    assert "Алеся Беляцкого" in person.aliases


def test_russian_organisations_and_kinds() -> None:
    result = run(TEXT, language="ru")
    kinds = {o.name: o.kind for o in result.organisations}
    assert kinds.get("Весна") == "ngo"
    assert any(kind == "court" for kind in kinds.values())


def test_russian_sentence_event_and_case() -> None:
    result = run(TEXT, language="ru")
    event = next(e for e in result.events if e.kind == "sentence")
    assert event.date.value == "2024-05-12"
    case = next(c for c in result.cases if any(p.name == "Алесь Беляцкий" for p in c.parties))
    assert case.status == "convicted"
    assert case.charges[0].sentence == "к 10 годам колонии"
