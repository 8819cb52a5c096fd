"""The AAF reader: the Ministry's real exports read as they are, and large files in flat memory."""

from __future__ import annotations

import collections
import datetime
import tracemalloc
from pathlib import Path

import pytest

from annuaire.aaf.files import AafFormatError, collect_files
from annuaire.aaf.reader import Record, read_records
from tests.annuaire.aaf.xml_samples import COMPLETE, DELTA, HEADER, document, needs_fixtures, refusal, student

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
