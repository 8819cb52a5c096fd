"""The grades API's shapes."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from rest_framework import serializers

from vie_scolaire.grades.averages import display
from vie_scolaire.grades.models import Assessment
from vie_scolaire.grades.selectors.grades import AssessmentLine, SubjectGrades


class GradesQuerySerializer(serializers.Serializer):
    period = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    student = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class AssessmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assessment
        fields = [
            "id",
            "assignment",
            "period",
            "title",
            "date",
            "kind",
            "scale",
            "coefficient",
            "convert_to_20",
            "bonus",
            "optional",
            "published_to_students_on",
            "published_to_parents_on",
        ]
        read_only_fields = ["id"]


def line_data(line: AssessmentLine, subject: SubjectGrades) -> dict[str, Any]:
    grade = line.grade
    return {
        "assessment": line.assessment.pk,
        "subject": subject.assignment.subject.name,
        "title": line.assessment.title,
        "date": line.assessment.date.isoformat(),
        "scale": line.assessment.scale,
        "coefficient": str(line.assessment.coefficient),
        "value": str(grade.value) if grade is not None and grade.value is not None else None,
        "code": grade.code.code if grade is not None and grade.code is not None else "",
        "comment": grade.comment if grade is not None else "",
        "class_average": display(line.spread.average),
    }


def plain(value: Decimal) -> str:
    """A decimal without trailing zeros: 22.0000 -> "22", 7.50 -> "7.5"."""
    return format(value.normalize(), "f")


def subject_data(subject: SubjectGrades) -> dict[str, Any]:
    average = subject.average
    return {
        "subject": subject.assignment.subject.name,
        "teacher": subject.assignment.teacher.get_full_name(),
        "average": display(average.value),
        "coefficient": str(subject.coefficient),
        "numerator": plain(average.numerator),
        "denominator": plain(average.denominator),
        "formula": f"20 × {plain(average.numerator)} / {plain(average.denominator)}"
        if average.value is not None
        else "",
        "class_average": display(subject.class_spread.average),
        "grades": [
            {
                "assessment": part.entry.assessment_id,
                "title": part.entry.title,
                "value": str(part.entry.value) if part.entry.value is not None else None,
                "code": part.entry.code,
                "scale": part.entry.scale,
                "coefficient": str(part.entry.coefficient),
                "counted": str(part.counted),
                "numerator": plain(part.numerator),
                "denominator": plain(part.denominator),
            }
            for part in average.grades
        ],
    }


class GradeInputSerializer(serializers.Serializer):
    student = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    value = serializers.CharField(max_length=20, allow_blank=True, help_text="12, 12.5, 12,5, a code (Abs…) or empty")
    version = serializers.IntegerField(min_value=0, help_text="the version read (0: no grade yet)")
