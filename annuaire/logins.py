"""Login names: `prenom.nom`, accents folded, hyphens kept, duplicates numbered.

A login, once given, never changes: re-imports keep it, so only new accounts call these.
"""

from __future__ import annotations

import unicodedata


def login_base(first_name: str, last_name: str) -> str:
    """`Hélène`, `De La Tour-Martin` -> `helene.de-la-tour-martin`."""
    text = unicodedata.normalize("NFKD", f"{first_name.strip()}.{last_name.strip()}")
    text = text.encode("ascii", "ignore").decode().lower()
    text = "-".join(text.replace("'", "").split())
    cleaned = "".join(ch for ch in text if ch.isalnum() or ch in ".-")
    return cleaned.strip(".-") or "compte"


def allocate_login(base: str, taken: set[str]) -> str:
    """The first free name among `base`, `base2`, `base3`...; records it in `taken`."""
    login, n = base, 1
    while login in taken:
        n += 1
        login = f"{base}{n}"
    taken.add(login)
    return login
