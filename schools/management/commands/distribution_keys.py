"""`python manage.py distribution_keys [--apply]`: the keys that distributing by school needs.

Prints the statements (`schools.distribution`) that put `school_id` into every tenant table's
primary and unique keys and into the foreign keys between tenant tables, one per line, so that
`manage.py distribution_keys > keys.sql` can be read and run by hand; `--apply` runs them in
one transaction. Once applied there is nothing left to print: running it again changes nothing.
Messages go to the error output, which keeps the standard output a script.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection, transaction

from schools.distribution import distribution_statements


class Command(BaseCommand):
    help = "Affiche (ou applique avec --apply) les clés qui permettent de distribuer la base par établissement."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--apply", action="store_true", help="applique les instructions, en une transaction")

    def handle(self, *args: Any, apply: bool, **options: Any) -> None:
        if connection.vendor != "postgresql":
            raise CommandError(
                f"La distribution par établissement (Citus) ne concerne que PostgreSQL ; "
                f"cette base est {connection.display_name}."
            )
        statements = distribution_statements(connection)
        if not statements:
            self.stderr.write("Les clés permettent déjà de distribuer la base par établissement : rien à changer.")
            return
        for statement in statements:
            self.stdout.write(f"{statement};")
        if not apply:
            return
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
        except DatabaseError as error:
            # Most likely a row that points to another school's row: the new foreign keys check
            # the rows already there, and the whole move is rolled back.
            raise CommandError(f"La base a refusé les nouvelles clés, rien n'a changé : {error}") from error
        self.stderr.write(self.style.SUCCESS(f"{len(statements)} instructions appliquées."))
