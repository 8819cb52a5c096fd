"""Export of a period's report cards to the LSU ("bilans périodiques", schema version 10.0).

The Livret Scolaire Unique imports one XML file per school (`lsun-bilans`, namespace
`urn:fr:edu:scolarite:lsun:bilans:import`). A report card the schema cannot hold (no general
comment, a subject without a national six-character code) is left out and named in the
export's problems, in French, so the head can complete it and export again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from lxml import etree

from annuaire.models import Membership, Profile, Subject, TeachingAssignment, User
from schools.models import School
from vie_scolaire.calendar.models import Period
from vie_scolaire.calendar.selectors import calendar_of
from vie_scolaire.grades.averages import spread
from vie_scolaire.grades.selectors.divisions import PeriodAverages, period_averages
from vie_scolaire.grades.selectors.grades import school_periods
from vie_scolaire.report_cards.models import ReportCard, SubjectComment

NAMESPACE = "urn:fr:edu:scolarite:lsun:bilans:import"
SCHEMA_VERSION = "10.0"
NATIONAL_CODE_LENGTH = 6


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _sub(parent: etree._Element, name: str, text: str | None = None, **attributes: str) -> etree._Element:
    element = etree.SubElement(parent, _tag(name), {key.replace("_", "-"): value for key, value in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _mark(value: Decimal) -> str:
    return str(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass
class LsuExport:
    xml: bytes = b""
    exported: int = 0
    problems: list[str] = field(default_factory=list)


@dataclass
class _Context:
    school: School
    period: Period
    averages: PeriodAverages
    students: list[Membership]
    assignments: dict[int, TeachingAssignment]
    cards: dict[int, ReportCard]
    comments: dict[tuple[int, int], str]
    by_student: dict[int, list[tuple[TeachingAssignment, Decimal | None]]] = field(default_factory=dict)
    # The division's average in a subject (moyenne de la structure), by (division, service).
    structure: dict[tuple[int | None, int], Decimal | None] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        divisions = {m.user_id: m.division_id for m in self.students}
        figures: dict[tuple[int | None, int], list[Decimal | None]] = {}
        for (student_id, assignment_id), average in self.averages.subjects.items():
            figures.setdefault((divisions.get(student_id), assignment_id), []).append(average.value)
        self.structure = {key: spread(values).average for key, values in figures.items()}
        for (student_id, assignment_id), average in self.averages.subjects.items():
            assignment = self.assignments.get(assignment_id)
            if assignment is not None and len(assignment.subject.code) == NATIONAL_CODE_LENGTH:
                self.by_student.setdefault(student_id, []).append((assignment, average.value))
        for subjects in self.by_student.values():
            subjects.sort(key=lambda item: item[0].subject.name)


def export_lsu(*, school: School, period: Period) -> LsuExport:
    """The period's bilans périodiques of every division; runs inside the school's scope."""
    context = _context(school, period)
    head = Membership.objects.filter(school=school, profile=Profile.DIRECTION, active=True).select_related("user")
    direction = head.order_by("pk").first()
    if direction is None:
        return LsuExport(
            problems=[_("Aucun membre de la direction : le LSU demande le responsable de l'établissement.")]
        )
    bilans = [student for student in context.students if _exportable(context, student)]
    if not bilans:
        # The schema wants at least one student: no file rather than an invalid one.
        return LsuExport(problems=context.problems)
    root = etree.Element(_tag("lsun-bilans"), nsmap={None: NAMESPACE}, schemaVersion=SCHEMA_VERSION)
    entete = _sub(root, "entete")
    _sub(entete, "editeur", "Ville de Paris")
    _sub(entete, "application", "ENT Paris")
    _sub(entete, "etablissement", school.uai)
    donnees = _sub(root, "donnees")
    _sub(
        _sub(donnees, "responsables-etab"),
        "responsable-etab",
        id="RESP_1",
        libelle=direction.user.get_full_name()[:100],
    )
    _write_references(donnees, context, bilans)
    element = _sub(donnees, "bilans-periodiques")
    for membership in bilans:
        _write_bilan(element, context, membership)
    return LsuExport(
        xml=etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True),
        exported=len(bilans),
        problems=context.problems,
    )


def _context(school: School, period: Period) -> _Context:
    assignments = {
        a.pk: a for a in TeachingAssignment.objects.filter(school=school).select_related("subject", "teacher")
    }
    return _Context(
        school=school,
        period=period,
        averages=period_averages(school, period),
        students=list(
            Membership.objects.filter(school=school, profile=Profile.STUDENT, active=True)
            .exclude(division=None)
            .select_related("user", "division")
            .order_by("division__name", "user__last_name", "user__first_name")
        ),
        assignments=assignments,
        cards={card.student_id: card for card in ReportCard.objects.filter(school=school, period=period)},
        comments={
            (student, assignment): comment
            for student, assignment, comment in SubjectComment.objects.filter(school=school, period=period).values_list(
                "student", "assignment", "comment"
            )
        },
    )


def _subjects_of(context: _Context, student_id: int) -> list[tuple[TeachingAssignment, Decimal | None]]:
    """The student's subjects that the LSU knows (a national six-character code), by name."""
    return context.by_student.get(student_id, [])


def _exportable(context: _Context, membership: Membership) -> bool:
    name = membership.user.get_full_name()
    card = context.cards.get(membership.user_id)
    if card is None or not card.general_comment.strip():
        context.problems.append(_("%(name)s : pas d'appréciation générale, bilan non exporté.") % {"name": name})
        return False
    if not _subjects_of(context, membership.user_id):
        context.problems.append(
            _("%(name)s : aucune matière à code national notée, bilan non exporté.") % {"name": name}
        )
        return False
    return True


def _write_references(donnees: etree._Element, context: _Context, bilans: list[Membership]) -> None:
    eleves = _sub(donnees, "eleves")
    for membership in bilans:
        user = membership.user
        _sub(
            eleves,
            "eleve",
            id=f"EL_{user.pk}",
            id_be=user.external_id or str(user.pk),
            nom=(user.last_name or "-")[:100],
            prenom=(user.first_name or "-")[:100],
            code_division=membership.division.code[:20],  # type: ignore[union-attr]
        )
    periods = school_periods(context.school, context.period.school_year)
    periodes = _sub(donnees, "periodes")
    for index, period in enumerate(periods, start=1):
        _sub(
            periodes,
            "periode",
            id=f"P_{period.pk}",
            millesime=str(period.school_year),
            indice=str(index),
            nb_periodes=str(len(periods)),
        )
    used = {a.pk: a for m in bilans for a, _avg in _subjects_of(context, m.user_id)}
    subjects: dict[int, Subject] = {a.subject_id: a.subject for a in used.values()}
    teachers: dict[int, User] = {a.teacher_id: a.teacher for a in used.values()}
    disciplines = _sub(donnees, "disciplines")
    for subject in sorted(subjects.values(), key=lambda s: s.code):
        _sub(
            disciplines,
            "discipline",
            id=f"DI_{subject.pk}",
            code=subject.code,
            modalite_election="S",
            libelle=subject.name[:40],
        )
    enseignants = _sub(donnees, "enseignants")
    for teacher in sorted(teachers.values(), key=lambda t: t.pk):
        # Teachers known by their STS number are "epp"; the others are declared by the school.
        _sub(
            enseignants,
            "enseignant",
            id=f"ENS_{teacher.pk}",
            type="local",
            id_sts=str(teacher.pk),
            nom=(teacher.last_name or "-")[:100],
            prenom=teacher.first_name[:100],
        )


def _write_bilan(parent: etree._Element, context: _Context, membership: Membership) -> None:
    card = context.cards[membership.user_id]
    period = context.period
    heads = [
        f"ENS_{a.teacher_id}"
        for a in context.assignments.values()
        if a.division_id == membership.division_id and a.is_head_teacher
    ]
    attributes = {
        "eleve_ref": f"EL_{membership.user_id}",
        "periode_ref": f"P_{period.pk}",
        "date_conseil_classe": (period.entry_closes_on or period.last_day).isoformat(),
        "date_scolarite": calendar_of(context.school, period.school_year).first_day.isoformat(),
        "responsable_etab_ref": "RESP_1",
    }
    if heads:
        attributes["prof_princ_refs"] = " ".join(sorted(set(heads)))
    bilan = _sub(parent, "bilan-periodique", **attributes)
    acquis_list = _sub(bilan, "liste-acquis")
    for assignment, average in _subjects_of(context, membership.user_id):
        _write_acquis(acquis_list, context, membership, assignment, average)
    _sub(bilan, "acquis-conseils", card.general_comment.strip()[:1000])
    _sub(
        bilan,
        "vie-scolaire",
        nb_retards=str(card.lateness or 0),
        nb_abs_justifiees=str((card.half_days_absent or 0) - (card.half_days_unjustified or 0)),
        nb_abs_injustifiees=str(card.half_days_unjustified or 0),
    )


def _write_acquis(
    parent: etree._Element,
    context: _Context,
    membership: Membership,
    assignment: TeachingAssignment,
    average: Decimal | None,
) -> None:
    structure = context.structure.get((membership.division_id, assignment.pk))
    attributes = {"discipline_ref": f"DI_{assignment.subject_id}", "enseignant_refs": f"ENS_{assignment.teacher_id}"}
    if average is not None:
        attributes["moyenne_eleve"] = _mark(average)
    else:
        attributes["statut_evaluation_eleve"] = "1"  # non noté
    if structure is not None:
        attributes["moyenne_structure"] = _mark(structure)
    else:
        attributes["statut_evaluation_structure"] = "1"
    acquis = _sub(parent, "acquis", **attributes)
    comment = context.comments.get((membership.user_id, assignment.pk), "").strip()
    if comment:
        _sub(acquis, "appreciation", comment[:1000])


def validation_errors(xml: bytes, schema_path: Path | None = None) -> list[str]:
    """The schema's complaints about an export, if a schema is configured (`LSU_XSD_PATH`)."""
    path = schema_path or settings.LSU_XSD_PATH
    if not path:
        return []
    schema = etree.XMLSchema(etree.parse(str(path)))
    document = etree.fromstring(xml, etree.XMLParser(resolve_entities=False, no_network=True))
    if schema.validate(document):
        return []
    return [f"{error.line}: {error.message}" for error in schema.error_log]
