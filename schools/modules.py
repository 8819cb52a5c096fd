"""The registry of ENT modules (services a school can switch on or off).

Each app registers its own modules in its AppConfig.ready(); `schools` never lists them.
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


_registry: dict[str, Module] = {}


def register(module: Module) -> Module:
    _registry[module.code] = module
    return module


def get(code: str) -> Module | None:
    return _registry.get(code)


def all_modules() -> list[Module]:
    return sorted(_registry.values(), key=lambda m: (m.order, m.code))
