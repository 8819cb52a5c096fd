"""Reader of the STS-Web exchange pair: `sts_emp_<UAI>_<year>.xml` and `emp_sts_<UAI>_<year>.xml`.

`sts_emp` (root STS_EDT) is what STS-Web sends the timetable software: subjects, staff, divisions
and groups. `emp_sts` (root EDT_STS) is what the software sends back: the weeks of each
alternation, and per division or group its teaching services with their placed courses. The
courses name teachers by their STS ID only, so both files are needed.

A course takes place on each week of its alternation, on the first day on or after the week's
DATE_DEBUT_SEMAINE whose ISO weekday is JOUR (the dates STS-Web writes are not always Mondays).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from vie_scolaire.calendar.weeks import monday_of
from vie_scolaire.timetable.imports.model import (
    Origin,
    ParsedLesson,
    Person,
    RowRejected,
    Timetable,
    TimetableFormatError,
    merge_co_teaching,
)
from vie_scolaire.timetable.imports.reading import (
    XmlFile,
    attribute,
    child_attribute,
    child_text,
    clock,
    integer,
    iso_date,
    lesson_times,
)
from vie_scolaire.timetable.models import WeeklyLesson, WeekPattern

DESCENDING_ROOT = "STS_EDT"  # sts_emp: STS-Web -> timetable software
ASCENDING_ROOT = "EDT_STS"  # emp_sts: timetable software -> STS-Web
ROOTS = (DESCENDING_ROOT, ASCENDING_ROOT)


def read_sts(files: list[XmlFile]) -> Timetable:
    """The timetable of one sts_emp + emp_sts pair; TimetableFormatError when the pair is incomplete."""
    descending = _one(files, DESCENDING_ROOT, "sts_emp")
    ascending = _one(files, ASCENDING_ROOT, "emp_sts")
    timetable = Timetable(source=WeeklyLesson.Source.STS, files=[descending.name, ascending.name])
    _read_parameters(timetable, descending, ascending)
    _read_nomenclatures(timetable, descending)
    alternations = _read_alternations(timetable, ascending)
    _read_courses(timetable, ascending, alternations)
    timetable.lessons = merge_co_teaching(timetable.lessons)
    return timetable


def _one(files: list[XmlFile], root: str, kind: str) -> XmlFile:
    found = [file for file in files if file.root.tag == root]
    if len(found) != 1:
        names = ", ".join(file.name for file in files)
        raise TimetableFormatError(
            Origin(names),
            _("STS-Web : il faut exactement un fichier %(kind)s (racine %(root)s), %(count)s reçu(s).")
            % {"kind": kind, "root": root, "count": len(found)},
        )
    return found[0]


def _read_parameters(timetable: Timetable, descending: XmlFile, ascending: XmlFile) -> None:
    uajs = {child_attribute(descending.root, "PARAMETRES/UAJ", "CODE"), child_text(ascending.root, "PARAMETRES/UAJ")}
    years = {
        child_attribute(descending.root, "PARAMETRES/ANNEE_SCOLAIRE", "ANNEE"),
        child_text(ascending.root, "PARAMETRES/ANNEE_SCOLAIRE"),
    }
    if len(uajs) != 1 or len(years) != 1 or "" in uajs | years:
        raise TimetableFormatError(
            Origin(ascending.name),
            _("les deux fichiers STS-Web ne portent pas le même UAI et la même année (%(uai)s ; %(year)s).")
            % {"uai": ", ".join(sorted(uajs)), "year": ", ".join(sorted(years))},
        )
    timetable.uai = uajs.pop()
    try:
        timetable.school_year = integer(years.pop(), _("année scolaire"), 2000, 2100)
    except RowRejected as rejected:
        raise TimetableFormatError(Origin(ascending.name), rejected.reason) from None


def _read_nomenclatures(timetable: Timetable, descending: XmlFile) -> None:
    root = descending.root
    for subject in root.iterfind("NOMENCLATURES/MATIERES/MATIERE"):
        code = subject.get("CODE", "").strip()
        if code:
            name = child_text(subject, "LIBELLE_EDITION") or child_text(subject, "LIBELLE_LONG") or code
            timetable.subjects[code] = name
    for person in root.iterfind("DONNEES/INDIVIDUS/INDIVIDU"):
        origin = Origin(descending.name, person.sourceline)
        try:
            timetable.people[attribute(person, "ID")] = _person(person, origin)
        except RowRejected as rejected:
            timetable.reject(origin, rejected.reason)
    for division in root.iterfind("DONNEES/STRUCTURE/DIVISIONS/DIVISION"):
        code = division.get("CODE", "").strip()
        if code:
            timetable.divisions[code] = child_text(division, "LIBELLE_LONG") or code
    for group in root.iterfind("DONNEES/STRUCTURE/GROUPES/GROUPE"):
        _add_group(timetable, group)


def _person(element: Any, origin: Origin) -> Person:
    born = child_text(element, "DATE_NAISSANCE")
    return Person(
        key=attribute(element, "ID"),
        last_name=child_text(element, "NOM_USAGE"),
        first_name=child_text(element, "PRENOM"),
        birth_date=iso_date(born, _("date de naissance")) if born else None,
        origin=origin,
    )


def _add_group(timetable: Timetable, group: Any) -> None:
    code = group.get("CODE", "").strip()
    if code:
        divisions = (
            item.get("CODE", "").strip() for item in group.iterfind("DIVISIONS_APPARTENANCE/DIVISION_APPARTENANCE")
        )
        timetable.add_group(code, child_text(group, "LIBELLE_LONG"), (code for code in divisions if code))


def _read_alternations(timetable: Timetable, ascending: XmlFile) -> dict[str, list[datetime.date]]:
    alternations: dict[str, list[datetime.date]] = {}
    for alternation in ascending.root.iterfind("DONNEES/ALTERNANCES/ALTERNANCE"):
        origin = Origin(ascending.name, alternation.sourceline)
        try:
            alternations[attribute(alternation, "CODE")] = [
                iso_date(week.text or "", _("date de début de semaine"))
                for week in alternation.iterfind("SEMAINES/DATE_DEBUT_SEMAINE")
            ]
        except RowRejected as rejected:
            timetable.reject(origin, rejected.reason)
    return alternations


def _read_courses(timetable: Timetable, ascending: XmlFile, alternations: dict[str, list[datetime.date]]) -> None:
    # Real files nest GROUPES inside DIVISIONS as often as beside it: find audiences anywhere.
    structure = ascending.root.find("DONNEES/STRUCTURE")
    if structure is None:
        raise TimetableFormatError(Origin(ascending.name), _("élément DONNEES/STRUCTURE absent."))
    for audience in structure.iter("DIVISION", "GROUPE"):
        code = audience.get("CODE", "").strip()
        if audience.tag == "GROUPE":
            _add_group(timetable, audience)
        for service in audience.iterfind("SERVICES/SERVICE"):
            subject = _subject(timetable, service, Origin(ascending.name, service.sourceline))
            for teacher in service.iterfind("ENSEIGNANTS/ENSEIGNANT"):
                for course in teacher.iterfind("COURS_RATTACHES/COURS"):
                    origin = Origin(ascending.name, course.sourceline)
                    try:
                        lesson = _lesson(timetable, audience.tag, code, subject, teacher, course, alternations, origin)
                    except RowRejected as rejected:
                        timetable.reject(origin, rejected.reason)
                    else:
                        timetable.lessons.append(lesson)


def _subject(timetable: Timetable, service: Any, origin: Origin) -> str:
    code = service.get("CODE_MATIERE", "").strip()
    if code and code not in timetable.subjects:
        # The pair disagrees (a subject added in the timetable software after the STS export):
        # the course is real, so the subject is created under its code, for the school to name.
        timetable.subjects[code] = code
        timetable.warnings.append(
            _("%(origin)s : matière %(code)s absente de la nomenclature de sts_emp, créée sous son code.")
            % {"origin": origin, "code": code}
        )
    return code


def _lesson(
    timetable: Timetable,
    kind: str,
    audience: str,
    subject: str,
    teacher: Any,
    course: Any,
    alternations: dict[str, list[datetime.date]],
    origin: Origin,
) -> ParsedLesson:
    if not audience or not subject:
        raise RowRejected(_("cours sans code de classe, de groupe ou de matière."))
    teacher_id = attribute(teacher, "ID")
    if teacher_id not in timetable.people:
        raise RowRejected(_("enseignant d'ID %(id)s absent du fichier sts_emp.") % {"id": teacher_id})
    weekday = integer(child_text(course, "JOUR"), _("jour"), 1, 7)
    start, end = lesson_times(
        clock(child_text(course, "HEURE_DEBUT"), _("heure de début")),
        clock(child_text(course, "DUREE"), _("durée")),
    )
    code = child_text(course, "CODE_ALTERNANCE")
    if code not in alternations:
        raise RowRejected(_("alternance « %(code)s » inconnue.") % {"code": code})
    if not alternations[code]:
        raise RowRejected(_("l'alternance « %(code)s » ne compte aucune semaine.") % {"code": code})
    room = child_text(course, "CODE_SALLE")
    if room:
        timetable.rooms.setdefault(room, "")
    return ParsedLesson(
        origin=origin,
        subject=subject,
        teachers=frozenset({teacher_id}),
        divisions=frozenset({audience}) if kind == "DIVISION" else frozenset(),
        groups=frozenset({audience}) if kind == "GROUPE" else frozenset(),
        room=room,
        weekday=weekday,
        start=start,
        end=end,
        week_pattern=WeekPattern.WEEKS,
        weeks=tuple(sorted({monday_of(_course_day(week, weekday)) for week in alternations[code]})),
    )


def _course_day(week_start: datetime.date, weekday: int) -> datetime.date:
    """The first day on or after `week_start` whose ISO weekday is `weekday`."""
    return week_start + datetime.timedelta(days=(weekday - week_start.isoweekday()) % 7)
