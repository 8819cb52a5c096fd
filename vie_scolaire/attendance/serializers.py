"""The attendance API's payloads."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from vie_scolaire.attendance.selectors.justifications import AttendanceLine
from vie_scolaire.attendance.selectors.roll_call import SheetRow
from vie_scolaire.attendance.services.roll_call import MAX_LATENESS_MINUTES


class LateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    student = serializers.IntegerField(min_value=1)
    minutes = serializers.IntegerField(min_value=1, max_value=MAX_LATENESS_MINUTES)


class DepartureSerializer(serializers.Serializer):  # type: ignore[type-arg]
    student = serializers.IntegerField(min_value=1)
    left_at = serializers.TimeField()


class RollCallInputSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """The whole roll call: everyone not listed is present."""

    absent = serializers.ListField(child=serializers.IntegerField(min_value=1), max_length=200, default=list)
    late = LateSerializer(many=True, default=list)
    departures = DepartureSerializer(many=True, default=list)


def sheet_row_data(row: SheetRow) -> dict[str, Any]:
    user = row.membership.user
    return {
        "student": user.pk,
        "name": user.get_full_name(),
        "absent": row.absent,
        "late_minutes": row.late_minutes,
        "left_at": row.left_at.strftime("%H:%M") if row.left_at else None,
        "known_absent": row.known_absent,
    }


MAX_RANGE_DAYS = 366


class DateRangeQuerySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """`?from=&to=[&student=]` of the family's endpoints (absences, homework, lesson entries)."""

    # `from` is a Python keyword: the field is declared under its query-string name below.
    to = serializers.DateField()
    student = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)

    def get_fields(self) -> dict[str, serializers.Field]:  # type: ignore[type-arg]
        fields = super().get_fields()
        fields["from"] = serializers.DateField()
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        first, last = attrs["from"], attrs["to"]
        if last < first or (last - first).days > MAX_RANGE_DAYS:
            raise serializers.ValidationError(_("Choisissez une période d'un an au plus, « from » avant « to »."))
        return attrs


def attendance_line_data(line: AttendanceLine) -> dict[str, Any]:
    lesson = line.lesson
    return {
        "kind": line.kind,
        "id": line.pk,
        "starts_at": line.starts_at.isoformat(),
        "ends_at": line.ends_at.isoformat() if line.ends_at else None,
        "subject": lesson.weekly_lesson.subject.name if lesson else None,
        "state": line.state,
        "state_label": str(line.state_label),
        "reason": line.reason_label,
        "minutes": line.minutes,
        "left_at": line.left_at.strftime("%H:%M") if line.left_at else None,
        "office_message": line.office_message,
    }
