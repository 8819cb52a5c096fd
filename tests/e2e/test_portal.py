"""The portal in a real browser: sign-in, the parent's home, the school switcher by keyboard,
the skip link, layouts at 360 and 1280 px, and axe-core's WCAG 2.1 A/AA rules."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from annuaire.models import Guardianship, Membership, Profile, User
from tests.e2e.conftest import AXE, DESKTOP, PHONE, requires_chromium
from tests.factories import DEMO_PASSWORD
from tests.world import World

pytestmark = [requires_chromium, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VIEWPORTS = {"360": PHONE, "1280": DESKTOP}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

FOCUSED = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {
    tag: el.tagName, id: el.id, classes: el.className, text: (el.textContent || '').trim().slice(0, 80),
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth) || 0, boxShadow: style.boxShadow,
    top: box.top, left: box.left, width: box.width, height: box.height,
    insideViewport: box.top >= 0 && box.left >= 0 && box.bottom <= innerHeight && box.right <= innerWidth,
  };
}"""


# --- helpers -----------------------------------------------------------------------------------


def sign_in(page: Any, live_server: Any, username: str) -> None:
    """Through the real login form: identifier, password, submit."""
    page.goto(live_server.url + reverse("account_login"))
    page.fill('input[name="login"]', username)
    page.fill('input[name="password"]', DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(live_server.url + reverse("home"))


def focused(page: Any) -> dict[str, Any]:
    return page.evaluate(FOCUSED)


def focus_is_visible(info: dict[str, Any]) -> bool:
    outlined = info["outlineStyle"] != "none" and info["outlineWidth"] >= 2
    return outlined or info["boxShadow"] not in ("", "none")


def tab_to(page: Any, matches: Callable[[dict[str, Any]], bool], limit: int = 40) -> dict[str, Any]:
    """Press Tab until the focused element matches; fail with the path travelled otherwise."""
    seen = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        info = focused(page)
        seen.append(f"{info['tag']}.{info['classes']} «{info['text'][:30]}»")
        if matches(info):
            return info
    raise AssertionError("never reached the element by Tab; focus went through:\n" + "\n".join(seen))


def fits_width(page: Any) -> bool:
    """No horizontal scrolling (WCAG 1.4.10 reflow at 320 CSS px; we check our 360 px target)."""
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


def screenshot(page: Any, artifacts: Path, name: str) -> None:
    page.screenshot(path=str(artifacts / f"{name}.png"), full_page=True)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.1 A and AA violations on the page (vendored axe, injected in the page)."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (tags) => {
          const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
          return {
            passes: result.passes.length,
            violations: result.violations.map(v => ({
              id: v.id, impact: v.impact, help: v.help,
              nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.failureSummary.replace(/\\s+/g, ' ')),
            })),
          };
        }""",
        WCAG_TAGS,
    )
    assert result["passes"] > 0, "axe-core checked nothing on this page"
    return result["violations"]


def parent_with_children_in_two_schools(world: World) -> tuple[User, list[User]]:
    parent = world.a.parent
    Membership.unscoped.create(school=world.b.school, user=parent, profile=Profile.PARENT)
    Guardianship.unscoped.create(school=world.b.school, student=world.b.classmate, guardian=parent)
    return parent, [world.a.student, world.b.classmate]


def teacher_in_two_schools(world: World) -> User:
    teacher = world.a.teacher
    Membership.unscoped.create(school=world.b.school, user=teacher, profile=Profile.TEACHER)
    return teacher


# --- scenarios ----------------------------------------------------------------------------------


@pytest.mark.parametrize("width", VIEWPORTS)
def test_parent_signs_in_and_sees_their_children(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path, width: str
) -> None:
    parent, children = parent_with_children_in_two_schools(world)
    page = new_page(VIEWPORTS[width])
    page.goto(live_server.url + reverse("account_login"))
    assert page.locator("html").get_attribute("lang") == "fr"
    screenshot(page, artifacts, f"login-{width}")
    assert fits_width(page), f"the login page scrolls sideways at {width} px"

    sign_in(page, live_server, parent.username)
    children_section = page.get_by_role("region", name="Mes enfants")
    for child in children:
        assert children_section.get_by_text(f"{child.first_name} {child.last_name}").is_visible()
    for school in (world.a.school, world.b.school):
        assert page.get_by_role("link", name=school.name).first.is_visible()
    screenshot(page, artifacts, f"parent-home-{width}")
    assert fits_width(page), f"the parent's home scrolls sideways at {width} px"

    page.get_by_role("region", name="Mes établissements").get_by_role("link", name=world.a.school.name).click()
    page.wait_for_url(live_server.url + reverse("school_home", kwargs={"uai": world.a.school.uai}))
    assert page.get_by_role("heading", level=1).inner_text() == world.a.school.name
    screenshot(page, artifacts, f"school-home-{width}")
    assert fits_width(page), f"the school home scrolls sideways at {width} px"


@pytest.mark.parametrize("width", VIEWPORTS)
def test_teacher_switches_school_with_the_keyboard(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path, width: str
) -> None:
    teacher = teacher_in_two_schools(world)
    page = new_page(VIEWPORTS[width])
    sign_in(page, live_server, teacher.username)
    page.goto(live_server.url + reverse("school_home", kwargs={"uai": world.a.school.uai}))

    summary = tab_to(page, lambda info: info["tag"] == "SUMMARY")
    assert world.a.school.name in summary["text"]
    assert focus_is_visible(summary), f"no visible focus on the school switcher: {summary}"
    page.keyboard.press("Enter")
    assert page.locator(".school-switcher details").get_attribute("open") is not None
    screenshot(page, artifacts, f"school-switcher-open-{width}")

    link = tab_to(page, lambda info: info["tag"] == "A" and info["text"] == world.b.school.name, limit=5)
    assert focus_is_visible(link), f"no visible focus on the switcher's link: {link}"
    assert link["insideViewport"], f"the focused link is off screen: {link}"
    page.keyboard.press("Enter")
    page.wait_for_url(live_server.url + reverse("school_home", kwargs={"uai": world.b.school.uai}))
    assert page.get_by_role("heading", level=1).inner_text() == world.b.school.name


@pytest.mark.parametrize("signed_in", [False, True], ids=["login-page", "home"])
def test_skip_link_is_first_and_moves_focus_to_main(
    world: World, live_server: Any, new_page: Callable[..., Any], signed_in: bool
) -> None:
    page = new_page(PHONE)
    if signed_in:
        sign_in(page, live_server, world.a.parent.username)
    else:
        page.goto(live_server.url + reverse("account_login"))
    page.keyboard.press("Tab")
    first = focused(page)
    assert "skip-link" in first["classes"], f"the first focusable element is {first}"
    assert first["text"] == "Aller au contenu"
    assert first["insideViewport"] and first["height"] > 0, f"the skip link stays hidden when focused: {first}"
    assert focus_is_visible(first)
    page.keyboard.press("Enter")
    landed = focused(page)
    assert landed["tag"] == "MAIN" and landed["id"] == "contenu", f"focus went to {landed}"


def test_axe_finds_a_known_violation(new_page: Callable[..., Any]) -> None:
    """The check below means something: axe, as injected, reports a missing label and a missing alt."""
    page = new_page(DESKTOP)
    page.set_content(
        '<html lang="fr"><head><title>t</title></head><body><main><img src="x.png"><input></main></body></html>'
    )
    ids = {violation["id"] for violation in axe_violations(page)}
    assert {"image-alt", "label"} <= ids


def test_pages_pass_axe_wcag_21_aa(
    world: World, live_server: Any, new_page: Callable[..., Any], artifacts: Path
) -> None:
    parent, _children = parent_with_children_in_two_schools(world)
    school = world.a.school
    pages: dict[str, tuple[User | None, str]] = {
        "login": (None, reverse("account_login")),
        "accessibility statement": (None, reverse("accessibility")),
        "parent's home": (parent, reverse("home")),
        "school home": (world.a.teacher, reverse("school_home", kwargs={"uai": school.uai})),
        "directory": (world.a.teacher, reverse("annuaire:directory", kwargs={"uai": school.uai})),
        "division": (
            world.a.teacher,
            reverse("annuaire:division", kwargs={"uai": school.uai, "division_id": world.a.division.pk}),
        ),
    }
    found = {}
    signed_in_as: dict[str, Any] = {}
    for name, (user, path) in pages.items():
        key = user.username if user else "anonymous"
        if key not in signed_in_as:
            page = new_page(DESKTOP)
            if user is not None:
                sign_in(page, live_server, user.username)
            signed_in_as[key] = page
        page = signed_in_as[key]
        page.goto(live_server.url + path)
        screenshot(page, artifacts, "axe-" + name.replace(" ", "-").replace("'", ""))
        violations = axe_violations(page)
        if violations:
            found[name] = violations
    if found:
        print(json.dumps(found, indent=2, ensure_ascii=False))
    assert not found, "axe-core WCAG 2.1 A/AA violations:\n" + json.dumps(found, indent=2, ensure_ascii=False)
