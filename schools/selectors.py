"""Reads of schools: service states, the city console."""

from __future__ import annotations

from schools.models import School, SchoolService


def service_states(school: School) -> dict[str, tuple[str, str]]:
    """module code -> (state, external url) for a school, read inside its scope."""
    rows = SchoolService.objects.filter(school=school).values_list("module", "state", "external_url")
    return {module: (state, url) for module, state, url in rows}
