"""The subjects (MatiereEducNat), MEFs (MefEducNat) and tracks the schools of the export teach."""

from dataclasses import dataclass

from bench.aaf_generator.shape import MEF_ROWS, SUBJECT_ROWS

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
LEVEL_LABELS = {"6": "6EME", "5": "5EME", "4": "4EME", "3": "3EME", "2": "SECONDE", "1": "PREMIERE", "T": "TERMINALE"}
# Optional groups by level: exclusive choices of (subject, share of the level's students).
OPTIONS: dict[str, tuple[tuple[tuple[str, float], ...], ...]] = {
    "6": (),
    "5": ((("030602", 0.7), ("030102", 0.3)), (("020100", 0.2),)),
    "4": ((("030602", 0.7), ("030102", 0.3)), (("020100", 0.2),)),
    "3": ((("030602", 0.7), ("030102", 0.3)), (("020100", 0.15),)),
    "2": ((("030602", 0.7), ("030102", 0.3)),),
    "1": ((("030602", 0.7), ("030102", 0.3)),),
    "T": ((("030602", 0.7), ("030102", 0.3)),),
}
GROUP_SHORT = {"030602": "ESP", "030102": "ALL", "020100": "LAT"}
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
