"""E-mail backends for tests: real Django backends with one failure each (not mocks of project code)."""

from __future__ import annotations

import os
import signal
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.filebased import EmailBackend as FileBackend
from django.core.mail.message import EmailMessage


class RefusingBackend(BaseEmailBackend):
    """A mail server out of reach."""

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        raise ConnectionRefusedError("mail server unreachable")


class DyingFileBackend(FileBackend):
    """Writes each message to a file of `ENT_TEST_OUTBOX`; the first time the outbox holds
    `ENT_TEST_DIE_AFTER` messages, the process (a Celery worker) is killed with SIGKILL before writing
    the next one: a worker lost mid-task, between two notifications."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, file_path=os.environ["ENT_TEST_OUTBOX"], **kwargs)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        outbox = Path(os.environ["ENT_TEST_OUTBOX"])
        marker = outbox.parent / "killed"
        if not marker.exists() and len(sent_message_ids(outbox)) >= int(os.environ["ENT_TEST_DIE_AFTER"]):
            marker.touch()
            os.kill(os.getpid(), signal.SIGKILL)
        return super().send_messages(email_messages)


def sent_message_ids(outbox: Path) -> list[str]:
    """The Message-ID of every message in the folder (the file backend may append several to one file)."""
    return [
        line.split(":", 1)[1].strip()
        for path in sorted(outbox.iterdir())
        for line in path.read_text(errors="replace").splitlines()
        if line.startswith("Message-ID:")
    ]
