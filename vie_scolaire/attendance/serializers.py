"""The attendance API's payloads."""

from __future__ import annotations

from typing import Any

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
