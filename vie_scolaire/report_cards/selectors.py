"""Reads of the report cards: what a PDF shows, the council page, a family's downloads."""

from __future__ import annotations

import io
from typing import IO, Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from annuaire.models import Division, Membership, Profile, TeachingAssignment
from annuaire.selectors import visible_students
from schools.access import not_found
from schools.models import School
from schools.pdf import pdf_writer
from vie_scolaire.attendance.selectors.families import withheld_from
from vie_scolaire.calendar.models import Period
from vie_scolaire.grades.averages import display
from vie_scolaire.grades.selectors.divisions import division_students
from vie_scolaire.grades.selectors.grades import assignment_students, student_grades
from vie_scolaire.report_cards.models import ReportCard, ReportCardRun, SubjectComment

NOT_PRINTABLE = gettext_lazy(
    "Ce bulletin ne peut pas être imprimé pour le moment : réessayez plus tard ou demandez-le à la vie scolaire."
)


def report_card_context(membership: Membership, period: Period, card: ReportCard) -> dict[str, Any]:
    """What one report card prints: every grade of the period (published or not), comments, the council."""
    report = student_grades(membership, period, viewer="staff")
    comments = dict(
        SubjectComment.objects.filter(period=period, student_id=membership.user_id).values_list("assignment", "comment")
    )
    subjects = [
        {
            "name": subject.assignment.subject.name,
            "teacher": subject.assignment.teacher.get_full_name(),
            "average": subject.average.display,
            "class_average": display(subject.class_spread.average),
            "minimum": display(subject.class_spread.minimum),
            "maximum": display(subject.class_spread.maximum),
            "comment": comments.get(subject.assignment.pk, ""),
        }
        for subject in report.subjects
    ]
    return {
        "school": membership.school,
        "student": membership.user,
        "division": membership.division,
        "period": period,
        "subjects": subjects,
        "general_average": display(report.general),
        "general_class_average": display(report.general_spread.average),
        "card": card,
    }


def report_card_html(
    membership: Membership,
    period: Period,
    card: ReportCard,
    *,
    hours_missed: float | None = None,
    attendance_withheld: bool = False,
) -> str:
    context = report_card_context(membership, period, card)
    context.update(hours_missed=hours_missed, attendance_withheld=attendance_withheld)
    return render_to_string("vie_scolaire/report_card_pdf.html", context)


def printed_for(user: Any, school: School, card: ReportCard) -> IO[bytes]:
    """The PDF this reader downloads: the card as printed, or, for the parents of an adult student who
    keeps their attendance from them, the same card without its absence line (`copy_without_attendance`)."""
    if not withheld_from(user, school, card.student_id):
        return card.pdf.open("rb")
    copy = copy_without_attendance(card)
    if copy is None:
        not_found(str(NOT_PRINTABLE))
    return io.BytesIO(copy)


def copy_without_attendance(card: ReportCard) -> bytes | None:
    """The report card as the parents of an adult student who keeps their attendance from them read it:
    the same card without its absence line, printed when asked, since the student may choose after the
    council. None when this server cannot print."""
    write_pdf = pdf_writer()
    membership = (
        Membership.objects.filter(school=card.school_id, user=card.student_id, profile=Profile.STUDENT)
        .select_related("school", "user", "division")
        .order_by("-active")
        .first()
    )
    if write_pdf is None or membership is None:
        return None
    return write_pdf(report_card_html(membership, card.period, card, attendance_withheld=True))


def council_rows(division: Division, period: Period) -> list[tuple[Membership, ReportCard | None]]:
    cards = {card.student_id: card for card in ReportCard.objects.filter(period=period, division=division)}
    return [(membership, cards.get(membership.user_id)) for membership in division_students(division)]


def comment_rows(assignment: TeachingAssignment, period: Period) -> list[tuple[Membership, str]]:
    comments = dict(
        SubjectComment.objects.filter(period=period, assignment=assignment).values_list("student", "comment")
    )
    students = assignment_students(assignment).select_related("user").order_by("user__last_name", "user__first_name")
    return [(membership, comments.get(membership.user_id, "")) for membership in students]


def latest_run(division: Division, period: Period) -> ReportCardRun | None:
    return ReportCardRun.objects.filter(division=division, period=period).order_by("-created_at").first()


def family_report_cards(membership: Membership) -> list[ReportCard]:
    """Every generated report card of the student, every year, newest first."""
    return list(
        ReportCard.objects.filter(school=membership.school_id, student=membership.user_id)
        .exclude(pdf="")
        .select_related("period")
        .order_by("-period__first_day")
    )


def access_report_card(user: Any, school: School, card_id: int) -> ReportCard:
    """A generated report card of a student this user may see, or 404."""
    card = (
        ReportCard.objects.filter(school=school, pk=card_id).exclude(pdf="").select_related("student", "period").first()
    )
    if card is None or not visible_students(user, school).filter(user=card.student_id).exists():
        not_found(_("Ce bulletin n'existe pas ou vous n'y avez pas accès."))
    return card
