import pytest

from casetrack.ingest.names import AUTO_MERGE, REVIEW, NameProfile, match_score, name_key, phonetic_key


def test_name_key_is_ascii_lowercase() -> None:
    assert name_key("Aleś Bialacki") == "ales bialacki"


@pytest.mark.parametrize("spelling", ["Алесь Беляцкий", "Алесь Бяляцкі", "Aleś Bialacki", "Ales Bialiatski"])
def test_bialiatski_spellings_auto_merge(spelling: str) -> None:
    assert match_score(NameProfile([spelling]), NameProfile(["Ales Bialiatski"])).score >= AUTO_MERGE


def test_typo_spelling_is_a_review_candidate() -> None:
    score = match_score(NameProfile(["Ales Bialiatki"]), NameProfile(["Ales Bialiatski"])).score
    assert REVIEW <= score < AUTO_MERGE


def test_viasna_spellings_share_a_key() -> None:
    assert len({phonetic_key(n) for n in ["Весна", "Вясна", "Viasna", "Vyasna"]}) == 1


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
    assert match_score(NameProfile(["Ivan Petrov"]), NameProfile(["Ivan Petrova"])).score < AUTO_MERGE
    other_country = match_score(
        NameProfile(["Ales Bialiatski"], country="BY"), NameProfile(["Ales Bialiatski"], country="KG")
    )
    assert other_country.score < AUTO_MERGE


def test_organisation_with_aliases_matches_across_scripts() -> None:
    viasna = NameProfile(['Human Rights Center "Viasna"', "Viasna"])
    assert match_score(viasna, NameProfile(["Весна"])).score >= AUTO_MERGE
    assert match_score(viasna, NameProfile(["Вясна"])).score >= AUTO_MERGE
