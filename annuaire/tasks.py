"""Celery tasks of the directory.

`purge_expired_activation_codes` is cross-school housekeeping, scheduled nightly by beat
(`CELERY_BEAT_SCHEDULE`). `school_activation_figures` runs for one school, inside its scope
(see `schools.tasks.tenant_task`), and returns how many members of each profile are active
and how many of them activated their account. Both are idempotent: running them twice gives
the same database and the same answer.
"""

from __future__ import annotations

from celery import shared_task

from annuaire.models import Profile
from annuaire.oversight import activation_by_profile
from annuaire.services.activation import purge_expired_codes
from schools.models import School
from schools.tasks import task_options, tenant_task


@shared_task(name="annuaire.tasks.purge_expired_activation_codes", **task_options())
def purge_expired_activation_codes() -> int:
    """Delete the activation codes whose validity has ended (used or not); returns how many."""
    return purge_expired_codes()


@tenant_task()
def school_activation_figures(school: School) -> dict[str, object]:
    """Per profile: active members of the school and, among them, activated accounts."""
    counted = activation_by_profile(school)
    profiles = {profile.value: counted.get(profile.value, {"members": 0, "activated": 0}) for profile in Profile}
    return {"school": school.uai, "profiles": profiles}
