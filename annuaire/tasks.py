"""Celery tasks of the directory.

`purge_expired_activation_codes` is cross-school housekeeping, scheduled nightly by beat
(`CELERY_BEAT_SCHEDULE`). `school_activation_figures` runs for one school, inside its scope
(see `schools.tasks.tenant_task`), and returns how many members of each profile are active
and how many of them activated their account. Both are idempotent: running them twice gives
the same database and the same answer.
"""

from __future__ import annotations

from celery import shared_task
from django.db.models import Count, Q
from django.utils import timezone

from annuaire.models import ActivationCode, Membership, Profile
from schools.models import School
from schools.tasks import task_options, tenant_task


@shared_task(name="annuaire.tasks.purge_expired_activation_codes", **task_options())
def purge_expired_activation_codes() -> int:
    """Delete the activation codes whose validity has ended (used or not); returns how many."""
    # Activation codes belong to people, not to one school: a cross-school table.
    deleted, _by_model = ActivationCode.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted


@tenant_task()
def school_activation_figures(school: School) -> dict[str, object]:
    """Per profile: active members of the school and, among them, activated accounts."""
    rows = (
        Membership.objects.filter(school=school, active=True)
        .order_by()
        .values("profile")
        .annotate(
            members=Count("user", distinct=True),
            activated=Count("user", distinct=True, filter=Q(user__activated_at__isnull=False)),
        )
    )
    counted = {row["profile"]: {"members": row["members"], "activated": row["activated"]} for row in rows}
    profiles = {profile.value: counted.get(profile.value, {"members": 0, "activated": 0}) for profile in Profile}
    return {"school": school.uai, "profiles": profiles}
