"""Every URL of the project, as every role of school A, against school B: refusal, never data.

The URL patterns are walked automatically (`tests/isolation/urlwalk.py`): a view added
later is covered without editing this file, as long as its URL arguments have a known name
(`ARGUMENTS` in `tests/isolation/url_arguments.py`; an unknown name fails loudly). Only the short
public allowlist of `urlwalk.py` (sign-in pages, health, accessibility statement, language
switch, API schema and docs, Django admin) is left out.

School B's names all carry a marker (`targets.SECRET`): an answer that contains it leaked.
"""

from __future__ import annotations

import importlib
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import resolve_url
from django.test import Client

from annuaire.models import User
from tests.isolation.conftest import Sides
from tests.isolation.targets import leaks, snapshot
from tests.isolation.url_arguments import forged_body, route_urls, unmapped_arguments
from tests.isolation.urlwalk import Route, all_routes, guarded_routes
from tests.world import World

pytestmark = pytest.mark.django_db

ROLES = ["direction", "staff", "teacher", "student", "parent"]
ROUTES = guarded_routes()
TENANT_ROUTES = [route for route in ROUTES if "uai" in route.args]
ID_ROUTES = [route for route in ROUTES if set(route.args) - {"uai", "format"}]
OWN_ROUTES = [route for route in ROUTES if not set(route.args) - {"uai", "format"}]
REDIRECTS = {301, 302, 303, 307, 308}
PAGE_METHODS = ("GET", "POST")
API_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def ids(routes: list[Route]) -> list[str]:
    return [route.display or "/" for route in routes]


# --- clients -------------------------------------------------------------------------------


def _token_factory() -> Any:
    """`annuaire.services.tokens.create_token` once it exists, else None."""
    try:
        module = importlib.import_module("annuaire.services.tokens")
    except ImportError:
        return None
    return getattr(module, "create_token", None)


def _token_key(user: User) -> str | None:
    create_token = _token_factory()
    if create_token is None:
        return None
    created = create_token(user=user, name="Tests d'isolation")
    if isinstance(created, str):
        return created
    if isinstance(created, tuple):
        return next(part for part in created if isinstance(part, str))
    return getattr(created, "key", None) or getattr(created, "plain_key", None)


def clients(user: User, route: Route) -> Iterator[tuple[str, Client]]:
    """A browser session, and for API routes a personal token too."""
    session = Client()
    session.force_login(user)
    yield "session", session
    if route.is_api:
        key = _token_key(user)
        if key is not None:
            yield "token", Client(HTTP_AUTHORIZATION=f"Bearer {key}")


def send(client: Client, method: str, url: str, body: dict[str, Any]) -> HttpResponse | str:
    """The answer, or a description of the crash (collected rather than stopping at the first)."""
    try:
        if method == "GET":
            return client.get(url)
        if method == "POST":
            return client.post(url, body)
        return client.generic(method, url, json.dumps(body), content_type="application/json")
    except Exception as exc:  # noqa: BLE001 - every crash is reported with its URL
        return f"crashed with {type(exc).__name__}: {exc}"


def refusal_problem(response: HttpResponse | str, allowed: tuple[int, ...]) -> str | None:
    if isinstance(response, str):
        return response
    status = response.status_code
    if status in REDIRECTS:
        location = response.get("Location", "")
        if location.startswith(resolve_url(settings.LOGIN_URL)):
            return f"redirected a signed-in user to the login page ({location}) instead of refusing (403/404)"
        return f"redirected to {location} instead of refusing (403/404)"
    if status not in allowed:
        return f"answered {status} instead of refusing ({'/'.join(map(str, allowed))})"
    if leaks(response.content):
        return "refused but the answer shows school B's names"
    return None


def methods(route: Route) -> tuple[str, ...]:
    return API_METHODS if route.is_api else PAGE_METHODS


# --- the walker itself -----------------------------------------------------------------------


def test_walker_finds_todays_patterns() -> None:
    found = {route.name for route in all_routes()}
    guarded = {route.name for route in ROUTES}
    today = {
        "home",
        "school_home",
        "annuaire:directory",
        "annuaire:division",
        "annuaire_admin:overview",
        "annuaire_admin:accounts",
        "annuaire_admin:delegations",
        "schools:services",
        "city:console",
        "api_tokens",
    }
    assert today <= found, f"the walker lost {sorted(today - found)}"
    assert today <= guarded, f"patterns wrongly treated as public: {sorted(today - guarded)}"
    public = {"account_login", "health", "accessibility", "api-schema", "api-docs", "admin:index", "set_language"}
    assert public <= found
    assert not public & guarded, f"public pages in the guarded set: {sorted(public & guarded)}"
    assert {"school_home", "annuaire:division"} <= {route.name for route in TENANT_ROUTES}
    assert "annuaire:division" in {route.name for route in ID_ROUTES}
    api = [route for route in ROUTES if route.is_api]
    assert api, "no API route found under /api/v1/"
    assert any("uai" in route.args for route in api), "no tenant API route (/api/v1/<uai>/...) found"


@pytest.mark.parametrize("role", ROLES)
def test_token_client_is_really_signed_in(sides: Sides, role: str) -> None:
    """The token variant of the tests above means something: with it, the user reaches their own API routes."""
    if _token_factory() is None:
        pytest.skip("annuaire.services.tokens.create_token does not exist yet")
    user = sides.a.cast.users_by_role[role]
    answers = {}
    for route in (route for route in OWN_ROUTES if route.is_api):
        auth, client = list(clients(user, route))[-1]
        assert auth == "token"
        for url in route_urls(route, uai_from=sides.a, ids_from=sides.a):
            answers[url] = client.get(url).status_code
    assert 200 in answers.values(), f"the personal token of A's {role} opened none of its API routes: {answers}"


def test_every_url_argument_is_mapped() -> None:
    problems = [
        f"{route.display} ({route.name}): {unmapped_arguments(route)}" for route in ROUTES if unmapped_arguments(route)
    ]
    assert not problems, (
        "URL arguments unknown to the isolation tests; add them to ARGUMENTS in tests/isolation/url_arguments.py:\n"
        + "\n".join(problems)
    )


# --- school A's people against school B ------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", TENANT_ROUTES, ids=ids(TENANT_ROUTES))
def test_school_b_urls_refuse_school_a_members(sides: Sides, route: Route, role: str) -> None:
    """B's UAI and B's objects in the URL: 403 or 404 for every role of A, and B unchanged."""
    user = sides.a.cast.users_by_role[role]
    before = snapshot(sides.b.school)
    body = forged_body(sides.b)
    problems = []
    for auth, client in clients(user, route):
        for url in route_urls(route, uai_from=sides.b, ids_from=sides.b):
            for method in methods(route):
                problem = refusal_problem(send(client, method, url, body), (403, 404))
                if problem:
                    problems.append(f"{method} {url} as {role} of A ({auth}): {problem}")
    assert not problems, "\n".join(problems)
    assert snapshot(sides.b.school) == before, f"requests of A's {role} changed school B's data"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ID_ROUTES, ids=ids(ID_ROUTES))
def test_forged_ids_of_school_b_are_refused(sides: Sides, route: Route, role: str) -> None:
    """A's own UAI (when the URL has one) with B's object ids: 403/404 (405 for a method the URL never takes)."""
    user = sides.a.cast.users_by_role[role]
    before = snapshot(sides.b.school)
    body = forged_body(sides.b)
    problems = []
    for auth, client in clients(user, route):
        for url in route_urls(route, uai_from=sides.a, ids_from=sides.b):
            for method in methods(route):
                problem = refusal_problem(send(client, method, url, body), (403, 404, 405))
                if problem:
                    problems.append(f"{method} {url} as {role} of A ({auth}): {problem}")
    assert not problems, "\n".join(problems)
    assert snapshot(sides.b.school) == before, f"requests of A's {role} changed school B's data"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", OWN_ROUTES, ids=ids(OWN_ROUTES))
def test_own_pages_show_and_change_nothing_of_school_b(sides: Sides, route: Route, role: str) -> None:
    """A's pages (and argument-less ones like `/`): no B data shown, and B's ids posted in a form change nothing."""
    user = sides.a.cast.users_by_role[role]
    before = snapshot(sides.b.school)
    body = forged_body(sides.b)
    problems = []
    for auth, client in clients(user, route):
        for url in route_urls(route, uai_from=sides.a, ids_from=sides.a):
            for method in methods(route):
                response = send(client, method, url, body)
                if isinstance(response, str):
                    problems.append(f"{method} {url} as {role} of A ({auth}): {response}")
                elif response.status_code >= 500:
                    problems.append(f"{method} {url} as {role} of A ({auth}): answered {response.status_code}")
                elif leaks(response.content):
                    problems.append(f"{method} {url} as {role} of A ({auth}): shows school B's names")
    assert not problems, "\n".join(problems)
    assert snapshot(sides.b.school) == before, f"requests of A's {role} changed school B's data"


# --- the city profile ------------------------------------------------------------------------

PERSONAL_DATA_ROUTES = [route for route in TENANT_ROUTES if not route.city_admin_allowed]


def test_city_admin_marker_is_seen() -> None:
    allowed = {route.name for route in TENANT_ROUTES if route.city_admin_allowed}
    assert {"school_home", "annuaire_admin:overview"} <= allowed
    assert "annuaire:division" in {route.name for route in PERSONAL_DATA_ROUTES}


@pytest.mark.parametrize("route", PERSONAL_DATA_ROUTES, ids=ids(PERSONAL_DATA_ROUTES))
def test_city_admin_is_refused_pages_not_marked_for_them(sides: Sides, world: World, route: Route) -> None:
    """City admins reach overview and administration pages only, never a school's personal data."""
    before = snapshot(sides.b.school)
    problems = []
    for auth, client in clients(world.city_admin, route):
        for url in route_urls(route, uai_from=sides.b, ids_from=sides.b):
            for method in methods(route):
                problem = refusal_problem(send(client, method, url, forged_body(sides.b)), (403, 404))
                if problem:
                    problems.append(f"{method} {url} as city admin ({auth}): {problem}")
    assert not problems, "\n".join(problems)
    assert snapshot(sides.b.school) == before


# --- nobody signed in ------------------------------------------------------------------------


@pytest.mark.parametrize("route", ROUTES, ids=ids(ROUTES))
def test_anonymous_is_sent_to_login(sides: Sides, route: Route) -> None:
    """Pages redirect to the login page; the API answers 401 or 403."""
    login_url = resolve_url(settings.LOGIN_URL)
    before = snapshot(sides.b.school)
    problems = []
    client = Client()
    for url in route_urls(route, uai_from=sides.b, ids_from=sides.b):
        for method in methods(route):
            response = send(client, method, url, forged_body(sides.b))
            if isinstance(response, str):
                problems.append(f"{method} {url} anonymous: {response}")
                continue
            if route.is_api:
                if response.status_code not in (401, 403):
                    problems.append(f"{method} {url} anonymous: answered {response.status_code}, expected 401/403")
            elif response.status_code != 302 or not response["Location"].startswith(login_url):
                location = response.get("Location", "")
                problems.append(
                    f"{method} {url} anonymous: answered {response.status_code} {location}, "
                    f"expected a redirect to {login_url}"
                )
            if leaks(response.content):
                problems.append(f"{method} {url} anonymous: shows school B's names")
    assert not problems, "\n".join(problems)
    assert snapshot(sides.b.school) == before
