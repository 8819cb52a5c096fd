"""The checks the attendance writes share: a document, a comment, a reason, who may justify, the rows chosen."""

from __future__ import annotations

import datetime
from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from annuaire.models import Membership, Profile, User
from schools.documents import read_kind
from schools.models import School
from vie_scolaire.attendance.models import Absence, AbsenceReason, Lateness
from vie_scolaire.attendance.selectors.families import MINOR_JUSTIFIES_NOT
from vie_scolaire.permissions import JUSTIFY_ABSENCES

# --- Checks shared by the writes ---------------------------------------------------------------

COMMENT_MAX_LENGTH = 1000


def check_document(document: UploadedFile | None) -> None:
    """A PDF, PNG or JPEG (by its first bytes, not its name) of at most the configured size.

    On success the upload's name is set to the detected kind's extension, so the stored file
    says what it really is.
    """
    if document is None:
        return
    limit = settings.ATTENDANCE_DOCUMENT_MAX_BYTES
    if not document.size:
        raise ValidationError(_("Le justificatif est vide : choisissez un autre fichier."))
    if document.size > limit:
        raise ValidationError(
            _("Le justificatif dépasse la taille maximale de %(limit)s : réduisez-le ou photographiez-le à nouveau.")
            % {"limit": filesizeformat(limit)}
        )
    kind = read_kind(document)
    if kind is None:
        raise ValidationError(_("Le justificatif doit être un PDF ou une image PNG ou JPEG."))
    document.name = f"justificatif.{kind.extension}"


def check_comment(comment: str) -> str:
    comment = comment.strip()
    if len(comment) > COMMENT_MAX_LENGTH:
        raise ValidationError(_("Le commentaire compte au plus %(max)d caractères.") % {"max": COMMENT_MAX_LENGTH})
    return comment


def check_span(starts_at: datetime.datetime, ends_at: datetime.datetime) -> None:
    """An absence from one moment to another (declared by a family, recorded by the office) ends after it starts."""
    if ends_at <= starts_at:
        raise ValidationError(_("La fin de l'absence doit venir après son début."))


def check_parent_reason(school: School, reason: AbsenceReason) -> None:
    if reason.school_id != school.pk or not (reason.parents_may_choose and reason.visible_to_parents):
        raise ValidationError(_("Ce motif n'est pas proposé aux familles."))


def check_school_reason(school: School, reason: AbsenceReason | None) -> None:
    if reason is not None and reason.school_id != school.pk:
        raise ValidationError(_("Ce motif n'existe pas dans l'établissement."))


def check_may_justify(school: School, by: User, student: User) -> None:
    """`JUSTIFY_ABSENCES` on the student's membership: a legal representative who follows them, or the adult student."""
    membership = Membership.objects.filter(school=school, user=student, profile=Profile.STUDENT).first()
    if membership is not None and by.has_perm(JUSTIFY_ABSENCES, membership):
        return
    if by.pk == student.pk:
        raise ValidationError(str(MINOR_JUSTIFIES_NOT))
    raise ValidationError(_("Seuls l'élève majeur et ses responsables légaux justifient ses absences."))


def check_student(school: School, student: User) -> None:
    enrolled = Membership.objects.filter(school=school, user=student, profile=Profile.STUDENT, active=True)
    if not enrolled.exists():
        raise ValidationError(_("Cet élève n'est pas inscrit dans l'établissement."))


def day_label(moment: datetime.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "l j F")


def chosen_rows(
    school: School, student: User, absence_ids: Collection[int], lateness_ids: Collection[int]
) -> tuple[list[Absence], list[Lateness]]:
    """The student's absences and lateness with these ids, locked; a single foreign or unknown id
    refuses them all."""
    return (
        _chosen(school, student, Absence, absence_ids, _("Une des absences choisies est inconnue.")),
        _chosen(school, student, Lateness, lateness_ids, _("Un des retards choisis est inconnu.")),
    )


def _chosen(
    school: School, student: User, model: type[Absence] | type[Lateness], ids: Collection[int], what: str
) -> list[Any]:
    wanted = set(ids)
    rows = list(
        model.objects.select_for_update(of=("self",))
        .filter(school=school, pk__in=wanted)
        .select_related("reason", "justification", "lesson")
    )
    if len(rows) != len(wanted) or any(row.student_id != student.pk for row in rows):
        raise ValidationError(what)
    return rows
