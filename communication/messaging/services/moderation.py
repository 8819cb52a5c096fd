"""Writes of the messaging's moderation: the log, the reports of messages, the suspension switch and the
school's rules (the policy matrix, the sending limits, the parents' reading option).

Every refusal of the abuse controls (`sending.py`) and every change of a switch or a rule is one row
of the moderation log, which the direction reads beside the reports.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_noop

from annuaire.models import Membership, Profile, User
from communication.messaging.models import (
    Message,
    MessageReport,
    MessagingSettings,
    ModerationEvent,
    PolicyRule,
    Reach,
    SendingLimit,
)
from communication.messaging.policy import DEFAULT_LIMITS, DEFAULT_REACH, PROFILES, Limits
from communication.notifications.services.notices import notify
from communication.notifications.texts import Text
from schools.models import School

REPORTED = "message.reported"


def log(*, school: School, kind: str, actor: Any, detail: str = "", message: Message | None = None) -> ModerationEvent:
    return ModerationEvent.objects.create(school=school, kind=kind, actor=actor, detail=detail[:500], message=message)


def report_message(*, school: School, reporter: User, message: Message, reason: str) -> MessageReport:
    """A participant's report of a message: logged, and the direction notified."""
    with transaction.atomic():
        report = MessageReport.objects.create(
            school=school, message=message, reporter=reporter, reason=reason.strip()[:1000]
        )
        log(school=school, kind=ModerationEvent.Kind.REPORT, actor=reporter, detail=reason, message=message)
        heads = User.objects.filter(
            pk__in=Membership.objects.filter(school=school, profile=Profile.DIRECTION, active=True).values("user")
        )
        notify(
            school=school,
            recipients=heads,
            kind=REPORTED,
            title=Text(gettext_noop("Un message a été signalé par %(name)s"), name=reporter.get_full_name()),
            url=reverse("messaging:reports", kwargs={"uai": school.uai}),
        )
    return report


def settings_of(school: School) -> MessagingSettings:
    found, _created = MessagingSettings.objects.get_or_create(school=school)
    return found


@transaction.atomic
def set_suspension(*, school: School, by: User, students: bool, parents: bool) -> MessagingSettings:
    """Suspend or restore sending for students and/or parents; the next sending reads it."""
    current = settings_of(school)
    if (current.students_suspended, current.parents_suspended) != (students, parents):
        current.students_suspended, current.parents_suspended = students, parents
        current.save(update_fields=["students_suspended", "parents_suspended"])
        detail = f"students={'suspended' if students else 'open'} parents={'suspended' if parents else 'open'}"
        log(school=school, kind=ModerationEvent.Kind.SWITCH, actor=by, detail=detail)
    return current


@transaction.atomic
def set_policy(
    *,
    school: School,
    by: User,
    reach: dict[tuple[str, str], str],
    limits: dict[str, Limits],
    parents_read_young_children: bool,
) -> None:
    """Store the cells and limits that differ from the defaults (the others follow the defaults)."""
    PolicyRule.objects.filter(school=school).delete()
    PolicyRule.objects.bulk_create(
        PolicyRule(school=school, sender_profile=s, recipient_profile=r, reach=value)
        for (s, r), value in reach.items()
        if s in PROFILES and r in PROFILES and value in Reach.values and value != DEFAULT_REACH[(s, r)]
    )
    SendingLimit.objects.filter(school=school).delete()
    SendingLimit.objects.bulk_create(
        SendingLimit(school=school, profile=p, max_recipients=value.max_recipients, max_per_minute=value.max_per_minute)
        for p, value in limits.items()
        if p in PROFILES and value != DEFAULT_LIMITS[p]
    )
    current = settings_of(school)
    current.parents_read_young_children = parents_read_young_children
    current.save(update_fields=["parents_read_young_children"])
    log(school=school, kind=ModerationEvent.Kind.POLICY, actor=by, detail=_describe(reach, limits))


def _describe(reach: dict[tuple[str, str], str], limits: dict[str, Limits]) -> str:
    cells = [f"{s}>{r}={v}" for (s, r), v in sorted(reach.items()) if v != DEFAULT_REACH.get((s, r))]
    caps = [
        f"{p}:{v.max_recipients}/{v.max_per_minute}" for p, v in sorted(limits.items()) if v != DEFAULT_LIMITS.get(p)
    ]
    return " ".join(cells + caps) or "defaults"
