"""Celery tasks of the directory.

`purge_expired_activation_codes` is cross-school housekeeping, scheduled nightly by beat
(`CELERY_BEAT_SCHEDULE`), and so is `import_aaf_drop_folder` (the importer decides which
schools an export touches). `school_activation_figures` runs for one school, inside its scope
(see `schools.tasks.tenant_task`), and returns how many members of each profile are active
and how many of them activated their account. Both are idempotent: running them twice gives
the same database and the same answer.
"""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from annuaire.models import Profile
from annuaire.oversight import activation_by_profile
from annuaire.services.activation import purge_expired_codes
from annuaire.services.drop_folder import import_drop_folder
from schools.models import School
from schools.tasks import task_options, tenant_task


@shared_task(name="annuaire.tasks.purge_expired_activation_codes", **task_options())
def purge_expired_activation_codes() -> int:
    """Delete the activation codes whose validity has ended (used or not); returns how many."""
    return purge_expired_codes()


@shared_task(name="annuaire.tasks.import_aaf_drop_folder", **task_options())
def import_aaf_drop_folder() -> dict[str, object] | None:
    """Import the AAF exports waiting in `AAF_DROP_DIR`; None when there was nothing to do.

    Idempotent: imported files leave the folder, and a second import of the same export
    writes nothing. A transient database error leaves the files where they are and retries.
    """
    report = import_drop_folder(folder=settings.AAF_DROP_DIR)
    if report is None:
        return None
    return {
        "run": report.run_id,
        "refused": report.refused,
        "files": report.files,
        "rows_written": report.rows_written,
        "warnings": len(report.warnings),
        "errors": len(report.errors),
    }


@tenant_task()
def school_activation_figures(school: School) -> dict[str, object]:
    """Per profile: active members of the school and, among them, activated accounts."""
    counted = activation_by_profile(school)
    profiles = {profile.value: counted.get(profile.value, {"members": 0, "activated": 0}) for profile in Profile}
    return {"school": school.uai, "profiles": profiles}
