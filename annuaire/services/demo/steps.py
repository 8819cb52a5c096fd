"""How other modules add their own demo data: the registered steps, what they receive, the report."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from annuaire.services.demo.world import DemoAccount
from schools.models import School


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)
    accounts: list[DemoAccount] = field(default_factory=list)
    # The rows the directory import wrote, by the importer's counter keys; its run in the history.
    imported: dict[str, int] = field(default_factory=dict)
    import_run_id: int | None = None

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.imported.values())

    def add(self, counts: dict[str, int]) -> None:
        for name, count in counts.items():
            self.created[name] = self.created.get(name, 0) + count


@dataclass
class DemoWorld:
    """What a demo step receives: the demo schools and a random generator of its own."""

    schools: dict[str, School]
    school_year: int
    rng: random.Random


DemoStep = Callable[[DemoWorld], dict[str, int]]
_demo_steps: list[tuple[int, str, DemoStep]] = []


def register_demo_step(*, name: str, order: int = 100) -> Callable[[DemoStep], DemoStep]:
    """Add a module's own demo data to `seed_demo`; the step creates only what is missing."""

    def decorator(step: DemoStep) -> DemoStep:
        if all(existing != name for _order, existing, _step in _demo_steps):
            _demo_steps.append((order, name, step))
        return step

    return decorator


def demo_steps() -> list[tuple[str, DemoStep]]:
    return [(name, step) for _order, name, step in sorted(_demo_steps, key=lambda item: (item[0], item[1]))]
