"""Dates written the way the book's language writes them (Babel's CLDR data)."""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_time


@lru_cache(maxsize=16)
def locale_for(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError):
        try:
            return Locale.parse(language.split("-")[0])
        except (UnknownLocaleError, ValueError):
            return Locale.parse("en")


def long_date(moment: date | datetime, language: str) -> str:
    """'July 13, 2016' in English, '13. Juli 2016' in German."""
    return _long_date(moment.date() if isinstance(moment, datetime) else moment, language)


# A blog's comments share their days, and the day's clock times: each written once.
@lru_cache(maxsize=4096)
def _long_date(day: date, language: str) -> str:
    return str(format_date(day, "long", locale=locale_for(language)))


@lru_cache(maxsize=4096)
def _clock(moment: time, language: str) -> str:
    return str(format_time(moment, "short", locale=locale_for(language)))


def date_and_time(moment: datetime, language: str) -> str:
    """The long date, and the time of day when one is known."""
    text = long_date(moment, language)
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        return text
    return f"{text}, {_clock(moment.time(), language)}"


def iso(moment: date | datetime) -> str:
    """For <time datetime>: the date, or the date and time to the minute."""
    if isinstance(moment, datetime) and (moment.hour, moment.minute) != (0, 0):
        return moment.strftime("%Y-%m-%dT%H:%M")
    return moment.strftime("%Y-%m-%d")
