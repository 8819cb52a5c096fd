"""Writes of the homework book: a lesson's entry, homework given and ticked, the head's visa."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from annuaire.models import Division, User
from cahier_textes.models import (
    MAX_HOMEWORK_MINUTES,
    Attachment,
    Homework,
    HomeworkDone,
    LessonEntry,
    Revision,
    Visa,
)
from cahier_textes.richtext import plain, sanitise
from cahier_textes.selectors import class_lessons, is_covered_by_visa, next_lesson_of, same_class_lessons
from communication.notifications.services.notices import notify
from communication.notifications.texts import Text
from schools.documents import TEACHING_KINDS, read_kind
from vie_scolaire.models import Lesson, WeeklyLesson
from vie_scolaire.timetable.selectors import lesson_families


def _keep_before_visa_change(lesson: Lesson, old_text: str, new_text: str) -> bool:
    """Whether this change touches text a visa covers; answers it so the caller marks the change."""
    return bool(old_text) and old_text != new_text and is_covered_by_visa(lesson)


@transaction.atomic
def save_entry(*, lesson: Lesson, content: str, author: User) -> LessonEntry:
    """Write what was done in a lesson; a change after the head's visa is marked and the old text kept."""
    clean = sanitise(content)
    entry = LessonEntry.objects.select_for_update().filter(lesson=lesson).first()
    if entry is None:
        return LessonEntry.objects.create(school_id=lesson.school_id, lesson=lesson, content=clean, author=author)
    if _keep_before_visa_change(lesson, entry.content, clean):
        Revision.objects.create(school_id=lesson.school_id, entry=entry, text=entry.content, changed_by=author)
        entry.changed_after_visa_at = timezone.now()
    entry.content = clean
    entry.author = author
    entry.save()
    return entry


@dataclass(frozen=True)
class HomeworkData:
    description: str
    kind: str = Homework.Kind.TO_DO
    minutes: int | None = None
    # The lesson it is due for (one of the class's next lessons), else a date; neither: the next lesson.
    due_lesson_id: int | None = None
    due_on: datetime.date | None = None


def _due(lesson: Lesson, data: HomeworkData) -> tuple[Lesson | None, datetime.date]:
    if data.due_lesson_id is not None:
        later = same_class_lessons(lesson).filter(pk=data.due_lesson_id).first()
        if later is None or (later.date, later.start) <= (lesson.date, lesson.start):
            raise ValidationError(_("Le travail est à rendre pour une séance suivante de la même classe."))
        return later, later.date
    if data.due_on is not None:
        if data.due_on <= lesson.date:
            raise ValidationError(_("Le travail est à rendre après la séance où il est donné."))
        return None, data.due_on
    following = next_lesson_of(lesson)
    if following is None:
        raise ValidationError(_("Aucune séance suivante de cette classe cette année : choisissez une date."))
    return following, following.date


def _checked(data: HomeworkData) -> str:
    description = sanitise(data.description)
    if not plain(description):
        raise ValidationError(_("Décrivez le travail à faire."))
    if data.kind not in Homework.Kind.values:
        raise ValidationError(_("Type de travail inconnu."))
    if data.minutes is not None and not 0 < data.minutes <= MAX_HOMEWORK_MINUTES:
        raise ValidationError(_("La durée estimée compte de 1 à %(max)d minutes.") % {"max": MAX_HOMEWORK_MINUTES})
    return description


@transaction.atomic
def give_homework(*, lesson: Lesson, data: HomeworkData, author: User) -> Homework:
    """Homework given in a lesson, due for the class's next lesson unless another lesson or a date is chosen."""
    description = _checked(data)
    due_lesson, due_on = _due(lesson, data)
    homework = Homework.objects.create(
        school_id=lesson.school_id,
        given_in=lesson,
        due_lesson=due_lesson,
        due_on=due_on,
        description=description,
        minutes=data.minutes,
        kind=data.kind,
        author=author,
    )
    _tell_families(homework)
    return homework


# One message per kind, so each language words it its own way.
_HOMEWORK_GIVEN: dict[str, str] = {
    Homework.Kind.TO_DO: gettext_noop("Travail à faire en %(subject)s pour le %(date)s"),
    Homework.Kind.LEARN: gettext_noop("Leçon à apprendre en %(subject)s pour le %(date)s"),
    Homework.Kind.ASSESSMENT: gettext_noop("Évaluation annoncée en %(subject)s pour le %(date)s"),
}


def _tell_families(homework: Homework) -> None:
    """The class's students and their parents find the new homework in their notifications."""
    lesson = homework.given_in
    title = Text(_HOMEWORK_GIVEN[homework.kind], subject=lesson.weekly_lesson.subject.name, date=homework.due_on)
    url = reverse("homework:home", kwargs={"uai": lesson.school.uai}) + f"?date={homework.due_on.isoformat()}"
    notify(school=lesson.school, recipients=lesson_families(lesson), kind="homework.given", title=title, url=url)


@transaction.atomic
def change_homework(*, homework: Homework, data: HomeworkData, author: User) -> Homework:
    description = _checked(data)
    due_lesson, due_on = _due(homework.given_in, data)
    if _keep_before_visa_change(homework.given_in, homework.description, description):
        Revision.objects.create(
            school_id=homework.school_id, homework=homework, text=homework.description, changed_by=author
        )
        homework.changed_after_visa_at = timezone.now()
    homework.description, homework.kind, homework.minutes = description, data.kind, data.minutes
    homework.due_lesson, homework.due_on, homework.author = due_lesson, due_on, author
    homework.save()
    return homework


@transaction.atomic
def delete_homework(*, homework: Homework) -> None:
    if is_covered_by_visa(homework.given_in):
        raise ValidationError(_("Ce travail est couvert par un visa : corrigez-le plutôt que de le supprimer."))
    homework.delete()


def tick_homework(*, homework: Homework, student: User, done: bool) -> None:
    """A student's own tick; ticking twice or unticking what was not ticked changes nothing."""
    if done:
        HomeworkDone.objects.get_or_create(school_id=homework.school_id, homework=homework, student=student)
    else:
        HomeworkDone.objects.filter(homework=homework, student=student).delete()


@transaction.atomic
def sign_visa(
    *, teacher: User, division: Division, signed_by: User, comment: str = "", until: datetime.date | None = None
) -> Visa:
    """The head countersigns a teacher's book for a division, for the lessons up to `until` (today)."""
    today = timezone.localdate()
    until = until or today
    if until > today:
        raise ValidationError(_("Un visa porte sur des séances passées ou du jour."))
    return Visa.objects.create(
        school_id=division.school_id,
        teacher=teacher,
        division=division,
        signed_by=signed_by,
        covers_until=until,
        comment=plain(comment)[:2000],
    )


# --- Attachments ---------------------------------------------------------------------------------


def _checked_file(file: UploadedFile) -> None:
    """A PDF, an image or an office document (by its bytes) of at most the configured size."""
    limit = settings.HOMEWORK_ATTACHMENT_MAX_BYTES
    if not file.size:
        raise ValidationError(_("Le fichier est vide."))
    if file.size > limit:
        raise ValidationError(
            _("Le fichier dépasse la taille maximale de %(limit)s.") % {"limit": filesizeformat(limit)}
        )
    kind = read_kind(file, file.name or "", TEACHING_KINDS)
    if kind is None:
        raise ValidationError(
            _("Joignez un PDF, une image PNG ou JPEG, ou un document bureautique (ODT, ODS, ODP, DOCX, XLSX, PPTX).")
        )
    file.name = f"document.{kind.extension}"


def _checked_link(url: str) -> str:
    url = url.strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        raise ValidationError(_("Un lien commence par https:// ou http://.")) from None
    return url


@transaction.atomic
def attach(
    *,
    lesson: Lesson,
    name: str,
    author: User,
    homework: Homework | None = None,
    file: UploadedFile | None = None,
    url: str = "",
) -> Attachment:
    """A file or a link joined to the lesson's entry (created empty if need be) or to a homework of the lesson."""
    if (file is None) == (not url.strip()):
        raise ValidationError(_("Joignez soit un fichier, soit un lien."))
    if homework is not None and homework.given_in_id != lesson.pk:
        raise ValidationError(_("Ce travail n'est pas donné dans cette séance."))
    if file is not None:
        _checked_file(file)
        label = name.strip() or (file.name or "")
    else:
        url = _checked_link(url)
        label = name.strip() or url
    entry = None
    if homework is None:
        entry = LessonEntry.objects.filter(lesson=lesson).first() or LessonEntry.objects.create(
            school_id=lesson.school_id, lesson=lesson, author=author
        )
    return Attachment.objects.create(
        school_id=lesson.school_id, entry=entry, homework=homework, name=label[:200], file=file or "", url=url
    )


def detach(*, attachment: Attachment) -> None:
    if attachment.file:
        attachment.file.delete(save=False)
    attachment.delete()


MAX_COPIED = 40


@transaction.atomic
def copy_entries(*, source: WeeklyLesson, first_day: datetime.date, target: Lesson, count: int, author: User) -> int:
    """Copy `count` entries of a class (from `first_day` on, in order) onto this lesson and the class's next
    ones, leaving lessons that already have content alone; answers how many were copied."""
    if not 1 <= count <= MAX_COPIED:
        raise ValidationError(_("Copiez de 1 à %(max)d séances à la fois.") % {"max": MAX_COPIED})
    if not source.teachers.filter(pk=author.pk).exists():
        raise ValidationError(_("Vous reprenez les contenus de vos propres classes seulement."))
    texts = list(
        LessonEntry.objects.filter(lesson__in=class_lessons(source), lesson__date__gte=first_day)
        .exclude(content="")
        .order_by("lesson__date", "lesson__start")
        .values_list("content", flat=True)[:count]
    )
    later = Q(date__gt=target.date) | Q(date=target.date, start__gte=target.start)
    targets = list(same_class_lessons(target).filter(later).order_by("date", "start")[: len(texts) * 2])
    written = {entry.lesson_id: entry for entry in LessonEntry.objects.filter(lesson__in=targets)}
    copied = 0
    for lesson in targets:
        if copied == len(texts):
            break
        entry = written.get(lesson.pk)
        if entry is not None and entry.content:
            continue
        save_entry(lesson=lesson, content=texts[copied], author=author)
        copied += 1
    return copied
