"""Helpers the three readers share: safe XML parsing, values, clock times, week Mondays.

Safety: timetable files come from the school's own software, but they are uploaded files all
the same. No entity is resolved, no DTD loaded, no network used, no huge tree accepted, and a
document whose DOCTYPE declares entities (billion laughs, XXE) is refused outright.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from lxml import etree

from vie_scolaire.timetable.imports.model import Origin, RowRejected, TimetableFormatError

_PARSER_OPTIONS: dict[str, Any] = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "dtd_validation": False,
    "huge_tree": False,
    "remove_comments": True,
    "remove_pis": True,
}


@dataclass(frozen=True)
class XmlFile:
    """One XML file given to the import, already parsed (the importer reads roots to pick the format)."""

    name: str
    root: Any


def fold(value: str) -> str:
    """`value` without accents, case, hyphens or repeated spaces: « Lefèvre-Noël » = « LEFEVRE NOEL »."""
    decomposed = unicodedata.normalize("NFKD", value)
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(re.sub(r"[-'’.]", " ", bare).casefold().split())


def parse_xml(data: bytes, file: str) -> Any:
    """The root element of an XML file, or TimetableFormatError in French with the line."""
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        line = error.lineno if isinstance(error.lineno, int) and error.lineno > 0 else None
        message = (getattr(error, "msg", "") or str(error)).strip()
        raise TimetableFormatError(
            Origin(file, line), _("XML mal formé (%(message)s).") % {"message": message}
        ) from None
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _entity in dtd.iterentities()):
        raise TimetableFormatError(
            Origin(file, 1),
            _("le fichier déclare des entités XML dans son DOCTYPE (<!ENTITY …>) : refusé par sécurité."),
        )
    return root


def local_name(element: Any) -> str:
    return str(etree.QName(element).localname)


def child_text(element: Any, path: str) -> str:
    """The stripped text of the first element at `path` under `element`, "" when absent.

    STS-Web pretty-prints its values over several lines: every value is stripped.
    """
    found = element.find(path)
    return (found.text or "").strip() if found is not None else ""


def child_attribute(element: Any, path: str, name: str) -> str:
    """The stripped attribute `name` of the first element at `path`, "" when either is absent."""
    found = element.find(path)
    return (found.get(name) or "").strip() if found is not None else ""


def attribute(element: Any, name: str) -> str:
    """A required attribute, stripped; RowRejected when missing or empty."""
    value = (element.get(name) or "").strip()
    if not value:
        raise RowRejected(
            _("attribut « %(name)s » absent de « %(tag)s ».") % {"name": name, "tag": local_name(element)}
        )
    return value


def integer(value: str, what: str, low: int, high: int) -> int:
    """`value` as an integer within [low, high]; RowRejected naming `what` otherwise."""
    try:
        number = int(value.strip())
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise RowRejected(
            _("%(what)s impossible : « %(value)s » (attendu de %(low)s à %(high)s).")
            % {"what": what, "value": value, "low": low, "high": high}
        )
    return number


def iso_date(value: str, what: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise RowRejected(_("%(what)s impossible : « %(value)s ».") % {"what": what, "value": value}) from None


_CLOCK = re.compile(r"^(?P<hours>\d{1,2})(?:[hH:]?(?P<minutes>\d{2}))?[hH]?$")


def clock(value: str, what: str) -> datetime.timedelta:
    """A clock reading ("1402", "08:30", "8H", "8h30") as the time since midnight."""
    match = _CLOCK.match(value.strip())
    hours = int(match["hours"]) if match else 24
    minutes = int(match["minutes"] or 0) if match else 60
    if hours > 23 or minutes > 59:
        raise RowRejected(_("%(what)s impossible : « %(value)s ».") % {"what": what, "value": value})
    return datetime.timedelta(hours=hours, minutes=minutes)


def time_of(since_midnight: datetime.timedelta) -> datetime.time:
    """A time of day; RowRejected when a lesson would run past midnight."""
    if not datetime.timedelta(0) <= since_midnight < datetime.timedelta(days=1):
        raise RowRejected(_("horaire impossible : le cours finirait après minuit."))
    return (datetime.datetime.min + since_midnight).time()


def lesson_times(start: datetime.timedelta, length: datetime.timedelta) -> tuple[datetime.time, datetime.time]:
    if length <= datetime.timedelta(0):
        raise RowRejected(_("durée impossible : le cours doit durer au moins une minute."))
    return time_of(start), time_of(start + length)
