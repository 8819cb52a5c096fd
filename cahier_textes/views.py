"""Pages of the homework book: a student's homework, a parent's per child, a teacher's lessons, a lesson's
entry and homework, a division's book with the head's visa, a division's workload."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from annuaire.models import Membership, Profile, User
from annuaire.selectors import access_student, children_in_school, own_student_id
from cahier_textes import selectors
from cahier_textes.forms import AttachmentForm, CopyForm, EntryForm, HomeworkForm, VisaForm
from cahier_textes.models import Homework
from cahier_textes.permissions import SIGN_VISA, TICK_HOMEWORK, VIEW_BOOK, WRITE_BOOK
from cahier_textes.services import (
    attach,
    copy_entries,
    delete_homework,
    detach,
    give_homework,
    save_entry,
    sign_visa,
    tick_homework,
)
from schools.access import not_found, require_perm
from schools.documents import TEACHING_KINDS, download, read_kind
from schools.forms.kit import parsed_date, posted_id, requested_date, saved
from schools.models import School
from schools.pdf import pdf_writer
from schools.requests import profiles_here, school_with, signed_in
from vie_scolaire.calendar.weeks import monday_of, shown_day
from vie_scolaire.models import Lesson

WEEK = datetime.timedelta(days=7)
DAY = datetime.timedelta(days=1)


def _book_with_right(request: HttpRequest, perm: str) -> tuple[School, User]:
    """The book's school (the module on, the right to read it) and the signed-in user, who must also hold
    `perm` there: a write on the book asks for both."""
    school = school_with(request, VIEW_BOOK)
    user = signed_in(request)
    require_perm(user, perm, school)
    return school, user


def home(request: HttpRequest, uai: str) -> HttpResponse:
    """A student's homework, a parent's first child's, a teacher's week, the divisions for the direction."""
    school = school_with(request, VIEW_BOOK)
    user = signed_in(request)
    own = own_student_id(user, school)
    if own is not None:
        return student(request, uai, own)
    profiles = profiles_here(request)
    monday = monday_of(requested_date(request, shown_day(timezone.localdate())))
    lessons = selectors.teacher_book(school, user, monday, monday + 6 * DAY) if Profile.TEACHER in profiles else []
    context = {
        "school": school,
        "lessons": lessons,
        "monday": monday,
        "previous": monday - WEEK,
        "next": monday + WEEK,
        "divisions": selectors.book_divisions(user, school).order_by("name"),
    }
    return render(request, "cahier_textes/home.html", context)


def student(request: HttpRequest, uai: str, student_id: int) -> HttpResponse:
    """Homework by due date from the chosen day (today) for a week, with what was done in class."""
    school = school_with(request, VIEW_BOOK)
    user = signed_in(request)
    message = _("Cet élève n'existe pas ou vous n'avez pas accès à son cahier de textes.")
    membership: Membership = access_student(user, school, student_id, message=message)
    first = requested_date(request, timezone.localdate())
    days = selectors.student_homework(membership, first, first + 6 * DAY)
    context = {
        "school": school,
        "membership": membership,
        "days": days,
        "first": first,
        "previous": first - WEEK,
        "next": first + WEEK,
        "today": timezone.localdate(),
        "tomorrow": timezone.localdate() + DAY,
        "children": children_in_school(user, school),
        "can_tick": membership.user_id == user.pk and user.has_perm(TICK_HOMEWORK, school),
    }
    return render(request, "cahier_textes/student.html", context)


def lesson(request: HttpRequest, uai: str, lesson_id: int) -> HttpResponse:
    """A lesson's entry and homework: read by its audience, written by its teacher (with the workload)."""
    school = school_with(request, VIEW_BOOK)
    user = signed_in(request)
    found = selectors.access_lesson(user, school, lesson_id)
    book = selectors.lesson_book(user, found)
    entry_form = EntryForm(initial={"content": book.entry.content if book.entry else ""})
    homework_form = HomeworkForm(upcoming=book.upcoming)
    attachment_form = AttachmentForm(given=book.given)
    sources = selectors.source_classes(user, found) if book.can_write else []
    copy_form = CopyForm(sources=sources)
    if request.method == "POST":
        require_perm(user, WRITE_BOOK, found)
        action = request.POST.get("action")
        if action == "entry":
            entry_form = EntryForm(request.POST)
            if saved(
                request,
                entry_form,
                lambda: save_entry(lesson=found, content=entry_form.cleaned_data["content"], author=user),
                _("Le contenu de la séance est enregistré."),
            ):
                return redirect("homework:lesson", uai=school.uai, lesson_id=found.pk)
        elif action == "homework":
            homework_form = HomeworkForm(request.POST, upcoming=book.upcoming)
            if saved(
                request,
                homework_form,
                lambda: give_homework(lesson=found, data=homework_form.data_object(), author=user),
                _("Le travail à faire est enregistré."),
            ):
                return redirect("homework:lesson", uai=school.uai, lesson_id=found.pk)
        elif action == "delete":
            _delete(request, book.given)
            return redirect("homework:lesson", uai=school.uai, lesson_id=found.pk)
        elif action == "attach":
            attachment_form = AttachmentForm(request.POST, request.FILES, given=book.given)
            if saved(
                request,
                attachment_form,
                lambda: attach(lesson=found, author=user, **attachment_form.attachment()),
                _("Le document est joint."),
            ):
                return redirect("homework:lesson", uai=school.uai, lesson_id=found.pk)
        elif action == "copy":
            copy_form = CopyForm(request.POST, sources=sources)
            if copy_form.is_valid() and _copy(request, found, copy_form):
                return redirect("homework:lesson", uai=school.uai, lesson_id=found.pk)
        elif action == "detach":
            _detach(request, book)
            return redirect("homework:lesson", uai=school.uai, lesson_id=found.pk)
    context = {
        "school": school,
        "book": book,
        "entry_form": entry_form,
        "homework_form": homework_form,
        "attachment_form": attachment_form,
        "copy_form": copy_form if sources else None,
        "workloads": selectors.lesson_workloads(found) if book.can_write else [],
    }
    return render(request, "cahier_textes/lesson.html", context)


def _delete(request: HttpRequest, given: list[Homework]) -> None:
    try:
        wanted = posted_id(request, "homework")
        homework = next((item for item in given if item.pk == wanted), None)
        if homework is None:
            raise ValidationError(_("Ce travail n'est pas donné dans cette séance."))
        delete_homework(homework=homework)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Le travail est supprimé."))


def _copy(request: HttpRequest, found: Lesson, form: CopyForm) -> bool:
    data = form.cleaned_data
    try:
        copied = copy_entries(
            source=form.sources[data["source"]],
            first_day=data["first_day"],
            target=found,
            count=data["count"],
            author=signed_in(request),
        )
    except ValidationError as error:
        form.add_error(None, error)
        return False
    messages.success(
        request,
        ngettext("%(count)d contenu de séance repris.", "%(count)d contenus de séance repris.", copied)
        % {"count": copied},
    )
    return True


def _detach(request: HttpRequest, book: selectors.LessonBook) -> None:
    attached = book.attachments
    try:
        wanted = posted_id(request, "attachment")
    except ValidationError:
        wanted = 0
    attachment = next((item for item in attached if item.pk == wanted), None)
    if attachment is None:
        messages.error(request, _("Ce document n'est pas joint à cette séance."))
        return
    detach(attachment=attachment)
    messages.success(request, _("Le document est retiré."))


def attachment(request: HttpRequest, uai: str, attachment_id: int) -> HttpResponseBase:
    """A joined file, as a download, to whoever reads the lesson's book."""
    school = school_with(request, VIEW_BOOK)
    found = selectors.access_attachment(signed_in(request), school, attachment_id)
    if not found.file:
        return redirect(found.url)
    try:
        file = found.file.open("rb")
    except FileNotFoundError:
        not_found(_("Ce document n'existe pas ou vous n'y avez pas accès."))
    kind = read_kind(file, found.file.name or "", TEACHING_KINDS)
    return download(file, kind=kind, stem=slugify(found.name)[:60] or "document")


@require_POST
def tick(request: HttpRequest, uai: str, homework_id: int) -> HttpResponse:
    school, user = _book_with_right(request, TICK_HOMEWORK)
    homework = selectors.access_homework_to_tick(user, school, homework_id)
    tick_homework(homework=homework, student=user, done=request.POST.get("done") == "1")
    back = reverse("homework:home", kwargs={"uai": school.uai})
    shown = request.POST.get("date", "")[:10]
    return redirect(f"{back}?date={shown}" if parsed_date(shown) else back)


def division_book(request: HttpRequest, uai: str, division_id: int) -> HttpResponse:
    """A division's book over four weeks (one teacher's or all), with the visas and the visa form."""
    school = school_with(request, VIEW_BOOK)
    user = signed_in(request)
    division = selectors.access_book_division(user, school, division_id)
    # An earlier year's division opens on its last weeks: read-only, as its lessons are over.
    last = requested_date(request, min(timezone.localdate(), selectors.division_year(division)[1]))
    first = last - 4 * WEEK + DAY
    teacher_id = request.GET.get("enseignant", "")
    book = selectors.division_book(division, first, last, int(teacher_id) if teacher_id.isdigit() else None)
    context = {
        "school": school,
        "book": book,
        "first": first,
        "last": last,
        "previous": first - DAY,
        "next": last + 4 * WEEK,
        "teacher_id": int(teacher_id) if teacher_id.isdigit() else None,
        "can_sign": user.has_perm(SIGN_VISA, school),
        "visa_form": VisaForm(),
    }
    return render(request, "cahier_textes/division.html", context)


def book_pdf(request: HttpRequest, uai: str, division_id: int) -> HttpResponse:
    """One teacher's book for a division, the whole school year, as one PDF (the year-end archive)."""
    school = school_with(request, VIEW_BOOK)
    division = selectors.access_book_division(signed_in(request), school, division_id)
    teacher = next(
        (t for t in selectors.division_teachers(division) if str(t.pk) == request.GET.get("enseignant", "")), None
    )
    if teacher is None:
        messages.error(request, _("Choisissez l'enseignant dont exporter le cahier de textes."))
        return redirect("homework:division", uai=school.uai, division_id=division.pk)
    write_pdf = pdf_writer()
    if write_pdf is None:
        messages.error(request, _("L'impression en PDF n'est pas disponible sur ce serveur."))
        return redirect("homework:division", uai=school.uai, division_id=division.pk)
    context = {
        "school": school,
        "book": selectors.year_book(division, teacher.pk),
        "teacher": teacher,
        "printed_on": timezone.localdate(),
    }
    pdf = write_pdf(render_to_string("cahier_textes/book_pdf.html", context))
    response = HttpResponse(pdf, content_type="application/pdf")
    name = slugify(f"cahier-de-textes-{division.name}-{teacher.last_name}-{division.school_year}")
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response


@require_POST
def visa(request: HttpRequest, uai: str, division_id: int) -> HttpResponse:
    school, user = _book_with_right(request, SIGN_VISA)
    division = selectors.access_book_division(user, school, division_id)
    form = VisaForm(request.POST)
    try:
        wanted = posted_id(request, "teacher")
    except ValidationError:
        wanted = 0
    teacher = next((t for t in selectors.division_teachers(division) if t.pk == wanted), None)
    if teacher is None:
        messages.error(request, _("Choisissez un enseignant de cette classe."))
    elif form.is_valid():
        sign_visa(teacher=teacher, division=division, signed_by=user, comment=form.cleaned_data["comment"])
        messages.success(request, _("Le visa est apposé."))
    return redirect("homework:division", uai=school.uai, division_id=division.pk)


def workload(request: HttpRequest, uai: str, division_id: int) -> HttpResponse:
    school = school_with(request, VIEW_BOOK)
    division = selectors.access_book_division(signed_in(request), school, division_id)
    monday = monday_of(requested_date(request, timezone.localdate()))
    load = selectors.division_workload(division, monday, monday + 13 * DAY)
    context = {"school": school, "division": division, "load": load, "previous": monday - WEEK, "next": monday + WEEK}
    return render(request, "cahier_textes/workload.html", context)
