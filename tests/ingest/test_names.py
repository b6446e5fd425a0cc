import pytest

from casetrack.ingest.names import (
    AUTO_MERGE,
    REVIEW,
    NameProfile,
    match_score,
    name_key,
    nominative,
    phonetic_key,
)


def test_name_key_is_ascii_lowercase() -> None:
    assert name_key("Aleś Bialacki") == "ales bialacki"


BIALIATSKI = ["Алесь Беляцкий", "Алесь Бяляцкі", "Ales Bialiatski", "Aleś Bialacki", "Ales Bialiatki"]


@pytest.mark.parametrize("first", BIALIATSKI[:4])
@pytest.mark.parametrize("second", BIALIATSKI[:4])
def test_bialiatski_transliterations_auto_merge_pairwise(first: str, second: str) -> None:
    assert match_score(NameProfile([first]), NameProfile([second])).score >= AUTO_MERGE


@pytest.mark.parametrize("spelling", BIALIATSKI)
def test_every_bialiatski_spelling_joins_a_record_holding_the_others(spelling: str) -> None:
    record = NameProfile([name for name in BIALIATSKI if name != spelling])
    assert match_score(NameProfile([spelling]), record).score >= AUTO_MERGE


def test_dropped_letter_typo_auto_merges_with_the_full_spelling() -> None:
    score = match_score(NameProfile(["Ales Bialiatki"]), NameProfile(["Ales Bialiatski"]))
    assert score.score >= AUTO_MERGE and "one letter apart" in score.evidence[0]


@pytest.mark.parametrize(
    ("inflected", "expected"),
    [
        ("Беляцкому", "Беляцкий"),
        ("Беляцкого", "Беляцкий"),
        ("Алеся Беляцкого", "Алесь Беляцкий"),
        ("Петровой", "Петрова"),
        ("Ростислава Смоленского", "Ростислав Смоленский"),
        ("Сергея Фургала", "Сергей Фургал"),
        ("Ирину Славникову", "Ирина Славникова"),
    ],
)
def test_russian_inflected_names_resolve_to_the_nominative(inflected: str, expected: str) -> None:
    assert nominative(inflected) == expected


@pytest.mark.parametrize("inflected", ["Алеся Беляцкого", "Алесю Беляцкому"])
def test_inflected_russian_form_merges_with_latin_spelling(inflected: str) -> None:
    assert match_score(NameProfile([inflected]), NameProfile(["Ales Bialiatski"])).score >= AUTO_MERGE


def test_one_letter_rule_keeps_gender_endings_apart() -> None:
    assert (
        match_score(NameProfile(["Maria Kolesnikova"]), NameProfile(["Maria Kolesnikov"])).score < AUTO_MERGE
    )
    assert match_score(NameProfile(["Ales Bialiatki"]), NameProfile(["Ihar Bialiatski"])).score < REVIEW


def test_viasna_spellings_share_a_key() -> None:
    assert len({phonetic_key(n) for n in ["Весна", "Вясна", "Viasna", "Vyasna"]}) == 1


@pytest.mark.parametrize("spelling", ["Весна", "Вясна", "Vyasna"])
def test_viasna_spellings_auto_merge(spelling: str) -> None:
    assert match_score(NameProfile(["Viasna"]), NameProfile([spelling])).score >= AUTO_MERGE


def test_initials_are_candidates_and_context_raises_them() -> None:
    bare = match_score(NameProfile(["R. Karasartova"]), NameProfile(["Rita Karasartova"]))
    assert REVIEW <= bare.score < AUTO_MERGE
    context = match_score(
        NameProfile(["R. Karasartova"], country="KG", cases=["Kempir-Abad case"]),
        NameProfile(["Rita Karasartova"], country="KG", cases=["Kempir-Abad case"]),
    )
    assert context.score >= AUTO_MERGE and "shared case" in context.evidence


def test_different_people_are_not_merged() -> None:
    assert match_score(NameProfile(["Ivan Petrov"]), NameProfile(["Pavel Petrov"])).score < REVIEW
    assert match_score(NameProfile(["Ivan Petrov"]), NameProfile(["Petr Petrov"])).score < REVIEW
    assert match_score(NameProfile(["Petrov"]), NameProfile(["Petrova"])).score < AUTO_MERGE
    assert match_score(NameProfile(["Петров"]), NameProfile(["Петровой"])).score < AUTO_MERGE
    assert match_score(NameProfile(["Ivan Petrov"]), NameProfile(["Ivan Petrova"])).score < AUTO_MERGE
    other_country = match_score(
        NameProfile(["Ales Bialiatski"], country="BY"), NameProfile(["Ales Bialiatski"], country="KG")
    )
    assert other_country.score < AUTO_MERGE


def test_organisation_with_aliases_matches_across_scripts() -> None:
    viasna = NameProfile(['Human Rights Center "Viasna"', "Viasna"])
    assert match_score(viasna, NameProfile(["Весна"])).score >= AUTO_MERGE
    assert match_score(viasna, NameProfile(["Вясна"])).score >= AUTO_MERGE
