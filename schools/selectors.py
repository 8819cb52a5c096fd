"""Reads of schools: service states, the city console."""

from __future__ import annotations

from schools.models import School, SchoolService
from schools.modules import Module


def service_states(school: School) -> dict[str, tuple[str, str]]:
    """module code -> (state, external url) for a school, read inside its scope."""
    rows = SchoolService.objects.filter(school=school).values_list("module", "state", "external_url")
    return {module: (state, url) for module, state, url in rows}


def module_state(states: dict[str, tuple[str, str]], module: Module) -> tuple[str, str]:
    """A module's state in a school and its external URL: the school's choice, else the module's default.

    The one answer the pages, the API, the navigation and the administration all read.
    """
    state, url = states.get(module.code, (None, ""))
    if state is None:
        return (SchoolService.State.ON if module.default_on else SchoolService.State.OFF), ""
    return state, url
