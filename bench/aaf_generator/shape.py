"""The export's shape: file names and parts, jointure key ranges, proportions, each kind's file style."""

import datetime
import re
from pathlib import Path

from annuaire.aaf.writer import KindWriter, Style

PREFIX = "FULL_ENTTSSERVICES"
PART_SIZE = 20_000
DEFAULT_DATE = "20250915"
COMPLETE_DIR = "complet"
DELTA_DIR = "delta"
KINDS = ("EtabEducNat", "MatiereEducNat", "MefEducNat", "Eleve", "PersRelEleve", "PersEducNat")
PEOPLE_KINDS = ("Eleve", "PersRelEleve", "PersEducNat")
FILE_NAME = re.compile(
    r"^FULL_ENTTSSERVICES_(?P<mode>Complet|Delta)_(?P<date>\d{8})_(?P<kind>[A-Za-z]+)_(?P<part>\d{4})\.xml$"
)

# Jointure keys (identifiers of the rectorat), in ranges like the Ministry's.
STRUCTURE_BASE = 50_000
OUTSIDE_STRUCTURE_BASE = 90_000  # structures some staff serve, absent from the export
STAFF_BASE = 2_000_000
STUDENT_BASE = 3_000_000
RELATIVE_BASE = 5_000_000
SCHOOL_NUMBER_BASE = 800_000  # ENTEleveStructRattachId: the student's number in the school
ACADEMY = "PARIS"

COLLEGE_DIVISION_SIZE = 25
LYCEE_DIVISION_SIZE = 32
GROUP_SIZE = 28
SIBLING_SHARE = 0.15  # students who share a family already counted
SIBLING_OTHER_SCHOOL_SHARE = 0.3  # of those, siblings in another school
SECOND_LEGAL_SHARE = 0.85  # families with a second legal representative (when relatives allow it)
MIN_CONTACT_SHARE = 0.12  # of the relatives beyond one per family, at least this share are contacts
SHARED_TEACHER_SHARE = 0.04  # teachers serving a second structure of the export
OUTSIDE_STAFF_PERCENT = 0.5  # staff holding a function in a structure outside the export
SUBJECT_ROWS = 300
MEF_ROWS = 300

# Each kind's file style as in the Ministry's sample (XML declaration, line end, blank line between records).
COMPLETE_STYLE = {
    "EtabEducNat": Style(declaration=True, newline="\r\n", blank_line=True),
    "MatiereEducNat": Style(declaration=True, newline="\r\n", blank_line=True),
    "MefEducNat": Style(declaration=True, newline="\r\n", blank_line=True),
    "Eleve": Style(declaration=False, newline="\n", blank_line=True),
    "PersRelEleve": Style(declaration=False, newline="\r\n", blank_line=False),
    "PersEducNat": Style(declaration=False, newline="\n", blank_line=True),
}
DELTA_STYLE = Style(declaration=True, newline="\r\n", blank_line=True)


def open_writer(directory: Path, mode: str, date: datetime.date, kind: str, style: Style) -> KindWriter:
    return KindWriter(directory, prefix=PREFIX, mode=mode, date=date, kind=kind, style=style, part_size=PART_SIZE)


def prepare(directory: Path) -> None:
    """Make the folder, and remove the export files an earlier run left there."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob(f"{PREFIX}_*.xml"):
        if FILE_NAME.match(old.name):
            old.unlink()
