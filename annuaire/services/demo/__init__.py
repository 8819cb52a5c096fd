"""The demo world: three Paris establishments, their people, classes and teaching services.

`seed_demo_world()` is deterministic (a fixed random seed, fixed name lists, no Faker at
run time) and idempotent. It plans the whole world in memory, writes the schools and people
as a small complete AAF export (`annuaire.aaf.writer`) and imports it with the real importer
(`import_aaf`, origin "demo"), so the demo runs through the rectorat pipeline. Then it writes
only what the directory does not carry: waves, a school's status, address and charter, the
divisions' MEF, the subjects' short labels, the fixed demo identifiers (the importer names
logins `prenom.nom`; the demo accounts are renamed, found by their AAF identifier), the demo
password of the activated accounts, their charter acceptances, and the city admin. A second
run imports nothing new (the import writes 0 rows) and creates nothing.

Later modules add their own demo data with `register_demo_step`: a function that receives
the `DemoWorld` (schools by key, school year, a seeded random generator), writes what is
missing and returns the counts of what it created. The `seed_demo` command imports every
installed app's `demo` module, so a step registers itself by being defined there.

The world is data (`world`), planned in memory (`plan`), written as an AAF export (`export`),
imported and completed (`seed`); `steps` holds the registry of the modules' demo steps.
"""

from annuaire.services.demo.seed import DemoImportError, seed_demo_world
from annuaire.services.demo.steps import DemoReport, DemoStep, DemoWorld, demo_steps, register_demo_step
from annuaire.services.demo.world import DEMO_PARENT, DEMO_PASSWORD, DEMO_STUDENT, DemoAccount, demo_accounts

__all__ = [
    "DEMO_PARENT",
    "DEMO_PASSWORD",
    "DEMO_STUDENT",
    "DemoAccount",
    "DemoImportError",
    "DemoReport",
    "DemoStep",
    "DemoWorld",
    "demo_accounts",
    "demo_steps",
    "register_demo_step",
    "seed_demo_world",
]
