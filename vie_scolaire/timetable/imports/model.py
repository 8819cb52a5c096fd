"""The parsed timetable: what the three readers (STS-Web, Index Éducation, UDT) hand the importer.

Every reader turns its files into one `Timetable`: nomenclatures (subjects, rooms, divisions,
groups, slots), the people it names and the weekly lessons, each row with the file and line it
came from. A row the reader cannot understand becomes a `RowError`; a file it cannot read at all
raises `TimetableFormatError`. Nothing here touches the database.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.utils.translation import gettext as _


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a row was read: file name and line (None when the file as a whole is meant)."""

    file: str
    line: int | None = None

    def __str__(self) -> str:
        if self.line is None:
            return self.file
        return _("%(file)s, ligne %(line)s") % {"file": self.file, "line": self.line}


class TimetableFormatError(Exception):
    """A file that cannot be imported at all; `str()` says file, line and reason in French."""

    def __init__(self, origin: Origin, reason: str) -> None:
        super().__init__(origin, reason)
        self.origin = origin
        self.reason = reason

    def __str__(self) -> str:
        return f"{self.origin} : {self.reason}"


@dataclass(frozen=True, slots=True)
class RowError:
    """One rejected row: any of them refuses the whole import."""

    origin: Origin
    reason: str

    def __str__(self) -> str:
        return f"{self.origin} : {self.reason}"


class RowRejected(Exception):
    """Raised by the readers' small helpers; the reader turns it into a `RowError` and goes on."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Person:
    """A teacher as the source names them; matched to a membership by the importer."""

    key: str  # the source's own identifier (STS ID, Index Ident, UDT name)
    last_name: str
    first_name: str
    birth_date: datetime.date | None
    origin: Origin

    def __str__(self) -> str:
        name = f"{self.last_name} {self.first_name}".strip()
        if self.birth_date is None:
            return name
        return _("%(name)s (né(e) le %(date)s)") % {"name": name, "date": f"{self.birth_date:%d/%m/%Y}"}


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    divisions: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class Slot:
    code: str
    start: datetime.time
    end: datetime.time


@dataclass(frozen=True, slots=True)
class ParsedLesson:
    """One weekly lesson of the source: same audience, subject, day and time on some weeks."""

    origin: Origin
    subject: str  # subject code
    teachers: frozenset[str]  # Person keys
    divisions: frozenset[str]  # division codes
    groups: frozenset[str]  # group codes
    room: str  # room code, "" when none
    weekday: int  # 1 = Monday
    start: datetime.time
    end: datetime.time
    week_pattern: str  # a vie_scolaire.models.WeekPattern value
    weeks: tuple[datetime.date, ...] = ()  # Mondays, when week_pattern is "weeks"

    @property
    def has_audience(self) -> bool:
        return bool(self.divisions or self.groups)


@dataclass
class Timetable:
    """Everything a set of files says about one school's weekly timetable."""

    source: str  # a WeeklyLesson.Source value
    files: list[str] = field(default_factory=list)
    uai: str = ""  # as the files say it, "" when they do not (UDT)
    school_year: int | None = None  # the rentrée's year, None when the files do not say it
    subjects: dict[str, str] = field(default_factory=dict)  # code -> name
    rooms: dict[str, str] = field(default_factory=dict)  # code -> name
    divisions: dict[str, str] = field(default_factory=dict)  # code -> name
    groups: dict[str, Group] = field(default_factory=dict)  # code -> group
    slots: list[Slot] = field(default_factory=list)
    people: dict[str, Person] = field(default_factory=dict)  # key -> person
    lessons: list[ParsedLesson] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def reject(self, origin: Origin, reason: str) -> None:
        self.errors.append(RowError(origin, reason))

    def add_group(self, code: str, name: str, divisions: Iterable[str]) -> None:
        """Record a group, joining the divisions every file or row gives it."""
        known = self.groups.get(code)
        joined = frozenset(divisions) | (known.divisions if known else frozenset())
        self.groups[code] = Group(name=name or (known.name if known else code), divisions=joined)
        for division in joined:
            self.divisions.setdefault(division, division)


def merge_co_teaching(lessons: Iterable[ParsedLesson]) -> list[ParsedLesson]:
    """One lesson per audience, subject, time, room and weeks; their teachers together.

    STS-Web and UDT write a co-taught lesson once per teacher; the ENT shows it once.
    The first row's origin is kept, so errors point at the lesson's first line.
    """
    merged: dict[tuple[object, ...], ParsedLesson] = {}
    for lesson in lessons:
        key = (
            lesson.divisions,
            lesson.groups,
            lesson.subject,
            lesson.weekday,
            lesson.start,
            lesson.end,
            lesson.room,
            lesson.week_pattern,
            lesson.weeks,
        )
        known = merged.get(key)
        merged[key] = lesson if known is None else replace(known, teachers=known.teachers | lesson.teachers)
    return list(merged.values())
