"""Import of a school's weekly timetable: files in, weekly lessons and their occurrences out.

`import_timetable` reads the files (the format is told by the XML root element or the CSV
header), checks them against the school (UAI, teachers), then applies them in one transaction
inside the school's scope: missing subjects, rooms, slots, divisions and groups are created,
weekly lessons created, updated or deleted by their source key, teaching assignments completed,
and the dated lessons regenerated from today on. All or nothing: one rejected row refuses the
whole import and the report names file, line and reason of each. A dry run does the same work
and rolls it back, so its counts are exactly what a real run would write.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from schools.models import School
from schools.tenancy import school_scope
from vie_scolaire.timetable.imports import index_education, sts, udt
from vie_scolaire.timetable.imports.applying import Apply
from vie_scolaire.timetable.imports.matching import keyed_lessons, match_teachers
from vie_scolaire.timetable.imports.model import Origin, Timetable, TimetableFormatError
from vie_scolaire.timetable.imports.reading import XmlFile, local_name, parse_xml
from vie_scolaire.timetable.imports.report import Refused, TimetableReport

MAX_FILE_BYTES = 50 * 1024 * 1024


# --- Entry point ---------------------------------------------------------------------------------


def import_timetable(
    *, school: School, paths: Sequence[str | Path], dry_run: bool = False, today: datetime.date | None = None
) -> TimetableReport:
    """Import the timetable files of one school; `today` is the first day whose lessons change."""
    today = today or timezone.localdate()
    report = TimetableReport(uai=school.uai, files=[Path(path).name for path in paths], dry_run=dry_run)
    try:
        timetable = read_timetable(paths)
    except TimetableFormatError as error:
        return report.refuse([error])
    report.warnings.extend(timetable.warnings)
    if timetable.uai and timetable.uai.upper() != school.uai.upper():
        return report.refuse(
            [
                _("%(files)s : ces fichiers concernent l'établissement %(file_uai)s, pas %(uai)s.")
                % {"files": ", ".join(timetable.files), "file_uai": timetable.uai, "uai": school.uai}
            ]
        )
    with school_scope(school):
        try:
            with transaction.atomic():
                Apply(school, timetable, report, today).run()
                if dry_run:
                    transaction.set_rollback(True)
        except Refused:
            pass
    return report


def read_timetable(paths: Sequence[str | Path]) -> Timetable:
    """The timetable the files hold, in whichever of the three formats they are."""
    xml_files: list[XmlFile] = []
    csv_files: list[tuple[str, str]] = []
    for path in paths:
        name = Path(path).name
        data = _read_bytes(Path(path), name)
        if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            xml_files.append(XmlFile(name, parse_xml(data, name)))
            continue
        text = udt.decode(data)
        if not udt.is_udt(text):
            raise TimetableFormatError(
                Origin(name, 1),
                _("format inconnu : ni STS-Web, ni export Index Éducation, ni CSV UDT (Jour;Heure;Div;Matière;…)."),
            )
        csv_files.append((name, text))
    formats = {_format_of(file) for file in xml_files} | ({"udt"} if csv_files else set())
    if len(formats) != 1:
        raise TimetableFormatError(
            Origin(", ".join(Path(path).name for path in paths)),
            _("les fichiers d'un import doivent être d'un seul format (STS-Web, Index Éducation ou UDT)."),
        )
    kind = formats.pop()
    if kind == "sts":
        return sts.read_sts(xml_files)
    if kind == "udt":
        return udt.read_udt(csv_files)
    if len(xml_files) != 1:
        raise TimetableFormatError(
            Origin(", ".join(file.name for file in xml_files)), _("un seul export Index Éducation par import.")
        )
    return index_education.read_index_education(xml_files[0])


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise TimetableFormatError(Origin(name), _("fichier trop volumineux (plus de 50 Mo)."))
        return path.read_bytes()
    except OSError as error:
        raise TimetableFormatError(Origin(name), _("lecture impossible (%(error)s).") % {"error": error}) from None


def _format_of(file: XmlFile) -> str:
    root = local_name(file.root)
    if root in sts.ROOTS:
        return "sts"
    if root in index_education.ROOTS:
        return "index"
    raise TimetableFormatError(
        Origin(file.name, file.root.sourceline),
        _("élément racine « %(root)s » inconnu (STS_EDT, EDT_STS ou ExportEmploiDuTemps attendu).") % {"root": root},
    )


__all__ = ["TimetableReport", "import_timetable", "keyed_lessons", "match_teachers", "read_timetable"]
