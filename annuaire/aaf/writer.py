"""The one writer of AAF XML files (`ficAlimMENESR`), in the Ministry's format.

`KindWriter` streams one kind's requests (`addRequest`, `modifyRequest` as a whole-record
`replace`, `deleteRequest`) into numbered files of at most `part_size` records, named
`<PREFIX>_<Complet|Delta>_<YYYYMMDD>_<Kind>_<NNNN>.xml`, each with the Ministry's DOCTYPE line
and version comment. Text is escaped for XML; nothing is kept in memory but the current part.
Used by the demo (`seed_demo` imports what it writes) and by the benchmark's generator.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

DEFAULT_PART_SIZE = 20_000
KINDS = ("EtabEducNat", "MatiereEducNat", "MefEducNat", "Eleve", "PersRelEleve", "PersEducNat")
NOMENCLATURE_KINDS = ("EtabEducNat", "MatiereEducNat", "MefEducNat")
# Kind -> the operational attribute naming its category, as in the Ministry's files.
CATEGORIES = {
    "EtabEducNat": ("categorieStructure", "EtabEducNat"),
    "MatiereEducNat": ("categorieMatiere", "MatEducNat"),
    "MefEducNat": ("categorieMef", "MefEducNat"),
    "Eleve": ("categoriePersonne", "Eleve"),
    "PersRelEleve": ("categoriePersonne", "PersRelEleve"),
    "PersEducNat": ("categoriePersonne", "PersEducNat"),
}

# (attribute name, values); no value is written `<value/>`, as the Ministry does.
Attributes = Sequence[tuple[str, Sequence[str]]]


@dataclass(frozen=True)
class Style:
    """How a file looks: XML declaration or not, line end, a blank line between records."""

    declaration: bool = True
    newline: str = "\n"
    blank_line: bool = True


def file_name(*, prefix: str, mode: str, date: datetime.date, kind: str, part: int) -> str:
    return f"{prefix}_{mode}_{date:%Y%m%d}_{kind}_{part:04d}.xml"


def _values(values: Sequence[str]) -> str:
    if not values:
        return "<value/>"
    return "<value>" + "</value><value>".join(escape(value) for value in values) + "</value>"


class KindWriter:
    """Streams one kind's requests into numbered parts of at most `part_size` records."""

    def __init__(
        self,
        directory: Path,
        *,
        prefix: str,
        mode: str,
        date: datetime.date,
        kind: str,
        style: Style = Style(),
        part_size: int = DEFAULT_PART_SIZE,
    ) -> None:
        if mode not in ("Complet", "Delta"):
            raise ValueError(f"mode {mode!r}: Complet or Delta")
        if kind not in CATEGORIES:
            raise ValueError(f"kind {kind!r}: one of {', '.join(KINDS)}")
        self.directory = Path(directory)
        self.prefix = prefix
        self.mode = mode
        self.date = date
        self.kind = kind
        self.part_size = part_size
        self.nl = style.newline
        self.declaration = style.declaration
        self.separator = self.nl if style.blank_line else ""
        attribute, value = CATEGORIES[kind]
        trailing = " " if kind in NOMENCLATURE_KINDS else ""
        self.operational = (
            f'<operationalAttributes><attr name="{attribute}"><value>{value}</value></attr>'
            f"</operationalAttributes>{trailing}{self.nl}"
        )
        self.paths: list[Path] = []
        self.records = 0
        self._in_part = 0
        self._file: TextIO | None = None

    def __enter__(self) -> KindWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _output(self) -> TextIO:
        if self._file is None or self._in_part >= self.part_size:
            self._close_part()
            name = file_name(prefix=self.prefix, mode=self.mode, date=self.date, kind=self.kind, part=len(self.paths))
            path = self.directory / name
            self._file = path.open("w", encoding="utf-8", newline="", buffering=1 << 20)
            self.paths.append(path)
            self._in_part = 0
            nl = self.nl
            head = f'<?xml version="1.0" encoding="UTF-8"?>{nl}' if self.declaration else ""
            head += f'<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">{nl}<ficAlimMENESR>{nl}'
            head += f'<!-- versionAF="AAF-VE1301" -->{nl}{self.separator}'
            self._file.write(head)
        self._in_part += 1
        self.records += 1
        return self._file

    def _head(self, request: str, identifier: str) -> str:
        return f"<{request}>{self.nl}{self.operational}<identifier><id>{escape(identifier)}</id></identifier>{self.nl}"

    def add(self, identifier: str, attributes: Attributes) -> None:
        nl = self.nl
        parts = [self._head("addRequest", identifier), f"<attributes>{nl}"]
        parts.extend(f"<attr name={quoteattr(name)}>{_values(values)}</attr>{nl}" for name, values in attributes)
        parts.append(f"</attributes>{nl}</addRequest>{nl}{self.separator}")
        self._output().write("".join(parts))

    def modify(self, identifier: str, attributes: Attributes) -> None:
        """A whole-record `replace`, as the Ministry writes its modifications."""
        nl = self.nl
        parts = [self._head("modifyRequest", identifier), f"<modifications>{nl}"]
        parts.extend(
            f'<modification name={quoteattr(name)} operation="replace">{_values(values)}</modification>{nl}'
            for name, values in attributes
        )
        parts.append(f"</modifications>{nl}</modifyRequest>{nl}{self.separator}")
        self._output().write("".join(parts))

    def delete(self, identifier: str) -> None:
        self._output().write(f"{self._head('deleteRequest', identifier)}</deleteRequest>{self.nl}{self.separator}")

    def _close_part(self) -> None:
        if self._file is not None:
            self._file.write(f"</ficAlimMENESR>{self.nl}")
            self._file.close()
            self._file = None

    def close(self) -> list[Path]:
        """Ends the current part; returns every part written."""
        self._close_part()
        return self.paths
