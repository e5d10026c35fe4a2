"""Numbers as news writes them: '18', '1,200', 'four', 'twenty-one', '2.3 million', 'dozens', 'a dozen'."""

from __future__ import annotations

import re

UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "a": 1, "an": 1,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
        "ninety": 90}
SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
# Vague quantities as (min, max): "dozens of" is at least 24, "scores of" at least 40.
VAGUE = {
    "dozen": (12, 12), "dozens": (24, 99), "scores": (40, 99), "score": (20, 20), "hundreds": (200, 999),
    "thousands": (2000, 9999), "tens of thousands": (20000, 99999), "several": (3, 9), "a few": (2, 5),
    "a handful": (3, 6), "many": (None, None), "several dozen": (36, 99), "a dozen": (12, 12),
    "two dozen": (24, 24), "three dozen": (36, 36), "hundreds of thousands": (200000, 999999),
}
QUALIFIERS = {
    "at least": "at_least", "more than": "more_than", "over": "more_than", "upwards of": "more_than",
    "nearly": "about", "almost": "about", "about": "about", "around": "about", "some": "about",
    "roughly": "about", "approximately": "about", "an estimated": "about", "up to": "at_most",
    "as many as": "at_most", "at most": "at_most", "fewer than": "at_most", "less than": "at_most",
    "close to": "about", "estimated": "about", "no fewer than": "at_least", "no less than": "at_least",
}
NUMERIC = re.compile(r"^\d{1,3}(?:,\d{3})+$|^\d+(?:\.\d+)?$")


def parse_number(words: list[str]) -> int | None:
    """The value of a run of number words ('twenty-one', '2.3 million', '1,200'), or None."""
    total, current = 0, 0
    seen = False
    for raw in words:
        for word in raw.lower().replace("-", " ").split():
            if NUMERIC.match(word):
                current += float(word.replace(",", ""))
            elif word in UNITS:
                current += UNITS[word]
            elif word in TENS:
                current += TENS[word]
            elif word in SCALES:
                scale = SCALES[word]
                current = (current or 1) * scale
                if scale >= 1000:
                    total, current = total + current, 0
            elif word == "and" and seen:
                continue
            else:
                return None
            seen = True
    value = total + current
    return int(round(value)) if seen else None


def vague_range(phrase: str) -> tuple[int | None, int | None] | None:
    return VAGUE.get(phrase.lower())


def qualifier(phrase: str) -> str | None:
    return QUALIFIERS.get(phrase.lower())
