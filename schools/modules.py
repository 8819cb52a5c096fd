"""The registry of ENT modules (services a school can switch on or off).

Each app declares its own modules once, with `register_modules` in its `modules.py` (imported from its
AppConfig.ready()); `schools` never lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass(frozen=True)
class Module:
    code: str
    label: str | Promise
    url_name: str
    description: str | Promise = ""
    # Profiles that see the module in their navigation.
    profiles: frozenset[str] = field(default_factory=frozenset)
    # Whether the module is on in a school that never switched it.
    default_on: bool = True
    order: int = 100
    # Extra check for showing the entry, given (user, school).
    visible: Callable[..., bool] | None = None


# The profiles of annuaire's memberships in a school (schools imports nothing of ours): most modules serve them all.
EVERY_PROFILE = frozenset({"student", "parent", "teacher", "staff", "direction"})

_registry: dict[str, Module] = {}


def register_module(
    *,
    code: str,
    label: str | Promise,
    url_name: str,
    description: str | Promise = "",
    order: int = 100,
    profiles: frozenset[str] = EVERY_PROFILE,
    default_on: bool = True,
    visible: Callable[..., bool] | None = None,
) -> Module:
    """The one call a module makes from its app's ready(): its switch in the per-school services (`code`,
    `default_on`) and its menu entry (`label`, `url_name`, `order`, for `profiles`, when `visible`)."""
    module = Module(
        code=code, label=label, url_name=url_name, description=description, profiles=profiles,
        default_on=default_on, order=order, visible=visible,
    )  # fmt: skip
    _registry[code] = module
    return module


# What an app declares of one module, in this order: (code, label, url_name, order, description).
ModuleSpec = tuple[str, str | Promise, str, int, str | Promise]


def register_modules(*specs: ModuleSpec) -> tuple[Module, ...]:
    """An app's one declaration of its modules: each spec registered by `register_module`, with the default
    profiles, switch and visibility; the modules come back in the order of the specs."""
    return tuple(
        register_module(code=code, label=label, url_name=url_name, order=order, description=description)
        for code, label, url_name, order, description in specs
    )


def get(code: str) -> Module | None:
    return _registry.get(code)


def all_modules() -> list[Module]:
    return sorted(_registry.values(), key=lambda m: (m.order, m.code))
