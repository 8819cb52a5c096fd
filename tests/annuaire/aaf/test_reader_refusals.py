"""Refused AAF files: entity tricks, oversized values and records, unexpected shapes, with file and line."""

from __future__ import annotations

import time

import pytest

from annuaire.aaf.reader import read_records
from tests.annuaire.aaf.xml_samples import aaf_file, document, refusal, student

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
