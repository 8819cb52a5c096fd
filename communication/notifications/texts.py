"""Words the ENT writes to someone, kept as a message and its arguments until a reader's language is known.

A notification is written once and read later, by people who chose French or English, on a page,
through the API, in an e-mail or a text message. So it is stored as a gettext message id (French,
marked with `gettext_noop` where it is written, so that makemessages finds it) and its arguments,
and rendered in each reader's language when it is shown or sent.

Arguments are data shown as they are (a first name, a subject's name, a count: never translated),
or dates and times, formatted in the reader's language ("lundi 7 décembre" / "Monday 7 December").
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import formats, translation

Argument = str | int | datetime.date | datetime.time
# How a date or a time is written in JSON: {"date": "2026-12-07"}, {"time": "08:30:00"}.
_DATE, _TIME = "date", "time"
DATE_FORMAT = "l j F"


class Text:
    """A gettext message id and its arguments: `Text(gettext_noop("%(name)s absent(e)"), name="Léa")`."""

    __slots__ = ("arguments", "message")

    def __init__(self, message: str, **arguments: Argument) -> None:
        for name, value in arguments.items():
            # A lazy translation or a model would be frozen in the writer's language, or not survive JSON.
            if isinstance(value, bool) or not isinstance(value, Argument):
                raise TypeError(f"argument {name!r} of {message!r}: {type(value).__name__} is not a Text argument")
            if isinstance(value, datetime.datetime):
                raise TypeError(f"argument {name!r} of {message!r}: give the local date or time, not a datetime")
        self.message = message
        self.arguments: Mapping[str, Argument] = dict(arguments)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Text) and (self.message, self.arguments) == (other.message, other.arguments)

    def __hash__(self) -> int:
        return hash((self.message, tuple(sorted(self.arguments.items()))))

    def __repr__(self) -> str:
        return f"Text({self.message!r}, **{dict(self.arguments)!r})"

    def render(self, language: str | None = None) -> str:
        """The words in `language` (the active language when None)."""
        with translation.override(language or translation.get_language()):
            values = {name: _formatted(value) for name, value in self.arguments.items()}
            return translation.gettext(self.message) % values if values else translation.gettext(self.message)

    def encoded_arguments(self) -> dict[str, Any]:
        """The arguments as JSON values, for a `JSONField`."""
        return {name: _encoded(value) for name, value in self.arguments.items()}

    @classmethod
    def decoded(cls, message: str, arguments: Mapping[str, Any]) -> Text:
        """The Text of a stored message and its `encoded_arguments()`."""
        return cls(message, **{name: _decoded(value) for name, value in arguments.items()})


def reading_language(chosen: str) -> str:
    """The language a person reads what is sent to them in: their choice with the switch (`User.language`),
    else the site's French."""
    return chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def render(words: Text | str, language: str | None = None) -> str:
    """A Text in `language`; a string (a person's own words, or an old row's title) as it is."""
    return words.render(language) if isinstance(words, Text) else words


def stored(message: str, arguments: Mapping[str, Any], written: str) -> Text | str:
    """What a stored row shows: its Text when it has a message, else the words as they were written."""
    return Text.decoded(message, arguments) if message else written


def _formatted(value: Argument) -> str | int:
    if isinstance(value, datetime.date):
        return formats.date_format(value, DATE_FORMAT)
    if isinstance(value, datetime.time):
        return formats.time_format(value)  # the language's own: "08:30", "8:30 a.m."
    return value


def _encoded(value: Argument) -> str | int | dict[str, str]:
    if isinstance(value, datetime.date):
        return {_DATE: value.isoformat()}
    if isinstance(value, datetime.time):
        return {_TIME: value.isoformat()}
    return value


def _decoded(value: Any) -> Argument:
    if isinstance(value, dict):
        if _DATE in value:
            return datetime.date.fromisoformat(value[_DATE])
        return datetime.time.fromisoformat(value[_TIME])
    if isinstance(value, str | int):
        return value
    raise TypeError(f"{type(value).__name__} is not a stored Text argument")
