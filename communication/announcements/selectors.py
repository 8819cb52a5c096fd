"""Reads of announcements: who an announcement reaches, which ones a person sees, the managers' list."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from annuaire.models import Division, Guardianship, Membership, Profile, TeachingAssignment, User
from annuaire.selectors import FollowedStudents, followed_students, profiles_in
from communication.announcements.models import (
    Announcement,
    AnnouncementAudience,
    AnnouncementRead,
    AnnouncementSettings,
)
from communication.announcements.permissions import APPROVE_ANNOUNCEMENTS, WRITE_ANNOUNCEMENTS
from schools.access import not_found
from schools.models import School
from schools.rows import aware, school_rows


def approval_required(school: School) -> bool:
    return AnnouncementSettings.objects.filter(school=school, approval_required=True).exists()


def audience_user_ids(announcement: Announcement) -> QuerySet[User, int]:
    """The people an announcement reaches, as a query of user ids (never loaded whole by the fan-out).

    A division reaches its students, their legal representatives and the teachers who teach it.
    """
    school_id = announcement.school_id
    members = Membership.objects.filter(school_id=school_id, active=True)
    if announcement.whole_school:
        return User.objects.filter(is_active=True, pk__in=members.values("user")).values_list("pk", flat=True)
    parts = list(AnnouncementAudience.objects.filter(announcement=announcement).values_list("profile", "division_id"))
    profiles = [profile for profile, _division in parts if profile]
    divisions = [division for _profile, division in parts if division]
    students = members.filter(profile=Profile.STUDENT, division_id__in=divisions).values("user")
    condition = Q(pk__in=members.filter(profile__in=profiles).values("user")) | Q(pk__in=students)
    if divisions:
        guardians = Guardianship.objects.filter(school_id=school_id, legal_representative=True, student__in=students)
        teachers = TeachingAssignment.objects.filter(school_id=school_id, division_id__in=divisions)
        active_parents = members.filter(profile=Profile.PARENT).values("user")
        active_teachers = members.filter(profile=Profile.TEACHER).values("user")
        condition |= Q(pk__in=guardians.values("guardian")) & Q(pk__in=active_parents)
        condition |= Q(pk__in=teachers.values("teacher")) & Q(pk__in=active_teachers)
    return User.objects.filter(condition, is_active=True).values_list("pk", flat=True)


def _reader_divisions(user: Any, school: School) -> QuerySet[Division, int]:
    """The divisions through which a person is addressed: their own, their children's, those they teach
    (a subquery: no query of its own)."""
    own = Membership.objects.filter(school=school, user=user, active=True, profile=Profile.STUDENT)
    children = Guardianship.objects.filter(school=school, guardian=user, legal_representative=True).values("student")
    childrens = Membership.objects.filter(school=school, user__in=children, profile=Profile.STUDENT, active=True)
    condition = Q(pk__in=own.values("division")) | Q(pk__in=childrens.values("division")) | _taught(user, school)
    return Division.objects.filter(school=school).filter(condition).values_list("pk", flat=True)


def _taught(user: Any, school: School, field: str = "pk") -> Q:
    taught = TeachingAssignment.objects.filter(school=school, teacher=user).exclude(division=None)
    return Q(**{f"{field}__in": taught.values("division")})


def _addressed(
    user: Any, school: School, moment: datetime.datetime, students: FollowedStudents | None
) -> QuerySet[Announcement]:
    profiles = sorted(profiles_in(user, school))
    if students is None:
        addressed = Q(division__in=_reader_divisions(user, school))
    else:
        addressed = Q(division__in=students.division_ids) | _taught(user, school, "division")
    audience = AnnouncementAudience.objects.filter(announcement=OuterRef("pk")).filter(
        Q(profile__in=profiles) | addressed
    )
    return (
        Announcement.objects.filter(school=school, status=Announcement.Status.PUBLISHED, publish_at__lte=moment)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=moment))
        .filter(Q(whole_school=True) | Exists(audience))
        .order_by("-publish_at", "-pk")
    )


def _read_by(user: Any) -> Exists:
    return Exists(AnnouncementRead.objects.filter(announcement=OuterRef("pk"), user=user))


def current_announcements(
    user: Any, school: School, moment: datetime.datetime, students: FollowedStudents | None = None
) -> QuerySet[Announcement]:
    """The published announcements addressed to `user` and current at `moment`, newest first, each with
    `is_read` (one query).

    `students`: the page's `followed_students(user, school)`, when it read them already: their divisions
    are then a list in the query rather than two more nested subqueries.
    """
    return _addressed(user, school, moment, students).annotate(is_read=_read_by(user))


HOME_ANNOUNCEMENTS = """
    SELECT a.id, a.title, a.body, a.publish_at, EXISTS (
        SELECT 1 FROM communication_announcementread seen
        WHERE seen.school_id = %(school)s AND seen.announcement_id = a.id AND seen.user_id = %(user)s
    )
    FROM communication_announcement a
    WHERE a.school_id = %(school)s AND a.status = %(published)s AND a.publish_at <= %(moment)s
      AND (a.expires_at IS NULL OR a.expires_at > %(moment)s)
      AND (a.whole_school OR EXISTS (
        SELECT 1 FROM communication_announcementaudience audience
        WHERE audience.school_id = %(school)s AND audience.announcement_id = a.id
          AND (audience.profile IN %(profiles)s OR audience.division_id IN %(divisions)s
               OR audience.division_id IN (
                 SELECT taught.division_id FROM annuaire_teachingassignment taught
                 WHERE taught.school_id = %(school)s AND taught.teacher_id = %(user)s
                   AND taught.division_id IS NOT NULL))))
    ORDER BY a.publish_at DESC, a.id DESC
    LIMIT %(count)s"""


def home_announcements(
    user: Any, school: School, moment: datetime.datetime, students: FollowedStudents | None, count: int
) -> list[Mapping[str, object]]:
    """The `count` newest of `current_announcements` for the home page, as rows of what it shows (id, title,
    body, publication, read state), in one hand-written read (schools.rows): the same audience, the
    divisions of `students` (the page's `followed_students`) and those the user teaches."""
    if students is None:
        students = followed_students(user, school)
    rows = school_rows(
        HOME_ANNOUNCEMENTS,
        user=user.pk,
        published=Announcement.Status.PUBLISHED.value,
        moment=moment,
        profiles=sorted(profiles_in(user, school)),
        divisions=students.division_ids,
        count=count,
    )
    return [
        {"pk": pk, "title": title, "body": body, "publish_at": aware(publish_at), "is_read": bool(is_read)}
        for pk, title, body, publish_at, is_read in rows
    ]


def managed_announcements(user: Any, school: School) -> QuerySet[Announcement]:
    """What the writers and approvers see: every announcement of the school, with its audience."""
    if not (user.has_perm(WRITE_ANNOUNCEMENTS, school) or user.has_perm(APPROVE_ANNOUNCEMENTS, school)):
        return Announcement.objects.none()
    audience = AnnouncementAudience.objects.select_related("division")
    return (
        Announcement.objects.filter(school=school)
        .select_related("author", "reviewed_by")
        .prefetch_related(Prefetch("audience", queryset=audience))
        .order_by("-publish_at", "-pk")
    )


def access_announcement(user: Any, school: School, announcement_id: int, moment: datetime.datetime) -> Announcement:
    """One announcement for a reader (current and addressed to them) or a manager; else "not found"."""
    found = current_announcements(user, school, moment).filter(pk=announcement_id).first()
    if found is None:
        found = managed_announcements(user, school).filter(pk=announcement_id).first()
    if found is None:
        not_found(_("Cette actualité n'existe pas ou ne vous est pas adressée."))
    return found
