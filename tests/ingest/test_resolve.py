"""Resolution verdicts: same record, review candidate or new, with the guards against silent merges."""

from __future__ import annotations

from casetrack.ingest.names import AUTO_MERGE, REVIEW, NameProfile
from casetrack.ingest.resolve import (
    NEW,
    REVIEW_VERDICT,
    SAME,
    Candidate,
    decide,
    initials_differ,
    organisation_profile,
    plausible,
    quoted_names,
    script_of,
    word_stem,
)


def _person(*names: str, country: str | None = None, orgs: tuple[str, ...] = ()) -> NameProfile:
    return NameProfile(list(names), country, list(orgs))


def test_cross_script_spelling_is_the_same_person() -> None:
    decision = decide(_person("Алесь Беляцкий"), [Candidate(7, _person("Ales Bialiatski"))])
    assert decision.verdict == SAME
    assert decision.record_id == 7
    assert decision.score >= AUTO_MERGE
    assert any("Алесь Беляцкий" in line for line in decision.evidence)


def test_initials_alone_are_a_review_candidate_not_a_merge() -> None:
    decision = decide(_person("R. Karasartova"), [Candidate(1, _person("Rita Karasartova", country="KG"))])
    assert decision.verdict == REVIEW_VERDICT
    assert decision.record_id is None
    assert [r.record_id for r in decision.reviews] == [1]
    assert REVIEW <= decision.reviews[0].score < AUTO_MERGE
    assert "initials agree" in decision.reviews[0].evidence[0]


def test_initials_with_shared_country_and_organisation_match() -> None:
    mention = _person("R. Karasartova", country="KG", orgs=("Kempir-Abad committee",))
    record = _person("Rita Karasartova", country="KG", orgs=("Kempir-Abad committee",))
    decision = decide(mention, [Candidate(1, record)])
    assert decision.verdict == SAME
    assert "shared organisation" in decision.evidence


def test_same_surname_different_first_names_stay_apart() -> None:
    decision = decide(_person("Igor Petrov"), [Candidate(1, _person("Ivan Petrov"))])
    assert decision.verdict == NEW
    assert decision.reviews == ()


def test_different_initials_are_never_the_same_even_with_context() -> None:
    mention = _person("A. Smith", country="GB", orgs=("Amnesty International",))
    record = _person("B. Smith", country="GB", orgs=("Amnesty International",))
    assert decide(mention, [Candidate(1, record)]).verdict != SAME


def test_similar_first_names_are_at_most_a_review() -> None:
    decision = decide(_person("Maria Petrova"), [Candidate(1, _person("Marina Petrova"))])
    assert decision.verdict == REVIEW_VERDICT


def test_contradicting_countries_block_an_exact_name() -> None:
    decision = decide(
        _person("Ales Bialiatski", country="KG"), [Candidate(1, _person("Ales Bialiatski", country="BY"))]
    )
    assert decision.verdict != SAME
    assert any("different countries" in line for r in decision.reviews for line in r.evidence)


def test_best_candidate_wins_and_ties_go_to_the_oldest_record() -> None:
    candidates = [
        Candidate(9, _person("Ales Bialiatski")),
        Candidate(4, _person("Ales Bialiatski")),
        Candidate(2, _person("Ales Bialatsky Junior")),
    ]
    decision = decide(_person("Ales Bialiatski"), candidates)
    assert (decision.verdict, decision.record_id) == (SAME, 4)


def test_no_candidates_is_new() -> None:
    assert decide(_person("Talekan Ismailova"), []).verdict == NEW


def test_quoted_organisation_names_match_across_scripts() -> None:
    assert quoted_names("Правозащитный центр «Весна»") == ["Весна"]
    assert quoted_names("Правозащитный центр «Весна") == ["Весна"]
    assert quoted_names('Human Rights Center "Viasna"') == ["Viasna"]
    mention = organisation_profile(["Правозащитный центр «Весна»"])
    record = organisation_profile(['Human Rights Center "Viasna"'], "BY")
    decision = decide(mention, [Candidate(3, record)], person=False)
    assert (decision.verdict, decision.record_id) == (SAME, 3)


def test_inflected_one_word_organisation_name_matches() -> None:
    assert word_stem("Вясне") == word_stem("Viasna") == word_stem("Весна")
    decision = decide(
        organisation_profile(["Вясне"]), [Candidate(3, organisation_profile(["Viasna"]))], person=False
    )
    assert decision.verdict == SAME


def test_unrelated_organisations_stay_apart() -> None:
    decision = decide(
        organisation_profile(["Citizens against Corruption"]),
        [Candidate(1, organisation_profile(["Amnesty International"]))],
        person=False,
    )
    assert decision.verdict == NEW


def test_script_of_names() -> None:
    assert script_of("Алесь Беляцкий") == "Cyrl"
    assert script_of("Aleś Bialacki") == "Latn"
    assert script_of("1234") is None


def test_short_names_still_match_on_their_key() -> None:
    decision = decide(
        organisation_profile(["UN"]), [Candidate(5, organisation_profile(["UN"]))], person=False
    )
    assert (decision.verdict, decision.record_id) == (SAME, 5)


def test_candidates_sharing_no_word_are_not_scored() -> None:
    mention = _person("Talekan Ismailova")
    assert not plausible(mention, _person("Rita Karasartova"), person=True)
    assert plausible(mention, _person("Т. Исмаилова"), person=True)


def test_belarusian_and_russian_spellings_are_the_same_person() -> None:
    decision = decide(_person("Uladzimir Khamichenka"), [Candidate(2, _person("Владимир Хомиченко"))])
    assert (decision.verdict, decision.record_id) == (SAME, 2)
    decision = decide(_person("Yauhen Kurhanau"), [Candidate(3, _person("Jauhen Kurhanau"))])
    assert (decision.verdict, decision.record_id) == (SAME, 3)


def test_cross_script_spellings_are_plausible_candidates() -> None:
    assert plausible(_person("Dzmitry Salauyou"), _person("Дмитрий Соловьёв"), person=True)
    assert plausible(_person("Uladzimir Khamichenka"), _person("Владимир Хомиченко"), person=True)


def test_father_and_son_with_one_surname_stay_apart() -> None:
    decision = decide(_person("Kim Samusenka"), [Candidate(1, _person("Aliaksei Samusenka"))])
    assert decision.verdict == NEW
    assert decision.reviews == ()


def test_initials_guard_reads_the_other_script() -> None:
    assert not initials_differ(_person("V. Khamichenka"), _person("Uladzimir Khamichenka"))
    assert initials_differ(_person("K. Samusenka"), _person("Aliaksei Samusenka"))


SOLOVYOV_RECORDS = [Candidate(5, _person("Dmitry Solovyov")), Candidate(9, _person("Dzmitry Salauyou"))]


def test_without_a_judgement_the_best_spelling_wins() -> None:
    decision = decide(_person("Dmitri Soloviev"), SOLOVYOV_RECORDS)
    assert (decision.verdict, decision.record_id) == (SAME, 5)


def test_two_records_a_curator_holds_apart_make_a_close_mention_a_review() -> None:
    decision = decide(_person("Dmitri Soloviev"), SOLOVYOV_RECORDS, rejected={(9, 5)})
    assert decision.verdict == REVIEW_VERDICT
    assert sorted(r.record_id for r in decision.reviews) == [5, 9]


def test_an_exact_spelling_still_matches_its_record_despite_a_rejected_rival() -> None:
    decision = decide(_person("Dzmitry Salauyou"), SOLOVYOV_RECORDS, rejected={(5, 9)})
    assert (decision.verdict, decision.record_id) == (SAME, 9)


def test_a_rejected_pair_is_never_merged_nor_proposed_again() -> None:
    decision = decide(_person("Dzmitry Salauyou"), [SOLOVYOV_RECORDS[0]], rejected={(5, 9)}, mention_id=9)
    assert decision.verdict == NEW
    assert decision.reviews == ()
    unrelated = decide(_person("Dzmitry Salauyou"), [SOLOVYOV_RECORDS[0]], rejected={(5, 7)}, mention_id=9)
    assert (unrelated.verdict, unrelated.record_id) == (SAME, 5)
