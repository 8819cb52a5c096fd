"""`python manage.py import_ldap --uri ... --bind-dn ... --password-file FILE --base-dn ... [--dry-run]`.

Imports an SDET-schema LDAP directory through the AAF importer's pipeline (all or nothing,
kept in the import history). The password comes from a file or from the LDAP_PASSWORD
environment variable, never from the command line (where `ps` would show it).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annuaire.aaf.importer import import_sources
from annuaire.aaf.ldap_source import DEFAULT_STAFF_CLASSES, LdapUnavailableError, ldap_sources, require_ldap
from annuaire.management.commands.import_aaf import write_report

ORIGIN = "ldap"
PASSWORD_VARIABLE = "LDAP_PASSWORD"  # noqa: S105 (the variable's name, not a password)


class Command(BaseCommand):
    help = "Importe un annuaire LDAP au schéma SDET (structures, élèves, responsables, personnels) : tout ou rien."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--uri", required=True, help="adresse de l'annuaire, par exemple ldaps://annuaire:636")
        parser.add_argument("--bind-dn", required=True, help="DN du compte de lecture")
        parser.add_argument(
            "--password-file",
            help=f"fichier qui contient le mot de passe (sinon la variable d'environnement {PASSWORD_VARIABLE})",
        )
        parser.add_argument(
            "--base-dn", required=True, help="base de recherche, par exemple ou=ac-paris,ou=education,o=gouv,c=fr"
        )
        parser.add_argument(
            "--staff-class",
            action="append",
            dest="staff_classes",
            metavar="CLASSE",
            help=f"classe d'objets des personnels, répétable (par défaut : {', '.join(DEFAULT_STAFF_CLASSES)})",
        )
        parser.add_argument("--dry-run", action="store_true", help="montre ce qui changerait, sans rien écrire")

    def handle(
        self,
        *args: Any,
        uri: str,
        bind_dn: str,
        password_file: str | None,
        base_dn: str,
        staff_classes: list[str] | None,
        dry_run: bool,
        **options: Any,
    ) -> None:
        try:
            require_ldap()
        except LdapUnavailableError as error:
            raise CommandError(str(error)) from None
        password = self._password(password_file)
        try:
            sources = ldap_sources(
                uri=uri,
                bind_dn=bind_dn,
                password=password,
                base_dn=base_dn,
                staff_classes=staff_classes or DEFAULT_STAFF_CLASSES,
            )
        except LdapUnavailableError as error:
            raise CommandError(str(error)) from None
        report = import_sources(sources=sources, dry_run=dry_run, origin=ORIGIN)
        write_report(self, report, read=f"{len(report.files)} source(s) lue(s) dans l'annuaire {uri}.")

    def _password(self, password_file: str | None) -> str:
        if password_file:
            try:
                password = Path(password_file).read_text(encoding="utf-8").rstrip("\r\n")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"Fichier de mot de passe illisible ({password_file}) : {error}.") from None
        else:
            password = os.environ.get(PASSWORD_VARIABLE, "")
        if not password:
            raise CommandError(
                f"Mot de passe LDAP absent : donnez --password-file FICHIER ou la variable {PASSWORD_VARIABLE}."
            )
        return password
