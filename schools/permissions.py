"""Permission names of the schools app.

Which profile holds them is decided by the role table in `annuaire.roles`; the ones a
head may delegate to one person are django-guardian permissions on the School row.
"""

from typing import Any

ACCESS_SCHOOL = "schools.access_school"
VIEW_OVERVIEW = "schools.view_overview"
MANAGE_SERVICES = "schools.manage_services"
MANAGE_ACCOUNTS = "schools.manage_accounts"
MANAGE_DELEGATIONS = "schools.manage_delegations"
VIEW_CITY_CONSOLE = "schools.view_city_console"
# People's codes and contact details: held with the accounts right when it comes through the
# school (a head, a delegate), never through the city profile.
MANAGE_PERSONAL_DATA = "schools.manage_personal_data"

# What a city admin holds in every school: oversight and administration, never the
# personal data of students and families.
CITY_PERMISSIONS = frozenset({VIEW_CITY_CONSOLE, VIEW_OVERVIEW, MANAGE_SERVICES, MANAGE_ACCOUNTS})

# Rights a head may grant to one member of their school: the schools app's own (labelled in the School
# model's Meta), and those other apps declare with `delegable`, each with its French label.
DELEGABLE_PERMISSIONS: list[str] = [VIEW_OVERVIEW, MANAGE_SERVICES, MANAGE_ACCOUNTS]
DELEGABLE_LABELS: dict[str, Any] = {}


def delegable(perm: str, label: Any) -> None:
    """Let heads delegate an app's right (`app.codename`) to one member of their school."""
    if perm not in DELEGABLE_PERMISSIONS:
        DELEGABLE_PERMISSIONS.append(perm)
    DELEGABLE_LABELS[perm] = label


def delegated_name(app_label: str, codename: str) -> str:
    """The right a delegation row grants: another app's right is stored under its full name."""
    return codename if "." in codename else f"{app_label}.{codename}"
