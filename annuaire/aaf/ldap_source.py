"""An SDET-schema LDAP directory as record sources for the AAF importer.

Académies and ENT operators often keep the AAF's content in an LDAP directory that follows
the SDET schema (Schéma Directeur des Espaces numériques de Travail): the AAF attribute names
ARE the directory's attribute names (ENTPersonJointure, sn, givenName, ENTEleveClasses,
ENTStructureUAI...). `ldap_sources` returns one `RecordSource` per kind, in the importer's
order, each searching the directory by object class with paged results; its records go
through the same pipeline as the files' (`annuaire.aaf.importer.import_sources`): checks,
all or nothing, history.

python-ldap is optional (the `ldap` extra; it builds against libldap2-dev and libsasl2-dev),
so it is imported inside the functions: this module imports without it, and `require_ldap`
says in French what to install.

Every connection problem (server down, bad credentials, timeout, unknown base) raises
`AafFormatError` from the source's `records()`, which the pipeline reports and which refuses
the run. The sources of one `ldap_sources` call share their connection outcome: once a
source failed, the next ones refuse to read with a short reference to that first error
rather than try again and repeat it. A complete import that would read no entry of a kind
is refused too: it would mark everybody of that kind as gone.
"""

from __future__ import annotations

import contextlib
import datetime
import importlib
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from annuaire.aaf.files import KINDS, AafFormatError
from annuaire.aaf.read import RecordSource
from annuaire.aaf.reader import Record

PAGE_SIZE = 500
TIMEOUT = 30  # seconds, for the connection and for each answer of the server

DEFAULT_STAFF_CLASSES = ("ENTAuxEnseignant", "ENTAuxNonEnsEtab", "ENTAuxNonEnsCollLoc")
"""The SDET's staff classes read as PersEducNat: teachers, non-teaching staff of the
establishments and of the local authority (ENTAuxNonEnsServAc, the académie's own services,
and ENTDirecteur, primary school heads, are left out unless asked for)."""

_PERSON = ("ENTPersonJointure", "sn", "ENTPersonNomPatro", "givenName", "ENTPersonDateNaissance")
_CONTACT = ("mail", "mobile", "telephoneNumber")
ATTRIBUTES: dict[str, tuple[str, ...]] = {
    "EtabEducNat": (
        "ENTStructureJointure",
        "ENTStructureUAI",
        "ENTEtablissementUAI",
        "ENTStructureNomCourant",
        "ENTStructureTypeStruct",
        "ENTServAcAcademie",
        "ENTStructureClasses",
        "ENTStructureGroupes",
    ),
    "Eleve": (
        *_PERSON,
        *_CONTACT,
        "ENTPersonStructRattach",
        "ENTEleveClasses",
        "ENTEleveGroupes",
        "ENTEleveMEF",
        "ENTElevePersRelEleve",
        "ENTEleveAutoriteParentale",
        "ENTEleveParents",
    ),
    "PersRelEleve": (*_PERSON, *_CONTACT),
    "PersEducNat": (
        *_PERSON,
        *_CONTACT,
        "ENTPersonStructRattach",
        "ENTPersonFonctions",
        "ENTAuxEnsClassesMatieres",
        "ENTAuxEnsGroupesMatieres",
        "ENTAuxEnsClassesPrincipal",
        "PersEducNatPresenceDevantEleves",
    ),
}
"""What the importer reads of each kind (see `annuaire.aaf.records`): only these are asked
for, so that binary attributes (photos, certificates) never travel."""

IDENTIFIERS = {"EtabEducNat": "ENTStructureJointure"}
"""The attribute that identifies an entry, by kind; ENTPersonJointure for people."""

_URI = re.compile(r"^ldaps?://[^/?#\s]*/?$|^ldapi://\S*$", re.IGNORECASE)


class LdapUnavailableError(RuntimeError):
    """python-ldap is not installed: the `ldap` extra is needed."""


def require_ldap() -> ModuleType:
    """The python-ldap module (with its paged results control), or LdapUnavailableError in French."""
    try:
        module = importlib.import_module("ldap")
        importlib.import_module("ldap.controls")
        importlib.import_module("ldap.filter")
    except ImportError:
        raise LdapUnavailableError(
            _(
                "La lecture d'un annuaire LDAP demande python-ldap : installez l'extra « ldap » "
                "(pip install -e '.[ldap]'), qui se compile avec les bibliothèques système "
                "libldap2-dev et libsasl2-dev."
            )
        ) from None
    return module


@dataclass
class _Directory:
    """Where and how to connect; shared by the sources of one `ldap_sources` call."""

    uri: str
    bind_dn: str
    password: str = field(repr=False)
    timeout: float
    failed: bool = False

    def connect(self) -> Any:
        """A bound connection, or AafFormatError (file: the URI) saying in French what went wrong."""
        ldap = require_ldap()
        if not _URI.match(self.uri):
            raise self._error(
                _("adresse d'annuaire invalide (attendu : ldap://hôte:port, ldaps://hôte:port ou ldapi://).")
            )
        if self.bind_dn and not self.password:
            # An empty password would be an anonymous bind that many servers accept silently.
            raise self._error(_("mot de passe vide pour %(dn)s : connexion refusée.") % {"dn": self.bind_dn})
        try:
            connection = ldap.initialize(self.uri)
            connection.set_option(ldap.OPT_PROTOCOL_VERSION, ldap.VERSION3)
            connection.set_option(ldap.OPT_REFERRALS, 0)
            connection.set_option(ldap.OPT_NETWORK_TIMEOUT, self.timeout)
            connection.set_option(ldap.OPT_TIMEOUT, self.timeout)
            connection.timeout = self.timeout  # the synchronous (_s) calls wait this long
            connection.simple_bind_s(self.bind_dn, self.password)
        except ldap.LDAPError as error:
            raise self._error(self.describe(error)) from None
        return connection

    def describe(self, error: Exception) -> str:
        """A French explanation of a python-ldap error, without the password."""
        ldap = require_ldap()
        details = error.args[0] if error.args and isinstance(error.args[0], dict) else {}
        text = " ".join(str(details.get(key, "")) for key in ("desc", "info")).strip() or error.__class__.__name__
        if isinstance(error, ldap.SERVER_DOWN):
            return _("annuaire LDAP injoignable (serveur arrêté, adresse ou port faux, pare-feu ?) : %(text)s.") % {
                "text": text
            }
        if isinstance(error, ldap.INVALID_CREDENTIALS):
            return _("identifiants refusés par l'annuaire LDAP (DN de connexion ou mot de passe faux) pour %(dn)s.") % {
                "dn": self.bind_dn or _("une connexion anonyme")
            }
        if isinstance(error, ldap.TIMEOUT | ldap.TIMELIMIT_EXCEEDED):
            return _("l'annuaire LDAP n'a pas répondu dans le délai de %(seconds)s s.") % {
                "seconds": f"{self.timeout:g}"
            }
        if isinstance(error, ldap.NO_SUCH_OBJECT):
            return _("la base de recherche n'existe pas dans l'annuaire LDAP : %(text)s.") % {"text": text}
        if isinstance(error, ldap.INSUFFICIENT_ACCESS):
            return _("le compte %(dn)s n'a pas le droit de lire l'annuaire LDAP : %(text)s.") % {
                "dn": self.bind_dn,
                "text": text,
            }
        if isinstance(error, ldap.SIZELIMIT_EXCEEDED | ldap.ADMINLIMIT_EXCEEDED):
            return _("l'annuaire LDAP limite le nombre de réponses pour ce compte : %(text)s.") % {"text": text}
        return _("erreur de l'annuaire LDAP : %(text)s.") % {"text": text}

    def _error(self, reason: str) -> AafFormatError:
        self.failed = True
        return AafFormatError(file=self.uri, line=None, reason=reason)


@dataclass(frozen=True)
class LdapSource:
    """The entries of some object classes under a base DN, as records of one kind."""

    directory: _Directory
    kind: str
    object_classes: tuple[str, ...]
    base_dn: str
    complete: bool
    export_date: datetime.date
    page_size: int = PAGE_SIZE

    @property
    def name(self) -> str:
        return f"{self.directory.uri} {'/'.join(self.object_classes)}"

    @property
    def identifier_attribute(self) -> str:
        return IDENTIFIERS.get(self.kind, "ENTPersonJointure")

    def records(self) -> Iterator[Record]:
        if self.directory.failed:
            raise AafFormatError(
                file=self.name, line=None, reason=_("non lu : l'annuaire a déjà refusé la lecture (voir plus haut).")
            )
        connection = self.directory.connect()
        line = 0
        try:
            for line, (dn, entry) in enumerate(self._entries(connection), start=1):
                attributes = self._decode(dn, entry, line)
                identifier = next(iter(attributes.get(self.identifier_attribute, [])), "")
                yield Record(
                    operation="add",
                    kind=self.kind,
                    identifier=identifier.strip(),
                    attributes=attributes,
                    file=self.name,
                    line=line,
                )
        finally:
            with contextlib.suppress(require_ldap().LDAPError):
                connection.unbind_s()
        if line == 0 and self.complete:
            # A complete import ends the memberships of everyone it does not read: reading nobody
            # is a wrong base DN or object class, not a school emptied overnight.
            raise AafFormatError(
                file=self.name,
                line=None,
                reason=_(
                    "aucune entrée de classe %(classes)s sous « %(base)s » : un import complet en a besoin "
                    "(vérifiez la base de recherche et les classes d'objets)."
                )
                % {"classes": " ou ".join(self.object_classes), "base": self.base_dn},
            )

    def _entries(self, connection: Any) -> Iterator[tuple[str, dict[str, list[bytes]]]]:
        """Every entry of the object classes, page by page (RFC 2696 simple paged results)."""
        ldap = require_ldap()
        from ldap.controls import SimplePagedResultsControl
        from ldap.filter import escape_filter_chars

        classes = "".join(f"(objectClass={escape_filter_chars(name)})" for name in self.object_classes)
        search_filter = classes if len(self.object_classes) == 1 else f"(|{classes})"
        attributes = list(ATTRIBUTES[self.kind])
        page = SimplePagedResultsControl(True, size=self.page_size, cookie="")
        try:
            while True:
                message = connection.search_ext(
                    self.base_dn, ldap.SCOPE_SUBTREE, search_filter, attributes, serverctrls=[page]
                )
                _type, entries, _id, controls = connection.result3(message, timeout=self.directory.timeout)
                for dn, entry in entries:
                    if dn is not None and isinstance(entry, dict):  # skip search references
                        yield dn, entry
                answer = next((c for c in controls if c.controlType == SimplePagedResultsControl.controlType), None)
                if answer is None or not answer.cookie:
                    return
                page.cookie = answer.cookie
        except ldap.LDAPError as error:
            self.directory.failed = True
            raise AafFormatError(file=self.name, line=None, reason=self.directory.describe(error)) from None

    def _decode(self, dn: str, entry: dict[str, list[bytes]], line: int) -> dict[str, list[str]]:
        """Values decoded from UTF-8, under the names the importer reads (LDAP names ignore case)."""
        names = {name.lower(): name for name in ATTRIBUTES[self.kind]}
        attributes: dict[str, list[str]] = {}
        for raw_name, values in entry.items():
            name = names.get(raw_name.lower())
            if name is None:  # attribute options (sn;lang-en) and anything not asked for
                continue
            try:
                attributes.setdefault(name, []).extend(value.decode("utf-8") for value in values)
            except UnicodeDecodeError:
                raise AafFormatError(
                    file=self.name,
                    line=line,
                    reason=_("%(dn)s : valeur de %(name)s qui n'est pas de l'UTF-8.") % {"dn": dn, "name": name},
                ) from None
        return attributes


def ldap_sources(
    *,
    uri: str,
    bind_dn: str,
    password: str,
    base_dn: str,
    complete: bool = True,
    staff_classes: Sequence[str] = DEFAULT_STAFF_CLASSES,
    page_size: int = PAGE_SIZE,
    timeout: float = TIMEOUT,
) -> list[RecordSource]:
    """One source per kind the directory holds, in the importer's order.

    Raises LdapUnavailableError when python-ldap is missing; every other problem comes out of
    the sources' `records()` as AafFormatError, for the pipeline to report.
    """
    require_ldap()
    directory = _Directory(uri=uri.strip(), bind_dn=bind_dn, password=password, timeout=timeout)
    today = timezone.localdate()
    classes = {
        "EtabEducNat": ("ENTStructure",),
        "Eleve": ("ENTEleve",),
        "PersRelEleve": ("ENTAuxPersRelEleve",),
        "PersEducNat": tuple(staff_classes),
    }
    return [
        LdapSource(
            directory=directory,
            kind=kind,
            object_classes=classes[kind],
            base_dn=base_dn,
            complete=complete,
            export_date=today,
            page_size=page_size,
        )
        for kind in KINDS
        if classes.get(kind)
    ]
