"""The attendance API's payloads."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from vie_scolaire.attendance import MAX_LATENESS_MINUTES, SheetRow


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
