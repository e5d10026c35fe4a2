"""Date arithmetic and temporal expressions: property tests and one test per rule."""

import datetime as dt

from hypothesis import given, strategies as st

from sitroom.components import temporal
from sitroom.components.temporal import Anchor, find_expressions, resolve

dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))
weekdays = st.integers(min_value=0, max_value=6)


@given(dates, weekdays)
def test_past_weekday_is_the_most_recent_such_day(anchor, weekday):
    day = temporal.resolve_weekday(anchor, weekday, "past")
    assert day.weekday() == weekday
    assert 0 <= (anchor - day).days <= 6


@given(dates, weekdays)
def test_future_weekday_is_the_next_such_day(anchor, weekday):
    day = temporal.resolve_weekday(anchor, weekday, "future")
    assert day.weekday() == weekday
    assert 0 <= (day - anchor).days <= 6


@given(dates, weekdays)
def test_last_and_next_weekday_are_never_the_anchor(anchor, weekday):
    assert temporal.resolve_weekday(anchor, weekday, "past", "last") < anchor
    assert temporal.resolve_weekday(anchor, weekday, "future", "next") > anchor


@given(dates)
def test_week_bounds_run_monday_to_sunday_around_the_day(day):
    start, end = temporal.week_bounds(day)
    assert start.weekday() == 0 and end.weekday() == 6 and start <= day <= end


@given(st.integers(1990, 2035), st.integers(1, 12), st.integers(-30, 30))
def test_add_months_is_consistent_with_month_bounds(year, month, delta):
    y, m = temporal.add_months(year, month, delta)
    start, end = temporal.month_bounds(y, m)
    assert start.day == 1 and (end + dt.timedelta(days=1)).day == 1
    assert (y * 12 + m) - (year * 12 + month) == delta


@given(dates, st.integers(1, 12), st.integers(1, 31), st.sampled_from(["past", "future", "present"]))
def test_month_day_without_year_lands_within_a_year_of_the_anchor(anchor, month, day, tense):
    found = temporal.nearest_year(anchor, month, day, tense)
    if found is None:
        return
    assert (found.month, found.day) == (month, day)
    assert abs((found - anchor).days) <= (4 * 366 if (month, day) == (2, 29) else 366)
    if tense == "past":
        assert found <= anchor + dt.timedelta(days=temporal.PAST_TOLERANCE_DAYS)


def test_leap_day_without_year_finds_a_leap_year():
    assert temporal.nearest_year(dt.date(2024, 3, 10), 2, 29, "past") == dt.date(2024, 2, 29)
    assert temporal.nearest_year(dt.date(2025, 3, 10), 2, 29, "past") == dt.date(2024, 2, 29)


def test_weekday_across_year_end():
    # Thursday 2 January 2025: "on Monday" (past) is 30 December 2024
    assert temporal.resolve_weekday(dt.date(2025, 1, 2), 0, "past") == dt.date(2024, 12, 30)
    assert temporal.resolve_weekday(dt.date(2024, 12, 30), 2, "future") == dt.date(2025, 1, 1)


def one(text, published, tense="past"):
    [expr] = [e for e in find_expressions(text) if e.kind == "date"]
    return resolve(expr, Anchor(published, published.year if published else None), tense)


PUB = dt.date(2024, 10, 22)  # a Tuesday


def test_explicit_and_relative_expressions():
    assert (one("on Tuesday", PUB).start, one("on Tuesday", PUB).end) == (PUB, PUB)
    assert one("on Saturday", PUB).start == dt.date(2024, 10, 19)
    assert (one("overnight", PUB).start, one("overnight", PUB).end) == (dt.date(2024, 10, 21), PUB)
    last_week = one("last week", PUB)
    assert (last_week.start, last_week.end, last_week.precision) == (dt.date(2024, 10, 14), dt.date(2024, 10, 20), "week")
    assert one("on Oct. 7 last year", PUB).start == dt.date(2023, 10, 7)
    assert one("a Sept. 27 airstrike", PUB).start == dt.date(2024, 9, 27)
    assert one("the Nov. 5 election", PUB, "future").start == dt.date(2024, 11, 5)
    assert one("on March 3, 2025", PUB).start == dt.date(2025, 3, 3)
    assert one("on 3 March 2025", PUB).start == dt.date(2025, 3, 3)
    earlier = one("earlier this month", PUB)
    assert (earlier.start, earlier.end, earlier.precision) == (dt.date(2024, 10, 1), PUB, "month")
    assert one("two days ago", PUB).start == dt.date(2024, 10, 20)
    assert one("in March", PUB).start == dt.date(2024, 3, 1)
    assert one("in 2006", PUB).precision == "year"


def test_since_dates_the_onset():
    since = one("has besieged the city since May", PUB)
    assert (since.start, since.end, since.precision) == (dt.date(2024, 5, 1), dt.date(2024, 5, 31), "month")


def test_parts_of_a_month():
    early = one("detained in early June", PUB)
    assert (early.start, early.end, early.precision) == (dt.date(2024, 6, 1), dt.date(2024, 6, 10), "range")
    late = one("in late February", dt.date(2024, 3, 5))
    assert (late.start, late.end) == (dt.date(2024, 2, 21), dt.date(2024, 2, 29))


def test_durations_and_sets_are_not_dates():
    found = find_expressions("after a year of war and decades of hostilities, shelling every night for 14 days; "
                             "a 9-year-old girl")
    assert [e.kind for e in found] == ["duration", "duration", "set", "duration"]


def test_spans_leave_out_the_preposition():
    [expr] = find_expressions("talks on Tuesday")
    assert (expr.text, expr.groups["prep"]) == ("Tuesday", "on")


def test_weekday_with_date_and_quarters_and_now():
    assert one("on Monday, Oct. 26", PUB).start == dt.date(2024, 10, 26)
    third = one("third-quarter profit", PUB)
    assert (third.start, third.end, third.precision) == (dt.date(2024, 7, 1), dt.date(2024, 9, 30), "quarter")
    assert one("is now under siege", PUB).start == PUB


def test_month_without_year_is_the_nearest():
    assert one("in late November", dt.date(2000, 1, 10), "present").start == dt.date(1999, 11, 21)
    assert one("the vote was set for Jan. 14", dt.date(2000, 1, 10), "past").start == dt.date(2000, 1, 14)


def test_relative_dates_stay_unresolved_without_publication_date():
    assert not one("on Tuesday", None).resolved
    assert not one("last week", None).resolved
    assert one("on March 3, 2025", None).start == dt.date(2025, 3, 3)


def test_publication_year_inferred_from_last_year_and_full_date():
    found = find_expressions("the Oct. 7, 2023 attack … the assault on Oct. 7 last year")
    assert temporal.infer_publication_year(found) == 2024


def test_narrative_anchor_for_the_next_day():
    expr = [e for e in find_expressions("the next day") if e.kind == "date"][0]
    resolve(expr, Anchor(PUB, 2024, narrative=dt.date(2024, 3, 3)))
    assert expr.start == dt.date(2024, 3, 4)


def test_story_relative_periods():
    assert one("over the weekend", PUB).start == dt.date(2024, 10, 19)
    assert one("the year", PUB).precision == "year"
    assert one("in 1998", PUB).start == dt.date(1998, 1, 1)
    assert [e.text for e in find_expressions("2000 people fled in 1998")] == ["1998"]
    later = [e for e in find_expressions("later that day") if e.kind == "date"][0]
    resolve(later, Anchor(PUB, 2024, narrative=dt.date(2024, 3, 3)))
    assert later.start == dt.date(2024, 3, 3)
