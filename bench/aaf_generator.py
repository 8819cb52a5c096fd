"""A Paris-size AAF export (ficAlimMENESR), written in the format of the Ministry's own files.

`python -m bench.aaf_generator --out DIR [--schools 100 --students 65000 --relatives 110000
--staff 8000 --seed 1 --delta-percent 1 --date 20250915]` writes

- `DIR/complet/`: a complete export (`FULL_ENTTSSERVICES_Complet_<date>_<Kind>_<NNNN>.xml`), kinds
  EtabEducNat, MatiereEducNat, MefEducNat, Eleve, PersRelEleve, PersEducNat, large kinds split into
  parts of at most 20,000 records;
- `DIR/delta/` (unless `--delta-percent 0`): the next day's Delta export touching that percentage of
  the students, relatives and staff: `addRequest` (newcomers), `modifyRequest` (a whole-record
  `replace`: a student changing division, a relative's new phone, a teacher's new class) and
  `deleteRequest` (leavers), in mixed order, as the Ministry writes them.

The records copy the shapes of `../shared/fixtures/aaf/men-2013-*`: same root, DOCTYPE line,
comment, request structure and attribute names, `$`-separated references through the structure's
jointure key (`ENTEleveClasses` = `structId$division`, `ENTElevePersRelEleve` =
`relId$type$respFinancier$respLegal$contact$paiement`, `ENTPersonFonctions` =
`structId$code$label$discipline$label`, `ENTAuxEnsClassesMatieres` = `structId$division$subject`),
and each kind's file style (XML declaration or not, CRLF or LF). The student's structure is
`ENTPersonStructRattach`; `ENTEleveStructRattachId` is the student's number in that school, as in
the Ministry files.

Proportions: ~90 % collèges (6e-3e, ~25 students per division), ~10 % lycées (2nde, 1re and
terminale S/ES/L, ~30-35 per division); each student has one or two legal representatives
(respLegal 1 and 2) and sometimes contacts (respLegal 0); siblings share their relatives, some in
another school; some teachers serve two structures, a few hold a function in a structure outside
the export (a real case the importer must ignore with a warning).

Deterministic for a seed (same arguments, same bytes). The files are streamed record by record; only
a compact plan of the people is kept in memory.
"""

from __future__ import annotations

import argparse
import datetime
import math
import random
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from annuaire.aaf.writer import Attributes, KindWriter, Style
from schools.uai import expected_check_letter

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
_COMPLETE_STYLE = {
    "EtabEducNat": Style(declaration=True, newline="\r\n", blank_line=True),
    "MatiereEducNat": Style(declaration=True, newline="\r\n", blank_line=True),
    "MefEducNat": Style(declaration=True, newline="\r\n", blank_line=True),
    "Eleve": Style(declaration=False, newline="\n", blank_line=True),
    "PersRelEleve": Style(declaration=False, newline="\r\n", blank_line=False),
    "PersEducNat": Style(declaration=False, newline="\n", blank_line=True),
}
_DELTA_STYLE = Style(declaration=True, newline="\r\n", blank_line=True)

# --- Nomenclatures ----------------------------------------------------------------------------------

# Subjects taught here: code -> (label, discipline code, discipline label of the teachers).
TAUGHT_SUBJECTS: dict[str, tuple[str, str, str]] = {
    "020700": ("FRANCAIS", "L0202", "LETTRES MODERNES"),
    "061300": ("MATHEMATIQUES", "L1300", "MATHEMATIQUES"),
    "040600": ("HISTOIRE ET GEOGRAPHIE", "L1000", "HISTOIRE GEOGRAPHIE"),
    "030201": ("ANGLAIS LV1", "L0422", "ANGLAIS"),
    "030602": ("ESPAGNOL LV2", "L0426", "ESPAGNOL"),
    "030102": ("ALLEMAND LV2", "L0421", "ALLEMAND"),
    "062900": ("SCIENCES DE LA VIE ET DE LA TERRE", "L1600", "SCIENCES DE LA VIE ET DE LA TERRE"),
    "062300": ("PHYSIQUE-CHIMIE", "L1500", "SCIENCES PHYSIQUES ET CHIMIQUES"),
    "070800": ("TECHNOLOGIE", "L1400", "TECHNOLOGIE"),
    "090100": ("ARTS PLASTIQUES", "L1800", "ARTS PLASTIQUES"),
    "081300": ("EDUCATION MUSICALE", "L1700", "EDUCATION MUSICALE"),
    "100100": ("EDUCATION PHYSIQUE ET SPORTIVE", "L1900", "EDUCATION PHYSIQUE ET SPORTIVE"),
    "020100": ("LATIN", "L0201", "LETTRES CLASSIQUES"),
    "010300": ("PHILOSOPHIE", "L0100", "PHILOSOPHIE"),
    "050700": ("SCIENCES ECONOMIQUES ET SOCIALES", "L1100", "SCIENCES ECONOMIQUES ET SOCIALES"),
}
_OTHER_SUBJECTS = {
    "006600": "ACCOMPAGNEMENT PERSONNALISE",
    "008400": "VIE DE CLASSE",
    "041400": "EDUCATION CIVIQUE",
    "005400": "VIE SCOLAIRE",
    "020200": "GREC ANCIEN",
    "062400": "SCIENCES PHYSIQUES",
    "061500": "MATHEMATIQUES APPLIQUEES",
    "275700": "HISTOIRE DES ARTS",
    "043300": "FRANCAIS  HIST.-GEO. EDUCATION CIVIQUE",
    "009800": "ACCCOMPAGN.EDUCATIF- AIDE DEVOIRS LECONS",
}
_LANGUAGES = (
    "ALLEMAND", "ANGLAIS", "ARABE", "CHINOIS", "DANOIS", "ESPAGNOL", "GREC MODERNE", "HEBREU", "ITALIEN",
    "JAPONAIS", "NEERLANDAIS", "POLONAIS", "PORTUGAIS", "RUSSE", "TURC", "VIETNAMIEN", "CORSE", "BRETON",
    "OCCITAN-LANGUE D'OC", "ARMENIEN", "CAMBODGIEN", "FINNOIS", "HONGROIS", "NORVEGIEN", "PERSAN",
    "ROUMAIN", "SUEDOIS", "TCHEQUE", "BAMBARA", "TAMOUL",
)  # fmt: skip
_LANGUAGE_LEVELS = (
    ("01", "LV1"), ("02", "LV2"), ("03", "LV3"), ("04", "LV RENFORCE"), ("05", "LV DEBUTANT"),
    ("11", "LV1  CORRESP."), ("12", "LV2  CORRESP."), ("13", "LV3  CORRESP."),
)  # fmt: skip


def subject_nomenclature() -> list[tuple[str, str]]:
    """(code, label) of the MatiereEducNat file: the taught subjects among a few hundred rows."""
    rows = {code: label for code, (label, _d, _dl) in TAUGHT_SUBJECTS.items()}
    for code, label in _OTHER_SUBJECTS.items():
        rows.setdefault(code, label)
    number = 0
    while len(rows) < SUBJECT_ROWS:
        language = _LANGUAGES[number // len(_LANGUAGE_LEVELS) % len(_LANGUAGES)]
        suffix, level = _LANGUAGE_LEVELS[number % len(_LANGUAGE_LEVELS)]
        if number < len(_LANGUAGES) * len(_LANGUAGE_LEVELS):
            code = f"03{number // len(_LANGUAGE_LEVELS) + 1:02d}{suffix}"
            rows.setdefault(code, f"{language} {level}")
        else:
            rows.setdefault(f"9{number:05d}", f"OPTION FACULTATIVE {number}")
        number += 1
    return sorted(rows.items(), key=lambda row: (row[1], row[0]))


@dataclass(frozen=True)
class Track:
    """A kind of division: its MEF, its level's age and subjects, its optional groups."""

    level: str  # "6".."3" in collège, "2", "1", "T" in lycée (prefix of the groups)
    code: str  # prefix of the division codes: "6", "2NDE", "1S", "TES"
    label: str  # prefix of the division labels: "6EME", "SECONDE", "1ERE S"
    mef: str
    mef_label: str
    age: int  # age reached during the first calendar year of the school year
    subjects: tuple[str, ...]
    weight: float  # share of the school's students
    lettered: bool  # "6A", "6B"... rather than "2NDE1", "2NDE2"...


_CORE = ("020700", "061300", "040600", "030201", "100100")
_COLLEGE = (*_CORE, "062900", "062300", "070800", "090100", "081300")
COLLEGE_TRACKS = (
    Track("6", "6", "6EME", "10010012110", "6EME", 11, (*_CORE, "062900", "070800", "090100", "081300"), 1, True),
    Track("5", "5", "5EME", "10110001110", "5EME", 12, _COLLEGE, 1, True),
    Track("4", "4", "4EME", "10210001110", "4EME", 13, _COLLEGE, 1, True),
    Track("3", "3", "3EME", "10310019110", "3EME", 14, _COLLEGE, 1, True),
)
LYCEE_TRACKS = (
    Track("2", "2NDE", "SECONDE", "20010015110", "2DEGT2 (CAS GENERAL 2 ENS.EXPLO)", 15,
          (*_CORE, "062900", "062300", "050700"), 0.40, False),
    Track("1", "1S", "1ERE S", "20111010110", "PREMIERE SCIENTIFIQUE SVT", 16, (*_CORE, "062900", "062300"),
          0.15, False),
    Track("1", "1ES", "1ERE ES", "20112005110", "PREMIERE ECONOMIQUE ET SOCIALE", 16, (*_CORE, "050700"), 0.10, False),
    Track("1", "1L", "1ERE L", "20113019110", "PREMIERE  LITTERAIRE", 16, ("020700", "040600", "030201", "100100"),
          0.05, False),
    Track("T", "TS", "TERMINALE S", "20211010110", "TERMINALE SCIENTIFIQUE SVT", 17,
          ("010300", "061300", "040600", "030201", "100100", "062900", "062300"), 0.15, False),
    Track("T", "TES", "TERMINALE ES", "20212005110", "TERMINALE ECONOMIQUE ET SOCIALE", 17,
          ("010300", "061300", "040600", "030201", "100100", "050700"), 0.10, False),
    Track("T", "TL", "TERMINALE L", "20213019110", "TERMINALE  LITTERAIRE", 17,
          ("010300", "020700", "040600", "030201", "100100"), 0.05, False),
)  # fmt: skip
_LEVEL_LABELS = {"6": "6EME", "5": "5EME", "4": "4EME", "3": "3EME", "2": "SECONDE", "1": "PREMIERE", "T": "TERMINALE"}
# Optional groups by level: exclusive choices of (subject, share of the level's students).
_OPTIONS: dict[str, tuple[tuple[tuple[str, float], ...], ...]] = {
    "6": (),
    "5": ((("030602", 0.7), ("030102", 0.3)), (("020100", 0.2),)),
    "4": ((("030602", 0.7), ("030102", 0.3)), (("020100", 0.2),)),
    "3": ((("030602", 0.7), ("030102", 0.3)), (("020100", 0.15),)),
    "2": ((("030602", 0.7), ("030102", 0.3)),),
    "1": ((("030602", 0.7), ("030102", 0.3)),),
    "T": ((("030602", 0.7), ("030102", 0.3)),),
}
_GROUP_SHORT = {"030602": "ESP", "030102": "ALL", "020100": "LAT"}
_MEF_VARIANTS = (
    ("1", "INTERNATIONALE"), ("2", "EUROPEENNE"), ("3", "BILINGUE"),
    ("6", "SECTION SPORT HAUT NIVEAU"), ("7", "SECTION SPORTIVE"),
)  # fmt: skip


def mef_nomenclature() -> list[tuple[str, str]]:
    """(code, label) of the MefEducNat file: the tracks' MEFs, their variants and vocational rows."""
    rows: dict[str, str] = {}
    for track in (*COLLEGE_TRACKS, *LYCEE_TRACKS):
        rows[track.mef] = track.mef_label
        for digit, variant in _MEF_VARIANTS:
            rows.setdefault(track.mef[:-1] + digit, f"{track.mef_label.split(' ')[0]} {variant}")
    number = 0
    while len(rows) < MEF_ROWS:
        year = "1" if number % 2 == 0 else "2"
        rows.setdefault(f"24{number:06d}{year}10", f"{year}CAP2  SPECIALITE {number // 2 + 1}")
        number += 1
    return sorted(rows.items())


# --- Names -------------------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


SURNAMES = [
    *_words(
        "MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL LEFEBVRE LEROY ROUX "
        "DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE ROUSSEAU VINCENT MULLER LEFEVRE FAURE "
        "ANDRE MERCIER BLANC GUERIN BOYER GARNIER CHEVALIER FRANCOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLEMENT "
        "MORIN NICOLAS HENRY ROUSSEL MATHIEU GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT MARIE LEMAIRE NOEL MEYER "
        "DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY RIVIERE LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GERARD "
        "ROCHE RENARD SCHMITT ROY LEROUX COLIN VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD DUMAS LACROIX "
        "OLIVIER PHILIPPE BOURGEOIS PIERRE BENOIT REY LECLERC PAYET ROLLAND LECLERCQ GUILLAUME LECOMTE LOPEZ JEAN "
        "DUPUY GUILLOT HUBERT BERGER CARPENTIER SANCHEZ DUPUIS MOULIN LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER "
        "FLEURY ROYER KLEIN JACQUET ADAM PARIS POIRIER MARTY AUBRY GUYOT CARRE CHARLES RENAULT CHARPENTIER MENARD "
        "MAILLARD BARON BERTIN BAILLY HERVE SCHNEIDER FERNANDEZ COLLET LEGER BOUVIER JULIEN PREVOST MILLET PERROT "
        "DANIEL COUSIN GERMAIN BRETON BESSON LANGLOIS REMY PELLETIER LEVEQUE PERRIER LEBLANC BARRE LEBRUN MARCHAL "
        "WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD RODRIGUEZ GUICHARD GILLET ETIENNE POULAIN TESSIER "
        "CHAUVIN BOUCHET GAY LEMAITRE BENARD MARECHAL HUMBERT REYNAUD ANTOINE PERRET BARTHELEMY CORDIER PICHON "
        "LEJEUNE GILBERT LAMY DELAUNAY PASQUIER CARLIER LAPORTE DIALLO TRAORE NGUYEN TRAN KONE HADDAD COHEN LEVY "
        "BENSAID CAMARA SYLLA DIARRA MENDY WANG CHEN ZHANG OUMAR BELKACEM"
    ),
    *("D'ALMEIDA", "N'DIAYE", "LE GALL", "LE GOFF", "DA SILVA", "BEN ALI", "DUPONT-MOREAU", "DE LA TOUR"),
]
GIRLS = _words(
    "Emma Jade Louise Alice Chloé Lina Léa Rose Anna Mila Inès Ambre Julia Mia Léna Manon Juliette Lou Zoé "
    "Camille Agathe Jeanne Lucie Éva Nina Sarah Romane Iris Adèle Louna Margaux Charlotte Victoria Léonie "
    "Clémence Maëlys Héloïse Anaïs Yasmine Fatoumata Aïcha Marie-Lou Anne-Sophie Nour Sofia Salomé Capucine"
)
BOYS = _words(
    "Gabriel Léo Raphaël Arthur Louis Jules Adam Maël Lucas Hugo Noah Liam Gabin Sacha Paul Nathan Aaron "
    "Mohamed Ethan Tom Éden Théo Noé Victor Martin Axel Timéo Marius Nolan Enzo Baptiste Mathis Rayan Samuel "
    "Antoine Clément Jean-Baptiste Côme Joachim Amir Ibrahim Moussa Elias Youssef Malo Anatole Joseph"
)
WOMEN = _words(
    "Nathalie Isabelle Sylvie Catherine Valérie Sandrine Christine Stéphanie Céline Sophie Véronique Aurélie "
    "Hélène Caroline Laurence Émilie Julie Karima Fatima Mariam Leïla Amélie Anne-Claire Marie-Hélène Élodie"
)
MEN = _words(
    "Philippe Stéphane Christophe Frédéric Laurent Olivier Nicolas Éric Thierry Sébastien Karim Mamadou "
    "Jérôme Vincent David Pascal Franck Rachid Jean-Marc Pierre-Yves Hervé Benoît François Grégory Mehdi"
)
COLLEGE_NAMES = (
    "VOLTAIRE", "GEORGES BRASSENS", "JEAN MOULIN", "GEORGE SAND", "VICTOR HUGO", "JULES FERRY", "PIERRE CURIE",
    "MARIE CURIE", "JEAN JAURES", "COLETTE", "CLAUDE DEBUSSY", "FRANCOISE DOLTO", "RAVEL", "MOLIERE",
    "LA FONTAINE", "JEAN-BAPTISTE SAY", "GUILLAUME APOLLINAIRE", "ALICE GUY", "ANNE FRANK", "ARAGO",
    "BEAUMARCHAIS", "CAMILLE CLAUDEL", "CHARLES PEGUY", "CLEMENT ADER", "CONDORCET", "DIDEROT", "DORA MAAR",
    "EDGAR VARESE", "EDMOND MICHELET", "ELSA TRIOLET", "EMILE ZOLA", "EUGENE DELACROIX", "FRANCOIS COUPERIN",
    "GABRIEL FAURE", "GERARD PHILIPE", "GUSTAVE FLAUBERT", "HECTOR BERLIOZ", "HENRI BERGSON", "JACQUES PREVERT",
    "JEAN DE LA FONTAINE", "JEAN-FRANCOIS OEBEN", "JOSEPH BARA", "JULES VERNE", "LAMARTINE", "LAVOISIER",
    "LEON BLUM", "LUCIE AUBRAC", "MAURICE RAVEL", "MAXIMILIEN VOX", "MONTAIGNE", "MONTGOLFIER", "OLYMPE DE GOUGES",
    "PAUL VERLAINE", "PIERRE MENDES FRANCE", "POQUELIN", "RAYMOND QUENEAU", "ROBERT DOISNEAU", "ROGNONI",
    "SAINT-EXUPERY", "SEVIGNE", "SONIA DELAUNAY", "STEPHANE MALLARME", "THEOPHILE GAUTIER", "TURGOT",
    "VALMY", "VERLOMME", "ANDRE CITROEN", "AIME CESAIRE", "ALBERT CAMUS", "ALPHONSE DAUDET", "ANTOINE COYSEVOX",
    "AUGUSTE RENOIR", "BERTHE MORISOT", "BORIS VIAN", "CESAR FRANCK", "CHARLES MOULIN", "CLAUDE CHAPPE",
    "DANIELLE CASANOVA", "EVARISTE GALOIS", "FLORA TRISTAN", "GEORGES COURTELINE", "GERMAINE TILLION",
    "HONORE DE BALZAC", "JEAN PERRIN", "JEAN-ANTOINE DE BAIF", "LAZARE PONTICELLI", "MARX DORMOY",
    "MATHURIN REGNIER", "MICHELET", "PAUL BERT", "PIERRE ALVISET", "SUZANNE LACORE", "THOMAS MANN",
)  # fmt: skip
LYCEE_NAMES = (
    "CHARLEMAGNE", "HELENE BOUCHER", "VICTOR DURUY", "SOPHIE GERMAIN", "PAUL VALERY", "MAURICE RAVEL",
    "DIDEROT", "JULES SIEGFRIED", "SIMONE WEIL", "ARAGO", "CHAPTAL", "EDGAR QUINET", "LAVOISIER",
    "HENRI BERGSON", "JACQUES DECOUR", "ELISA LEMONNIER", "FENELON", "LAMARTINE", "MONTAIGNE", "RACINE",
)  # fmt: skip
STREETS = (
    "RUE DE RIVOLI", "BOULEVARD VOLTAIRE", "RUE DE LA ROQUETTE", "AVENUE DE CLICHY", "RUE DE BELLEVILLE",
    "RUE DES PYRENEES", "BOULEVARD DE MAGENTA", "RUE DE VAUGIRARD", "AVENUE D'ITALIE", "RUE DU FAUBOURG SAINT-ANTOINE",
    "RUE DE CHARONNE", "RUE ORDENER", "RUE DE MENILMONTANT", "AVENUE PARMENTIER", "RUE LECOURBE",
)  # fmt: skip

# Non-teaching functions, in the order a school gets them: (code, label, discipline code, label).
STAFF_FUNCTIONS = (
    ("DIR", "DIRECTION", "D0010", "DIRECTION CHEF D'ETABLISSEMENT"),
    ("EDU", "EDUCATION", "E0030", "EDUCATION  (CE ,CPE)"),
    ("DIR", "DIRECTION", "D0011", "DIRECTION ADJOINT AU CHEF ETABLISSEMENT"),
    ("DOC", "DOCUMENTATION", "L0080", "DOCUMENTATION"),
    ("ADF", "PERSONNELS ADMINISTRATIFS", "P9101", "FONCTION ADMINISTRATIVE"),
    ("AED", "ASSISTANT D'EDUCATION", "S0054", "ENCADRE. SUR. DES ELEVES (HORS INTERNAT)"),
    ("ADF", "PERSONNELS ADMINISTRATIFS", "P9101", "FONCTION ADMINISTRATIVE"),
    ("EDU", "EDUCATION", "E0030", "EDUCATION  (CE ,CPE)"),
    ("AED", "ASSISTANT D'EDUCATION", "S0054", "ENCADRE. SUR. DES ELEVES (HORS INTERNAT)"),
    ("ADF", "PERSONNELS ADMINISTRATIFS", "P9101", "FONCTION ADMINISTRATIVE"),
    ("ORI", "ORIENTATION", "O0040", "ORIENTATION"),
    ("AED", "ASSISTANT D'EDUCATION", "S0093", "AIDE DEVOIRS ET LECONS"),
)
NON_TEACHING_SHARE = 0.15


def _fold(text: str) -> str:
    """ASCII lower case for e-mail addresses: accents dropped, spaces and apostrophes removed."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9-]", "", ascii_text.lower())


def _apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in integers proportional to `weights` (largest remainders; exact sum)."""
    if not weights:
        return []
    weight_sum = sum(weights)
    if weight_sum <= 0:
        return [total if index == 0 else 0 for index in range(len(weights))]
    shares = [total * weight / weight_sum for weight in weights]
    counts = [math.floor(share) for share in shares]
    order = sorted(range(len(weights)), key=lambda index: (counts[index] - shares[index], index))
    for index in order[: total - sum(counts)]:
        counts[index] += 1
    return counts


# --- The plan --------------------------------------------------------------------------------------


@dataclass(slots=True)
class Division:
    code: str
    label: str
    track: Track


@dataclass(slots=True)
class Group:
    code: str
    label: str
    subject: str


@dataclass(slots=True)
class School:
    index: int
    jointure: str
    uai: str
    kind: str  # "CLG" | "LYC"
    name: str
    postal_code: str
    street: str
    divisions: list[Division] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    student_count: int = 0


@dataclass(slots=True)
class Student:
    school: int
    division: int
    groups: list[int]
    sn: str
    given: str
    other_given: list[str]
    title: str
    birth: str
    grant: str
    regime: str
    family: int = -1
    ident: str = ""
    number: str = ""


@dataclass(slots=True)
class Relative:
    ident: str
    sn: str
    birth_name: str
    given: str
    title: str
    relationship: str  # 1 père, 2 mère, 3 tuteur, 4 autre membre de la famille, 6 autre lien
    legal: int  # 1 or 2: legal representative; 0: contact
    financial: str
    contact: str
    phone: str
    home_phone: str
    mail: str
    street: str
    postal_code: str


@dataclass(slots=True)
class Staff:
    ident: str
    school: int  # ENTPersonStructRattach
    sn: str
    given: str
    title: str
    birth: str
    mail: str
    discipline: str = ""  # subject code of a teacher, "" for other staff
    functions: list[tuple[str, tuple[str, str, str, str]]] = field(default_factory=list)  # (structId, function)
    class_subjects: list[tuple[str, str, str]] = field(default_factory=list)  # (structId, division, subject)
    group_subjects: list[tuple[str, str, str]] = field(default_factory=list)
    head_of: list[tuple[str, str]] = field(default_factory=list)  # (structId, division)


@dataclass
class Plan:
    date: datetime.date
    schools: list[School]
    students: list[Student]
    families: list[list[int]]  # family -> relative indices (legal 1, legal 2, contacts)
    relatives: list[Relative]
    staff: list[Staff]
    mefs: dict[str, str]
    subjects: dict[str, str]
    tracks: dict[tuple[str, str], Track] = field(default_factory=dict)  # (structId, division) -> track

    def __post_init__(self) -> None:
        for school in self.schools:
            for division in school.divisions:
                self.tracks[(school.jointure, division.code)] = division.track


def school_uai(index: int) -> str:
    """A Paris UAI (075xxxx) with its check letter."""
    digits = f"075{1000 + index * 7:04d}"
    return digits + expected_check_letter(digits)


class _Planner:
    def __init__(self, rng: random.Random, date: datetime.date) -> None:
        self.rng = rng
        self.date = date
        self.year = date.year if date.month >= 8 else date.year - 1  # first year of the school year

    def name_pair(self, girl: bool, adult: bool = False) -> tuple[str, str]:
        pool = (WOMEN if girl else MEN) if adult else (GIRLS if girl else BOYS)
        return self.rng.choice(SURNAMES), self.rng.choice(pool)

    def birth(self, year: int) -> str:
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=self.rng.randrange(365))
        return day.strftime("%d/%m/%Y")

    def phone(self, mobile: bool) -> str:
        return ("0" + self.rng.choice("67") if mobile else "01") + f"{self.rng.randrange(10**8):08d}"

    # Schools and divisions
    def schools(self, count: int, students: int) -> list[School]:
        lycees = count // 10 if count >= 10 else (1 if count >= 2 else 0)
        kinds = ["CLG"] * (count - lycees) + ["LYC"] * lycees
        result = []
        for index, kind in enumerate(kinds):
            names = COLLEGE_NAMES if kind == "CLG" else LYCEE_NAMES
            position = index if kind == "CLG" else index - (count - lycees)
            name = names[position % len(names)]
            if position >= len(names):
                name = f"{name} {position // len(names) + 1}"
            arrondissement = index % 20 + 1
            result.append(
                School(
                    index=index,
                    jointure=str(STRUCTURE_BASE + index),
                    uai=school_uai(index),
                    kind=kind,
                    name=name,
                    postal_code=f"750{arrondissement:02d}",
                    street=f"{self.rng.randrange(1, 120)} {self.rng.choice(STREETS)}",
                )
            )
        weights = [(1.0 if school.kind == "CLG" else 1.8) * self.rng.uniform(0.75, 1.25) for school in result]
        for school, size in zip(result, _apportion(students, weights), strict=True):
            school.student_count = size
        return result

    def fill_school(self, school: School, students: list[Student]) -> None:
        """Divisions, groups and students of one school (appended to `students`)."""
        tracks = COLLEGE_TRACKS if school.kind == "CLG" else LYCEE_TRACKS
        size = COLLEGE_DIVISION_SIZE if school.kind == "CLG" else LYCEE_DIVISION_SIZE
        by_level: dict[str, list[Student]] = {}
        for track, count in zip(tracks, _apportion(school.student_count, [t.weight for t in tracks]), strict=True):
            if count == 0:
                continue
            divisions = max(1, round(count / size))
            first = len(school.divisions)
            for number in range(1, divisions + 1):
                if track.lettered and number <= 26:
                    suffix = chr(ord("A") + number - 1)
                    school.divisions.append(Division(f"{track.code}{suffix}", f"{track.label} {suffix}", track))
                else:
                    school.divisions.append(Division(f"{track.code}{number}", f"{track.label} {number}", track))
            for position in range(count):
                student = self.student(school, first + position % divisions, track)
                students.append(student)
                by_level.setdefault(track.level, []).append(student)
        for level, members in by_level.items():
            for choices in _OPTIONS[level]:
                chosen: dict[str, list[Student]] = {subject: [] for subject, _share in choices}
                for student in members:
                    draw = self.rng.random()
                    for subject, share in choices:
                        if draw < share:
                            chosen[subject].append(student)
                            break
                        draw -= share
                for subject, takers in chosen.items():
                    if not takers:
                        continue
                    count = math.ceil(len(takers) / GROUP_SIZE)
                    first = len(school.groups)
                    for number in range(1, count + 1):
                        code = f"{level}{_GROUP_SHORT[subject]}{number}"
                        label = f"{_LEVEL_LABELS[level]} {TAUGHT_SUBJECTS[subject][0]} {number}"
                        school.groups.append(Group(code, label, subject))
                    for position, student in enumerate(takers):
                        student.groups.append(first + position % count)

    def student(self, school: School, division: int, track: Track) -> Student:
        girl = self.rng.random() < 0.5
        sn, given = self.name_pair(girl)
        others = [self.rng.choice(GIRLS if girl else BOYS) for _ in range(self.rng.choice((0, 0, 1, 1, 2)))]
        return Student(
            school=school.index,
            division=division,
            groups=[],
            sn=sn,
            given=given,
            other_given=others,
            title="Mlle" if girl else "M.",
            birth=self.birth(self.year - track.age),
            grant="O" if self.rng.random() < 0.25 else "N",
            regime=self.rng.choice(("DEMI-PENSIONNAIRE DANS L'ETABLISSEMENT", "EXTERNE LIBRE")),
        )

    # Families and relatives
    def relative(self, ident: str, family_name: str, legal: int, partner: Relative | None, school: School) -> Relative:
        rng = self.rng
        if legal == 1:
            relationship = rng.choices(("2", "1", "3"), (55, 40, 5))[0]
        elif legal == 2:
            relationship = "1" if partner is not None and partner.relationship == "2" else "2"
        else:
            relationship = rng.choice(("4", "4", "6"))
        woman = relationship == "2" or (relationship != "1" and rng.random() < 0.6)
        sn, given = self.name_pair(woman, adult=True)
        birth_name = sn
        if relationship in ("1", "2") and not (woman and rng.random() < 0.25):
            sn = family_name
            if not woman:
                birth_name = sn
        if partner is not None:
            street, postal_code = partner.street, partner.postal_code
        else:
            street = f"{rng.randrange(1, 200)} {rng.choice(STREETS)}"
            postal_code = school.postal_code if rng.random() < 0.8 else f"750{rng.randrange(1, 21):02d}"
        mail = f"{_fold(given)}.{_fold(sn)}{rng.randrange(100)}@example.org" if rng.random() < 0.7 else ""
        return Relative(
            ident=ident,
            sn=sn,
            birth_name=birth_name,
            given=given,
            title="Mme" if woman else "M.",
            relationship=relationship,
            legal=legal,
            financial="1" if legal == 1 or (legal == 2 and rng.random() < 0.2) else "0",
            contact="1" if legal == 0 or rng.random() < 0.15 else "0",
            phone=self.phone(mobile=True),
            home_phone=self.phone(mobile=False) if rng.random() < 0.5 else "",
            mail=mail,
            street=street,
            postal_code=postal_code,
        )

    def families(
        self, schools: list[School], students: list[Student], relative_count: int, next_ident: int
    ) -> tuple[list[list[int]], list[Relative]]:
        """Group the students (already in id order) into families and create their relatives."""
        rng = self.rng
        if not students or relative_count == 0:
            return [], []
        family_count = min(len(students), relative_count, max(1, round(len(students) * (1 - SIBLING_SHARE))))
        founders = sorted(rng.sample(range(len(students)), family_count))
        founder_set = set(founders)
        by_school: dict[int, list[int]] = {}
        for family, index in enumerate(founders):
            students[index].family = family
            by_school.setdefault(students[index].school, []).append(family)
        for index, student in enumerate(students):
            if index in founder_set:
                continue
            same_school = by_school.get(student.school)
            if same_school and rng.random() >= SIBLING_OTHER_SCHOOL_SHARE:
                student.family = rng.choice(same_school)
            else:
                student.family = rng.randrange(family_count)
            student.sn = students[founders[student.family]].sn
        extra = relative_count - family_count
        reserved = round(extra * MIN_CONTACT_SHARE)
        second = set(rng.sample(range(family_count), min(extra - reserved, round(family_count * SECOND_LEGAL_SHARE))))
        contacts: dict[int, int] = {}
        for _ in range(extra - len(second)):
            family = rng.randrange(family_count)
            contacts[family] = contacts.get(family, 0) + 1
        families: list[list[int]] = []
        relatives: list[Relative] = []
        for family, founder in enumerate(founders):
            student = students[founder]
            school = schools[student.school]
            members: list[int] = []
            first = self.relative(str(next_ident + len(relatives)), student.sn, 1, None, school)
            members.append(len(relatives))
            relatives.append(first)
            if family in second:
                members.append(len(relatives))
                relatives.append(self.relative(str(next_ident + len(relatives)), student.sn, 2, first, school))
            for _ in range(contacts.get(family, 0)):
                members.append(len(relatives))
                relatives.append(self.relative(str(next_ident + len(relatives)), student.sn, 0, None, school))
            families.append(members)
        return families, relatives

    # Staff
    def staff_member(self, ident: str, school: School, woman: bool | None = None) -> Staff:
        woman = self.rng.random() < 0.6 if woman is None else woman
        sn, given = self.name_pair(woman, adult=True)
        given = _fold(given).upper().replace("-", " ") if self.rng.random() < 0.5 else given.upper()
        return Staff(
            ident=ident,
            school=school.index,
            sn=sn,
            given=given,
            title="Mme" if woman else "M.",
            birth=self.birth(self.year - self.rng.randrange(24, 64)),
            mail="",
        )

    def staff(self, school_list: list[School], total: int) -> list[Staff]:
        rng = self.rng
        counts = _apportion(total, [school.student_count + 20 for school in school_list])
        members: list[Staff] = []
        teachers_by: dict[tuple[int, str], list[Staff]] = {}
        for school, count in zip(school_list, counts, strict=True):
            non_teaching = count if count <= 1 else min(len(STAFF_FUNCTIONS), max(1, round(count * NON_TEACHING_SHARE)))
            for function in STAFF_FUNCTIONS[:non_teaching]:
                person = self.staff_member("", school)
                person.functions.append((school.jointure, function))
                members.append(person)
            slots: dict[str, list[tuple[bool, int]]] = {}  # subject -> (is a group, index)
            for index, division in enumerate(school.divisions):
                for subject in division.track.subjects:
                    slots.setdefault(subject, []).append((False, index))
            for index, group in enumerate(school.groups):
                slots.setdefault(group.subject, []).append((True, index))
            subjects = sorted(slots)
            teacher_counts = _apportion(count - non_teaching, [len(slots[subject]) for subject in subjects])
            for subject, teacher_count in zip(subjects, teacher_counts, strict=True):
                teachers = []
                for _ in range(teacher_count):
                    person = self.staff_member("", school)
                    person.discipline = subject
                    person.functions.append((school.jointure, _teaching_function(subject)))
                    teachers.append(person)
                    members.append(person)
                teachers_by[(school.index, subject)] = teachers
                for position, (is_group, index) in enumerate(slots[subject]):
                    if not teachers:
                        break
                    teacher = teachers[position * len(teachers) // len(slots[subject])]
                    if is_group:
                        teacher.group_subjects.append((school.jointure, school.groups[index].code, subject))
                    else:
                        teacher.class_subjects.append((school.jointure, school.divisions[index].code, subject))
            self._head_teachers(school, [t for subject in subjects for t in teachers_by[(school.index, subject)]])
        all_teachers = [person for person in members if person.discipline]
        if len(school_list) >= 2 and len(all_teachers) >= 2:
            self._share_teachers(school_list, all_teachers, teachers_by)
        outside = round(total * OUTSIDE_STAFF_PERCENT / 100)
        for number, person in enumerate(rng.sample(all_teachers, min(outside, len(all_teachers)))):
            jointure = str(OUTSIDE_STRUCTURE_BASE + number)
            person.functions.append((jointure, _teaching_function(person.discipline)))
            person.class_subjects.append((jointure, "3A", person.discipline))
        rng.shuffle(members)
        mails: dict[str, int] = {}
        for number, person in enumerate(members):
            person.ident = str(STAFF_BASE + number)
            local = f"{_fold(person.given)}.{_fold(person.sn)}"
            mails[local] = mails.get(local, 0) + 1
            person.mail = f"{local}{mails[local] if mails[local] > 1 else ''}@ac-paris.fr"
        return members

    def _head_teachers(self, school: School, teachers: list[Staff]) -> None:
        heads: dict[int, int] = {}
        for division in school.divisions:
            candidates = [t for t in teachers if any(code == division.code for _s, code, _m in t.class_subjects)]
            if not candidates:
                continue
            chosen = min(candidates, key=lambda t: heads.get(id(t), 0))
            heads[id(chosen)] = heads.get(id(chosen), 0) + 1
            chosen.head_of.append((school.jointure, division.code))

    def _share_teachers(
        self, schools: list[School], teachers: list[Staff], teachers_by: dict[tuple[int, str], list[Staff]]
    ) -> None:
        """Some teachers also teach in a second structure: they take over classes of a colleague there."""
        wanted = max(1, round(len(teachers) * SHARED_TEACHER_SHARE))
        for teacher in self.rng.sample(teachers, min(wanted, len(teachers))):
            others = [s for s in schools if s.index != teacher.school]
            for other in self.rng.sample(others, len(others)):
                colleagues = [c for c in teachers_by.get((other.index, teacher.discipline), []) if c.class_subjects]
                if not colleagues:
                    continue
                donor = max(colleagues, key=lambda c: len(c.class_subjects))
                if len(donor.class_subjects) < 2:
                    continue
                moved = donor.class_subjects[-1]
                del donor.class_subjects[-1]
                donor.head_of = [head for head in donor.head_of if head[1] != moved[1]]
                teacher.class_subjects.append(moved)
                teacher.functions.append((other.jointure, _teaching_function(teacher.discipline)))
                break


def _teaching_function(subject: str) -> tuple[str, str, str, str]:
    _label, discipline, discipline_label = TAUGHT_SUBJECTS[subject]
    return ("ENS", "ENSEIGNEMENT", discipline, discipline_label)


def make_plan(
    *, schools: int, students: int, relatives: int, staff: int, seed: int, date: datetime.date
) -> tuple[Plan, random.Random]:
    if schools < 1 or schools > 8_000:
        raise ValueError("--schools must be between 1 and 8000 (Paris UAIs 075xxxx).")
    if min(students, relatives, staff) < 0:
        raise ValueError("counts must not be negative.")
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    planner = _Planner(rng, date)
    school_list = planner.schools(schools, students)
    student_list: list[Student] = []
    for school in school_list:
        planner.fill_school(school, student_list)
    rng.shuffle(student_list)
    for number, student in enumerate(student_list):
        student.ident = str(STUDENT_BASE + number)
        student.number = str(SCHOOL_NUMBER_BASE + number)
    families, relative_list = planner.families(school_list, student_list, relatives, RELATIVE_BASE)
    staff_list = planner.staff(school_list, staff)
    plan = Plan(
        date=date,
        schools=school_list,
        students=student_list,
        families=families,
        relatives=relative_list,
        staff=staff_list,
        mefs=dict(mef_nomenclature()),
        subjects=dict(subject_nomenclature()),
    )
    return plan, rng


# --- Records -----------------------------------------------------------------------------------------


def structure_attributes(school: School) -> Attributes:
    prefix = "CLG" if school.kind == "CLG" else "LYC"
    return [
        ("ENTStructureJointure", (school.jointure,)),
        ("ENTStructureUAI", (school.uai,)),
        ("ENTEtablissementUAI", (school.uai,)),
        ("ENTStructureSIREN", ("",)),
        ("ENTStructureNomCourant", (f"{prefix}${prefix} {school.name}$PARIS",)),
        ("ENTStructureTypeStruct", (prefix,)),
        ("ENTEtablissementMinistereTutelle", ()),
        ("ENTEtablissementContrat", ("PU",)),
        ("postOfficeBox", ()),
        ("street", (school.street,)),
        ("postalCode", (school.postal_code,)),
        ("l", ("PARIS",)),
        ("telephoneNumber", (f"01{40000000 + school.index * 1013:08d}",)),
        ("facsimileTelephoneNumber", ()),
        ("ENTEtablissementStructRattachFctl", ()),
        ("ENTEtablissementBassin", ()),
        ("ENTServAcAcademie", (ACADEMY,)),
        ("ENTStructureClasses", [f"{d.code}${d.label}" for d in school.divisions]),
        ("ENTStructureGroupes", [f"{g.code}${g.label}" for g in school.groups]),
    ]


def student_attributes(plan: Plan, student: Student) -> Attributes:
    school = plan.schools[student.school]
    division = school.divisions[student.division]
    track = division.track
    relatives = [plan.relatives[index] for index in plan.families[student.family]] if student.family >= 0 else []
    legal = [r for r in relatives if r.legal]
    contacts = [r for r in relatives if not r.legal]
    father = [r.ident for r in legal if r.relationship == "1"][:1]
    mother = [r.ident for r in legal if r.relationship == "2"][:1]
    subjects = list(track.subjects) + [school.groups[g].subject for g in student.groups]
    return [
        ("ENTPersonJointure", (student.ident,)),
        ("ENTEleveStructRattachId", (student.number,)),
        ("ENTPersonDateNaissance", (student.birth,)),
        ("ENTPersonNomPatro", (student.sn,)),
        ("sn", (student.sn,)),
        ("givenName", (student.given,)),
        ("ENTPersonAutresPrenoms", student.other_given),
        ("personalTitle", (student.title,)),
        ("ENTEleveParents", [r.ident for r in legal]),
        ("ENTElevePere", father),
        ("ENTEleveMere", mother),
        ("ENTEleveAutoriteParentale", [r.ident for r in legal]),
        ("ENTElevePersRelEleve1", [r.ident for r in contacts[:1]]),
        ("ENTEleveQualitePersRelEleve1", ["CONTACT"] if contacts else []),
        ("ENTElevePersRelEleve2", [r.ident for r in contacts[1:2]]),
        ("ENTEleveQualitePersRelEleve2", ["CONTACT"] if len(contacts) > 1 else []),
        (
            "ENTElevePersRelEleve",
            [f"{r.ident}${r.relationship}${r.financial}${r.legal}${r.contact}$0" for r in relatives],
        ),
        ("ENTEleveBoursier", (student.grant,)),
        ("ENTEleveRegime", (student.regime,)),
        ("ENTEleveTransport", ("N",)),
        ("ENTEleveStatutEleve", ("SCOLAIRE",)),
        ("ENTEleveMEF", (track.mef,)),
        ("ENTEleveLibelleMEF", (track.mef_label,)),
        ("ENTEleveNivFormation", (track.mef_label,)),
        ("ENTEleveFiliere", (track.mef_label,)),
        ("ENTEleveEnseignements", [TAUGHT_SUBJECTS[s][0] for s in subjects]),
        ("ENTEleveCodeEnseignements", subjects),
        ("ENTPersonStructRattach", (school.jointure,)),
        ("ENTEleveClasses", (f"{school.jointure}${division.code}",)),
        ("ENTEleveGroupes", [f"{school.jointure}${school.groups[g].code}" for g in student.groups]),
    ]


def relative_attributes(relative: Relative) -> Attributes:
    return [
        ("ENTPersonJointure", (relative.ident,)),
        ("ENTPersonDateNaissance", ()),
        ("ENTPersonNomPatro", (relative.birth_name,)),
        ("sn", (relative.sn,)),
        ("givenName", (relative.given,)),
        ("personalTitle", (relative.title,)),
        ("mail", (relative.mail,) if relative.mail else ()),
        ("homePhone", (relative.home_phone,) if relative.home_phone else ()),
        ("telephoneNumber", (relative.phone,)),
        ("ENTPersonAdresse", (relative.street,)),
        ("ENTPersonCodePostal", (relative.postal_code,)),
        ("ENTPersonVille", ("PARIS",)),
        ("ENTPersonPays", ("FRANCE",)),
    ]


def staff_attributes(plan: Plan, person: Staff) -> Attributes:
    school = plan.schools[person.school]
    teaching = bool(person.discipline)
    category = discipline_label = ""
    mefs: list[str] = []
    taught: list[str] = []
    if teaching:
        _label, discipline, discipline_label = TAUGHT_SUBJECTS[person.discipline]
        category = discipline[1:3]
        seen: set[str] = set()
        for structure, code, _subject in person.class_subjects:
            track = plan.tracks.get((structure, code))
            if track is not None and track.mef not in seen:
                seen.add(track.mef)
                mefs.append(f"{structure}${track.mef}${track.mef_label}")
        taught = [f"{school.jointure}${TAUGHT_SUBJECTS[person.discipline][0]}"]
    classes = list(dict.fromkeys(f"{structure}${code}" for structure, code, _m in person.class_subjects))
    groups = list(dict.fromkeys(f"{structure}${code}" for structure, code, _m in person.group_subjects))
    return [
        ("ENTPersonJointure", (person.ident,)),
        ("ENTPersonDateNaissance", (person.birth,)),
        ("ENTPersonNomPatro", (person.sn,)),
        ("sn", (person.sn,)),
        ("givenName", (person.given,)),
        ("personalTitle", (person.title,)),
        ("mail", (person.mail,)),
        ("ENTPersonStructRattach", (school.jointure,)),
        ("ENTAuxEnsCategoDiscipline", [f"{category}${discipline_label}"] if teaching else []),
        ("ENTAuxEnsDisciplinesPoste", [f"{discipline_label}${category}"] if teaching else []),
        ("ENTAuxEnsMEF", mefs),
        ("ENTAuxEnsMatiereEnseignEtab", taught),
        ("ENTAuxEnsClasses", classes),
        ("ENTAuxEnsGroupes", groups),
        ("ENTAuxEnsClassesMatieres", [f"{s}${c}${m}" for s, c, m in person.class_subjects]),
        ("ENTAuxEnsGroupesMatieres", [f"{s}${c}${m}" for s, c, m in person.group_subjects]),
        ("ENTAuxEnsClassesPrincipal", [f"{s}${c}" for s, c in person.head_of]),
        ("ENTPersonFonctions", [f"{s}${'$'.join(f)}" for s, f in person.functions]),
        ("PersEducNatPresenceDevantEleves", ("O" if teaching else "N",)),
    ]


# --- Writing -----------------------------------------------------------------------------------------


@dataclass
class ExportSummary:
    complete_dir: Path
    delta_dir: Path | None
    files: dict[str, list[Path]]  # complete export: kind -> parts
    counts: dict[str, int]  # complete export: kind -> records
    delta_files: dict[str, list[Path]] = field(default_factory=dict)
    delta_counts: dict[str, dict[str, int]] = field(default_factory=dict)  # kind -> operation -> records
    seconds: float = 0.0

    def lines(self) -> list[str]:
        lines = [f"Complete export in {self.complete_dir}:"]
        lines += [f"  {kind}: {self.counts[kind]} records in {len(self.files[kind])} file(s)" for kind in KINDS]
        if self.delta_dir is not None:
            lines.append(f"Delta export in {self.delta_dir}:")
            for kind, operations in self.delta_counts.items():
                detail = ", ".join(f"{operation} {count}" for operation, count in operations.items())
                lines.append(f"  {kind}: {detail}")
        lines.append(f"Generated in {self.seconds:.1f} s.")
        return lines


def _writer(directory: Path, mode: str, date: datetime.date, kind: str, style: Style) -> KindWriter:
    return KindWriter(directory, prefix=PREFIX, mode=mode, date=date, kind=kind, style=style, part_size=PART_SIZE)


def _prepare(directory: Path) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob(f"{PREFIX}_*.xml"):
        if FILE_NAME.match(old.name):
            old.unlink()


def write_complete(plan: Plan, directory: Path) -> tuple[dict[str, list[Path]], dict[str, int]]:
    _prepare(directory)
    files: dict[str, list[Path]] = {}
    counts: dict[str, int] = {}

    def writer(kind: str) -> KindWriter:
        return _writer(directory, "Complet", plan.date, kind, _COMPLETE_STYLE[kind])

    def finish(kind_writer: KindWriter) -> None:
        files[kind_writer.kind] = kind_writer.close()
        counts[kind_writer.kind] = kind_writer.records

    out = writer("EtabEducNat")
    for school in plan.schools:
        out.add(school.jointure, structure_attributes(school))
    finish(out)
    out = writer("MatiereEducNat")
    for code, label in plan.subjects.items():
        out.add(code, [("ENTMatJointure", (code,)), ("ENTLibelleMatiere", (label,))])
    finish(out)
    out = writer("MefEducNat")
    for code, label in plan.mefs.items():
        out.add(
            code,
            [
                ("ENTMefJointure", (code,)),
                ("ENTLibelleMef", (label,)),
                ("ENTMEFRattach", (code,)),
                ("ENTMEFSTAT11", (f"2{code[1:]}",)),
            ],
        )
    finish(out)
    out = writer("Eleve")
    for student in plan.students:
        out.add(student.ident, student_attributes(plan, student))
    finish(out)
    out = writer("PersRelEleve")
    for relative in plan.relatives:
        out.add(relative.ident, relative_attributes(relative))
    finish(out)
    out = writer("PersEducNat")
    for person in plan.staff:
        out.add(person.ident, staff_attributes(plan, person))
    finish(out)
    return files, counts


# --- Delta -------------------------------------------------------------------------------------------


def _split_touches(count: int) -> tuple[int, int, int]:
    """(modify, add, delete) counts for `count` people touched: half modified, a quarter each way."""
    modify = count // 2
    add = count // 4
    return modify, add, count - modify - add


def write_delta(plan: Plan, rng: random.Random, directory: Path, percent: float) -> dict[str, dict[str, int]]:
    """The next day's Delta export touching `percent` % of the students, relatives and staff.

    The plan is changed in place (it then describes the state after the Delta)."""
    _prepare(directory)
    requests: dict[str, list[tuple[str, str, Attributes]]] = {kind: [] for kind in PEOPLE_KINDS}
    planner = _Planner(rng, plan.date)
    students, relatives = plan.students, plan.relatives

    # Students and relatives: whole families leave, new families arrive, some records change.
    student_modify, student_add, student_delete = _split_touches(round(len(students) * percent / 100))
    children: dict[int, list[int]] = {}
    for index, student in enumerate(students):
        children.setdefault(student.family, []).append(index)
    deleted_students: set[int] = set()
    deleted_relatives: set[int] = set()
    for family in rng.sample(range(len(plan.families)), len(plan.families)):
        if len(deleted_students) >= student_delete:
            break
        members = children.get(family, [])
        if len(deleted_students) + len(members) > student_delete:
            continue
        deleted_students.update(members)
        deleted_relatives.update(plan.families[family])
    if not plan.families:  # an export without relatives (--relatives 0): students leave alone
        deleted_students.update(rng.sample(range(len(students)), min(student_delete, len(students))))
    for index in sorted(deleted_students):
        requests["Eleve"].append(("delete", students[index].ident, []))
    for index in sorted(deleted_relatives):
        requests["PersRelEleve"].append(("delete", relatives[index].ident, []))

    next_student = STUDENT_BASE + len(students)
    next_relative = RELATIVE_BASE + len(relatives)
    added_relatives = 0
    candidates = [i for i in range(len(students)) if i not in deleted_students]
    for _ in range(student_add if candidates else 0):
        model = students[rng.choice(candidates)]
        school = plan.schools[model.school]
        newcomer = planner.student(school, model.division, school.divisions[model.division].track)
        newcomer.ident = str(next_student)
        newcomer.number = str(SCHOOL_NUMBER_BASE + next_student - STUDENT_BASE)
        next_student += 1
        if relatives or plan.families:
            members = []
            first = planner.relative(str(next_relative), newcomer.sn, 1, None, school)
            legal = [first]
            if rng.random() < SECOND_LEGAL_SHARE:
                legal.append(planner.relative(str(next_relative + 1), newcomer.sn, 2, first, school))
            next_relative += len(legal)
            for relative in legal:
                members.append(len(relatives))
                relatives.append(relative)
                requests["PersRelEleve"].append(("add", relative.ident, relative_attributes(relative)))
                added_relatives += 1
            newcomer.family = len(plan.families)
            plan.families.append(members)
        students.append(newcomer)
        requests["Eleve"].append(("add", newcomer.ident, student_attributes(plan, newcomer)))

    for index in rng.sample(candidates, min(student_modify, len(candidates))):
        student = students[index]
        school = plan.schools[student.school]
        track = school.divisions[student.division].track
        siblings = [i for i, d in enumerate(school.divisions) if d.track is track and i != student.division]
        if siblings:
            student.division = rng.choice(siblings)
        else:
            student.grant = "N" if student.grant == "O" else "O"
        requests["Eleve"].append(("modify", student.ident, student_attributes(plan, student)))

    relative_touch = round(len(relatives) * percent / 100)
    relative_modify = max(relative_touch - len(deleted_relatives) - added_relatives, 1 if relative_touch else 0)
    kept = [i for i in range(len(relatives) - added_relatives) if i not in deleted_relatives]
    for index in rng.sample(kept, min(relative_modify, len(kept))):
        relative = relatives[index]
        relative.phone = planner.phone(mobile=True)
        relative.street = f"{rng.randrange(1, 200)} {rng.choice(STREETS)}"
        requests["PersRelEleve"].append(("modify", relative.ident, relative_attributes(relative)))

    # Staff: teachers leave, arrive, take one more class.
    staff_modify, staff_add, staff_delete = _split_touches(round(len(plan.staff) * percent / 100))
    teachers = [i for i, person in enumerate(plan.staff) if person.discipline]
    leaving = set(rng.sample(teachers, min(staff_delete, len(teachers))))
    for index in sorted(leaving):
        requests["PersEducNat"].append(("delete", plan.staff[index].ident, []))
    staying = [i for i in range(len(plan.staff)) if i not in leaving]
    for index in rng.sample(staying, min(staff_modify, len(staying))):
        person = plan.staff[index]
        school = plan.schools[person.school]
        taught = {code for structure, code, _m in person.class_subjects if structure == school.jointure}
        free = [d.code for d in school.divisions if person.discipline in d.track.subjects and d.code not in taught]
        if free:
            person.class_subjects.append((school.jointure, rng.choice(free), person.discipline))
        else:
            person.mail = f"{_fold(person.given)}.{_fold(person.sn)}.{person.ident}@ac-paris.fr"
        requests["PersEducNat"].append(("modify", person.ident, staff_attributes(plan, person)))
    for number in range(staff_add if teachers else 0):
        colleague = plan.staff[rng.choice(teachers)]
        school = plan.schools[colleague.school]
        recruit = planner.staff_member(str(STAFF_BASE + len(plan.staff)), school)
        recruit.discipline = colleague.discipline
        recruit.mail = f"{_fold(recruit.given)}.{_fold(recruit.sn)}.new{number}@ac-paris.fr"
        recruit.functions.append((school.jointure, _teaching_function(colleague.discipline)))
        recruit.class_subjects = [slot for slot in colleague.class_subjects if slot[0] == school.jointure][:2]
        plan.staff.append(recruit)
        requests["PersEducNat"].append(("add", recruit.ident, staff_attributes(plan, recruit)))

    delta_date = plan.date + datetime.timedelta(days=1)
    counts: dict[str, dict[str, int]] = {}
    for kind in PEOPLE_KINDS:
        kind_requests = requests[kind]
        if not kind_requests:
            continue
        rng.shuffle(kind_requests)
        out = _writer(directory, "Delta", delta_date, kind, _DELTA_STYLE)
        tally = {"add": 0, "modify": 0, "delete": 0}
        for operation, identifier, attributes in kind_requests:
            tally[operation] += 1
            if operation == "add":
                out.add(identifier, attributes)
            elif operation == "modify":
                out.modify(identifier, attributes)
            else:
                out.delete(identifier)
        out.close()
        counts[kind] = tally
    return counts


# --- Entry points ------------------------------------------------------------------------------------


def generate(
    out: str | Path,
    *,
    schools: int = 100,
    students: int = 65_000,
    relatives: int = 110_000,
    staff: int = 8_000,
    seed: int = 1,
    delta_percent: float = 1.0,
    date: str = DEFAULT_DATE,
) -> ExportSummary:
    """Write the complete export into `out/complet` and, when delta_percent > 0, the Delta into `out/delta`."""
    started = time.perf_counter()
    export_date = datetime.datetime.strptime(date, "%Y%m%d").date()
    plan, rng = make_plan(
        schools=schools, students=students, relatives=relatives, staff=staff, seed=seed, date=export_date
    )
    root = Path(out)
    complete_dir = root / COMPLETE_DIR
    files, counts = write_complete(plan, complete_dir)
    summary = ExportSummary(complete_dir=complete_dir, delta_dir=None, files=files, counts=counts)
    if delta_percent > 0:
        summary.delta_dir = root / DELTA_DIR
        summary.delta_counts = write_delta(plan, rng, summary.delta_dir, delta_percent)
        summary.delta_files = {
            kind: sorted(summary.delta_dir.glob(f"{PREFIX}_Delta_*_{kind}_*.xml")) for kind in summary.delta_counts
        }
    summary.seconds = time.perf_counter() - started
    return summary


def add_size_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--schools", type=int, default=100, help="establishments (default 100)")
    parser.add_argument("--students", type=int, default=65_000, help="students (default 65000)")
    parser.add_argument("--relatives", type=int, default=110_000, help="relatives (default 110000)")
    parser.add_argument("--staff", type=int, default=8_000, help="staff (default 8000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--delta-percent", type=float, default=1.0, help="people touched by the Delta export, 0 for none (default 1)"
    )
    parser.add_argument("--date", default=DEFAULT_DATE, help=f"export date YYYYMMDD (default {DEFAULT_DATE})")


def size_options(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "schools": args.schools,
        "students": args.students,
        "relatives": args.relatives,
        "staff": args.staff,
        "seed": args.seed,
        "delta_percent": args.delta_percent,
        "date": args.date,
    }


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.aaf_generator", description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="output folder (complet/ and delta/ are written inside)")
    add_size_arguments(parser)
    args = parser.parse_args(None if argv is None else list(argv))
    try:
        summary = generate(args.out, **size_options(args))
    except ValueError as error:
        parser.error(str(error))
    print("\n".join(summary.lines()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
