"""Text messages go through a gateway chosen in the settings (`SMS_BACKEND`), like e-mail through Django's backend.

A gateway is a class with `send_messages(messages) -> int`. The console one prints them (the demo, a
bare machine); the memory one keeps them in `outbox` (tests read it as they read `mail.outbox`). A
real operator's gateway is one more class, named in the settings.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import Protocol

from django.conf import settings
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class TextMessage:
    to: str
    text: str
    # The idempotency key of the message (one per notification), for gateways that take a client
    # reference and drop a second submission of it.
    key: str = ""


class SmsBackend(Protocol):
    def send_messages(self, messages: list[TextMessage]) -> int: ...


class ConsoleSmsBackend:
    def send_messages(self, messages: list[TextMessage]) -> int:
        for message in messages:
            sys.stdout.write(f"SMS to {message.to}: {message.text}\n")
        sys.stdout.flush()
        return len(messages)


outbox: list[TextMessage] = []


class MemorySmsBackend:
    def send_messages(self, messages: list[TextMessage]) -> int:
        outbox.extend(messages)
        return len(messages)


def sms_backend() -> SmsBackend:
    backend: SmsBackend = import_string(settings.SMS_BACKEND)()
    return backend
