"""Uploaded documents told apart by their first bytes, and served back only as downloads.

The name a browser sends is the uploader's to choose and says nothing of the content: an HTML page
named `certificat.pdf` would run in a reader's browser if it were served as it claims to be. Office
documents (OpenDocument, OOXML) are zip archives: their signature is the zip's, their kind is then
the extension the uploader gave, and they are always served as downloads, never rendered.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import IO

from django.http import FileResponse


@dataclass(frozen=True)
class DocumentKind:
    extension: str
    content_type: str
    signature: bytes


PDF = DocumentKind("pdf", "application/pdf", b"%PDF-")
PNG = DocumentKind("png", "image/png", b"\x89PNG\r\n\x1a\n")
JPEG = DocumentKind("jpg", "image/jpeg", b"\xff\xd8\xff")
_ZIP = b"PK\x03\x04"
OFFICE = tuple(
    DocumentKind(extension, content_type, _ZIP)
    for extension, content_type in (
        ("odt", "application/vnd.oasis.opendocument.text"),
        ("ods", "application/vnd.oasis.opendocument.spreadsheet"),
        ("odp", "application/vnd.oasis.opendocument.presentation"),
        ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    )
)
# A family's justification: a scan or a photo.
KINDS = (PDF, PNG, JPEG)
# A teacher's worksheet or slides.
TEACHING_KINDS = (*KINDS, *OFFICE)
HEAD_BYTES = max(len(kind.signature) for kind in TEACHING_KINDS)


def stored_name(folder: str, school_id: int, filename: str) -> str:
    """Where an upload is stored: a random name under the school's folder, keeping at most five characters
    of the given extension (`bin` without one). Files are served by a view that checks access, never by name."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"{folder}/{school_id}/{uuid.uuid4().hex}.{extension[:5]}"


def kind_of(head: bytes, name: str = "", kinds: tuple[DocumentKind, ...] = KINDS) -> DocumentKind | None:
    """The accepted kind whose signature starts `head` (and, for zip archives, whose extension `name` has)."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    for kind in kinds:
        if head.startswith(kind.signature) and (kind.signature != _ZIP or kind.extension == extension):
            return kind
    return None


def read_kind(file: IO[bytes], name: str = "", kinds: tuple[DocumentKind, ...] = KINDS) -> DocumentKind | None:
    """The kind of an open file by its first bytes; the file is left at its start for whoever reads it next."""
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return kind_of(head, name, kinds)


def download(file: IO[bytes], *, kind: DocumentKind | None, stem: str) -> FileResponse:
    """A stored document as a download of the type its bytes show, never rendered, never cached."""
    response = FileResponse(
        file,
        content_type=kind.content_type if kind else "application/octet-stream",
        as_attachment=True,
        filename=f"{stem}.{kind.extension if kind else 'bin'}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
