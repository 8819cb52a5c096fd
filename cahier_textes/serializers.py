"""The homework book API's payloads."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cahier_textes.models import LessonEntry
from cahier_textes.selectors import HomeworkItem


class DoneSerializer(serializers.Serializer):  # type: ignore[type-arg]
    done = serializers.BooleanField()


def homework_data(item: HomeworkItem) -> dict[str, Any]:
    homework = item.homework
    given_in = homework.given_in
    return {
        "id": homework.pk,
        "subject": given_in.weekly_lesson.subject.name,
        "given_on": given_in.date.isoformat(),
        "due_on": homework.due_on.isoformat(),
        "due_lesson": homework.due_lesson_id,
        "kind": homework.kind,
        "minutes": homework.minutes,
        # Sanitised when written: safe to show as HTML.
        "description": homework.description,
        "done": item.done,
    }


def entry_data(entry: LessonEntry) -> dict[str, Any]:
    lesson = entry.lesson
    return {
        "lesson": lesson.pk,
        "subject": lesson.weekly_lesson.subject.name,
        "date": lesson.date.isoformat(),
        "start": lesson.start.strftime("%H:%M"),
        "end": lesson.end.strftime("%H:%M"),
        "content": entry.content,
        "changed_after_visa_at": entry.changed_after_visa_at.isoformat() if entry.changed_after_visa_at else None,
    }
