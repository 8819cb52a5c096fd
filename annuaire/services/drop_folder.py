"""The AAF drop folder: the rectorat's exports waiting in `AAF_DROP_DIR`, imported on a schedule.

The files waiting at the top of the folder (export files `.xml`, archives `.tgz`/`.tar.gz`)
are imported together in one run of `import_aaf` (all or nothing, recorded in the import
history with the origin "drop-folder"), then moved out of the way so that no file is ever
imported twice: to `done/<timestamp>/` when the run was applied, to `refused/<timestamp>/`
when it was refused (kept there for inspection). Sub-folders, hidden files (an upload in
progress often is one) and other names are left alone.

A delivery still arriving is not cut in half: when one of the waiting files changed less than
`settle_seconds` ago, nothing is imported and the next run takes the whole delivery. Only one
run at a time: a lock in the shared cache (Redis when Celery runs on workers) keeps two workers
from importing together; the one that does not get it does nothing.
"""

from __future__ import annotations

import logging
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.cache import cache
from django.utils import timezone

from annuaire.aaf.importer import import_aaf
from annuaire.aaf.report import ImportReport

logger = logging.getLogger(__name__)

ORIGIN = "drop-folder"
WAITING_SUFFIXES = (".xml", ".tgz", ".tar.gz")
DONE = "done"
REFUSED = "refused"
# A file changed more recently than this may still be uploading.
SETTLE_SECONDS = 60
LOCK_KEY = "annuaire:aaf-drop-folder:lock"
# Longer than any import (a Paris-size export takes about a minute); a lock left behind by a
# worker that died expires on its own.
LOCK_TIMEOUT = 2 * 60 * 60


def waiting_files(folder: Path) -> list[Path]:
    """The export files and archives at the top of `folder`, by name."""
    if not folder.is_dir():
        return []
    return sorted(
        path
        for path in folder.iterdir()
        if path.is_file() and not path.name.startswith(".") and path.name.lower().endswith(WAITING_SUFFIXES)
    )


@contextmanager
def drop_folder_lock(*, timeout: int = LOCK_TIMEOUT) -> Iterator[bool]:
    """Take the import lock if nobody holds it; yields whether it was taken (released on exit)."""
    token = uuid.uuid4().hex
    acquired = bool(cache.add(LOCK_KEY, token, timeout))
    try:
        yield acquired
    finally:
        # Release only our own lock, not one taken by another run after ours expired.
        if acquired and cache.get(LOCK_KEY) == token:
            cache.delete(LOCK_KEY)


def _new_folder(parent: Path) -> Path:
    """`parent/<timestamp>/`, numbered when two runs end within the same second."""
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    for attempt in range(1000):
        target = parent / (stamp if attempt == 0 else f"{stamp}-{attempt}")
        try:
            target.mkdir(parents=True)
        except FileExistsError:
            continue
        return target
    raise FileExistsError(f"{parent / stamp}: too many runs in the same second")


def _move(files: list[Path], destination: Path) -> None:
    for path in files:
        shutil.move(str(path), str(destination / path.name))


def import_drop_folder(*, folder: str | Path, settle_seconds: int = SETTLE_SECONDS) -> ImportReport | None:
    """Import what waits in the drop folder, then move it to done/ or refused/.

    Returns the run's report, or None when nothing was done: nothing waiting, a delivery still
    arriving, or another run holding the lock. Nothing is written in those cases.
    """
    folder = Path(folder)
    with drop_folder_lock() as acquired:
        if not acquired:
            logger.info("AAF drop folder %s: another import is running, nothing done", folder)
            return None
        files = waiting_files(folder)
        if not files:
            return None
        now = time.time()
        arriving = [path.name for path in files if now - path.stat().st_mtime < settle_seconds]
        if arriving:
            logger.info("AAF drop folder %s: delivery still arriving (%s), next run", folder, ", ".join(arriving))
            return None
        report = import_aaf(paths=files, origin=ORIGIN)
        destination = _new_folder(folder / (REFUSED if report.refused else DONE))
        _move(files, destination)
        logger.log(
            logging.WARNING if report.refused else logging.INFO,
            "AAF drop folder %s: run %s %s, %d file(s) moved to %s",
            folder,
            report.run_id,
            "refused" if report.refused else "applied",
            len(files),
            destination,
        )
        return report
