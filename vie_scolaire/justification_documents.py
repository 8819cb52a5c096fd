"""The documents a family may attach to a justification: PDF, PNG or JPEG, told apart by their first bytes.

The name a browser sends is the family's to choose and says nothing of the content: an HTML page
named `certificat.pdf` would run in the office's browser if it were served as it claims to be.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class DocumentKind:
    extension: str
    content_type: str
    signature: bytes


KINDS = (
    DocumentKind("pdf", "application/pdf", b"%PDF-"),
    DocumentKind("png", "image/png", b"\x89PNG\r\n\x1a\n"),
    DocumentKind("jpg", "image/jpeg", b"\xff\xd8\xff"),
)
HEAD_BYTES = max(len(kind.signature) for kind in KINDS)


def kind_of(head: bytes) -> DocumentKind | None:
    """The accepted kind whose signature starts `head`, if any."""
    return next((kind for kind in KINDS if head.startswith(kind.signature)), None)


def read_kind(file: IO[bytes]) -> DocumentKind | None:
    """The kind of an open file by its first bytes; the file is left at its start for whoever reads it next."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return kind_of(head)
