"""Writes of the report cards: comments, the class council, the PDFs generated in the background."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from annuaire.models import Division, Membership, TeachingAssignment, User
from schools.pdf import pdf_writer
from schools.tasks import start_after_commit
from vie_scolaire.attendance.half_days import StudentCount, count_half_days
from vie_scolaire.calendar.models import Period
from vie_scolaire.grades.selectors.grades import assignment_students
from vie_scolaire.grades.services.grades import check_entry_open
from vie_scolaire.report_cards.models import CouncilDecision, ReportCard, ReportCardRun, SubjectComment
from vie_scolaire.report_cards.selectors import report_card_html

COMMENT_MAX_LENGTH = 1000


def _clean_comment(text: str) -> str:
    text = text.strip()
    if len(text) > COMMENT_MAX_LENGTH:
        raise ValidationError(_("Une appréciation ne dépasse pas %(max)d caractères.") % {"max": COMMENT_MAX_LENGTH})
    return text


@transaction.atomic
def save_subject_comments(
    *, assignment: TeachingAssignment, period: Period, comments: dict[int, str], written_by: User
) -> int:
    """The teacher's comments on the service's students for the period; answers how many changed."""
    check_entry_open(period)
    students = set(assignment_students(assignment).values_list("user_id", flat=True))
    if not set(comments) <= students:
        raise ValidationError(_("Un des élèves ne suit pas ce service."))
    cleaned = {student: _clean_comment(text) for student, text in comments.items()}
    existing = {
        c.student_id: c
        for c in SubjectComment.objects.filter(assignment=assignment, period=period, student__in=cleaned)
    }
    changed = 0
    for student_id, text in cleaned.items():
        current = existing.get(student_id)
        if current is None and text:
            SubjectComment.objects.create(
                school_id=assignment.school_id,
                period=period,
                assignment=assignment,
                student_id=student_id,
                comment=text,
                updated_by=written_by,
            )
        elif current is not None and current.comment != text:
            current.comment, current.updated_by = text, written_by
            current.save(update_fields=["comment", "updated_by", "updated_at"])
        else:
            continue
        changed += 1
    return changed


@transaction.atomic
def save_council(
    *, division: Division, period: Period, student_id: int, general_comment: str, decision: str, written_by: User
) -> ReportCard:
    """The head teacher's general comment and the class council's decision for one student."""
    if decision not in CouncilDecision.values:
        raise ValidationError(_("Décision inconnue."))
    if not Membership.objects.filter(school=division.school_id, division=division, user_id=student_id).exists():
        raise ValidationError(_("Cet élève n'est pas dans la classe."))
    card, _created = ReportCard.objects.get_or_create(
        school_id=division.school_id, period=period, student_id=student_id, defaults={"division": division}
    )
    card.general_comment = _clean_comment(general_comment)
    card.council_decision = decision
    card.division = division
    card.updated_by = written_by
    card.save()
    return card


@transaction.atomic
def start_report_cards(*, division: Division, period: Period, requested_by: User) -> ReportCardRun:
    """Queue the division's report cards; a worker writes the PDFs and the run counts its progress."""
    if ReportCardRun.objects.filter(
        division=division, period=period, status__in=[ReportCardRun.Status.PENDING, ReportCardRun.Status.RUNNING]
    ).exists():
        raise ValidationError(_("Les bulletins de cette classe sont déjà en cours d'édition."))
    total = Membership.objects.filter(school=division.school_id, division=division, active=True).count()
    run = ReportCardRun.objects.create(
        school_id=division.school_id, period=period, division=division, requested_by=requested_by, total=total
    )
    start_after_commit("vie_scolaire.tasks.generate_report_cards", division.school_id, run.pk)
    return run


def write_report_cards(*, run: ReportCardRun) -> ReportCardRun:
    """Write every PDF of the run, one transaction per student so that progress shows as it goes."""
    write_pdf = pdf_writer()
    if write_pdf is None:
        return _fail(run, _("Le moteur PDF (weasyprint, Pango) n'est pas installé sur ce serveur."))
    ReportCardRun.objects.filter(pk=run.pk).update(status=ReportCardRun.Status.RUNNING, done=0)
    students = Membership.objects.filter(school=run.school_id, division=run.division_id, active=True).select_related(
        "user", "division"
    )
    # The division's absences of the period, counted once for all its report cards.
    attendance = count_half_days(
        school=run.school,
        first=run.period.first_day,
        last=run.period.last_day,
        division=run.division,
        for_report_card=True,
    )
    for membership in students.order_by("user__last_name", "user__first_name"):
        with transaction.atomic():
            _write_one(run, membership, write_pdf, attendance.get(membership.user_id))
            ReportCardRun.objects.filter(pk=run.pk).update(done=F("done") + 1)
    ReportCardRun.objects.filter(pk=run.pk).update(status=ReportCardRun.Status.DONE, finished_at=timezone.now())
    run.refresh_from_db()
    return run


def _write_one(run: ReportCardRun, membership: Membership, write_pdf: object, attendance: StudentCount | None) -> None:
    card, _created = ReportCard.objects.get_or_create(
        school_id=run.school_id,
        period_id=run.period_id,
        student_id=membership.user_id,
        defaults={"division": run.division},
    )
    if attendance is not None:
        card.half_days_absent = attendance.half_days_absent
        card.half_days_unjustified = attendance.half_days_unjustified
        card.lateness = attendance.lateness
    hours_missed = attendance.hours_missed if attendance is not None else None
    pdf = write_pdf(report_card_html(membership, run.period, card, hours_missed=hours_missed))  # type: ignore[operator]
    name = f"{slugify(run.period.name)}-{slugify(membership.user.get_full_name())}-{membership.user_id}.pdf"
    if card.pdf:
        card.pdf.delete(save=False)
    card.pdf.save(name, ContentFile(pdf), save=False)
    card.generated_at = timezone.now()
    card.save(update_fields=["pdf", "generated_at", "half_days_absent", "half_days_unjustified", "lateness"])


def _fail(run: ReportCardRun, message: str) -> ReportCardRun:
    ReportCardRun.objects.filter(pk=run.pk).update(
        status=ReportCardRun.Status.FAILED, error=message, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return run
