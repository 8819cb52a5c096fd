"""Writes the nomenclatures (MEF), the schools, and this year's divisions and teaching groups."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from annuaire.aaf.apply.base import BATCH, ApplierBase, RollBack
from annuaire.models import Division, Mef, TeachingGroup
from schools.bulk import update_rows
from schools.models import School
from schools.uai import has_uai_shape, has_valid_check_letter


class StructureWriter(ApplierBase):
    def write_nomenclatures(self) -> None:
        mefs = self.export.mefs
        if not mefs:
            return
        existing = dict(Mef.objects.filter(code__in=list(mefs)).values_list("code", "label"))
        new = [Mef(code=code, label=mef.label[:100]) for code, mef in mefs.items() if code not in existing]
        changed = [code for code, mef in mefs.items() if code in existing and existing[code] != mef.label[:100]]
        Mef.objects.bulk_create(new, batch_size=BATCH)
        for code in changed:
            Mef.objects.filter(code=code).update(label=mefs[code].label[:100])
        self.report.count("mefs_created", n=len(new))
        self.report.count("mefs_changed", n=len(changed))

    def write_schools(self) -> None:
        structures = self.export.structures
        by_key = {
            school.external_id: school
            for school in School.objects.filter(external_source=self.context.academy, external_id__in=list(structures))
        }
        by_uai = School.objects.in_bulk([s.uai for s in structures.values()], field_name="uai")
        for structure in structures.values():
            school = by_key.get(structure.external_id) or by_uai.get(structure.uai)
            wanted = {
                "uai": structure.uai,
                "name": structure.name[:200],
                "kind": structure.kind,
                "external_source": self.context.academy,
                "external_id": structure.external_id,
                "uai_check_warning": not has_valid_check_letter(structure.uai),
            }
            if school is None:
                if not has_uai_shape(structure.uai):
                    self.report.errors.append(
                        _("Structure %(id)s : « %(uai)s » n'est pas un UAI.")
                        % {"id": structure.external_id, "uai": structure.uai}
                    )
                    continue
                school = School.objects.create(status=School.Status.PREPARING, **wanted)
                self.report.count("schools_created", structure.uai)
            elif any(getattr(school, name) != value for name, value in wanted.items()):
                for name, value in wanted.items():
                    setattr(school, name, value)
                school.save(update_fields=list(wanted))
                self.report.count("schools_changed", structure.uai)
            if school.uai_check_warning:
                self.report.warnings.append(
                    _("Structure %(id)s : la lettre clé de l'UAI %(uai)s est fausse (données anonymisées ?).")
                    % {"id": structure.external_id, "uai": structure.uai}
                )
            self.schools[structure.external_id] = school
            # Every school of the export gets its line in the history, even when nothing changed.
            self.report.per_school.setdefault(school.uai, Counter())
        if self.report.errors:
            raise RollBack

    def _wanted_codes(self) -> tuple[dict[tuple[int, str], str], dict[tuple[int, str], str]]:
        divisions: dict[tuple[int, str], str] = {}
        groups: dict[tuple[int, str], str] = {}
        for declared in self.export.structures.values():
            school = self.schools.get(declared.external_id)
            if school is not None:
                divisions.update({(school.pk, code): label for code, label in declared.divisions})
                groups.update({(school.pk, code): label for code, label in declared.groups})
        for student in self.export.students.values():
            for structure, code in student.divisions:
                divisions.setdefault((self.schools[structure].pk, code), code)
            for structure, code in student.groups:
                if structure in self.schools:
                    groups.setdefault((self.schools[structure].pk, code), code)
        for staff in self.export.staff.values():
            for structure, code, _subject in staff.division_subjects:
                if structure in self.schools:
                    divisions.setdefault((self.schools[structure].pk, code), code)
            for structure, code, _subject in staff.group_subjects:
                if structure in self.schools:
                    groups.setdefault((self.schools[structure].pk, code), code)
        return divisions, groups

    def write_divisions_and_groups(self) -> None:
        divisions, groups = self._wanted_codes()
        self._report_rollover({school_id for school_id, _code in divisions})
        self.divisions = self._ensure(Division, divisions, "divisions_created")
        self.groups = self._ensure(TeachingGroup, groups, "groups_created")
        self._link_levels()

    def _link_levels(self) -> None:
        """A division's level (MEF) is its students' (ENTEleveMEF); the rectorat owns it."""
        levels: dict[tuple[int, str], str] = {}
        for student in self.export.students.values():
            for structure, code in student.divisions:
                if student.mef and structure == student.structure_id:
                    levels.setdefault((self.schools[structure].pk, code[:30]), student.mef)
        mef_ids = dict(Mef.objects.filter(code__in=set(levels.values())).values_list("code", "id"))
        uai_of = {school.pk: school.uai for school in self.schools.values()}
        changed = []
        for key, mef_code in levels.items():
            division = self.divisions.get(key)
            mef_id = mef_ids.get(mef_code)
            if division is not None and mef_id is not None and division.mef_id != mef_id:
                division.mef_id = mef_id
                changed.append((division.pk, mef_id))
                self.report.count("divisions_changed", uai_of.get(key[0]))
        update_rows(Division, ("mef_id",), changed)

    def _report_rollover(self, school_ids: set[int]) -> None:
        """The first import of a new school year: last year's divisions stay, archived by their year."""
        year = self.context.school_year
        rows = (
            Division.unscoped.filter(school_id__in=school_ids)
            .values("school_id")
            .annotate(
                current=Count("id", filter=Q(school_year=year)), earlier=Count("id", filter=Q(school_year__lt=year))
            )
        )
        uai_of = {school.pk: school.uai for school in self.schools.values()}
        for row in rows:
            if row["current"] == 0 and row["earlier"]:
                uai = uai_of.get(row["school_id"], "")
                self.report.count("divisions_archived", uai, n=row["earlier"])
                self.report.warnings.append(
                    _("%(uai)s : passage à l'année %(year)s-%(next)s, %(count)s classe(s) archivée(s).")
                    % {"uai": uai, "year": year, "next": year + 1, "count": row["earlier"]}
                )

    def _ensure(self, model: Any, wanted: dict[tuple[int, str], str], counter: str) -> dict[tuple[int, str], Any]:
        year = self.context.school_year
        school_ids = {school_id for school_id, _code in wanted}
        existing = {
            (row.school_id, row.code): row for row in model.unscoped.filter(school_id__in=school_ids, school_year=year)
        }
        uai_of = {school.pk: school.uai for school in self.schools.values()}
        new = [
            model(school_id=school_id, code=code[:30], name=label[:100], school_year=year, external_id=code[:64])
            for (school_id, code), label in wanted.items()
            if (school_id, code[:30]) not in existing
        ]
        model.unscoped.bulk_create(new, batch_size=BATCH)
        for row in new:
            self.report.count(counter, uai_of.get(row.school_id))
        if new:
            existing = {
                (row.school_id, row.code): row
                for row in model.unscoped.filter(school_id__in=school_ids, school_year=year)
            }
        return existing
