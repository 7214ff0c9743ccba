"""Dates as the book's language writes them (cached per day and per clock time)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from babel.dates import format_date, format_time

from publish.render.dates import date_and_time, iso, locale_for, long_date

MOMENTS = [
    datetime(2016, 7, 13, 9, 5),
    datetime(2016, 7, 13, 21, 47, 12),
    datetime(2016, 7, 13, 23, 59, tzinfo=timezone(timedelta(hours=-5))),
    datetime(2016, 7, 13, 12, 0, tzinfo=UTC),
]


@pytest.mark.parametrize("language", ["en", "en-GB", "de", "fr", "ja", "xx-YY"])
@pytest.mark.parametrize("moment", MOMENTS)
def test_the_date_and_time_as_babel_writes_them(moment: datetime, language: str) -> None:
    locale = locale_for(language)
    day = format_date(moment.date(), "long", locale=locale)
    clock = format_time(moment.replace(tzinfo=None), "short", locale=locale)
    for _ in range(2):  # the second time from the cache
        assert date_and_time(moment, language) == f"{day}, {clock}"
        assert long_date(moment, language) == day


def test_midnight_is_a_date_without_a_time() -> None:
    assert date_and_time(datetime(2016, 7, 13), "en") == "July 13, 2016"
    assert long_date(date(2016, 7, 13), "de") == "13. Juli 2016"
    assert iso(datetime(2016, 7, 13, 9, 5)) == "2016-07-13T09:05"
    assert iso(date(2016, 7, 13)) == "2016-07-13"
