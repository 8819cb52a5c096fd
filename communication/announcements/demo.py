"""The demo schools' announcements (a `seed_demo` step): a few current ones to the whole school, to the
parents, to one division, an expired one, and one written by a delegated CPE waiting for approval."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone

from annuaire.models import Division, Membership, Profile
from annuaire.services.demo import DemoWorld, register_demo_step
from communication.announcements.models import Announcement, AnnouncementAudience, AnnouncementSettings
from schools.models import School
from schools.tenancy import school_scope

DAY = datetime.timedelta(days=1)
# (title, body, audience, published days ago, expires in days or None)
PUBLISHED = (
    (
        "Journée portes ouvertes",
        "Le collège ouvre ses portes samedi de 9 h à 12 h : familles et futurs élèves sont les bienvenus.",
        "school", 2, 10,
    ),
    (
        "Réunion parents-professeurs",
        "Les rencontres parents-professeurs auront lieu jeudi à partir de 17 h. Inscriptions auprès du professeur "
        "principal.",
        "parents", 1, 14,
    ),
    (
        "Sortie au musée d'Orsay",
        "La classe se rendra au musée d'Orsay vendredi. Prévoir un pique-nique et la carte Navigo.",
        "division", 0, 7,
    ),
    ("Photos de classe", "Les photos de classe ont été prises le mois dernier.", "school", 40, -10),
)  # fmt: skip
PENDING = ("Tournoi de football", "Le tournoi inter-classes se tiendra au gymnase mercredi après-midi.")


def _audience(announcement: Announcement, kind: str, division: Division | None) -> list[AnnouncementAudience]:
    school = announcement.school
    if kind == "parents":
        return [AnnouncementAudience(school=school, announcement=announcement, profile=Profile.PARENT)]
    if kind == "division" and division is not None:
        return [AnnouncementAudience(school=school, announcement=announcement, division=division)]
    return []


def write_demo_announcements(school: School) -> dict[str, int]:
    """Written directly (no fan-out): the demo's notifications would drown the other modules' ones."""
    head = Membership.objects.filter(school=school, profile=Profile.DIRECTION).select_related("user").first()
    staff = Membership.objects.filter(school=school, profile=Profile.STAFF).select_related("user").first()
    division = Division.objects.filter(school=school).order_by("code").first()
    now = timezone.now()
    audience: list[AnnouncementAudience] = []
    for title, body, kind, days_ago, expires_in in PUBLISHED:
        announcement = Announcement.objects.create(
            school=school, title=title, body=body, author=head.user if head else None, whole_school=kind == "school",
            publish_at=now - days_ago * DAY, expires_at=now + expires_in * DAY, notified_at=now,
        )  # fmt: skip
        audience += _audience(announcement, kind, division)
    AnnouncementAudience.objects.bulk_create(audience)
    AnnouncementSettings.objects.create(school=school, approval_required=True)
    Announcement.objects.create(
        school=school, title=PENDING[0], body=PENDING[1], author=staff.user if staff else None, whole_school=True,
        publish_at=now, status=Announcement.Status.PENDING,
    )  # fmt: skip
    return {"actualités publiées": len(PUBLISHED), "actualités en attente": 1}


@register_demo_step(name="actualités", order=60)
def seed_announcements(world: DemoWorld) -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for school in world.schools.values():
        with school_scope(school):
            if Announcement.objects.filter(school=school).exists():
                continue
            for name, count in write_demo_announcements(school).items():
                counts[name] += count
    return dict(counts)
