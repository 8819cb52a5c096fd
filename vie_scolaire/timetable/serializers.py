"""The timetable's API shapes."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _
from rest_framework import serializers

from vie_scolaire.timetable.models import Lesson

MAX_RANGE_DAYS = 62


class TimetableQuerySerializer(serializers.Serializer):
    from_ = serializers.DateField(help_text="YYYY-MM-DD")
    to = serializers.DateField(help_text="YYYY-MM-DD")
    student = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        # `from` is a Python keyword: the field is declared as `from_` and read as `from`.
        fields["from"] = fields.pop("from_")
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        first: datetime.date = attrs["from"]
        last: datetime.date = attrs["to"]
        if last < first:
            raise serializers.ValidationError(_("La date de fin (to) doit suivre la date de début (from)."))
        if (last - first).days >= MAX_RANGE_DAYS:
            raise serializers.ValidationError(
                _("Demandez au plus %(days)d jours à la fois.") % {"days": MAX_RANGE_DAYS}
            )
        return attrs


class LessonSerializer(serializers.ModelSerializer):
    subject = serializers.CharField(source="weekly_lesson.subject.name")
    subject_code = serializers.CharField(source="weekly_lesson.subject.code")
    teachers = serializers.SerializerMethodField()
    divisions = serializers.SerializerMethodField()
    groups = serializers.SerializerMethodField()
    room = serializers.SerializerMethodField()
    status = serializers.SerializerMethodField(help_text="planned, changed or cancelled")
    replacement_teacher = serializers.SerializerMethodField()

    class Meta:
        model = Lesson
        fields = [
            "id",
            "date",
            "start",
            "end",
            "scheduled_date",
            "subject",
            "subject_code",
            "teachers",
            "divisions",
            "groups",
            "room",
            "status",
            "replacement_teacher",
            "change_reason",
        ]

    def to_representation(self, lesson: Lesson) -> dict[str, Any]:
        # Written out: the declared fields' generic path cost about 0.7 ms a lesson, most of this endpoint's
        # time on a full week. The fields above still describe the answer (the OpenAPI schema), and
        # tests/vie_scolaire/timetable/test_timetable_api.py checks this gives exactly what they would.
        weekly = lesson.weekly_lesson
        return {
            "id": lesson.pk,
            "date": lesson.date.isoformat(),
            "start": lesson.start.isoformat(),
            "end": lesson.end.isoformat(),
            "scheduled_date": lesson.scheduled_date.isoformat(),
            "subject": weekly.subject.name,
            "subject_code": weekly.subject.code,
            "teachers": self.get_teachers(lesson),
            "divisions": self.get_divisions(lesson),
            "groups": self.get_groups(lesson),
            "room": self.get_room(lesson),
            "status": self.get_status(lesson),
            "replacement_teacher": self.get_replacement_teacher(lesson),
            "change_reason": lesson.change_reason,
        }

    def get_teachers(self, lesson: Lesson) -> list[str]:
        return [teacher.get_full_name() for teacher in lesson.weekly_lesson.teachers.all()]

    def get_divisions(self, lesson: Lesson) -> list[str]:
        return [division.name for division in lesson.weekly_lesson.divisions.all()]

    def get_groups(self, lesson: Lesson) -> list[str]:
        return [group.name for group in lesson.weekly_lesson.groups.all()]

    def get_room(self, lesson: Lesson) -> str:
        return str(lesson.room) if lesson.room is not None else ""

    def get_status(self, lesson: Lesson) -> str:
        if lesson.cancelled:
            return "cancelled"
        return "changed" if lesson.is_changed else "planned"

    def get_replacement_teacher(self, lesson: Lesson) -> str:
        teacher = lesson.replacement_teacher
        return teacher.get_full_name() if teacher is not None else ""
