"""`python manage.py import_aaf PATH... [--dry-run]`: import the rectorat's AAF exports."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annuaire.aaf.importer import import_aaf
from annuaire.aaf.report import ImportReport
from annuaire.imports_display import count_labels

SHOWN_WARNINGS = 20


class Command(BaseCommand):
    help = "Importe les exports AAF (fichiers, dossiers ou archives .tgz) : tout ou rien."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("paths", nargs="+", help="fichiers XML, dossiers ou archives .tgz")
        parser.add_argument("--dry-run", action="store_true", help="montre ce qui changerait, sans rien écrire")
        parser.add_argument(
            "--reparse",
            action="store_true",
            help="analyse à nouveau chaque fichier, même déjà analysé à l'identique par un import précédent",
        )

    def handle(self, *args: Any, paths: list[str], dry_run: bool, reparse: bool, **options: Any) -> None:
        report = import_aaf(paths=paths, dry_run=dry_run, reparse=reparse)
        write_report(self, report, read=f"{len(report.files)} fichier(s) lu(s).")


def write_report(command: BaseCommand, report: ImportReport, *, read: str) -> None:
    """Print an import's report (the import commands share it); CommandError when the run was refused.

    `read` is the first line, what was read ("12 fichier(s) lu(s).").
    """
    command.stdout.write(read)
    if report.refused:
        for error in report.errors:
            command.stderr.write(error)
        raise CommandError(f"Import refusé : {len(report.errors)} erreur(s), rien n'a été écrit.")
    for uai in sorted(report.per_school):
        counts = report.per_school[uai]
        command.stdout.write(f"{uai} : {', '.join(count_labels(counts)) or 'rien à changer'}")
    for warning in report.warnings[:SHOWN_WARNINGS]:
        command.stdout.write(command.style.WARNING(warning))
    if len(report.warnings) > SHOWN_WARNINGS:
        command.stdout.write(
            command.style.WARNING(f"… et {len(report.warnings) - SHOWN_WARNINGS} autre(s) avertissement(s).")
        )
    if report.dry_run:
        command.stdout.write(
            command.style.SUCCESS(f"Simulation : {report.rows_written} écriture(s) prévue(s), rien n'a été écrit.")
        )
    elif report.rows_written:
        command.stdout.write(command.style.SUCCESS(f"Import appliqué : {report.rows_written} écriture(s)."))
    else:
        command.stdout.write(command.style.SUCCESS("Import appliqué : rien n'a changé."))
