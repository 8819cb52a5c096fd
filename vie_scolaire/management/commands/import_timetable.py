"""`python manage.py import_timetable --school UAI PATH... [--dry-run]`: import a school's timetable."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from schools.models import School
from vie_scolaire.timetable.imports.importer import TimetableReport, import_timetable

SHOWN_WARNINGS = 20


class Command(BaseCommand):
    help = _(
        "Importe l'emploi du temps d'un établissement (STS-Web : sts_emp + emp_sts ; "
        "export Index Éducation en clair ; CSV UDT) : tout ou rien."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--school", required=True, help=_("UAI de l'établissement"))
        parser.add_argument("paths", nargs="+", help=_("fichiers de l'emploi du temps"))
        parser.add_argument("--dry-run", action="store_true", help=_("montre ce qui changerait, sans rien écrire"))

    def handle(self, *args: Any, school: str, paths: list[str], dry_run: bool, **options: Any) -> None:
        found = School.objects.filter(uai=school.strip().upper()).first()
        if found is None:
            raise CommandError(_("Établissement inconnu : %(uai)s.") % {"uai": school})
        self.write_report(import_timetable(school=found, paths=paths, dry_run=dry_run))

    def write_report(self, report: TimetableReport) -> None:
        self.stdout.write(_("%(uai)s : %(count)s fichier(s) lu(s).") % {"uai": report.uai, "count": len(report.files)})
        if report.refused:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(
                _("Import refusé : %(count)s erreur(s), rien n'a été écrit.") % {"count": len(report.errors)}
            )
        self.stdout.write(", ".join(report.count_lines()) or _("rien à changer"))
        for warning in report.warnings[:SHOWN_WARNINGS]:
            self.stdout.write(self.style.WARNING(warning))
        if len(report.warnings) > SHOWN_WARNINGS:
            hidden = len(report.warnings) - SHOWN_WARNINGS
            self.stdout.write(self.style.WARNING(_("… et %(count)s autre(s) avertissement(s).") % {"count": hidden}))
        if report.dry_run:
            message = _("Simulation : %(count)s écriture(s) prévue(s), rien n'a été écrit.")
        elif report.rows_written:
            message = _("Import appliqué : %(count)s écriture(s).")
        else:
            message = _("Import appliqué : rien n'a changé.")
        self.stdout.write(self.style.SUCCESS(message % {"count": report.rows_written}))
