"""Reader of the rectorat's AAF exports (ficAlimMENESR): one file in, a stream of records out.

`read_records` streams one file's requests as `Record`s with lxml's iterparse over the cleaned
byte stream of `annuaire.aaf.xml_stream`, clearing the tree as it goes so that memory stays flat
whatever the file's size. The files themselves are found and ordered by `annuaire.aaf.files`.

Safety: no entity is resolved, no DTD loaded, no network used. A DOCTYPE whose internal subset
declares entities is refused by the stream before the parser reads it, and again here from the
parsed document information should the scan of the prolog be fooled. Values and records are
bounded (MAX_* below). Every problem raises `AafFormatError` in French, naming the file and the line.

Line numbers: libxml2 numbers elements wrongly past line 65,535, so the rewriting stream notes the
line of each request's start tag itself; errors inside a record past that line are placed from
the record's line and the line ends of the text before them.
"""

from __future__ import annotations

import tarfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, NoReturn

from lxml import etree

from annuaire.aaf.files import CHUNK_SIZE, AafFile, AafFormatError
from annuaire.aaf.xml_stream import ENTITY_DECLARATION_REASON, EntityRewriter

# The operational attribute's value, when it differs from the file kind (the Ministry writes
# categorieMatiere = "MatEducNat" in MatiereEducNat files).
_CATEGORY_KINDS = {"MatEducNat": "MatiereEducNat"}

MAX_VALUE_LENGTH = 10_000
MAX_RECORD_VALUES = 2_000

_OPERATIONS = {"addRequest": "add", "modifyRequest": "modify", "deleteRequest": "delete"}
_REQUEST_CHILDREN = {
    "addRequest": {"operationalAttributes", "identifier", "attributes"},
    "modifyRequest": {"operationalAttributes", "identifier", "modifications"},
    "deleteRequest": {"operationalAttributes", "identifier"},
}


@dataclass(frozen=True)
class Record:
    """One request of an export: an addition, a whole-record replacement or a deletion."""

    operation: str  # "add" | "modify" | "delete"
    kind: str  # one of KINDS when the operational category is known, else that category as written
    identifier: str  # <identifier><id>, "" when absent
    attributes: dict[str, list[str]]  # empty for a deletion
    file: str
    line: int
    category: str = ""  # the operational attribute's value as written ("MatEducNat"), "" when absent


# --- Reading the records -------------------------------------------------------------------------

_SYNTAX_REASONS = {
    "ERR_TAG_NAME_MISMATCH": "balise fermante inattendue",
    "ERR_TAG_NOT_FINISHED": "fin de fichier prématurée",
    "ERR_DOCUMENT_END": "contenu inattendu après l'élément racine",
    "ERR_DOCUMENT_EMPTY": "fichier vide",
    "ERR_INVALID_CHAR": "caractère invalide",
    "ERR_INVALID_ENCODING": "encodage invalide",
    "ERR_UNSUPPORTED_ENCODING": "encodage non pris en charge",
    "ERR_UNKNOWN_ENCODING": "encodage inconnu",
    "ERR_NAME_REQUIRED": "nom attendu",
    "ERR_ENTITYREF_SEMICOL_MISSING": "« & » isolé ou entité sans « ; »",
    "ERR_UNDECLARED_ENTITY": "entité non déclarée",
    "ERR_ENTITY_LOOP": "entités en boucle",
    "ERR_RESOURCE_LIMIT": "limite de taille dépassée",
}
_SYNTAX_REASON_BY_CODE = {
    getattr(etree.ErrorTypes, name): reason
    for name, reason in _SYNTAX_REASONS.items()
    if hasattr(etree.ErrorTypes, name)
}


def _syntax_error(file_name: str, error: etree.XMLSyntaxError) -> AafFormatError:
    reason = _SYNTAX_REASON_BY_CODE.get(error.code, "XML mal formé")
    message = (getattr(error, "msg", "") or str(error)).strip()
    line = error.lineno if isinstance(error.lineno, int) and error.lineno > 0 else None
    return AafFormatError(file_name, line, f"{reason} ({message}).")


def _declares_entities(element: Any) -> bool:
    dtd = element.getroottree().docinfo.internalDTD
    return dtd is not None and any(True for _ in dtd.iterentities())


_ROOT = "ficAlimMENESR"
_WATCHED_TAGS = [f"{{*}}{tag}" for tag in (_ROOT, *_OPERATIONS)]
_BIG_LINE = 65_535  # from this line on, libxml2's element line numbers are not to be trusted


def read_records(aaf_file: AafFile) -> Iterator[Record]:
    """Stream the requests of one export file as Records, in file order.

    Raises AafFormatError (file, line, French reason) for a malformed file, a refused construct or
    an oversized value or record; the records before the problem have been yielded by then."""
    name = aaf_file.name
    try:
        raw = aaf_file.opener()
    except (OSError, EOFError, tarfile.TarError, zlib.error) as error:
        raise AafFormatError(name, None, f"lecture impossible ({error}).") from error
    with raw:
        source = EntityRewriter(raw, name)
        # Events for the root and the requests only: the parser builds each request's subtree,
        # which is read whole at its end then cleared.
        parser = etree.XMLPullParser(
            events=("start", "end"),
            tag=_WATCHED_TAGS,
            resolve_entities=False,
            load_dtd=False,
            dtd_validation=False,
            attribute_defaults=False,
            no_network=True,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        try:
            yield from _requests(aaf_file, source, _events(parser, source, name))
        except etree.XMLSyntaxError as error:
            raise _syntax_error(name, error) from None


def _events(parser: Any, source: EntityRewriter, file_name: str) -> Iterator[tuple[str, Any]]:
    """The parser's events as it is fed the file; then the check of the root's name.

    The file is fed by hand rather than through iterparse: iterparse (lxml 6) drops the events it
    had already parsed in a chunk that holds a syntax error, so in a file smaller than a chunk the
    records before a broken line would go unread and their own errors unsaid."""
    try:
        while chunk := source.read(CHUNK_SIZE):
            parser.feed(chunk)
            yield from parser.read_events()
        root = parser.close()
    except etree.XMLSyntaxError:
        yield from parser.read_events()
        raise
    yield from parser.read_events()
    if root is not None and root.tag != _ROOT:
        raise _unexpected(file_name, root, None)


# The functions below are kept short on purpose: tracemalloc (the memory test) pays for each
# allocation a walk of the current function's line table, so long loops in long functions crawl.


def _requests(aaf_file: AafFile, source: EntityRewriter, context: Any) -> Iterator[Record]:
    line = 0
    first = True
    for event, element in context:
        if first:
            if _declares_entities(element):
                raise AafFormatError(aaf_file.name, element.sourceline, ENTITY_DECLARATION_REASON)
            first = False
        if event == "start":
            line = _request_line(aaf_file.name, source, element, line)
        elif element.getparent() is None:  # the end of the root
            _check_root_children(aaf_file.name, element, None)
        else:
            yield _take_record(aaf_file, element, line)


def _request_line(file_name: str, source: EntityRewriter, element: Any, line: int) -> int:
    """Check where a request (or the root) starts; return the request's line."""
    tag = element.tag
    parent = element.getparent()
    if tag == _ROOT:
        if parent is not None:
            raise _unexpected(file_name, element, parent)
        return line
    line = source.request_lines.popleft() if source.request_lines else element.sourceline
    if tag not in _OPERATIONS:  # a request in a namespace
        raise AafFormatError(file_name, line, f"élément « {tag} » dans un espace de noms : inattendu.")
    if parent is None or parent.tag != _ROOT or parent.getparent() is not None:
        raise _unexpected(file_name, element, parent, line)
    return line


def _take_record(aaf_file: AafFile, request: Any, line: int) -> Record:
    """The record of a request that has just ended; then the request leaves the tree."""
    parent = request.getparent()
    _check_root_children(aaf_file.name, parent, request)
    record = _record(aaf_file, request, line)
    request.clear(keep_tail=False)
    while request.getprevious() is not None:
        del parent[0]
    return record


def _unexpected(file_name: str, element: Any, parent: Any, line: int | None = None) -> AafFormatError:
    line = line or element.sourceline
    if parent is None:
        return AafFormatError(file_name, line, f"élément racine « {element.tag} » inattendu ({_ROOT} attendu).")
    return AafFormatError(file_name, line, f"élément « {element.tag} » inattendu dans « {parent.tag} ».")


def _check_root_children(file_name: str, root: Any, until: Any) -> None:
    """Refuse any element other than a request among the root's children read so far."""
    for child in root:
        if child is until:
            return
        if child.tag not in _OPERATIONS:
            raise AafFormatError(
                file_name,
                child.sourceline,
                f"élément « {child.tag} » inattendu (addRequest, modifyRequest ou deleteRequest attendu).",
            )


def _record(aaf_file: AafFile, request: Any, line: int) -> Record:
    name = aaf_file.name
    category = identifier = ""
    attributes: dict[str, list[str]] = {}
    count = 0
    request_tag = request.tag
    allowed = _REQUEST_CHILDREN[request_tag]
    for child in request:
        tag = child.tag
        if tag not in allowed:
            raise AafFormatError(
                name, _line_of(child, request, line), f"élément « {tag} » inattendu dans « {request_tag} »."
            )
        if tag == "identifier":
            identifier = _identifier(name, child, request, line)
        elif tag == "operationalAttributes":
            operational: dict[str, list[str]] = {}
            count = _read_items(name, child, "attr", operational, count, request, line)
            category = next((v[0] for k, v in operational.items() if k.startswith("categorie") and v), "")
        else:
            item_tag = "modification" if tag == "modifications" else "attr"
            count = _read_items(name, child, item_tag, attributes, count, request, line)
    return Record(
        operation=_OPERATIONS[request_tag],
        kind=_CATEGORY_KINDS.get(category, category) or aaf_file.kind,
        identifier=identifier,
        attributes=attributes,
        file=name,
        line=line,
        category=category,
    )


def _identifier(file_name: str, identifier: Any, request: Any, line: int) -> str:
    ids = _texts(identifier, "id")
    if ids is None or len(ids) != len(identifier):
        _refuse_children(file_name, identifier, "id", request, line)
    return ids[-1] if ids else ""


def _read_items(
    file_name: str,
    parent: Any,
    item_tag: str,
    attributes: dict[str, list[str]],
    count: int,
    request: Any,
    line: int,
) -> int:
    """Add the values of `parent`'s <attr> or <modification> children; return the values counted."""
    items = 0
    for item in parent.iterchildren(item_tag):  # filtered in C: no tag string made per element
        items += 1
        attribute_name = item.get("name")
        if not attribute_name or (item_tag == "modification" and item.get("operation") != "replace"):
            _refuse_item(file_name, item, request, line)
        values = _texts(item, "value")
        if values is None or len(values) != len(item):
            _refuse_children(file_name, item, "value", request, line)
        count += len(values)
        if count > MAX_RECORD_VALUES:
            raise AafFormatError(
                file_name,
                _line_of(item, request, line),
                f"enregistrement de plus de {MAX_RECORD_VALUES} valeurs : refusé.",
            )
        _add_values(attributes, attribute_name.strip(), values)
    if items != len(parent):
        _refuse_children(file_name, parent, item_tag, request, line)
    return count


def _add_values(attributes: dict[str, list[str]], name: str, values: list[str]) -> None:
    known = attributes.get(name)
    if known is None:
        attributes[name] = values
    else:  # the attribute again in the same record: its values follow the first ones
        known.extend(values)


def _texts(parent: Any, tag: str) -> list[str] | None:
    """The stripped texts of `parent`'s `tag` children ("" for an empty one), None if one has
    children of its own or is too long."""
    if len(parent) == 1:
        return _only_text(parent[0], tag)
    texts = []
    for element in parent.iterchildren(tag):
        if len(element):
            return None
        text = element.text
        if text is None:
            texts.append("")
        elif len(text) > MAX_VALUE_LENGTH:
            return None
        else:
            texts.append(text.strip())
    return texts


def _only_text(element: Any, tag: str) -> list[str] | None:
    """`_texts` of a parent whose one child is `element`. Most attributes hold a single value, and
    taking it by index spares the iterator that lxml builds for `iterchildren` (a tenth of the
    parsing time); anything else (another tag, children of its own) is for the caller to refuse."""
    if element.tag != tag or len(element):
        return None
    text = element.text
    if text is None:
        return [""]
    return None if len(text) > MAX_VALUE_LENGTH else [text.strip()]


def _refuse_item(file_name: str, item: Any, request: Any, line: int) -> NoReturn:
    item_line = _line_of(item, request, line)
    if not item.get("name"):
        raise AafFormatError(file_name, item_line, f"« {item.tag} » sans attribut name.")
    operation = item.get("operation") or ""
    raise AafFormatError(
        file_name, item_line, f"opération de modification « {operation} » non prise en charge (replace attendu)."
    )


def _refuse_children(file_name: str, parent: Any, expected: str, request: Any, line: int) -> NoReturn:
    """Raise for the first child of `parent` that is not an `expected` element (holding text alone,
    for a <value> or an <id>)."""
    leaves = expected in ("value", "id")
    for child in parent:
        if child.tag != expected:
            reason = f"élément « {child.tag} » inattendu dans « {parent.tag} » ({expected} attendu)."
            raise AafFormatError(file_name, _line_of(child, request, line), reason)
        if not leaves:
            continue
        if len(child):
            reason = f"élément « {child[0].tag} » inattendu dans « {expected} »."
            raise AafFormatError(file_name, _line_of(child[0], request, line), reason)
        if child.text is not None and len(child.text) > MAX_VALUE_LENGTH:
            name = parent.get("name") or parent.tag
            reason = f"valeur de plus de {MAX_VALUE_LENGTH} caractères dans {name} : refusée."
            raise AafFormatError(file_name, _line_of(child, request, line), reason)
    raise AssertionError("no faulty child")  # pragma: no cover


def _line_of(element: Any, request: Any, request_line: int) -> int:
    """The line of an element inside a request: libxml2's when it can be trusted, else the request's
    line plus the line ends of the text before the element (exact unless a tag spans lines)."""
    if element.sourceline is not None and element.sourceline < _BIG_LINE:
        return int(element.sourceline)
    line = request_line

    def walk(node: Any) -> bool:
        nonlocal line
        if node is element:
            return True
        line += (node.text or "").count("\n")
        for child in node:
            if walk(child):
                return True
            line += (child.tail or "").count("\n")
        return False

    walk(request)
    return line
