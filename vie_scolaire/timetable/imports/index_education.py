"""Reader of Index Éducation's timetable export to ENTs (EDT and PRONOTE, `ExportEmploiDuTemps`).

The export lists the slot grid (`GrilleHoraire`: places of `DureePlace` minutes from number 0),
subjects, teachers, classes (with their parts, `PartieDeClasse`), groups (made of class parts)
and rooms, each with its `Ident`; then the courses: a day, a first place and a number of places,
a subject, and the teachers, classes, class parts, groups and rooms it gathers, each with a
`Semaines` bit mask where bit n is the n-th week from `DatePremierJourSemaine1`.

Real exports carry a comment and indentation inside elements the XSD declares empty, so a strict
schema validation rejects them: the content is checked here instead, element by element, and
each problem names its line. The encrypted container (`EXPORT_INDEX_EDUCATION`) can only be
opened with the ENT partner's private key: it is refused with a message that says so.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from vie_scolaire.calendar.weeks import ONE_WEEK, monday_of
from vie_scolaire.timetable.imports.model import (
    Origin,
    ParsedLesson,
    Person,
    RowRejected,
    Slot,
    Timetable,
    TimetableFormatError,
)
from vie_scolaire.timetable.imports.reading import XmlFile, attribute, clock, integer, iso_date, local_name, time_of
from vie_scolaire.timetable.models import WeeklyLesson, WeekPattern

NAMESPACE = "http://www.index-education.com/exportemploidutemps"
ROOT = "ExportEmploiDuTemps"
ENCRYPTED_ROOT = "EXPORT_INDEX_EDUCATION"
ROOTS = (ROOT, ENCRYPTED_ROOT)
MAX_IDENT = 2**32 - 1
MAX_WEEKS = 2**64 - 1


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


@dataclass
class _Idents:
    """What each `Ident` of the file stands for, to resolve the courses' references."""

    subjects: dict[str, str] = field(default_factory=dict)  # Ident -> subject code
    people: set[str] = field(default_factory=set)
    divisions: dict[str, str] = field(default_factory=dict)  # Ident -> division code
    class_parts: dict[str, str] = field(default_factory=dict)  # PartieDeClasse Ident -> division code
    groups: dict[str, str] = field(default_factory=dict)  # Ident -> group code
    rooms: dict[str, str] = field(default_factory=dict)  # Ident -> room code
    places: dict[int, tuple[datetime.timedelta, datetime.timedelta]] = field(default_factory=dict)


def read_index_education(file: XmlFile) -> Timetable:
    root = file.root
    if local_name(root) == ENCRYPTED_ROOT:
        raise TimetableFormatError(
            Origin(file.name, root.sourceline),
            _(
                "export chiffré d'Index Éducation (EXPORT_INDEX_EDUCATION) : il ne peut être ouvert qu'avec "
                "la clé privée du partenaire ENT. Importez l'export en clair (ExportEmploiDuTemps)."
            ),
        )
    if root.tag != _tag(ROOT):
        raise TimetableFormatError(
            Origin(file.name, root.sourceline),
            _("élément racine « %(tag)s » inattendu (ExportEmploiDuTemps de l'espace de noms %(ns)s attendu).")
            % {"tag": root.tag, "ns": NAMESPACE},
        )
    timetable = Timetable(source=WeeklyLesson.Source.INDEX, files=[file.name], uai=(root.get("UAI") or "").strip())
    first_monday = _read_year(timetable, file)
    idents = _Idents()
    _read_grid(timetable, file, idents)
    _read_nomenclatures(timetable, file, idents)
    for course in root.iterfind(f"{_tag('Cours')}/{_tag('Cours')}"):
        origin = Origin(file.name, course.sourceline)
        try:
            timetable.lessons.append(_lesson(timetable, course, idents, first_monday, origin))
        except RowRejected as rejected:
            timetable.reject(origin, rejected.reason)
    return timetable


def _required(file: XmlFile, path: str) -> Any:
    element = file.root.find(path)
    if element is None:
        raise TimetableFormatError(
            Origin(file.name, file.root.sourceline), _("élément « %(path)s » absent.") % {"path": path}
        )
    return element


def _read_year(timetable: Timetable, file: XmlFile) -> datetime.date:
    """The school year, and the Monday of week 1 that the courses' week masks count from."""
    year = _required(file, _tag("AnneeScolaire"))
    try:
        first_day = iso_date(attribute(year, "DateDebut"), _("date de début d'année"))
        first_monday = monday_of(iso_date(attribute(year, "DatePremierJourSemaine1"), _("premier jour de semaine 1")))
    except RowRejected as rejected:
        raise TimetableFormatError(Origin(file.name, year.sourceline), rejected.reason) from None
    timetable.school_year = first_day.year if first_day.month >= 8 else first_day.year - 1
    return first_monday


def _read_grid(timetable: Timetable, file: XmlFile, idents: _Idents) -> None:
    grid = _required(file, _tag("GrilleHoraire"))
    for place in grid.iterfind(f"{_tag('PlacesParJour')}/{_tag('Place')}"):
        try:
            number = integer(attribute(place, "Numero"), _("numéro de place"), 0, 1000)
            start = clock(attribute(place, "LibelleHeureDebut")[:5], _("heure de début"))
            end = clock(attribute(place, "LibelleHeureFin")[:5], _("heure de fin"))
            timetable.slots.append(Slot(code=f"P{number}", start=time_of(start), end=time_of(end)))
        except RowRejected as rejected:
            timetable.reject(Origin(file.name, place.sourceline), rejected.reason)
        else:
            idents.places[number] = (start, end)


def _read_nomenclatures(timetable: Timetable, file: XmlFile, idents: _Idents) -> None:
    readers = (
        ("Matieres", "Matiere", _subject),
        ("Professeurs", "Professeur", _person),
        ("Classes", "Classe", _division),
        ("Groupes", "Groupe", _group),
        ("Salles", "Salle", _room),
    )
    for parent, tag, reader in readers:
        for element in file.root.iterfind(f"{_tag(parent)}/{_tag(tag)}"):
            origin = Origin(file.name, element.sourceline)
            try:
                reader(timetable, element, idents, origin)
            except RowRejected as rejected:
                timetable.reject(origin, rejected.reason)


def _ident(element: Any) -> str:
    return str(integer(attribute(element, "Ident"), _("identifiant"), 0, MAX_IDENT))


def _subject(timetable: Timetable, element: Any, idents: _Idents, origin: Origin) -> None:
    code = attribute(element, "Code")
    timetable.subjects[code] = attribute(element, "Libelle")
    idents.subjects[_ident(element)] = code


def _person(timetable: Timetable, element: Any, idents: _Idents, origin: Origin) -> None:
    key = _ident(element)
    born = (element.get("DateNaissance") or "").strip()
    timetable.people[key] = Person(
        key=key,
        last_name=attribute(element, "Nom"),
        first_name=(element.get("Prenom") or "").strip(),
        birth_date=iso_date(born, _("date de naissance")) if born else None,
        origin=origin,
    )
    idents.people.add(key)


def _division(timetable: Timetable, element: Any, idents: _Idents, origin: Origin) -> None:
    code = attribute(element, "Nom")
    timetable.divisions[code] = code
    idents.divisions[_ident(element)] = code
    for part in element.iterfind(_tag("PartieDeClasse")):
        idents.class_parts[_ident(part)] = code


def _group(timetable: Timetable, element: Any, idents: _Idents, origin: Origin) -> None:
    # Groups come after the classes in the file, so their parts resolve to divisions.
    code = attribute(element, "Nom")
    divisions = {idents.divisions.get(_ident(item), "") for item in element.iterfind(_tag("Classe"))}
    divisions |= {idents.class_parts.get(_ident(item), "") for item in element.iterfind(_tag("PartieDeClasse"))}
    timetable.add_group(code, code, divisions - {""})
    idents.groups[_ident(element)] = code


def _room(timetable: Timetable, element: Any, idents: _Idents, origin: Origin) -> None:
    code = attribute(element, "Nom")
    timetable.rooms[code] = ""
    idents.rooms[_ident(element)] = code


def _lesson(
    timetable: Timetable, course: Any, idents: _Idents, first_monday: datetime.date, origin: Origin
) -> ParsedLesson:
    weekday = integer(attribute(course, "Jour"), _("jour"), 1, 7)
    first = integer(attribute(course, "NumeroPlaceDebut"), _("numéro de place"), 0, 1000)
    count = integer(attribute(course, "NombrePlaces"), _("nombre de places"), 1, 1000)
    if first not in idents.places or first + count - 1 not in idents.places:
        raise RowRejected(
            _("places %(first)s à %(last)s absentes de la grille horaire.")
            % {"first": first, "last": first + count - 1}
        )
    subject = course.find(_tag("Matiere"))
    if subject is None:
        raise RowRejected(_("cours sans matière."))
    references = _references(course, idents)
    rooms = references["Salle"]
    return ParsedLesson(
        origin=origin,
        subject=_resolve(idents.subjects, _ident(subject), _("matière")),
        teachers=frozenset(references["Professeur"]),
        divisions=frozenset(references["Classe"] | references["PartieDeClasse"]),
        groups=frozenset(references["Groupe"]),
        # The ENT shows one room per lesson: the first the course lists.
        room=rooms[0] if rooms else "",
        weekday=weekday,
        start=time_of(idents.places[first][0]),
        end=time_of(idents.places[first + count - 1][1]),
        week_pattern=WeekPattern.WEEKS,
        weeks=_weeks(course, first_monday),
    )


def _references(course: Any, idents: _Idents) -> dict[str, Any]:
    """The codes a course refers to, per kind; RowRejected for an Ident the file does not define."""
    tables: dict[str, tuple[dict[str, str], str]] = {
        "Professeur": ({key: key for key in idents.people}, _("enseignant")),
        "Classe": (idents.divisions, _("classe")),
        "PartieDeClasse": (idents.class_parts, _("partie de classe")),
        "Groupe": (idents.groups, _("groupe")),
    }
    found: dict[str, Any] = {kind: set() for kind in tables}
    found["Salle"] = [_resolve(idents.rooms, _ident(room), _("salle")) for room in course.iterfind(_tag("Salle"))]
    for kind, (table, what) in tables.items():
        found[kind] = {_resolve(table, _ident(item), what) for item in course.iterfind(_tag(kind))}
    return found


def _resolve(table: dict[str, str], ident: str, what: str) -> str:
    if ident not in table:
        raise RowRejected(_("%(what)s d'Ident %(ident)s inconnu(e) du fichier.") % {"what": what, "ident": ident})
    return table[ident]


def _weeks(course: Any, first_monday: datetime.date) -> tuple[datetime.date, ...]:
    """The Mondays of the weeks any of the course's teachers, audiences or rooms is there."""
    mask = 0
    for item in course:
        if isinstance(item.tag, str) and item.get("Semaines") is not None:
            mask |= integer(item.get("Semaines"), _("masque de semaines"), 0, MAX_WEEKS)
    return tuple(first_monday + (number - 1) * ONE_WEEK for number in range(mask.bit_length()) if mask >> number & 1)
