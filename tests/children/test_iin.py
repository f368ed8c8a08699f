"""The IIN check digit, birth date and sex, with the vectors of shared/domain/kazakhstan.md."""

import datetime as dt

import pytest

from qorgau.children.iin import InvalidIIN, check_digit, make_iin, parse_iin


def test_a_wrong_check_digit_is_refused():
    with pytest.raises(InvalidIIN, match="check digit"):
        parse_iin("791028302727")


def test_an_iin_that_needs_the_second_weights_gets_its_check_digit_from_them():
    assert check_digit("08061551090") == 3


def test_a_base_whose_both_weight_sums_give_ten_has_no_check_digit():
    assert check_digit("08061551099") is None
    for last in "0123456789":
        with pytest.raises(InvalidIIN):
            parse_iin(f"08061551099{last}")


@pytest.mark.parametrize(
    "value", ["", "79102830272", "7910283027281", "79102830272x", " 791028302728"]
)
def test_anything_but_twelve_digits_is_refused(value):
    with pytest.raises(InvalidIIN, match="12 digits"):
        parse_iin(value)


@pytest.mark.parametrize("digit", "0789")
def test_a_century_digit_outside_one_to_six_is_refused(digit):
    with pytest.raises(InvalidIIN, match="7th digit"):
        parse_iin(f"791028{digit}02728")


def test_an_impossible_date_is_refused_even_with_a_correct_check_digit():
    base = "790230" + "3" + "0272"  # 30 February
    digit = check_digit(base)
    assert digit is not None
    with pytest.raises(InvalidIIN, match="not a valid date"):
        parse_iin(f"{base}{digit}")


@pytest.mark.parametrize(
    ("iin", "birth_date", "sex"),
    [
        ("791028302728", dt.date(1979, 10, 28), "M"),  # 3: 1900s, male
        ("061211600012", dt.date(2006, 12, 11), "F"),  # 6: 2000s, female
        ("080615510903", dt.date(2008, 6, 15), "M"),  # 5: 2000s, male
    ],
)
def test_the_published_valid_iins_are_accepted_with_their_birth_date_and_sex(iin, birth_date, sex):
    facts = parse_iin(iin)
    assert (facts.birth_date, facts.sex) == (birth_date, sex)


@pytest.mark.parametrize(
    ("birth_date", "sex", "century_digit"),
    [
        (dt.date(1899, 12, 31), "M", "1"),
        (dt.date(1899, 1, 1), "F", "2"),
        (dt.date(1979, 10, 28), "M", "3"),
        (dt.date(1985, 5, 5), "F", "4"),
        (dt.date(2008, 6, 15), "M", "5"),
        (dt.date(2016, 2, 29), "F", "6"),
    ],
)
def test_make_iin_round_trips_through_parse_iin(birth_date, sex, century_digit):
    iin = next(i for serial in range(1, 20) if (i := make_iin(birth_date, sex, serial)))
    assert iin[6] == century_digit
    assert iin[:6] == birth_date.strftime("%y%m%d")
    facts = parse_iin(iin)
    assert (facts.birth_date, facts.sex) == (birth_date, sex)


def test_make_iin_rebuilds_the_published_vectors():
    assert make_iin(dt.date(1979, 10, 28), "M", 272) == "791028302728"
    assert make_iin(dt.date(2006, 12, 11), "F", 1) == "061211600012"
    assert make_iin(dt.date(2008, 6, 15), "M", 1090) == "080615510903"


def test_make_iin_gives_none_for_a_serial_without_a_check_digit():
    assert make_iin(dt.date(2008, 6, 15), "M", 1099) is None
