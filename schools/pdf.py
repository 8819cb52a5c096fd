"""HTML to PDF (weasyprint) for every printed document: activation letters, report cards."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn


def pdf_writer() -> Callable[[str], bytes] | None:
    """A function turning HTML into PDF bytes, or None when weasyprint cannot load (no Pango)."""
    try:
        # Imported here: it loads Pango, needed only when printing.
        from weasyprint import HTML
    except (ImportError, OSError):
        return None

    def refuse_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
        # Everything a document needs is inline: no file or network access while rendering.
        raise ValueError(f"printed documents load no external resource ({url})")

    def write(html: str) -> bytes:
        return HTML(string=html, url_fetcher=refuse_fetch).write_pdf()

    return write
