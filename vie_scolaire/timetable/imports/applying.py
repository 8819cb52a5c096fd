"""Applying a read timetable to the school in one transaction: references, weekly lessons, their teachers,
divisions and groups, teaching assignments, then the dated lessons from the import's first day."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annuaire.models import Division, GroupDivision, Subject, TeachingAssignment, TeachingGroup
from schools.models import School
from schools.years import school_year_of
from vie_scolaire.timetable.imports.matching import keyed_lessons, match_teachers
from vie_scolaire.timetable.imports.model import ParsedLesson, RowError, Timetable
from vie_scolaire.timetable.imports.report import Refused, TimetableReport
from vie_scolaire.timetable.models import (
    Lesson,
    Room,
    TimeSlot,
    WeeklyLesson,
    WeeklyLessonDivision,
    WeeklyLessonGroup,
    WeeklyLessonTeacher,
)
from vie_scolaire.timetable.services import generate_lessons

BATCH = 2000
CODE_LENGTH = 30  # Division, TeachingGroup, Subject and Room codes


# --- Applying ------------------------------------------------------------------------------------


class Apply:
    """One import's writes, in order: teachers checked, nomenclatures, lessons, assignments."""

    def __init__(self, school: School, timetable: Timetable, report: TimetableReport, today: datetime.date) -> None:
        self.school = school
        self.timetable = timetable
        self.report = report
        self.today = today
        self.school_year = timetable.school_year or school_year_of(today)

    def run(self) -> None:
        lessons = self._lessons_with_audience()
        teachers, teacher_errors = match_teachers(self.school, self.timetable, lessons)
        # Every rejected row at once, in file order: the school fixes its export in one go.
        errors: list[RowError] = [*self.timetable.errors, *self._check_codes(lessons), *teacher_errors]
        if errors:
            errors.sort(key=lambda error: (error.origin.file, error.origin.line or 0))
            self.report.refuse(errors)
            raise Refused
        subjects = self._ensure(Subject, {lesson.subject for lesson in lessons}, self._new_subject, "subjects")
        rooms = self._ensure(Room, {lesson.room for lesson in lessons} - {""}, self._new_room, "rooms")
        self._ensure(TimeSlot, {slot.code for slot in self.timetable.slots}, self._new_slot, "slots")
        group_codes = set().union(*(lesson.groups for lesson in lessons))
        division_codes = set().union(*(lesson.divisions for lesson in lessons))
        division_codes |= set().union(*(self.timetable.groups[code].divisions for code in group_codes))
        divisions = self._ensure(Division, division_codes, self._new_division, "divisions")
        groups = self._ensure(TeachingGroup, group_codes, self._new_group, "groups")
        self._link_groups(groups, divisions)
        refs = References(teachers=teachers, subjects=subjects, rooms=rooms, divisions=divisions, groups=groups)
        changed = self._write_weekly_lessons(keyed_lessons(lessons), refs)
        self._complete_assignments(lessons, refs)
        generated = generate_lessons(
            school=self.school, school_year=self.school_year, weekly_lessons=changed, from_day=self.today
        )
        self.report.counts["lessons_created"] += generated.created
        self.report.counts["lessons_updated"] += generated.updated
        self.report.counts["lessons_deleted"] += generated.deleted

    def _lessons_with_audience(self) -> list[ParsedLesson]:
        # A course with no class and no group concerns nobody the ENT shows it to (Index exports
        # keep such placeholders): it is left out, and said.
        lessons = [lesson for lesson in self.timetable.lessons if lesson.has_audience]
        skipped = len(self.timetable.lessons) - len(lessons)
        if skipped:
            self.report.warnings.append(
                ngettext(
                    "%(count)s cours sans classe ni groupe ignoré.",
                    "%(count)s cours sans classe ni groupe ignorés.",
                    skipped,
                )
                % {"count": skipped}
            )
        return lessons

    def _check_codes(self, lessons: list[ParsedLesson]) -> list[RowError]:
        errors = []
        for lesson in lessons:
            for code in (lesson.subject, lesson.room, *lesson.divisions, *lesson.groups):
                if len(code) > CODE_LENGTH:
                    errors.append(
                        RowError(
                            lesson.origin,
                            _("code « %(code)s » trop long (%(max)s caractères au plus).")
                            % {"code": code, "max": CODE_LENGTH},
                        )
                    )
        return errors

    # Nomenclatures: created when missing, never changed (the directory import owns their names).

    def _ensure(self, model: type[Any], codes: set[str], build: Any, kind: str) -> dict[str, int]:
        queryset = model.objects.filter(school=self.school)
        if model in (Division, TeachingGroup):
            queryset = queryset.filter(school_year=self.school_year)
        known = dict(queryset.values_list("code", "pk"))
        missing = [build(code) for code in sorted(codes - set(known))]
        model.objects.bulk_create(missing, batch_size=BATCH)
        known.update({item.code: item.pk for item in missing})
        self.report.counts[f"{kind}_created"] += len(missing)
        return known

    def _new_subject(self, code: str) -> Subject:
        return Subject(school=self.school, code=code, name=self.timetable.subjects.get(code, code)[:150])

    def _new_room(self, code: str) -> Room:
        return Room(school=self.school, code=code, name=self.timetable.rooms.get(code, "")[:100])

    def _new_slot(self, code: str) -> TimeSlot:
        slot = next(slot for slot in self.timetable.slots if slot.code == code)
        return TimeSlot(school=self.school, code=code, start=slot.start, end=slot.end)

    def _new_division(self, code: str) -> Division:
        name = self.timetable.divisions.get(code, code)[:100]
        return Division(school=self.school, school_year=self.school_year, code=code, name=name)

    def _new_group(self, code: str) -> TeachingGroup:
        name = self.timetable.groups[code].name[:100]
        return TeachingGroup(school=self.school, school_year=self.school_year, code=code, name=name)

    def _link_groups(self, groups: dict[str, int], divisions: dict[str, int]) -> None:
        wanted = {
            (groups[code], divisions[division])
            for code in groups
            if code in self.timetable.groups
            for division in self.timetable.groups[code].divisions
        }
        known = set(
            GroupDivision.objects.filter(school=self.school, group_id__in=list(groups.values())).values_list(
                "group_id", "division_id"
            )
        )
        missing = [
            GroupDivision(school=self.school, group_id=group, division_id=division)
            for group, division in sorted(wanted - known)
        ]
        GroupDivision.objects.bulk_create(missing, batch_size=BATCH)
        self.report.counts["group_divisions_created"] += len(missing)

    # Weekly lessons.

    def _write_weekly_lessons(self, keyed: dict[str, ParsedLesson], refs: References) -> list[WeeklyLesson]:
        """Create, update and delete the weekly lessons; the changed and new ones are returned."""
        existing = {
            weekly.source_key: weekly
            for weekly in WeeklyLesson.objects.filter(
                school=self.school, school_year=self.school_year, source=self.timetable.source
            )
        }
        teachers_of = self._teachers_of(existing.values())
        created = [self._new_weekly(key, lesson, refs) for key, lesson in keyed.items() if key not in existing]
        updated = [
            existing[key]
            for key, lesson in keyed.items()
            if key in existing and (_follow(existing[key], lesson, refs) | _reinstate(existing[key]))
        ]
        WeeklyLesson.objects.bulk_create(created, batch_size=BATCH)
        WeeklyLesson.objects.bulk_update(
            updated,
            ["subject", "room", "weekday", "start", "end", "week_pattern", "weeks", "retired_from"],
            batch_size=BATCH,
        )
        self._write_audiences(created, keyed, refs)
        relinked = self._write_teachers([*created, *existing.values()], keyed, refs, teachers_of)
        stale = [weekly.pk for key, weekly in existing.items() if key not in keyed and weekly.retired_from is None]
        self._retire_weekly(stale)
        self.report.counts["weekly_lessons_created"] += len(created)
        self.report.counts["weekly_lessons_updated"] += len({weekly.pk for weekly in updated} | relinked)
        return [*created, *updated]

    def _teachers_of(self, weeklies: Iterable[WeeklyLesson]) -> dict[int, dict[int, int]]:
        """weekly lesson id -> {teacher id: link id}, for every existing lesson (empty when none)."""
        found: dict[int, dict[int, int]] = {weekly.pk: {} for weekly in weeklies}
        links = WeeklyLessonTeacher.objects.filter(school=self.school, weekly_lesson__school_year=self.school_year)
        for link, weekly, teacher in links.values_list("pk", "weekly_lesson_id", "teacher_id"):
            if weekly in found:
                found[weekly][teacher] = link
        return found

    def _new_weekly(self, key: str, lesson: ParsedLesson, refs: References) -> WeeklyLesson:
        weekly = WeeklyLesson(
            school=self.school, school_year=self.school_year, source=self.timetable.source, source_key=key
        )
        _follow(weekly, lesson, refs)
        return weekly

    def _write_audiences(self, created: list[WeeklyLesson], keyed: dict[str, ParsedLesson], refs: References) -> None:
        # An existing lesson's audience is part of its key: only new lessons get theirs.
        divisions, groups = [], []
        for weekly in created:
            lesson = keyed[weekly.source_key]
            divisions += [
                WeeklyLessonDivision(school=self.school, weekly_lesson=weekly, division_id=refs.divisions[code])
                for code in sorted(lesson.divisions)
            ]
            groups += [
                WeeklyLessonGroup(school=self.school, weekly_lesson=weekly, group_id=refs.groups[code])
                for code in sorted(lesson.groups)
            ]
        WeeklyLessonDivision.objects.bulk_create(divisions, batch_size=BATCH)
        WeeklyLessonGroup.objects.bulk_create(groups, batch_size=BATCH)

    def _write_teachers(
        self,
        weeklies: list[WeeklyLesson],
        keyed: dict[str, ParsedLesson],
        refs: References,
        teachers_of: dict[int, dict[int, int]],
    ) -> set[int]:
        """Bring each lesson's teachers in line; answers the existing lessons whose teachers changed."""
        to_create: list[WeeklyLessonTeacher] = []
        to_delete: list[int] = []
        changed: set[int] = set()
        for weekly in weeklies:
            lesson = keyed.get(weekly.source_key)
            if lesson is None:
                continue
            wanted = {refs.teachers[key] for key in lesson.teachers}
            current = teachers_of.get(weekly.pk, {})
            to_create += [
                WeeklyLessonTeacher(school=self.school, weekly_lesson=weekly, teacher_id=teacher)
                for teacher in sorted(wanted - set(current))
            ]
            to_delete += [link for teacher, link in current.items() if teacher not in wanted]
            if weekly.pk in teachers_of and wanted != set(current):
                changed.add(weekly.pk)
        WeeklyLessonTeacher.objects.bulk_create(to_create, batch_size=BATCH)
        for start in range(0, len(to_delete), BATCH):
            WeeklyLessonTeacher.objects.filter(school=self.school, pk__in=to_delete[start : start + BATCH]).delete()
        return changed

    def _retire_weekly(self, stale: list[int]) -> None:
        """Dropped lessons that already took place are retired from tomorrow, keeping today's and the past
        occurrences with their roll calls; those that never took place are deleted."""
        tomorrow = self.today + datetime.timedelta(days=1)
        for start in range(0, len(stale), BATCH):
            batch = stale[start : start + BATCH]
            held = set(
                Lesson.objects.filter(school=self.school, weekly_lesson__in=batch, date__lt=tomorrow).values_list(
                    "weekly_lesson_id", flat=True
                )
            )
            retired = WeeklyLesson.objects.filter(school=self.school, pk__in=held).update(retired_from=tomorrow)
            _total, future = Lesson.objects.filter(
                school=self.school, weekly_lesson__in=held, scheduled_date__gte=tomorrow
            ).delete()
            _total, per_model = WeeklyLesson.objects.filter(
                school=self.school, pk__in=[pk for pk in batch if pk not in held]
            ).delete()
            self.report.counts["weekly_lessons_retired"] += retired
            self.report.counts["weekly_lessons_deleted"] += per_model.get(WeeklyLesson._meta.label, 0)
            self.report.counts["lessons_deleted"] += future.get("vie_scolaire.Lesson", 0) + per_model.get(
                "vie_scolaire.Lesson", 0
            )

    def _complete_assignments(self, lessons: list[ParsedLesson], refs: References) -> None:
        """A teaching assignment per teacher, subject and division or group the timetable shows."""
        wanted: set[tuple[int, int, int | None, int | None]] = set()
        for lesson in lessons:
            subject = refs.subjects[lesson.subject]
            for key in lesson.teachers:
                teacher = refs.teachers[key]
                wanted |= {(teacher, subject, refs.divisions[code], None) for code in lesson.divisions}
                wanted |= {(teacher, subject, None, refs.groups[code]) for code in lesson.groups}
        known = set(
            TeachingAssignment.objects.filter(school=self.school).values_list(
                "teacher_id", "subject_id", "division_id", "group_id"
            )
        )
        missing = [
            TeachingAssignment(
                school=self.school, teacher_id=teacher, subject_id=subject, division_id=division, group_id=group
            )
            for teacher, subject, division, group in sorted(wanted - known, key=str)
        ]
        TeachingAssignment.objects.bulk_create(missing, batch_size=BATCH)
        self.report.counts["assignments_created"] += len(missing)


@dataclass(frozen=True)
class References:
    """Database ids of what the parsed lessons name by code."""

    teachers: dict[str, int]  # Person key -> user id
    subjects: dict[str, int]
    rooms: dict[str, int]
    divisions: dict[str, int]
    groups: dict[str, int]


def _follow(weekly: WeeklyLesson, lesson: ParsedLesson, refs: References) -> bool:
    """Give the weekly lesson the source's values; answers whether any changed."""
    values: dict[str, Any] = {
        "subject_id": refs.subjects[lesson.subject],
        "room_id": refs.rooms.get(lesson.room),
        "weekday": lesson.weekday,
        "start": lesson.start,
        "end": lesson.end,
        "week_pattern": lesson.week_pattern,
        "weeks": [monday.isoformat() for monday in lesson.weeks],
    }
    changed = False
    for name, value in values.items():
        if getattr(weekly, name) != value:
            setattr(weekly, name, value)
            changed = True
    return changed


def _reinstate(weekly: WeeklyLesson) -> bool:
    """A retired lesson the source lists again takes place again; answers whether it was retired."""
    if weekly.retired_from is None:
        return False
    weekly.retired_from = None
    return True
