"""Walks every URL pattern of the project, so the isolation tests cover views added later.

`all_routes()` flattens `get_resolver().url_patterns` (resolvers and patterns, route and
regex syntax, namespaces) into `Route` objects that know their argument names and can
build a URL from argument values, the way `reverse()` does.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.regex_helper import normalize

# Patterns that are public or bound to no school, hence outside the tenant wall. Keep this
# list short: every entry is a URL the isolation tests do not look at.
PUBLIC_NAMESPACES = frozenset(
    {
        "admin",  # the Django admin: staff only, guarded by Django itself
    }
)
PUBLIC_CALLBACK_MODULES = (
    "allauth.",  # sign-in, sign-out, password reset, MFA: allauth's own pages
    "drf_spectacular.",  # the API's OpenAPI schema and browsable documentation
    "django.views.static",  # static and media files
    "django.contrib.staticfiles.",
)
PUBLIC_NAMES = frozenset(
    {
        "health",  # /healthz, for the load balancer
        "accessibility",  # /accessibilite/, the accessibility statement, public by law
        "set_language",  # the language switch, for signed-out visitors too
        "account_activate",  # first-login activation: an anonymous person with a printed code
        # A calendar app's subscription: the secret key is the credential, no session. Guessed,
        # revoked and former members' keys answer 404: tests/vie_scolaire/timetable/test_calendar_feeds.py.
        "timetable_feed",
    }
)


@dataclass(frozen=True)
class Route:
    """One URL pattern with its full path from the root resolver."""

    display: str  # e.g. "<uai:uai>/annuaire/classes/<int:division_id>/"
    name: str  # qualified name, e.g. "annuaire:division" (or the display when unnamed)
    regex: str
    callback: Callable[..., Any]
    converters: Mapping[str, Any] = field(default_factory=dict)
    namespaces: tuple[str, ...] = ()

    @property
    def forms(self) -> list[tuple[str, list[str]]]:
        return [(template, list(params)) for template, params in normalize(self.regex)]

    @property
    def args(self) -> tuple[str, ...]:
        """The argument names of the fullest form of the pattern (optional groups included)."""
        _template, params = max(self.forms, key=lambda form: len(form[1]))
        return tuple(params)

    @property
    def is_api(self) -> bool:
        # Django REST framework's as_view() marks its views with `cls` (as the tenant middleware does).
        return hasattr(self.callback, "cls")

    @property
    def city_admin_allowed(self) -> bool:
        """Marked for city admins (overview, administration): on the view function or the DRF view class."""
        view_class = getattr(self.callback, "cls", None)
        return bool(
            getattr(self.callback, "city_admin_allowed", False) or getattr(view_class, "city_admin_allowed", False)
        )

    @property
    def is_public(self) -> bool:
        if PUBLIC_NAMESPACES & set(self.namespaces):
            return True
        if self.name in PUBLIC_NAMES:
            return True
        module = getattr(self.callback, "__module__", "") or ""
        return module.startswith(PUBLIC_CALLBACK_MODULES)

    @property
    def view_model(self) -> type | None:
        """The model a class-based or DRF view declares (`queryset` or `model`), if any."""
        view_class = getattr(self.callback, "cls", None) or getattr(self.callback, "view_class", None)
        if view_class is None:
            return None
        queryset = getattr(view_class, "queryset", None)
        if queryset is not None:
            return queryset.model
        return getattr(view_class, "model", None)

    def url(self, values: Mapping[str, object]) -> str:
        """The path of this pattern with `values` for its arguments (every argument needed)."""
        wanted = set(self.args)
        for template, params in self.forms:
            if set(params) == wanted:
                text = {}
                for name in params:
                    converter = self.converters.get(name)
                    value = values[name]
                    text[name] = quote(converter.to_url(value) if converter else str(value), safe="/:@")
                return "/" + template % text
        raise AssertionError(f"no form of {self.display} takes exactly {sorted(wanted)}")

    def __str__(self) -> str:
        return self.display


def _walk(
    patterns: list[Any], regex: str, display: str, namespaces: tuple[str, ...], converters: dict[str, Any]
) -> Iterator[Route]:
    for entry in patterns:
        part = entry.pattern.regex.pattern
        if part.startswith("^"):
            part = part[1:]
        found_converters = {**converters, **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            inner = namespaces + ((entry.namespace,) if entry.namespace else ())
            yield from _walk(entry.url_patterns, regex + part, display + str(entry.pattern), inner, found_converters)
        elif isinstance(entry, URLPattern):
            shown = display + str(entry.pattern)
            name = ":".join((*namespaces, entry.name)) if entry.name else shown
            yield Route(
                display=shown,
                name=name,
                regex="^" + regex + part,
                callback=entry.callback,
                converters=found_converters,
                namespaces=namespaces,
            )
        else:  # pragma: no cover - Django has no third kind today
            raise AssertionError(f"unknown URL entry {entry!r}")


def all_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns, "", "", (), {}))


def guarded_routes() -> list[Route]:
    """Every route behind the tenant wall or a sign-in: all but the short public allowlist."""
    return [route for route in all_routes() if not route.is_public]
