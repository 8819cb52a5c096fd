"""`python manage.py seed_demo`: the demo world (three Paris establishments), created once.

The people come from a small AAF export imported by the real importer (origin "demo").
Deterministic and idempotent: a second run creates nothing and says so. Every installed
app's `demo` module is imported first, so later modules add their data with
`annuaire.services.demo.register_demo_step`.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext as _

from annuaire.imports_display import count_labels
from annuaire.services.demo import DEMO_PASSWORD, DemoReport, seed_demo_world


class Command(BaseCommand):
    help = "Crée le monde de démonstration (3 établissements parisiens) ; sans effet s'il existe déjà."

    def handle(self, *args: Any, **options: Any) -> None:
        autodiscover_modules("demo")
        report = seed_demo_world(password=DEMO_PASSWORD)
        self.print_summary(report)
        self.print_accounts(report)

    def print_summary(self, report: DemoReport) -> None:
        if not report.changed:
            self.stdout.write(_("Le monde de démonstration est déjà en place : rien n'a changé."))
            return
        self.stdout.write(self.style.SUCCESS(_("Monde de démonstration créé :")))
        if report.imported:
            self.stdout.write(_("Import de l'annuaire (export AAF de démonstration) :"))
            for line in count_labels(report.imported):
                self.stdout.write(f"  {line}")
        for name, count in report.created.items():
            if count:
                self.stdout.write(f"  {name} : {count}")

    def print_accounts(self, report: DemoReport) -> None:
        headers = (_("Identifiant"), _("Rôle"), _("Établissement"))
        rows = [(a.username, a.role, a.school) for a in report.accounts]
        widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(3)]
        line = "  ".join("-" * w for w in widths)
        self.stdout.write("")
        self.stdout.write(_("Comptes de démonstration :"))
        self.stdout.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)))
        self.stdout.write(line)
        for row in rows:
            self.stdout.write("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
        self.stdout.write("")
        self.stdout.write(
            _("Mot de passe de tous les comptes de démonstration : %(password)s") % {"password": DEMO_PASSWORD}
        )
        self.stdout.write(_("Portail : http://127.0.0.1:8000/"))
