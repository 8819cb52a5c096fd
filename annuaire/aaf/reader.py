"""Low-level reader of the rectorat's AAF exports (ficAlimMENESR): files in, a stream of records out.

`collect_files` finds the export files among paths (files, folders, .tgz archives) and orders them
for processing; `read_records` streams one file's requests as `Record`s with lxml's iterparse,
clearing the tree as it goes so that memory stays flat whatever the file's size.

The files are taken as the rectorat delivers them: UTF-8 with or without an XML declaration, other
declared encodings (ISO-8859-15), CRLF or CR line ends, and HTML named entities (`&eacute;`) that
XML does not define. A wrapping stream (`_EntityRewriter`) rewrites those entities into numeric
character references, which mean the same character in any encoding, and lone CR line ends into LF
(libxml2 does not count CR-only lines), before the parser sees the bytes, without moving any line.

Safety: no entity is resolved, no DTD loaded, no network used. A DOCTYPE whose internal subset
declares entities (billion laughs, XXE) is refused before the parser reads it, and again from the
parsed document information should the scan of the prolog be fooled. Values and records are
bounded (MAX_* below), records while they stream in. Every problem raises `AafFormatError` in
French, naming the file and the line.

Line numbers: libxml2 numbers elements wrongly past line 65,535, so the rewriting stream notes the
line of each request's start tag itself; errors inside a record past that line are placed from
the record's line and the line ends of the text before them.
"""

from __future__ import annotations

import collections
import datetime
import functools
import io
import re
import tarfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from html.entities import html5
from pathlib import Path
from typing import IO, Any, BinaryIO, NoReturn

from lxml import etree

KINDS = ("EtabEducNat", "MatiereEducNat", "MefEducNat", "Eleve", "PersRelEleve", "PersEducNat")
"""The file kinds, in processing order: structures, subjects, MEFs, students, relatives, staff."""

# The operational attribute's value, when it differs from the file kind (the Ministry writes
# categorieMatiere = "MatEducNat" in MatiereEducNat files).
_CATEGORY_KINDS = {"MatEducNat": "MatiereEducNat"}

MAX_VALUE_LENGTH = 10_000
MAX_RECORD_VALUES = 2_000
MAX_RECORD_MARKUP = 10_000  # "<" in one request: its tags, start and end
MAX_RECORD_BYTES = 4 * 1024 * 1024  # a real record weighs a few kilobytes
MAX_PROLOG_BYTES = 64 * 1024
CHUNK_SIZE = 64 * 1024

_OPERATIONS = {"addRequest": "add", "modifyRequest": "modify", "deleteRequest": "delete"}
_REQUEST_CHILDREN = {
    "addRequest": {"operationalAttributes", "identifier", "attributes"},
    "modifyRequest": {"operationalAttributes", "identifier", "modifications"},
    "deleteRequest": {"operationalAttributes", "identifier"},
}
_ARCHIVE_SUFFIXES = (".tgz", ".tar.gz")
_FILE_NAME = re.compile(
    r"^(?P<prefix>.+)_(?P<mode>Complet|Delta)_(?P<date>\d{8})_(?P<kind>[A-Za-z]+)_(?P<part>\d{4})\.(?i:xml)$"
)
_EXPECTED_NAME = "<PRÉFIXE>_<Complet|Delta>_<AAAAMMJJ>_<Type>_<NNNN>.xml"


class AafFormatError(Exception):
    """An export that cannot be read as it is: `str()` gives "file, ligne N : reason" in French."""

    def __init__(self, file: str, line: int | None, reason: str) -> None:
        super().__init__(file, line, reason)
        self.file = file
        self.line = line
        self.reason = reason

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file} : {self.reason}"
        return f"{self.file}, ligne {self.line} : {self.reason}"


@dataclass(frozen=True)
class AafFile:
    """One XML export file to read, on disk or a member of a .tgz archive."""

    name: str
    kind: str
    complete: bool
    export_date: datetime.date
    part: int
    opener: Callable[[], BinaryIO]
    source: str = ""  # where it was found: its path, or "archive.tgz:member/path.xml"

    @property
    def sort_key(self) -> tuple[int, datetime.date, int, bool, str]:
        return (KINDS.index(self.kind), self.export_date, self.part, not self.complete, self.name)


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


# --- Finding the files ---------------------------------------------------------------------------


def parse_file_name(name: str, opener: Callable[[], BinaryIO], source: str = "") -> AafFile:
    """The AafFile described by an export's file name, or AafFormatError if the name is not one."""
    match = _FILE_NAME.match(name)
    if match is None:
        raise AafFormatError(name, None, f"nom de fichier non conforme (attendu : {_EXPECTED_NAME}).")
    kind = match["kind"]
    if kind not in KINDS:
        raise AafFormatError(name, None, f"type de fichier inconnu « {kind} » (attendu : {', '.join(KINDS)}).")
    try:
        export_date = datetime.datetime.strptime(match["date"], "%Y%m%d").date()
    except ValueError:
        raise AafFormatError(name, None, f"date d'export impossible « {match['date']} ».") from None
    return AafFile(
        name=name,
        kind=kind,
        complete=match["mode"] == "Complet",
        export_date=export_date,
        part=int(match["part"]),
        opener=opener,
        source=source or name,
    )


def collect_files(paths: Iterable[str | Path]) -> list[AafFile]:
    """The export files among `paths` (files, folders searched recursively, .tgz/.tar.gz archives),
    in processing order: by kind (structures, subjects, MEFs, students, relatives, staff), then
    export date, then part. Other files (SOURCE.md, the .dtd) and hidden ones are ignored; an .xml
    whose name does not follow the export naming is an AafFormatError, and so is a name met twice."""
    found: dict[str, AafFile] = {}
    seen_paths: set[Path] = set()

    def add(aaf_file: AafFile) -> None:
        previous = found.get(aaf_file.name)
        if previous is not None:
            raise AafFormatError(
                aaf_file.name, None, f"fichier reçu deux fois ({previous.source} et {aaf_file.source})."
            )
        found[aaf_file.name] = aaf_file

    def visit_file(path: Path) -> None:
        resolved = path.resolve()
        if resolved in seen_paths:
            return
        seen_paths.add(resolved)
        lowered = path.name.lower()
        if lowered.endswith(".xml"):
            add(parse_file_name(path.name, functools.partial(_open_path, path), str(path)))
        elif lowered.endswith(_ARCHIVE_SUFFIXES):
            for aaf_file in _archive_files(path):
                add(aaf_file)

    for raw_path in paths:
        path = Path(raw_path)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                relative = child.relative_to(path)
                if child.is_file() and not any(part.startswith(".") for part in relative.parts):
                    visit_file(child)
        elif path.is_file():
            visit_file(path)
        else:
            raise AafFormatError(str(path), None, "fichier ou dossier introuvable.")
    return sorted(found.values(), key=lambda aaf_file: aaf_file.sort_key)


def _open_path(path: Path) -> BinaryIO:
    return path.open("rb")


def _archive_files(archive: Path) -> list[AafFile]:
    files = []
    try:
        with tarfile.open(archive, mode="r|*") as tar:
            for member in tar:
                base = member.name.rsplit("/", 1)[-1]
                hidden = any(part.startswith(".") for part in member.name.split("/") if part not in ("", "."))
                if member.isfile() and not hidden and base.lower().endswith(".xml"):
                    opener = functools.partial(_open_member, archive, member.name)
                    files.append(parse_file_name(base, opener, f"{archive}:{member.name}"))
    except (OSError, EOFError, tarfile.TarError, zlib.error) as error:
        raise AafFormatError(archive.name, None, f"archive illisible ({error}).") from error
    return files


class _ArchiveMember(io.RawIOBase):
    """A member of a tar archive read in stream mode; closing it closes the archive."""

    def __init__(self, archive: Path, member_name: str) -> None:
        super().__init__()
        self._tar = tarfile.open(archive, mode="r|*")  # noqa: SIM115 (closed by close())
        self._stream: IO[bytes] | None = None
        for member in self._tar:
            if member.name == member_name:
                self._stream = self._tar.extractfile(member)
                break
        if self._stream is None:
            self._tar.close()
            raise FileNotFoundError(f"{member_name} absent de {archive}")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        assert self._stream is not None
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._tar.close()
        super().close()


def _open_member(archive: Path, member_name: str) -> BinaryIO:
    return io.BufferedReader(_ArchiveMember(archive, member_name), buffer_size=CHUNK_SIZE)


# --- The byte stream the parser reads ------------------------------------------------------------

_XML_ENTITIES = frozenset({b"amp", b"lt", b"gt", b"quot", b"apos"})
_ENTITY_NAME_MAX = 64
# Every token is shorter than this: a chunk is processed up to this distance from its end, so that
# a token cut by the end of a read is seen whole in the next round.
_MARGIN = 128
_NORMAL, _COMMENT, _CDATA, _PI = range(4)
_REQUEST_START = re.compile(rb"<(?:[A-Za-z_][A-Za-z0-9_.\-]{0,63}:)?(?:add|modify|delete)Request(?=[\s/>])")
_ENTITY = rb"&(#?)([A-Za-z0-9_:.\-\x80-\xff]{0,%d})(;?)" % (_ENTITY_NAME_MAX + 1)
_TOKENS = {
    _NORMAL: re.compile(rb"<!--|<!\[CDATA\[|<\?|" + _REQUEST_START.pattern + rb"|" + _ENTITY + rb"|\r(?!\n)"),
    _COMMENT: re.compile(rb"-->|\r(?!\n)"),
    _CDATA: re.compile(rb"\]\]>|\r(?!\n)"),
    _PI: re.compile(rb"\?>|\r(?!\n)"),
}
_OPENINGS = {b"<!--": _COMMENT, b"<![CDATA[": _CDATA, b"<?": _PI}


@functools.cache
def _html_entity(name: bytes) -> bytes | None:
    """The numeric character references standing for an HTML5 named entity, None if unknown."""
    text = html5.get(name.decode("ascii", "replace") + ";")
    if text is None:
        return None
    return "".join(f"&#{ord(char)};" for char in text).encode("ascii")


class _EntityRewriter:
    """A file object over the raw export bytes that the parser reads instead of the raw stream.

    It refuses a prolog whose DOCTYPE declares entities, rewrites the HTML named entities into
    numeric character references and lone CR line ends into LF, outside comments, CDATA sections
    and processing instructions. Line numbers are unchanged. The five XML entities and numeric
    references pass as they are; any other named entity is refused (the parser would silently drop
    it, the document declaring an external DTD that is never read). Works on ASCII-compatible
    encodings (UTF-8, ISO-8859-x, Windows-125x): UTF-16 and UTF-32 are refused.

    It also notes the line of each request's start tag in `request_lines`, in document order:
    libxml2 misplaces elements by a line past line 65,535. And it bounds each request, counted
    from its start tag to the next one: at most MAX_RECORD_MARKUP "<" and MAX_RECORD_BYTES bytes,
    so that the parser never holds more than that much of one record.
    """

    def __init__(self, raw: BinaryIO, file_name: str, chunk_size: int = CHUNK_SIZE) -> None:
        self._raw = raw
        self._file = file_name
        self._chunk_size = chunk_size
        self._pending = b""
        self._out = bytearray()
        self._state = _NORMAL
        self._eof = False
        self._prolog_checked = False
        self._line = 1  # the line at the end of what was rewritten so far
        self._emitted = 0  # bytes rewritten so far
        self._record_line = 1
        self._record_start = 0
        self._record_markup = 0
        self.request_lines: collections.deque[int] = collections.deque()

    def read(self, size: int = -1) -> bytes:
        while not self._eof and (size < 0 or len(self._out) < size):
            self._fill()
        if size < 0 or size >= len(self._out):
            data = bytes(self._out)
            self._out.clear()
        else:
            data = bytes(self._out[:size])
            del self._out[:size]
        return data

    def _fill(self) -> None:
        try:
            chunk = self._raw.read(self._chunk_size)
        except (OSError, EOFError, tarfile.TarError, zlib.error) as error:
            raise AafFormatError(self._file, None, f"lecture impossible ({error}).") from error
        if not chunk:
            self._eof = True
        self._pending += chunk
        if not self._prolog_checked:
            done = _check_prolog(self._pending, self._file)
            if not done and not self._eof:
                if len(self._pending) > MAX_PROLOG_BYTES:
                    raise AafFormatError(self._file, 1, "prologue XML (avant l'élément racine) trop long : refusé.")
                return
            self._prolog_checked = True
        consumed = self._rewrite(self._pending, final=self._eof)
        self._pending = self._pending[consumed:]
        if self._record_markup > MAX_RECORD_MARKUP:
            raise AafFormatError(
                self._file, self._record_line, f"enregistrement de plus de {MAX_RECORD_MARKUP} balises : refusé."
            )
        if self._emitted - self._record_start > MAX_RECORD_BYTES:
            megabytes = MAX_RECORD_BYTES // (1024 * 1024)
            raise AafFormatError(self._file, self._record_line, f"enregistrement de plus de {megabytes} Mo : refusé.")

    def _emit(self, data: bytes) -> None:
        self._out += data
        self._emitted += len(data)
        self._line += data.count(b"\n")
        if self._state == _NORMAL:
            self._record_markup += data.count(b"<")

    def _rewrite(self, buffer: bytes, *, final: bool) -> int:
        limit = len(buffer) if final else len(buffer) - _MARGIN
        if self._state == _NORMAL and limit > 0 and _is_plain(buffer, limit):
            self._pass_plain(buffer, limit)
            return limit
        position = 0
        while position < limit:
            match = _TOKENS[self._state].search(buffer, position)
            if match is None or match.start() >= limit:
                self._emit(buffer[position:limit])
                return limit
            self._emit(buffer[position : match.start()])
            token = match.group(0)
            position = match.end()
            if token == b"\r":
                self._emit(b"\n")
            elif self._state != _NORMAL:
                self._emit(token)
                self._state = _NORMAL
            elif token in _OPENINGS:
                self._emit(token)
                self._state = _OPENINGS[token]
            elif token[0] == 0x3C:  # "<": the start tag of a request
                self.request_lines.append(self._line)
                self._record_line, self._record_start, self._record_markup = self._line, self._emitted, 0
                self._emit(token)
            else:
                self._emit(self._entity(match))
        return max(position, 0)

    def _pass_plain(self, buffer: bytes, limit: int) -> None:
        """Emit `buffer[:limit]`, which has nothing to rewrite, noting where its requests start.

        The same result as the token loop of `_rewrite`, found with the bytes' own searches: the
        loop's regular expression stops at every "<" and takes most of the reading time."""
        position = 0
        for start in _request_starts(buffer, limit):
            self._emit(buffer[position:start])
            self.request_lines.append(self._line)
            self._record_line, self._record_start, self._record_markup = self._line, self._emitted, 0
            position = start
        self._emit(buffer[position:limit])

    def _entity(self, match: re.Match[bytes]) -> bytes:
        token = match.group(0)
        numeric, name, semicolon = match.group(1), match.group(2), match.group(3)
        if numeric or not semicolon or name in _XML_ENTITIES:
            return token  # a character reference, the XML entities, or a bare "&" the parser reports
        replacement = _html_entity(name) if len(name) <= _ENTITY_NAME_MAX else None
        if replacement is None:
            shown = token.decode("latin-1")[: _ENTITY_NAME_MAX + 2]
            raise AafFormatError(self._file, self._line, f"entité inconnue « {shown} » : ni XML ni HTML.")
        return replacement


_LONGEST_REQUEST_TAG = 80  # "<", a prefix of 64 characters, ":", "modifyRequest", the next character


def _is_plain(buffer: bytes, limit: int) -> bool:
    """Whether no token of `_TOKENS[_NORMAL]` but a request's start tag begins before `limit`:
    no comment, CDATA section or processing instruction, no entity, no lone CR."""
    return (
        buffer.find(b"&", 0, limit) < 0
        and _no_pair(buffer, b"<!", limit)
        and _no_pair(buffer, b"<?", limit)
        and (buffer.find(b"\r", 0, limit) < 0 or buffer.count(b"\r", 0, limit) == buffer.count(b"\r\n", 0, limit + 1))
    )


def _no_pair(buffer: bytes, pair: bytes, limit: int) -> bool:
    """Whether `pair` (two bytes) starts nowhere before `limit`. Looking for its rarer second byte
    alone first is a hundred times faster than searching the pair, whose "<" is everywhere."""
    return buffer.find(pair[1:], 1, limit + 1) < 0 or buffer.find(pair, 0, limit + 1) < 0


def _request_starts(buffer: bytes, limit: int) -> Iterator[int]:
    """The offsets of the requests' start tags that begin before `limit`, in order."""
    end = min(len(buffer), limit + _LONGEST_REQUEST_TAG)
    previous = -1
    found = buffer.find(b"Request", 0, end)
    while found >= 0:
        # A tag name holds no "<": the nearest one before is where a start tag would begin.
        start = buffer.rfind(b"<", 0, found)
        if previous < start < limit and _REQUEST_START.match(buffer, start):
            yield start
            previous = start
        found = buffer.find(b"Request", found + 1, end)


def _check_prolog(buffer: bytes, file_name: str) -> bool:
    """Whether the prolog (what precedes the root element) is whole in `buffer` and acceptable.

    Raises AafFormatError for an encoding that is not ASCII-compatible (UTF-16, UTF-32, EBCDIC...:
    the rewriting and this scan work on ASCII bytes) and for a DOCTYPE declaring entities."""
    if buffer.startswith((b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")):
        raise AafFormatError(file_name, 1, "encodage UTF-16 ou UTF-32 non pris en charge.")
    position = 3 if buffer.startswith(b"\xef\xbb\xbf") else 0
    size = len(buffer)
    if position < size and buffer[position] not in b"< \t\r\n":
        raise AafFormatError(file_name, 1, "le fichier ne commence pas par du XML (« < » attendu) : refusé.")
    while True:
        while position < size and buffer[position] in b" \t\r\n":
            position += 1
        rest = buffer[position : position + 9]
        if position >= size or (len(rest) < 9 and rest.startswith(b"<")):
            return False
        if rest.startswith(b"<?"):
            end = buffer.find(b"?>", position + 2)
            if end < 0:
                return False
            xml_declaration = _XML_DECLARATION.match(buffer[position : end + 2])
            if xml_declaration is not None:
                encoding = xml_declaration[1].decode("ascii", "replace")
                if not _ASCII_COMPATIBLE.match(encoding):
                    raise AafFormatError(file_name, 1, f"encodage « {encoding} » non pris en charge.")
            position = end + 2
        elif rest.startswith(b"<!--"):
            end = buffer.find(b"-->", position + 4)
            if end < 0:
                return False
            position = end + 3
        elif rest == b"<!DOCTYPE":
            doctype_end = _doctype_end(buffer, position + 9)
            doctype = buffer[position:] if doctype_end is None else buffer[position:doctype_end]
            if b"<!ENTITY" in doctype:
                line = len(_LINE_ENDS.findall(buffer, 0, position)) + 1
                raise AafFormatError(file_name, line, _ENTITY_DECLARATION_REASON)
            if doctype_end is None:
                return False
            position = doctype_end
        else:
            return True  # the root element, or something the parser will report


_XML_DECLARATION = re.compile(rb"<\?xml\s[^>]*?\bencoding\s*=\s*[\"']([^\"']*)[\"']")
_ASCII_COMPATIBLE = re.compile(
    r"^(utf-?8|(us-)?ascii|iso[-_]?8859[-_]\d{1,2}|latin-?\d|(windows|cp)-?125\d)$", re.IGNORECASE
)
_LINE_ENDS = re.compile(rb"\r\n|\r|\n")
_ENTITY_DECLARATION_REASON = (
    "le fichier déclare des entités XML dans son DOCTYPE (<!ENTITY …>) : "
    "refusé par sécurité, rien n'a été lu ni développé."
)


def _doctype_end(buffer: bytes, position: int) -> int | None:
    """The offset just after the DOCTYPE declaration starting before `position`, None if incomplete."""
    quote = 0
    in_subset = False
    size = len(buffer)
    while position < size:
        char = buffer[position]
        if quote:
            if char == quote:
                quote = 0
        elif in_subset and buffer.startswith((b"<!--", b"<?"), position):
            closing = b"-->" if buffer.startswith(b"<!--", position) else b"?>"
            end = buffer.find(closing, position + 2)
            if end < 0:
                return None
            position = end + len(closing) - 1
        elif char in b"\"'":
            quote = char
        elif char == ord("["):
            in_subset = True
        elif char == ord("]"):
            in_subset = False
        elif char == ord(">") and not in_subset:
            return position + 1
        position += 1
    return None


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
        source = _EntityRewriter(raw, name)
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


def _events(parser: Any, source: _EntityRewriter, file_name: str) -> Iterator[tuple[str, Any]]:
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


def _requests(aaf_file: AafFile, source: _EntityRewriter, context: Any) -> Iterator[Record]:
    line = 0
    first = True
    for event, element in context:
        if first:
            if _declares_entities(element):
                raise AafFormatError(aaf_file.name, element.sourceline, _ENTITY_DECLARATION_REASON)
            first = False
        if event == "start":
            line = _request_line(aaf_file.name, source, element, line)
        elif element.getparent() is None:  # the end of the root
            _check_root_children(aaf_file.name, element, None)
        else:
            yield _take_record(aaf_file, element, line)


def _request_line(file_name: str, source: _EntityRewriter, element: Any, line: int) -> int:
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
