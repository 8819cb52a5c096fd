"""Writes guardianships, contacts that are not legal representatives, and teaching assignments."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from annuaire.aaf.apply.base import BATCH, ApplierBase
from annuaire.models import Guardianship, StudentContact, Subject, TeachingAssignment

GUARDIANSHIP_FIELDS = ("legal_representative", "financial", "contact", "relationship")
CONTACT_FIELDS = ("last_name", "first_name", "phone", "relationship")


class LinkWriter(ApplierBase):
    def write_guardianships_and_contacts(self) -> None:
        wanted: dict[tuple[int, int, int], dict[str, Any]] = {}
        contacts: dict[tuple[int, int, str], dict[str, Any]] = {}
        for key, student in self.export.students.items():
            school_id, student_id = self.schools[student.structure_id].pk, self.user_ids[key]
            for link in student.relatives:
                guardian_id = self.user_ids.get(link.relative_id)
                if link.legal_rank in (1, 2) and guardian_id is not None:
                    wanted[(school_id, student_id, guardian_id)] = {
                        "legal_representative": True,
                        "financial": link.financial,
                        "contact": link.contact,
                        "relationship": link.relationship[:50],
                    }
                elif link.legal_rank == 0 and link.relative_id in self.export.relatives:
                    relative = self.export.relatives[link.relative_id]
                    contacts[(school_id, student_id, link.relative_id)] = {
                        "last_name": relative.last_name[:150],
                        "first_name": relative.first_name[:150],
                        "phone": relative.phone[:30],
                        "relationship": link.relationship[:50],
                    }
        student_ids = [self.user_ids[key] for key in self.export.students]
        links: tuple[tuple[Any, dict[Any, dict[str, Any]], tuple[str, ...], tuple[str, ...], str], ...] = (
            (Guardianship, wanted, ("school_id", "student_id", "guardian_id"), GUARDIANSHIP_FIELDS, "guardianships"),
            (StudentContact, contacts, ("school_id", "student_id", "external_id"), CONTACT_FIELDS, "contacts"),
        )
        for model, rows, key_columns, fields, label in links:
            current = self._select(model.unscoped.values("id", *key_columns, *fields), "student_id", student_ids)
            self._sync(model, rows, current, key_columns, label=label)

    def write_assignments(self) -> None:
        subjects = self._ensure_subjects()
        wanted: dict[tuple[int, int, int, int | None, int | None], dict[str, Any]] = {}
        for key, staff in self.export.staff.items():
            teacher_id = self.user_ids[key]
            heads = {(s, code) for s, code in staff.head_teacher_of}
            for structure, code, subject_code in staff.division_subjects:
                school = self.schools.get(structure)
                if school is None or not subject_code:
                    continue
                division = self.divisions[(school.pk, code[:30])]
                subject = subjects[(school.pk, subject_code)]
                wanted[(school.pk, teacher_id, subject.pk, division.pk, None)] = {
                    "is_head_teacher": (structure, code) in heads
                }
            for structure, code, subject_code in staff.group_subjects:
                school = self.schools.get(structure)
                if school is None or not subject_code:
                    continue
                group = self.groups[(school.pk, code[:30])]
                subject = subjects[(school.pk, subject_code)]
                wanted[(school.pk, teacher_id, subject.pk, None, group.pk)] = {"is_head_teacher": False}
        teacher_ids = [self.user_ids[key] for key in self.export.staff]
        self._sync(
            TeachingAssignment,
            wanted,
            # Services of last year's divisions and groups stay with them (the year rollover).
            self._select(
                TeachingAssignment.unscoped.filter(
                    Q(division__school_year=self.context.school_year) | Q(group__school_year=self.context.school_year)
                ).values("id", "school_id", "teacher_id", "subject_id", "division_id", "group_id", "is_head_teacher"),
                "teacher_id",
                teacher_ids,
            ),
            ("school_id", "teacher_id", "subject_id", "division_id", "group_id"),
            label="assignments",
        )

    def _ensure_subjects(self) -> dict[tuple[int, str], Subject]:
        wanted: dict[tuple[int, str], str] = {}
        for staff in self.export.staff.values():
            for structure, _code, subject_code in (*staff.division_subjects, *staff.group_subjects):
                school = self.schools.get(structure)
                if school is not None and subject_code:
                    nomenclature = self.export.subjects.get(subject_code)
                    wanted[(school.pk, subject_code)] = nomenclature.label if nomenclature else subject_code
        school_ids = {school_id for school_id, _code in wanted}
        existing = {(s.school_id, s.code): s for s in Subject.unscoped.filter(school_id__in=school_ids)}
        new = [
            Subject(school_id=school_id, code=code[:30], name=label[:150])
            for (school_id, code), label in wanted.items()
            if (school_id, code) not in existing
        ]
        Subject.unscoped.bulk_create(new, batch_size=BATCH)
        self.report.count("subjects_created", n=len(new))
        if new:
            existing = {(s.school_id, s.code): s for s in Subject.unscoped.filter(school_id__in=school_ids)}
        return existing
