"""AAF export files for the reader's tests: the Ministry's samples, and small documents made here."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from annuaire.aaf import files
from annuaire.aaf.files import AafFile, AafFormatError
from annuaire.aaf.reader import read_records

REPO_ROOT = Path(__file__).resolve().parents[3]
FIXTURES = REPO_ROOT.parent / "shared" / "fixtures" / "aaf"
COMPLETE = FIXTURES / "men-2013-complet"
DELTA = FIXTURES / "men-2013-delta"

needs_fixtures = pytest.mark.skipif(
    not COMPLETE.is_dir() or not DELTA.is_dir(), reason=f"the Ministry's AAF samples are not in {FIXTURES}"
)

HEADER = b'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE ficAlimMENESR SYSTEM "ficAlimMENESR.dtd">\n'


def aaf_file(data: bytes, name: str = "ENT_Complet_20240901_Eleve_0000.xml") -> AafFile:
    """An in-memory export file: the reader only ever calls its opener."""
    return files.parse_file_name(name, lambda: io.BytesIO(data))


def student(identifier: str, *attributes: tuple[str, list[str]]) -> str:
    attrs = "".join(
        f'<attr name="{name}">' + "".join(f"<value>{value}</value>" for value in values) + "</attr>\n"
        for name, values in attributes
    )
    return (
        "<addRequest>\n"
        '<operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>\n'
        f"<identifier><id>{identifier}</id></identifier>\n"
        f"<attributes>\n{attrs}</attributes>\n"
        "</addRequest>\n"
    )


def document(*records: str, header: bytes = HEADER, encoding: str = "utf-8") -> bytes:
    return header + ("<ficAlimMENESR>\n" + "".join(records) + "</ficAlimMENESR>\n").encode(encoding)


def refusal(data: bytes, name: str = "ENT_Complet_20240901_Eleve_0000.xml") -> AafFormatError:
    with pytest.raises(AafFormatError) as caught:
        list(read_records(aaf_file(data, name)))
    return caught.value
