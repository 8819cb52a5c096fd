"""Parsed export files kept from one run to the next: a file met again is not parsed again.

Parsing is most of a no-op re-import's processor time (about 11 s of 16 for the Paris-size
export), while what a file asks of the directory depends on nothing but its name (kind, date,
mode), its bytes and the code that parses them. `ParseCache` keeps each parse under a key made of
exactly those three:

- the SHA-256 of the bytes the parser actually read (digested as it reads them, so that a file
  rewritten in the meantime can never be stored under its earlier content);
- the file's name;
- a digest of the parsing code: every source file of the `annuaire` and `schools` packages, and
  the versions of lxml, libxml2 and Python.

Only what the parse yields is reused: the comparison with the database and the writes always
run, so a run served from the cache writes, reports and records exactly what it would have after
parsing. Parses that found an error are not kept (their messages depend on the language and on
the reading), entries are signed with the SECRET_KEY and checked before they are unpickled (a
file planted in the folder is ignored, never loaded), and any failure to read or write the
folder only means parsing again. After each run the folder keeps the files of that run alone.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import importlib
import io
import os
import pickle
import sys
import tarfile
import tempfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.utils.crypto import salted_hmac
from lxml import etree

from annuaire.aaf.files import CHUNK_SIZE, AafFile

CODE_PACKAGES = ("annuaire", "schools")
SUFFIX = ".parsed"
_SIGNATURE_SALT = "annuaire.aaf.parse_cache"
_SIGNATURE_SIZE = hashlib.sha256().digest_size
_READ_ERRORS = (OSError, EOFError, tarfile.TarError, zlib.error)
_DIGEST_READ_SIZE = 1024 * 1024


@functools.cache
def code_version() -> bytes:
    """A digest of the code a parse depends on: any change of it makes earlier parses unusable."""
    digest = hashlib.sha256(repr((etree.LXML_VERSION, etree.LIBXML_VERSION, sys.version)).encode())
    for package in CODE_PACKAGES:
        root = Path(importlib.import_module(package).__path__[0])
        for path in sorted(root.rglob("*.py")):
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.digest()


def content_digest(aaf_file: AafFile) -> str | None:
    """The SHA-256 of the file's bytes, None when it cannot be read (the parse will say why)."""
    digest = hashlib.sha256()
    try:
        with aaf_file.opener() as raw:
            while chunk := raw.read(_DIGEST_READ_SIZE):
                digest.update(chunk)
    except _READ_ERRORS:
        return None
    return digest.hexdigest()


class _DigestingStream(io.RawIOBase):
    def __init__(self, raw: BinaryIO, digest: Any) -> None:
        super().__init__()
        self._raw = raw
        self._digest = digest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        buffer[: len(data)] = data
        self._digest.update(data)
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


class DigestingOpener:
    """An opener for the parser that digests the bytes as they are read."""

    def __init__(self, opener: Callable[[], BinaryIO]) -> None:
        self._opener = opener
        self._digest = hashlib.sha256()

    def __call__(self) -> BinaryIO:
        return io.BufferedReader(_DigestingStream(self._opener(), self._digest), buffer_size=CHUNK_SIZE)

    def hexdigest(self) -> str:
        return self._digest.hexdigest()


@dataclass(frozen=True)
class ParseCache:
    """The folder of kept parses. `reuse=False` parses every file again and keeps the new parses."""

    directory: Path
    reuse: bool = True

    @classmethod
    def from_settings(cls, *, reuse: bool = True) -> ParseCache | None:
        """The cache of `AAF_PARSE_CACHE_DIR`, None when that setting is empty."""
        directory = getattr(settings, "AAF_PARSE_CACHE_DIR", "")
        return cls(Path(directory), reuse=reuse) if directory else None

    def key(self, file_name: str, digest: str) -> str:
        return hashlib.sha256(code_version() + file_name.encode() + b"\0" + digest.encode()).hexdigest()

    def load(self, key: str) -> Any | None:
        path = self.directory / f"{key}{SUFFIX}"
        try:
            data = path.read_bytes()
        except OSError:
            return None
        signature, payload = data[:_SIGNATURE_SIZE], data[_SIGNATURE_SIZE:]
        if not hmac.compare_digest(signature, _signature(payload)):
            return None
        return pickle.loads(payload)  # noqa: S301 (signed above with the SECRET_KEY)

    def store(self, key: str, value: Any) -> None:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        temporary: Path | None = None
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.directory, suffix=".tmp", delete=False) as file:
                temporary = Path(file.name)
                file.write(_signature(payload) + payload)
            # Whole or absent: a reader never sees half an entry.
            os.replace(temporary, self.directory / f"{key}{SUFFIX}")
        except OSError:
            if temporary is not None:
                temporary.unlink(missing_ok=True)

    def retain(self, keys: set[str]) -> None:
        """Forget every parse but those of `keys` (the run's files)."""
        try:
            paths = list(self.directory.glob(f"*{SUFFIX}"))
        except OSError:
            return
        for path in paths:
            if path.name.removesuffix(SUFFIX) not in keys:
                path.unlink(missing_ok=True)


def _signature(payload: bytes) -> bytes:
    return salted_hmac(_SIGNATURE_SALT, payload, algorithm="sha256").digest()
