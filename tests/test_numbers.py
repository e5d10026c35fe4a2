from hypothesis import given, strategies as st

from sitroom.components.numbers import parse_number, qualifier, vague_range

WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
         "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"]
TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def spell(n: int) -> str:
    if n < 20:
        return WORDS[n]
    tens, units = divmod(n, 10)
    return TENS[tens] + ("-" + WORDS[units] if units else "")


@given(st.integers(0, 99))
def test_spelled_numbers(n):
    assert parse_number([spell(n)]) == n


@given(st.integers(0, 10**7))
def test_digits_with_and_without_commas(n):
    assert parse_number([str(n)]) == n
    assert parse_number([f"{n:,}"]) == n


def test_scales_and_decimals():
    assert parse_number(["2.3", "million"]) == 2_300_000
    assert parse_number(["two", "hundred"]) == 200
    assert parse_number(["1,200"]) == 1200
    assert parse_number(["dozens"]) is None
    assert parse_number(["people"]) is None


def test_vague_and_qualifiers():
    assert vague_range("dozens") == (24, 99)
    assert vague_range("a dozen") == (12, 12)
    assert qualifier("at least") == "at_least"
    assert qualifier("More than") == "more_than"
    assert qualifier("nearly") == "about"
