"""A Paris-size AAF export (ficAlimMENESR), written in the format of the Ministry's own files.

`python -m bench.aaf_generator --out DIR [--schools 100 --students 65000 --relatives 110000
--staff 8000 --seed 1 --delta-percent 1 --date 20250915]` writes

- `DIR/complet/`: a complete export (`FULL_ENTTSSERVICES_Complet_<date>_<Kind>_<NNNN>.xml`), kinds
  EtabEducNat, MatiereEducNat, MefEducNat, Eleve, PersRelEleve, PersEducNat, large kinds split into
  parts of at most 20,000 records;
- `DIR/delta/` (unless `--delta-percent 0`): the next day's Delta export touching that percentage of
  the students, relatives and staff: `addRequest` (newcomers), `modifyRequest` (a whole-record
  `replace`: a student changing division, a relative's new phone, a teacher's new class) and
  `deleteRequest` (leavers), in mixed order, as the Ministry writes them.

The records copy the shapes of `../shared/fixtures/aaf/men-2013-*`: same root, DOCTYPE line,
comment, request structure and attribute names, `$`-separated references through the structure's
jointure key (`ENTEleveClasses` = `structId$division`, `ENTElevePersRelEleve` =
`relId$type$respFinancier$respLegal$contact$paiement`, `ENTPersonFonctions` =
`structId$code$label$discipline$label`, `ENTAuxEnsClassesMatieres` = `structId$division$subject`),
and each kind's file style (XML declaration or not, CRLF or LF). The student's structure is
`ENTPersonStructRattach`; `ENTEleveStructRattachId` is the student's number in that school, as in
the Ministry files.

Proportions: ~90 % collèges (6e-3e, ~25 students per division), ~10 % lycées (2nde, 1re and
terminale S/ES/L, ~30-35 per division); each student has one or two legal representatives
(respLegal 1 and 2) and sometimes contacts (respLegal 0); siblings share their relatives, some in
another school; some teachers serve two structures, a few hold a function in a structure outside
the export (a real case the importer must ignore with a warning).

Deterministic for a seed (same arguments, same bytes). The files are streamed record by record; only
a compact plan of the people is kept in memory.
"""

from __future__ import annotations

from bench.aaf_generator.generate import ExportSummary, add_size_arguments, generate, main, size_options

__all__ = ["ExportSummary", "add_size_arguments", "generate", "main", "size_options"]
