"""The byte stream the AAF parser reads: odd encodings, entities and line ends made plain XML."""

from __future__ import annotations

import io

import pytest

from annuaire.aaf import files, xml_stream
from annuaire.aaf.reader import read_records
from tests.annuaire.aaf.xml_samples import aaf_file, document, refusal, student

# --- Encodings, entities, line ends ---------------------------------------------------------------


def test_a_declared_iso_8859_15_file_reads_its_accents_and_euro_sign():
    data = document(
        student(
            "1", ("sn", ["Lætitia ŒUVRE"]), ("ENTEleveRegime", ["Cantine 3 €"]), ("givenName", ["H&eacute;l&egrave;ne"])
        ),
        header=b'<?xml version="1.0" encoding="ISO-8859-15"?>\n',
        encoding="iso-8859-15",
    )
    assert "€".encode("iso-8859-15") == b"\xa4"
    assert b"\xa4" in data

    [record] = read_records(aaf_file(data))

    assert record.attributes["sn"] == ["Lætitia ŒUVRE"]
    assert record.attributes["ENTEleveRegime"] == ["Cantine 3 €"]
    assert record.attributes["givenName"] == ["Hélène"]


def test_html_entities_become_their_characters_and_xml_ones_stay():
    data = document(
        student(
            "1",
            ("sn", ["L&apos;H&ocirc;PITAL&nbsp;&amp;&nbsp;C&#xE9;&#233;"]),
            ("givenName", ["  Zo&euml;  "]),
            ("ENTEleveRegime", ["&lt;&gt;&quot;&hellip;&laquo;&raquo;&oelig;"]),
            ("empty", [""]),
        )
    )

    [record] = read_records(aaf_file(data))

    assert record.attributes["sn"] == ["L'HôPITAL\xa0&\xa0Céé"]
    assert record.attributes["givenName"] == ["Zoë"]  # whitespace stripped
    assert record.attributes["ENTEleveRegime"] == ['<>"…«»œ']
    assert record.attributes["empty"] == [""]  # <value></value>


def test_comments_and_cdata_are_left_as_they_are():
    data = document(
        "<!-- &unknown; is fine in a comment -->\n",
        student("1", ("sn", ["<![CDATA[&eacute; & <b>]]>"])),
    )

    [record] = read_records(aaf_file(data))

    assert record.attributes["sn"] == ["&eacute; & <b>"]
    assert record.line == 5


@pytest.mark.parametrize("shift", range(-12, 4))
def test_an_html_entity_cut_by_a_read_boundary_is_still_translated(shift):
    def padded(size: int) -> bytes:
        return document(" " * size + "\n", student("1", ("sn", ["Zo&euml;&Eacute;b"])))

    padding = files.CHUNK_SIZE + shift - padded(0).index(b"&euml;")
    data = padded(padding)
    assert data.index(b"&euml;") == files.CHUNK_SIZE + shift  # read boundaries fall in the entities

    [record] = read_records(aaf_file(data))

    assert record.attributes["sn"] == ["ZoëÉb"]
    assert record.line == 5


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 5, 7, 11, 64])
def test_the_rewritten_stream_is_the_same_whatever_the_chunk_size(chunk_size):
    source = (
        b"<?xml version='1.0' encoding='ISO-8859-1'?>\r<r>\r\n<!-- &nbsp; \r -->\r"
        b"<v>&eacute;&amp;&#233;&CounterClockwiseContourIntegral;&NotNestedGreaterGreater;</v>\r"
        b"<v><![CDATA[&eacute;]]>&apos;</v>\r</r>\r"
    )
    expected = (
        b"<?xml version='1.0' encoding='ISO-8859-1'?>\n<r>\r\n<!-- &nbsp; \n -->\n"
        b"<v>&#233;&amp;&#233;&#8755;&#10914;&#824;</v>\n"
        b"<v><![CDATA[&eacute;]]>&apos;</v>\n</r>\n"
    )
    stream = xml_stream.EntityRewriter(io.BytesIO(source), "r.xml", chunk_size=chunk_size)

    pieces = []
    while piece := stream.read(5):
        pieces.append(piece)

    assert b"".join(pieces) == expected


def rewritten(data: bytes, chunk_size: int) -> tuple[bytes, list[int]]:
    stream = xml_stream.EntityRewriter(io.BytesIO(data), "r.xml", chunk_size=chunk_size)
    output = stream.read()
    return output, list(stream.request_lines)


@pytest.mark.parametrize("line_end", [b"\n", b"\r\n"])
@pytest.mark.parametrize("chunk_size", [150, 200, 333, 4096])
def test_plain_chunks_pass_with_the_same_request_lines_as_the_token_loop(monkeypatch, line_end, chunk_size):
    records = [
        student("1", ("sn", ["addRequest"]), ("givenName", ["<deleteRequest>".replace("<", "&lt;")])),
        student("2", ("sn", ["B"])).replace("<addRequest>", '<addRequest note="modifyRequest">'),
        student("3", ("sn", ["C" * 300])).replace("addRequest>", "x:addRequest>"),
        student("4", ("sn", ["D"]))
        .replace("<addRequest>", "<modifyRequest\n>")
        .replace("addRequest>", "modifyRequest>"),
    ]
    data = document(*records).replace(b"\n", line_end)
    fast = rewritten(data, chunk_size)
    monkeypatch.setattr(xml_stream, "_is_plain", lambda buffer, limit: False)

    assert fast == rewritten(data, chunk_size)
    assert fast[0] == data
    assert len(fast[1]) == 4


def test_cr_only_line_ends_keep_the_line_numbers():
    records = document(student("1", ("sn", ["A"])), student("2", ("sn", ["B"]))).replace(b"\n", b"\r")

    first, second = read_records(aaf_file(records))

    assert (first.line, second.line) == (4, 11)
    broken = records.replace(b"<value>B</value></attr>", b"<value>B</attr>")
    error = refusal(broken)
    assert error.line == 15
    assert "balise fermante inattendue" in error.reason


def test_crlf_line_ends_keep_the_line_numbers():
    data = document(student("1", ("sn", ["A"])), student("2", ("sn", ["&bogus;"]))).replace(b"\n", b"\r\n")

    error = refusal(data)

    assert error.line == 15
    assert "&bogus;" in error.reason
    assert str(error) == f"ENT_Complet_20240901_Eleve_0000.xml, ligne 15 : {error.reason}"


def test_an_entity_neither_xml_nor_html_is_refused_with_its_line():
    data = document(student("1", ("sn", ["A"])), student("2", ("sn", ["Zo&ebrulé;"])))

    error = refusal(data)

    assert error.line == 15
    assert "entité inconnue" in error.reason


def test_a_utf16_file_is_refused():
    data = document(student("1", ("sn", ["A"])), header=b"", encoding="utf-16")

    assert "UTF-16" in refusal(data).reason
