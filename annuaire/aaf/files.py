"""The rectorat's AAF export files (ficAlimMENESR): found among paths, named, opened, ordered.

`collect_files` finds the export files among paths (files, folders, .tgz archives) and orders them
for processing; each is an `AafFile` that opens its bytes on demand (worker processes open theirs).
Every problem raises `AafFormatError` in French, naming the file and, once reading, the line.
"""

from __future__ import annotations

import datetime
import functools
import io
import re
import tarfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, BinaryIO

KINDS = ("EtabEducNat", "MatiereEducNat", "MefEducNat", "Eleve", "PersRelEleve", "PersEducNat")
"""The file kinds, in processing order: structures, subjects, MEFs, students, relatives, staff."""

CHUNK_SIZE = 64 * 1024
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
