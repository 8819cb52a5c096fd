"""The complete export: every kind written in parts, in the Ministry's file style."""

from pathlib import Path

from annuaire.aaf.writer import KindWriter
from bench.aaf_generator.plan import Plan
from bench.aaf_generator.records import relative_attributes, staff_attributes, structure_attributes, student_attributes
from bench.aaf_generator.shape import COMPLETE_STYLE, open_writer, prepare


def write_complete(plan: Plan, directory: Path) -> tuple[dict[str, list[Path]], dict[str, int]]:
    prepare(directory)
    files: dict[str, list[Path]] = {}
    counts: dict[str, int] = {}

    def writer(kind: str) -> KindWriter:
        return open_writer(directory, "Complet", plan.date, kind, COMPLETE_STYLE[kind])

    def finish(kind_writer: KindWriter) -> None:
        files[kind_writer.kind] = kind_writer.close()
        counts[kind_writer.kind] = kind_writer.records

    out = writer("EtabEducNat")
    for school in plan.schools:
        out.add(school.jointure, structure_attributes(school))
    finish(out)
    out = writer("MatiereEducNat")
    for code, label in plan.subjects.items():
        out.add(code, [("ENTMatJointure", (code,)), ("ENTLibelleMatiere", (label,))])
    finish(out)
    out = writer("MefEducNat")
    for code, label in plan.mefs.items():
        out.add(
            code,
            [
                ("ENTMefJointure", (code,)),
                ("ENTLibelleMef", (label,)),
                ("ENTMEFRattach", (code,)),
                ("ENTMEFSTAT11", (f"2{code[1:]}",)),
            ],
        )
    finish(out)
    out = writer("Eleve")
    for student in plan.students:
        out.add(student.ident, student_attributes(plan, student))
    finish(out)
    out = writer("PersRelEleve")
    for relative in plan.relatives:
        out.add(relative.ident, relative_attributes(relative))
    finish(out)
    out = writer("PersEducNat")
    for person in plan.staff:
        out.add(person.ident, staff_attributes(plan, person))
    finish(out)
    return files, counts
