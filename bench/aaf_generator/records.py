"""Each kind's record: the attributes of a structure, a student, a relative, a staff member."""

from annuaire.aaf.writer import Attributes
from bench.aaf_generator.nomenclatures import TAUGHT_SUBJECTS
from bench.aaf_generator.plan import Plan, Relative, School, Staff, Student
from bench.aaf_generator.shape import ACADEMY


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
