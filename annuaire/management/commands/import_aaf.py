"""`python manage.py import_aaf PATH... [--dry-run]`: import the rectorat's AAF exports."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annuaire.aaf.importer import ImportReport, import_aaf

SHOWN_WARNINGS = 20


class Command(BaseCommand):
    help = "Importe les exports AAF (fichiers, dossiers ou archives .tgz) : tout ou rien."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="fichiers XML, dossiers ou archives .tgz")
        parser.add_argument("--dry-run", action="store_true", help="montre ce qui changerait, sans rien écrire")

    def handle(self, *args: Any, paths: list[str], dry_run: bool, **options: Any) -> None:
        report = import_aaf(paths=paths, dry_run=dry_run)
        self.stdout.write(f"{len(report.files)} fichier(s) lu(s).")
        if report.refused:
            for error in report.errors:
                self.stderr.write(error)
            raise CommandError(f"Import refusé : {len(report.errors)} erreur(s), rien n'a été écrit.")
        self._write_schools(report)
        for warning in report.warnings[:SHOWN_WARNINGS]:
            self.stdout.write(self.style.WARNING(warning))
        if len(report.warnings) > SHOWN_WARNINGS:
            self.stdout.write(
                self.style.WARNING(f"… et {len(report.warnings) - SHOWN_WARNINGS} autre(s) avertissement(s).")
            )
        if dry_run:
            self.stdout.write(
                self.style.SUCCESS(f"Simulation : {report.rows_written} écriture(s) prévue(s), rien n'a été écrit.")
            )
        elif report.rows_written:
            self.stdout.write(self.style.SUCCESS(f"Import appliqué : {report.rows_written} écriture(s)."))
        else:
            self.stdout.write(self.style.SUCCESS("Import appliqué : rien n'a changé."))

    def _write_schools(self, report: ImportReport) -> None:
        for uai in sorted(report.per_school):
            counts = report.per_school[uai]
            detail = ", ".join(f"{key} {value}" for key, value in sorted(counts.items()))
            self.stdout.write(f"{uai} : {detail}")
