"""How alike two children are: the reasons a candidate is shown at intake."""

import datetime as dt

from qorgau.linkage.scoring import LIKELY, POSSIBLE, Entered, Registered, score

BORN = dt.date(2014, 12, 4)


def registered(**fields) -> Registered:
    values = {
        "last_name": "Михайлова",
        "first_name": "Мария",
        "middle_name": "Юрьевна",
        "other_spelling": "",
        "birth_date": BORN,
        "iin": "",
        "kato": "551010000",
        **fields,
    }
    return Registered(**values)


def entered(**fields) -> Entered:
    values = {
        "last_name": "Михайлова",
        "first_name": "Мария",
        "middle_name": "Юрьевна",
        "birth_date": BORN,
        "kato": "551010000",
        **fields,
    }
    return Entered(**values)


def test_the_same_child_typed_again_is_a_likely_match_with_its_reasons():
    result = score(entered(), registered())
    assert result.points >= LIKELY
    assert result.reasons == ["name_same", "birth_same", "place_same"]


def test_latin_spelling_and_swapped_names_still_meet():
    result = score(entered(last_name="Mariya", first_name="Mikhailova"), registered())
    assert "name_same" in result.reasons or "name_similar" in result.reasons
    assert result.points >= LIKELY


def test_kazakh_letters_fold_to_their_russian_neighbours():
    child = registered(last_name="Нұрланова", first_name="Әйгерім", middle_name="")
    result = score(entered(last_name="Нурланова", first_name="Айгерим", middle_name=""), child)
    assert "name_same" in result.reasons


def test_day_and_month_swapped_counts_less_than_the_same_date():
    child = registered(birth_date=dt.date(2014, 4, 12))
    result = score(entered(), child)
    assert "birth_swapped" in result.reasons


def test_the_same_iin_is_certain_and_two_different_iins_are_two_children():
    assert score(entered(iin="141204600012"), registered(iin="141204600012")).reasons == ["iin"]
    different = score(entered(iin="141204600012"), registered(iin="141204600024"))
    assert different.different_iin and different.points == 0


def test_a_twin_with_another_first_name_is_never_a_likely_match():
    twin = registered(first_name="Анна", caregivers=("Михайлова Елена Петровна",))
    result = score(entered(caregiver_name="Михайлова Елена Петровна"), twin)
    assert "sibling" in result.reasons
    assert result.points <= POSSIBLE < LIKELY


def test_a_shared_caregiver_is_a_reason():
    child = registered(caregivers=("Михайлова Елена",), kato="711010000")
    result = score(entered(caregiver_name="Mikhailova Elena"), child)
    assert "caregiver" in result.reasons
