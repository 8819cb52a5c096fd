"""The AAF reader: the Ministry's real exports as they are, odd encodings, and refused files."""

from __future__ import annotations

import collections
import datetime
import io
import tarfile
import time
import tracemalloc
from pathlib import Path

import pytest

from annuaire.aaf import reader
from annuaire.aaf.reader import AafFile, AafFormatError, Record, collect_files, read_records

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
    return reader.parse_file_name(name, lambda: io.BytesIO(data))


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


# --- The Ministry's samples, as received -----------------------------------------------------------


@needs_fixtures
def test_the_complete_sample_gives_the_documented_counts_per_kind():
    files = collect_files([COMPLETE])

    assert len(files) == 46
    assert [f.kind for f in files[:6]] == [
        "EtabEducNat",
        "MatiereEducNat",
        "MefEducNat",
        "Eleve",
        "PersRelEleve",
        "PersRelEleve",
    ]
    assert [f.kind for f in files[-2:]] == ["PersEducNat", "PersEducNat"]
    assert [f.part for f in files if f.kind == "PersRelEleve"] == list(range(40))
    assert files[4].name == "clean-FULL_ENTTSSERVICES_Complet_20130117_PersRelEleve_0000.xml"
    assert all(f.complete and f.export_date == datetime.date(2013, 1, 17) for f in files)

    records: collections.Counter[str] = collections.Counter()
    per_file: dict[str, int] = {}
    for aaf in files:
        file_records = list(read_records(aaf))
        per_file[aaf.name] = len(file_records)
        assert {r.operation for r in file_records} == {"add"}
        assert {r.kind for r in file_records} == {aaf.kind}  # "MatEducNat" is read as MatiereEducNat
        records.update(r.kind for r in file_records)

    assert records == {
        "EtabEducNat": 10,
        "MatiereEducNat": 718,
        "MefEducNat": 2504,
        "Eleve": 642,
        "PersRelEleve": 9975,
        "PersEducNat": 701,
    }
    assert per_file["FULL_ENTTSSERVICES_Complet_20130117_PersEducNat_0000.xml"] == 698
    assert per_file["FULL_ENTTSSERVICES_Complet_20130117_PersEducNat_0001.xml"] == 3


@needs_fixtures
def test_a_known_student_is_read_value_by_value():
    students = collect_files([COMPLETE / "FULL_ENTTSSERVICES_Complet_20130117_Eleve_0001.xml"])
    record = next(r for r in read_records(students[0]) if r.identifier == "2605692")

    assert record.operation == "add"
    assert record.kind == "Eleve"
    assert record.category == "Eleve"
    assert record.file == "FULL_ENTTSSERVICES_Complet_20130117_Eleve_0001.xml"
    assert record.line == 5
    assert record.attributes["ENTElevePersRelEleve"] == ["2867253$2$1$1$0$0", "2867254$1$0$2$0$0"]
    assert record.attributes["ENTPersonAutresPrenoms"] == ["Jetsmao", "Xzuzcosvo", "Pykewi"]
    assert record.attributes["ENTElevePersRelEleve1"] == [""]  # <value/>
    assert record.attributes["givenName"] == ["Kù"]
    assert record.attributes["ENTEleveClasses"] == ["52006$RUS1TERM"]
    assert record.attributes["ENTEleveLibelleMEF"] == ["1CAP2  COIFFURE"]  # inner spaces kept


@needs_fixtures
def test_the_subjects_keep_the_ministry_category_beside_their_kind():
    subjects = collect_files([COMPLETE / "FULL_ENTTSSERVICES_Complet_20130117_MatiereEducNat_0000.xml"])
    first = next(read_records(subjects[0]))

    assert (first.kind, first.category, first.identifier) == ("MatiereEducNat", "MatEducNat", "009800")


@needs_fixtures
def test_the_well_formed_delta_gives_adds_modifies_and_deletes_in_file_order():
    files = collect_files([DELTA / "FULL_ENTTSSERVICES_Delta_20130122_PersRelEleve_0000.xml"])
    assert not files[0].complete
    assert files[0].export_date == datetime.date(2013, 1, 22)

    records = list(read_records(files[0]))

    assert [(r.operation, r.identifier, r.line) for r in records] == [
        ("add", "1985041", 6),
        ("modify", "1985043", 25),
        ("modify", "1985044", 44),
        ("add", "1985048", 63),
        ("delete", "1985050", 82),
        ("delete", "1985057", 87),
    ]
    modified = records[1]
    assert modified.kind == "PersRelEleve"
    assert modified.attributes["ENTPersonJointure"] == ["1985043"]
    assert modified.attributes["sn"] == ["LOWZACIOL"]
    assert modified.attributes["ENTPersonDateNaissance"] == [""]
    assert modified.attributes.keys() == records[0].attributes.keys()  # a replace of the whole record
    assert records[4].attributes == {}


@needs_fixtures
@pytest.mark.parametrize(
    ("name", "line"),
    [
        ("FULL_ENTTSSERVICES_Delta_20130122_Eleve_0000.xml", 100),
        ("FULL_ENTTSSERVICES_Delta_20130122_PersEducNat_0000.xml", 76),
    ],
)
def test_the_malformed_delta_samples_are_refused_with_file_and_line(name, line):
    [aaf] = collect_files([DELTA / name])

    with pytest.raises(AafFormatError) as caught:
        list(read_records(aaf))

    assert caught.value.file == name
    assert caught.value.line == line
    assert str(caught.value).startswith(f"{name}, ligne {line} : balise fermante inattendue (")


@needs_fixtures
def test_the_delta_folder_is_ordered_students_relatives_staff():
    names = [f.name for f in collect_files([DELTA])]

    assert names == [
        "FULL_ENTTSSERVICES_Delta_20130122_Eleve_0000.xml",
        "FULL_ENTTSSERVICES_Delta_20130122_PersRelEleve_0000.xml",
        "FULL_ENTTSSERVICES_Delta_20130122_PersEducNat_0000.xml",
    ]


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

    padding = reader.CHUNK_SIZE + shift - padded(0).index(b"&euml;")
    data = padded(padding)
    assert data.index(b"&euml;") == reader.CHUNK_SIZE + shift  # read boundaries fall in the entities

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
    stream = reader._EntityRewriter(io.BytesIO(source), "r.xml", chunk_size=chunk_size)

    pieces = []
    while piece := stream.read(5):
        pieces.append(piece)

    assert b"".join(pieces) == expected


def rewritten(data: bytes, chunk_size: int) -> tuple[bytes, list[int]]:
    stream = reader._EntityRewriter(io.BytesIO(data), "r.xml", chunk_size=chunk_size)
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
    monkeypatch.setattr(reader, "_is_plain", lambda buffer, limit: False)

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


# --- Refused files ---------------------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE ficAlimMENESR [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<ficAlimMENESR>
<addRequest>
<operationalAttributes><attr name="categoriePersonne"><value>Eleve</value></attr></operationalAttributes>
<identifier><id>1</id></identifier>
<attributes><attr name="sn"><value>&lol9;</value></attr></attributes>
</addRequest>
</ficAlimMENESR>
"""


def test_billion_laughs_is_refused_before_any_expansion():
    started = time.monotonic()

    error = refusal(BILLION_LAUGHS)

    assert time.monotonic() - started < 2
    assert error.line == 2
    assert "déclare des entités" in error.reason
    assert "refusé par sécurité" in error.reason


def xxe(target: str, trick: str = "") -> bytes:
    return (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE ficAlimMENESR [{trick}<!ENTITY xxe SYSTEM "{target}">]>\n'
        "<ficAlimMENESR>\n" + student("1", ("sn", ["&xxe;"])) + "</ficAlimMENESR>\n"
    ).encode()


def test_an_external_entity_on_etc_passwd_is_refused_and_nothing_is_read():
    error = refusal(xxe("file:///etc/passwd"))

    assert "refusé par sécurité" in error.reason
    assert "root" not in str(error)


@pytest.mark.parametrize(
    "trick",
    [
        "",
        "<!-- ] > -->",  # a comment that looks like the end of the DOCTYPE
        "<?pi ] > ?>",  # so does a processing instruction
        "<!ELEMENT a (#PCDATA)><!ATTLIST a b CDATA ']>'>",  # and a quoted default value
    ],
)
def test_an_external_entity_on_a_local_file_is_refused_however_hidden(tmp_path, trick):
    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-7c1e")

    error = refusal(xxe(secret.as_uri(), trick))

    assert "refusé par sécurité" in error.reason
    assert "SECRET" not in str(error)


def test_a_doctype_with_an_external_dtd_only_is_fine():
    [record] = read_records(aaf_file(document(student("1", ("sn", ["A"])))))

    assert record.identifier == "1"


def test_a_declared_non_ascii_compatible_encoding_is_refused():
    data = document(student("1", ("sn", ["A"])), header=b'<?xml version="1.0" encoding="UTF-7"?>\n')

    error = refusal(data)

    assert error.line == 1
    assert "UTF-7" in error.reason


def test_a_value_over_ten_thousand_characters_is_refused():
    [record] = read_records(aaf_file(document(student("1", ("sn", ["x" * 10_000])))))
    assert len(record.attributes["sn"][0]) == 10_000

    error = refusal(document(student("1", ("givenName", ["A"]), ("sn", ["x" * 10_001]))))

    assert error.line == 9
    assert "10000 caractères" in error.reason


def test_a_record_over_two_thousand_values_is_refused():
    values = [str(n) for n in range(2_000)]
    [record] = read_records(aaf_file(document(student("1", ("many", values[:-2])))))
    assert len(record.attributes["many"]) == 1_998

    error = refusal(document(student("1", ("many", values), ("one", ["more"]))))

    assert "2000 valeurs" in error.reason


def test_unexpected_elements_are_refused_with_their_line():
    wrong_root = b"<?xml version='1.0'?>\n<annuaire>\n</annuaire>\n"
    wrong_request = document("<updateRequest/>\n")
    bad_modification = document(
        "<modifyRequest>\n<identifier><id>1</id></identifier>\n<modifications>\n"
        '<modification name="sn" operation="add"><value>A</value></modification>\n'
        "</modifications>\n</modifyRequest>\n"
    )

    assert refusal(wrong_root).line == 2
    assert "ficAlimMENESR attendu" in refusal(wrong_root).reason
    assert refusal(wrong_request).line == 4
    assert "updateRequest" in refusal(wrong_request).reason
    assert refusal(bad_modification).line == 7
    assert "replace attendu" in refusal(bad_modification).reason


def test_a_record_without_operational_attributes_takes_the_file_kind():
    data = document(
        "<deleteRequest>\n<identifier><id> 42 </id></identifier>\n</deleteRequest>\n"
        "<deleteRequest>\n<identifier><id/></identifier>\n</deleteRequest>\n"
    )

    first, second = read_records(aaf_file(data, "ENT_Delta_20240902_PersEducNat_0003.xml"))

    assert (first.operation, first.kind, first.identifier, first.category, first.line) == (
        "delete",
        "PersEducNat",
        "42",
        "",
        4,
    )
    assert second.identifier == ""  # left to the importer to refuse


# --- Finding the files -----------------------------------------------------------------------------


def write_export(folder: Path, name: str, identifier: str) -> Path:
    path = folder / name
    path.write_bytes(document(student(identifier, ("sn", ["A"]))))
    return path


def test_files_folders_and_archives_are_collected_in_processing_order(tmp_path):
    folder = tmp_path / "drop" / "2024"
    folder.mkdir(parents=True)
    write_export(folder, "ENT_Delta_20240905_EtabEducNat_0000.xml", "S1")
    (folder / "SOURCE.md").write_text("ignored")
    (folder / "ficAlimMENESR.dtd").write_text("ignored")
    (folder / ".hidden").mkdir()
    (folder / ".hidden" / "not an export.xml").write_text("ignored")

    staging = tmp_path / "staging"
    staging.mkdir()
    write_export(staging, "ENT_Complet_20240901_Eleve_0001.xml", "E2")
    write_export(staging, "ENT_Complet_20240901_Eleve_0000.xml", "E1")
    archive = tmp_path / "export.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        tar.add(staging / "ENT_Complet_20240901_Eleve_0001.xml", arcname="export/ENT_Complet_20240901_Eleve_0001.xml")
        tar.add(staging / "ENT_Complet_20240901_Eleve_0000.xml", arcname="export/ENT_Complet_20240901_Eleve_0000.xml")
        tar.add(staging / "ENT_Complet_20240901_Eleve_0000.xml", arcname="export/._ENT_Complet_20240901_Eleve_0000.xml")
    loose = write_export(tmp_path, "ENT_Complet_20240830_MefEducNat_0000.xml", "M1")

    files = collect_files([archive, str(tmp_path / "drop"), loose, loose])

    assert [(f.name, f.kind, f.complete, f.export_date, f.part) for f in files] == [
        ("ENT_Delta_20240905_EtabEducNat_0000.xml", "EtabEducNat", False, datetime.date(2024, 9, 5), 0),
        ("ENT_Complet_20240830_MefEducNat_0000.xml", "MefEducNat", True, datetime.date(2024, 8, 30), 0),
        ("ENT_Complet_20240901_Eleve_0000.xml", "Eleve", True, datetime.date(2024, 9, 1), 0),
        ("ENT_Complet_20240901_Eleve_0001.xml", "Eleve", True, datetime.date(2024, 9, 1), 1),
    ]
    assert files[2].source == f"{archive}:export/ENT_Complet_20240901_Eleve_0000.xml"
    assert [[r.identifier for r in read_records(f)] for f in files] == [["S1"], ["M1"], ["E1"], ["E2"]]
    with files[3].opener() as stream:
        assert stream.read().startswith(b"<?xml")


def test_files_are_ordered_by_kind_then_date_then_part(tmp_path):
    for name in [
        "X_Delta_20240910_PersEducNat_0000.xml",
        "X_Complet_20240901_PersEducNat_0001.xml",
        "X_Complet_20240901_PersEducNat_0000.xml",
        "X_Delta_20240910_Eleve_0000.xml",
        "X_Complet_20240901_PersRelEleve_0000.xml",
        "X_Complet_20240901_MatiereEducNat_0000.xml",
    ]:
        write_export(tmp_path, name, "1")

    assert [f.name for f in collect_files([tmp_path])] == [
        "X_Complet_20240901_MatiereEducNat_0000.xml",
        "X_Delta_20240910_Eleve_0000.xml",
        "X_Complet_20240901_PersRelEleve_0000.xml",
        "X_Complet_20240901_PersEducNat_0000.xml",
        "X_Complet_20240901_PersEducNat_0001.xml",
        "X_Delta_20240910_PersEducNat_0000.xml",
    ]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("eleves.xml", "nom de fichier non conforme"),
        ("ENT_Complet_2024091_Eleve_0000.xml", "nom de fichier non conforme"),
        ("ENT_Partiel_20240901_Eleve_0000.xml", "nom de fichier non conforme"),
        ("_Complet_20240901_Eleve_0000.xml", "nom de fichier non conforme"),
        ("ENT_Complet_20240901_Professeur_0000.xml", "type de fichier inconnu « Professeur »"),
        ("ENT_Complet_20240231_Eleve_0000.xml", "date d'export impossible « 20240231 »"),
    ],
)
def test_a_badly_named_xml_file_is_refused(tmp_path, name, reason):
    write_export(tmp_path, "ENT_Complet_20240901_Eleve_0001.xml", "1")
    write_export(tmp_path, name, "1")

    with pytest.raises(AafFormatError) as caught:
        collect_files([tmp_path])

    assert caught.value.file == name
    assert caught.value.line is None
    assert str(caught.value).startswith(f"{name} : {reason}")


def test_the_same_file_name_from_two_places_is_refused(tmp_path):
    first = tmp_path / "a"
    second = tmp_path / "b"
    first.mkdir()
    second.mkdir()
    write_export(first, "ENT_Complet_20240901_Eleve_0000.xml", "1")
    write_export(second, "ENT_Complet_20240901_Eleve_0000.xml", "2")

    with pytest.raises(AafFormatError, match="fichier reçu deux fois"):
        collect_files([first, second])


def test_a_missing_path_or_a_broken_archive_is_refused(tmp_path):
    broken = tmp_path / "export.tgz"
    broken.write_bytes(b"\x1f\x8b\x08not really gzip")

    with pytest.raises(AafFormatError, match="introuvable"):
        collect_files([tmp_path / "nowhere"])
    with pytest.raises(AafFormatError, match="archive illisible"):
        collect_files([broken])


# --- Memory ---------------------------------------------------------------------------------------


def write_large_export(path: Path, size: int) -> tuple[int, int]:
    """Write an export of at least `size` bytes; return its record count and last record's line."""
    count = 0
    line = 3  # the header's two lines and <ficAlimMENESR>
    with path.open("wb") as out:
        out.write(HEADER + b"<ficAlimMENESR>\n")
        written = 0
        while written < size:
            count += 1
            record = student(
                str(1_000_000 + count),
                ("ENTPersonJointure", [str(1_000_000 + count)]),
                ("sn", [f"NOM{count} &eacute;l&egrave;ve"]),
                ("givenName", ["Prénom"]),
                ("ENTPersonAutresPrenoms", ["Un", "Deux"]),
                ("ENTElevePersRelEleve", [f"{count}$1$1$1$0$0", f"{count + 1}$2$0$2$0$0"]),
                ("ENTEleveEnseignements", ["MATHEMATIQUES", "FRANCAIS", "HISTOIRE-GEOGRAPHIE", "ANGLAIS LV1"]),
                ("ENTEleveClasses", ["52006$3A"]),
                ("ENTPersonAdresse", ["X" * 3000]),  # few elements per megabyte: a quicker test
            ).encode()
            out.write(record)
            written += len(record)
            line += record.count(b"\n")
        out.write(b"</ficAlimMENESR>\n")
    last_line = line - record.count(b"\n") + 1
    return count, last_line


def test_a_fifty_megabyte_export_is_read_in_flat_memory(tmp_path):
    path = tmp_path / "ENT_Complet_20240901_Eleve_0000.xml"
    expected_count, last_line = write_large_export(path, 50 * 1024 * 1024)
    [aaf] = collect_files([path])
    assert path.stat().st_size > 50 * 1024 * 1024

    count = 0
    last: Record | None = None
    tracemalloc.start()
    try:
        for record in read_records(aaf):
            count += 1
            last = record
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert count == expected_count
    assert last is not None
    assert last.line == last_line > 65_535
    assert last.attributes["sn"] == [f"NOM{count} élève"]
    assert peak < 50 * 1024 * 1024, f"peak traced memory {peak / 1e6:.1f} MB"


def test_line_numbers_stay_exact_past_line_65535():
    records = [student(str(n), ("sn", ["A"])) for n in range(10_000)]
    records.append(student("last", ("sn", ["B"]), ("ENTPersonAdresse", ["x" * 10_001])))
    data = document(*records)
    expected = data[: data.index(b"<value>" + b"x" * 100)].count(b"\n") + 1
    assert expected > 70_000

    error = refusal(data)

    assert error.line == expected
    assert refusal(data.replace(b"<value>B</value>", b"<value>B</value><other/>")).line == expected - 1
    mismatched = refusal(data.replace(b"<value>B</value></attr>", b"<value>B</attr>"))
    assert mismatched.line == expected - 1
    assert "balise fermante inattendue" in mismatched.reason


def test_namespaced_or_nested_requests_are_refused():
    namespaced = document('<addRequest xmlns="urn:x">\n<identifier><id>1</id></identifier>\n</addRequest>\n')
    nested = document(student("1", ("sn", ["A"])).replace("</attributes>", "<addRequest/></attributes>"))

    assert "espace de noms" in refusal(namespaced).reason
    assert refusal(namespaced).line == 4
    assert "inattendu dans « attributes »" in refusal(nested).reason


def test_a_record_with_too_much_markup_or_too_many_bytes_is_refused_while_streaming():
    many_tags = document(student("1", ("empty", [""] * 12_000)).replace("<value></value>", "<value/>"))
    heavy = document(student("1", *[(f"a{n}", ["x" * 9_000] * 3) for n in range(200)]))

    assert "10000 balises" in refusal(many_tags).reason
    assert refusal(many_tags).line == 4
    assert "4 Mo" in refusal(heavy).reason


@pytest.mark.parametrize(
    ("attributes", "reason"),
    [
        ('<attr name="sn"><value>A<b/></value></attr>', "élément « b » inattendu dans « value »"),
        ('<attr name="sn"><value><b/></value></attr>', "élément « b » inattendu dans « value »"),
        ('<attr name="sn"><valeur>A</valeur></attr>', "élément « valeur » inattendu dans « attr » (value attendu)"),
        ('<attribute name="sn"><value>A</value></attribute>', "élément « attribute » inattendu dans « attributes »"),
        ("<attr><value>A</value></attr>", "« attr » sans attribut name"),
    ],
)
def test_a_record_of_an_unexpected_shape_is_refused(attributes, reason):
    data = document(
        "<addRequest>\n<identifier><id>1</id></identifier>\n<attributes>\n"
        f'<attr name="givenName"><value>A</value></attr>\n{attributes}\n'
        "</attributes>\n</addRequest>\n"
    )

    error = refusal(data)

    assert error.line == 8
    assert reason in error.reason
