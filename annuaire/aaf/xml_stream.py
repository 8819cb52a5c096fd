"""The byte stream the AAF parser reads: the rectorat's files made plain, safe, bounded XML.

The files are taken as the rectorat delivers them: UTF-8 with or without an XML declaration, other
declared encodings (ISO-8859-15), CRLF or CR line ends, and HTML named entities (`&eacute;`) that
XML does not define. A wrapping stream (`EntityRewriter`) rewrites those entities into numeric
character references, which mean the same character in any encoding, and lone CR line ends into LF
(libxml2 does not count CR-only lines), before the parser sees the bytes, without moving any line.

Safety: a DOCTYPE whose internal subset declares entities (billion laughs, XXE) is refused before
the parser reads it; each request is bounded (MAX_RECORD_* below) while it streams in. It also notes
the line of each request's start tag: libxml2 numbers elements wrongly past line 65,535.
"""

from __future__ import annotations

import collections
import functools
import re
import tarfile
import zlib
from collections.abc import Iterator
from html.entities import html5
from typing import BinaryIO

from annuaire.aaf.files import CHUNK_SIZE, AafFormatError

MAX_RECORD_MARKUP = 10_000  # "<" in one request: its tags, start and end
MAX_RECORD_BYTES = 4 * 1024 * 1024  # a real record weighs a few kilobytes
MAX_PROLOG_BYTES = 64 * 1024

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


class EntityRewriter:
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
                raise AafFormatError(file_name, line, ENTITY_DECLARATION_REASON)
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
ENTITY_DECLARATION_REASON = (
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
