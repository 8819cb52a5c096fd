"""The importer's second step: references between records and to the database, before any write."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from annuaire.aaf.read import Export
from annuaire.aaf.report import ImportReport
from schools.models import School
from schools.years import school_year_of


@dataclass
class Context:
    """The database side of the run: schools by structure id, the académie, the year."""

    academy: str
    school_year: int
    schools: dict[str, School]  # structure external id -> School (export and database)


def _academy(export: Export, report: ImportReport) -> str:
    academies = {structure.academy for structure in export.structures.values() if structure.academy}
    if len(academies) > 1:
        report.errors.append(
            _("Un import ne peut mêler plusieurs académies : %(list)s.") % {"list": ", ".join(sorted(academies))}
        )
    if academies:
        return academies.pop()
    known = School.objects.exclude(external_source="").values_list("external_source", flat=True).distinct()
    return next(iter(known), "")


def _referenced_structures(export: Export) -> set[str]:
    ids = {student.structure_id for student in export.students.values()}
    ids |= {structure for student in export.students.values() for structure, _code in student.divisions}
    ids |= {structure for staff in export.staff.values() for structure in staff.profiles}
    return ids


def check(export: Export, report: ImportReport) -> Context:
    academy = _academy(export, report)
    wanted = _referenced_structures(export) - set(export.structures)
    in_database = {
        school.external_id: school for school in School.objects.filter(external_source=academy, external_id__in=wanted)
    }
    known = set(export.structures) | set(in_database)
    for student in export.students.values():
        person = student.person
        for structure in {student.structure_id, *(s for s, _code in student.divisions)}:
            if structure not in known:
                report.errors.append(
                    _(
                        "%(file)s, ligne %(line)s : l'élève %(id)s est rattaché à la structure %(structure)s, "
                        "absente de l'export et de la base."
                    )
                    % {"file": person.file, "line": person.line, "id": person.external_id, "structure": structure}
                )
    for staff in export.staff.values():
        outside = sorted(set(staff.profiles) - known)
        if outside:
            report.warnings.append(
                _("%(file)s, ligne %(line)s : %(id)s sert aussi hors de l'export (%(list)s) : ignoré.")
                % {
                    "file": staff.person.file,
                    "line": staff.person.line,
                    "id": staff.person.external_id,
                    "list": ", ".join(outside),
                }
            )
    year = school_year_of(export.export_date or timezone.localdate())
    return Context(academy=academy, school_year=year, schools=in_database)
