"""Reader of UnDeuxTemps (UDT) timetable exports as CSV.

UDT's "Recherche / Emploi du temps" export writes one line per séquence (one hour) and audience:
`Jour;Heure;Div;Matière;Professeur;Salle;Groupe;Regroup;Eff;Mo;Freq;Aire;`, e.g.
`Lundi;8H;6 E;EPS;MARTIN PIERRE;GYMNA;;;16;CG;H;;`. The teacher is "NAME First name" in one
column, the subject its short code. `Freq` says the weeks: H (or empty) every week, Q1 / A /
SA / 1 week A, Q2 / B / SB / 2 week B. The audience is the regroupement when there is one, else
the group, else the division; the division of the line joins the group's divisions.

A lesson of two hours is two lines: consecutive hours of the same lesson are joined, and so are
the lines of one regroupement or one co-taught lesson. Eff (head count), Mo (modality) and Aire
are not used. The file is UTF-8 or, as UDT writes it on Windows, Windows-1252.
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import replace

from django.utils.translation import gettext as _

from vie_scolaire.timetable.imports.model import (
    Origin,
    ParsedLesson,
    Person,
    RowRejected,
    Slot,
    Timetable,
    TimetableFormatError,
    merge_co_teaching,
)
from vie_scolaire.timetable.imports.reading import clock, fold, integer, lesson_times
from vie_scolaire.timetable.models import WeeklyLesson, WeekPattern

HEADER_START = "jour;heure;div;matiere"
REQUIRED_COLUMNS = ("jour", "heure", "div", "matiere", "professeur")
SEQUENCE = datetime.timedelta(hours=1)
DAYS = {"lundi": 1, "mardi": 2, "mercredi": 3, "jeudi": 4, "vendredi": 5, "samedi": 6, "dimanche": 7}
FREQUENCIES = {
    "": WeekPattern.EVERY,
    "h": WeekPattern.EVERY,
    "q1": WeekPattern.A,
    "a": WeekPattern.A,
    "sa": WeekPattern.A,
    "1": WeekPattern.A,
    "q2": WeekPattern.B,
    "b": WeekPattern.B,
    "sb": WeekPattern.B,
    "2": WeekPattern.B,
}


def decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def is_udt(text: str) -> bool:
    return fold(text[:200].replace(";", " ; ")).replace(" ", "").startswith(HEADER_START)


def read_udt(files: list[tuple[str, str]]) -> Timetable:
    """The timetable of one or more UDT CSV files, given as (name, decoded text)."""
    timetable = Timetable(source=WeeklyLesson.Source.UDT, files=[name for name, _text in files])
    for name, text in files:
        _read_file(timetable, name, text)
    hours = merge_co_teaching(timetable.lessons)
    timetable.slots = _slots(hours)
    timetable.lessons = _join_consecutive(hours)
    return timetable


def _read_file(timetable: Timetable, name: str, text: str) -> None:
    reader = csv.reader(io.StringIO(text), delimiter=";")
    header = [fold(column) for column in next(reader, [])]
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise TimetableFormatError(
            Origin(name, 1),
            _("en-tête UDT incomplet : colonnes absentes %(columns)s.") % {"columns": ", ".join(missing)},
        )
    for values in reader:
        if not any(value.strip() for value in values):
            continue
        origin = Origin(name, reader.line_num)
        row = {column: value.strip() for column, value in zip(header, values, strict=False)}
        try:
            timetable.lessons.append(_lesson(timetable, row, origin))
        except RowRejected as rejected:
            timetable.reject(origin, rejected.reason)


def _lesson(timetable: Timetable, row: dict[str, str], origin: Origin) -> ParsedLesson:
    day = row.get("jour", "")
    weekday = DAYS.get(fold(day)) or integer(day, _("jour"), 1, 7)
    start, end = lesson_times(clock(row.get("heure", ""), _("heure")), SEQUENCE)
    subject = row.get("matiere", "")
    if not subject:
        raise RowRejected(_("matière absente."))
    frequency = row.get("freq", "")
    if fold(frequency) not in FREQUENCIES:
        raise RowRejected(_("fréquence « %(value)s » inconnue (H, Q1, Q2, A ou B attendu).") % {"value": frequency})
    timetable.subjects.setdefault(subject, subject)
    room = row.get("salle", "")
    if room:
        timetable.rooms.setdefault(room, "")
    return ParsedLesson(
        origin=origin,
        subject=subject,
        teachers=_teachers(timetable, row.get("professeur", ""), origin),
        divisions=_division(timetable, row),
        groups=_group(timetable, row),
        room=room,
        weekday=weekday,
        start=start,
        end=end,
        week_pattern=FREQUENCIES[fold(frequency)],
    )


def _teachers(timetable: Timetable, name: str, origin: Origin) -> frozenset[str]:
    if not name:
        return frozenset()
    # "NAME First name" in one column: the importer matches it whole against "last first".
    timetable.people.setdefault(name, Person(key=name, last_name=name, first_name="", birth_date=None, origin=origin))
    return frozenset({name})


def _division(timetable: Timetable, row: dict[str, str]) -> frozenset[str]:
    division = row.get("div", "")
    if not division:
        raise RowRejected(_("classe (Div) absente."))
    timetable.divisions.setdefault(division, division)
    return frozenset() if _audience_group(row) else frozenset({division})


def _group(timetable: Timetable, row: dict[str, str]) -> frozenset[str]:
    group = _audience_group(row)
    if not group:
        return frozenset()
    timetable.add_group(group, group, {row["div"]})
    return frozenset({group})


def _audience_group(row: dict[str, str]) -> str:
    return row.get("regroup", "") or row.get("groupe", "")


def _join_consecutive(lessons: list[ParsedLesson]) -> list[ParsedLesson]:
    """One lesson for consecutive séquences of the same audience, subject, teachers, room and weeks."""
    joined: list[ParsedLesson] = []
    ordered = sorted(lessons, key=lambda lesson: (_same_lesson(lesson), lesson.start))
    for lesson in ordered:
        previous = joined[-1] if joined else None
        if previous is not None and _same_lesson(previous) == _same_lesson(lesson) and previous.end == lesson.start:
            joined[-1] = replace(previous, end=lesson.end)
        else:
            joined.append(lesson)
    return joined


def _same_lesson(lesson: ParsedLesson) -> tuple[object, ...]:
    return (
        lesson.weekday,
        tuple(sorted(lesson.divisions)),
        tuple(sorted(lesson.groups)),
        lesson.subject,
        tuple(sorted(lesson.teachers)),
        lesson.room,
        lesson.week_pattern,
    )


def _slots(lessons: list[ParsedLesson]) -> list[Slot]:
    """The hours the lessons start at ("8H": 08:00–09:00), UDT files carrying no slot grid."""
    hours = sorted({(lesson.start, lesson.end) for lesson in lessons})
    return [Slot(code=f"{start.hour}H{start:%M}".removesuffix("00"), start=start, end=end) for start, end in hours]
