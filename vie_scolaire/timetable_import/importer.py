"""Import of a school's weekly timetable: files in, weekly lessons and their occurrences out.

`import_timetable` reads the files (the format is told by the XML root element or the CSV
header), checks them against the school (UAI, teachers), then applies them in one transaction
inside the school's scope: missing subjects, rooms, slots, divisions and groups are created,
weekly lessons created, updated or deleted by their source key, teaching assignments completed,
and the dated lessons regenerated from today on. All or nothing: one rejected row refuses the
whole import and the report names file, line and reason of each. A dry run does the same work
and rolls it back, so its counts are exactly what a real run would write.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from annuaire.models import Division, GroupDivision, Membership, Profile, Subject, TeachingAssignment, TeachingGroup
from schools.models import School
from schools.tenancy import school_scope
from schools.years import school_year_of
from vie_scolaire.models import (
    Lesson,
    Room,
    TimeSlot,
    WeeklyLesson,
    WeeklyLessonDivision,
    WeeklyLessonGroup,
    WeeklyLessonTeacher,
)
from vie_scolaire.services import generate_lessons
from vie_scolaire.timetable_import import index_education, sts, udt
from vie_scolaire.timetable_import.model import Origin, ParsedLesson, Person, RowError, Timetable, TimetableFormatError
from vie_scolaire.timetable_import.reading import XmlFile, fold, local_name, parse_xml

MAX_FILE_BYTES = 50 * 1024 * 1024
BATCH = 2000
CODE_LENGTH = 30  # Division, TeachingGroup, Subject and Room codes
SOURCE_KEY_LENGTH = 255


# --- The report ----------------------------------------------------------------------------------


@dataclass
class TimetableReport:
    uai: str
    files: list[str]
    dry_run: bool
    refused: bool = False
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def rows_written(self) -> int:
        return sum(self.counts.values())

    def refuse(self, errors: Iterable[object]) -> TimetableReport:
        self.refused = True
        self.errors.extend(str(error) for error in errors)
        self.counts.clear()
        return self

    def count_lines(self) -> list[str]:
        """The counts in French words, in a fixed order, leaving out the zeros."""
        return [_count_label(key, self.counts[key]) for key in COUNT_KEYS if self.counts.get(key)]


COUNT_KEYS = (
    "weekly_lessons_created",
    "weekly_lessons_updated",
    "weekly_lessons_deleted",
    "weekly_lessons_retired",
    "lessons_created",
    "lessons_updated",
    "lessons_deleted",
    "subjects_created",
    "rooms_created",
    "slots_created",
    "divisions_created",
    "groups_created",
    "group_divisions_created",
    "assignments_created",
)


def _count_label(key: str, count: int) -> str:
    labels = {
        "weekly_lessons_created": ngettext(
            "%(count)s cours hebdomadaire créé", "%(count)s cours hebdomadaires créés", count
        ),
        "weekly_lessons_updated": ngettext(
            "%(count)s cours hebdomadaire mis à jour", "%(count)s cours hebdomadaires mis à jour", count
        ),
        "weekly_lessons_deleted": ngettext(
            "%(count)s cours hebdomadaire supprimé", "%(count)s cours hebdomadaires supprimés", count
        ),
        "weekly_lessons_retired": ngettext(
            "%(count)s cours hebdomadaire retiré (ses séances passées sont gardées)",
            "%(count)s cours hebdomadaires retirés (leurs séances passées sont gardées)",
            count,
        ),
        "lessons_created": ngettext("%(count)s séance créée", "%(count)s séances créées", count),
        "lessons_updated": ngettext("%(count)s séance mise à jour", "%(count)s séances mises à jour", count),
        "lessons_deleted": ngettext("%(count)s séance supprimée", "%(count)s séances supprimées", count),
        "subjects_created": ngettext("%(count)s matière créée", "%(count)s matières créées", count),
        "rooms_created": ngettext("%(count)s salle créée", "%(count)s salles créées", count),
        "slots_created": ngettext("%(count)s créneau créé", "%(count)s créneaux créés", count),
        "divisions_created": ngettext("%(count)s classe créée", "%(count)s classes créées", count),
        "groups_created": ngettext("%(count)s groupe créé", "%(count)s groupes créés", count),
        "group_divisions_created": ngettext(
            "%(count)s classe rattachée à un groupe", "%(count)s classes rattachées à des groupes", count
        ),
        "assignments_created": ngettext(
            "%(count)s service d'enseignement créé", "%(count)s services d'enseignement créés", count
        ),
    }
    return labels[key] % {"count": count}


class _Refused(Exception):
    """Leaves the transaction so that it rolls back; the report already says why."""


# --- Entry point ---------------------------------------------------------------------------------


def import_timetable(
    *, school: School, paths: Sequence[str | Path], dry_run: bool = False, today: datetime.date | None = None
) -> TimetableReport:
    """Import the timetable files of one school; `today` is the first day whose lessons change."""
    today = today or timezone.localdate()
    report = TimetableReport(uai=school.uai, files=[Path(path).name for path in paths], dry_run=dry_run)
    try:
        timetable = read_timetable(paths)
    except TimetableFormatError as error:
        return report.refuse([error])
    report.warnings.extend(timetable.warnings)
    if timetable.uai and timetable.uai.upper() != school.uai.upper():
        return report.refuse(
            [
                _("%(files)s : ces fichiers concernent l'établissement %(file_uai)s, pas %(uai)s.")
                % {"files": ", ".join(timetable.files), "file_uai": timetable.uai, "uai": school.uai}
            ]
        )
    with school_scope(school):
        try:
            with transaction.atomic():
                _Apply(school, timetable, report, today).run()
                if dry_run:
                    transaction.set_rollback(True)
        except _Refused:
            pass
    return report


def read_timetable(paths: Sequence[str | Path]) -> Timetable:
    """The timetable the files hold, in whichever of the three formats they are."""
    xml_files: list[XmlFile] = []
    csv_files: list[tuple[str, str]] = []
    for path in paths:
        name = Path(path).name
        data = _read_bytes(Path(path), name)
        if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
            xml_files.append(XmlFile(name, parse_xml(data, name)))
            continue
        text = udt.decode(data)
        if not udt.is_udt(text):
            raise TimetableFormatError(
                Origin(name, 1),
                _("format inconnu : ni STS-Web, ni export Index Éducation, ni CSV UDT (Jour;Heure;Div;Matière;…)."),
            )
        csv_files.append((name, text))
    formats = {_format_of(file) for file in xml_files} | ({"udt"} if csv_files else set())
    if len(formats) != 1:
        raise TimetableFormatError(
            Origin(", ".join(Path(path).name for path in paths)),
            _("les fichiers d'un import doivent être d'un seul format (STS-Web, Index Éducation ou UDT)."),
        )
    kind = formats.pop()
    if kind == "sts":
        return sts.read_sts(xml_files)
    if kind == "udt":
        return udt.read_udt(csv_files)
    if len(xml_files) != 1:
        raise TimetableFormatError(
            Origin(", ".join(file.name for file in xml_files)), _("un seul export Index Éducation par import.")
        )
    return index_education.read_index_education(xml_files[0])


def _read_bytes(path: Path, name: str) -> bytes:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise TimetableFormatError(Origin(name), _("fichier trop volumineux (plus de 50 Mo)."))
        return path.read_bytes()
    except OSError as error:
        raise TimetableFormatError(Origin(name), _("lecture impossible (%(error)s).") % {"error": error}) from None


def _format_of(file: XmlFile) -> str:
    root = local_name(file.root)
    if root in sts.ROOTS:
        return "sts"
    if root in index_education.ROOTS:
        return "index"
    raise TimetableFormatError(
        Origin(file.name, file.root.sourceline),
        _("élément racine « %(root)s » inconnu (STS_EDT, EDT_STS ou ExportEmploiDuTemps attendu).") % {"root": root},
    )


# --- Keys ----------------------------------------------------------------------------------------


def keyed_lessons(lessons: Iterable[ParsedLesson]) -> dict[str, ParsedLesson]:
    """Each lesson under its source key: audience, subject, day and start, which a new export keeps.

    Teachers, room, end and weeks are what a re-import may update in place, so that the dated
    lessons (and what the homework book hangs on them) survive a room change. Lessons that share
    that identity (week A and week B of the same class) are told apart by their weeks.
    """
    by_identity: dict[str, list[ParsedLesson]] = defaultdict(list)
    for lesson in lessons:
        identity = "|".join(
            (
                str(lesson.weekday),
                f"{lesson.start:%H:%M}",
                lesson.subject,
                ",".join(sorted(lesson.divisions)),
                ",".join(sorted(lesson.groups)),
            )
        )
        by_identity[identity].append(lesson)
    keyed: dict[str, ParsedLesson] = {}
    for identity, namesakes in by_identity.items():
        namesakes.sort(key=lambda lesson: (lesson.week_pattern, lesson.weeks, sorted(lesson.teachers), lesson.room))
        for rank, lesson in enumerate(namesakes, start=1):
            key = identity if rank == 1 else f"{identity}#{rank}"
            if len(key) > SOURCE_KEY_LENGTH:
                key = hashlib.sha256(key.encode()).hexdigest()
            keyed[key] = lesson
    return keyed


# --- Applying ------------------------------------------------------------------------------------


class _Apply:
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
            raise _Refused
        subjects = self._ensure(Subject, {lesson.subject for lesson in lessons}, self._new_subject, "subjects")
        rooms = self._ensure(Room, {lesson.room for lesson in lessons} - {""}, self._new_room, "rooms")
        self._ensure(TimeSlot, {slot.code for slot in self.timetable.slots}, self._new_slot, "slots")
        group_codes = set().union(*(lesson.groups for lesson in lessons))
        division_codes = set().union(*(lesson.divisions for lesson in lessons))
        division_codes |= set().union(*(self.timetable.groups[code].divisions for code in group_codes))
        divisions = self._ensure(Division, division_codes, self._new_division, "divisions")
        groups = self._ensure(TeachingGroup, group_codes, self._new_group, "groups")
        self._link_groups(groups, divisions)
        refs = _References(teachers=teachers, subjects=subjects, rooms=rooms, divisions=divisions, groups=groups)
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

    def _write_weekly_lessons(self, keyed: dict[str, ParsedLesson], refs: _References) -> list[WeeklyLesson]:
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

    def _new_weekly(self, key: str, lesson: ParsedLesson, refs: _References) -> WeeklyLesson:
        weekly = WeeklyLesson(
            school=self.school, school_year=self.school_year, source=self.timetable.source, source_key=key
        )
        _follow(weekly, lesson, refs)
        return weekly

    def _write_audiences(self, created: list[WeeklyLesson], keyed: dict[str, ParsedLesson], refs: _References) -> None:
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
        refs: _References,
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

    def _complete_assignments(self, lessons: list[ParsedLesson], refs: _References) -> None:
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
class _References:
    """Database ids of what the parsed lessons name by code."""

    teachers: dict[str, int]  # Person key -> user id
    subjects: dict[str, int]
    rooms: dict[str, int]
    divisions: dict[str, int]
    groups: dict[str, int]


def _follow(weekly: WeeklyLesson, lesson: ParsedLesson, refs: _References) -> bool:
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


# --- Teachers ------------------------------------------------------------------------------------


def match_teachers(
    school: School, timetable: Timetable, lessons: list[ParsedLesson]
) -> tuple[dict[str, int], list[RowError]]:
    """The user id of each person the lessons name, among the school's active teachers.

    Names are compared without accents, case or hyphens, last name then first name; a birth date
    (STS-Web gives one) separates namesakes. A person not found, or found more than once, is a
    rejected row naming them.
    """
    lessons_of: dict[str, int] = defaultdict(int)
    for lesson in lessons:
        for key in lesson.teachers:
            lessons_of[key] += 1
    by_name: dict[str, list[Any]] = defaultdict(list)
    memberships = Membership.objects.filter(school=school, profile=Profile.TEACHER, active=True).select_related("user")
    for membership in memberships:
        user = membership.user
        by_name[fold(f"{user.last_name} {user.first_name}")].append(user)
    matched: dict[str, int] = {}
    errors: list[RowError] = []
    for key in sorted(lessons_of, key=lambda key: str(timetable.people[key].origin)):
        person = timetable.people[key]
        users = _candidates(person, by_name)
        if len(users) == 1:
            matched[key] = users[0].pk
        else:
            errors.append(RowError(person.origin, _teacher_reason(person, len(users), lessons_of[key])))
    return matched, errors


def _candidates(person: Person, by_name: dict[str, list[Any]]) -> list[Any]:
    users = by_name.get(fold(f"{person.last_name} {person.first_name}"), [])
    if len(users) > 1 and person.birth_date is not None:
        # Namesakes none of whom has this birth date stay ambiguous, not unknown.
        return [user for user in users if user.birth_date == person.birth_date] or users
    return users


def _teacher_reason(person: Person, found: int, lessons: int) -> str:
    values = {"person": person, "count": lessons}
    if found == 0:
        return _("enseignant inconnu dans l'établissement : %(person)s (%(count)s cours).") % values
    return (
        _("plusieurs enseignants de l'établissement répondent au nom de %(person)s : impossible de choisir.") % values
    )


__all__ = ["TimetableReport", "import_timetable", "keyed_lessons", "match_teachers", "read_timetable"]
