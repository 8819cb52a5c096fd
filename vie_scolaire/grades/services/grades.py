"""Writes of the grades: assessments, one grade at a time (with conflicts shown, never overwritten)."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from annuaire.models import Division, Guardianship, TeachingAssignment, User
from communication.notifications.services.notices import Notice, notify_each
from communication.notifications.texts import Text
from schools.models import School
from schools.tasks import start_after_commit
from vie_scolaire.calendar.models import Period
from vie_scolaire.grades.models import Assessment, Grade, GradeCode, SubjectCoefficient
from vie_scolaire.grades.selectors.grades import assignment_students

# The codes every school starts with; a school may add its own (data, not code).
DEFAULT_CODES = (
    ("Abs", "Absent", False),
    ("Disp", "Dispensé", False),
    ("NN", "Non noté", False),
    ("Inap", "Inapte", False),
    ("NRdu", "Non rendu", False),
    ("Abs0", "Absent, compte 0", True),
    ("NRdu0", "Non rendu, compte 0", True),
)
NUMBER = re.compile(r"^\d{1,2}([.,]\d{1,2})?$")


def ensure_grade_codes(*, school: School) -> None:
    if GradeCode.objects.filter(school=school).exists():
        return
    GradeCode.objects.bulk_create(
        GradeCode(school=school, code=code, label=label, counts_as_zero=as_zero)
        for code, label, as_zero in DEFAULT_CODES
    )


def check_entry_open(period: Period, today: datetime.date | None = None) -> None:
    today = today or timezone.localdate()
    if period.entry_closes_on is not None and today > period.entry_closes_on:
        raise ValidationError(
            _("La saisie de la période « %(period)s » est close depuis le %(date)s : la direction seule la rouvre.")
            % {"period": period.name, "date": formats.date_format(period.entry_closes_on)}
        )


@dataclass(frozen=True)
class AssessmentData:
    title: str
    date: datetime.date
    kind: str = Assessment.Kind.WRITTEN
    scale: int = 20
    coefficient: Decimal = Decimal(1)
    convert_to_20: bool = False
    bonus: bool = False
    optional: bool = False
    published_to_students_on: datetime.date | None = None
    published_to_parents_on: datetime.date | None = None


@transaction.atomic
def create_assessment(
    *, assignment: TeachingAssignment, period: Period, data: AssessmentData, created_by: User
) -> Assessment:
    """A new assessment in the teacher's service; families see it from its publication dates."""
    if period.school_id != assignment.school_id:
        raise ValidationError(_("Cette période n'existe pas dans l'établissement."))
    check_entry_open(period)
    if not period.first_day <= data.date <= period.last_day:
        raise ValidationError(
            _("La date doit appartenir à la période « %(period)s » (du %(first)s au %(last)s).")
            % {
                "period": period.name,
                "first": formats.date_format(period.first_day),
                "last": formats.date_format(period.last_day),
            }
        )
    if data.bonus and data.optional:
        raise ValidationError(_("Une évaluation est bonus ou facultative, pas les deux."))
    ensure_grade_codes(school=assignment.school)
    published_students = data.published_to_students_on or data.date
    return Assessment.objects.create(
        school_id=assignment.school_id,
        assignment=assignment,
        period=period,
        title=data.title.strip(),
        date=data.date,
        kind=data.kind,
        scale=data.scale,
        coefficient=data.coefficient,
        convert_to_20=data.convert_to_20,
        bonus=data.bonus,
        optional=data.optional,
        published_to_students_on=published_students,
        published_to_parents_on=data.published_to_parents_on or published_students,
        created_by=created_by,
    )


class GradeConflict(Exception):
    """Someone changed the grade since the teacher's page showed it: both values are shown."""

    def __init__(self, grade: Grade) -> None:
        super().__init__("grade changed meanwhile")
        self.grade = grade


def parse_grade(raw: str, *, scale: int, codes: dict[str, GradeCode]) -> tuple[Decimal | None, GradeCode | None]:
    """A typed cell: a number within the scale (comma or point), a code, or nothing."""
    text = raw.strip()
    if not text:
        return None, None
    if NUMBER.match(text):
        try:
            value = Decimal(text.replace(",", "."))
        except InvalidOperation:  # pragma: no cover - the pattern admits decimals only
            value = Decimal(-1)
        if value > scale:
            raise ValidationError(_("%(value)s dépasse le barème (%(scale)d).") % {"value": text, "scale": scale})
        return value, None
    code = codes.get(text.casefold())
    if code is None:
        known = ", ".join(sorted(c.code for c in codes.values()))
        raise ValidationError(
            _("« %(value)s » n'est ni une note entre 0 et %(scale)d ni un code connu (%(codes)s).")
            % {"value": text[:20], "scale": scale, "codes": known}
        )
    return None, code


@transaction.atomic
def record_grade(
    *,
    assessment: Assessment,
    student_id: int,
    raw: str,
    seen_version: int,
    recorded_by: User,
    comment: str | None = None,
) -> Grade | None:
    """Save one cell of the grid; `seen_version` is the version the teacher's page showed (0: no grade).

    Answers the saved grade (None once cleared). Raises `GradeConflict` when the grade changed
    in between, `ValidationError` for a value outside the scale, an unknown code or a closed period.
    """
    check_entry_open(assessment.period)
    if not assignment_students(assessment.assignment).filter(user_id=student_id).exists():
        raise ValidationError(_("Cet élève ne suit pas ce service."))
    codes = {code.code.casefold(): code for code in GradeCode.objects.filter(school=assessment.school_id)}
    value, code = parse_grade(raw, scale=assessment.scale, codes=codes)
    grade = Grade.objects.select_for_update().filter(assessment=assessment, student_id=student_id).first()
    current_version = grade.version if grade is not None else 0
    same_value = grade is not None and (grade.value, grade.code_id) == (value, code.pk if code else None)
    if same_value and comment is None:
        return grade  # the same value again: nothing to write, whoever saved it
    if current_version != seen_version:
        if grade is None:
            raise GradeConflict(Grade(assessment=assessment, student_id=student_id, version=0))
        raise GradeConflict(grade)
    if value is None and code is None and not (comment or ""):
        if grade is not None:
            grade.delete()
        return None
    if grade is None:
        grade = Grade(school_id=assessment.school_id, assessment=assessment, student_id=student_id, version=0)
    grade.value, grade.code = value, code
    if comment is not None:
        grade.comment = comment.strip()[:300]
    grade.version += 1
    grade.updated_by = recorded_by
    try:
        with transaction.atomic():
            grade.save()
    except IntegrityError:
        # Another save created this grade in the same instant: the teacher is shown it.
        raise GradeConflict(Grade.objects.get(assessment=assessment, student_id=student_id)) from None
    if not same_value:
        _tell_after_commit(assessment, grade)
    return grade


@transaction.atomic
def set_subject_coefficients(*, division: Division, coefficients: dict[int, str]) -> int:
    """Each subject's weight in the division's overall average ("" gives back the default, 1)."""
    taught = set(
        TeachingAssignment.objects.filter(
            Q(division=division) | Q(group__divisions=division), school=division.school_id
        ).values_list("subject", flat=True)
    )
    if not set(coefficients) <= taught:
        raise ValidationError(_("Une de ces matières n'est pas enseignée dans la classe."))
    changed = 0
    for subject_id, raw in coefficients.items():
        text = raw.strip().replace(",", ".")
        if not text:
            changed += SubjectCoefficient.objects.filter(division=division, subject_id=subject_id).delete()[0]
            continue
        try:
            value = Decimal(text)
        except InvalidOperation:
            value = Decimal(-1)
        if not Decimal(0) <= value <= Decimal(99) or value != value.quantize(Decimal("0.01")):
            raise ValidationError(_("« %(value)s » n'est pas un coefficient entre 0 et 99.") % {"value": raw[:10]})
        SubjectCoefficient.objects.update_or_create(
            school_id=division.school_id, division=division, subject_id=subject_id, defaults={"coefficient": value}
        )
        changed += 1
    return changed


# --- Telling families of published grades --------------------------------------------------------

# Grades published within these days are still news; older ones (a school joining mid-year) are not announced.
PUBLICATION_NEWS = datetime.timedelta(days=7)


@dataclass(frozen=True)
class _Audience:
    """The students or the parents: each has its publication date, its sweep stamp and its mark on each grade."""

    published: str  # Assessment: the day the grades become visible to them
    told: str  # Assessment: when the sweep told them of the grades entered until then
    marker: str  # Grade: the version they were last told of
    parents: bool


STUDENTS = _Audience("published_to_students_on", "students_told_at", "students_told_version", parents=False)
PARENTS = _Audience("published_to_parents_on", "parents_told_at", "parents_told_version", parents=True)


@transaction.atomic
def tell_published_grades(*, school: School, today: datetime.date) -> int:
    """Tell the graded students, then their parents, of the assessments published to each up to today,
    once each; answers how many notifications were recorded."""
    return _tell(school, today, STUDENTS) + _tell(school, today, PARENTS)


def _tell(school: School, today: datetime.date, audience: _Audience) -> int:
    published, told = audience.published, audience.told
    assessments = list(
        Assessment.objects.select_for_update(of=("self",))
        .filter(school=school, **{f"{published}__range": (today - PUBLICATION_NEWS, today), f"{told}__isnull": True})
        .select_related("assignment__subject")
    )
    if not assessments:
        return 0
    graded: dict[int, list[int]] = defaultdict(list)
    grade_ids = []
    for grade_id, assessment_id, student_id in Grade.objects.filter(
        school=school, assessment__in=assessments
    ).values_list("pk", "assessment_id", "student_id"):
        graded[student_id].append(assessment_id)
        grade_ids.append(grade_id)
    by_id = {assessment.pk: assessment for assessment in assessments}
    notices = _notices(school, audience, graded, by_id)
    notify_each(school=school, kind="grades.published", notices=notices)
    Assessment.objects.filter(pk__in=list(by_id)).update(**{told: timezone.now()})
    # The grades just told; one changed from now on is told on its own, as a change (`tell_grade_change`).
    Grade.objects.filter(school=school, pk__in=grade_ids).update(**{audience.marker: F("version")})
    return len(notices)


def _tell_after_commit(assessment: Assessment, grade: Grade) -> None:
    """A grade entered or changed once its assessment is visible to the student or the parents is told after
    the commit; one entered before waits for the sweep of the publication date."""
    today = timezone.localdate()
    if not any(_visible(assessment, audience, today) for audience in (STUDENTS, PARENTS)):
        return
    start_after_commit("vie_scolaire.tasks.tell_school_grade_change", grade.school_id, grade.pk)


@transaction.atomic
def tell_grade_change(*, school: School, grade_id: int, today: datetime.date) -> int:
    """Tell the student, then the parents, of one grade entered or changed after the assessment's publication
    to each, once per change; answers how many notifications were recorded.

    The assessment is locked with the grade: a sweep running meanwhile either told the grade already (its
    mark says so) or has yet to read it (its stamp is not there yet, and it will tell it).
    """
    grade = (
        Grade.objects.select_for_update(of=("self", "assessment"))
        .filter(school=school, pk=grade_id)
        .select_related("assessment__assignment__subject")
        .first()
    )
    if grade is None:
        return 0  # cleared since: nothing left to tell
    assessment = grade.assessment
    graded, by_id = {grade.student_id: [assessment.pk]}, {assessment.pk: assessment}
    notices: list[Notice] = []
    marks: dict[str, int] = {}
    for audience in (STUDENTS, PARENTS):
        told_version = getattr(grade, audience.marker)
        if told_version < grade.version and _swept(assessment, audience, today):
            notices += _notices(school, audience, graded, by_id, changed=told_version > 0)
            marks[audience.marker] = grade.version
    if marks:
        notify_each(school=school, kind="grades.published", notices=notices)
        Grade.objects.filter(pk=grade.pk).update(**marks)
    return len(notices)


def _visible(assessment: Assessment, audience: _Audience, today: datetime.date) -> bool:
    published_on: datetime.date | None = getattr(assessment, audience.published)
    return published_on is not None and published_on <= today


def _swept(assessment: Assessment, audience: _Audience, today: datetime.date) -> bool:
    """Visible to the audience, and past the sweep: it told them already, or the publication is older than news
    (never swept). A grade entered before the sweep runs is the sweep's to tell, once."""
    if not _visible(assessment, audience, today):
        return False
    return getattr(assessment, audience.told) is not None or getattr(assessment, audience.published) < (
        today - PUBLICATION_NEWS
    )


def _notices(
    school: School,
    audience: _Audience,
    graded: dict[int, list[int]],
    by_id: dict[int, Assessment],
    *,
    changed: bool = False,
) -> list[Notice]:
    if audience.parents:
        return _parent_notices(school, graded, by_id, changed=changed)
    return _student_notices(school, graded, by_id, changed=changed)


def _new_grade(assessment: Assessment, *, changed: bool = False) -> Text:
    if changed:
        message = gettext_noop("Note modifiée en %(subject)s : %(title)s")
    else:
        message = gettext_noop("Nouvelle note en %(subject)s : %(title)s")
    return Text(message, subject=assessment.assignment.subject.name, title=assessment.title)


def _child_new_grade(child: User, assessment: Assessment, *, changed: bool = False) -> Text:
    if changed:
        message = gettext_noop("%(name)s — Note modifiée en %(subject)s : %(title)s")
    else:
        message = gettext_noop("%(name)s — Nouvelle note en %(subject)s : %(title)s")
    return Text(message, name=child.first_name, subject=assessment.assignment.subject.name, title=assessment.title)


def _student_notices(
    school: School, graded: dict[int, list[int]], by_id: dict[int, Assessment], *, changed: bool = False
) -> list[Notice]:
    url = reverse("grades:home", kwargs={"uai": school.uai})
    students = User.objects.in_bulk(list(graded))
    return [
        Notice(students[student_id], _new_grade(by_id[assessment_id], changed=changed), url=url)
        for student_id, assessment_ids in graded.items()
        for assessment_id in assessment_ids
    ]


def _parent_notices(
    school: School, graded: dict[int, list[int]], by_id: dict[int, Assessment], *, changed: bool = False
) -> list[Notice]:
    links = Guardianship.objects.filter(
        school=school, student__in=list(graded), legal_representative=True
    ).select_related("student", "guardian")
    return [
        Notice(
            link.guardian,
            _child_new_grade(link.student, by_id[assessment_id], changed=changed),
            url=reverse("grades:student", kwargs={"uai": school.uai, "student_id": link.student_id}),
        )
        for link in links
        for assessment_id in graded[link.student_id]
    ]
